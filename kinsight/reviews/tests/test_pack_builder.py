"""What a pack holds for a small family: pseudonyms by role, episodes, alerts and the matrix."""

from __future__ import annotations

from datetime import date

import pytest

from kinsight.audit.models import AuditEntry
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.reviews.actions import do_write_review_pack
from kinsight.reviews.pack import PackError, PackRequest, build_pack
from kinsight.rules.actions import do_acknowledge_alert, do_close_alert
from kinsight.rules.models import Alert
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.django_db


def rel(person_ref: str, relative: str, type_: str) -> dict[str, str]:
    return {"kind": "relationship", "agency": "csc-lancs", "person": person_ref,
            "relative": relative, "type": type_}  # fmt: skip


@pytest.fixture
def family(tmp_path):
    """Mia (4 months) lives with her mother Jade, her father Dean, and her mother's son Tyler;
    Jade's new partner Wayne visits. A referral waits two days; Mia's bruise is coded."""
    lines = [
        *AGENCIES,
        person("csc-lancs", "C-1", given_name="Mia", family_name="Rowe", birth_date="2019-06-05",
               nhs_number="9434765919", address={"text": "4 Fold Row, Burnley",
                                                 "postcode": "BB11 3XY"}),
        person("csc-lancs", "C-2", given_name="Jade", family_name="Rowe", birth_date="1995-02-03"),
        person("csc-lancs", "C-3", given_name="Dean", family_name="Pike", birth_date="1990"),
        person("csc-lancs", "C-4", given_name="Tyler", family_name="Rowe",
               birth_date="2014-07-07"),
        person("csc-lancs", "C-5", given_name="Wayne", family_name="Croft"),
        person("nhs-east", "H-1", given_name="Mia", family_name="Rowe", birth_date="2019-06-05",
               nhs_number="9434765919"),
        rel("C-1", "C-2", "mother"), rel("C-1", "C-3", "father"), rel("C-4", "C-2", "mother"),
        rel("C-2", "C-5", "partner"),
        event("csc-lancs", "R-1", "referral", "2019-09-02T10:00:00", ("C-1", "child"),
              ("C-2", "parent"), summary="Referral: Jade Rowe says Wayne shouts at Mia.",
              details={"concerns": ["emotional"]}),
        event("csc-lancs", "A-1", "assessment", "2019-09-04T10:00:00", ("C-1", "child"),
              summary="Assessment started.",
              details={"assessment": "child_and_family", "status": "started"}),
        event("nhs-east", "I-1", "injury", "2019-10-01T10:00:00", ("H-1", "child"),
              summary="Bruise on Mia's cheek; mum Jade says she fell.",
              details={"injury": "bruise"}, shared_with=["csc-lancs"]),
        event("csc-lancs", "N-1", "note", "2018-01-01T10:00:00", ("C-1", "child"),
              summary="Before the period."),
    ]  # fmt: skip
    do_ingest_feeds([write_feed(tmp_path / "family.jsonl", lines)], acting="test")


def request(**overrides):
    values = {"agency": "csc-lancs", "record_id": "C-1", "date_from": date(2019, 1, 1),
              "date_to": date(2019, 12, 31)}  # fmt: skip
    return PackRequest(**{**values, **overrides})


def test_each_person_has_a_pseudonym_by_their_role_towards_the_child(family):
    pack, key = build_pack(request())

    roles = {p["person"]: p["relationship"] for p in pack["people"]}
    assert roles == {
        "Child A": "the child",
        "Mother": "mother",
        "Father": "father",
        "Half-sibling": "half-sibling",
        "Mother's partner": "mother's partner",
    }
    assert key is None


def test_the_chronology_keeps_to_the_period_and_marks_significant_events(family):
    pack, _ = build_pack(request())

    refs = [e["ref"] for e in pack["chronology"]]
    assert refs == ["csc-lancs:R-1", "csc-lancs:A-1", "nhs-east:I-1"]
    injury = pack["chronology"][2]
    assert injury["significant"] and injury["shared_with"] == ["csc-lancs"]
    assert injury["occurred_at"] == "2019-10-01 10:00"


