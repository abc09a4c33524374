"""Reading packs back as text, and what the feeds say must never appear in an anonymised one."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from kinsight.people.names import NICKNAMES, formal_forms, normalise

MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip


def pack_text(path: Path) -> str:
    """Every piece of text a reader of the file would see, headers and footers included."""
    if path.suffix == ".json":
        return path.read_text(encoding="utf-8")
    if path.suffix == ".docx":
        from docx import Document

        document = Document(str(path))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.extend(cell.text for cell in row.cells)
        for section in document.sections:
            parts.extend(p.text for p in section.footer.paragraphs)
            parts.extend(p.text for p in section.header.paragraphs)
        parts.append(document.core_properties.title or "")
        return "\n".join(parts)
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        parts = [page.extract_text() or "" for page in reader.pages]
        parts.extend(str(v) for v in (reader.metadata or {}).values())
        return "\n".join(parts)
    raise ValueError(path)


def feed_objects(paths: list[Path]) -> list[dict[str, Any]]:
    found = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                found.append(json.loads(line))
    return found


def nicknames_of(name: str) -> set[str]:
    """The nickname table's forms of a given name, in both directions."""
    key = normalise(name)
    forms = set(NICKNAMES.get(key, ())) | set(formal_forms(key))
    return {f.capitalize() for f in forms}


def identifying_values(paths: list[Path]) -> dict[str, set[str]]:
    """Every name, other name, nickname, NHS number, postcode and full birth date in the feeds.

    Names are split into their words (a pack may show "Kayleigh" without "Ashworth"); full birth
    dates are given in the ways people write them. Year-only birth dates are left out: a pack
    keeps months and years, so a year alone is not a birth date in it.
    """
    values: dict[str, set[str]] = {
        "names": set(),
        "nicknames": set(),
        "nhs_numbers": set(),
        "postcodes": set(),
        "birth_dates": set(),
    }
    for obj in feed_objects(paths):
        if obj.get("kind") != "person":
            continue
        names = [obj.get("given_name") or "", obj.get("family_name") or ""]
        names += [n for n in obj.get("other_names") or [] if isinstance(n, str)]
        for name in names:
            for word in re.split(r"[\s\-]+", name):
                word = word.strip(".,")
                if len(word) >= 2 and not word.isdigit():
                    values["names"].add(word)
        for word in re.split(r"[\s\-]+", obj.get("given_name") or ""):
            if len(word) >= 2:
                values["nicknames"] |= nicknames_of(word)
        if obj.get("nhs_number"):
            values["nhs_numbers"].add(obj["nhs_number"])
        postcode = (obj.get("address") or {}).get("postcode")
        if postcode:
            values["postcodes"].add(postcode)
        born = obj.get("birth_date") or ""
        if len(born) == 10:
            day = date.fromisoformat(born)
            values["birth_dates"] |= {
                born,
                day.strftime("%d/%m/%Y"),
                day.strftime("%d/%m/%y"),
                f"{day.day} {MONTHS[day.month - 1]} {day.year}",
            }
    # Placeholders for an unnamed baby are slots, not names ("Baby", "Twin", "Unborn").
    for kind in ("names", "nicknames"):
        values[kind] = {v for v in values[kind] if v.lower() not in PLACEHOLDER_WORDS}
    return values


PLACEHOLDER_WORDS = {"baby", "twin", "unborn", "child", "infant", "unknown"}


def leaks(text: str, values: dict[str, set[str]]) -> list[str]:
    """The values found in the text: names as whole words, numbers wherever they stand."""
    found = []
    compact = re.sub(r"\s+", "", text)
    for kind, items in values.items():
        for item in sorted(items):
            if kind in ("names", "nicknames"):
                if re.search(rf"(?<!\w){re.escape(item)}(?!\w)", text):
                    found.append(f"{kind}: {item}")
            elif kind in ("nhs_numbers", "postcodes"):
                if re.sub(r"\s+", "", item).lower() in compact.lower():
                    found.append(f"{kind}: {item}")
            elif re.search(rf"(?<!\w){re.escape(item)}(?!\d)", text):
                found.append(f"{kind}: {item}")
    return found
