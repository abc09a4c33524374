"""The review queue: a person decides, the decision binds every re-link, and can be undone."""

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.chronology.models import EventSubject
from kinsight.people.actions import (
    do_decide_link,
    do_decide_link_candidate,
    do_relink_all,
    do_undo_link_decision,
)
from kinsight.people.models import LinkCandidate, PersonRecord
from kinsight.people.tests.linkcase import child, ingest, person_of
from kinsight.testing import event

pytestmark = pytest.mark.django_db

# Same names and birth date, but the nickname and two different addresses leave doubt.
DOUBTFUL = [
    child("nhs-east", "H-1", "Rebecca", "Hall", birth_date="1985-06-01",
          address={"text": "1 Church St, Colne", "postcode": "BB8 0AA"}),
    child("csc-lancs", "C-1", "Becky", "Hall", birth_date="1985-06-01",
          address={"text": "9 Moor Lane, Clitheroe", "postcode": "BB8 0AB"}),
]  # fmt: skip


def record(agency, rid):
    return PersonRecord.objects.get(agency__code=agency, record_id=rid).pk


def test_a_doubtful_pair_waits_for_review_with_its_explanation(tmp_path):
    ingest(tmp_path, DOUBTFUL)
    candidate = LinkCandidate.objects.get()
    assert candidate.status == LinkCandidate.Status.PENDING
    assert person_of("nhs-east", "H-1") != person_of("csc-lancs", "C-1")
    assert {c["comparison"] for c in candidate.explanation["comparisons"]} >= {"given name"}


def test_a_review_decision_survives_a_relink(tmp_path):
    ingest(tmp_path, DOUBTFUL)
    candidate = LinkCandidate.objects.get()
    do_decide_link_candidate(candidate, acting="sam", verdict="same", reason="same GP")
    assert person_of("nhs-east", "H-1") == person_of("csc-lancs", "C-1")
    do_relink_all(acting="test")
    assert person_of("nhs-east", "H-1") == person_of("csc-lancs", "C-1")
    assert LinkCandidate.objects.get().status == LinkCandidate.Status.DECIDED
    assert AuditEntry.objects.filter(action="decide_link").count() == 1


def test_not_the_same_survives_a_relink(tmp_path):
    ingest(tmp_path, [
        child("nhs-east", "H-1", "Ruby", "Smith"),
        child("csc-lancs", "C-1", "Ruby", "Smith"),
    ])  # fmt: skip
    assert person_of("nhs-east", "H-1") == person_of("csc-lancs", "C-1")
    do_decide_link(acting="sam", verdict="not_same", left=[record("nhs-east", "H-1")],
                   right=[record("csc-lancs", "C-1")], reason="different mothers")  # fmt: skip
    assert person_of("nhs-east", "H-1") != person_of("csc-lancs", "C-1")
    do_relink_all(acting="test")
    assert person_of("nhs-east", "H-1") != person_of("csc-lancs", "C-1")


def test_an_undo_restores_both_persons_with_their_events(tmp_path):
    ingest(tmp_path, [
        *DOUBTFUL,
        event("nhs-east", "E-1", "note", "2019-01-01T09:00:00", ("H-1", "subject")),
        event("csc-lancs", "E-2", "note", "2019-01-02T09:00:00", ("C-1", "subject")),
    ])  # fmt: skip
    before = (person_of("nhs-east", "H-1"), person_of("csc-lancs", "C-1"))
    decision = do_decide_link_candidate(LinkCandidate.objects.get(), acting="sam",
                                        verdict="same")  # fmt: skip
    merged = person_of("nhs-east", "H-1")
    assert {s.record.person_id for s in EventSubject.objects.select_related("record")} == {merged}
    do_undo_link_decision(decision, acting="sam", reason="wrong pair")
    assert (person_of("nhs-east", "H-1"), person_of("csc-lancs", "C-1")) == before
    events = {s.event.event_id: s.record.person_id
              for s in EventSubject.objects.select_related("record", "event")}  # fmt: skip
    assert events == {"E-1": before[0], "E-2": before[1]}
    assert AuditEntry.objects.filter(action="undo_link_decision", reason="wrong pair").exists()
    assert LinkCandidate.objects.get().status == LinkCandidate.Status.PENDING
