"""Score the reader against the annotated corpus: ``python -m kinsight.text.score``.

A predicted and a gold mention match when they name the same indicator and their character
spans overlap. A finding is *present* when it is neither negated nor hypothetical (the way rules
count it). Flag scores are given two ways:

* on matched mentions: how well the context is read once the finding is found (the usual way
  to score assertion classifiers);
* end to end: a flagged gold mention the reader missed counts against it.

The keyword baseline is what a plain word search does: a short list of obvious words per
indicator, every hit taken as present, no context, experiencer the indicator's default.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kinsight.text._rules import INDICATOR_IDS

CORPUS = Path(__file__).resolve().parent / "tests" / "corpus" / "notes.jsonl"
FLAGS = ("negated", "hypothetical", "historical", "uncertain")

Mention = Mapping[str, Any]
Predictor = Callable[[str, Sequence[Mapping[str, str]]], list[Mention]]

# What a keyword search would look for: the obvious word or two per indicator.
BASELINE_KEYWORDS: dict[str, tuple[str, ...]] = {
    "substance_misuse": (
        "drugs",
        "drug use",
        "alcohol",
        "drinking",
        "drunk",
        "cannabis",
        "heroin",
        "cocaine",
        "relapse",
        "relapsed",
    ),
    "domestic_abuse": ("domestic abuse", "domestic violence", "da", "dv", "assaulted"),
    "mental_ill_health": ("depression", "mental health", "self-harm", "suicidal", "anxiety"),
    "bruise": ("bruise", "bruising", "bruises"),
    "fracture": ("fracture", "fractures", "broken"),
    "burn": ("burn", "burns", "scald"),
    "bite": ("bite", "bite mark", "bitten"),
    "head_injury": ("head injury",),
    "injection_mark": ("injection mark", "needle mark"),
    "other_injury": ("injury", "injuries", "cut", "graze"),
    "neonatal_abstinence": ("nas", "neonatal abstinence", "withdrawal"),
    "positive_toxicology": ("positive for", "toxicology"),
    "pregnancy": ("pregnant", "pregnancy"),
    "missed_appointment": ("dna", "was not brought", "wnb", "missed appointment", "no access"),
    "non_engagement": ("hostile", "refused", "not engaging", "disengaged"),
    "new_adult": ("new partner", "moved in", "new boyfriend"),
    "neglect_home": ("home conditions", "no food", "dirty"),
    "neglect_care": ("neglect", "hungry", "head lice", "unkempt"),
    "school_absence": ("attendance", "absence", "absent"),
    "allegation": ("allegation", "alleged"),
    "disclosure": ("disclosed", "disclosure"),
    "criminal_behaviour": ("arrested", "prison", "convictions", "probation"),
    "learning_disability": ("learning disability", "learning difficulties"),
    "delayed_care": ("delay", "delayed"),
}


def keyword_baseline() -> Predictor:
    from kinsight.text._rules import TARGETS_FILE

    defaults = {
        indicator: spec.get("experiencer", {}).get("default", "unknown")
        for indicator, spec in json.loads(TARGETS_FILE.read_text())["indicators"].items()
    }
    patterns = [
        (indicator, re.compile(r"\b" + re.escape(word) + r"\b", re.IGNORECASE))
        for indicator, words in BASELINE_KEYWORDS.items()
        for word in words
    ]

    def predict(text: str, subjects: Sequence[Mapping[str, str]]) -> list[Mention]:
        found: list[Mention] = []
        for indicator, pattern in patterns:
            for hit in pattern.finditer(text):
                found.append(
                    {
                        "indicator": indicator,
                        "start": hit.start(),
                        "end": hit.end(),
                        **dict.fromkeys(FLAGS, False),
                        "experiencer": defaults[indicator],
                    }
                )
        return found

    return predict


def pipeline_predictor() -> Predictor:
    from kinsight.text import read_text

    def predict(text: str, subjects: Sequence[Mapping[str, str]]) -> list[Mention]:
        return [finding.as_json() for finding in read_text(text, subjects)]

    return predict


@dataclass
class Counts:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    def add(self, other: Counts) -> None:
        self.true_positive += other.true_positive
        self.false_positive += other.false_positive
        self.false_negative += other.false_negative

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 0.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


@dataclass
class Scores:
    notes: int = 0
    gold_mentions: int = 0
    predicted_mentions: int = 0
    per_indicator: dict[str, Counts] = field(default_factory=dict)
    present: Counts = field(default_factory=Counts)
    detection: Counts = field(default_factory=Counts)
    matched_flags: dict[str, Counts] = field(default_factory=dict)
    end_to_end_flags: dict[str, Counts] = field(default_factory=dict)
    flag_agree: dict[str, int] = field(default_factory=dict)
    pairs: int = 0
    experiencer_agree: int = 0
    errors: list[str] = field(default_factory=list)

    def accuracy(self, flag: str) -> float:
        return self.flag_agree.get(flag, 0) / self.pairs if self.pairs else 0.0

    @property
    def experiencer_accuracy(self) -> float:
        return self.experiencer_agree / self.pairs if self.pairs else 0.0


def _overlap(a: Mention, b: Mention) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def _matches(a: Mention, pool: Iterable[Mention]) -> list[Mention]:
    return [b for b in pool if b["indicator"] == a["indicator"] and _overlap(a, b) > 0]


def _present(mention: Mention) -> bool:
    return not mention["negated"] and not mention["hypothetical"]


def _set_counts(predicted: list[Mention], gold: list[Mention]) -> Counts:
    counts = Counts()
    counts.true_positive = sum(1 for g in gold if _matches(g, predicted))
    counts.false_negative = len(gold) - counts.true_positive
    counts.false_positive = sum(1 for p in predicted if not _matches(p, gold))
    return counts


def score(notes: Iterable[Mapping[str, Any]], predict: Predictor) -> Scores:
    scores = Scores(
        per_indicator={indicator: Counts() for indicator in INDICATOR_IDS},
        matched_flags={flag: Counts() for flag in FLAGS},
        end_to_end_flags={flag: Counts() for flag in FLAGS},
        flag_agree=dict.fromkeys(FLAGS, 0),
    )
    for note in notes:
        scores.notes += 1
        gold = list(note["gold"])
        predicted = predict(note["text"], note.get("subjects", []))
        scores.gold_mentions += len(gold)
        scores.predicted_mentions += len(predicted)
        scores.detection.add(_set_counts(predicted, gold))
        gold_present = [g for g in gold if _present(g)]
        predicted_present = [p for p in predicted if _present(p)]
        scores.present.add(_set_counts(predicted_present, gold_present))
        for indicator in INDICATOR_IDS:
            scores.per_indicator[indicator].add(
                _set_counts(
                    [p for p in predicted_present if p["indicator"] == indicator],
                    [g for g in gold_present if g["indicator"] == indicator],
                )
            )
        for flag in FLAGS:
            scores.end_to_end_flags[flag].add(
                _set_counts([p for p in predicted if p[flag]], [g for g in gold if g[flag]])
            )
        for g in gold:
            candidates = _matches(g, predicted)
            if not candidates:
                scores.errors.append(
                    f"{note['id']}: missed {g['indicator']} {note['text'][g['start'] : g['end']]!r}"
                )
                continue
            p = max(candidates, key=lambda candidate: _overlap(g, candidate))
            scores.pairs += 1
            for flag in FLAGS:
                counts = scores.matched_flags[flag]
                if g[flag] and p[flag]:
                    counts.true_positive += 1
                elif p[flag]:
                    counts.false_positive += 1
                elif g[flag]:
                    counts.false_negative += 1
                if g[flag] == p[flag]:
                    scores.flag_agree[flag] += 1
                else:
                    scores.errors.append(
                        f"{note['id']}: {g['indicator']} "
                        f"{note['text'][g['start'] : g['end']]!r} {flag} "
                        f"gold={g[flag]} read={p[flag]}"
                    )
            if g["experiencer"] == p["experiencer"]:
                scores.experiencer_agree += 1
            else:
                scores.errors.append(
                    f"{note['id']}: {g['indicator']} "
                    f"{note['text'][g['start'] : g['end']]!r} experiencer "
                    f"gold={g['experiencer']} read={p['experiencer']}"
                )
        for p in predicted:
            if not _matches(p, gold):
                scores.errors.append(
                    f"{note['id']}: extra {p['indicator']} {note['text'][p['start'] : p['end']]!r}"
                )
    return scores


def load_corpus(path: Path = CORPUS, split: str = "all") -> list[dict[str, Any]]:
    notes = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return notes if split == "all" else [note for note in notes if note["split"] == split]


def report(split: str, ours: Scores, baseline: Scores, out: TextIO) -> None:
    def row(label: str, a: Counts, b: Counts) -> str:
        return (
            f"{label:<22} {a.precision:6.3f} {a.recall:6.3f} {a.f1:6.3f}"
            f"   {b.f1:6.3f}   {a.true_positive + a.false_negative:5d}\n"
        )

    out.write(
        f"split: {split}; {ours.notes} notes, {ours.gold_mentions} gold mentions, "
        f"{ours.predicted_mentions} read\n\n"
    )
    header = f"{'present findings':<22} {'P':>6} {'R':>6} {'F1':>6}   {'kw F1':>6}   {'gold':>5}"
    out.write(header + "\n")
    for indicator in INDICATOR_IDS:
        out.write(row(indicator, ours.per_indicator[indicator], baseline.per_indicator[indicator]))
    out.write(row("micro (present)", ours.present, baseline.present))
    out.write(row("detection (any flags)", ours.detection, baseline.detection))
    out.write("\n")
    out.write(f"{'context':<36} {'reader':>8} {'keyword':>8}\n")
    for flag in ("negated", "historical"):
        out.write(
            f"{flag + ' F1, matched mentions':<36} {ours.matched_flags[flag].f1:8.3f} "
            f"{baseline.matched_flags[flag].f1:8.3f}\n"
        )
        out.write(
            f"{flag + ' F1, end to end':<36} {ours.end_to_end_flags[flag].f1:8.3f} "
            f"{baseline.end_to_end_flags[flag].f1:8.3f}\n"
        )
    for flag in ("hypothetical", "uncertain"):
        out.write(
            f"{flag + ' accuracy, matched':<36} {ours.accuracy(flag):8.3f} "
            f"{baseline.accuracy(flag):8.3f}\n"
        )
        out.write(
            f"{flag + ' F1, matched mentions':<36} {ours.matched_flags[flag].f1:8.3f} "
            f"{baseline.matched_flags[flag].f1:8.3f}\n"
        )
    out.write(
        f"{'experiencer accuracy, matched':<36} {ours.experiencer_accuracy:8.3f} "
        f"{baseline.experiencer_accuracy:8.3f}\n"
    )
    out.write(f"{'matched mentions':<36} {ours.pairs:8d} {baseline.pairs:8d}\n")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kinsight.text.score", description=__doc__)
    parser.add_argument(
        "--split",
        default=None,
        help="score one split: all, dev, heldout1 or heldout (default: all, then each split)",
    )
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--errors", action="store_true", help="list every disagreement")
    args = parser.parse_args(argv)
    ours_predict, baseline_predict = pipeline_predictor(), keyword_baseline()
    present = list(dict.fromkeys(note["split"] for note in load_corpus(args.corpus)))
    splits = [args.split] if args.split else ["all", *present]
    for number, split in enumerate(splits):
        notes = load_corpus(args.corpus, split)
        if not notes:
            continue
        if number:
            sys.stdout.write("\n" + "-" * 60 + "\n")
        ours = score(notes, ours_predict)
        report(split, ours, score(notes, baseline_predict), sys.stdout)
        if args.errors:
            sys.stdout.write("\n" + "\n".join(ours.errors) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
