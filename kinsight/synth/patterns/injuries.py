"""Injuries and poisoning in young children: the injury rules and `child_positive_toxicology`."""

from __future__ import annotations

import random

from kinsight.synth import social_care as sc
from kinsight.synth.agencies import GP, HV
from kinsight.synth.background import office
from kinsight.synth.family import (
    Ev,
    Fam,
    PatternTruth,
    Person,
    Spec,
)
from kinsight.synth.patterns.common import (
    NEUTRAL_STRATEGY,
    OTHER_SITES,
    TEN4_SITES,
    between,
    expect,
    key_child,
)
from kinsight.synth.workdays import (
    END,
    START,
    add_working_days,
    at,
    day_of,
    working_day_on_or_after,
)


def setup_nmi(rng: random.Random) -> Spec:
    anchor = between(rng, START + 400, END - 220)
    age = rng.randrange(40, 141) if rng.random() < 0.5 else rng.randrange(155, 173)
    birth = anchor - age
    return Spec(anchor=anchor, births=[birth], window_latest=birth - 100)


def run_nmi(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    baby = key_child(fam, spec.births[0])
    services = fam.services(0)
    young = spec.anchor - baby.birth < 150  # under five months: any bruise is TEN-4-FACESp
    kind = rng.choice(("bruise", "bruise", "bruise", "burn", "bite"))
    site = rng.choice((TEN4_SITES + OTHER_SITES) if young else OTHER_SITES)
    if kind == "burn":
        site = rng.choice(("back of the hand", "left forearm", "right foot"))
    explained = rng.random() < 0.6
    explanation = rng.choice(
        (
            "mum says his older brother grabbed him",
            "mum says she caught his arm in the cot bars",
            "parents say he rolled against the radiator",
            "dad says the dog jumped up at him",
        )
    )
    reason = explanation if explained else "parents unsure how it happened; no explanation offered"
    words = {"bruise": "bruise", "burn": "small burn", "bite": "bite mark"}[kind]
    recorder = rng.choice(("hv", "gp", "ed") + (("nursery",) if not young else ()))
    day = working_day_on_or_after(spec.anchor)
    if recorder == "ed":
        occ = at(spec.anchor, rng.randrange(9, 21), 5 * rng.randrange(12))
        agency, etype = services.trust, "hospital_attendance"
    else:
        occ = office(rng, day)
        agency = {"hv": HV, "gp": GP, "nursery": services.nursery}[recorder]
        etype = {"hv": "home_visit", "gp": "note", "nursery": "observation"}[recorder]
    age_text = f"{(spec.anchor - baby.birth) // 30}-month-old"
    text = f"{words.capitalize()} to {site} of {age_text} {baby.given}; {reason}."
    rec = sc.minutes_later(fam, occ, 20, 120)
    mother = baby.mother
    assert mother is not None
    subjects: list[tuple[Person, str]] = [(baby, "child"), (mother, "parent")]
    findings: list[Ev] = []
    if rng.random() < 0.6:
        details: dict[str, object] = {"injury": kind, "body_site": site, "explained": explained}
        if explained:
            details["explanation"] = explanation
        findings.append(
            fam.ev(
                agency, "injury", occ, subjects, text, details, shared=[sc.council(fam)], rec=rec
            )
        )
    else:
        details = {"child_seen": True} if etype == "home_visit" else {}
        if etype == "hospital_attendance":
            details = {"setting": "emergency", "reason": "injury"}
        findings.append(
            fam.ev(
                agency,
                etype,
                occ,
                subjects,
                text,
                details or None,
                shared=[sc.council(fam)],
                rec=rec,
            )
        )
    sector = {"hv": "health", "gp": "health", "ed": "health", "nursery": "early_years"}[recorder]
    ref = sc.referral(
        fam,
        0,
        sc.minutes_later(fam, occ, 40, 120),
        [baby],
        ["physical"],
        sector,
        f"Referral: {words} to {site} of non-mobile {age_text} {baby.given}; {reason}.",
    )
    findings.append(ref)
    seen = sc.visit(
        fam,
        0,
        sc.minutes_later(fam, ref.rec, 60, 150),
        [baby],
        f"Duty social worker visited: {baby.given} seen with parents, who were cooperative.",
    )
    medical = fam.ev(
        services.trust,
        "medical_assessment",
        sc.minutes_later(fam, ref.rec, 120, 240),
        subjects,
        f"Child protection medical: {words} to {site}. Skeletal survey and bloods "
        "requested; no other marks.",
        {
            "assessment": "child_protection_medical",
            "findings": "consistent with explanation" if explained else "unexplained",
        },
        shared=[sc.council(fam)],
    )
    findings.append(medical)
    start = sc.minutes_later(fam, max(seen.rec, medical.rec, findings[0].rec), 30, 90)
    children = fam.children_at(0, day_of(start)) or [baby]
    if explained:
        strat = sc.strategy(
            fam,
            0,
            start,
            children,
            "no_further_action",
            "Strategy discussion with police and paediatrician: medical findings "
            "consistent with the account given; no further action under "
            "section 47. HV to continue enhanced support.",
        )
        sc.inform_all(fam, 0, strat.rec + 60, [findings[0], strat], [baby])
        sc.close_case(
            fam,
            0,
            sc.office_on(fam, add_working_days(strat.rec, 2)),
            children,
            "Case closed after strategy discussion; HV enhanced support.",
        )
    else:
        sc.inform_all(fam, 0, start - 10, [findings[0]], [baby])
        sc.enquiry_without_plan(fam, 0, children, start, NEUTRAL_STRATEGY)
    first = min(findings, key=lambda e: e.rec)
    raised = first.rec
    owner = first.agency
    alerts = [expect("non_mobile_infant_injury", baby, owner, raised, [first], "urgent")]
    if kind == "bruise" and (young or site in TEN4_SITES):
        alerts.append(expect("bruising_pattern_of_concern", baby, owner, raised, [first], "urgent"))
    if not explained:
        alerts.append(
            expect("young_child_unexplained_injury", baby, owner, raised, [first], "urgent")
        )
    fam.patterns.append(PatternTruth("non_mobile_infant_injury", alerts))


def setup_ycui(rng: random.Random) -> Spec:
    anchor = between(rng, START + 800, END - 400)
    kind = rng.choice(("fracture", "head_injury", "burn"))
    age = rng.randrange(380, 520) if kind == "fracture" else rng.randrange(380, 700)
    birth = anchor - age
    return Spec(anchor=anchor, births=[birth], window_latest=birth - 30, variant=kind)


def run_ycui(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    kind = spec.variant
    child = key_child(fam, spec.births[0])
    mother = child.mother
    assert mother is not None
    trust = fam.services(0).trust
    occ = at(spec.anchor, rng.randrange(8, 21), 5 * rng.randrange(12))
    subjects: list[tuple[Person, str]] = [(child, "child"), (mother, "parent")]
    fam.ev(
        trust,
        "hospital_attendance",
        occ,
        subjects,
        "Brought to ED by mother: child irritable and unsettled, not settling with calpol.",
        {"setting": "emergency", "reason": "irritable child"},
        rec=occ + 15,
    )
    site, words, explained = {
        "fracture": ("left femur", "X-ray: spiral fracture of the left femur", False),
        "head_injury": (
            "head",
            "CT head: skull fracture with a small subdural haemorrhage",
            rng.random() < 0.5,
        ),
        "burn": ("back of the hand", "Burn to the back of the hand", False),
    }[kind]
    account = "Mum says he fell from the sofa." if explained else "No explanation offered."
    details: dict[str, object] = {"injury": kind, "body_site": site, "explained": explained}
    if explained:
        details["explanation"] = "fell from the sofa"
    injury = fam.ev(
        trust,
        "injury",
        sc.minutes_later(fam, occ, 90, 240),
        subjects,
        f"{words}. {account}",
        details,
        shared=[sc.council(fam)],
    )
    children = fam.children_at(0, day_of(injury.rec))
    ref = sc.referral(
        fam,
        0,
        sc.minutes_later(fam, injury.rec, 30, 90),
        [child],
        ["physical"],
        "health",
        f"ED referral: {words.lower()} in {child.given}, aged under two. {account}",
    )
    start = sc.minutes_later(fam, ref.rec, 60, 150)
    sc.inform_all(fam, 0, start - 5, [injury], [child])
    if rng.random() < 0.6:
        sc.cp_episode(fam, 0, children, start, "physical", strategy_summary=NEUTRAL_STRATEGY)
    else:
        sc.enquiry_without_plan(fam, 0, children, start, NEUTRAL_STRATEGY)
    fam.patterns.append(
        PatternTruth(
            "young_child_unexplained_injury",
            [
                expect(
                    "young_child_unexplained_injury", child, trust, injury.rec, [injury], "urgent"
                ),
            ],
        )
    )


def setup_tox(rng: random.Random) -> Spec:
    anchor = between(rng, START + 700, END - 420)
    birth = anchor - rng.randrange(400, 1500)
    return Spec(anchor=anchor, births=[birth], window_latest=anchor - 300)


def run_tox(fam: Fam, spec: Spec) -> None:
    rng = fam.rng
    child = key_child(fam, spec.births[0])
    mother = child.mother
    assert mother is not None
    trust = fam.services(0).trust
    subjects: list[tuple[Person, str]] = [(child, "child"), (mother, "parent")]
    occ = at(spec.anchor, rng.randrange(10, 22), 5 * rng.randrange(12))
    fam.ev(
        trust,
        "hospital_attendance",
        occ,
        subjects,
        "Brought to ED by mum: drowsy and difficult to rouse. Admitted for observation.",
        {"setting": "emergency", "reason": "reduced consciousness"},
        rec=occ + 20,
    )
    fam.ev(
        trust,
        "hospital_admission",
        occ + 90,
        subjects,
        "Admitted to the children's ward.",
        {"reason": "observation"},
    )
    leave = office(rng, spec.anchor + rng.randrange(1, 3))
    fam.ev(
        trust,
        "hospital_discharge",
        leave,
        subjects,
        "Alert and eating; discharged home. Bloods and urine sent to the laboratory.",
        {"discharge_to": "home with mother"},
    )
    substance = rng.choice(("methadone", "morphine", "cocaine", "diazepam"))
    result = office(rng, working_day_on_or_after(day_of(leave) + rng.randrange(1, 5)))
    tox = fam.ev(
        trust,
        "toxicology",
        result,
        [(child, "child")],
        f"Urine toxicology positive for {substance}. Not prescribed to the child.",
        {"substance": substance, "result": "positive", "prescribed": False},
        shared=[sc.council(fam)],
        rec=sc.minutes_later(fam, result, 10, 60),
    )
    children = fam.children_at(0, day_of(tox.rec))
    ref = sc.referral(
        fam,
        0,
        sc.minutes_later(fam, tox.rec, 30, 90),
        [child],
        ["physical"],
        "health",
        f"Paediatrician referral: {child.given}'s urine toxicology is "
        f"positive for {substance}, not prescribed.",
    )
    start = sc.minutes_later(fam, ref.rec, 60, 150)
    sc.inform_all(fam, 0, start - 5, [tox], [child])
    sc.cp_episode(fam, 0, children, start, "physical", strategy_summary=NEUTRAL_STRATEGY)
    fam.patterns.append(
        PatternTruth(
            "child_positive_toxicology",
            [
                expect("child_positive_toxicology", child, trust, tox.rec, [tox], "urgent"),
            ],
        )
    )
