"""The practitioners' pages. Each view: check access, read through a query module, render."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from kinsight.access.actions import BreakGlassRefused, do_break_glass
from kinsight.access.checks import (
    PRACTITIONERS,
    alert_for,
    audit_read,
    may_act_on_alerts,
    person_for,
    visible_among,
)
from kinsight.access.models import Allocation, BreakGlass, Role, User
from kinsight.access.sensitive import screen
from kinsight.audit.models import AuditEntry
from kinsight.audit.search import person_named, who_looked
from kinsight.chronology.models import Event
from kinsight.chronology.queries import events_of, family_person_ids
from kinsight.feeds.models import Agency
from kinsight.people.models import Person
from kinsight.people.search import find_people
from kinsight.reviews.models import CommissionedReview
from kinsight.reviews.pack import PackError
from kinsight.rules.actions import AlertActionError
from kinsight.rules.models import Alert
from kinsight.web import alerts as alert_pages
from kinsight.web import chronology as chron
from kinsight.web import person as person_pages
from kinsight.web import reviews as review_pages
from kinsight.web.forms import (
    BreakGlassForm,
    ChronologyFilter,
    ReviewPackForm,
    SearchForm,
    ThemesForm,
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "web/home.html",
        {
            "agencies": Agency.objects.count(),
            "persons": Person.objects.filter(merged_into__isnull=True).count(),
            "events": Event.objects.count(),
            "allocated": list(
                Allocation.objects.filter(ended_at__isnull=True)
                .filter(Q(lead=user) | Q(team__members=user))
                .select_related("team", "child")
                .distinct()
                .order_by("child_id")
            ),
            "reviews": list(
                CommissionedReview.objects.filter(reviewer=user, closed_at__isnull=True)
                .select_related("child")
                .order_by("commissioned_at")
            ),
            "may_break_glass": user.role in PRACTITIONERS,
            "is_auditor": user.role == Role.AUDITOR,
        },
    )


@login_required
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid() and not form.criteria().empty:
        criteria = form.criteria()
        found = find_people(criteria)
        visible = visible_among(_user(request), [f.person_id for f in found])
        results = [f for f in found if f.person_id in visible]
        audit_read(
            _user(request), "search", "person", "",
            {"criteria": criteria.as_audit(), "found": [f.public_id for f in results]},
        )  # fmt: skip
    elif form.is_bound and form.is_valid():
        form.add_error(None, "Enter a name, a date of birth, an NHS number or an agency's id")
    return render(request, "web/search.html", {"form": form, "results": results})


@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = person_for(_user(request), person_id, read="person")
    records = person_pages.records_of(subject)
    events = screen(_user(request), person_pages.status_events(subject))
    family, pairs = person_pages.family(subject)
    visible = visible_among(_user(request), [m.person_id for m in family])
    for member in family:
        member.visible = member.person_id in visible
    name = person_pages.display_name(records)
    return render(
        request,
        "web/person.html",
        {
            "person": subject,
            "name": name,
            "records": [(r, person_pages.link_reason_text(r.link_reason)) for r in records],
            "status": person_pages.current_status(events),
            "clock": person_pages.statutory_clock(events),
            "alerts": person_pages.open_alerts([subject.pk]),
            "opened_by_break_glass": person_pages.opened_by_break_glass(_user(request), subject),
            "family": family,
            "diagram": person_pages.family_diagram(
                subject,
                name,
                max((r.birth_date for r in records), key=len, default=""),
                family,
                pairs,
            ),
        },
    )


@login_required
def chronology(request: HttpRequest, person_id: int) -> HttpResponse:
    family = request.GET.get("family") == "1"
    as_csv = request.GET.get("format") == "csv"
    read = "export" if as_csv else "family_chronology" if family else "chronology"
    subject = person_for(_user(request), person_id, read=read)
    person_ids = family_person_ids(subject) if family else [subject.pk]
    events = screen(_user(request), events_of(person_ids))
    form = ChronologyFilter(
        request.GET,
        agencies=sorted({e.agency.code for e in events}),
        types=sorted({e.type for e in events}),
    )
    filters = chron.Filters()
    if form.is_valid():
        data = form.cleaned_data
        filters = chron.Filters(data["agency"], data["type"], data["since"], data["until"])
    shown = chron.apply(events, filters)
    if as_csv:
        response = HttpResponse(chron.as_csv(shown), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="chronology-{subject}.csv"'
        return response
    page = Paginator(shown, chron.PAGE_SIZE).get_page(request.GET.get("page"))
    records = person_pages.records_of(subject)
    return render(
        request,
        "web/chronology.html",
        {
            "person": subject,
            "name": person_pages.display_name(records),
            "family": family,
            "form": form,
            "total": len(events),
            "shown": len(shown),
            "page": page,
            "rows": [
                (e, chron.highlighted(e), chron.delay_text(e), chron.subjects_text(e)) for e in page
            ],
            "timeline": chron.timeline(shown, person_pages.open_alerts(person_ids)),
            "query": _query_without_page(request),
        },
    )


@login_required
def who_knew(request: HttpRequest, person_id: int) -> HttpResponse:
    subject = person_for(_user(request), person_id, read="who_knew")
    events = screen(_user(request), events_of(family_person_ids(subject)))
    form = ChronologyFilter(request.GET, agencies=[], types=[])
    filters = chron.Filters()
    if form.is_valid():
        filters = chron.Filters(since=form.cleaned_data["since"], until=form.cleaned_data["until"])
    agencies, rows = chron.who_knew(chron.apply(events, filters))
    records = person_pages.records_of(subject)
    return render(
        request,
        "web/who_knew.html",
        {
            "person": subject,
            "name": person_pages.display_name(records),
            "form": form,
            "agencies": agencies,
            "rows": rows,
        },
    )


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    show_closed = request.GET.get("closed") == "1"
    return render(
        request,
        "web/alerts.html",
        {
            "alerts": alert_pages.inbox(_user(request), show_closed=show_closed),
            "show_closed": show_closed,
        },
    )


@login_required
def alert(request: HttpRequest, alert_id: int) -> HttpResponse:
    found = alert_for(_user(request), alert_id)
    return render(request, "web/alert.html", _alert_context(request, found))


@login_required
@require_POST
def alert_step(request: HttpRequest, alert_id: int, step: str) -> HttpResponse:
    """Acknowledge, record an action on, or close an alert; the action audits itself."""
    if step not in alert_pages.STEPS:
        raise Http404("No such step")
    found = alert_for(_user(request), alert_id, acting=True)
    spec = alert_pages.STEPS[step]
    form = spec.form(request.POST)
    if form.is_valid():
        try:
            spec.do(found, _user(request).username, form.cleaned_data[spec.field])
        except AlertActionError as error:
            form.add_error(None, str(error))
        else:
            return redirect("alert", alert_id=found.pk)
    context = _alert_context(request, found, failed=step, form=form)
    return render(request, "web/alert.html", context, status=400)


@login_required
def reviews(request: HttpRequest) -> HttpResponse:
    return render(
        request, "web/reviews.html", {"reviews": review_pages.open_reviews(_user(request))}
    )


@login_required
def review(request: HttpRequest, review_id: int) -> HttpResponseBase:
    """A commissioned review: its period and child, and the form that makes and downloads the
    pack. Making the pack is an export of the child's records, audited by the action."""
    found = review_pages.review_of(_user(request), review_id)
    making = request.method == "POST"
    child = person_for(_user(request), found.child_id, read="export" if making else "person")
    form = ReviewPackForm(request.POST if making else None)
    if making and form.is_valid():
        data = form.cleaned_data
        try:
            made = review_pages.make_pack(
                found, child, _user(request), fmt=data["format"],
                anonymise=data["anonymise"] == "yes", reason=data["reason"],
            )  # fmt: skip
        except PackError as error:
            form.add_error(None, str(error))
        else:
            response = FileResponse(
                made.handle, as_attachment=True, filename=made.filename,
                content_type=made.content_type,
            )  # fmt: skip
            response["Cache-Control"] = "no-store"
            return response
    records = person_pages.records_of(child)
    return render(
        request,
        "web/review.html",
        {
            "review": found,
            "child": child,
            "name": person_pages.display_name(records),
            "form": form,
            "keys_dir": review_pages.keys_location(),
        },
        status=400 if making else 200,
    )


