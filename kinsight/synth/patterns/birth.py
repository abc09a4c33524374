"""Patterns around a birth: neonatal abstinence, the Lancashire sequence, a known family."""

from __future__ import annotations

import random

from kinsight.synth import social_care as sc
from kinsight.synth.background import office, write_birth
from kinsight.synth.family import (
    EVERYONE,
    YEAR,
    Ev,
    Fam,
    PatternTruth,
    Person,
    Spec,
    random_address,
)
from kinsight.synth.patterns.common import (
    NEUTRAL_STRATEGY,
    between,
    da_incident,
    drug_service,
    ensure_links,
    expect,
    key_child,
    neglect_route,
    perpetrator_alerts,
)
from kinsight.synth.workdays import (
    END,
    START,
    add_working_days,
    at,
    day_of,
    working_day_on_or_after,
)

NAS_TEXT = (
    "Born at {weeks} weeks. Baby jittery with a high-pitched cry; neonatal abstinence syndrome "
    "suspected, NAS scoring commenced and transferred to the neonatal unit. Mother disclosed "
    "heroin use up to the birth."
)


def setup_nas(rng: random.Random) -> Spec:
    birth = between(rng, START + 400, END - 300)
    return Spec(
        anchor=birth,
        births=[birth],
        scripted_births=(0,),
        window_latest=birth - 300,
        father_present=True,
    )


def _nas_birth(fam: Fam, spec: Spec) -> tuple[Person, Ev]:
    baby = key_child(fam, spec.births[0])
    pregnancy = baby.pregnancy
    assert pregnancy is not None and pregnancy.birth_day is not None
    weeks = 40 - (pregnancy.edd - pregnancy.birth_day + 6) // 7
    write_birth(fam, pregnancy, neonatal_abstinence=True, summary=NAS_TEXT.format(weeks=weeks))
    assert pregnancy.birth_ev is not None
    return baby, pregnancy.birth_ev


def _nas_discharge(fam: Fam, baby: Person, after: int) -> int:
    """A discharge planning meeting, then the discharge: never home without a safe plan."""
    rng = fam.rng
    trust = fam.services(0).trust
    mother = baby.mother
    assert mother is not None
    meeting = office(
        rng, working_day_on_or_after(max(baby.birth + rng.randrange(8, 13), day_of(after) + 1))
    )
    subjects: list[tuple[Person, str]] = [(baby, "child"), (mother, "parent")]
    fam.ev(
        trust,
        "discharge_planning_meeting",
        meeting,
        subjects,
        "Discharge planning meeting with CSC, HV and drug service: safe to discharge home "
        "with mother under the agreed plan.",
        {"outcome": "safe_to_discharge"},
        shared=EVERYONE,
    )
    leave = office(rng, working_day_on_or_after(day_of(meeting) + 1))
    fam.ev(
        trust,
        "hospital_discharge",
        leave,
        subjects,
        "Discharged home with mother under the discharge plan; HV and CSC informed.",
        {"discharge_to": "home with mother"},
        shared=EVERYONE,
    )
    return leave


