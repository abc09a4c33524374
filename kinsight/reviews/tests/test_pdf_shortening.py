"""What the PDF says once rather than on every alert (the Word and JSON packs keep it all)."""

from __future__ import annotations

from typing import Any

from kinsight.reviews.render import _pdf_shortened, pdf_notes

ADVICE = "Consider the whole chronology across agencies rather than each contact alone."


def _alert(rule: str, explanation: str, **more: Any) -> dict[str, Any]:
    return {"rule": rule, "explanation": explanation, "evidence": ["a:1"], **more}


def _pack(alerts: list[dict[str, Any]], today: list[dict[str, Any]]) -> dict[str, Any]:
    return {"themes": [], "alerts": alerts, "alerts_today": today}


def test_the_closing_words_all_alerts_of_a_rule_share_are_given_once_for_the_rule():
    pack = _pack(
        [
            _alert("cumulative_neglect", f"3 records of neglect in May 2019. {ADVICE}"),
            _alert("cumulative_neglect", f"5 records of neglect in June 2020. {ADVICE}"),
            _alert("was_not_brought", "Not brought to clinic. Consider asking why."),
        ],
        [],
    )

    shown = _pdf_shortened(pack)

    assert pdf_notes(pack)["advice"] == [("cumulative_neglect", ADVICE)]
    assert [a["explanation"] for a in shown["alerts"]] == [
        "3 records of neglect in May 2019. (and the rule's closing words, above)",
        "5 records of neglect in June 2020. (and the rule's closing words, above)",
        "Not brought to clinic. Consider asking why.",
    ]


def test_words_shared_from_the_middle_of_a_sentence_are_left_in_each_alert():
    pack = _pack(
        [
            _alert("was_not_brought", "Child A was not brought to the clinic."),
            _alert("was_not_brought", "Child B was not brought to the clinic."),
        ],
        [],
    )

    assert pdf_notes(pack)["advice"] == []
    assert _pdf_shortened(pack)["alerts"] == pack["alerts"]


def test_alerts_under_todays_rules_also_raised_at_the_time_are_counted_not_repeated():
    today = [
        _alert("cumulative_neglect", f"Two records. {ADVICE}", raised_at_the_time=True),
        _alert("cumulative_neglect", f"Four records. {ADVICE}", raised_at_the_time=True),
        _alert("toxic_trio", "Three difficulties.", raised_at_the_time=False),
    ]
    pack = _pack([], today)

    notes = pdf_notes(pack)

    assert [a["rule"] for a in _pdf_shortened(pack)["alerts_today"]] == ["toxic_trio"]
    assert (notes["also_raised"], notes["today"]) == (2, 3)
    assert notes["also_raised_by_rule"] == "cumulative_neglect 2"
