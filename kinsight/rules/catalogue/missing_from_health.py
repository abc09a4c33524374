from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from kinsight.lib.moments import UK, format_moment
from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import about_child, health_contact
from kinsight.rules.injuries import age_words, recorded, under_months
from kinsight.rules.registry import Draft, Rule

# Records a health agency makes without seeing the child: they are not health contacts.
NOT_CONTACTS = {
    "information_shared", "referral", "strategy_discussion", "child_protection_conference",
    "core_group", "decision", "case_closed", "gp_registration", "allegation", "toxicology",
}  # fmt: skip


def is_contact(fact: Fact) -> bool:
    return health_contact(fact) and fact.type not in NOT_CONTACTS


class MissingFromHealth(Rule):
    """A young child known to services has not been seen by a health service for a year, or a
    child known to social care was taken off a GP list.

    Raised for a child under 5, known to any agency, when 12 months pass with no health contact
    (an event recorded by a health agency in which the child was seen), counted from the last
    health contact's `recorded_at`, or from the birth when there was none; it is raised when the
    12 months pass, or when the child first becomes known if that is later. Also raised when a
    `gp_registration` records the child `deregistered` while the child is known to social care.
    """

    id = "missing_from_health"
    title = "Young child missing from health services"
    severity = "warning"
    guidance = (
        "Healthy Child Programme (health visiting reviews at birth, 6-8 weeks, 1 year and 2 "
        "years); Child Safeguarding Practice Review Panel annual reports (children unseen by "
        "universal services); NHS England safeguarding guidance on children removed from GP "
        "lists"
    )
    consider = (
        "Consider asking the GP and health visitor when the child was last seen, whether the "
        "child is registered with a practice, and arranging a health contact."
    )
    defaults = {"months_without_contact": 12, "under_months": 60}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        yield from self._no_contact(child)
        yield from self._deregistered(child)

    def _no_contact(self, child: ChildContext) -> Iterable[Draft]:
        if child.birth_date is None or not child.facts:
            return
        first_known = min(f.recorded_at for f in child.facts)
        contacts = sorted(
            (f for f in child.facts if is_contact(f)), key=lambda f: (f.recorded_at, f.key)
        )
        born = datetime.combine(child.birth_date, time(0), tzinfo=UK)
        anchors: list[tuple[datetime, Fact | None]] = [(born, None)]
        anchors += [(f.recorded_at, f) for f in contacts]
        months = int(self.setting("months_without_contact"))
        for index, (start, contact) in enumerate(anchors):
            due = add_months(start, months)
            following = anchors[index + 1][0] if index + 1 < len(anchors) else None
            if following is not None and following <= due:
                continue
            raised = max(due, first_known)
            if raised > child.as_of or (following is not None and following <= raised):
                continue
            if not under_months(child, raised, int(self.setting("under_months"))):
                continue
            since = (
                f"the last health contact, {recorded(contact)}"
                if contact is not None
                else f"the birth on {child.birth_date.isoformat()}, with no health contact since"
            )
            evidence = [contact] if contact is not None else []
            yield self.draft(
                raised_at=raised,
                episode=f"no_health_contact:{contact.key[1] if contact else 'birth'}",
                evidence=evidence,
                what=f"By {format_moment(raised)} no health agency had recorded seeing "
                f"{age_words(child, raised)} for {months} months since {since}.",
            )

    def _deregistered(self, child: ChildContext) -> Iterable[Draft]:
        for fact in child.facts:
            if not (
                fact.type == "gp_registration"
                and fact.details.get("status") == "deregistered"
                and about_child(fact)
                and child.is_child_at(fact.occurred_at)
            ):
                continue
            social_care = [
                f
                for f in child.facts
                if f.agency_sector == "social_care" and f.recorded_at <= fact.recorded_at
            ]
            if not social_care:
                continue
            practice = fact.details.get("practice")
            of = f" from {practice}" if practice else ""
            yield self.draft(
                raised_at=fact.recorded_at,
                episode=f"event:{fact.key[0]}:{fact.key[1]}",
                evidence=[fact],
                what=f"{recorded(fact)} recorded that {age_words(child, fact.occurred_at)} known "
                f"to social care (since {social_care[0].key[1]}) was taken off the GP "
                f"list{of}.",
            )
