"""Patterns in how agencies respond: late decisions, repeat referrals, neglect, missed care."""

from __future__ import annotations

import random

from kinsight.synth import social_care as sc
from kinsight.synth.agencies import GP, HV
from kinsight.synth.background import office
from kinsight.synth.family import (
    YEAR,
    Fam,
    PatternTruth,
    Person,
    Spec,
)
from kinsight.synth.patterns.common import (
    REFERRALS,
    between,
    current_school,
    ensure_links,
    expect,
    key_child,
    neglect_route,
    office_wd,
    perpetrator_alerts,
    severity_under_one,
)
from kinsight.synth.workdays import (
    END,
    START,
    add_months,
    add_working_days,
    day_of,
    working_day_on_or_after,
)


def setup_pe(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 240)
    birth = anchor - rng.randrange(100, 11 * YEAR)
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200)


def run_pe(fam: Fam, spec: Spec) -> None:
    children = fam.children_at(0, spec.anchor)
    _, opened, start = neglect_route(fam, spec.anchor, children)
    episode = sc.cp_episode(
        fam,
        0,
        children,
        start,
        "neglect",
        end="first_review",
        family_assessment=opened,
        strategy_summary="Strategy discussion: section 47 enquiry.",
    )
    assert episode.plan_end is not None and episode.end_conference is not None
    fam.patterns.append(
        PatternTruth(
            "plan_ended_risk_persists",
            [
                expect(
                    "plan_ended_risk_persists",
                    c,
                    sc.council(fam),
                    episode.end,
                    [episode.plan_end, episode.end_conference],
                    "warning",
                )
                for c in children
            ],
        )
    )


def setup_tpa(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 220)
    birth = anchor - rng.randrange(300, 6 * YEAR)
    if rng.random() < 0.5:
        return Spec(
            anchor=anchor,
            births=[birth],
            window_latest=anchor - 200,
            father_present=True,
            second_household="father",
            half_sibling_births=[anchor - rng.randrange(9 * YEAR, 15 * YEAR)],
        )
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200)


def run_tpa(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    children = fam.children_at(0, spec.anchor)
    moment = office(rng, working_day_on_or_after(spec.anchor))
    father = fam.father
    assert father is not None
    perpetrator: Person | None
    if spec.second_household == "father":
        sibling = fam.children(1)[0]
        perpetrator = father
        ensure_links(fam, 0, moment)
        ensure_links(fam, 1, moment)
        made_by = "sibling"
        text = (
            f"{sibling.given} (half-sister, lives with her mum) told her teacher that their "
            f"dad {father.given} hits the little ones with a belt when he is angry."
        )
        subjects = [(c, "child") for c in children] + [
            (father, "alleged_perpetrator"),
            (sibling, "reporter"),
        ]
        harm = "physical"
    else:
        made_by = rng.choice(("neighbour", "relative", "public"))
        perpetrator = father if (father.hh == 0 and rng.random() < 0.5) else None
        if perpetrator is not None:
            ensure_links(fam, 0, moment)
        text = {
            "neighbour": "Neighbour called to report hearing the children screaming and being "
            "hit most nights.",
            "relative": f"Maternal grandmother reports that {children[-1].given} told her she is "
            "smacked and shut in her room.",
            "public": "Member of the public saw a man dragging a crying child along the street "
            "by the arm and shouting at her.",
        }[made_by]
        subjects = [(c, "child") for c in children]
        if perpetrator is not None:
            subjects.append((perpetrator, "alleged_perpetrator"))
        harm = "physical"
    allegation = fam.ev(
        sc.council(fam), "allegation", moment, subjects, text, {"harm": harm, "made_by": made_by}
    )
    sc.open_family(fam, 0, allegation.rec)
    due = add_working_days(allegation.rec, 1)
    sc.inform_all(fam, 0, due + 60, [allegation], children)
    sc.visit(
        fam,
        0,
        office_wd(fam, allegation.rec, rng.randrange(1, 3)),
        children,
        "Home visit: children seen and spoken with; parents deny the concerns.",
    )
    late = office_wd(fam, allegation.rec, rng.randrange(3, 5))
    sc.strategy(
        fam,
        0,
        late,
        children,
        "no_further_action",
        # Follow-up notes do not repeat the concern: a reader could take a second mention
        # for a second allegation, which would need its own strategy discussion.
        "Strategy discussion (late): children seen and spoken with; concerns not "
        "substantiated. No further action; early help offered.",
    )
    sc.close_case(fam, 0, office_wd(fam, late, 2), children, "Case closed; early help offered.")
    alerts = [
        expect(
            "third_party_allegation_no_strategy", c, sc.council(fam), due, [allegation], "urgent"
        )
        for c in children
    ]
    if perpetrator is not None:
        alerts += perpetrator_alerts(fam, perpetrator, allegation)
    fam.patterns.append(PatternTruth("third_party_allegation_no_strategy", alerts))


def setup_sdo(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 220)
    birth = anchor - rng.randrange(5 * YEAR + 60, 12 * YEAR)
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200)


