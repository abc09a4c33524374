"""What the harm patterns share: ties between people, incidents, and the routes into social care."""

from __future__ import annotations

import random

from kinsight.synth import social_care as sc
from kinsight.synth.agencies import DRUGS, GP, MENTAL_HEALTH, POLICE
from kinsight.synth.background import office
from kinsight.synth.family import (
    YEAR,
    Ev,
    Expected,
    Fam,
    Person,
    Spec,
    adults_of,
)
from kinsight.synth.workdays import (
    END,
    MINUTES_PER_DAY,
    START,
    add_months,
    add_working_days,
    at,
    day_of,
)

LAST = END * MINUTES_PER_DAY + MINUTES_PER_DAY - 1


# Relationship types that tie an adult to a child directly (a partner of a parent is tied too).
DIRECT = frozenset({"mother", "father", "parent", "step_parent", "carer", "household_member"})
PARENT = frozenset({"mother", "father", "parent"})

# Bruising on these sites in a child under four is TEN-4-FACESp; the others are not.
TEN4_SITES = (
    "left cheek",
    "right ear",
    "neck",
    "chest",
    "back",
    "left eyelid",
    "upper lip frenulum",
)
OTHER_SITES = ("left forearm", "right shin", "left thigh", "right upper arm", "back of the hand")


# Strategy discussions that follow a finding do not repeat it: a finding in the text of an event
# that names several children could be read as being about each of them.
NEUTRAL_STRATEGY = "Strategy discussion following the referral; section 47 enquiry agreed."


def expect(
    rule: str, child: Person, agency: str, raised: int, evidence: list[Ev], severity: str
) -> Expected:
    return Expected(rule, child, agency, raised, evidence, severity)


def key_child(fam: Fam, birth: int) -> Person:
    return next(c for c in fam.children(0) if c.birth == birth)


def connection_time(fam: Fam, adult: Person, child: Person) -> int | None:
    """When the records first tied the adult to the child (as parent, carer, household member,
    or partner of a parent), or None if they never do."""
    best: int | None = None
    parents: dict[int, int] = {}
    for r in fam.rels:
        if r.end is not None:
            continue
        if r.person is child and r.rtype in DIRECT:
            if r.relative is adult:
                best = r.rec if best is None else min(best, r.rec)
            if r.rtype in PARENT:
                index = r.relative.index
                parents[index] = min(parents.get(index, r.rec), r.rec)
    for r in fam.rels:
        if r.end is not None or r.rtype != "partner":
            continue
        if r.person is adult:
            other = r.relative
        elif r.relative is adult:
            other = r.person
        else:
            continue
        if other.index in parents:
            moment = max(r.rec, parents[other.index])
            best = moment if best is None else min(best, moment)
    for event in fam.events:
        if event.etype != "household_change" or not event.details:
            continue
        if event.details.get("change") != "joined":
            continue
        people = [p for p, _ in event.subjects]
        if adult in people and child in people:
            best = event.rec if best is None else min(best, event.rec)
    return best


def ensure_links(fam: Fam, hh: int, moment: int) -> None:
    """Make sure some agency recorded, before the moment, how each adult is tied to each child.

    Rules about a child's household need the tie to have been recorded; a pattern that must
    raise at a stated moment cannot leave it to chance.
    """
    rng = fam.rng
    day = day_of(moment)
    children = [c for c in fam.children(hh) if c.birth < day - 2 and c.under_18(day)]
    for child in children:
        adults = adults_of(fam, hh, day)
        for parent in (child.mother, child.father):
            if parent is not None and parent not in adults:
                adults.append(parent)
        for adult in adults:
            known = connection_time(fam, adult, child)
            if known is not None and known < moment:
                continue
            earliest = max(child.birth + 1, fam.window)
            when = office(rng, max(earliest, day_of(moment) - rng.randrange(3, 60)))
            if when >= moment:
                when = moment - 60
            if adult is child.mother or adult is child.father:
                rtype = "mother" if adult is child.mother else "father"
                fam.rel(GP, child, adult, rtype, child.birth, when)
            else:
                fam.rel(GP, child, adult, "household_member", adult.joins, when)


def perpetrator_alerts(fam: Fam, adult: Person, event: Ev) -> list[Expected]:
    """`risk_adult_linked_children`: every child tied to an adult with a history of harm."""
    found = []
    for child in fam.children():
        known = connection_time(fam, adult, child)
        if known is None:
            continue
        raised = max(event.rec, known)
        if raised > LAST or not child.under_18(day_of(raised)):
            continue
        found.append(expect("risk_adult_linked_children", child, GP, raised, [event], "warning"))
    return found


