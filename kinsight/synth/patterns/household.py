"""Patterns about the adults in a child's household: toxic trio, abuse, new adults."""

from __future__ import annotations

import random

from kinsight.synth import social_care as sc
from kinsight.synth.agencies import GP, HV, MENTAL_HEALTH
from kinsight.synth.background import office
from kinsight.synth.family import (
    YEAR,
    Fam,
    PatternTruth,
    Spec,
    man_birth,
    pick_given,
    pick_surname,
    random_address,
)
from kinsight.synth.patterns.common import (
    between,
    current_school,
    da_incident,
    drug_service,
    ensure_links,
    expect,
    mental_health_crisis,
    neglect_route,
    perpetrator_alerts,
    setup_household,
)
from kinsight.synth.workdays import (
    END,
    START,
    add_months,
    at,
    day_of,
)


def setup_trio(rng: random.Random) -> Spec:
    return setup_household(rng, 330)


def trio_core(fam: Fam, day: int) -> bool:
    rng = fam.rng
    mother, father = fam.mother, fam.father
    assert mother is not None and father is not None
    if father.hh != 0 or not fam.children_at(0, day):
        return False
    second_day = day + rng.randrange(30, 300)
    if second_day > END - 10:
        return False
    ensure_links(fam, 0, at(day, 8))
    variant = rng.randrange(3)
    if variant == 0:
        first = mental_health_crisis(fam, mother, day)
        second = drug_service(
            fam,
            father,
            second_day,
            "engaged",
            f"Assessment: {father.given} drinking two bottles of wine a day; "
            "engaged with alcohol key worker.",
        )
    elif variant == 1:
        first = drug_service(
            fam,
            mother,
            day,
            "positive_test",
            "Drug screen positive for cocaine and cannabis; engaged with key worker.",
        )
        second = mental_health_crisis(fam, mother, second_day)
    else:
        first = mental_health_crisis(fam, mother, day)
        second = da_incident(
            fam,
            0,
            second_day,
            mother,
            father,
            perpetrator=False,
            present=rng.random() < 0.5,
            injuries=False,
            risk="standard",
            summary="Verbal argument between the couple reported by a neighbour; "
            "no offences disclosed. DASH standard risk.",
        )
    if variant == 0:
        fam.ev(
            MENTAL_HEALTH,
            "mental_health_service",
            office(rng, day + rng.randrange(3, 10)),
            [(mother, "subject")],
            "Home treatment team visit; mood slightly improved.",
            {"status": "assessment"},
        )
    kids = fam.children_at(0, day_of(second.rec))
    fam.patterns.append(
        PatternTruth(
            "toxic_trio",
            [expect("toxic_trio", c, GP, second.rec, [first, second], "warning") for c in kids],
        )
    )
    return True


def run_trio(fam: Fam, spec: Spec) -> None:
    trio_core(fam, spec.anchor)


def setup_rda(rng: random.Random) -> Spec:
    return setup_household(rng, 340)


def rda_core(fam: Fam, day: int) -> bool:
    rng = fam.rng
    mother, father = fam.mother, fam.father
    assert mother is not None and father is not None
    second_day = day + rng.randrange(30, 330)
    if father.hh != 0 or not fam.children_at(0, day) or second_day > END - 10:
        return False
    ensure_links(fam, 0, at(day, 8))
    first = da_incident(
        fam,
        0,
        day,
        mother,
        father,
        perpetrator=False,
        present=True,
        injuries=False,
        risk="standard",
        summary="Verbal argument between the couple; children upstairs. No "
        "offences disclosed; DASH standard.",
    )
    second = da_incident(
        fam,
        0,
        second_day,
        mother,
        father,
        perpetrator=False,
        present=rng.random() < 0.6,
        injuries=False,
        risk="medium",
        summary="Second call this year: shouting and banging heard by "
        "neighbours. Couple separated for the night. DASH medium.",
    )
    kids = fam.children_at(0, day_of(second.rec))
    fam.patterns.append(
        PatternTruth(
            "repeat_domestic_abuse",
            [
                expect("repeat_domestic_abuse", c, GP, second.rec, [first, second], "warning")
                for c in kids
            ],
        )
    )
    return True


def run_rda(fam: Fam, spec: Spec) -> None:
    rda_core(fam, spec.anchor)


def setup_daoc(rng: random.Random) -> Spec:
    return setup_household(rng, 580)