def sdo_core(fam: Fam, day: int, child: Person) -> bool:
    rng = fam.rng
    if child.hh is None or not (5 * YEAR + 30 < day - child.birth < 15 * YEAR) or day > END - 60:
        return False
    occ = office(rng, working_day_on_or_after(day))
    school = current_school(fam, child, occ)
    seen = fam.ev(
        school,
        "observation",
        occ,
        [(child, "child")],
        f"Noticed fingertip bruising to {child.given}'s upper arm during PE; "
        f"{child.given} would not say how it happened. DSL informed.",
        shared=[sc.council(fam, child.hh)],
        rec=occ + 15,
    )
    children = fam.children_at(child.hh, day_of(occ))
    ref = sc.referral(
        fam,
        child.hh,
        sc.minutes_later(fam, seen.rec, 30, 120),
        [child],
        ["physical"],
        "education",
        f"Referral from school DSL: fingertip bruising to the upper arm of "
        f"{child.given}; child would not say how it happened.",
    )
    sc.family_assessment(
        fam, child.hh, children, ref, close=False, complete_after=(20, 30), seen=False
    )
    sc.visit(fam, child.hh, office_wd(fam, ref.rec, 1), children)
    late = office_wd(fam, ref.rec, rng.randrange(2, 5))
    sc.strategy(
        fam,
        child.hh,
        late,
        [child],
        "no_further_action",
        "Strategy discussion: the account given by the family was accepted by police and "
        "school. No further action under section 47.",
    )
    due = add_working_days(ref.rec, 1)
    sc.inform_all(fam, child.hh, due + 60, [ref], [child])
    fam.patterns.append(
        PatternTruth(
            "strategy_discussion_overdue",
            [
                expect(
                    "strategy_discussion_overdue",
                    child,
                    sc.council(fam, child.hh),
                    due,
                    [ref],
                    "urgent",
                ),
            ],
        )
    )
    return True


def run_sdo(fam: Fam, spec: Spec) -> None:
    sdo_core(fam, spec.anchor, key_child(fam, spec.births[0]))


def setup_rdo(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 120)
    birth = anchor - rng.randrange(60, 15 * YEAR)
    if abs(anchor - birth - 365) < 10:
        # Not on the first birthday, where "under 1" could differ between referral and alert.
        birth -= 20
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200)


def rdo_core(fam: Fam, day: int, child: Person) -> bool:
    rng = fam.rng
    if child.hh is None or day > END - 100:
        return False
    children = fam.children_at(child.hh, day)
    if child not in children:
        return False
    ref = sc.referral(
        fam,
        child.hh,
        office(rng, working_day_on_or_after(day)),
        children,
        ["neglect"],
        rng.choice(("health", "education")),
        "Referral: family struggling with money and housing; children's school "
        "uniform and shoes worn out. Family asking for help.",
    )
    sc.family_assessment(
        fam, child.hh, children, ref, first_after=rng.randrange(2, 5), complete_after=(20, 36)
    )
    due = add_working_days(ref.rec, 1)
    sc.inform_all(fam, child.hh, due + 60, [ref], [child])
    fam.patterns.append(
        PatternTruth(
            "referral_decision_overdue",
            [
                expect(
                    "referral_decision_overdue",
                    c,
                    sc.council(fam, child.hh),
                    due,
                    [ref],
                    severity_under_one(c, ref.rec),
                )
                for c in children
            ],
        )
    )
    return True


