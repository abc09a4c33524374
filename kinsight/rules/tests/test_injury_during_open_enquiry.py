"""The Lancashire nursery finding, in small: Harper on a plan with a section 47 enquiry open."""

import pytest

from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
RULE = "injury_during_open_enquiry"
NHS = "9434765919"
NURSERY = {"kind": "agency", "code": "nursery-1", "name": "Little Acorns", "sector": "early_years"}
HARPER_CSC = person("csc-lancs", "C-8", given_name="Harper", birth_date="2017-06-21",
                    nhs_number=NHS)  # fmt: skip
HARPER_NURSERY = person("nursery-1", "N-31", given_name="Harper", birth_date="2017-06-21",
                        nhs_number=NHS)  # fmt: skip
PLAN = event("csc-lancs", "PL-1", "plan", "2018-10-08T10:00:00", ("C-8", "child"),
             details={"plan": "child_protection", "status": "started"})  # fmt: skip
ENQUIRY = event("csc-lancs", "SD-1", "strategy_discussion", "2019-11-12T10:30:00",
                ("C-8", "child"), recorded_at="2019-11-12T13:00:00",
                details={"outcome": "section_47"})  # fmt: skip


def nursery_injury(**fields):
    return event("nursery-1", "INJ-1", "injury", "2019-11-14T09:15:00", ("N-31", "child"),
                 recorded_at="2019-11-14T09:40:00",
                 summary="Round bruise approx 1 cm with a central pin-prick mark, outer left "
                         "thigh. No explanation given by parent.",
                 details={"injury": "bruise", "body_site": "left thigh", "explained": False},
                 **fields)  # fmt: skip


def note(**fields):
    return event("nursery-1", "OBS-1", "observation", "2019-11-14T09:15:00", ("N-31", "child"),
                 recorded_at="2019-11-14T09:40:00",
                 summary="Key worker: possible injection bruise on Harper's left thigh.",
                 **fields)  # fmt: skip


def lines(*extra):
    return [NURSERY, HARPER_CSC, HARPER_NURSERY, PLAN, ENQUIRY, *extra]


def test_a_nursery_injury_not_shared_during_an_enquiry_is_raised_when_recorded(tmp_path):
    csc_next_day = event("csc-lancs", "NT-1", "note", "2019-11-15T10:15:00", ("C-8", "child"),
                         summary="Nursery phoned: bruise on Harper's thigh yesterday.")  # fmt: skip
    [alert] = alerts_for(tmp_path, lines(nursery_injury(), note(), csc_next_day), RULE)
    assert (alert["severity"], alert["raised_at"]) == ("urgent", "2019-11-14T09:40:00")
    assert ["nursery-1", "N-31"] in alert["subjects"]
    assert "section 47 enquiry" in alert["explanation"] and "nursery-1" in alert["explanation"]


def test_an_injury_shared_with_social_care_is_not_raised(tmp_path):
    shared = nursery_injury(shared_with=["csc-lancs"])
    assert alerts_for(tmp_path, lines(shared), RULE) == []


def test_an_injury_social_care_had_already_recorded_that_day_is_not_raised(tmp_path):
    csc = event("csc-lancs", "NT-1", "note", "2019-11-14T09:30:00", ("C-8", "child"),
                summary="Nursery rang: bruise to Harper's thigh.")  # fmt: skip
    assert alerts_for(tmp_path, lines(csc, nursery_injury()), RULE) == []


def test_an_injury_before_the_case_was_open_is_not_raised(tmp_path):
    early = [NURSERY, HARPER_CSC, HARPER_NURSERY,
             event("nursery-1", "INJ-0", "injury", "2018-09-01T09:15:00", ("N-31", "child"),
                   details={"injury": "bruise"})]  # fmt: skip
    assert alerts_for(tmp_path, early, RULE) == []


def test_an_enquiry_recorded_after_the_injury_does_not_count_back(tmp_path):
    late = event("csc-lancs", "SD-1", "strategy_discussion", "2019-11-12T10:30:00",
                 ("C-8", "child"), recorded_at="2019-11-14T12:00:00",
                 details={"outcome": "section_47"})  # fmt: skip
    feed = [NURSERY, HARPER_CSC, HARPER_NURSERY, late, nursery_injury()]
    assert alerts_for(tmp_path, feed, RULE) == []


def test_the_injury_recorded_by_social_care_itself_is_not_raised(tmp_path):
    csc = event("csc-lancs", "INJ-9", "injury", "2019-11-14T09:15:00", ("C-8", "child"),
                details={"injury": "bruise"})  # fmt: skip
    assert alerts_for(tmp_path, lines(csc), RULE) == []
