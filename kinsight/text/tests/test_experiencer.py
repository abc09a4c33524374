"""Who a finding is about, and which of the event's subjects that is."""

from __future__ import annotations

from kinsight.text import read_text
from kinsight.text.tests.helpers import only

CHILD_AND_MUM = [{"ref": "C-1", "role": "child"}, {"ref": "P-2", "role": "mother"}]


def test_an_injury_with_nobody_named_is_the_childs() -> None:
    assert only("Bruise to left cheek.", "bruise").experiencer == "child"


def test_the_person_who_explains_an_injury_is_not_the_one_injured() -> None:
    assert only("Bruise to left cheek, mum says he fell.", "bruise").experiencer == "child"


def test_the_person_who_caused_an_injury_is_not_the_one_injured() -> None:
    text = "Mum reported that Jack came back with a bruise on his arm and said dad grabbed him."
    assert only(text, "bruise").experiencer == "child"


def test_an_adult_can_be_the_one_injured() -> None:
    assert only("A&E: mum attended with a black eye.", "bruise").experiencer == "mother"


def test_the_person_named_before_a_finding_is_its_experiencer() -> None:
    assert only("Dad has relapsed.", "substance_misuse").experiencer == "father"


def test_mums_partner_is_the_partner() -> None:
    assert only("Mum's partner smokes cannabis daily.", "substance_misuse").experiencer == "partner"


def test_a_relative_with_the_word_mother_in_it_is_another_adult() -> None:
    # medspaCy's default FAMILY rule fires on any relative; here only the grandmother is meant.
    text = "Maternal grandmother has a history of depression."
    assert only(text, "mental_ill_health").experiencer == "other_adult"


def test_parents_are_the_family() -> None:
    assert only("Parents were hostile.", "non_engagement").experiencer == "family"


def test_domestic_abuse_between_parents_is_the_familys() -> None:
    assert only("Dad punched mum in the face.", "domestic_abuse").experiencer == "family"


def test_a_pronoun_points_back_to_the_person_named() -> None:
    text = "Mum was seen at home. She appeared low in mood."
    assert only(text, "mental_ill_health").experiencer == "mother"


def test_a_sentence_naming_nobody_carries_on_the_last_adult_named() -> None:
    text = "Postnatal visit: mum tearful. No self-harm or suicidal thoughts."
    found = [f for f in read_text(text) if f.indicator == "mental_ill_health"]
    assert found and all(f.experiencer == "mother" for f in found)


def test_a_name_introduced_as_mums_partner_stays_the_partner() -> None:
    text = "Mum's partner, Dean, was not home. Dean was arrested yesterday."
    assert only(text, "criminal_behaviour").experiencer == "partner"


def test_a_name_nobody_introduced_is_a_childs() -> None:
    assert only("Chloe has been self-harming.", "mental_ill_health").experiencer == "child"


def test_a_finding_about_nobody_named_is_unknown() -> None:
    assert only("Drug paraphernalia found.", "substance_misuse").experiencer == "unknown"


def test_the_only_child_subject_is_the_subject_of_a_childs_finding() -> None:
    finding = only("Bruise to left cheek.", "bruise", CHILD_AND_MUM)
    assert finding.subject_ref == "C-1"


def test_the_mother_subject_is_the_subject_of_mums_finding() -> None:
    finding = only("Mum has relapsed.", "substance_misuse", CHILD_AND_MUM)
    assert finding.subject_ref == "P-2"


def test_two_child_subjects_leave_the_subject_open() -> None:
    subjects = [{"ref": "C-1", "role": "child"}, {"ref": "C-2", "role": "child"}]
    assert only("Bruise to left cheek.", "bruise", subjects).subject_ref is None


def test_a_subject_named_in_the_text_is_its_subject() -> None:
    subjects = [
        {"ref": "C-1", "role": "child", "name": "Jack"},
        {"ref": "C-2", "role": "child", "name": "Ava"},
    ]
    finding = only("Ava has a bruise on her arm.", "bruise", subjects)
    assert (finding.experiencer, finding.subject_ref) == ("child", "C-2")


def test_an_adults_positive_test_is_substance_misuse() -> None:
    found = read_text("Mum's urine at booking was positive for cocaine.")
    assert [(f.indicator, f.experiencer) for f in found] == [("substance_misuse", "mother")]


def test_a_childs_positive_test_is_positive_toxicology() -> None:
    finding = only("Baby's meconium was positive for cocaine.", "positive_toxicology")
    assert finding.experiencer == "child"


def test_an_adult_telling_of_abuse_is_not_a_childs_disclosure() -> None:
    found = read_text("Mum disclosed to the SW that she has been assaulted by her partner.")
    assert [f.indicator for f in found] == ["domestic_abuse"]
