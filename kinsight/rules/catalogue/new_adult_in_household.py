from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kinsight.lib.moments import UK
from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact, Member
from kinsight.rules.household import CARER_RELATIONS, PARTNER_OF_PARENT, Link
from kinsight.rules.patterns import PLAN_WORDS, case_facts, day, present, sightings
from kinsight.rules.registry import Draft, Rule

# Someone who already was the child's parent or carer does not "join" the household.
_ALREADY = CARER_RELATIONS - {PARTNER_OF_PARENT}


class NewAdultInHousehold(Rule):
    """An adult joins the household of a child under 5, an unborn child, or a child on a plan.

    Raised when a `household_change` records an adult joining, when a partner of the child's
    parent is first recorded after the household was already known (or with a relationship
    that started in the six months before it was recorded), or when a note records a new
    partner or another adult living at or staying in the home.
    """

    id = "new_adult_in_household"
    title = "New adult in the household"
    severity = "warning"
    guidance = (
        "Child Safeguarding Practice Review Panel, 'The Myth of Invisible Men' (2021); NSPCC, "
        "'Hidden men' and 'Unseen men' learning; Child Protection in England (2022)"
    )
    consider = (
        "Consider who the adult is, what children's social care, police, probation and adult "
        "services know of them, and whether they are part of the assessment or plan."
    )
    defaults = {"under_years": 5, "new_partner_months": 6, "same_mention_days": 90}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        triggers = sorted(
            [*self._joined(child), *self._mentioned(child)], key=lambda t: (t[0], t[1])
        )
        mentions: list[datetime] = []
        for moment, episode, evidence, what, adult in triggers:
            if moment > child.as_of:
                break
            why = self._who_is_at_risk(child, moment)
            if why is None:
                continue
            if adult is None:  # a note: one alert for mentions close together
                window = timedelta(days=int(self.setting("same_mention_days")))
                if any(moment - m < window for m in mentions):
                    continue
                mentions.append(moment)
            draft = self.draft(raised_at=moment, episode=episode, evidence=evidence,
                               what=f"{what} The child {why}.")  # fmt: skip
            draft.adults = [adult] if adult is not None else []
            yield draft

    def _joined(
        self, child: ChildContext
    ) -> Iterable[tuple[datetime, str, list[Fact], str, int | None]]:
        # Only a household change's own event is looked up: the index is made for the first.
        facts: dict[tuple[str, str], Fact] = {}
        if any(link.source == "household_change" for m in child.household for link in m.links):
            facts = {f.key: f for f in [*child.facts, *child.household_facts]}
        carers_known = [
            link.known_at for m in child.household for link in m.links if link.relation in _ALREADY
        ]
        household_known = min(carers_known) if carers_known else None
        months = int(self.setting("new_partner_months"))
        for member in child.household:
            for link in member.links:
                if not member.is_adult_at(link.known_at):
                    continue
                earlier = [
                    other for other in member.links
                    if other.known_at < link.known_at or other.relation in _ALREADY
                ]  # fmt: skip
                if earlier:
                    continue
                if link.source == "household_change" and link.evidence in facts:
                    event = facts[link.evidence]
                    yield (
                        link.known_at,
                        f"adult:{member.person_id}",
                        [event],
                        f"{event.key[0]} recorded on {day(event.recorded_at)} that "
                        f"{_name(member)} joined the household on {day(event.occurred_at)}.",
                        member.person_id,
                    )
                elif link.relation == PARTNER_OF_PARENT and _new(link, household_known, months):
                    yield (
                        link.known_at,
                        f"adult:{member.person_id}",
                        [],
                        f"{_name(member)} was first recorded as the partner of the child's "
                        f"parent on {day(link.known_at)}.",
                        member.person_id,
                    )

    def _mentioned(
        self, child: ChildContext
    ) -> Iterable[tuple[datetime, str, list[Fact], str, None]]:
        window = timedelta(days=int(self.setting("same_mention_days")))
        for sighting in sightings(child, keep=_mentions_new_adult):
            fact = sighting.fact
            # A note read only when the child became known (an old note, a new baby) is not
            # news of someone joining.
            if sighting.known_at - fact.recorded_at <= window:
                words = next(f.text for f in fact.findings if f.indicator == "new_adult")
                yield (
                    sighting.known_at,
                    f"event:{fact.key[0]}:{fact.key[1]}",
                    [fact],
                    f"{fact.key[0]} recorded on {day(fact.recorded_at)}: \u201c{words}\u201d.",
                    None,
                )

    def _who_is_at_risk(self, child: ChildContext, moment: datetime) -> str | None:
        if child.is_unborn_at(moment):
            return "is unborn"
        if child.birth_date is not None:
            born = datetime.combine(child.birth_date, datetime.min.time(), tzinfo=UK)
            years = int(self.setting("under_years"))
            if moment < add_months(born, 12 * years):
                return f"is under {years}"
        from kinsight.rules.episodes import open_plan

        for kind, words in PLAN_WORDS.items():
            if open_plan(case_facts(child), moment, kind) is not None:
                return f"is on a {words}"
        return None


def _mentions_new_adult(fact: Fact) -> bool:
    return any(f.indicator == "new_adult" and present(f) for f in fact.findings)


def _new(link: Link, household_known: datetime | None, months: int) -> bool:
    """A partner recorded after the household was known, or whose relationship is recent."""
    if household_known is not None and link.known_at > household_known:
        return True
    if link.start is not None:
        started = datetime.combine(link.start, datetime.min.time(), tzinfo=UK)
        return add_months(started, months) >= link.known_at
    return False


def _name(member: Member) -> str:
    agency, record = member.records[0] if member.records else ("", "")
    return f"an adult ({agency} {record})" if record else "an adult"
