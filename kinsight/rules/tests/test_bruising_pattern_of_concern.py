import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "bruising_pattern_of_concern"


def child(born):
    return person("csc-lancs", "C-1", given_name="Harper", birth_date=born)


def note(summary, occurred="2020-03-02T09:00:00", **fields):
    return event(
        "csc-lancs", "O-1", "observation", occurred, ("C-1", "child"), summary=summary, **fields
    )


def test_a_bruise_on_the_cheek_of_a_three_year_old_is_raised(tmp_path):
    [alert] = alerts_for(
        tmp_path,
        [
            child("2017-01-01"),
            note("Bruise to left cheek, mum says he fell.", recorded_at="2020-03-02T10:15:00"),
        ],
        RULE,
    )
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2020-03-02T10:15:00")
    assert "cheek" in alert["explanation"]


@pytest.mark.parametrize(
    "summary",
    [
        "Bruising to the ear and neck noted.",
        "Bruises on his back and tummy.",
        "Fingertip bruising on both upper arms.",
        "Torn frenulum seen at nursery.",
        "Bruise on the angle of the jaw.",
    ],
)
def test_ten4_faces_regions_and_patterns_are_raised(tmp_path, summary):
    assert len(alerts_for(tmp_path, [child("2017-01-01"), note(summary)], RULE)) == 1


def test_a_coded_bruise_with_its_body_site_is_raised(tmp_path):
    injury = event(
        "csc-lancs",
        "I-1",
        "injury",
        "2020-03-02T09:00:00",
        ("C-1", "child"),
        details={"injury": "bruise", "body_site": "right ear"},
    )
    assert len(alerts_for(tmp_path, [child("2017-01-01"), injury], RULE)) == 1


def test_any_bruise_on_a_four_month_old_is_raised(tmp_path):
    [alert] = alerts_for(tmp_path, [child("2019-11-01"), note("Small bruise on the shin.")], RULE)
    assert "under 5 months" in alert["explanation"]


def test_a_bruise_on_the_shin_of_a_walking_toddler_is_not_raised(tmp_path):
    lines = [
        child("2018-01-01"),
        note("Bruise on the shin from falling off his scooter, witnessed by nursery staff."),
    ]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_bruise_on_the_back_of_the_hand_is_not_on_the_torso(tmp_path):
    lines = [child("2018-01-01"), note("Bruise on the back of his hand.")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_cheek_bruise_at_five_is_not_raised(tmp_path):
    lines = [child("2015-01-01"), note("Bruise to left cheek.")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_no_bruising_on_the_torso_raises_nothing(tmp_path):
    lines = [child("2018-01-01"), note("Body map: no bruising to chest, back or neck.")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_rib_fracture_with_a_bruise_elsewhere_is_not_torso_bruising(tmp_path):
    lines = [child("2018-01-01"), note("Fracture of the ribs on X-ray. Bruise on the shin.")]
    assert alerts_for(tmp_path, lines, RULE) == []


def test_a_coded_bruise_on_the_thigh_is_not_raised_for_a_region_the_note_rules_out(tmp_path):
    injury = event(
        "csc-lancs",
        "I-1",
        "injury",
        "2020-03-02T09:00:00",
        ("C-1", "child"),
        summary="Bruise on the left thigh. Body map: no bruising to the back or ears.",
        details={"injury": "bruise", "body_site": "left thigh"},
    )
    assert alerts_for(tmp_path, [child("2018-01-01"), injury], RULE) == []