def run_rdo(fam: Fam, spec: Spec) -> None:
    rdo_core(fam, spec.anchor, key_child(fam, spec.births[0]))


def setup_rr(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 420)
    birth = anchor - rng.randrange(300, 12 * YEAR)
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200)


def run_rr(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    agency = sc.council(fam)
    day = spec.anchor
    children = fam.children_at(0, day)
    if rng.random() < 0.5:
        referrals = []
        for _ in range(3):
            summary, concerns, sector = rng.choice(REFERRALS)
            kids = [c for c in children if c.under_18(day)]
            ref = sc.referral(
                fam, 0, office(rng, working_day_on_or_after(day)), kids, concerns, sector, summary
            )
            decision = sc.minutes_later(fam, ref.rec, 60, 240)
            fam.ev(
                agency,
                "decision",
                decision,
                sc.subjects_of(kids, []),
                "Information and advice given; signposted to early help.",
                {
                    "decision": "information_and_advice",
                    "rationale": "needs can be met by universal and early help services",
                },
            )
            referrals.append(ref)
            day += rng.randrange(60, 150)
        third = referrals[-1]
        alerts = [
            expect("repeat_referrals", c, agency, third.rec, referrals, "warning")
            for c in children
            if c.under_18(day_of(third.rec))
        ]
    else:
        summary, concerns, sector = rng.choice(REFERRALS)
        first = sc.referral(
            fam, 0, office(rng, working_day_on_or_after(day)), children, concerns, sector, summary
        )
        result = sc.family_assessment(fam, 0, children, first, complete_after=(12, 25))
        closure = result.closed
        assert closure is not None
        again = day_of(closure.rec) + rng.randrange(60, 300)
        summary, concerns, sector = rng.choice(REFERRALS)
        kids = fam.children_at(0, again)
        second = sc.referral(
            fam, 0, office(rng, working_day_on_or_after(again)), kids, concerns, sector, summary
        )
        fam.ev(
            agency,
            "decision",
            sc.minutes_later(fam, second.rec, 60, 240),
            sc.subjects_of(kids, []),
            "Information and advice given.",
            {"decision": "information_and_advice", "rationale": "needs can be met by early help"},
        )
        alerts = [
            expect("repeat_referrals", c, agency, second.rec, [closure, second], "warning")
            for c in kids
            if c in children
        ]
    fam.patterns.append(PatternTruth("repeat_referrals", alerts))


def setup_cn(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 380)
    birth = anchor - (
        rng.randrange(2 * YEAR + 60, 4 * YEAR)
        if rng.random() < 0.5
        else rng.randrange(5 * YEAR + 60, 11 * YEAR)
    )
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200)


