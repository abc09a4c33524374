"""The ``kinsight indicators [FILE]`` command (indicators.md).

Reads JSON Lines ``{"id": "...", "text": "..."}`` and writes one line per input, in input order:
``{"id": "...", "indicators": [...]}``. A line that cannot be read is reported on the error
stream as one line naming its number and the field ("line 3: text: missing") and is skipped;
the rest are still read. The console script wires this to standard input and output.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from kinsight.text import read_many

# Lines are read through the pipeline in batches: enough to keep nlp.pipe busy, few enough that
# output follows input closely when a program reads our output as it writes its input.
_BATCH = 256


@dataclass(frozen=True)
class _Note:
    line: int
    id: Any
    text: str
    subjects: Sequence[Mapping[str, str]]


def _parse(number: int, raw: str) -> _Note | str:
    """A note, or the one-line error for a line that is not one."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        return f"line {number}: not valid JSON ({error.msg})"
    if not isinstance(data, dict):
        return f"line {number}: not a JSON object"
    if "id" not in data:
        return f"line {number}: id: missing"
    if not isinstance(data["id"], str) or not data["id"]:
        return f"line {number}: id: must be a non-empty string"
    if "text" not in data:
        return f"line {number}: text: missing"
    if not isinstance(data["text"], str):
        return f"line {number}: text: must be a string"
    subjects = data.get("subjects", [])
    if not isinstance(subjects, list) or not all(
        isinstance(subject, dict)
        and all(isinstance(key, str) and isinstance(value, str) for key, value in subject.items())
        for subject in subjects
    ):
        return f"line {number}: subjects: must be a list of objects of strings"
    return _Note(number, data["id"], data["text"], subjects)


def _batches(infile: TextIO, errfile: TextIO, bad: list[int]) -> Iterator[list[_Note]]:
    batch: list[_Note] = []
    for number, raw in enumerate(infile, 1):
        if not raw.strip():
            continue
        parsed = _parse(number, raw)
        if isinstance(parsed, str):
            errfile.write(parsed + "\n")
            bad.append(number)
            continue
        batch.append(parsed)
        if len(batch) >= _BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def indicators_command(infile: TextIO, outfile: TextIO, errfile: TextIO) -> int:
    """Write the indicators of every note read; 0 if every line was read, 1 if any was bad."""
    bad: list[int] = []
    for batch in _batches(infile, errfile, bad):
        results = read_many((note.text, note.subjects) for note in batch)
        for note, findings in zip(batch, results, strict=True):
            line = {"id": note.id, "indicators": [finding.as_json() for finding in findings]}
            outfile.write(json.dumps(line, ensure_ascii=False) + "\n")
        outfile.flush()
    return 1 if bad else 0
