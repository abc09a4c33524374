"""British practitioner shorthand, read as practitioners mean it."""

from __future__ import annotations

from kinsight.text.tests.helpers import indicators, only


def test_da_is_domestic_abuse() -> None:
    assert only("Police notification: DA at the home address.", "domestic_abuse").present()


def test_dv_is_domestic_abuse() -> None:
    assert only("Ongoing DV between parents.", "domestic_abuse").present()


def test_hv_is_a_professional_not_a_finding_or_a_person() -> None:
    finding = only("HV concerned about mum's low mood.", "mental_ill_health")
    assert finding.experiencer == "mother"


def test_sw_is_a_professional_not_a_finding() -> None:
    assert indicators("SW visited. Children seen and happy.") == []


def test_nfa_is_not_a_finding_and_negates_nothing() -> None:
    assert indicators("Police attended, NFA.") == []
    assert not only("Allegation of assault by dad; police NFA.", "allegation").negated


def test_wnb_is_a_missed_appointment_of_the_child() -> None:
    finding = only("Ava WNB to audiology.", "missed_appointment")
    assert finding.experiencer == "child"


def test_dna_is_a_missed_appointment() -> None:
    assert only("Jack DNA'd orthodontic appointment.", "missed_appointment").present()


def test_a_and_e_is_a_place_not_a_finding() -> None:
    assert indicators("A&E attendance with asthma, treated and discharged.") == []


def test_nas_is_neonatal_abstinence() -> None:
    assert only("Baby born at 36 weeks, NAS scoring commenced.", "neonatal_abstinence").present()


def test_lac_is_a_looked_after_child_not_a_finding() -> None:
    assert indicators("Jack is LAC and settled in foster care.") == []


def test_cp_plan_is_not_a_finding() -> None:
    assert indicators("CP plan ended at review conference.") == []


def test_a_cp_plan_for_neglect_is_not_a_new_neglect_finding() -> None:
    assert indicators("Jack was made subject to a CP plan under the category of neglect.") == []


def test_nil_concerns_alone_is_no_finding() -> None:
    assert indicators("Nil concerns.") == []


def test_presented_as_under_the_influence_is_substance_misuse_and_certain() -> None:
    finding = only("Mum presented as under the influence.", "substance_misuse")
    assert finding.present() and not finding.uncertain
    assert finding.experiencer == "mother"


def test_home_conditions_poor_is_neglect_of_the_home() -> None:
    assert only("Home conditions poor.", "neglect_home").present()


def test_home_conditions_good_is_no_finding() -> None:
    assert indicators("Home conditions good.") == []


def test_was_not_brought_is_a_missed_appointment_not_a_negation() -> None:
    finding = only("Lily was not brought to her appointment.", "missed_appointment")
    assert finding.present() and finding.experiencer == "child"


def test_no_access_is_a_missed_visit_of_the_family() -> None:
    finding = only("HV visit: no access.", "missed_appointment")
    assert finding.present() and finding.experiencer == "family"
