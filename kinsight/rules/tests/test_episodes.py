from datetime import datetime

from kinsight.lib.moments import UK
from kinsight.rules import episodes
from kinsight.rules.context import Fact


def fact(key, type_, occurred, details=None, recorded=None, sector="social_care", **fields):
    occurred_at = datetime.fromisoformat(occurred).replace(tzinfo=UK)
    recorded_at = datetime.fromisoformat(recorded).replace(tzinfo=UK) if recorded else occurred_at
    values = {"summary": "", "shared_with": [], "role": "child", **fields}
    return Fact(("csc", key), sector, type_, occurred_at, recorded_at, None, details or {},
                values["summary"], values["shared_with"], values["role"])  # fmt: skip


def at(moment):
    return datetime.fromisoformat(moment).replace(tzinfo=UK)


ICPC = fact("C-1", "child_protection_conference", "2019-01-10",
            {"conference": "initial", "outcome": "plan"})  # fmt: skip
PLAN = fact("P-1", "plan", "2019-01-10T12:00", {"plan": "child_protection", "status": "started"})
REVIEW = fact("C-2", "child_protection_conference", "2019-04-01",
              {"conference": "review", "outcome": "plan_ends"}, recorded="2019-04-03")  # fmt: skip


def test_a_plan_is_open_from_the_initial_conference_until_a_review_ends_it():
    facts = [ICPC, PLAN, REVIEW]
    assert episodes.open_plan(facts, at("2019-01-09")) is None
    plan = episodes.open_plan(facts, at("2019-02-01"))
    assert plan is not None and plan.start is ICPC and plan.also_started_by == [PLAN]
    assert episodes.on_protection_plan(facts, at("2019-04-02"))  # the review not yet recorded
    assert not episodes.on_protection_plan(facts, at("2019-04-03"))
    [ended] = episodes.plans(facts, at("2019-05-01"))
    assert ended.first_review is REVIEW and ended.ended_at_or_before_first_review
    assert ended.end_reason == "risk_reduced"


def test_a_plan_that_ended_because_the_child_became_looked_after_makes_the_child_looked_after():
    end = fact("P-2", "plan", "2019-03-01", {"plan": "child_protection", "status": "ended",
                                             "reason": "looked_after"})  # fmt: skip
    assert episodes.looked_after([PLAN, end], at("2019-03-02"))
    assert not episodes.looked_after([PLAN, end], at("2019-02-02"))


def test_an_enquiry_is_open_from_the_section_47_discussion_until_a_conference():
    sd = fact("S-1", "strategy_discussion", "2019-01-02", {"outcome": "section_47"})
    facts = [sd, ICPC]
    enquiry = episodes.open_enquiry(facts, at("2019-01-05"))
    assert enquiry is not None and enquiry.start is sd
    assert episodes.open_enquiry(facts, at("2019-01-11")) is None


def test_an_allegation_is_open_until_a_strategy_discussion_follows_it():
    allegation = fact("A-1", "allegation", "2019-01-02T15:00", {"harm": "physical"},
                      sector="police")  # fmt: skip
    sd = fact("S-1", "strategy_discussion", "2019-01-02", {"outcome": "section_47"})
    assert episodes.open_allegations([allegation], at("2019-01-03")) == [allegation]
    assert episodes.open_allegations([allegation, sd], at("2019-01-03")) == []


def test_an_assessment_is_open_until_completed():
    start = fact(
        "AS-1", "assessment", "2019-01-02", {"assessment": "pre_birth", "status": "started"}
    )
    done = fact("AS-2", "assessment", "2019-02-02", {"assessment": "pre_birth",
                                                     "status": "completed"})  # fmt: skip
    assert [a.start for a in episodes.open_assessments([start, done], at("2019-01-05"))] == [start]
    assert episodes.open_assessments([start, done], at("2019-02-05")) == []


def test_a_child_is_seen_on_a_visit_that_says_so_or_in_a_note():
    assert episodes.seen(fact("V-1", "home_visit", "2019-01-02", {"child_seen": True}))
    assert not episodes.seen(fact("V-2", "home_visit", "2019-01-02", {"no_access": True}))
    assert episodes.seen(fact("N-1", "note", "2019-01-02", summary="Lucas seen alone, happy."))
    assert not episodes.seen(fact("N-2", "note", "2019-01-02", summary="Child not seen, asleep."))
    assert not episodes.seen(fact("N-3", "note", "2019-01-02", summary="Bruise seen on arm."))


def test_a_health_contact_is_a_health_event_in_which_the_child_was_seen():
    assert episodes.health_contact(fact("H-1", "note", "2019-01-02", sector="health"))
    missed = fact("H-2", "appointment_missed", "2019-01-02", {"was_not_brought": True},
                  sector="health")  # fmt: skip
    assert not episodes.health_contact(missed)
    assert not episodes.health_contact(fact("H-3", "note", "2019-01-02"))


def test_an_event_shared_with_a_social_care_agency_is_shared_with_social_care():
    police = fact("I-1", "injury", "2019-01-02", {"injury": "bruise"}, sector="police",
                  shared_with=["csc"])  # fmt: skip
    assert episodes.shared_with_social_care(police, [], social_care=["csc"])
    assert not episodes.shared_with_social_care(police, [], social_care=[])


def test_a_booking_for_twins_is_a_multiple_pregnancy():
    booking = fact("B-1", "antenatal_booking", "2019-01-02", {"multiple": True}, sector="health")
    assert episodes.multiple_pregnancy([booking], at("2019-01-03")) is booking
    note = fact("N-1", "note", "2019-01-02", summary="Twin pregnancy confirmed on scan.")
    assert episodes.multiple_pregnancy([note], at("2019-01-01")) is None
    assert episodes.multiple_pregnancy([note], at("2019-01-03")) is note