def run_daoc(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    mother, father = fam.mother, fam.father
    assert mother is not None and father is not None
    children = fam.children_at(0, spec.anchor)
    perpetrator = rng.random() < 0.5
    if rng.random() < 0.5:
        ref = sc.referral(
            fam,
            0,
            office(rng, spec.anchor),
            children,
            ["emotional"],
            "education",
            f"School concerned: {children[-1].given} withdrawn and tearful in "
            "class, struggling with friendships.",
        )
        opened = sc.family_assessment(fam, 0, children, ref, complete_after=(30, 41)).start
        day = day_of(opened.rec) + rng.randrange(10, 30)
        after_plan = False
    else:
        _, started, start = neglect_route(fam, spec.anchor, children)
        episode = sc.cp_episode(
            fam,
            0,
            children,
            start,
            "neglect",
            family_assessment=started,
            strategy_summary="Strategy discussion: section 47 enquiry.",
        )
        assert episode.plan_end is not None
        opened = episode.plan_end
        day = day_of(episode.end) + rng.randrange(30, 150)
        after_plan = True
    ensure_links(fam, 0, at(day, 8))
    da = da_incident(
        fam,
        0,
        day,
        mother,
        father,
        perpetrator=perpetrator,
        present=True,
        injuries=perpetrator,
        risk="high" if perpetrator else "medium",
        summary=(
            f"{father.given} pushed {mother.given} against a wall during an argument; "
            "children present. He left before police arrived."
            if perpetrator
            else "Argument between the couple escalated; children present and upset. No "
            "offences disclosed."
        ),
    )
    kids = fam.children_at(0, day_of(da.rec))
    sc.inform_all(fam, 0, sc.minutes_later(fam, da.rec, 60, 180), [da], kids)
    alerts = [
        expect("domestic_abuse_on_open_case", c, sc.council(fam), da.rec, [da, opened], "urgent")
        for c in children
        if c in kids
    ]
    if after_plan:
        alerts += [
            expect("new_concern_after_plan_end", c, sc.council(fam), da.rec, [da], "warning")
            for c in children
            if c in kids
        ]
    if perpetrator:
        alerts += perpetrator_alerts(fam, father, da)
    fam.patterns.append(PatternTruth("domestic_abuse_on_open_case", alerts))


def setup_nah(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 70)
    birth = anchor - rng.randrange(40, 4 * YEAR)
    return Spec(anchor=anchor, births=[birth], father_present=False, window_latest=anchor - 200)


def run_nah(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    mother = fam.mother
    assert mother is not None
    partner = fam.add_person(
        "partner",
        "male",
        pick_given(rng, "male", False),
        pick_surname(rng),
        man_birth(rng, mother),
        0,
    )
    partner.joins = spec.anchor
    partner.partnership_start = spec.anchor
    partner.own_addresses = [(0, random_address(rng, fam.households[0].area))]
    occ = office(rng, spec.anchor + rng.randrange(3, 30))
    kids = fam.children_at(0, day_of(occ))
    young = [c for c in kids if day_of(occ) < add_months(c.birth, 60)]
    agency = HV
    event = fam.ev(
        agency,
        "household_change",
        occ,
        [(partner, "subject")] + [(c, "child") for c in kids],
        f"Mum reports that her new partner {partner.given} has moved in; he was "
        "present at the visit.",
        {"change": "joined"},
        rec=sc.minutes_later(fam, occ, 30, 180),
    )
    fam.rel(agency, mother, partner, "partner", spec.anchor, event.rec)
    fam.ev(
        GP,
        "gp_registration",
        office(rng, day_of(occ) + rng.randrange(20, 60)),
        [(partner, "subject")],
        "New patient registration.",
        {"status": "registered"},
    )
    fam.patterns.append(
        PatternTruth(
            "new_adult_in_household",
            [
                expect("new_adult_in_household", c, agency, event.rec, [event], "warning")
                for c in young
            ],
        )
    )


def setup_ralc(rng: random.Random) -> Spec:
    anchor = between(rng, START + 500, END - 530)
    joins = anchor + rng.randrange(90, 500)
    birth = joins - rng.randrange(200, 8 * YEAR)
    return Spec(
        anchor=anchor,
        births=[min(birth, anchor - 30)],
        father_present=False,
        second_household="ex",
        window_latest=anchor - 200,
        half_sibling_births=[anchor - rng.randrange(400, 9 * YEAR)],
    )


def run_ralc(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    man = fam.other_man
    mother = fam.mother
    assert man is not None and mother is not None
    ex = next(p for p in fam.persons if p.role == "ex_partner")
    # He lives with his ex-partner at her address until the incident, then on his own.
    home = fam.households[1].address_at(spec.anchor)
    leaves = spec.anchor + rng.randrange(1, 30)
    man.own_addresses = [(0, home), (leaves, random_address(rng, fam.households[1].area))]
    man.hh = 1
    man.leaves = leaves
    ensure_links(fam, 1, at(spec.anchor, 8))
    da = da_incident(
        fam,
        1,
        spec.anchor,
        ex,
        man,
        perpetrator=True,
        present=True,
        injuries=True,
        risk="high",
        # No injury words: the child present is named, and a reader might take them as his.
        summary=f"{man.given} assaulted his partner {ex.given} at home; child present. "
        "Arrested and bailed away from the address.",
    )
    joins = spec.anchor + rng.randrange(90, 500)
    joins = min(joins, END - 40)
    # From here on he is part of the first household.
    man.hh, man.joins, man.leaves = 0, joins, None
    man.own_addresses = [(0, home), (leaves, man.own_addresses[1][1])]
    man.partnership_start = joins
    occ = office(rng, joins + rng.randrange(3, 25))
    kids = fam.children_at(0, day_of(occ))
    # Under five on the day the join is recorded: that is when the rule looks at the child.
    young = [c for c in kids if day_of(occ) < add_months(c.birth, 60) - 3]
    agency = HV if young else current_school(fam, max(kids, key=lambda c: c.birth), occ)
    event = fam.ev(
        agency,
        "household_change",
        occ,
        [(man, "subject")] + [(c, "child") for c in kids],
        f"Mum's new partner {man.given} has moved in with the family.",
        {"change": "joined"},
        rec=sc.minutes_later(fam, occ, 30, 180),
    )
    fam.rel(agency, mother, man, "partner", joins, event.rec)
    alerts = perpetrator_alerts(fam, man, da)
    for alert in alerts:
        if alert.child in kids:
            alert.evidence = [da, event]
    alerts += [
        expect("new_adult_in_household", c, agency, event.rec, [event], "warning") for c in young
    ]
    alerts += [
        expect("child_moves_to_risk_adult", c, agency, event.rec, [da, event], "warning")
        for c in kids
    ]
    fam.patterns.append(PatternTruth("risk_adult_linked_children", alerts))
