"""The pre-check skips notes that cannot hold a finding, and never one that does."""

from __future__ import annotations

from kinsight.text import _get_reader, may_hold_finding, read_text
from kinsight.text.score import load_corpus


def test_it_never_skips_a_corpus_note_the_pipeline_finds_something_in() -> None:
    reader = _get_reader()
    for note in load_corpus():
        if reader.findings(reader.nlp(note["text"]), note.get("subjects", [])):
            assert may_hold_finding(note["text"]), note["id"]


def test_it_passes_every_phrase_of_the_rules_on_its_own() -> None:
    reader = _get_reader()
    for target in reader.rules.targets:
        for literal in target.phrase.literals:
            assert may_hold_finding(literal), literal
            assert may_hold_finding(literal.upper()), literal


def test_it_skips_a_routine_note() -> None:
    assert not may_hold_finding("Telephone call to mum to arrange the next visit for Tuesday.")


def test_it_skips_about_a_third_or_more_of_the_corpus_notes_without_findings() -> None:
    empty = [note for note in load_corpus() if not note["gold"]]
    skipped = [note for note in empty if not may_hold_finding(note["text"])]
    assert len(skipped) >= len(empty) // 3


def test_it_looks_at_whole_words_so_a_key_inside_another_word_does_not_count() -> None:
    # "da" (domestic abuse) must not be found in "date", nor "nurse" in "nursery".
    assert not may_hold_finding("Letter confirming the date of the nursery review.")


def test_read_text_of_a_skipped_note_is_empty() -> None:
    assert read_text("Lily picked for the netball team.") == []
