"""Summaries are read into indicators on ingest, and read again when they change."""

import threading

import pytest
from django.db import connection

from kinsight.chronology.models import Event, Indicator
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.testing import event, person, write_feed
from kinsight.text import RULES_VERSION

pytestmark = pytest.mark.django_db

CHILD = person("csc-lancs", "C-10", given_name="Chloe")


def ingest(tmp_path, *lines):
    do_ingest_feeds([write_feed(tmp_path / "f.jsonl", [CHILD, *lines])], acting="test")


def test_a_finding_in_a_summary_is_stored_with_its_span(tmp_path):
    summary = "Nursery report bruise to left cheek, mum says he fell."
    ingest(tmp_path, event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child"),
                           summary=summary))  # fmt: skip
    found = Indicator.objects.get(indicator="bruise")
    assert summary[found.start : found.end] == found.text
    assert found.present


def test_a_negated_finding_is_stored_as_negated(tmp_path):
    ingest(tmp_path, event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child"),
                           summary="Child seen, no bruising or marks noted."))  # fmt: skip
    assert not any(i.present for i in Indicator.objects.filter(indicator="bruise"))


def test_a_routine_summary_is_marked_read_without_indicators(tmp_path):
    ingest(tmp_path, event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child"),
                           summary="Phone call to arrange the next visit."))  # fmt: skip
    assert Event.objects.get().indicators_version == RULES_VERSION
    assert not Indicator.objects.exists()


def test_a_corrected_summary_is_read_again(tmp_path):
    first = event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child"),
                  summary="Bruise on forehead seen at nursery.")  # fmt: skip
    ingest(tmp_path, first)
    ingest(tmp_path, {**first, "summary": "Entered in error: no injury seen.",
                      "recorded_at": "2019-01-02T09:00:00"})  # fmt: skip
    assert not Indicator.objects.filter(indicator="bruise").exists()


def test_the_chronology_shows_the_indicators_of_each_event(tmp_path, capsys):
    import json

    from kinsight.cli import main

    ingest(tmp_path, event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child"),
                           summary="Dad has relapsed on heroin."))  # fmt: skip
    main(["chronology", "csc-lancs:C-10", "--json"])
    indicators = json.loads(capsys.readouterr().out)["events"][0]["indicators"]
    assert {i["indicator"] for i in indicators} == {"substance_misuse"}


def test_summaries_read_with_older_text_rules_are_read_again(tmp_path):
    from kinsight.chronology.indicators import read_pending_indicators
    from kinsight.chronology.models import TextRulesRead

    ingest(tmp_path, event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child"),
                           summary="Bruise on forehead seen at nursery."))  # fmt: skip
    Event.objects.update(indicators_version="targets-0+context-0+old")
    Indicator.objects.update(rules_version="targets-0+context-0+old")
    TextRulesRead.objects.update(rules_version="targets-0+context-0+old")

    assert read_pending_indicators() == 1
    assert Event.objects.get().indicators_version == RULES_VERSION
    assert set(Indicator.objects.values_list("rules_version", flat=True)) == {RULES_VERSION}


def test_once_read_a_summary_is_not_read_again_by_the_next_ingest(tmp_path):
    from kinsight.chronology.indicators import read_pending_indicators

    ingest(tmp_path, event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child"),
                           summary="Bruise on forehead seen at nursery."))  # fmt: skip

    assert read_pending_indicators() == 0


def test_a_summary_corrected_to_routine_words_keeps_no_finding(tmp_path):
    first = event("csc-lancs", "E-1", "note", "2019-01-01", ("C-10", "child"),
                  summary="Bruise on forehead seen at nursery.")  # fmt: skip
    ingest(tmp_path, first)
    ingest(tmp_path, {**first, "summary": "Phone call to arrange the next visit.",
                      "recorded_at": "2019-01-02T09:00:00"})  # fmt: skip
    assert not Indicator.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
@pytest.mark.django_db(transaction=True)
def test_ingests_starting_together_on_a_new_store_all_note_which_text_rules_read_it():
    from kinsight.chronology.indicators import _forget_older_readings
    from kinsight.chronology.models import TextRulesRead

    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def begin() -> None:
        try:
            start.wait()
            _forget_older_readings("targets-1+context-1")
        except BaseException as error:  # noqa: BLE001 - reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=begin) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert list(TextRulesRead.objects.values_list("rules_version", flat=True)) == [
        "targets-1+context-1"
    ]
