"""Children's social care processes, written so that every statutory clock is met.

A pattern injects one failure; everything around it must be done on time, or the family would
raise alerts the truth does not list. The timings here keep a margin inside each deadline of
`rules.md`: strategy discussions within hours of the concern, initial conferences by 8 working
days (warning at 10), first core group by 7 (due 10), core groups every 4-5 weeks (due 6), the
first review by 9 weeks (due 3 months, warned 10 working days before), later reviews by 5 months
(due 6), visits every 5-7 working days (due 10), assessments completed in 45 working days.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kinsight.synth.background import link_household, office
from kinsight.synth.family import EVERYONE, Ev, Fam, Person, adults_of
from kinsight.synth.workdays import (
    END,
    MINUTES_PER_DAY,
    add_working_days,
    day_of,
    working_day_on_or_after,
)


def council(fam: Fam, hh: int = 0) -> str:
    return fam.services(hh).council


def subjects_of(children: list[Person], adults: list[Person]) -> list[tuple[Person, str]]:
    return [(c, "child") for c in children] + [(a, "parent") for a in adults]


def minutes_later(fam: Fam, moment: int, low: int, high: int) -> int:
    """A moment between ``low`` and ``high`` minutes later, in five-minute steps."""
    return moment + low + 5 * fam.rng.randrange(0, max(1, (high - low) // 5))


def office_on(fam: Fam, moment: int) -> int:
    """A moment in working hours on the working day of (or after) the moment's date."""
    return office(fam.rng, working_day_on_or_after(day_of(moment)))


def referral(
    fam: Fam,
    hh: int,
    moment: int,
    children: list[Person],
    concerns: list[str],
    sector: str,
    summary: str,
    *,
    adults: list[Person] | None = None,
    extra: dict[str, object] | None = None,
) -> Ev:
    agency = council(fam, hh)
    people = adults if adults is not None else adults_of(fam, hh, day_of(moment))
    details: dict[str, object] = {"concerns": concerns, "referrer_sector": sector}
    if extra:
        details.update(extra)
    event = fam.ev(agency, "referral", moment, subjects_of(children, people), summary, details)
    open_family(fam, hh, event.rec)
    return event


def open_family(fam: Fam, hh: int, moment: int) -> None:
    """Social care records the household's relationships when it first opens the family."""
    if hh in fam.csc_linked:
        return
    fam.csc_linked.add(hh)
    link_household(fam, council(fam, hh), hh, moment + 30)


def assessment(
    fam: Fam,
    hh: int,
    moment: int,
    children: list[Person],
    kind: str,
    status: str,
    summary: str,
    outcome: str | None = None,
) -> Ev:
    details: dict[str, object] = {"assessment": kind, "status": status}
    if outcome is not None:
        details["outcome"] = outcome
    adults = adults_of(fam, hh, day_of(moment))
    return fam.ev(
        council(fam, hh), "assessment", moment, subjects_of(children, adults), summary, details
    )


def visit(fam: Fam, hh: int, moment: int, children: list[Person], summary: str | None = None) -> Ev:
    rng = fam.rng
    adults = adults_of(fam, hh, day_of(moment))
    text = summary or rng.choice(
        (
            "Home visit: children seen and spoken with. Parents engaged with the plan.",
            "Statutory visit, children seen; {name} seen alone in her bedroom, said she is happy.",
            "Home visit. Children seen, playing. Discussed progress against the plan.",
            "Unannounced visit: children seen, home warm and clean.",
        )
    ).format(name=children[0].given)
    return fam.ev(
        council(fam, hh),
        "home_visit",
        moment,
        subjects_of(children, adults[:1]),
        text,
        {"child_seen": True, "seen_alone": rng.random() < 0.5, "no_access": False},
        rec=minutes_later(fam, moment, 10, 60),
    )


def strategy(
    fam: Fam, hh: int, moment: int, children: list[Person], outcome: str, summary: str
) -> Ev:
    adults = adults_of(fam, hh, day_of(moment))
    return fam.ev(
        council(fam, hh),
        "strategy_discussion",
        moment,
        subjects_of(children, adults),
        summary,
        {"outcome": outcome, "attended_by": EVERYONE},
    )