@login_required
def review_themes(request: HttpRequest) -> HttpResponse:
    if not review_pages.may_see_themes(_user(request)):
        raise PermissionDenied("Themes across reviews are for reviewers and managers")
    form = ThemesForm(request.GET or None)
    summary = None
    if form.is_bound and form.is_valid():
        summary = review_pages.themes(
            _user(request), form.cleaned_data["since"], form.cleaned_data["until"]
        )
    return render(
        request,
        "web/review_themes.html",
        {"form": form, "summary": summary},
    )


def _alert_context(
    request: HttpRequest, found: Alert, *, failed: str = "", form: Form | None = None
) -> dict[str, object]:
    events = screen(_user(request), alert_pages.evidence_events(found))
    return {
        "alert": found,
        "rule": alert_pages.rule_info(found.rule),
        "name": person_pages.display_name(person_pages.records_of(found.child)),
        "evidence": [(e, chron.highlighted(e), chron.delay_text(e)) for e in events],
        "history": alert_pages.history(found),
        "may_act": may_act_on_alerts(_user(request)),
        "steps": alert_pages.steps_open(found),
        "failed": failed,
        "failed_anchor": {"action": "action-note", "close": "close-reason"}.get(failed, "act"),
        "form": form,
    }


@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    """Open a record outside one's scope by stating why: a page of its own, never a form on a
    404, which must not tell that a person is held."""
    user = _user(request)
    if user.role not in PRACTITIONERS:
        raise Http404("No such page")
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency, record_id = form.cleaned_data["record"]
        try:
            grant = do_break_glass(user, agency, record_id, reason=form.cleaned_data["reason"])
        except BreakGlassRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect("person", person_id=grant.person_id)
    live = BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())
    return render(
        request,
        "web/break_glass.html",
        {"form": form, "live": list(live.order_by("-granted_at")), "minutes": _glass_minutes()},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def break_glass_uses(request: HttpRequest) -> HttpResponse:
    """For auditors: every break-glass request, granted or refused, newest first."""
    if _user(request).role != Role.AUDITOR:
        raise Http404("No such page")
    uses = AuditEntry.objects.filter(action="break_glass").order_by("-at", "-pk")[:1000]
    return render(request, "web/break_glass_uses.html", {"uses": list(uses)})


@login_required
def audit_who_looked(request: HttpRequest) -> HttpResponse:
    """For auditors: who looked at a person, and what they did, newest first."""
    user = _user(request)
    if user.role != Role.AUDITOR:
        raise Http404("No such page")
    asked = request.GET.get("record", "").strip()[:200]
    person = person_named(asked) if asked else None
    entries = who_looked(person) if person is not None else []
    if asked:
        # The search is itself a look at who looked, and is kept like any other read.
        audit_read(
            user, "search", "person", person.public_id if person else asked,
            {"audit_search": True, "asked": asked, "found": person is not None},
        )  # fmt: skip
    return render(
        request,
        "web/audit_who_looked.html",
        {"asked": asked, "person": person, "entries": entries},
    )


def _glass_minutes() -> int:
    from django.conf import settings

    return int(settings.KINSIGHT_BREAK_GLASS_MINUTES)


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
