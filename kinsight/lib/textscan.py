"""A cheap test before a costly search of a note's text.

The rules search every summary of a family's events with case-insensitive regular expressions,
at every evaluation; most summaries contain none of the words those look for. A plain substring
test of the case-folded text answers "certainly not" far faster than the search does.
"""

from __future__ import annotations


def may_contain(text: str, words: tuple[str, ...]) -> bool:
    """Whether one of `words` (lower case) may appear in `text`, as a case-insensitive regular
    expression would find it. False means it certainly does not; True means search to know.

    `str.casefold` maps every character that such a search takes for an ASCII letter to that
    letter, except the dotless i, which is mapped here.
    """
    folded = text.casefold()
    if "ı" in folded:
        folded = folded.replace("ı", "i")
    return any(word in folded for word in words)
