"""The access checks: one per object type, each answering 404 for missing and forbidden alike.

Need-to-know (issue 7; docs/access.md). A practitioner (social worker, team manager, health,
police, education) sees a person when

- their agency holds a record of the person, or of a member of the person's family: the same
  two steps through recorded relationships as the family chronology
  (`chronology.queries.family_person_ids`), which reach parents, partners, siblings and
  half-siblings in other households; or
- the person, or a member of their family as that same rule reaches, is allocated (an open
  `Allocation`) to the user as lead professional or to a team the user belongs to; or
- the user holds a live break-glass grant for that person (`actions.do_break_glass`): the person
  alone, for `KINSIGHT_BREAK_GLASS_MINUTES`, every read under it marked in the audit trail.

A reviewer sees only the children of the reviews commissioned from them while those reviews are
open, and those children's families as the same two-step rule reaches; not their agency's
records. Administrators manage accounts and auditors read the audit trail: neither sees any
person's records. A user with no agency, no allocation and no grant sees nobody. Anything a
user may not see answers 404, exactly as if it were not held.

What a visible person's chronology shows is narrowed further by the sensitive categories of
`kinsight.access.sensitive` (one rule table, by agency sector, event type and role).

Every read of a person, a chronology or an alert goes through `person_for` or `alert_for`, which
write the audit entry of the read; a refused read is audited too, so that probing is visible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from kinsight.access.models import Allocation, BreakGlass, Role, User
from kinsight.audit.models import record_audit
from kinsight.people.models import Person, PersonRecord, Relationship
from kinsight.reviews.models import CommissionedReview
from kinsight.rules.models import Alert

# The roles that hold cases: they see by agency, allocation and break-glass, and act on alerts.
PRACTITIONERS = frozenset({
    Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEALTH, Role.POLICE, Role.EDUCATION,
})  # fmt: skip
# Reviewers, auditors and administrators read; only practitioners act on an alert.
ACTS_ON_ALERTS = PRACTITIONERS
# The kinds of read that are audited; each names what was looked at.
READS = {"person", "chronology", "family_chronology", "who_knew", "alert", "export", "links"}


@dataclass
class Scope:
    """Which of some persons a user sees, and which of those only through break-glass."""

    visible: set[int] = field(default_factory=set)
    # person id -> the grant, for persons seen through break-glass and nothing else
    break_glass: dict[int, int] = field(default_factory=dict)


def visible_among(user: User, person_ids: Iterable[int]) -> set[int]:
    """Those of `person_ids` the user may see, in at most five queries whatever their number."""
    return scope_among(user, person_ids).visible


def scope_among(user: User, person_ids: Iterable[int]) -> Scope:
    wanted = set(person_ids)
    role = getattr(user, "role", None)
    if not wanted or not getattr(user, "is_authenticated", False):
        return Scope()
    agency = ""
    grants: dict[int, int] = {}
    if role == Role.REVIEWER:
        open_reviews = CommissionedReview.objects.filter(reviewer=user, closed_at__isnull=True)
        anchors = _ids_and_merged(open_reviews.values_list("child_id", "child__merged_into_id"))
    elif role in PRACTITIONERS:
        agency = user.agency_code
        anchors = _ids_and_merged(
            Allocation.objects.filter(ended_at__isnull=True)
            .filter(Q(lead=user) | Q(team__members=user))
            .values_list("child_id", "child__merged_into_id")
        )
        # A user holds few live grants at a time: all of them, not a list of the wanted.
        live = BreakGlass.objects.filter(user=user, expires_at__gt=timezone.now())
        grants = dict(live.order_by("expires_at").values_list("person_id", "pk"))
    else:
        return Scope()
    visible = _reached(wanted, anchors, agency) if (anchors or agency) else set()
    by_glass = {p: g for p, g in grants.items() if p in wanted and p not in visible}
    return Scope(visible | set(by_glass), by_glass)


def _ids_and_merged(rows: Iterable[tuple[int, int | None]]) -> set[int]:
    """Persons named by allocations or reviews, and those they were since merged into."""
    return {pk for pair in rows for pk in pair if pk is not None}


def _reached(wanted: set[int], anchors: set[int], agency: str) -> set[int]:
    """Those of `wanted` whose family (two steps) holds an anchor or a record of the agency."""
    neighbours = _neighbours(wanted)
    step_one = set().union(*(neighbours[p] for p in wanted)) - wanted
    for p, relatives in _neighbours(step_one).items():
        neighbours[p] |= relatives
    family = {p: _two_steps(p, neighbours) for p in wanted}
    everyone = set().union(*family.values())
    known = anchors & everyone
    if agency:
        for chunk in _chunks(everyone):
            known.update(
                PersonRecord.objects.filter(agency__code=agency, person_id__in=chunk).values_list(
                    "person_id", flat=True
                )
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
    scope = scope_among(user, [person.pk]) if person is not None else Scope()
    if person is None or person.pk not in scope.visible:
        audit_read(user, read, "person", str(person_id), {"refused": True})
        raise Http404("No such person")
    audit_read(user, read, "person", person.public_id, _glass(scope, person.pk))
    return person


def _glass(scope: Scope, person_id: int) -> dict[str, Any]:
    """The audit detail marking a read made under a break-glass grant."""
    grant = scope.break_glass.get(person_id)
    return {"break_glass": grant} if grant is not None else {}


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
    scope = scope_among(user, [alert.child_id]) if alert is not None else Scope()
    if alert is None or alert.child_id not in scope.visible:
        audit_read(user, "alert", "alert", str(alert_id), {"refused": True})
        raise Http404("No such alert")
    if acting:
        if not may_act_on_alerts(user):
            raise PermissionDenied("Your role reads alerts; practitioners act on them")
        return alert
    audit_read(
        user, "alert", "alert", str(alert.pk),
        {"child": alert.child.public_id, **_glass(scope, alert.child_id)},
    )  # fmt: skip
    return alert


def _person_pk(person_id: int | str) -> int | None:
    text = str(person_id).removeprefix("p-")
    return int(text) if text.isdigit() else None
