"""Taking feeds into the store: nothing lost, nothing doubled, nothing overwritten silently."""

import json
import random

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.chronology.models import Event, EventSubject
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.feeds.models import Agency, QuarantinedLine, RecordVersion
from kinsight.people.models import PersonRecord, Relationship
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.django_db

CHILD = person("csc-lancs", "C-10", given_name="Chloe", family_name="Jones",
               birth_date="2018-03-02")  # fmt: skip
REFERRAL = event("csc-lancs", "E-1", "referral", "2018-09-14T10:00:00", ("C-10", "child"),
                 summary="Referral from nursery")  # fmt: skip


def ingest(tmp_path, lines, name="feed.jsonl"):
    return do_ingest_feeds([write_feed(tmp_path / name, lines)], acting="test")


def test_a_feed_is_taken_with_its_people_events_and_subjects(tmp_path):
    summary = ingest(tmp_path, [*AGENCIES, CHILD, REFERRAL])
    assert summary.taken == 5
    event_row = Event.objects.get(event_id="E-1")
    assert event_row.summary == "Referral from nursery"
    assert EventSubject.objects.get(event=event_row).record.record_id == "C-10"


def test_the_same_feed_twice_changes_nothing(tmp_path):
    ingest(tmp_path, [*AGENCIES, CHILD, REFERRAL])
    before = (PersonRecord.objects.count(), Event.objects.count(), RecordVersion.objects.count())
    summary = ingest(tmp_path, [*AGENCIES, CHILD, REFERRAL])
    assert summary.taken == summary.updated == 0
    assert summary.unchanged == 5
    after = (PersonRecord.objects.count(), Event.objects.count(), RecordVersion.objects.count())
    assert before == after


def test_a_line_with_other_spacing_and_key_order_is_the_same_line(tmp_path):
    ingest(tmp_path, [CHILD])
    reordered = json.dumps(dict(reversed(list(CHILD.items()))), indent=None, separators=(",", ":"))
    assert ingest(tmp_path, [reordered]).unchanged == 1


def test_a_changed_line_becomes_a_new_version_and_the_old_one_is_kept(tmp_path):
    ingest(tmp_path, [CHILD, REFERRAL])
    corrected = {**REFERRAL, "summary": "Referral from nursery: bruise on cheek",
                 "recorded_at": "2018-09-15T09:00:00"}  # fmt: skip
    summary = ingest(tmp_path, [corrected])
    assert summary.updated == 1
    row = Event.objects.get(event_id="E-1")
    assert (row.version, row.summary) == (2, "Referral from nursery: bruise on cheek")
    old = RecordVersion.objects.get(kind="event", key="E-1")
    assert (old.version, old.data["summary"]) == (1, "Referral from nursery")


def test_resending_an_earlier_version_changes_nothing(tmp_path):
    ingest(tmp_path, [CHILD, REFERRAL])
    ingest(tmp_path, [{**REFERRAL, "summary": "v2", "recorded_at": "2018-09-16T09:00:00"}])
    summary = ingest(tmp_path, [CHILD, REFERRAL])
    assert summary.unchanged == 2
    assert Event.objects.get(event_id="E-1").summary == "v2"


def test_a_version_recorded_earlier_than_the_current_one_goes_to_the_history(tmp_path):
    ingest(tmp_path, [{**REFERRAL, "recorded_at": "2018-09-20T09:00:00"}])
    ingest(tmp_path, [{**REFERRAL, "summary": "older", "recorded_at": "2018-09-15T09:00:00"}])
    row = Event.objects.get(event_id="E-1")
    assert row.summary == "Referral from nursery"
    assert RecordVersion.objects.get(kind="event", key="E-1").data["summary"] == "older"
    assert row.first_recorded_at.isoformat().startswith("2018-09-15")


def test_a_birth_updates_the_unborn_record_and_keeps_the_unborn_version(tmp_path):
    unborn = person("nhs-east", "H-7", family_name="Smith", unborn=True,
                    expected_birth_date="2019-06-01")  # fmt: skip
    ingest(tmp_path, [unborn])
    ingest(
        tmp_path,
        [
            person(
                "nhs-east",
                "H-7",
                given_name="Chloe",
                family_name="Smith",
                birth_date="2019-05-20",
                recorded_at="2019-05-20T12:00:00",
            )
        ],
    )
    record = PersonRecord.objects.get(record_id="H-7")
    assert (record.unborn, record.birth_date, record.version) == (False, "2019-05-20", 2)
    assert RecordVersion.objects.get(kind="person", key="H-7").data["unborn"] is True


def test_a_retraction_withdraws_the_event_but_keeps_it(tmp_path):
    ingest(tmp_path, [CHILD, REFERRAL])
    ingest(tmp_path, [{"kind": "retraction", "agency": "csc-lancs", "target_kind": "event",
                       "id": "E-1", "reason": "entered on the wrong child",
                       "recorded_at": "2018-09-20T09:00:00"}])  # fmt: skip
    row = Event.objects.get(event_id="E-1")
    assert row.retracted_at.isoformat().startswith("2018-09-20")
    assert row.retraction_reason == "entered on the wrong child"


