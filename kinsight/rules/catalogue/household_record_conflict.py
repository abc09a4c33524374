from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.gaps import (
    RecordVersionAt,
    child_record_history,
    day,
    never_a_child,
    record_history,
    records_at,
    when,
)
from kinsight.rules.household import address_key
from kinsight.rules.registry import Draft, Rule


class HouseholdRecordConflict(Rule):
    """Within 30 days, two agencies recorded different addresses, or different household
    members, for the child.

    Raised when one agency's record of the child gives an address that differs (by postcode and
    first line) from the address another agency's record gave in the 30 days before; and when
    one agency records that an adult left the child's household (`household_change` `left`)
    while another records that adult at the child's address within 30 days.
    """

    id = "household_record_conflict"
    title = "Agencies disagree about where or with whom the child lives"
    severity = "warning"
    guidance = (
        "Child Safeguarding Practice Review Panel, 'Child Protection in England' (2022): the "
        "child's story held by multiple people in multiple places; NSPCC, 'Hidden men' (2015)"
    )
    consider = (
        "Consider which record reflects where the child is living and who is in the home now, "
        "and whether the agencies involved know of the difference."
    )
    defaults = {"within_days": 30}

    def evaluate(self, child: ChildContext) -> Iterable[Draft]:
        window = timedelta(days=int(self.setting("within_days")))
        if never_a_child(child):
            return
        departures = [
            f for f in child.facts
            if f.type == "household_change" and f.details.get("change") == "left"
        ]  # fmt: skip
        if len({agency for agency, _ in child.records}) < 2 and not departures:
            return  # one agency's record alone cannot disagree with another's
        history = child_record_history(child)
        yield from self._addresses(child, history, window)
        yield from self._members(child, history, window)

    def _addresses(
        self, child: ChildContext, history: list[RecordVersionAt], window: timedelta
    ) -> Iterable[Draft]:
        raised: set[tuple[tuple[str, ...], ...]] = set()
        for later in history:
            moment, key = later.recorded_at, address_key(later.postcode, later.address_text)
            if moment is None or key is None or not child.is_child_at(moment):
                continue
            for record, earlier in records_at(history, moment).items():
                other = address_key(earlier.postcode, earlier.address_text)
                if record[0] == later.record[0] or earlier.recorded_at is None or other is None:
                    continue
                if other == key or moment - earlier.recorded_at > window:
                    continue
                # One alert for two addresses, however many agencies hold each of them.
                pair = tuple(sorted([other, key]))
                if pair in raised:
                    continue
                raised.add(pair)
                yield self.draft(
                    raised_at=moment,
                    episode="address:" + "|".join(":".join(part) for part in pair),
                    evidence=self._latest(child, moment, {record[0], later.record[0]}),
                    what=(
                        f"{earlier.record[0]} recorded the child at {earlier.address_text} "
                        f"({earlier.postcode}) on {day(earlier.recorded_at)}; "
                        f"{later.record[0]} recorded the child at {later.address_text} "
                        f"({later.postcode}) on {day(moment)}."
                    ),
                )

    def _members(
        self, child: ChildContext, history: list[RecordVersionAt], window: timedelta
    ) -> Iterable[Draft]:
        for left in child.facts:
            if left.type != "household_change" or left.details.get("change") != "left":
                continue
            if not child.is_child_at(left.recorded_at):
                continue
            movers = [
                f.person
                for f in child.household_facts
                if f.key == left.key and f.role == "subject" and f.person is not None
            ]
            for person in movers:
                member = child.member(person)
                if member is None:
                    continue
                for version in record_history(member.records):
                    seen_at = version.recorded_at
                    if seen_at is None or version.record[0] == left.key[0]:
                        continue
                    if abs(seen_at - left.recorded_at) > window:
                        continue
                    homes = {
                        address_key(v.postcode, v.address_text)
                        for v in records_at(history, seen_at).values()
                    } - {None}
                    if address_key(version.postcode, version.address_text) not in homes:
                        continue
                    moment = max(seen_at, left.recorded_at)
                    yield self.draft(
                        raised_at=moment,
                        episode=f"member:{person}:{left.key[0]}:{left.key[1]}",
                        evidence=[left],
                        what=(
                            f"{left.key[0]} recorded that an adult left the child's household "
                            f"({left.key[1]}, {when(left.recorded_at)}); {version.record[0]} "
                            f"recorded the same adult at the child's address on {day(seen_at)}."
                        ),
                    )
                    break

    @staticmethod
    def _latest(child: ChildContext, moment: datetime, agencies: set[str]) -> list[Fact]:
        latest: dict[str, Fact] = {}
        for fact in child.known(child.facts, by=moment):
            if fact.key[0] in agencies:
                latest[fact.key[0]] = fact
        return [latest[code] for code in sorted(latest)]
