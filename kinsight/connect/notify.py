"""Telling the agencies working with a child that an urgent alert was raised about the child.

`do_queue_notifications` records one Notification per agency involved with the child in the 90
days before the alert (an agency that recorded an event about any record linked to the child),
per channel its designated safeguarding contact has (email, webhook), and enqueues the delivery
task when the transaction commits. `deliver_notification` sends it: an email through Django's
mail framework holding a link and no personal data, or a webhook whose body is signed with the
contact's secret. A failed attempt is recorded and retried later from the queue in the store.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.request
from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from kinsight.audit.models import record_audit
from kinsight.chronology.models import Event, EventSubject
from kinsight.connect.flags import active_plans
from kinsight.connect.models import Notification, SafeguardingContact
from kinsight.people.models import PersonRecord
from kinsight.rules.models import Alert

INVOLVED_DAYS = 90
UNSCHEDULED_CARE = "unscheduled_care"
UNSCHEDULED_SETTINGS = {"emergency", "urgent_care", "minor_injuries", "gp_out_of_hours"}
MAX_ATTEMPTS = 8
URGENT_ALERT = "urgent_alert"


def involved_agencies(person_id: int, moment: datetime) -> list[str]:
    """Agencies that recorded an event about the person in the 90 days up to `moment`."""
    records = PersonRecord.objects.filter(person_id=person_id).values_list("pk")
    since = moment - timedelta(days=INVOLVED_DAYS)
    codes = (
        EventSubject.objects.filter(
            record_id__in=records,
            event__occurred_at__gte=since,
            event__recorded_at__lte=moment,
            event__retracted_at__isnull=True,
        )
        .values_list("event__agency__code", flat=True)
        .distinct()
    )
    return sorted(set(codes))


def do_queue_notifications(alert_ids: Iterable[int], *, acting: str) -> list[Notification]:
    """Record the notifications the urgent alerts among `alert_ids` call for; deliver on commit."""
    made: list[Notification] = []
    now = timezone.now()
    with transaction.atomic():
        # One injury can raise several urgent alerts at once; an agency hears once per child
        # and run, about the first of them (its page shows the rest). An alert stored ahead of
        # its deadline is not news yet.
        by_child: dict[int, list[Alert]] = {}
        urgent = Alert.objects.filter(
            pk__in=list(alert_ids), severity="urgent", raised_at__lte=now
        ).order_by("raised_at", "pk")
        for alert in urgent:
            by_child.setdefault(alert.child_id, []).append(alert)
        for child_id, alerts in by_child.items():
            alert = alerts[0]
            agencies = involved_agencies(child_id, alert.raised_at)
            told = _notify(agencies, URGENT_ALERT, child_id, now, alert_id=alert.pk)
            made += told
            if told:
                record_audit(
                    actor=acting,
                    action="queue_notifications",
                    object_type="alert",
                    object_id=str(alert.pk),
                    detail={
                        "agencies": agencies,
                        "notifications": [n.pk for n in told],
                        "alerts": [a.pk for a in alerts],
                    },
                )
        for notification in made:
            transaction.on_commit(partial(_enqueue, notification.pk))
    return made


def do_queue_unscheduled_care(
    since: datetime, *, acting: str, event_ids: Collection[int] | None = None
) -> list[Notification]:
    """A child on a child protection plan (or looked after) attended unscheduled care: tell the
    agency holding the plan and the agencies involved with the child, as CP-IS tells the local
    authority. Attendances received since `since` are looked at, or, when the ingest says which
    events it wrote (`event_ids`), those of them that are attendances."""
    made: list[Notification] = []
    now = timezone.now()
    # A few events are found by id; many by when they arrived (one query, not thousands of ids).
    few = event_ids is not None and len(event_ids) <= 2000
    which = Q(pk__in=sorted(event_ids or ())) if few else Q(received_at__gte=since)
    attendances = (
        Event.objects.filter(which, type="hospital_attendance", retracted_at__isnull=True)
        .select_related("agency")
        .prefetch_related("subject_rows__record")
    )
    if not attendances.exists():
        return made
    # Only persons with a plan event at all need a closer look (one query, not one per person).
    plan_rows = EventSubject.objects.filter(event__type="plan", record__person__isnull=False)
    if few:
        # Only the attending persons' plans: by the person index, not a read of every plan.
        plan_rows = plan_rows.filter(
            record__person_id__in=EventSubject.objects.filter(
                event__in=attendances.values("pk"), record__person__isnull=False
            ).values("record__person_id")
        )
    planned = set(plan_rows.values_list("record__person_id", flat=True).distinct())
    with transaction.atomic():
        # Small chunks: the prefetch puts every chunk's ids in one IN list, which SQLite caps.
        for event in attendances.iterator(chunk_size=200):
            setting = event.details.get("setting")
            if setting and setting not in UNSCHEDULED_SETTINGS:
                continue
            persons = {
                row.record.person_id
                for row in event.subject_rows.all()
                if row.record is not None and row.record.person_id in planned
            }
            for person_id in sorted(persons):
                plans = [p for p in active_plans({person_id}) if p.occurred_at <= event.occurred_at]
                if not plans:
                    continue
                agencies = set(involved_agencies(person_id, event.recorded_at))
                agencies |= {plan.agency.code for plan in plans}
                agencies.discard(event.agency.code)  # the attending agency saw the child
                told = _notify(sorted(agencies), UNSCHEDULED_CARE, person_id, now,
                               event_id=event.pk)  # fmt: skip
                if told:
                    record_audit(
                        actor=acting,
                        action="queue_notifications",
                        object_type="event",
                        object_id=f"{event.agency.code}:{event.event_id}",
                        detail={
                            "agencies": sorted(agencies),
                            "notifications": [n.pk for n in told],
                        },  # fmt: skip
                    )
                made += told
        for notification in made:
            transaction.on_commit(partial(_enqueue, notification.pk))
    return made


def _notify(
    agencies: list[str], reason: str, person_id: int, now: datetime, **about: int
) -> list[Notification]:
    made = []
    for contact in SafeguardingContact.objects.filter(agency_code__in=agencies):
        channels = [
            c for c, on in (("email", contact.email), ("webhook", contact.webhook_url)) if on
        ]
        for channel in channels:
            notification, created = Notification.objects.get_or_create(
                agency_code=contact.agency_code,
                channel=channel,
                reason=reason,
                **about,
                defaults={"person_id": person_id, "created_at": now, "next_attempt_at": now},
            )
            if created:
                made.append(notification)
    return made


def _enqueue(notification_id: int, run_after: datetime | None = None) -> None:
    if run_after is None:
        deliver_notification.enqueue(notification_id)
    else:
        deliver_notification.using(run_after=run_after).enqueue(notification_id)


@task()
def deliver_notification(notification_id: int) -> str:
    """One attempt at delivering a notification; a failure schedules the next attempt."""
    return attempt_delivery(notification_id)


def attempt_delivery(notification_id: int) -> str:
    notification = Notification.objects.get(pk=notification_id)
    if notification.status != Notification.Status.PENDING:
        return notification.status
    contact = SafeguardingContact.objects.get(agency_code=notification.agency_code)
    now = timezone.now()
    try:
        if notification.channel == "email":
            _email(contact, notification)
        else:
            _webhook(contact, notification)
    except Exception as exc:  # noqa: BLE001 - any failure of the far end is retried
        notification.attempts += 1
        notification.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if notification.attempts >= MAX_ATTEMPTS:
            notification.status = Notification.Status.FAILED
            notification.next_attempt_at = None
        else:
            # 1, 2, 4, 8 ... minutes, at most a day.
            delay = timedelta(minutes=min(2 ** (notification.attempts - 1), 24 * 60))
            notification.next_attempt_at = now + delay
        with transaction.atomic():
            notification.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            if notification.status == Notification.Status.PENDING:
                retry = partial(_enqueue, notification_id, notification.next_attempt_at)
                transaction.on_commit(retry)
        return notification.status
    with transaction.atomic():
        notification.attempts += 1
        notification.status = Notification.Status.SENT
        notification.sent_at = now
        notification.next_attempt_at = None
        notification.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at"])
        record_audit(
            actor="kinsight",
            action="notification_sent",
            object_type="notification",
            object_id=str(notification.pk),
            detail={
                "agency": notification.agency_code,
                "channel": notification.channel,
                "alert": notification.alert_id,
                "reason": notification.reason,
            },  # fmt: skip
        )
    return notification.status


def link(notification: Notification) -> str:
    if notification.alert_id:
        return f"{settings.KINSIGHT_BASE_URL}/alerts/{notification.alert_id}/"
    return f"{settings.KINSIGHT_BASE_URL}/people/p-{notification.person_id}/"


def _email(contact: SafeguardingContact, notification: Notification) -> None:
    # No personal data: what happened, in words the same for every child, and a link.
    if notification.reason == UNSCHEDULED_CARE:
        subject = "Kinsight: a child on a plan attended unscheduled care"
        what = (
            "A child on a child protection plan (or looked after) whom your agency works with "
            "attended unscheduled care."
        )
    else:
        subject = "Kinsight: an urgent alert about a child your agency works with"
        what = (
            "Kinsight raised an urgent alert about a child your agency has worked with in the "
            f"last {INVOLVED_DAYS} days."
        )
    send_mail(
        subject=subject,
        message=(
            f"{what}\n\nOpen it (you will be asked to sign in):\n{link(notification)}\n\n"
            f"Reference: {notification.pk}\n"
        ),
        from_email=None,
        recipient_list=[contact.email],
    )


def _webhook(contact: SafeguardingContact, notification: Notification) -> None:
    rule = ""
    if notification.alert_id:
        rule = Alert.objects.filter(pk=notification.alert_id).values_list("rule", flat=True)[0]
    body = json.dumps({
        "event": notification.reason, "alert": notification.alert_id, "rule": rule,
        "link": link(notification), "notification": notification.pk,
    }).encode()  # fmt: skip
    signature = hmac.new(contact.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(  # noqa: S310 - an https URL set by an administrator
        contact.webhook_url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Kinsight-Signature": f"sha256={signature}"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        if response is not None and response.status >= 300:
            raise OSError(f"webhook answered {response.status}")