def cn_core(fam: Fam, day: int, child: Person) -> bool:
    rng = fam.rng
    if child.hh is None or day > END - 100:
        return False
    age = day - child.birth
    services = fam.services(child.hh)
    if 2 * YEAR + 30 < age < 4 * YEAR + 200:
        pool = [
            (
                HV,
                "home_visit",
                "Home visit: home conditions very poor, dog faeces on the floor and "
                "no food in the fridge.",
            ),
            (
                services.nursery,
                "observation",
                "Arrived hungry again and ate three bowls of cereal; asking staff for food.",
            ),
            (
                services.nursery,
                "observation",
                "Poor hygiene: strong smell of urine, same clothes as "
                "last week, nappy very full on arrival.",
            ),
            (
                GP,
                "note",
                "Extensive dental decay; teeth have not been brushed. Referred to the "
                "community dental service.",
            ),
            (HV, "observation", "Seen in clinic: severe nappy rash and untreated head lice."),
        ]
    elif 5 * YEAR + 30 < age < 11 * YEAR:
        school = services.primary
        pool = [
            (
                school,
                "observation",
                "Attendance 78% this term, persistent absence; letters sent home.",
            ),
            (
                school,
                "observation",
                "Came to school hungry with no breakfast or packed lunch; fed by staff.",
            ),
            (
                GP,
                "note",
                "Extensive dental decay, six teeth need extraction under general anaesthetic.",
            ),
            (
                school,
                "observation",
                "Poor hygiene: same uniform all week, smells strongly; other children commenting.",
            ),
            (
                school,
                "observation",
                "Found alone near the main road at 6pm after school; mum "
                "thought he was at a friend's.",
            ),
        ]
    else:
        return False
    chosen = rng.sample(pool, 4)
    if len({agency for agency, _, _ in chosen}) < 2:
        chosen[-1] = next(item for item in pool if item[0] != chosen[0][0])
    days = sorted(day + rng.randrange(0, 90) for _ in chosen)
    mother = child.mother
    events = []
    for (agency, etype, text), when in zip(chosen, days, strict=True):
        occ = office(rng, when)
        rec = sc.minutes_later(fam, occ, 10, 120)
        if rng.random() < 0.2:
            rec = office(rng, day_of(occ) + rng.randrange(2, 8))
        subjects: list[tuple[Person, str]] = [(child, "child")]
        if mother is not None and agency == HV:
            subjects.append((mother, "parent"))
        details = {"child_seen": True} if etype == "home_visit" else None
        events.append(fam.ev(agency, etype, occ, subjects, text, details, rec=rec))
    ordered = sorted(events, key=lambda e: (e.rec, e.seq))
    fam.patterns.append(
        PatternTruth(
            "cumulative_neglect",
            [
                expect(
                    "cumulative_neglect",
                    child,
                    ordered[3].agency,
                    ordered[3].rec,
                    ordered,
                    "warning",
                ),
            ],
        )
    )
    return True


def run_cn(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    child = key_child(fam, spec.births[0])
    if rng.random() < 0.7:
        cn_core(fam, spec.anchor, child)
        return
    children = fam.children_at(0, spec.anchor)
    _, opened, start = neglect_route(fam, spec.anchor, children)
    progress = ["improved", "no_change", "no_change"]
    episode = sc.cp_episode(
        fam,
        0,
        children,
        start,
        "neglect",
        progress=progress,
        family_assessment=opened,
        strategy_summary="Strategy discussion: section 47 enquiry.",
    )
    second = episode.core_groups[2]
    fam.patterns.append(
        PatternTruth(
            "cumulative_neglect",
            [
                expect(
                    "cumulative_neglect",
                    c,
                    sc.council(fam),
                    second.rec,
                    [episode.core_groups[1], second],
                    "warning",
                )
                for c in children
            ],
        )
    )


def setup_wnb(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 170)
    birth = anchor - rng.randrange(150, 1400)
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 200)


def wnb_core(fam: Fam, day: int, child: Person) -> bool:
    rng = fam.rng
    second_day = day + rng.randrange(30, 150)
    if child.hh is None or day - child.birth < 120 or second_day > END - 5:
        return False
    if second_day >= add_months(child.birth, 60) - 5:
        return False
    trust = fam.services(child.hh).trust
    events = []
    for when in (day, second_day):
        agency, service = rng.choice(
            (
                (trust, "paediatric outpatients"),
                (trust, "audiology"),
                (GP, "immunisation clinic"),
                (HV, "2-year review"),
            )
        )
        occ = office(rng, when)
        events.append(
            fam.ev(
                agency,
                "appointment_missed",
                occ,
                [(child, "child")],
                f"Was not brought to {service} appointment.",
                {"service": service, "was_not_brought": True},
                rec=sc.minutes_later(fam, occ, 30, 240),
            )
        )
    fam.patterns.append(
        PatternTruth(
            "was_not_brought",
            [
                expect(
                    "was_not_brought", child, events[1].agency, events[1].rec, events, "warning"
                ),
            ],
        )
    )
    return True


