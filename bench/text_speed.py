"""How fast Kinsight reads case notes: ``python bench/text_speed.py [--notes N] [--seed S]``.

Generates N synthetic notes of about 80 words (seeded; most routine, a minority holding
findings), pins the process to one core, and prints notes per second through the full pipeline
with and without the pre-check, and the memory of the loaded pipeline (RSS before and after).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROUTINE = [
    "Telephone call to {adult} to arrange the next visit for {day}.",
    "{child} attended nursery and enjoyed painting and the sand tray.",
    "Home visit completed with the family support worker; {child} was playing in the lounge.",
    "{adult} asked about the timing of the review meeting and was given the date.",
    "Letter sent confirming the core group on {day} at the children's centre.",
    "{child} has settled well into Year {year} and is making good progress with reading.",
    "Weight and length recorded at clinic; development is age appropriate.",
    "{adult} has enrolled on a college course and arranged childcare with her sister.",
    "The family will move to a three-bedroom house next month, housing confirmed.",
    "Discussed bedtime routines and healthy snacks; {adult} was receptive to advice.",
    "{child} was seen alone in the bedroom and talked about friends at school.",
    "Team manager supervision held and the plan reviewed with the allocated worker.",
    "Speech and language therapy appointment booked for {day} afternoon.",
    "{adult} showed the worker the children's bedrooms, which were warm and tidy.",
    "Contact at the family centre went well and {child} was pleased to see dad.",
    "Immunisations are up to date according to the practice records.",
    "Chronology updated and shared with the independent reviewing officer.",
    "{child} chose a book and read two pages to the worker with some help.",
]
FINDINGS = [
    "{child} had a bruise to the left cheek; {adult} says he fell from the sofa.",
    "No bruising or marks were seen on {child} during the visit.",
    "{adult} has relapsed and is using heroin again according to the neighbour.",
    "If dad drinks again the baby is at risk and {adult} agreed to call the police.",
    "Police notification: DA incident at the address, children present, dad arrested.",
    "{child} was not brought to the paediatric appointment for the second time.",
    "Home conditions poor, dog faeces on the kitchen floor and no food in the fridge.",
    "{adult} presented as under the influence and was slurring her words.",
    "{adult} has a history of depression and was sectioned in 2017.",
    "HV visit: no access, curtains drawn and no answer at the door.",
    "School report attendance of 74% and persistent absence on Mondays.",
    "{adult} disclosed that her new partner has moved in and stays most nights.",
    "Possible injection mark noted on the baby's thigh; referral to paediatrics.",
    "{adult} denies domestic abuse and says the police call was a misunderstanding.",
]
CHILDREN = ["Jack", "Ava", "Lily", "Noah", "Mia", "Leo", "the baby", "the children"]
ADULTS = ["mum", "dad", "mother", "father"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def make_notes(count: int, seed: int, finding_share: float = 0.2) -> list[str]:
    rng = random.Random(seed)
    notes = []
    for _ in range(count):
        sentences: list[str] = []
        holds = rng.random() < finding_share
        while sum(len(sentence.split()) for sentence in sentences) < 80:
            template = rng.choice(ROUTINE)
            if holds and (not sentences or rng.random() < 0.3):
                template = rng.choice(FINDINGS)
            sentences.append(
                template.format(
                    child=rng.choice(CHILDREN),
                    adult=rng.choice(ADULTS),
                    day=rng.choice(DAYS),
                    year=rng.randint(1, 9),
                )
            )
        text = " ".join(sentences)
        notes.append(text[0].upper() + text[1:])
    return notes


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    notes = make_notes(args.notes, args.seed)
    words = sum(len(note.split()) for note in notes) / len(notes)

    before = rss_mb()
    started = time.perf_counter()
    from kinsight.text import _get_reader

    reader = _get_reader()
    loaded = time.perf_counter() - started
    after = rss_mb()
    print(
        f"pipeline: import and load {loaded:.2f} s, RSS {before:.0f} MB -> {after:.0f} MB "
        f"(+{after - before:.0f} MB)"
    )
    print(f"notes: {len(notes)}, mean {words:.1f} words, one core")

    # Warm up: the first time a word is seen spaCy adds it to its vocabulary, which would be
    # charged to whichever run came first.
    for doc in reader.nlp.pipe(notes[:1000]):
        reader.findings(doc, ())

    started = time.perf_counter()
    with_check = list(reader.read_many((note, ()) for note in notes))
    elapsed = time.perf_counter() - started
    skipped = sum(1 for note in notes if not reader.may_hold_finding(note))
    print(
        f"with pre-check:    {len(notes) / elapsed:7.0f} notes/s "
        f"({skipped / len(notes):.0%} of notes skipped)"
    )

    started = time.perf_counter()
    without_check = [reader.findings(doc, ()) for doc in reader.nlp.pipe(notes, batch_size=256)]
    elapsed = time.perf_counter() - started
    print(f"without pre-check: {len(notes) / elapsed:7.0f} notes/s")
    found = sum(1 for findings in without_check if findings)
    print(
        f"notes with a finding: {found} ({found / len(notes):.0%}); "
        f"results identical with and without pre-check: {with_check == without_check}"
    )
    print(f"RSS after reading: {rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