def test_a_retraction_that_arrives_before_its_event_applies_when_the_event_arrives(tmp_path):
    ingest(tmp_path, [{"kind": "retraction", "agency": "csc-lancs", "target_kind": "event",
                       "id": "E-1", "reason": "duplicate"}])  # fmt: skip
    ingest(tmp_path, [CHILD, REFERRAL])
    assert Event.objects.get(event_id="E-1").retracted_at is not None


def test_a_reference_to_a_person_who_arrives_later_resolves_when_they_arrive(tmp_path):
    ingest(tmp_path, [REFERRAL], "events.jsonl")
    assert EventSubject.objects.get().record is None
    ingest(tmp_path, [CHILD], "people.jsonl")
    assert EventSubject.objects.get().record.record_id == "C-10"


def test_people_who_arrive_later_are_found_by_their_own_agency_and_id_alone(tmp_path):
    ingest(tmp_path, [
        event("csc-lancs", "E-1", "referral", "2018-09-14", ("C-10", "child"), ("C-2", "father")),
        event("csc-lancs", "E-2", "visit", "2018-09-15", ("C-10", "child"), ("C-3", "mother")),
        event("lancs-police", "P-1", "incident", "2018-09-16", ("C-10", "victim")),
    ], "events.jsonl")  # fmt: skip
    ingest(tmp_path, [CHILD, person("csc-lancs", "C-2", given_name="Dean")], "people.jsonl")

    linked = {
        (s.event.event_id, s.ref): s.record and (s.record.agency.code, s.record.record_id)
        for s in EventSubject.objects.select_related("event", "record__agency")
    }
    assert linked == {
        ("E-1", "C-10"): ("csc-lancs", "C-10"),
        ("E-1", "C-2"): ("csc-lancs", "C-2"),
        ("E-2", "C-10"): ("csc-lancs", "C-10"),
        ("E-2", "C-3"): None,
        ("P-1", "C-10"): None,
    }


def test_a_relationship_resolves_both_people_even_when_they_arrive_later(tmp_path):
    rel = {"kind": "relationship", "agency": "csc-lancs", "person": "C-10", "relative": "C-2",
           "type": "father", "start": "2016-01-01"}  # fmt: skip
    ingest(tmp_path, [CHILD, rel])
    ingest(tmp_path, [person("csc-lancs", "C-2", given_name="Dean")])
    row = Relationship.objects.get()
    assert (row.person_record.record_id, row.relative_record.record_id) == ("C-10", "C-2")


def test_a_relationship_ends_by_being_sent_again_with_an_end(tmp_path):
    rel = {"kind": "relationship", "agency": "csc-lancs", "person": "C-10", "relative": "C-2",
           "type": "partner", "start": "2016-01-01", "end": None}  # fmt: skip
    ingest(tmp_path, [rel])
    ingest(tmp_path, [{**rel, "end": "2018-01-01", "recorded_at": "2018-01-02T09:00:00"}])
    assert str(Relationship.objects.get().end) == "2018-01-01"
    assert RecordVersion.objects.filter(kind="relationship").count() == 1


def test_an_undeclared_agency_is_taken_with_sector_other_and_a_warning(tmp_path):
    summary = ingest(tmp_path, [person("new-nursery", "N-1")])
    assert Agency.objects.get(code="new-nursery").sector == "other"
    assert any("new-nursery" in w for w in summary.warning_messages)


def test_a_bulk_ingest_is_audited_once_per_feed_file(tmp_path):
    ingest(tmp_path, [*AGENCIES, CHILD, REFERRAL])
    entry = AuditEntry.objects.get(action="ingest_feed")
    assert entry.object_id.endswith("feed.jsonl")
    assert entry.detail["taken"] == 5
    assert len(entry.detail["digest"]) == 64


def test_ten_thousand_lines_with_fifty_corrupt_ones_quarantines_exactly_those(tmp_path):
    rng = random.Random(7)
    bad_lines = set(rng.sample(range(1, 10_001), 50))
    corruptions = [
        "{not json", '{"kind": "event"}', '{"kind": "spaceship"}',
        '{"kind": "event", "agency": "csc-lancs", "id": "B", "type": "note", '
        '"occurred_at": "2019-02-30"}',
        '{"kind": "person", "agency": "csc-lancs"}',
    ]  # fmt: skip
    lines = []
    for n in range(1, 10_001):
        if n in bad_lines:
            lines.append(corruptions[n % len(corruptions)])
        elif n % 10 == 0:
            lines.append(person("csc-lancs", f"C-{n}", given_name="Sam"))
        else:
            lines.append(event("csc-lancs", f"E-{n}", "note", "2019-01-01T09:00:00",
                               (f"C-{n - n % 10}", "child")))  # fmt: skip
    summary = ingest(tmp_path, lines)
    assert summary.rejected == 50
    assert {r.line for r in summary.rejections} == bad_lines
    assert set(QuarantinedLine.objects.values_list("line_no", flat=True)) == bad_lines
    assert summary.taken == 10_000 - 50
    assert Event.objects.count() + PersonRecord.objects.count() == 10_000 - 50
    missing_people = {"C-0"} | {f"C-{n}" for n in bad_lines if n % 10 == 0}
    unresolved = set(EventSubject.objects.filter(record__isnull=True).values_list("ref", flat=True))
    assert unresolved <= missing_people


