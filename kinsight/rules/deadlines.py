"""What the deadline rules share: saying a moment as a practitioner reads it, and counting back.

A deadline's explanation says how its due moment was computed, e.g. "15 working days after the
strategy discussion recorded on Fri 8 Nov 2019 10:00 is Fri 29 Nov 2019 10:00".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from kinsight.lib.moments import UK
from kinsight.lib.workdays import gestation_week, is_working_day
from kinsight.rules.context import ChildContext, Fact
from kinsight.rules.episodes import birth_moment, follows, known, multiple_pregnancy


def spoken(moment: datetime) -> str:
    """`Fri 8 Nov 2019 10:00`: a moment in UK local time, as a practitioner reads it."""
    local = moment.astimezone(UK)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


def spoken_day(moment: datetime) -> str:
    local = moment.astimezone(UK)
    return f"{local:%a} {local.day} {local:%b %Y}"


def working_days_before(moment: datetime, count: int) -> datetime:
    """The same time of day on the `count`-th working day before the moment's date."""
    local = moment.astimezone(UK)
    day = local.date()
    remaining = count
    while remaining > 0:
        day -= timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=UK)


def add_weeks(moment: datetime, weeks: float) -> datetime:
    """Calendar weeks: the same time of day on the UK clock, across a change to or from BST."""
    return (moment.astimezone(UK) + timedelta(weeks=weeks)).astimezone(UK)


def days(count: int | float, unit: str) -> str:
    """`1 working day`, `15 working days`."""
    count = int(count)
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def response(
    facts: Iterable[Fact], to: Fact, by: datetime, matches: Callable[[Fact], bool]
) -> Fact | None:
    """The first fact known by `by` that follows `to` and `matches`: the response in time."""
    for fact in known(facts, by):
        if matches(fact) and follows(fact, to):
            return fact
    return None


def who(fact: Fact) -> str:
    """`csc-lancs (R-1)`: the agency and record of an event."""
    return f"{fact.key[0]} ({fact.key[1]})"


@dataclass
class PregnancyClock:
    """Gestation weeks for an unborn child, from what was known by a moment."""

    expected: date  # the expected birth date
    source: Fact | None  # the booking that gave it (None: the person record)
    multiple: Fact | None  # what showed a multiple pregnancy, if anything
    born: tuple[datetime, Fact | None] | None  # when the birth became known, and its event

    def week(self, week: float, earlier_for_multiple: float = 0) -> datetime:
        """Gestation week `week`, or `earlier_for_multiple` weeks earlier for a multiple
        pregnancy, from the moment that was known."""
        single = gestation_week(self.expected, week)
        if self.multiple is None or not earlier_for_multiple:
            return single
        return min(
            single,
            max(gestation_week(self.expected, week - earlier_for_multiple),
                self.multiple.recorded_at),
        )  # fmt: skip

    def evidence(self) -> list[Fact]:
        return [f for f in (self.source, self.multiple) if f is not None]

    def describe(self) -> str:
        source = f"recorded by {who(self.source)}" if self.source else "on the child's record"
        text = f"The expected birth date is {self.expected:%a} {self.expected.day} "
        text += f"{self.expected:%b %Y} ({source})"
        if self.multiple is not None:
            text += f"; a multiple pregnancy ({who(self.multiple)})"
        return text + "."


def pregnancy_clock(child: ChildContext, by: datetime) -> PregnancyClock | None:
    """The gestation clock of an unborn child as known by `by`; None without an expected date."""
    bookings = [
        f
        for f in known(child.facts, by)
        if f.type == "antenatal_booking" and f.details.get("expected_birth_date")
    ]
    source = None
    expected = child.expected_birth_date
    for booking in reversed(bookings):
        try:
            expected = date.fromisoformat(str(booking.details["expected_birth_date"])[:10])
        except ValueError:
            continue
        source = booking
        break
    born = birth_moment(child.facts, by, child.birth_date)
    if expected is None and born is not None and born[1] is not None:
        # A birth at W weeks' gestation was expected (40 - W) weeks later.
        weeks = born[1].details.get("gestation_weeks")
        if isinstance(weeks, int | float) and not isinstance(weeks, bool) and 20 <= weeks <= 45:
            expected = born[1].occurred_at.astimezone(UK).date() + timedelta(weeks=40 - weeks)
            source = born[1]
    if expected is None:
        return None
    return PregnancyClock(expected, source, multiple_pregnancy(child.facts, by), born)