def male_checks(fam: Fam, hh: int, moment: int) -> None:
    """Fathers and male carers seen and checked, so that none is left unassessed."""
    men = [a for a in adults_of(fam, hh, day_of(moment)) if a.sex == "male"]
    for man in men:
        fam.ev(
            council(fam, hh),
            "note",
            moment,
            [(man, "subject")],
            f"Police and local authority checks completed on {man.given}; he was seen at the "
            "home visit and spoken with about the plan.",
        )


def inform_all(fam: Fam, hh: int, moment: int, about: list[Ev], children: list[Person]) -> None:
    """Social care tells every agency involved, so the information-gap rules stay quiet."""
    fam.ev(
        council(fam, hh),
        "information_shared",
        moment,
        [(c, "child") for c in children],
        "Information shared with all agencies involved with the family.",
        {"to": EVERYONE, "about": about},
        shared=EVERYONE,
    )


def close_case(fam: Fam, hh: int, moment: int, children: list[Person], summary: str) -> Ev | None:
    if day_of(moment) > END:
        return None
    adults = adults_of(fam, hh, day_of(moment))
    return fam.ev(
        council(fam, hh),
        "case_closed",
        moment,
        subjects_of(children, adults),
        summary,
        {"reason": "needs met", "stepped_down_to": "universal services"},
        shared=EVERYONE,
    )


@dataclass(eq=False)
class Episode:
    strategy: Ev
    icpc: Ev | None = None
    plan_start: Ev | None = None
    reviews: list[Ev] = field(default_factory=list)
    core_groups: list[Ev] = field(default_factory=list)
    end_conference: Ev | None = None
    plan_end: Ev | None = None
    care_proceedings: Ev | None = None
    end: int = 0  # the moment the child protection plan ended
    last: int = 0  # the last moment of the episode


def cp_episode(
    fam: Fam,
    hh: int,
    children: list[Person],
    start: int,
    category: str,
    *,
    strategy_summary: str,
    icpc_after: int = 8,
    end: str = "second_review",
    removal_day: int | None = None,
    progress: list[str] | None = None,
    family_assessment: Ev | None = None,
) -> Episode:
    """Strategy discussion (section 47) to initial conference, plan, reviews and an end.

    ``end`` is "second_review" (the plan ends with risk reduced at the second review, which
    raises nothing), "first_review" (it ends at the first, which `plan_ended_risk_persists`
    catches) or "removal" (care proceedings on ``removal_day``, the children become looked after).
    """
    rng = fam.rng
    agency = council(fam, hh)
    open_family(fam, hh, start)
    episode = Episode(strategy(fam, hh, start, children, "section_47", strategy_summary))
    assessment(
        fam,
        hh,
        minutes_later(fam, start, 20, 60),
        children,
        "section_47",
        "started",
        "Section 47 enquiry started.",
    )
    male_checks(fam, hh, office_on(fam, add_working_days(start, 1)))
    done = office_on(fam, add_working_days(start, icpc_after - 2))
    assessment(
        fam,
        hh,
        done,
        children,
        "section_47",
        "completed",
        "Section 47 enquiry completed: concerns substantiated; initial child protection "
        "conference requested.",
        outcome="icpc",
    )
    icpc_day = day_of(add_working_days(start, icpc_after))
    icpc = office(rng, icpc_day)
    if family_assessment is not None:
        assessment(
            fam,
            hh,
            icpc - 60,
            children,
            "child_and_family",
            "completed",
            "Child and family assessment completed and shared with the conference.",
            outcome="icpc",
        )
    adults = adults_of(fam, hh, icpc_day)
    episode.icpc = fam.ev(
        agency,
        "child_protection_conference",
        icpc,
        subjects_of(children, adults),
        f"Initial child protection conference: children made subject to child protection plans "
        f"under the category of {category}.",
        {"conference": "initial", "outcome": "plan", "category": category, "attended_by": EVERYONE},
        shared=EVERYONE,
    )
    episode.plan_start = fam.ev(
        agency,
        "plan",
        icpc + 60,
        [(c, "child") for c in children],
        "Child protection plan started.",
        {"plan": "child_protection", "status": "started", "category": category},
        shared=EVERYONE,
    )

    reviews = [working_day_on_or_after(icpc_day + rng.randrange(56, 64))]
    reviews.append(working_day_on_or_after(reviews[0] + rng.randrange(140, 151)))
    if end == "first_review":
        end_day = reviews[0]
    elif end == "second_review":
        end_day = reviews[1]
    else:
        assert removal_day is not None
        end_day = working_day_on_or_after(removal_day)
    end_moment = office(rng, end_day)
    episode.end = end_moment

    # Visits from the day after the strategy discussion until the plan ends.
    moment = office_on(fam, add_working_days(start, 1))
    while moment < end_moment and day_of(moment) <= END:
        visit(fam, hh, moment, [c for c in children if c.under_18(day_of(moment))])
        moment = office_on(fam, add_working_days(moment, rng.randrange(5, 8)))

    # Core groups: the first within 10 working days of the plan, then at most six weeks apart.
    steps = iter(progress or [])
    moment = office_on(fam, add_working_days(icpc, rng.randrange(5, 8)))
    while moment < end_moment - MINUTES_PER_DAY and day_of(moment) <= END:
        state = next(steps, "improved")
        episode.core_groups.append(
            fam.ev(
                agency,
                "core_group",
                moment,
                subjects_of(children, adults_of(fam, hh, day_of(moment))),
                {
                    "improved": "Core group: plan reviewed, actions on track, parents engaging.",
                    "no_change": "Core group: little progress against the plan since the last "
                    "meeting.",
                    "worse": "Core group: plan not progressing.",
                }[state],
                {"attended_by": EVERYONE, "parents_attended": True, "progress": state},
            )
        )
        moment = office(rng, working_day_on_or_after(day_of(moment) + rng.randrange(28, 36)))

    for review_day in reviews:
        if review_day > end_day or review_day > END:
            break
        ends = review_day == end_day and end != "removal"
        moment = end_moment if ends else office(rng, review_day)
        adults = adults_of(fam, hh, review_day)
        conference = fam.ev(
            agency,
            "child_protection_conference",
            moment,
            subjects_of(children, adults),
            "Review child protection conference: "
            + ("plans to end; step down to child in need." if ends else "plans to continue."),
            {
                "conference": "review",
                "outcome": "plan_ends" if ends else "plan_continues",
                "category": category,
                "attended_by": EVERYONE,
            },
            shared=EVERYONE,
        )
        episode.reviews.append(conference)
        if ends:
            episode.end_conference = conference

    if end == "removal":
        _removal(fam, hh, children, episode, category)
        return episode
    if day_of(end_moment) > END:
        episode.last = end_moment
        return episode
    episode.plan_end = fam.ev(
        agency,
        "plan",
        end_moment,
        [(c, "child") for c in children],
        "Child protection plan ended.",
        {
            "plan": "child_protection",
            "status": "ended",
            "category": category,
            "reason": "risk_reduced",
        },
        shared=EVERYONE,
    )
    episode.last = step_down(fam, hh, children, end_moment)
    return episode