def test_an_alert_nobody_acted_on_says_so_and_an_acted_on_one_says_who_did_what(family):
    injury = Alert.objects.get(rule="non_mobile_infant_injury")
    do_acknowledge_alert(injury, by="sw.sam")
    do_close_alert(injury, by="tm.tess", reason="Paediatric appraisal: accidental.")

    pack, _ = build_pack(request())

    outcomes = {a["rule"]: a["outcome"] for a in pack["alerts"]}
    assert outcomes["referral_decision_overdue"] == "never acted on"
    assert outcomes["non_mobile_infant_injury"].startswith("closed by tm.tess")
    assert outcomes["non_mobile_infant_injury"].endswith("Paediatric appraisal: accidental.")
    history = next(a for a in pack["alerts"] if a["rule"] == "non_mobile_infant_injury")["history"]
    assert [h["what"] for h in history] == ["raised", "acknowledged", "closed"]


def test_a_missed_deadline_is_shown_on_its_practice_episode(family):
    pack, _ = build_pack(request())

    referral = next(e for e in pack["episodes"] if e["kind"] == "referral")
    assert referral["deadline"].startswith("missed: ")
    assert "referral_decision_overdue (2019-09-03 10:00)" in referral["deadline"]
    assessment = next(e for e in pack["episodes"] if e["kind"] == "assessment")
    assert assessment["what"] == "child and family assessment"


def test_the_alerts_of_todays_rules_are_listed_with_whether_they_were_raised_then(family):
    pack, _ = build_pack(request())

    today = {a["rule"]: a["raised_at_the_time"] for a in pack["alerts_today"]}
    # Every alert today's rules raise was raised at the time too: the store evaluated them then.
    assert {"referral_decision_overdue", "non_mobile_infant_injury"} <= set(today)
    assert all(today.values())


def test_the_matrix_shows_who_recorded_and_who_was_told(family):
    pack, _ = build_pack(request())

    injury = next(r for r in pack["matrix"]["rows"] if r["ref"] == "nhs-east:I-1")
    assert injury["cells"] == {
        "nhs-east": "recorded 2019-10-01 10:00",
        "csc-lancs": "told 2019-10-01 10:00",
    }
    referral = next(r for r in pack["matrix"]["rows"] if r["ref"] == "csc-lancs:R-1")
    assert referral["not_shared"]


def test_the_anonymised_pack_uses_pseudonyms_in_the_text_and_months_for_dates(family):
    injury = Alert.objects.get(rule="non_mobile_infant_injury")
    do_acknowledge_alert(injury, by="sw.sam")

    pack, key = build_pack(request(anonymise=True))

    texts = [e["summary"] for e in pack["chronology"]]
    assert texts[0] == "Referral: [Mother] says [Mother's partner] shouts at [Child A]."
    assert texts[2] == "Bruise on [Child A]'s cheek; mum [Mother] says she fell."
    assert pack["chronology"][2]["occurred_at"] == "October 2019"
    assert pack["chronology"][2]["agency"] == "Health service"
    history = next(a for a in pack["alerts"] if a["rule"] == "non_mobile_infant_injury")["history"]
    assert history[1]["by"].startswith("Practitioner ")
    assert key is not None and key["staff"][history[1]["by"]] == "sw.sam"
    assert key["events"]["E1"] == "csc-lancs:R-1"


def test_writing_a_pack_audits_who_read_what_and_why(family, tmp_path):
    out = tmp_path / "pack.json"

    written = do_write_review_pack(request(), out, acting="rev.rita", reason="CSPR 2024/3")

    entry = AuditEntry.objects.get(action="review_pack")
    assert (entry.actor, entry.object_id, entry.reason) == ("rev.rita", "csc-lancs:C-1",
                                                            "CSPR 2024/3")  # fmt: skip
    assert entry.detail["format"] == "json" and entry.detail["events"] == 3
    assert "Mia" not in str(entry.detail)
    assert written.key_path is None and out.exists()


def test_a_pack_about_an_unknown_record_is_refused(family):
    with pytest.raises(PackError, match="no such record"):
        build_pack(request(record_id="C-404"))
