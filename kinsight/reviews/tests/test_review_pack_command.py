"""`kinsight review-pack` on the two seed cases and a synthetic family, in all three formats.

Each case is ingested once into its own SQLite store by the console script, and the packs are
written by the console script as a user would; the tests then read the files back.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from kinsight.reviews.tests.helpers import identifying_values, leaks, pack_text
from kinsight.testing import run_kinsight

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[3]
FORMATS = ("json", "docx", "pdf")

# (case, the child's record, the period)
CASES = {
    "lancashire": ("csc-lancs:CS-118209", "2017-06-01", "2020-06-30"),
    "kirklees": ("nhs-kirklees-hospital:KH-5702812", "2016-01-01", "2018-12-31"),
    "synthetic": (None, "2010-01-01", "2030-12-31"),
}


def _synthetic_feeds(out: Path) -> tuple[list[Path], str]:
    """Four synthetic families with harm patterns; the pack is about a child whose pattern
    raises an alert of a rule already built."""
    from kinsight.rules.registry import all_rules
    from kinsight.synth import generate_population

    generate_population(out, 4, seed=3, harm_share=1.0)
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    built = {rule.id for rule in all_rules()}
    agency, record_id = next(
        alert["child"]
        for pattern in truth["patterns"]
        for alert in pattern["expected_alerts"]
        if alert["rule"] in built
    )
    return sorted(out.glob("*.jsonl")), f"{agency}:{record_id}"


@pytest.fixture(scope="module", params=list(CASES))
def packs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    case = request.param
    work = tmp_path_factory.mktemp(case)
    record, date_from, date_to = CASES[case]
    if case == "synthetic":
        feeds, record = _synthetic_feeds(work / "feeds")
    else:
        feeds = sorted((REPO / "examples" / case).glob("*.jsonl"))
    env = {"DATABASE_URL": f"sqlite:///{work}/store.sqlite3", "KINSIGHT_ACTOR": "reviewer-rita"}
    ingest = run_kinsight("ingest", *map(str, feeds), env=env)
    assert ingest.returncode == 0, ingest.stderr
    files: dict[tuple[str, bool], Path] = {}
    for fmt in FORMATS:
        for anonymise in (False, True):
            out = work / f"pack{'-anon' if anonymise else ''}.{fmt}"
            args = [record, "--from", date_from, "--to", date_to, "--out", str(out)]
            done = run_kinsight("review-pack", *args, *(["--anonymise"] if anonymise else []),
                                env=env)  # fmt: skip
            assert done.returncode == 0, done.stderr
            files[(fmt, anonymise)] = out
    return {"case": case, "feeds": feeds, "files": files, "env": env, "record": record}


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pack(packs: Any, anonymise: bool) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(packs["files"][("json", anonymise)].read_text())
    return data


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
@pytest.mark.parametrize("anonymise", [False, True])
def test_the_pack_shows_every_chronology_row_the_matrix_and_the_alert_history(
    packs, fmt, anonymise
):
    pack = _pack(packs, anonymise)
    text = pack_text(packs["files"][(fmt, anonymise)])
    compact = _compact(text)
    assert pack["chronology"], "the pack has no chronology"

    missing_rows = [e["ref"] for e in pack["chronology"] if _compact(e["ref"]) not in compact]
    assert missing_rows == []
    for heading in ("Multi-agency chronology", "Who knew what, when",
                    "Alerts raised and what was done", "Alerts under today's rules"):  # fmt: skip
        assert heading in text
    assert pack["matrix"]["rows"]
    for row in pack["matrix"]["rows"]:
        assert _compact(row["ref"]) in compact
        for cell in row["cells"].values():
            assert _compact(cell) in compact
    for alert in pack["alerts"]:
        assert _compact(alert["rule"]) in compact
        assert _compact(alert["outcome"]) in compact


def test_the_alert_history_says_what_was_done_or_that_nothing_was(packs):
    pack = _pack(packs, False)
    assert pack["alerts"], "the case raised no alerts"
    for alert in pack["alerts"]:
        assert alert["history"][0]["what"] == "raised"
        acted = {h["what"] for h in alert["history"]} & {"acknowledged", "actioned", "closed"}
        assert (alert["outcome"] == "never acted on") == (not acted)


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_anonymised_pack_holds_no_name_nickname_nhs_number_postcode_or_birth_date(packs, fmt):
    values = identifying_values(packs["feeds"])
    assert values["names"] and values["birth_dates"]

    text = pack_text(packs["files"][(fmt, True)])

    assert leaks(text, values) == []


def test_an_anonymised_pack_gives_every_date_as_month_and_year(packs):
    text = pack_text(packs["files"][("json", True)])
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text)
    pack = _pack(packs, True)
    for event in pack["chronology"]:
        assert re.fullmatch(r"[A-Z][a-z]+ \d{4}", event["occurred_at"])


def test_the_key_is_written_beside_the_pack_and_lists_every_replacement(packs):
    for fmt in FORMATS:
        out = packs["files"][(fmt, True)]
        key_path = out.with_name(out.name + ".key.json")
        key = json.loads(key_path.read_text(encoding="utf-8"))
        assert key["pack"] == out.name
        assert key_path.stat().st_mode & 0o077 == 0, "the key must be private to its owner"
        assert key["replacements"] and key["events"]
        assert any(p["pseudonym"] == "Child A" for p in key["people"])
    plain = packs["files"][("json", False)]
    assert not plain.with_name(plain.name + ".key.json").exists()


def test_the_pdf_is_tagged_for_screen_readers(packs):
    from pypdf import PdfReader

    root = PdfReader(str(packs["files"][("pdf", False)])).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root.get("/Lang", "")).lower().startswith("en")


def test_the_word_document_repeats_table_headers_and_numbers_its_pages(packs):
    from docx import Document

    document = Document(str(packs["files"][("docx", False)]))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Who knew what, when" in headings
    for table in document.tables:
        assert 'w:tblHeader w:val="true"' in table.rows[0]._tr.xml
    footer = document.sections[0].footer._element.xml
    assert "PAGE" in footer and "NUMPAGES" in footer


def test_making_a_pack_is_audited_with_who_what_and_why(packs):
    import sqlite3

    url = packs["env"]["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(url) as db:
        rows = db.execute(
            "SELECT actor, object_id, reason, detail FROM audit_auditentry "
            "WHERE action = 'review_pack' ORDER BY id"
        ).fetchall()
    assert len(rows) == 2 * len(FORMATS)
    actor, object_id, reason, detail = rows[0]
    assert actor == "reviewer-rita"
    assert object_id == packs["record"]
    assert reason == "practice review"
    assert json.loads(detail)["format"] == "json"