def step_down(fam: Fam, hh: int, children: list[Person], moment: int) -> int:
    """A child in need plan for three or four months, then closure; returns the last moment."""
    rng = fam.rng
    agency = council(fam, hh)
    kids = [(c, "child") for c in children]
    fam.ev(
        agency,
        "plan",
        moment + 60,
        kids,
        "Child in need plan started.",
        {"plan": "child_in_need", "status": "started"},
        shared=EVERYONE,
    )
    finish = office(rng, working_day_on_or_after(day_of(moment) + rng.randrange(90, 121)))
    if day_of(finish) > END:
        return moment + 60
    fam.ev(
        agency,
        "plan",
        finish,
        kids,
        "Child in need plan ended: outcomes achieved.",
        {"plan": "child_in_need", "status": "ended", "reason": "risk_reduced"},
        shared=EVERYONE,
    )
    closed = office_on(fam, add_working_days(finish, rng.randrange(1, 4)))
    close_case(
        fam,
        hh,
        closed,
        children,
        "Case closed after child in need plan; family supported by universal services.",
    )
    return closed


def _removal(fam: Fam, hh: int, children: list[Person], episode: Episode, category: str) -> None:
    rng = fam.rng
    agency = council(fam, hh)
    kids = [(c, "child") for c in children]
    interim = episode.end
    issued = office(rng, working_day_on_or_after(day_of(interim) - rng.randrange(4, 11)))
    episode.care_proceedings = fam.ev(
        agency,
        "care_proceedings",
        issued,
        kids,
        "Care proceedings issued: home conditions and care have not improved despite the plan.",
        {"stage": "issued"},
        shared=EVERYONE,
    )
    fam.ev(
        agency,
        "care_proceedings",
        interim,
        kids,
        "Interim care order granted; children placed with foster carers.",
        {"stage": "interim_order"},
        shared=EVERYONE,
    )
    fam.ev(
        agency,
        "plan",
        interim + 60,
        kids,
        "Looked after: placed with local authority foster carers.",
        {"plan": "looked_after", "status": "started"},
        shared=EVERYONE,
    )
    episode.plan_end = fam.ev(
        agency,
        "plan",
        interim + 60,
        kids,
        "Child protection plan ended: child now looked after.",
        {
            "plan": "child_protection",
            "status": "ended",
            "category": category,
            "reason": "looked_after",
        },
        shared=EVERYONE,
    )
    fam.ev(
        agency,
        "household_change",
        interim + 120,
        [(c, "subject") for c in children],
        "Children left the household: placed in foster care under an interim care order.",
        {"change": "left"},
    )
    final = office(rng, working_day_on_or_after(day_of(interim) + rng.randrange(150, 221)))
    episode.last = interim + 120
    if day_of(final) <= END:
        fam.ev(
            agency,
            "care_proceedings",
            final,
            kids,
            "Final care order made.",
            {"stage": "final_order"},
            shared=EVERYONE,
        )
        episode.last = final