def da_incident(
    fam: Fam,
    hh: int,
    day: int,
    victim: Person,
    other: Person,
    *,
    perpetrator: bool,
    present: bool,
    injuries: bool,
    risk: str,
    summary: str,
) -> Ev:
    rng = fam.rng
    occ = at(day, rng.choice((18, 19, 20, 21, 22, 23)), 5 * rng.randrange(12))
    children = fam.children_at(hh, day)
    subjects = [(other, "alleged_perpetrator" if perpetrator else "subject"), (victim, "victim")]
    subjects += [(c, "child_present" if present else "child") for c in children]
    event = fam.ev(
        POLICE,
        "domestic_abuse_incident",
        occ,
        subjects,
        summary,
        {"risk": risk, "injuries": injuries, "children_present": present},
        shared=[sc.council(fam, hh)],
        rec=occ + 5 * rng.randrange(12, 120),
    )
    if rng.random() < 0.5:
        fam.rel(POLICE, victim, other, "partner", other.partnership_start, event.rec)
    return event


def between(rng: random.Random, low: int, high: int) -> int:
    return rng.randrange(low, max(low + 1, high))


def severity_under_one(child: Person, moment: int) -> str:
    return "urgent" if day_of(moment) < add_months(child.birth, 12) else "warning"


def drug_service(fam: Fam, person: Person, day: int, status: str, summary: str) -> Ev:
    occ = office(fam.rng, day)
    return fam.ev(
        DRUGS,
        "substance_misuse_service",
        occ,
        [(person, "subject")],
        summary,
        {"status": status},
        rec=sc.minutes_later(fam, occ, 20, 120),
    )


def mental_health_crisis(fam: Fam, person: Person, day: int) -> Ev:
    occ = office(fam.rng, day)
    return fam.ev(
        MENTAL_HEALTH,
        "mental_health_service",
        occ,
        [(person, "subject")],
        f"Seen by the crisis team: {person.given} has severe low mood with suicidal "
        "thoughts. Home treatment team to follow up.",
        {"status": "crisis"},
        rec=sc.minutes_later(fam, occ, 30, 180),
    )


def setup_household(rng: random.Random, tail: int) -> Spec:
    anchor = between(rng, START + 400, END - tail)
    birth = anchor - rng.randrange(300, 11 * YEAR)
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200, father_present=True)


def office_wd(fam: Fam, moment: int, days: int) -> int:
    return sc.office_on(fam, add_working_days(moment, days))


def neglect_route(fam: Fam, day: int, children: list[Person]) -> tuple[Ev, Ev, int]:
    """A referral for neglect, a same-day family assessment, and a strategy moment days later."""
    rng = fam.rng
    ref = sc.referral(
        fam,
        0,
        office(rng, day),
        children,
        ["neglect"],
        rng.choice(("health", "education")),
        "Referral: concerns about the children's presentation and the home; "
        "support offered before has not been taken up.",
    )
    start = sc.minutes_later(fam, ref.rec, 60, 180)
    assessment = sc.assessment(
        fam,
        0,
        start,
        children,
        "child_and_family",
        "started",
        "Child and family assessment started.",
    )
    sc.visit(fam, 0, office_wd(fam, start, 2), children)
    return ref, assessment, office_wd(fam, ref.rec, rng.randrange(4, 7))


REFERRALS = (
    ("School: child often late and tired; mum says she is struggling.", ["other"], "education"),
    (
        "GP: mum struggling to cope with the children's behaviour; requests support.",
        ["other"],
        "health",
    ),
    ("Health visitor: family may lose their tenancy; asks for early help.", ["other"], "health"),
    (
        "School: child upset about parents' separation, asks to talk to someone.",
        ["emotional"],
        "education",
    ),
)


def setup_generic(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 420)
    birth = anchor - rng.randrange(6 * YEAR, 14 * YEAR)
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200)


def current_school(fam: Fam, child: Person, moment: int) -> str:
    """The school that last recorded something about the child before the moment."""
    services = fam.services(child.hh if child.hh is not None else 0)
    schools = (services.primary, services.secondary)
    attended = [
        e
        for e in fam.events
        if e.agency in schools and e.occ < moment and any(p is child for p, _ in e.subjects)
    ]
    return max(attended, key=lambda e: e.occ).agency if attended else services.primary