def run_nas(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    baby, birth = _nas_birth(fam, spec)
    mother = baby.mother
    assert mother is not None
    children = fam.children_at(0, baby.birth)
    ref = sc.referral(
        fam,
        0,
        sc.minutes_later(fam, birth.rec, 60, 240),
        [baby],
        ["substance_misuse"],
        "health",
        f"Hospital referral: newborn {baby.given} with neonatal abstinence syndrome; "
        "mother was using heroin up to the birth.",
    )
    sc.inform_all(fam, 0, ref.rec + 30, [birth], [baby])
    sc.male_checks(fam, 0, sc.office_on(fam, add_working_days(ref.rec, 2)))
    drug_service(
        fam,
        mother,
        baby.birth + rng.randrange(3, 8),
        "referred",
        "Referred by maternity after the birth: heroin use. Assessment booked.",
    )
    drug_service(
        fam,
        mother,
        baby.birth + rng.randrange(12, 25),
        "engaged",
        "Engaged with key worker; started on methadone script.",
    )
    _nas_discharge(fam, baby, ref.rec)
    result = sc.family_assessment(fam, 0, children, ref, close=False, complete_after=(20, 36))
    sc.step_down(fam, 0, children, result.last)
    fam.patterns.append(
        PatternTruth(
            "neonatal_abstinence",
            [
                expect("neonatal_abstinence", baby, birth.agency, birth.rec, [birth], "urgent"),
            ],
        )
    )


def setup_lancashire(rng: random.Random) -> Spec:
    birth = between(rng, START + 400, END - 440)
    return Spec(
        anchor=birth,
        births=[birth],
        scripted_births=(0,),
        window_latest=birth - 300,
        father_present=True,
    )


def run_lancashire(fam: Fam, spec: Spec) -> None:
    """Neonatal abstinence, a plan ended at the first review despite relapse, then violence.

    After the Lancashire review (2021): a baby born withdrawing, a child protection plan ended
    about ten weeks later while drug use continued, and a violent incident after it ended.
    """
    rng = fam.rng
    baby, birth = _nas_birth(fam, spec)
    mother, father = baby.mother, baby.father
    assert mother is not None and father is not None
    children = fam.children_at(0, baby.birth)
    ref = sc.referral(
        fam,
        0,
        sc.minutes_later(fam, birth.rec, 60, 240),
        [baby],
        ["substance_misuse"],
        "health",
        f"Hospital referral: newborn {baby.given} with neonatal abstinence syndrome; "
        "mother was using heroin up to the birth.",
    )
    drug_service(
        fam,
        mother,
        baby.birth + rng.randrange(3, 8),
        "referred",
        "Referred by maternity after the birth: heroin use. Assessment booked.",
    )
    start = sc.minutes_later(fam, ref.rec, 60, 180)
    sc.inform_all(fam, 0, start - 5, [birth], [baby])
    episode = sc.cp_episode(
        fam, 0, children, start, "neglect", end="first_review", strategy_summary=NEUTRAL_STRATEGY
    )
    _nas_discharge(fam, baby, episode.strategy.rec)
    end = episode.end
    relapse = drug_service(
        fam,
        mother,
        day_of(end) - rng.randrange(20, 45),
        "relapse",
        "Mum disclosed she has relapsed and used heroin on top of her methadone last week.",
    )
    assert episode.end_conference is not None and episode.plan_end is not None
    ended = [
        expect(
            "plan_ended_risk_persists",
            c,
            sc.council(fam),
            end,
            [episode.plan_end, episode.end_conference],
            "warning",
        )
        for c in children
    ]
    fam.patterns.append(
        PatternTruth(
            "neonatal_abstinence",
            [
                expect("neonatal_abstinence", baby, birth.agency, birth.rec, [birth], "urgent"),
            ],
        )
    )
    fam.patterns.append(PatternTruth("plan_ended_risk_persists", ended))
    day = day_of(end) + rng.randrange(30, 150)
    ensure_links(fam, 0, at(day, 12))
    da = da_incident(
        fam,
        0,
        day,
        mother,
        father,
        perpetrator=True,
        present=True,
        injuries=True,
        risk="high",
        summary=f"Violent domestic incident: {father.given} assaulted "
        f"{mother.given} in front of the children; he was arrested. Both children "
        "were in the room.",
    )
    fam.ev(
        sc.council(fam),
        "note",
        sc.office_on(fam, da.rec + 60),
        [(c, "child") for c in children],
        "Police notification received about the incident; child in need plan to be reviewed.",
    )
    kids = fam.children_at(0, day_of(da.rec))
    sc.inform_all(fam, 0, sc.minutes_later(fam, da.rec, 60, 180), [da], kids)
    alerts = [
        expect("domestic_abuse_on_open_case", c, sc.council(fam), da.rec, [da], "urgent")
        for c in children
        if c in kids
    ]
    alerts += [
        expect("new_concern_after_plan_end", c, sc.council(fam), da.rec, [da], "warning")
        for c in children
        if c in kids
    ]
    alerts += [
        expect("toxic_trio", c, sc.council(fam), da.rec, [relapse, da], "warning") for c in kids
    ]
    alerts += perpetrator_alerts(fam, father, da)
    fam.patterns.append(PatternTruth("domestic_abuse_on_open_case", alerts))


def setup_uikf(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 10 - 280 - 160 - 160)
    removal = anchor + rng.randrange(115, 161)
    latest_birth = END - 10
    birth = removal + rng.randrange(150, max(151, min(900, latest_birth - removal - 280))) + 280
    birth = min(birth, latest_birth)
    older = anchor - rng.randrange(YEAR, 8 * YEAR)
    return Spec(
        anchor=anchor,
        births=[older, birth],
        older=0,
        father_present=True,
        window_latest=anchor - 200,
        removed={0: removal},
    )


def run_uikf(fam: Fam, spec: Spec) -> None:
    older = key_child(fam, spec.births[0])
    baby = key_child(fam, spec.births[1])
    removal = spec.removed[0]
    children = [older]
    _, opened, start = neglect_route(fam, spec.anchor, children)
    episode = sc.cp_episode(
        fam,
        0,
        children,
        start,
        "neglect",
        end="removal",
        removal_day=removal,
        family_assessment=opened,
        strategy_summary="Strategy discussion: section 47 enquiry.",
    )
    older.own_addresses = [(removal, random_address(fam.rng, fam.households[0].area))]
    pregnancy = baby.pregnancy
    assert pregnancy is not None and pregnancy.booking_ev is not None
    booking = pregnancy.booking_ev
    assert episode.care_proceedings is not None
    due = max(add_working_days(booking.rec, 5), at(pregnancy.edd - 24 * 7, 0))
    fam.patterns.append(
        PatternTruth(
            "unborn_in_known_family",
            [
                expect(
                    "unborn_in_known_family",
                    baby,
                    pregnancy.trust,
                    booking.rec,
                    [booking, episode.care_proceedings],
                    "warning",
                ),
                expect(
                    "pre_birth_referral_missing", baby, pregnancy.trust, due, [booking], "warning"
                ),
            ],
        )
    )
