"""Writing a pack as `.json`, `.docx` (python-docx) or `.pdf` (WeasyPrint, tagged).

Each writer takes the pack's data and nothing else: what is in the pack was decided (and, when
asked, anonymised) by `pack.py`.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kinsight.lib.collector import cyclic_gc_paused

FORMATS = (".json", ".docx", ".pdf")

TITLE = "Practice review pack"

SECTIONS = {
    "people": "People",
    "agencies": "Agencies",
    "themes": "Summary of themes",
    "chronology": "Multi-agency chronology",
    "episodes": "Practice episodes and deadlines",
    "alerts": "Alerts raised and what was done",
    "alerts_today": "Alerts under today's rules",
    "matrix": "Who knew what, when",
}


def pack_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path.name}: the file must end in .docx, .pdf or .json")
    return suffix


def write_pack(pack: dict[str, Any], path: Path) -> None:
    writers: dict[str, Callable[[dict[str, Any], Path], None]] = {
        ".json": write_json,
        ".docx": write_docx,
        ".pdf": write_pdf,
    }
    writers[pack_format(path)](pack, path)


def write_json(pack: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(pack, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


# -- the tables, shared by Word and PDF --------------------------------------------------------
def tables(pack: dict[str, Any]) -> list[tuple[str, str, list[str], list[list[str]]]]:
    """(section key, heading, header, rows) of every table in the pack, in reading order."""

    def join(values: Iterable[str]) -> str:
        return ", ".join(values)

    people = [
        [
            p["person"],
            p["relationship"],
            join(p.get("names", [])) or "(removed)",
            join(p.get("birth_dates", [])) or "(removed)",
            join(p["records"]),
        ]
        for p in pack["people"]
    ]
    agencies = [[a["agency"], a["name"] or "(removed)", a["sector"]] for a in pack["agencies"]]
    themes = [[t["theme"], t["text"], join(t["refs"])] for t in pack["themes"]]
    chronology = [
        [
            e["ref"],
            e["occurred_at"],
            e["recorded_at"],
            e["agency"],
            e["type"].replace("_", " "),
            join(f"{s['person']} ({s['role']})" if s["role"] else s["person"]
                 for s in e["subjects"]),
            e["summary"],
            join(e["shared_with"]) or "none",
            ("yes: " + join(e["why_significant"])) if e["significant"] else "",
        ]
        for e in pack["chronology"]
    ]  # fmt: skip
    episodes = [
        [
            e["what"],
            join(e["children"]),
            e["started"],
            e["ended"],
            e["deadline"],
            join(e["refs"]),
        ]
        for e in pack["episodes"]
    ]
    alerts = [
        [
            str(a["id"]),
            a["rule"],
            a["severity"],
            a["child"],
            a["raised_at"],
            a["explanation"],
            join(a["evidence"]),
            "; ".join(
                f"{h['what']} {h['at']} by {h['by']}" + (f": {h['note']}" if h["note"] else "")
                for h in a["history"]
            ),
            a["outcome"],
        ]
        for a in pack["alerts"]
    ]
    today = [
        [
            a["rule"],
            a["severity"],
            a["child"],
            a["raised_at"],
            a["explanation"],
            join(a["evidence"]),
            "yes" if a["raised_at_the_time"] else "no",
        ]
        for a in pack["alerts_today"]
    ]
    matrix_agencies = pack["matrix"]["agencies"]
    matrix = [
        [row["ref"], row["occurred_at"], row["type"].replace("_", " ")]
        + [row["cells"].get(a, "") for a in matrix_agencies]
        for row in pack["matrix"]["rows"]
    ]
    return [
        ("people", SECTIONS["people"],
         ["Person", "Relationship to Child A", "Names", "Birth dates", "Records"], people),
        ("agencies", SECTIONS["agencies"], ["Agency", "Name", "Sector"], agencies),
        ("themes", SECTIONS["themes"], ["Theme", "Facts", "References"], themes),
        ("chronology", SECTIONS["chronology"],
         ["Ref", "Date", "Recorded", "Agency", "Type", "About", "What was recorded",
          "Shared with", "Significant"], chronology),
        ("episodes", SECTIONS["episodes"],
         ["Episode", "Children", "Started", "Ended", "Statutory deadline", "Records"], episodes),
        ("alerts", SECTIONS["alerts"],
         ["Alert", "Rule", "Severity", "Child", "Raised", "Explanation", "Evidence", "History",
          "What was done"], alerts),
        ("alerts_today", SECTIONS["alerts_today"],
         ["Rule", "Severity", "Child", "Would be raised", "Explanation", "Evidence",
          "Raised at the time"], today),
        ("matrix", SECTIONS["matrix"], ["Ref", "Date", "Event", *matrix_agencies], matrix),
    ]  # fmt: skip


def introduction(pack: dict[str, Any]) -> list[str]:
    lines = [
        f"About {pack['child']}"
        + ("" if pack["anonymised"] else f" ({pack['record']})")
        + ", the household and family, "
        f"from {pack['period']['from']} to {pack['period']['to']}.",
        f"Drawn from the Kinsight record on {pack['generated_at']}: "
        f"{len(pack['chronology'])} records, {len(pack['alerts'])} alerts raised at the time, "
        f"{len(pack['alerts_today'])} under today's rules.",
        "The summary of themes lists facts with references for the reviewer to start from; it "
        "makes no judgement about practice.",
    ]
    if pack["anonymised"]:
        lines.append(
            "Anonymised: people are named by their role, agencies by their sector, and dates "
            "are given as month and year only. The key to the replacements is kept apart."
        )
    return lines


EMPTY = "None in this period."

# Column widths (per cent) for the PDF: a fixed table layout is what keeps WeasyPrint linear in
# the number of rows (an automatic layout measures every cell again on every page).
COLUMN_WIDTHS = {
    "people": [12, 18, 25, 15, 30],
    "agencies": [25, 50, 25],
    "themes": [15, 60, 25],
    "chronology": [8, 8, 8, 9, 8, 12, 33, 7, 7],
    "episodes": [18, 14, 11, 11, 30, 16],
    "alerts": [5, 11, 6, 7, 8, 22, 10, 19, 12],
    "alerts_today": [14, 7, 9, 9, 39, 14, 8],
}


def column_widths(key: str, columns: int) -> list[float]:
    widths = COLUMN_WIDTHS.get(key)
    if widths is not None and len(widths) == columns:
        return [float(w) for w in widths]
    if key == "matrix" and columns > 3:
        rest = 76 / (columns - 3)
        return [8.0, 8.0, 8.0] + [rest] * (columns - 3)
    return [100 / columns] * columns


# -- Word --------------------------------------------------------------------------------------
def write_docx(pack: dict[str, Any], path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    document.styles["Normal"].font.size = Pt(9)
    document.core_properties.title = TITLE
    _footer_page_numbers(section.footer.paragraphs[0])

    document.add_heading(TITLE, level=0)
    for line in introduction(pack):
        document.add_paragraph(line)
    for _key, heading, header, rows in tables(pack):
        document.add_heading(heading, level=1)
        if not rows:
            document.add_paragraph(EMPTY)
            continue
        _docx_table(document, header, rows)
    document.save(str(path))


def _docx_table(document: Any, header: list[str], rows: list[list[str]]) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    head = table.rows[0]
    tr_pr = head._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text in zip(head.cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    # Rows are built as XML directly: python-docx's add_row re-reads the whole table each
    # time, which is quadratic on a chronology of thousands of records.
    tbl = table._tbl
    for values in rows:
        tr = OxmlElement("w:tr")
        for value in values:
            tc = OxmlElement("w:tc")
            for line in (value or "").split("\n"):
                p = OxmlElement("w:p")
                if line:
                    r = OxmlElement("w:r")
                    t = OxmlElement("w:t")
                    t.set(qn("xml:space"), "preserve")
                    t.text = _xml_safe(line)
                    r.append(t)
                    p.append(r)
                tc.append(p)
            tr.append(tc)
        tbl.append(tr)


def _xml_safe(text: str) -> str:
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def _footer_page_numbers(paragraph: Any) -> None:
    """ "Page N of M" in the footer, as Word fields so that Word keeps them up to date."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("Page ")
    for n, field in enumerate(("PAGE", "NUMPAGES")):
        if n:
            paragraph.add_run(" of ")
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), f" {field} ")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        simple.append(run)
        paragraph._p.append(simple)


