"""Build notes.jsonl from the hand-annotated sources dev.txt, heldout1.txt and heldout.txt.

Run ``python -m kinsight.text.tests.corpus.build_corpus`` after editing a source file; commit the
sources and notes.jsonl together. Offsets are computed here so nobody counts characters by hand.

Source format, one note a line (blank lines and lines starting with ``#`` are skipped):

    @subjects C-1:child P-2:mother        (optional; applies to the next note only)
    No [bruising]{br c n} seen; [mum has relapsed]{sm m}.

``\\n`` in a line stands for a line break inside the note. A marked span is ``[words]{code who
flags}``:

* ``code`` is the indicator (see ``CODES``);
* ``who`` is the experiencer: c child, m mother, f father, p partner, o other adult, y family,
  u unknown;
* ``flags`` (optional, any order): n negated, h hypothetical, p historical (past), q uncertain.

How the notes were annotated (a careful human reading, never the pipeline's output):

* Mark every mention of an indicator in indicators.md, with the shortest words that carry it.
  A list of findings in one breath ("cuts and bruises") is one mention per indicator.
* negated: the text says the finding is absent ("no bruising", "nil concerns", "drug screen
  negative"). A person's denial ("mum denies drinking") is not an absence: it is uncertain.
* hypothetical: conditional, future, planned or advised ("if", "should she", "risk of",
  "agreed not to", "would").
* historical: the finding belongs to the past, not to the present episode ("history of",
  "previously", "in 2015", "used to", "as a teenager", "no longer", "last year"). A recent
  event of this episode ("yesterday", "last week", "on Saturday") is not historical.
* uncertain: possible, query, "?", suspected, alleged, reportedly, "concerns about", "worried
  that", "unclear whether", a denial.
* "presented as" and "appeared" are how practitioners record what they saw: not uncertain.
* experiencer is the person the finding is about: the person drinking, pregnant, hostile,
  injured, arrested. When the text names nobody: an injury, neonatal abstinence, a child's
  toxicology, school absence, neglect of care, an allegation or a disclosure is the child's;
  home conditions and domestic abuse belong to the family; a pregnancy is the mother's; "was not
  brought" is the child's and "no access" the family's; anything else is unknown. Domestic abuse
  between the household's adults is the family's; abuse in another adult's relationship is
  other_adult. A new partner is partner; another adult moving in is other_adult. A positive drug
  test of an adult is substance_misuse, of a child positive_toxicology. An adult telling someone
  of abuse is not a disclosure (that indicator is the child's).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

CODES = {
    "sm": "substance_misuse",
    "da": "domestic_abuse",
    "mh": "mental_ill_health",
    "br": "bruise",
    "fx": "fracture",
    "bu": "burn",
    "bi": "bite",
    "hi": "head_injury",
    "im": "injection_mark",
    "oi": "other_injury",
    "nas": "neonatal_abstinence",
    "tox": "positive_toxicology",
    "pr": "pregnancy",
    "ma": "missed_appointment",
    "ne": "non_engagement",
    "na": "new_adult",
    "nh": "neglect_home",
    "nc": "neglect_care",
    "sa": "school_absence",
    "al": "allegation",
    "di": "disclosure",
    "cb": "criminal_behaviour",
    "ld": "learning_disability",
    "dc": "delayed_care",
}
WHO = {
    "c": "child",
    "m": "mother",
    "f": "father",
    "p": "partner",
    "o": "other_adult",
    "y": "family",
    "u": "unknown",
}
FLAGS = {"n": "negated", "h": "hypothetical", "p": "historical", "q": "uncertain"}

_MARK = re.compile(r"\[([^\[\]{}]+)\]\{([^{}]+)\}")


class SourceError(ValueError):
    pass


def parse_note(source: str) -> tuple[str, list[dict[str, Any]]]:
    """Strip the markers from one source line; return the text and its gold items."""
    source = source.replace("\\n", "\n")
    text_parts: list[str] = []
    gold: list[dict[str, Any]] = []
    position = 0
    length = 0
    for match in _MARK.finditer(source):
        before = source[position : match.start()]
        text_parts.append(before)
        length += len(before)
        words, code = match.group(1), match.group(2).split()
        if len(code) not in (2, 3) or code[0] not in CODES or code[1] not in WHO:
            raise SourceError(f"bad marker {match.group(0)!r}")
        flags = code[2] if len(code) == 3 else ""
        if any(flag not in FLAGS for flag in flags):
            raise SourceError(f"bad flags in {match.group(0)!r}")
        item: dict[str, Any] = {"indicator": CODES[code[0]], "start": length}
        text_parts.append(words)
        length += len(words)
        item["end"] = length
        for letter, name in FLAGS.items():
            item[name] = letter in flags
        item["experiencer"] = WHO[code[1]]
        gold.append(item)
        position = match.end()
    text_parts.append(source[position:])
    text = "".join(text_parts)
    if any(char in text for char in "[]{}"):
        raise SourceError(f"unbalanced marker in {source!r}")
    return text, gold


def read_source(path: Path, split: str) -> Iterator[dict[str, Any]]:
    subjects: list[dict[str, str]] | None = None
    number = 0
    for line_number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@subjects"):
            subjects = []
            for pair in line.split()[1:]:
                ref, role = pair.split(":", 1)
                subjects.append({"ref": ref, "role": role})
            continue
        try:
            text, gold = parse_note(line)
        except SourceError as error:
            raise SourceError(f"{path.name}:{line_number}: {error}") from None
        number += 1
        note: dict[str, Any] = {"id": f"{split}-{number:03d}", "split": split, "text": text}
        if subjects is not None:
            note["subjects"] = subjects
            subjects = None
        note["gold"] = gold
        yield note


# The sources in the order they were written; see the head of each for its history.
SOURCES = (("dev.txt", "dev"), ("heldout1.txt", "heldout1"), ("heldout.txt", "heldout"))


def build() -> list[dict[str, Any]]:
    return [
        note
        for name, split in SOURCES
        if (HERE / name).exists()
        for note in read_source(HERE / name, split)
    ]


def main() -> int:
    notes = build()
    with (HERE / "notes.jsonl").open("w", encoding="utf-8") as out:
        for note in notes:
            out.write(json.dumps(note, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for note in notes:
        for item in note["gold"]:
            counts[item["indicator"]] = counts.get(item["indicator"], 0) + 1
    empty = sum(1 for note in notes if not note["gold"])
    sys.stdout.write(f"{len(notes)} notes, {empty} with no indicator\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
