"""Read indicators from practitioners' free text (indicators.md).

A plain Python package, not a Django app: the store calls it, and so does the ``kinsight
indicators`` command. The pipeline (medspaCy's TargetMatcher and ConText on a blank English
spaCy pipeline) is built once, lazily, on first use, and runs entirely offline.

    >>> from kinsight.text import read_text
    >>> [f.as_json()["indicator"] for f in read_text("No bruising seen; mum has relapsed.")]
    ['bruise', 'substance_misuse']
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from kinsight.text._finding import Finding
from kinsight.text._rules import EXPERIENCERS, INDICATOR_IDS, rules_version

if TYPE_CHECKING:
    from kinsight.text._pipeline import Reader

__all__ = [
    "EXPERIENCERS",
    "INDICATOR_IDS",
    "RULES_VERSION",
    "Finding",
    "may_hold_finding",
    "read_many",
    "read_text",
]

# Changes whenever targets.json or context.json changes, so the store knows to read notes again.
RULES_VERSION: str = rules_version()

_reader: Reader | None = None
_lock = threading.Lock()


def _get_reader() -> Reader:
    global _reader
    if _reader is None:
        with _lock:
            if _reader is None:
                from kinsight.text._pipeline import Reader

                _reader = Reader()
    return _reader


def read_text(text: str, subjects: Sequence[Mapping[str, str]] = ()) -> list[Finding]:
    """The indicators in one note, in text order.

    ``subjects`` are the event's subjects (``{"ref", "role"}``, optionally ``"name"``); a
    finding's ``subject_ref`` names the one it is about when the text allows a single answer.
    """
    return _get_reader().read(text, subjects)


def read_many(
    texts: Iterable[tuple[str, Sequence[Mapping[str, str]]]],
) -> Iterator[list[Finding]]:
    """Like :func:`read_text` for many notes, batched through ``nlp.pipe``; results in order."""
    return _get_reader().read_many(texts)


def may_hold_finding(text: str) -> bool:
    """False only for a text in which no indicator can be found, whatever its context.

    Most routine notes ("phone call to arrange a visit") name no indicator; skipping them before
    the pipeline runs is the main saving when reading a whole store.
    """
    return _get_reader().may_hold_finding(text)
