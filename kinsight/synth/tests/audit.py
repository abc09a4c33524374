"""Re-read a generated population and check it the way a rule engine would look at it.

This is not the rule engine: it approximates the coded parts of the rules that the generator
promises to keep quiet (clocks met, no stray injuries or referrals), reading only the files, so
that a generator bug shows up as a named violation rather than as a wrong count somewhere else.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from kinsight.synth.workdays import add_months, add_working_days

SOCIAL_CARE = ("csc-lancs", "csc-bwd")
HEALTH = ("elht", "lth", "gp-lancs", "hv-lancs")
DEADLINE_RULES = {
    "referral_decision_overdue",
    "strategy_discussion_overdue",
    "third_party_allegation_no_strategy",
    "assessment_overdue",
    "conference_overdue",
    "pre_birth_referral_missing",
}
INJURY_WORDS = re.compile(
    r"\b(bruis\w*|fractur\w*|burn\b|burns\b|scald\w*|bite mark|graz\w*)", re.I
)


def moment(text: str) -> int:
    day = date.fromisoformat(text[:10]).toordinal()
    if len(text) <= 10:
        return day * 1440
    return day * 1440 + int(text[11:13]) * 60 + int(text[14:16])


def birth_day(text: str | None) -> int | None:
    return date.fromisoformat(text).toordinal() if text else None


@dataclass
class Population:
    lines: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (file, line)
    truth: dict[str, Any] = field(default_factory=dict)
    owner: dict[tuple[str, str], str] = field(default_factory=dict)  # record -> truth id
    people: dict[str, dict[str, Any]] = field(default_factory=dict)  # truth id -> entry
    events: list[dict[str, Any]] = field(default_factory=list)
    patterns: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def family(self, tid: str) -> str:
        return str(self.people[tid]["family"])

    def children(self, event: dict[str, Any]) -> list[str]:
        return [
            s["_tid"]
            for s in event["subjects"]
            if s.get("role") in ("child", "child_present", "subject")
            and self.people[s["_tid"]]["role"] == "child"
        ]

    def birth(self, tid: str) -> int | None:
        return birth_day(self.people[tid]["birth_date"])


def load(out_dir: Path) -> Population:
    population = Population()
    population.truth = json.loads((out_dir / "truth.json").read_text(encoding="utf-8"))
    for person in population.truth["persons"]:
        population.people[person["truth_id"]] = person
        for agency, ident in person["records"]:
            population.owner[(agency, ident)] = person["truth_id"]
    for pattern in population.truth["patterns"]:
        population.patterns[pattern["family"]].add(pattern["pattern"])
    for path in sorted(out_dir.glob("*.jsonl")):
        with path.open(encoding="utf-8") as feed:
            for text in feed:
                line = json.loads(text)
                population.lines.append((path.name, line))
                if line["kind"] == "event":
                    for subject in line["subjects"]:
                        subject["_tid"] = population.owner[(line["agency"], subject["ref"])]
                    line["_rec"] = moment(line["recorded_at"])
                    line["_family"] = population.family(line["subjects"][0]["_tid"])
                    population.events.append(line)
    population.events.sort(key=lambda e: e["_rec"])
    return population


def _about(event: dict[str, Any], children: list[str]) -> bool:
    named = {s["_tid"] for s in event["subjects"]}
    return any(child in named for child in children)


def referral_responses(population: Population) -> list[str]:
    """Every referral gets a social-care response within one working day."""
    problems = []
    by_agency = [e for e in population.events if e["agency"] in SOCIAL_CARE]
    for event in by_agency:
        if event["type"] != "referral":
            continue
        if "referral_decision_overdue" in population.patterns[event["_family"]]:
            continue
        due = add_working_days(event["_rec"], 1)
        children = population.children(event)
        if not any(
            other is not event
            and other["type"] in ("assessment", "strategy_discussion", "case_closed", "decision")
            and event["_rec"] <= other["_rec"] <= due
            and _about(other, children)
            for other in by_agency
        ):
            problems.append(f"referral {event['id']} has no response within 1 wd")
    return problems


def strategy_responses(population: Population) -> list[str]:
    """Coded reasonable-cause triggers are followed by a strategy discussion within 1 wd."""
    problems = []
    responses = [
        e
        for e in population.events
        if e["agency"] in SOCIAL_CARE and e["type"] in ("strategy_discussion", "decision")
    ]
    for event in population.events:
        details = event.get("details") or {}
        kind = event["type"]
        children = population.children(event)
        trigger = kind in ("allegation", "disclosure")
        trigger |= kind == "referral" and bool(
            {"physical", "sexual"} & set(details.get("concerns", []))
        )
        trigger |= kind == "toxicology" and details.get("result") == "positive"
        if kind == "injury":
            births = [population.birth(c) for c in children]
            day = event["_rec"] // 1440
            trigger |= any(b is not None and day < add_months(b, 12) for b in births)
        if not trigger:
            continue
        patterns = population.patterns[event["_family"]]
        if {"strategy_discussion_overdue", "third_party_allegation_no_strategy"} & patterns:
            continue
        due = add_working_days(event["_rec"], 1)
        if not any(event["_rec"] <= r["_rec"] <= due and _about(r, children) for r in responses):
            problems.append(f"{kind} {event['agency']}:{event['id']} has no strategy in 1 wd")
    return problems


def quiet_ordinary_families(population: Population) -> list[str]:
    """Families without a pattern record nothing that starts a harm rule."""
    problems = []
    risky = {
        "domestic_abuse_incident",
        "allegation",
        "disclosure",
        "toxicology",
        "injury",
        "substance_misuse_service",
        "strategy_discussion",
        "child_protection_conference",
        "plan",
        "care_proceedings",
    }
    referrals: dict[str, int] = defaultdict(int)
    bookings: dict[str, list[int]] = defaultdict(list)
    mental_health: dict[str, list[int]] = defaultdict(list)
    for event in population.events:
        family = event["_family"]
        if population.patterns[family]:
            continue
        if event["type"] in risky:
            problems.append(f"ordinary family {family} has a {event['type']}")
        if event["type"] == "referral":
            referrals[family] += 1
        if event["type"] == "antenatal_booking":
            bookings[family].append(event["_rec"])
        if event["type"] == "mental_health_service":
            mental_health[family].append(event["_rec"])
        day = event["_rec"] // 1440
        for child in population.children(event):
            born = population.birth(child)
            if born is None or day >= add_months(born, 60):
                continue
            for match in INJURY_WORDS.finditer(event["summary"]):
                sentence = event["summary"][: match.start()].rsplit(".", 1)[-1].lower()
                if not re.search(r"\bno\b", sentence):
                    problems.append(f"{event['id']}: injury words about a child under 5")
        if (
            event["type"] == "household_change"
            and (event.get("details") or {}).get("change") == "joined"
        ):
            for child in population.children(event):
                born = population.birth(child)
                if born is not None and day < add_months(born, 60):
                    problems.append(f"{event['id']}: new adult joins a child under 5")
    problems += [f"ordinary family {f} has {n} referrals" for f, n in referrals.items() if n > 1]
    for family, moments in mental_health.items():
        if any(b > min(moments) for b in bookings[family]):
            problems.append(f"ordinary family {family}: pregnancy after mental-health contact")
    return problems


def was_not_brought(population: Population) -> list[str]:
    problems = []
    missed: dict[str, list[int]] = defaultdict(list)
    for event in population.events:
        if event["type"] == "appointment_missed" and (event.get("details") or {}).get(
            "was_not_brought"
        ):
            for child in population.children(event):
                missed[child].append(event["_rec"])
    for child, moments in missed.items():
        if "was_not_brought" in population.patterns[population.family(child)]:
            continue
        moments.sort()
        born = population.birth(child)
        for first, second in zip(moments, moments[1:], strict=False):
            if (
                second - first <= 183 * 1440
                and born is not None
                and (second // 1440 < add_months(born, 60))
            ):
                problems.append(f"{child}: two missed appointments within 6 months")
    return problems


def health_contacts(population: Population) -> list[str]:
    """No child under 5 who is known to an agency goes 12 months without a health contact."""
    problems = []
    contacts: dict[str, list[int]] = defaultdict(list)
    known: dict[str, int] = {}
    for event in population.events:
        for subject in event["subjects"]:
            tid = subject["_tid"]
            if population.people[tid]["role"] != "child":
                continue
            known.setdefault(tid, event["_rec"])
            if event["agency"] in HEALTH and event["type"] != "appointment_missed":
                contacts[tid].append(event["_rec"])
    for child, first in known.items():
        born = population.birth(child)
        if born is None:
            continue
        last = born * 1440
        for contact in sorted(contacts[child]) + [date(2024, 12, 31).toordinal() * 1440]:
            limit = min(contact, add_months(born, 60) * 1440)
            if limit > first and limit - max(last, 0) > 366 * 1440 and last < limit:
                problems.append(
                    f"{child}: no health contact for over 12 months before "
                    f"{date.fromordinal(limit // 1440)}"
                )
                break
            last = max(last, contact)
    return problems


def protection_clocks(population: Population) -> list[str]:
    """Conferences, core groups, visits and reviews keep inside their deadlines."""
    problems = []
    social = [e for e in population.events if e["agency"] in SOCIAL_CARE]
    for event in social:
        details = event.get("details") or {}
        family = event["_family"]
        children = population.children(event)
        if event["type"] == "strategy_discussion" and details.get("outcome") == "section_47":
            if "conference_overdue" in population.patterns[family]:
                continue
            due = add_working_days(event["_rec"], 10)
            if not any(
                o["type"] == "child_protection_conference"
                and event["_rec"] <= o["_rec"] < due
                and _about(o, children)
                for o in social
            ):
                problems.append(f"{event['id']}: no initial conference within 10 wd")
        if (
            event["type"] == "plan"
            and details.get("plan") == "child_protection"
            and details.get("status") == "started"
        ):
            end = next(
                (
                    o["_rec"]
                    for o in social
                    if o["type"] == "plan"
                    and (o.get("details") or {}).get("status") == "ended"
                    and (o.get("details") or {}).get("plan") == "child_protection"
                    and o["_rec"] >= event["_rec"]
                    and _about(o, children)
                ),
                None,
            )
            if end is None:
                continue
            groups = [
                o["_rec"]
                for o in social
                if o["type"] == "core_group"
                and event["_rec"] <= o["_rec"] < end
                and _about(o, children)
            ]
            marks = [event["_rec"], *groups]
            if not groups or groups[0] > add_working_days(event["_rec"], 10):
                problems.append(f"{event['id']}: first core group late")
            for a, b in zip(marks[1:], marks[2:], strict=False):
                if b - a > 42 * 1440:
                    problems.append(f"{event['id']}: core groups more than 6 weeks apart")
            visits = [
                o["_rec"]
                for o in social
                if o["type"] == "home_visit"
                and (o.get("details") or {}).get("child_seen")
                and event["_rec"] - 15 * 1440 <= o["_rec"] <= end
                and _about(o, children)
            ]
            marks = ([v for v in visits if v <= event["_rec"]][-1:] or [event["_rec"]]) + [
                v for v in visits if v > event["_rec"]
            ]
            for a, b in zip(marks, marks[1:] + [end], strict=False):
                if b > add_working_days(a, 10):
                    problems.append(f"{event['id']}: child not seen for over 10 wd")
                    break
            reviews = [
                o["_rec"]
                for o in social
                if o["type"] == "child_protection_conference"
                and (o.get("details") or {}).get("conference") == "review"
                and event["_rec"] <= o["_rec"] <= end
                and _about(o, children)
            ]
            previous, months = event["_rec"], 3
            for review in reviews:
                due = add_months(previous // 1440, months) * 1440 + previous % 1440
                if review > add_working_days(due, -10):
                    problems.append(f"{event['id']}: review conference late or near its due date")
                previous, months = review, 6
    return problems


def repeat_referrals(population: Population) -> list[str]:
    problems = []
    referrals: dict[str, list[int]] = defaultdict(list)
    closures: dict[str, list[int]] = defaultdict(list)
    for event in population.events:
        if event["agency"] not in SOCIAL_CARE:
            continue
        for child in population.children(event):
            if event["type"] == "referral":
                referrals[child].append(event["_rec"])
            elif event["type"] == "case_closed":
                closures[child].append(event["_rec"])
    for child, moments in referrals.items():
        if "repeat_referrals" in population.patterns[population.family(child)]:
            continue
        moments.sort()
        if any(c - a <= 366 * 1440 for a, c in zip(moments, moments[2:], strict=False)):
            problems.append(f"{child}: three referrals within 12 months")
        if any(0 < r - c <= 366 * 1440 for r in moments for c in closures[child]):
            problems.append(f"{child}: referral within 12 months of a closure")
    return problems


def truth_consistency(population: Population) -> list[str]:
    problems = []
    records = {
        (line["agency"], line["id"]) for _, line in population.lines if line["kind"] == "person"
    }
    events = {(e["agency"], e["id"]): e for e in population.events}
    for person in population.truth["persons"]:
        for agency, ident in person["records"]:
            if (agency, ident) not in records:
                problems.append(f"{person['truth_id']}: record {agency}:{ident} not in feeds")
    for pattern in population.truth["patterns"]:
        for alert in pattern["expected_alerts"]:
            if tuple(alert["child"]) not in records:
                problems.append(f"{alert['rule']}: child record {alert['child']} not in feeds")
            evidence = [events.get(tuple(item)) for item in alert["evidence"]]
            if any(e is None for e in evidence) or not evidence:
                problems.append(f"{alert['rule']}: evidence missing")
                continue
            raised = moment(alert["raised_at"])
            recs = [e["_rec"] for e in evidence if e is not None]
            if raised < min(recs):
                problems.append(f"{alert['rule']}: raised before its evidence was recorded")
            if alert["rule"] not in DEADLINE_RULES and raised not in recs:
                problems.append(f"{alert['rule']}: raised at a moment no evidence was recorded")
            if alert["rule"] in DEADLINE_RULES and raised <= max(recs):
                problems.append(f"{alert['rule']}: deadline raised before it was due")
    for first, second in population.truth["twins"]:
        a, b = population.people[first], population.people[second]
        if a["birth_date"] != b["birth_date"] or {tuple(r) for r in a["records"]} & {
            tuple(r) for r in b["records"]
        }:
            problems.append(f"twins {first} and {second} are not two people born the same day")
    return problems


def references(population: Population) -> list[str]:
    """Every ref names a person line of the same agency (perhaps a later line)."""
    persons = {
        (line["agency"], line["id"]) for _, line in population.lines if line["kind"] == "person"
    }
    problems = []
    for _, line in population.lines:
        if line["kind"] == "event":
            refs = [s["ref"] for s in line["subjects"]]
        elif line["kind"] == "relationship":
            refs = [line["person"], line["relative"]]
        else:
            continue
        problems += [
            f"{line['agency']}:{ref} has no person line"
            for ref in refs
            if (line["agency"], ref) not in persons
        ]
    return problems


YEAR = 365 * 1440
NEGATION = re.compile(r"\b(no|not|without)\b", re.I)
SUBSTANCE = re.compile(r"heroin|cocaine|cannabis|alcohol|relaps|drug screen|bottles of wine", re.I)


def _finding(summary: str, pattern: re.Pattern[str]) -> bool:
    for match in pattern.finditer(summary):
        sentence = summary[: match.start()].rsplit(".", 1)[-1]
        if not NEGATION.search(sentence):
            return True
    return False


def pattern_moments(population: Population) -> list[str]:
    """Recompute, from the feeds alone, when some pattern rules first hold for the child.

    A cross-check of the truth: an earlier record that already completes a pattern (a stray
    injury, an earlier incident) would make the truth's moment wrong.
    """
    problems = []
    for pattern in population.truth["patterns"]:
        for alert in pattern["expected_alerts"]:
            rule = alert["rule"]
            child = population.owner[tuple(alert["child"])]
            family = population.family(child)
            about = [e for e in population.events if any(s["_tid"] == child for s in e["subjects"])]
            found: int | None = None
            if rule in ("non_mobile_infant_injury", "young_child_unexplained_injury"):
                hits = [
                    e["_rec"]
                    for e in about
                    if e["type"] == "injury" or _finding(e["summary"], INJURY_WORDS)
                ]
                found = min(hits, default=None)
            elif rule == "child_positive_toxicology":
                found = min((e["_rec"] for e in about if e["type"] == "toxicology"), default=None)
            elif rule == "neonatal_abstinence":
                found = min(
                    (e["_rec"] for e in about if "neonatal abstinence" in e["summary"]),
                    default=None,
                )
            elif rule == "repeat_domestic_abuse":
                incidents = sorted(
                    e["_rec"] for e in about if e["type"] == "domestic_abuse_incident"
                )
                found = next(
                    (b for a, b in zip(incidents, incidents[1:], strict=False) if b - a <= YEAR),
                    None,
                )
            elif rule == "was_not_brought":
                missed = sorted(e["_rec"] for e in about if e["type"] == "appointment_missed")
                found = next(
                    (b for a, b in zip(missed, missed[1:], strict=False) if b - a <= 183 * 1440),
                    None,
                )
            elif rule == "new_adult_in_household":
                found = min(
                    (
                        e["_rec"]
                        for e in about
                        if e["type"] == "household_change"
                        and (e.get("details") or {}).get("change") == "joined"
                    ),
                    default=None,
                )
            elif rule == "toxic_trio":
                found = _trio(population, child, family)
            else:
                continue
            if found is None or found != moment(alert["raised_at"]):
                problems.append(
                    f"{family} {rule}: truth says {alert['raised_at']}, feeds say "
                    f"{None if found is None else found}"
                )
    return problems


def _trio(population: Population, child: str, family: str) -> int | None:
    household = population.people[child]["household"]
    adults = {
        tid
        for tid, p in population.people.items()
        if p["family"] == family and p["role"] != "child" and p["household"] == household
    }
    marks: list[tuple[int, str]] = []
    for event in population.events:
        if event["_family"] != family or not adults & {s["_tid"] for s in event["subjects"]}:
            continue
        if event["type"] == "domestic_abuse_incident":
            marks.append((event["_rec"], "domestic_abuse"))
        elif event["type"] == "mental_health_service":
            marks.append((event["_rec"], "mental_health"))
        elif event["type"] == "substance_misuse_service" or _finding(event["summary"], SUBSTANCE):
            marks.append((event["_rec"], "substance"))
    marks.sort()
    for i, (when, _) in enumerate(marks):
        kinds = {kind for then, kind in marks[: i + 1] if when - then <= 365 * 1440}
        if len(kinds) >= 2:
            return when
    return None


Check = Callable[[Population], list[str]]

ALL_CHECKS: tuple[Check, ...] = (
    referral_responses,
    strategy_responses,
    quiet_ordinary_families,
    was_not_brought,
    health_contacts,
    protection_clocks,
    repeat_referrals,
    truth_consistency,
    references,
    pattern_moments,
)