def enquiry_without_plan(
    fam: Fam, hh: int, children: list[Person], start: int, summary: str
) -> int:
    """Section 47 enquiry to an initial conference that makes no plan; returns the last moment."""
    agency = council(fam, hh)
    open_family(fam, hh, start)
    strategy(fam, hh, start, children, "section_47", summary)
    assessment(
        fam,
        hh,
        minutes_later(fam, start, 20, 60),
        children,
        "section_47",
        "started",
        "Section 47 enquiry started.",
    )
    male_checks(fam, hh, office_on(fam, add_working_days(start, 1)))
    visit(fam, hh, office_on(fam, add_working_days(start, 2)), children)
    done = office_on(fam, add_working_days(start, 6))
    assessment(
        fam,
        hh,
        done,
        children,
        "section_47",
        "completed",
        "Section 47 enquiry completed: concerns not substantiated; conference to decide.",
        outcome="icpc",
    )
    icpc = office_on(fam, add_working_days(start, 8))
    adults = adults_of(fam, hh, day_of(icpc))
    fam.ev(
        agency,
        "child_protection_conference",
        icpc,
        subjects_of(children, adults),
        "Initial child protection conference: threshold for a plan not met; child in need "
        "plan agreed.",
        {"conference": "initial", "outcome": "no_plan", "attended_by": EVERYONE},
        shared=EVERYONE,
    )
    return step_down(fam, hh, children, icpc)


@dataclass(eq=False)
class Assessment:
    start: Ev
    done: Ev
    closed: Ev | None
    last: int


def family_assessment(
    fam: Fam,
    hh: int,
    children: list[Person],
    referral_event: Ev,
    *,
    first_after: int | None = None,
    complete_after: tuple[int, int] = (15, 36),
    close: bool = True,
    seen: bool = True,
) -> Assessment:
    """A child and family assessment after a referral.

    ``first_after`` delays the first social-care event by that many working days (the
    `referral_decision_overdue` pattern); otherwise the assessment starts within hours.
    """
    rng = fam.rng
    if first_after is None:
        start = minutes_later(fam, referral_event.rec, 60, 180)
    else:
        start = office_on(fam, add_working_days(referral_event.rec, first_after))
    started = assessment(
        fam,
        hh,
        start,
        children,
        "child_and_family",
        "started",
        "Child and family assessment started.",
    )
    if seen:
        visit(fam, hh, office_on(fam, add_working_days(start, rng.randrange(2, 5))), children)
    moment = office_on(fam, add_working_days(referral_event.rec, rng.randrange(*complete_after)))
    done = assessment(
        fam,
        hh,
        moment,
        children,
        "child_and_family",
        "completed",
        "Child and family assessment completed: no further social care role; "
        "family signposted to early help."
        if seen
        else "Assessment completed by telephone with mum and school: no further action.",
        outcome="no_further_action",
    )
    if not close:
        return Assessment(started, done, None, done.rec)
    closed = close_case(
        fam,
        hh,
        office_on(fam, add_working_days(done.rec, rng.randrange(1, 4))),
        children,
        "Case closed following assessment.",
    )
    return Assessment(started, done, closed, closed.rec if closed else done.rec)
