"""Injected harm patterns, each built to raise named alerts at moments the truth can state.

A pattern is a scenario: `setup` says what the family must look like (which children, born
when), `run` writes the events and records the alerts a correct engine must raise, each with the
moment `feed-format.md` defines:

- for a pattern rule, the `recorded_at` of the record that completed it (an injury noted in a
  referral's text counts as much as a coded `injury` event, so the earliest such record wins);
- for a deadline rule, the due moment (N working days after the `recorded_at` that started the
  clock, at the same time of day), since the records it rests on were all recorded before.

Everything around the injected failure is done on time (see `social_care.py`), so the family
raises nothing else of substance. Where a pattern necessarily raises a second rule (a bruise on a
four-month-old is also `bruising_pattern_of_concern`), the truth lists that alert too.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from kinsight.synth.family import Fam, Spec
from kinsight.synth.patterns.birth import (
    run_lancashire,
    run_nas,
    run_uikf,
    setup_lancashire,
    setup_nas,
    setup_uikf,
)
from kinsight.synth.patterns.common import setup_generic
from kinsight.synth.patterns.household import (
    rda_core,
    run_daoc,
    run_nah,
    run_ralc,
    run_rda,
    run_trio,
    setup_daoc,
    setup_nah,
    setup_ralc,
    setup_rda,
    setup_trio,
    trio_core,
)
from kinsight.synth.patterns.injuries import (
    run_nmi,
    run_tox,
    run_ycui,
    setup_nmi,
    setup_tox,
    setup_ycui,
)
from kinsight.synth.patterns.process import (
    cn_core,
    rdo_core,
    run_ao,
    run_cn,
    run_co,
    run_cwsc,
    run_heac,
    run_pe,
    run_rdo,
    run_rr,
    run_sdo,
    run_tpa,
    run_wnb,
    sdo_core,
    setup_cn,
    setup_pe,
    setup_rdo,
    setup_rr,
    setup_sdo,
    setup_tpa,
    setup_wnb,
    wnb_core,
)
from kinsight.synth.workdays import END, day_of


@dataclass(frozen=True)
class Scenario:
    name: str
    setup: Callable[[random.Random], Spec]
    run: Callable[[Fam, Spec], None]
    follow_on: bool  # whether a second, later pattern may be added to the same family


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("non_mobile_infant_injury", setup_nmi, run_nmi, True),
    Scenario("young_child_unexplained_injury", setup_ycui, run_ycui, True),
    Scenario("neonatal_abstinence", setup_nas, run_nas, True),
    Scenario("lancashire", setup_lancashire, run_lancashire, False),
    Scenario("child_positive_toxicology", setup_tox, run_tox, True),
    Scenario("toxic_trio", setup_trio, run_trio, True),
    Scenario("repeat_domestic_abuse", setup_rda, run_rda, True),
    Scenario("domestic_abuse_on_open_case", setup_daoc, run_daoc, False),
    Scenario("plan_ended_risk_persists", setup_pe, run_pe, True),
    Scenario("third_party_allegation_no_strategy", setup_tpa, run_tpa, False),
    Scenario("strategy_discussion_overdue", setup_sdo, run_sdo, True),
    Scenario("referral_decision_overdue", setup_rdo, run_rdo, True),
    Scenario("repeat_referrals", setup_rr, run_rr, True),
    Scenario("unborn_in_known_family", setup_uikf, run_uikf, False),
    Scenario("cumulative_neglect", setup_cn, run_cn, True),
    Scenario("was_not_brought", setup_wnb, run_wnb, True),
    Scenario("new_adult_in_household", setup_nah, run_nah, False),
    Scenario("risk_adult_linked_children", setup_ralc, run_ralc, False),
    Scenario("assessment_overdue", setup_generic, run_ao, True),
    Scenario("conference_overdue", setup_generic, run_co, True),
    Scenario("home_education_after_concern", setup_generic, run_heac, True),
    Scenario("closed_without_seeing_child", setup_generic, run_cwsc, True),
)

FOLLOW_ONS = (
    "cumulative_neglect",
    "was_not_brought",
    "strategy_discussion_overdue",
    "referral_decision_overdue",
    "repeat_domestic_abuse",
    "toxic_trio",
)
FOLLOW_ON_GAP = 550  # days: beyond every rule's look-back window (12 months) with room to spare


def add_follow_on(fam: Fam, after: int) -> None:
    """A second, independent pattern, long after the first has finished."""
    rng = fam.rng
    earliest = day_of(after) + FOLLOW_ON_GAP
    if earliest > END - 400:
        return
    day = rng.randrange(earliest, END - 380)
    # A different rule from any the family already raises, so that each expected alert is the
    # first of its rule for the child and no question of episodes arises.
    raised = {alert.rule for pattern in fam.patterns for alert in pattern.expected}
    kinds = [kind for kind in FOLLOW_ONS if kind not in raised]
    if not kinds:
        return
    kind = rng.choice(kinds)
    children = fam.children_at(0, day)
    rng.shuffle(children)
    if kind == "repeat_domestic_abuse":
        rda_core(fam, day)
    elif kind == "toxic_trio":
        trio_core(fam, day)
    else:
        core = {
            "cumulative_neglect": cn_core,
            "was_not_brought": wnb_core,
            "strategy_discussion_overdue": sdo_core,
            "referral_decision_overdue": rdo_core,
        }[kind]
        for child in children:
            if core(fam, day, child):
                break