# -- PDF ---------------------------------------------------------------------------------------
def pack_html(pack: dict[str, Any]) -> str:
    from django.template.loader import render_to_string

    shown = _pdf_shortened(pack)
    sections = []
    for key, heading, header, rows in tables(shown):
        section: dict[str, Any] = {"key": key, "heading": heading, "header": header, "rows": rows}
        if key == "chronology":
            section["paragraphs"] = _chronology_paragraphs(pack["chronology"])
        elif len(rows) > TABLE_ROWS_AT_MOST:
            section["paragraphs"] = _row_paragraphs(header, rows)
        else:
            section["widths"] = column_widths(key, len(header))
        sections.append(section)
    return render_to_string(
        "reviews/pack.html",
        {
            "title": TITLE,
            "introduction": introduction(pack),
            "tables": sections,
            "empty": EMPTY,
            "notes": pdf_notes(pack),
        },
    )


def _chronology_paragraphs(chronology: list[dict[str, Any]]) -> str:
    """The chronology as one paragraph per record rather than a table: WeasyPrint lays out a
    paragraph about five times faster than a row of cells, and a screen reader reads each record
    as one piece. Word keeps the table, which reviewers edit.

    The record's heading line, then what was recorded and whom it was shared with on one line:
    WeasyPrint's time goes mostly by the line, and "Shared with" alone on a third line was a
    fifth of the chronology's lines. Joined here rather than by a template loop, which took
    about a second over 5,000 records."""
    from django.utils.html import format_html_join

    def paragraph(e: dict[str, Any]) -> tuple[str, str, str, str]:
        about = ", ".join(
            f"{s['person']} ({s['role']})" if s["role"] else s["person"] for s in e["subjects"]
        )
        head = (
            f"{e['ref']} | {e['occurred_at']} (recorded {e['recorded_at']}) | {e['agency']} | "
            f"{e['type'].replace('_', ' ')} | about {about}"
        )
        if e["significant"]:
            head += " | SIGNIFICANT: " + ", ".join(e["why_significant"])
        marked = "entry significant" if e["significant"] else "entry"
        return marked, head, e["summary"], ", ".join(e["shared_with"]) or "none"

    return format_html_join(
        "", '<p class="{}">{}\n{} | Shared with: {}</p>\n', (paragraph(e) for e in chronology)
    )


