from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from kinsight.synth import generate_population
from kinsight.synth.patterns import SCENARIOS
from kinsight.synth.tests import audit

# The rule ids the generator promises an injected pattern for.
PROMISED = {
    "non_mobile_infant_injury",
    "young_child_unexplained_injury",
    "neonatal_abstinence",
    "child_positive_toxicology",
    "toxic_trio",
    "repeat_domestic_abuse",
    "domestic_abuse_on_open_case",
    "plan_ended_risk_persists",
    "third_party_allegation_no_strategy",
    "strategy_discussion_overdue",
    "referral_decision_overdue",
    "repeat_referrals",
    "unborn_in_known_family",
    "cumulative_neglect",
    "was_not_brought",
    "new_adult_in_household",
    "risk_adult_linked_children",
}
UNBORN_RULES = {"unborn_in_known_family", "pre_birth_referral_missing"}


def test_every_promised_rule_has_a_pattern_raising_it(harmed: audit.Population) -> None:
    raised = {
        alert["rule"]
        for pattern in harmed.truth["patterns"]
        for alert in pattern["expected_alerts"]
    }
    assert PROMISED <= raised
    assert PROMISED <= {pattern["pattern"] for pattern in harmed.truth["patterns"]}


def test_every_scenario_runs_when_each_family_carries_a_pattern(
    harmed: audit.Population,
) -> None:
    scenarios = Counter(pattern["scenario"] for pattern in harmed.truth["patterns"])
    assert {scenario.name for scenario in SCENARIOS} <= set(scenarios)


def test_patterns_appear_in_proportion_to_the_harm_share(tmp_path: Path) -> None:
    generate_population(tmp_path, 60, seed=4, harm_share=0.25)
    population = audit.load(tmp_path)
    families = {pattern["family"] for pattern in population.truth["patterns"]}
    assert len(families) in (14, 15, 16)


def test_no_harm_share_means_no_patterns(ordinary: audit.Population) -> None:
    assert ordinary.truth["patterns"] == []


def test_every_truth_record_and_expected_alert_rests_on_the_feeds(
    harmed: audit.Population, mixed_population: audit.Population
) -> None:
    assert audit.truth_consistency(harmed) == []
    assert audit.truth_consistency(mixed_population) == []


def test_every_expected_alert_is_about_a_child_under_18(harmed: audit.Population) -> None:
    for pattern in harmed.truth["patterns"]:
        for alert in pattern["expected_alerts"]:
            child = harmed.people[harmed.owner[tuple(alert["child"])]]
            assert child["role"] == "child"
            born = audit.birth_day(child["birth_date"])
            if born is not None:
                age_days = audit.moment(alert["raised_at"]) // 1440 - born
                assert age_days < 18 * 365
                assert age_days >= 0 or alert["rule"] in UNBORN_RULES


def test_twins_are_two_people_with_the_same_birthday_and_distinct_records(
    ordinary: audit.Population,
) -> None:
    assert ordinary.truth["twins"]
    for first, second in ordinary.truth["twins"]:
        a, b = ordinary.people[first], ordinary.people[second]
        assert a["birth_date"] == b["birth_date"]
        assert a["household"] == b["household"]
        assert not {tuple(r) for r in a["records"]} & {tuple(r) for r in b["records"]}


def test_unborn_babies_are_recorded_then_updated_with_the_same_id_at_birth(
    ordinary: audit.Population,
) -> None:
    versions: dict[tuple[str, str], list[dict[str, object]]] = {}
    for _, line in ordinary.lines:
        if line["kind"] == "person":
            versions.setdefault((line["agency"], line["id"]), []).append(line)
    unborn = [lines for lines in versions.values() if lines[0].get("unborn")]
    born = [lines for lines in unborn if len(lines) > 1]
    assert born
    for lines in born:
        assert lines[0]["expected_birth_date"]
        assert lines[1]["birth_date"] and lines[1]["unborn"] is False
        assert str(lines[1]["recorded_at"]) > str(lines[0]["recorded_at"])


def test_one_real_person_is_recorded_differently_by_different_agencies(
    ordinary: audit.Population,
) -> None:
    versions: dict[str, list[dict[str, object]]] = {}
    for _, line in ordinary.lines:
        if line["kind"] == "person" and not line.get("unborn"):
            versions.setdefault(ordinary.owner[(line["agency"], line["id"])], []).append(line)
    given = sum(1 for lines in versions.values() if len({x.get("given_name") for x in lines}) > 1)
    births = sum(1 for lines in versions.values() if len({x.get("birth_date") for x in lines}) > 1)
    partial = sum(
        1
        for lines in versions.values()
        for x in lines
        if len(str(x.get("birth_date") or "")) in (4, 7)
    )
    assert given > 10 and births > 5 and partial > 0


def test_half_siblings_and_relationships_are_recorded(ordinary: audit.Population) -> None:
    assert ordinary.truth["half_siblings"]
    types = Counter(line["type"] for _, line in ordinary.lines if line["kind"] == "relationship")
    assert {"mother", "father", "partner"} <= set(types)


@pytest.mark.parametrize("share", [-0.1, 1.5])
def test_a_harm_share_outside_zero_to_one_is_refused(tmp_path: Path, share: float) -> None:
    with pytest.raises(ValueError):
        generate_population(tmp_path, 1, harm_share=share)
