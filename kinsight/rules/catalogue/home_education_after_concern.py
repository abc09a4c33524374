from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from kinsight.lib.workdays import add_months
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import Enquiry, Plan, about_child, enquiries
from kinsight.rules.gaps import all_plans, day
from kinsight.rules.registry import Draft, Rule


class HomeEducationAfterConcern(Rule):
    """A child was withdrawn to elective home education within six months of a referral, an
    enquiry or a plan.

    Raised by an `education_change` to `elective_home_education` when, by then, a referral about
    the child had been recorded in the six months before, or a section 47 enquiry or a plan was
    open at some time in those six months.
    """

    id = "home_education_after_concern"
    title = "Withdrawn to home education after a safeguarding concern"
    severity = "warning"
    guidance = (
        "Department for Education, 'Elective home education: guidance for local authorities' "
        "(2019 and 2024); Child Safeguarding Practice Review Panel annual report 2020: children "
        "who became invisible to services after leaving school"
    )
    consider = (
        "Consider who still sees the child, and whether the professionals working with the "
        "family know that the child is no longer at school."
    )
    defaults = {"within_months": 6}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        months = int(self.setting("within_months"))
        for change in child.facts:
            if change.type != "education_change":
                continue
            if change.details.get("change") != "elective_home_education":
                continue
            if not about_child(change) or not child.is_child_at(change.occurred_at):
                continue
            since = add_months(change.occurred_at, -months)
            # The concern may be recorded after the withdrawal was: the alert waits for both.
            moments = sorted(
                {change.recorded_at}
                | {f.recorded_at for f in child.facts if f.recorded_at > change.recorded_at}
            )
            for moment in moments:
                concerns = self._concerns(
                    [f for f in child.known(child.facts, by=moment) if about_child(f)],
                    moment,
                    since,
                    change,
                )
                if concerns:
                    named = ", ".join(
                        f"{f.type.replace('_', ' ')} {f.key[1]} ({day(f.occurred_at)})"
                        for f in concerns
                    )
                    yield self.draft(
                        raised_at=moment,
                        episode=f"event:{change.key[0]}:{change.key[1]}",
                        evidence=[*concerns, change],
                        what=(
                            f"{change.key[0]} recorded on {day(change.recorded_at)} that the "
                            f"child was withdrawn to elective home education on "
                            f"{day(change.occurred_at)}, within {months} months of: {named}."
                        ),
                    )
                    break

    @staticmethod
    def _concerns(known: list[Fact], by: datetime, since: datetime, change: Fact) -> list[Fact]:
        until = change.occurred_at
        found = [f for f in known if f.type == "referral" and since <= f.occurred_at <= until]
        spans: list[Enquiry | Plan] = [*enquiries(known, by), *all_plans(known, by)]
        for span in spans:
            started_before = span.start.occurred_at <= until
            still_open = span.end is None or span.end.occurred_at >= since
            if started_before and still_open and span.start not in found:
                found.append(span.start)
        return sorted(found, key=lambda f: f.occurred_at)