def _row_paragraphs(header: list[str], rows: list[list[str]]) -> str:
    """A long table as one paragraph per row: "Header: value | ...", empty cells left out."""
    from django.utils.html import format_html_join

    return format_html_join(
        "",
        '<p class="entry">{}</p>\n',
        ((" | ".join(f"{h}: {v}" for h, v in zip(header, row, strict=True) if v),) for row in rows),
    )


# A theme names its records; past this many, the PDF names the first and counts the rest. A cell
# of 2,000 references ran over dozens of pages of one table row (WeasyPrint lays such a row out
# again on every page), and no reader follows them there: the Word and JSON packs list them all.
THEME_REFS_AT_MOST = 40


def _pdf_shortened(pack: dict[str, Any]) -> dict[str, Any]:
    """The pack as the PDF shows it: each theme's first references, and an alert under today's
    rules that was also raised at the time by its rule, child and moment (its explanation and
    evidence are already under "Alerts raised", once)."""
    themes = [
        {**t, "refs": [*t["refs"][:THEME_REFS_AT_MOST],
                       f"and {len(t['refs']) - THEME_REFS_AT_MOST:,} more (all in the Word "
                       "and JSON packs)"]}
        if len(t["refs"]) > THEME_REFS_AT_MOST else t
        for t in pack["themes"]
    ]  # fmt: skip
    common = _common_advice(pack)
    alerts = [
        {**a, "explanation": _without_advice(a["explanation"], common.get(a["rule"], ""))}
        for a in pack["alerts"]
    ]
    today = [
        {**a, "explanation": _without_advice(a["explanation"], common.get(a["rule"], ""))}
        for a in pack["alerts_today"]
        if not a["raised_at_the_time"]
    ]
    return {**pack, "themes": themes, "alerts": alerts, "alerts_today": today}


def pdf_notes(pack: dict[str, Any]) -> dict[str, Any]:
    """What the PDF says once instead of on every alert: the closing words all alerts of a rule
    share (its advice to the reader), and how many alerts under today's rules were also raised
    at the time, by rule."""
    also = Counter(a["rule"] for a in pack["alerts_today"] if a["raised_at_the_time"])
    return {
        "advice": sorted(_common_advice(pack).items()),
        "also_raised": sum(also.values()),
        "also_raised_by_rule": ", ".join(f"{rule} {n:,}" for rule, n in sorted(also.items())),
        "today": len(pack["alerts_today"]),
    }


