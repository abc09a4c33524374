"""The access checks: one per object type, each answering 404 for missing and forbidden alike.

Need-to-know (issue 7, item 1): a user sees a person when

- the user is an administrator or a reviewer, or
- the user's agency holds a record of the person, or of a member of the person's family: the
  same two steps through recorded relationships as the family chronology
  (`chronology.queries.family_person_ids`), which reach parents, partners, siblings and
  half-siblings in other households.

Reviewers see everyone for now: commissioned reviews (a reviewer sees the children of the reviews
commissioned from them) are data that arrive with issue 7, as do allocations to a lead
professional or team, sensitive categories and break-glass. Everyone else, including a user with
no agency, sees nobody.

Every read of a person, a chronology or an alert goes through `person_for` or `alert_for`, which
write the audit entry of the read; a refused read is audited too, so that probing is visible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kinsight.access.models import Role, User
from kinsight.audit.models import record_audit
from kinsight.people.models import Person, PersonRecord, Relationship
from kinsight.rules.models import Alert

SEES_EVERYONE = {Role.ADMIN, Role.REVIEWER}
# Reviewers, auditors and administrators read; only practitioners act on an alert.
ACTS_ON_ALERTS = {
    Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEALTH, Role.POLICE, Role.EDUCATION,
}  # fmt: skip
# The kinds of read that are audited; each names what was looked at.
READS = {"person", "chronology", "family_chronology", "who_knew", "alert", "export", "links"}


def sees_everyone(user: User) -> bool:
    return user.role in SEES_EVERYONE


def visible_among(user: User, person_ids: Iterable[int]) -> set[int]:
    """Those of `person_ids` the user may see, in three queries whatever their number."""
    wanted = set(person_ids)
    if not wanted:
        return set()
    if sees_everyone(user):
        return wanted
    if not user.agency_code:
        return set()
    neighbours = _neighbours(wanted)
    step_one = set().union(*(neighbours[p] for p in wanted)) - wanted
    for p, relatives in _neighbours(step_one).items():
        neighbours[p] |= relatives
    family = {p: _two_steps(p, neighbours) for p in wanted}
    everyone = set().union(*family.values())
    known: set[int] = set()
    for chunk in _chunks(everyone):
        known.update(
            PersonRecord.objects.filter(
                agency__code=user.agency_code, person_id__in=chunk
            ).values_list("person_id", flat=True)
        )
    return {p for p, members in family.items() if members & known}


def _neighbours(person_ids: set[int]) -> defaultdict[int, set[int]]:
    """Each person's relatives one recorded relationship away, in either direction."""
    graph: defaultdict[int, set[int]] = defaultdict(set)
    if not person_ids:
        return graph
    for chunk in _chunks(person_ids):
        rows = Relationship.objects.filter(
            Q(person_record__person_id__in=chunk) | Q(relative_record__person_id__in=chunk)
        ).values_list("person_record__person_id", "relative_record__person_id")
        for a, b in rows:
            if a is not None and b is not None and a != b:
                graph[a].add(b)
                graph[b].add(a)
    return graph


def _chunks(ids: set[int], size: int = 5000) -> list[list[int]]:
    """Lists of at most `size` ids: a store's limit on query parameters is never reached."""
    ordered = sorted(ids)
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _two_steps(person_id: int, graph: defaultdict[int, set[int]]) -> set[int]:
    step_one = graph.get(person_id, set())
    step_two: set[int] = set().union(*(graph.get(p, set()) for p in step_one))
    return {person_id} | step_one | step_two


def audit_read(
    user: User, read: str, object_type: str, object_id: str, detail: dict[str, Any] | None = None
) -> None:
    """The one place a read is audited: who looked, at what, and as which kind of read."""
    if read not in READS and read != "search":
        raise ValueError(f"read: expected one of {', '.join(sorted(READS))}, got {read!r}")
    record_audit(
        actor=user.username,
        action=f"read_{read}",
        object_type=object_type,
        object_id=clean_text(object_id)[:256],
        detail=_cleaned({"role": user.role, "agency": user.agency_code, **(detail or {})}),
    )


def clean_text(value: str) -> str:
    """Text as a store can keep it: no NUL characters and no lone surrogates.

    What a caller typed is audited as typed, but PostgreSQL refuses both in text and JSON.
    """
    return value.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")


def _cleaned(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): _cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    return value


def person_for(user: User, person_id: int | str, *, read: str) -> Person:
    """The person, if the user may see them; otherwise 404, exactly as for a person not held.

    `person_id` is the number or the public id (`p-12`). A person merged into another is
    answered with the one they were merged into. `read` says what is being read (`person`,
    `chronology`, ...) and is written to the audit trail.
    """
    pk = _person_pk(person_id)
    person = Person.objects.filter(pk=pk).first() if pk is not None else None
    hops = 0
    while person is not None and person.merged_into_id is not None and hops < 10:
        person = Person.objects.filter(pk=person.merged_into_id).first()
        hops += 1
    if person is None or not visible_among(user, [person.pk]):
        audit_read(user, read, "person", str(person_id), {"refused": True})
        raise Http404("No such person")
    audit_read(user, read, "person", person.public_id)
    return person


def may_act_on_alerts(user: User) -> bool:
    return user.role in ACTS_ON_ALERTS


def alert_for(user: User, alert_id: int | str, *, acting: bool = False) -> Alert:
    """The alert, if the user may see its child; otherwise 404, as for an alert not held.

    An alert whose moment has not come (a deadline stored ahead of time) is not held yet. With
    `acting`, the read is not audited: the action that follows writes its own audit entry; a
    user who may see the alert but not act on it gets PermissionDenied (403).
    """
    pk = int(alert_id) if str(alert_id).isdigit() else None
    alert = (
        Alert.objects.select_related("child").filter(pk=pk, raised_at__lte=timezone.now()).first()
        if pk
        else None
    )
    if alert is None or not visible_among(user, [alert.child_id]):
        audit_read(user, "alert", "alert", str(alert_id), {"refused": True})
        raise Http404("No such alert")
    if acting:
        if not may_act_on_alerts(user):
            raise PermissionDenied("Your role reads alerts; practitioners act on them")
        return alert
    audit_read(user, "alert", "alert", str(alert.pk), {"child": alert.child.public_id})
    return alert


def _person_pk(person_id: int | str) -> int | None:
    text = str(person_id).removeprefix("p-")
    return int(text) if text.isdigit() else None