def test_a_quarantined_line_is_kept_as_sent(tmp_path):
    ingest(tmp_path, [CHILD, '{"kind": "event", "id": "oops"'])
    row = QuarantinedLine.objects.get()
    assert (row.line_no, row.raw) == (2, '{"kind": "event", "id": "oops"')
    assert row.error.startswith("not valid JSON")


def test_a_line_that_is_not_utf8_is_quarantined_alone(tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(
        json.dumps(CHILD).encode() + b"\n" + b'{"kind": "agency", "code": "caf\xe9"}\n'
    )
    summary = do_ingest_feeds([path], acting="test")
    assert (summary.taken, summary.rejected) == (1, 1)
    assert summary.rejections[0].error == "not UTF-8 text"


def test_oversized_names_and_roles_are_kept_whole(tmp_path):
    long = "Ann" * 400
    ingest(tmp_path, [person("csc-lancs", "C-1", given_name=long, address={"postcode": long}),
                      event("csc-lancs", "E-1", "note", "2019-01-01", ("C-1", long))])  # fmt: skip
    assert PersonRecord.objects.get().given_name == long
    assert EventSubject.objects.get().role == long


def test_an_event_written_straight_from_its_line_is_the_row_the_orm_would_write(tmp_path):
    line = event("csc-lancs", "E-7", "referral", "2019-03-31T01:30:00", ("C-10", "child"),
                 summary="Caf\u00e9 \u2014 referral", details={"concerns": ["neglect"], "x": 1},
                 shared_with=["lancs-police"])  # fmt: skip
    ingest(tmp_path, [*AGENCIES, CHILD, line])
    written = Event.objects.get(event_id="E-7")
    assert written.occurred_at == written.recorded_at == written.first_recorded_at
    assert written.occurred_at.isoformat() == "2019-03-31T01:30:00+00:00"
    assert (written.type, written.summary, written.details, written.shared_with) == (
        "referral", "Caf\u00e9 \u2014 referral", {"concerns": ["neglect"], "x": 1},
        ["lancs-police"],
    )  # fmt: skip
    assert written.subjects == [{"ref": "C-10", "role": "child"}]
    assert (written.version, written.warnings, written.retracted_at) == (1, [], None)
    assert json.loads(written.raw) == line
    copy = Event.objects.get(pk=written.pk)
    copy.pk, copy.event_id = None, "E-7-orm"
    copy.save()

    def stored(pk):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM chronology_event WHERE id = %s", [pk])
            names = [c[0] for c in cursor.description]
            row = dict(zip(names, cursor.fetchone(), strict=True))
        del row["id"], row["event_id"]
        # JSON is compared as JSON: the ingest writes it compact, the ORM with spaces.
        for name in ("details", "shared_with", "subjects", "warnings"):
            if isinstance(row[name], str):
                row[name] = json.loads(row[name])
        return row

    assert stored(written.pk) == stored(copy.pk)


def test_two_versions_of_one_event_in_one_feed_keep_the_later_recorded_and_the_history(tmp_path):
    first = {**REFERRAL, "recorded_at": "2018-09-14T11:00:00"}
    second = {**REFERRAL, "summary": "Referral: bruise", "recorded_at": "2018-09-15T09:00:00"}
    summary = ingest(tmp_path, [*AGENCIES, CHILD, first, second])
    assert (summary.taken, summary.updated) == (5, 1)
    row = Event.objects.get(event_id="E-1")
    assert (row.version, row.summary) == (2, "Referral: bruise")
    assert RecordVersion.objects.get(kind="event", key="E-1").data["summary"] == (
        "Referral from nursery"
    )
    assert EventSubject.objects.filter(event=row).count() == 1


def test_a_large_ingest_frees_memory_and_refreshes_planner_statistics(tmp_path, monkeypatch):
    from kinsight.feeds import actions

    calls = []
    monkeypatch.setattr(actions, "RELEASE_FROM", 5)
    monkeypatch.setattr(actions, "release_free_memory", lambda: calls.append(1))
    summary = ingest(tmp_path, [*AGENCIES, CHILD, REFERRAL])
    assert len(calls) == 3  # after storing, after linking and after reading the text
    assert "statistics" in summary.timings  # the planner is told what the load wrote


def test_one_agency_note_is_not_held_up_by_housekeeping_for_bulk_loads(tmp_path, monkeypatch):
    from kinsight.feeds import actions

    calls = []
    monkeypatch.setattr(actions, "release_free_memory", lambda: calls.append(1))
    monkeypatch.setattr(actions, "refresh_statistics", lambda *models: calls.append(2))
    ingest(tmp_path, [*AGENCIES, CHILD, REFERRAL])
    assert calls == []
