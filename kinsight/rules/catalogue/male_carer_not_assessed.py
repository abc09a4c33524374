from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.moments import UK
from kinsight.lib.workdays import add_months, add_working_days
from kinsight.rules.context import ChildContext, Fact, Member
from kinsight.rules.episodes import assessments, plans
from kinsight.rules.household import CARER_RELATIONS, HOUSEHOLD_MEMBER
from kinsight.rules.patterns import PLAN_WORDS, case_facts, day
from kinsight.rules.registry import Draft, Rule

MALE_CARER_RELATIONS = CARER_RELATIONS | {HOUSEHOLD_MEMBER}


class MaleCarerNotAssessed(Rule):
    """A baby under one, or an unborn child, has an assessment or plan open, and a father or
    male carer recorded in the household has not been seen or checked within ten working days.

    Seen or checked means any agency recorded an event in which he is a subject, from the day
    the assessment or plan started. A man first recorded later has ten working days from then.
    Raised when the ten working days pass; once for each man while the child is a baby.
    """

    id = "male_carer_not_assessed"
    title = "Father or male carer not seen or checked"
    severity = "warning"
    guidance = (
        "Child Safeguarding Practice Review Panel, 'The Myth of Invisible Men' (2021) and annual "
        "report 2023/24; London Child Protection Procedures (both prospective parents assessed "
        "directly)"
    )
    consider = (
        "Consider who he is, what other agencies know about him, and how he will be seen and "
        "included in the assessment, rather than through the mother's account."
    )
    defaults = {"within_working_days": 10, "under_months": 12}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        days = int(self.setting("within_working_days"))
        raised: dict[int, datetime] = {}
        for anchor, words in self._anchors(child):
            start = anchor.recorded_at
            if not self._baby(child, anchor.occurred_at):
                continue
            for man in self._men(child):
                known = min(link.known_at for link in man.links
                            if link.relation in MALE_CARER_RELATIONS)  # fmt: skip
                due = add_working_days(max(start, known), days)
                if known > add_working_days(start, days) or due > child.as_of:
                    continue
                if man.person_id in raised and start < add_months(raised[man.person_id], 12):
                    continue
                if self._seen(man, anchor, due):
                    continue
                raised[man.person_id] = start
                relation = sorted(
                    link.relation.replace("_", " ") for link in man.links
                    if link.relation in MALE_CARER_RELATIONS
                )[0]  # fmt: skip
                draft = self.draft(
                    raised_at=due,
                    episode=f"{anchor.key[0]}:{anchor.key[1]}:p{man.person_id}",
                    evidence=[anchor],
                    what=(
                        f"The child's {relation} ({_record(man)}) is recorded, and no agency "
                        f"recorded an event in which he is a subject between the start of the "
                        f"{words} on {day(anchor.occurred_at)} ({anchor.key[0]}) and "
                        f"{day(due)}, {days} working days later."
                    ),
                )
                draft.adults = [man.person_id]
                yield draft

    @staticmethod
    def _anchors(child: ChildContext) -> list[tuple[Fact, str]]:
        facts = case_facts(child)
        found = [
            (a.start, f"{a.kind.replace('_', ' ')} assessment")
            for a in assessments(facts, child.as_of)
        ]
        for kind, words in PLAN_WORDS.items():
            found += [(p.start, words) for p in plans(facts, child.as_of, kind)]
        return sorted(found, key=lambda item: (item[0].recorded_at, item[0].key))

    def _baby(self, child: ChildContext, moment: datetime) -> bool:
        if child.is_unborn_at(moment):
            return True
        if child.birth_date is None:
            return False
        born = datetime.combine(child.birth_date, datetime.min.time(), tzinfo=UK)
        return moment < add_months(born, int(self.setting("under_months")))

    @staticmethod
    def _men(child: ChildContext) -> list[Member]:
        return [
            m for m in child.household
            if m.is_male and any(link.relation in MALE_CARER_RELATIONS for link in m.links)
            and (m.birth_date is None or m.is_adult_at(child.as_of))
        ]  # fmt: skip

    @staticmethod
    def _seen(man: Member, anchor: Fact, due: datetime) -> bool:
        since = anchor.occurred_at.astimezone(UK).date()
        return any(
            f.occurred_at.astimezone(UK).date() >= since
            and f.recorded_at <= due
            and (f.retracted_at is None or f.retracted_at > due)
            for f in man.facts
        )


def _record(member: Member) -> str:
    return ", ".join(f"{agency} {record}" for agency, record in member.records[:2]) or "no record"