def _common_advice(pack: dict[str, Any]) -> dict[str, str]:
    """For each rule with several alerts, the closing sentences all its explanations share
    (the rule's "consider ..." advice): the PDF prints them once per rule. A 5,000-record pack
    repeated them on 3,000 alerts, a tenth of its text."""
    by_rule: dict[str, set[str]] = {}
    for alert in [*pack["alerts"], *pack["alerts_today"]]:
        if alert["explanation"]:
            by_rule.setdefault(alert["rule"], set()).add(alert["explanation"])
    found = {}
    for rule, texts in by_rule.items():
        if len(texts) < 2:
            continue
        shared = _sentences_in_common(sorted(texts))
        if shared:
            found[rule] = shared
    return found


def _sentences_in_common(texts: list[str]) -> str:
    suffix = texts[0]
    for text in texts[1:]:
        n = 0
        while n < min(len(suffix), len(text)) and suffix[-1 - n] == text[-1 - n]:
            n += 1
        suffix = suffix[len(suffix) - n :] if n else ""
        if not suffix:
            return ""
    # Start it at a sentence that follows another in every text ("... 2019. Consider ...").
    for start in range(len(suffix)):
        rest = suffix[start:]
        if not rest[:1].isupper() or len(rest) < 20:
            continue
        if all(_after_a_sentence(text[: len(text) - len(rest)]) for text in texts):
            return rest
    return ""


def _after_a_sentence(before: str) -> bool:
    return before.endswith((". ", "! ", "? ", ".\n"))


def _without_advice(explanation: str, advice: str) -> str:
    if advice and explanation.endswith(advice) and len(explanation) > len(advice):
        return explanation[: -len(advice)].rstrip() + " (and the rule's closing words, above)"
    return explanation


# Above this many rows, a PDF table is written as one paragraph per row ("Header: value | ...",
# empty cells left out): WeasyPrint needs about 50 ms of CPU per row of a wide table, and a family
# known for years has thousands of significant records. Word always keeps the tables.
TABLE_ROWS_AT_MOST = 300


def write_pdf(pack: dict[str, Any], path: Path) -> None:
    from weasyprint import HTML

    # Tagged for screen readers (PDF/UA-1): WeasyPrint's `pdf_tags` writes the structure tree
    # from the HTML (headings, tables with their header cells), `pdf_variant` the UA metadata.
    with (
        _page_references_cached(),
        _streams_compressed_at_the_default_level(),
        # See do_write_review_pack: the pack's objects stay alive while WeasyPrint works.
        cyclic_gc_paused(),
    ):
        HTML(string=pack_html(pack), base_url=str(path.parent)).write_pdf(
            str(path), pdf_variant="pdf/ua-1", pdf_tags=True
        )


@contextmanager
def _streams_compressed_at_the_default_level() -> Iterator[None]:
    """pydyf 0.13 deflates every stream at zlib's level 9, which on a page's text takes five
    times as long as the default level 6 for a file a few per cent smaller: 1.7 s of a
    670-page pack's writing for 7 % more bytes. While a pack is written, pydyf's `zlib` is one
    whose `compressobj` uses the default level."""
    import types
    import zlib

    import pydyf

    original = pydyf.zlib
    pydyf.zlib = types.SimpleNamespace(
        compress=zlib.compress, compressobj=lambda level=-1, *args: zlib.compressobj(-1, *args)
    )
    try:
        yield
    finally:
        pydyf.zlib = original


@contextmanager
def _page_references_cached() -> Iterator[None]:
    """pydyf 0.13 rebuilds the tuple of every page's reference each time one is asked for, and
    WeasyPrint asks once per tagged element: quadratic, about 30 s of a 500-page pack. While a
    pack is written, the tuple is kept until a page is added (the same values, computed once)."""
    import pydyf

    original = pydyf.PDF.page_references

    def cached(pdf: Any) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]
        kept = pdf.__dict__.get("_kinsight_page_references")
        if kept is None or kept[0] != len(kids):
            kept = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
            pdf.__dict__["_kinsight_page_references"] = kept
        return kept[1]

    pydyf.PDF.page_references = property(cached)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original
