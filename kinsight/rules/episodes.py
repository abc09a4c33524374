"""The state of a child's case as of a moment: plans, enquiries, assessments, allegations.

Pure functions over a child's facts (`ChildContext.facts`, or any list of `Fact`). Each takes the
moment `by` and uses only the facts recorded by then and not withdrawn then: what Kinsight knew,
never hindsight. The terms are those of rules.md ("Open plan, open enquiry", "Open allegation",
"Shared with social care", "seen", "Health contact", "Multiple pregnancy").

Only events in which the person is not a `reporter`, `alleged_perpetrator` or `parent` make their
plans, enquiries and assessments: a parent named in a child's conference is not on a plan.

Events are put in the order they happened (`occurred_at`, then `recorded_at`): a plan that ended
is ended from its `plan ended` event, even when that was recorded a week late, but only once it
has been recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from kinsight.lib.moments import UK
from kinsight.rules.context import Fact

__all__ = [
    "ABOUT_SOMEONE_ELSE",
    "Assessment",
    "Enquiry",
    "INJURY_FINDINGS",
    "Plan",
    "about_child",
    "assessments",
    "birth_moment",
    "child_in_need_plan_open",
    "enquiries",
    "expected_birth_date",
    "follows",
    "health_contact",
    "injury_kinds",
    "known",
    "looked_after",
    "mobility",
    "multiple_pregnancy",
    "on_protection_plan",
    "open_allegations",
    "open_assessments",
    "open_enquiry",
    "open_plan",
    "plans",
    "pregnancy_known",
    "seen",
    "shared_with_social_care",
]

INJURY_FINDINGS = (
    "bruise", "fracture", "burn", "bite", "head_injury", "injection_mark", "other_injury",
)  # fmt: skip
# A coded `injury` type, as the indicator a note about it would carry.
_INJURY_AS_FINDING = {"other": "other_injury"}
# Roles in which the child is not the one harmed or concerned by an event.
ABOUT_SOMEONE_ELSE = {"alleged_perpetrator", "reporter", "parent"}
_CONFERENCE_STARTS = {"initial", "pre_birth"}


def known(facts: Iterable[Fact], by: datetime) -> list[Fact]:
    """The facts recorded by `by` and not withdrawn then, in the order they happened."""
    chosen = [
        f for f in facts if f.recorded_at <= by and (f.retracted_at is None or f.retracted_at > by)
    ]
    return sorted(chosen, key=lambda f: (f.occurred_at, f.recorded_at, f.key))


# What `_of` chose from a long list of facts, by the list's identity and the types: the list is
# kept with it, so that its id cannot be reused by another list while the entry lives.
_CHOSEN: dict[tuple[int, frozenset[str]], tuple[list[Fact], int, list[Fact]]] = {}
_CHOSEN_AT_MOST = 64
_LONG = 200


def _of(facts: Iterable[Fact], types: frozenset[str]) -> list[Fact]:
    """Only the facts of these types. Rules ask for a child's plans at many moments; choosing
    the few plan records before sorting keeps each question proportional to them, not to every
    record the child has. And a child's long list of facts (the same list object, asked again
    at each moment) is looked through once per kind of question rather than once per moment.
    The result is only ever read (`known` makes a new list of it)."""
    if not isinstance(facts, list) or len(facts) < _LONG:
        return [f for f in facts if f.type in types]
    key = (id(facts), types)
    kept = _CHOSEN.get(key)
    if kept is not None and kept[0] is facts and kept[1] == len(facts):
        return kept[2]
    chosen = [f for f in facts if f.type in types]
    if len(_CHOSEN) >= _CHOSEN_AT_MOST:
        _CHOSEN.clear()
    _CHOSEN[key] = (facts, len(facts), chosen)
    return chosen


def forget_chosen() -> None:
    """Drop what `_of` kept (the engine calls it when an evaluation ends)."""
    _CHOSEN.clear()


_PLAN_TYPES = frozenset({"plan", "child_protection_conference"})
_ENQUIRY_TYPES = frozenset({"strategy_discussion", "assessment", "child_protection_conference"})
_PLANS = frozenset({"plan"})
_ASSESSMENTS = frozenset({"assessment"})
_DEVELOPMENT = frozenset({"development"})
_BOOKINGS = frozenset({"antenatal_booking"})
_BIRTHS = frozenset({"birth"})


def follows(later: Fact, earlier: Fact) -> bool:
    """Whether `later` happened after `earlier` (a moment given as a date alone: that day)."""
    if later is earlier or later.key == earlier.key:
        return False
    if _date_only(later.occurred_at) or _date_only(earlier.occurred_at):
        return later.occurred_at.date() >= earlier.occurred_at.date()
    return later.occurred_at >= earlier.occurred_at


def _date_only(moment: datetime) -> bool:
    return moment.astimezone(UK).time() == time(0, 0)


def about_child(fact: Fact) -> bool:
    """The child is the one the event is about (not the reporter, perpetrator or a parent)."""
    return fact.role not in ABOUT_SOMEONE_ELSE


# Plans ------------------------------------------------------------------------------------


@dataclass
class Plan:
    """One plan of one kind, from the fact that started it to the one that ended it."""

    kind: str  # child_protection, child_in_need, early_help, looked_after
    start: Fact  # a `plan started`, or an initial or pre-birth conference with outcome `plan`
    end: Fact | None = None  # a `plan ended`, or a review conference with outcome `plan_ends`
    conferences: list[Fact] = field(default_factory=list)  # after the start, while open
    also_started_by: list[Fact] = field(default_factory=list)  # repeats of the start

    @property
    def episode(self) -> str:
        return f"plan:{self.start.key[0]}:{self.start.key[1]}"

    @property
    def open(self) -> bool:
        return self.end is None

    @property
    def initial_conference(self) -> Fact | None:
        """The conference that made the plan, when the plan started at one."""
        for fact in [self.start, *self.also_started_by]:
            if fact.type == "child_protection_conference":
                return fact
        return None

    @property
    def reviews(self) -> list[Fact]:
        return [c for c in self.conferences if c.details.get("conference") == "review"]

    @property
    def first_review(self) -> Fact | None:
        reviews = self.reviews
        return reviews[0] if reviews else None

    @property
    def end_reason(self) -> str | None:
        """Why the plan ended: the `reason` of a `plan ended`; `risk_reduced` for a review
        conference that ended it without saying more."""
        if self.end is None:
            return None
        reason = self.end.details.get("reason")
        if reason:
            return str(reason)
        return "risk_reduced" if self.end.type == "child_protection_conference" else "other"

    @property
    def ended_at_or_before_first_review(self) -> bool:
        """The plan ended at the first review conference, or before any review was held."""
        if self.end is None:
            return False
        reviews = self.reviews
        return not reviews or reviews[0].key == self.end.key


def _plan_change(fact: Fact) -> tuple[str, str] | None:
    """("started" | "ended", kind) when the fact starts or ends a plan."""
    if fact.type == "plan" and fact.details.get("status") in ("started", "ended"):
        return str(fact.details["status"]), str(fact.details.get("plan", ""))
    if fact.type == "child_protection_conference":
        conference, outcome = fact.details.get("conference"), fact.details.get("outcome")
        if conference in _CONFERENCE_STARTS and outcome == "plan":
            return "started", "child_protection"
        if outcome == "plan_ends":
            return "ended", "child_protection"
    return None


def plans(facts: Iterable[Fact], by: datetime, kind: str = "child_protection") -> list[Plan]:
    """Every plan of this kind known by `by`, open or ended, oldest first."""
    found: list[Plan] = []
    current: Plan | None = None
    for fact in known(_of(facts, _PLAN_TYPES), by):
        if not about_child(fact):
            continue
        change = _plan_change(fact)
        if change is not None and change[1] == kind:
            if change[0] == "started":
                if current is None:
                    current = Plan(kind, fact)
                    found.append(current)
                else:
                    current.also_started_by.append(fact)
                continue
            if current is not None:
                current.end = fact
                if fact.type == "child_protection_conference":
                    current.conferences.append(fact)
                current = None
            continue
        if current is not None and fact.type == "child_protection_conference":
            current.conferences.append(fact)
    return found


def open_plan(facts: Iterable[Fact], by: datetime, kind: str = "child_protection") -> Plan | None:
    """The plan of this kind open at `by`, if any."""
    found = plans(facts, by, kind)
    return found[-1] if found and found[-1].open else None


def on_protection_plan(facts: Iterable[Fact], by: datetime) -> bool:
    return open_plan(facts, by, "child_protection") is not None


def child_in_need_plan_open(facts: Iterable[Fact], by: datetime) -> bool:
    return open_plan(facts, by, "child_in_need") is not None


def looked_after(facts: Iterable[Fact], by: datetime) -> bool:
    """A looked-after plan is open, or the last plan to end did so because the child became
    looked after (and no looked-after plan has ended since)."""
    facts = list(facts)
    if open_plan(facts, by, "looked_after") is not None:
        return True
    ends = [f for f in known(_of(facts, _PLANS), by) if f.details.get("status") == "ended"]
    for end in reversed(ends):
        if end.details.get("plan") == "looked_after":
            return False
        if end.details.get("reason") == "looked_after":
            return True
    return False


# Enquiries and assessments -----------------------------------------------------------------


@dataclass
class Enquiry:
    """A section 47 enquiry: from a strategy discussion with outcome `section_47` (or a
    `section_47` assessment started) until that assessment is completed or a conference held."""

    start: Fact
    end: Fact | None = None
    discussions: list[Fact] = field(default_factory=list)  # later s47 discussions while open

    @property
    def episode(self) -> str:
        return f"enquiry:{self.start.key[0]}:{self.start.key[1]}"

    @property
    def open(self) -> bool:
        return self.end is None


def _starts_enquiry(fact: Fact) -> bool:
    if fact.type == "strategy_discussion":
        return fact.details.get("outcome") == "section_47"
    return (
        fact.type == "assessment"
        and fact.details.get("assessment") == "section_47"
        and fact.details.get("status") == "started"
    )


def _ends_enquiry(fact: Fact) -> bool:
    if fact.type == "child_protection_conference":
        return True
    return (
        fact.type == "assessment"
        and fact.details.get("assessment") == "section_47"
        and fact.details.get("status") == "completed"
    )


def enquiries(facts: Iterable[Fact], by: datetime) -> list[Enquiry]:
    """Every section 47 enquiry known by `by`, oldest first."""
    found: list[Enquiry] = []
    current: Enquiry | None = None
    for fact in known(_of(facts, _ENQUIRY_TYPES), by):
        if not about_child(fact):
            continue
        if _starts_enquiry(fact):
            if current is None:
                current = Enquiry(fact)
                found.append(current)
            else:
                current.discussions.append(fact)
        elif current is not None and _ends_enquiry(fact):
            current.end = fact
            current = None
    return found


def open_enquiry(facts: Iterable[Fact], by: datetime) -> Enquiry | None:
    found = enquiries(facts, by)
    return found[-1] if found and found[-1].open else None


@dataclass
class Assessment:
    """One assessment of one kind, from `started` to `completed`."""

    kind: str  # child_and_family, pre_birth, parenting_capacity, section_47, other
    start: Fact
    end: Fact | None = None

    @property
    def episode(self) -> str:
        return f"assessment:{self.start.key[0]}:{self.start.key[1]}"

    @property
    def open(self) -> bool:
        return self.end is None


def assessments(facts: Iterable[Fact], by: datetime, kind: str | None = None) -> list[Assessment]:
    """Every assessment (of this kind, or of any) known by `by`, oldest first."""
    found: list[Assessment] = []
    current: dict[str, Assessment] = {}
    for fact in known(_of(facts, _ASSESSMENTS), by):
        if fact.type != "assessment" or not about_child(fact):
            continue
        this = str(fact.details.get("assessment", ""))
        if kind is not None and this != kind:
            continue
        status = fact.details.get("status")
        if status == "started" and this not in current:
            current[this] = Assessment(this, fact)
            found.append(current[this])
        elif status == "completed" and this in current:
            current.pop(this).end = fact
    return found


def open_assessments(
    facts: Iterable[Fact], by: datetime, kind: str | None = None
) -> list[Assessment]:
    return [a for a in assessments(facts, by, kind) if a.open]


# Allegations, sharing, being seen -----------------------------------------------------------

_ALLEGATION_TYPES = {"allegation", "disclosure", "referral"}
_ANSWERS = {"strategy_discussion", "decision", "case_closed"}


def open_allegations(facts: Iterable[Fact], by: datetime) -> list[Fact]:
    """Allegations, disclosures and referrals about harm to the child (coded, or read in a
    note) that no strategy discussion, decision or case closure has followed by `by`."""
    facts = known(facts, by)
    answers = [f for f in facts if f.type in _ANSWERS]
    return [
        f
        for f in facts
        if about_child(f)
        and (f.type in _ALLEGATION_TYPES or f.found("allegation", "disclosure"))
        and not any(follows(a, f) for a in answers)
    ]


def injury_kinds(fact: Fact) -> list[str]:
    """The injuries an event records on the child: its coded `injury`, or injury findings."""
    kinds = set()
    if fact.type == "injury":
        coded = str(fact.details.get("injury", "other"))
        kinds.add(_INJURY_AS_FINDING.get(coded, coded))
    kinds |= {f.indicator for f in fact.found(*INJURY_FINDINGS)}
    return sorted(kinds)


def _mentions(fact: Fact) -> set[str]:
    return set(injury_kinds(fact)) | {f.indicator for f in fact.findings if f.present}


def shared_with_social_care(
    fact: Fact, facts: Iterable[Fact], social_care: Iterable[str] = ()
) -> bool:
    """The event's `shared_with` names a social-care agency, or a social-care agency recorded an
    event about the same child on the same day that mentions the same finding.

    `social_care` lists the codes of social-care agencies; the agencies that recorded one of
    `facts` are known already (`Fact.agency_sector`).
    """
    facts = list(facts)
    codes = set(social_care) | {f.key[0] for f in facts if f.agency_sector == "social_care"}
    if fact.agency_sector == "social_care" or codes & set(fact.shared_with):
        return True
    mentioned = _mentions(fact)
    if not mentioned:
        return False
    day = fact.recorded_at.astimezone(UK).date()
    return any(
        other.agency_sector == "social_care"
        and other.key != fact.key
        and other.recorded_at.astimezone(UK).date() == day
        and mentioned & _mentions(other)
        for other in facts
    )


_WHO = r"(?:the\s+)?(?:child|baby|infant|children|twins|siblings|him|her|them)"
_NOT_A_CHILD = (
    r"(?!(?:Bruise|Bruising|Mark|Marks|Injury|Rash|Burn|Mum|Mother|Dad|Father|Parent|Parents"
    r"|Partner|Nothing|Dr)\b)"
)
_SEEN = re.compile(
    rf"\b(?:(?i:{_WHO}|he|she|they)|{_NOT_A_CHILD}[A-Z][a-z]+)\s+(?i:was\s+|were\s+)?(?i:seen|sighted)\b"
    rf"|\b(?i:saw|seen|sighted|observed|met\s+with|met)\s+(?:(?i:{_WHO})\b|{_NOT_A_CHILD}[A-Z][a-z]+\b)",
)
_NOT_SEEN = re.compile(
    r"\b(?:not|never|unable to|did not|didn't|wasn't|weren't|without|no)\s+(?:\w+\s+){0,2}"
    r"(?:seen|see|saw|sighted)\b",
    re.IGNORECASE,
)


def seen(fact: Fact) -> bool:
    """The child was seen: a `home_visit` with `child_seen`, or a summary saying so."""
    if fact.type == "home_visit" and "child_seen" in fact.details:
        return fact.details["child_seen"] is True
    if fact.type == "home_visit" and fact.details.get("no_access") is True:
        return False
    if _NOT_SEEN.search(fact.summary):
        return False
    return bool(_SEEN.search(fact.summary))


def health_contact(fact: Fact) -> bool:
    """An event recorded by a health agency in which the child is a subject and was seen (not
    a missed appointment, not a no-access visit)."""
    if fact.agency_sector != "health" or not fact.role or fact.role in ABOUT_SOMEONE_ELSE:
        return False
    if fact.type == "appointment_missed" or fact.details.get("was_not_brought") is True:
        return False
    if fact.type == "home_visit":
        return (
            fact.details.get("no_access") is not True
            and fact.details.get("child_seen") is not False
        )
    return not fact.found("missed_appointment")


def mobility(facts: Iterable[Fact], by: datetime) -> str | None:
    """The child's mobility as last recorded by `by` (`not_mobile`, `rolling`, ...)."""
    recorded = [f for f in known(_of(facts, _DEVELOPMENT), by) if "mobility" in f.details]
    return str(recorded[-1].details["mobility"]) if recorded else None