def run_wnb(fam: Fam, spec: Spec) -> None:
    wnb_core(fam, spec.anchor, key_child(fam, spec.births[0]))


def run_ao(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    children = fam.children_at(0, spec.anchor)
    summary, concerns, sector = rng.choice(REFERRALS)
    ref = sc.referral(
        fam,
        0,
        office(rng, working_day_on_or_after(spec.anchor)),
        children,
        concerns,
        sector,
        summary,
    )
    opened = sc.family_assessment(fam, 0, children, ref, complete_after=(50, 59)).start
    due = add_working_days(ref.rec, 45)
    fam.patterns.append(
        PatternTruth(
            "assessment_overdue",
            [
                expect("assessment_overdue", c, sc.council(fam), due, [opened, ref], "warning")
                for c in children
            ],
        )
    )


def run_co(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    children = fam.children_at(0, spec.anchor)
    _, opened, start = neglect_route(fam, spec.anchor, children)
    episode = sc.cp_episode(
        fam,
        0,
        children,
        start,
        "neglect",
        icpc_after=rng.randrange(17, 20),
        family_assessment=opened,
        strategy_summary="Strategy discussion: section 47 enquiry.",
    )
    due = add_working_days(episode.strategy.rec, 10)
    sc.inform_all(
        fam, 0, add_working_days(episode.strategy.rec, 15) + 30, [episode.strategy], children
    )
    fam.patterns.append(
        PatternTruth(
            "conference_overdue",
            [
                expect("conference_overdue", c, sc.council(fam), due, [episode.strategy], "urgent")
                for c in children
            ],
        )
    )


def run_heac(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    child = key_child(fam, spec.births[0])
    children = fam.children_at(0, spec.anchor)
    summary, concerns, sector = rng.choice(REFERRALS)
    ref = sc.referral(
        fam,
        0,
        office(rng, working_day_on_or_after(spec.anchor)),
        children,
        concerns,
        sector,
        summary,
    )
    sc.family_assessment(fam, 0, children, ref, complete_after=(15, 25))
    services = fam.services(0)
    leaves = office(rng, day_of(ref.rec) + rng.randrange(70, 160))
    school = current_school(fam, child, leaves)
    back = day_of(leaves) + rng.randrange(90, 200)
    # The school records nothing more about a child who is not on its roll.
    fam.events = [
        e
        for e in fam.events
        if not (
            e.agency in (services.primary, services.secondary)
            and any(p is child for p, _ in e.subjects)
            and day_of(leaves) <= day_of(e.occ) <= back
        )
    ]
    ehe = fam.ev(
        school,
        "education_change",
        leaves,
        [(child, "child")],
        f"{child.given} withdrawn from school by parents for elective home education.",
        {"change": "elective_home_education"},
        shared=[sc.council(fam)],
        rec=sc.minutes_later(fam, leaves, 30, 180),
    )
    if back <= END:
        fam.ev(
            school,
            "education_change",
            office(rng, back),
            [(child, "child")],
            f"{child.given} returned to school.",
            {"change": "returned_to_school"},
        )
    fam.patterns.append(
        PatternTruth(
            "home_education_after_concern",
            [
                expect(
                    "home_education_after_concern", child, school, ehe.rec, [ehe, ref], "warning"
                ),
            ],
        )
    )


def run_cwsc(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    children = fam.children_at(0, spec.anchor)
    summary, concerns, sector = rng.choice(REFERRALS)
    ref = sc.referral(
        fam,
        0,
        office(rng, working_day_on_or_after(spec.anchor)),
        children,
        concerns,
        sector,
        summary,
    )
    closure = sc.family_assessment(fam, 0, children, ref, complete_after=(8, 16), seen=False).closed
    assert closure is not None
    fam.patterns.append(
        PatternTruth(
            "closed_without_seeing_child",
            [
                expect(
                    "closed_without_seeing_child",
                    c,
                    sc.council(fam),
                    closure.rec,
                    [closure, ref],
                    "warning",
                )
                for c in children
            ],
        )
    )