# Pregnancy and birth ------------------------------------------------------------------------

_MULTIPLE = re.compile(r"\b(twins?|triplets?|quadruplets?|multiple pregnancy)\b", re.IGNORECASE)


def pregnancy_known(facts: Iterable[Fact], by: datetime) -> Fact | None:
    """The first record of the pregnancy known by `by`: an `antenatal_booking`, or a note with
    a pregnancy finding."""
    for fact in known(facts, by):
        if fact.type == "antenatal_booking" or any(
            f.indicator == "pregnancy" and f.present for f in fact.findings
        ):
            return fact
    return None


def multiple_pregnancy(facts: Iterable[Fact], by: datetime) -> Fact | None:
    """The first fact known by `by` that shows a multiple pregnancy: an `antenatal_booking` or
    `birth` with `multiple: true`, or a note that speaks of twins or triplets.

    Two unborn records sharing a mother and an expected birth date also make a multiple
    pregnancy; that needs the household, not the child's own facts.
    """
    for fact in known(facts, by):
        if fact.type in ("antenatal_booking", "birth") and fact.details.get("multiple") is True:
            return fact
        if fact.type in ("antenatal_booking", "birth") and fact.details.get("multiple") is False:
            continue
        if _MULTIPLE.search(fact.summary) and not re.search(
            r"\bnot\s+(?:a\s+)?(?:twins?|triplets?|multiple)", fact.summary, re.IGNORECASE
        ):
            return fact
    return None


def expected_birth_date(
    facts: Iterable[Fact], by: datetime, recorded: date | None = None
) -> date | None:
    """The expected birth date as last given by an `antenatal_booking` known by `by`, else the
    one on the child's person record (`recorded`, e.g. `ChildContext.expected_birth_date`)."""
    bookings = [f for f in known(_of(facts, _BOOKINGS), by) if f.details.get("expected_birth_date")]
    for booking in reversed(bookings):
        try:
            return date.fromisoformat(str(booking.details["expected_birth_date"])[:10])
        except ValueError:
            continue
    return recorded


def birth_moment(
    facts: Sequence[Fact], by: datetime, birth_date: date | None = None
) -> tuple[datetime, Fact | None] | None:
    """When the birth became known by `by`: the `recorded_at` of the first `birth` event, else
    00:00 of the birth date on the person record (`ChildContext.birth_date`) once that day has
    come."""
    births = known(_of(facts, _BIRTHS), by)
    if births:
        first = min(births, key=lambda f: f.recorded_at)
        return first.recorded_at, first
    if birth_date is not None:
        moment = datetime.combine(birth_date, time(0, 0), tzinfo=UK)
        if moment <= by:
            return moment, None
    return None
