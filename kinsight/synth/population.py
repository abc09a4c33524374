"""Generate a population family by family, streaming each agency's feed to its own file."""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from kinsight.synth.agencies import AGENCIES, BY_CODE, ORDER
from kinsight.synth.background import background, office
from kinsight.synth.family import (
    EVERYONE,
    Address,
    Context,
    Ev,
    Expected,
    Fam,
    Person,
    build_for,
    build_ordinary,
)
from kinsight.synth.identity import CAREFUL, RATES, nickname, typo
from kinsight.synth.patterns import SCENARIOS, add_follow_on
from kinsight.synth.workdays import END, day_of, iso_date, iso_moment, iso_month, year_of

_ENCODE = json.JSONEncoder(ensure_ascii=False).encode

# Chance that an agency updates its record when a family moves house; the rest keep the old
# address, which is how stale addresses arise.
_MOVE_UPDATE = {"health": 0.3, "social_care": 0.6, "education": 0.7, "early_years": 0.5}
_GP_MOVE_UPDATE = 0.8
_LATE_PERSON_LINE = 0.03


def generate_population(
    out_dir: Path,
    families: int,
    seed: int = 1,
    harm_share: float = 0.1,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write one JSON Lines feed per agency (<agency-code>.jsonl) plus truth.json into out_dir;
    return counts {"families", "persons", "records", "events", "lines"}. progress(n) is called
    with the number of families finished so far (for a progress bar)."""
    if families < 0:
        raise ValueError("families must not be negative")
    if not 0.0 <= harm_share <= 1.0:
        raise ValueError("harm_share must be between 0 and 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    context = Context(seed)
    feeds = _Feeds(out_dir)
    truth = _Truth(out_dir, seed, families, harm_share)
    scenarios = list(SCENARIOS)
    random.Random(f"{seed}/scenarios").shuffle(scenarios)
    # Harm families are spread evenly (family k carries a pattern when k * share crosses a whole
    # number), so any stretch of the population holds its share; the phase comes from the seed.
    phase = random.Random(f"{seed}/phase").random()
    harmed = 0
    try:
        for index in range(families):
            harm = math.floor((index + 1) * harm_share + phase) > math.floor(
                index * harm_share + phase
            )
            rng = random.Random(f"{seed}/{index}")
            fam = Fam(context, index, rng, harm)
            if harm:
                scenario = scenarios[harmed % len(scenarios)]
                harmed += 1
                spec = scenario.setup(rng)
                build_for(fam, spec)
                background(fam)
                before = fam.seq
                scenario.run(fam, spec)
                for pattern in fam.patterns:
                    pattern.scenario = scenario.name
                if scenario.follow_on and rng.random() < 0.3:
                    last = max(e.rec for e in fam.events if e.seq > before)
                    add_follow_on(fam, last)
                    for pattern in fam.patterns:
                        pattern.scenario = pattern.scenario or "follow_on"
            else:
                build_ordinary(fam)
                background(fam)
            _write_family(fam, context, feeds, truth)
            if progress is not None:
                progress(index + 1)
    finally:
        feeds.close()
    truth.finish()
    return {
        "families": families,
        "persons": truth.persons,
        "records": feeds.records,
        "events": feeds.events,
        "lines": feeds.lines,
    }


class _Feeds:
    def __init__(self, out_dir: Path) -> None:
        self.files: dict[str, TextIO] = {}
        self.lines = 0
        self.events = 0
        self.records = 0
        for agency in AGENCIES:
            handle = (out_dir / f"{agency.code}.jsonl").open(
                "w", encoding="utf-8", newline="\n", buffering=1 << 20
            )
            handle.write(
                _ENCODE(
                    {
                        "kind": "agency",
                        "code": agency.code,
                        "name": agency.name,
                        "sector": agency.sector,
                    }
                )
                + "\n"
            )
            self.files[agency.code] = handle
            self.lines += 1

        # Person lines held back to arrive a few families later: (family index due, agency, line).
        self.pending: list[tuple[int, str, str]] = []

    def write(self, code: str, lines: list[str]) -> None:
        if lines:
            self.files[code].write("\n".join(lines) + "\n")
            self.lines += len(lines)

    def release(self, family: int | None = None) -> None:
        """Write the held-back lines that are due (all of them when ``family`` is None)."""
        due = [item for item in self.pending if family is None or item[0] <= family]
        if not due:
            return
        self.pending = [item for item in self.pending if family is not None and item[0] > family]
        for _, code, line in due:
            self.write(code, [line])

    def close(self) -> None:
        self.release()
        for handle in self.files.values():
            handle.close()


class _Truth:
    """Same-person groups and expected alerts, streamed to side files and joined at the end."""

    def __init__(self, out_dir: Path, seed: int, families: int, harm_share: float) -> None:
        self.path = out_dir / "truth.json"
        self.people_path = out_dir / ".truth-persons.tmp"
        self.patterns_path = out_dir / ".truth-patterns.tmp"
        self.people = self.people_path.open("w", encoding="utf-8")
        self.patterns = self.patterns_path.open("w", encoding="utf-8")
        self.header = {"version": 1, "seed": seed, "families": families, "harm_share": harm_share}
        self.twins: list[list[str]] = []
        self.siblings: list[list[str]] = []
        self.half_siblings: list[list[str]] = []
        self.persons = 0

    def finish(self) -> None:
        self.people.close()
        self.patterns.close()
        with self.path.open("w", encoding="utf-8") as out:
            out.write(_ENCODE(self.header)[:-1])
            out.write(', "persons": [')
            _copy_lines(self.people_path, out)
            out.write('],\n"twins": ' + _ENCODE(self.twins))
            out.write(',\n"siblings": ' + _ENCODE(self.siblings))
            out.write(',\n"half_siblings": ' + _ENCODE(self.half_siblings))
            out.write(',\n"patterns": [')
            _copy_lines(self.patterns_path, out)
            out.write("]}\n")
        self.people_path.unlink()
        self.patterns_path.unlink()


def _copy_lines(path: Path, out: TextIO) -> None:
    with path.open(encoding="utf-8") as source:
        first = True
        for line in source:
            out.write(("\n" if first else ",\n") + line.rstrip("\n"))
            first = False
        if not first:
            out.write("\n")


# -- one family -------------------------------------------------------------------------------


def _write_family(fam: Fam, context: Context, feeds: _Feeds, truth: _Truth) -> None:
    rng = fam.rng
    numbering = context.numbering
    events = sorted(fam.events, key=lambda e: (e.rec, e.seq))
    for event in events:
        event.id = numbering.event_id(event.agency, year_of(day_of(event.occ)))
    uses = sorted(
        (moment, person.index, agency)
        for person in fam.persons
        for agency, moment in person.first_use.items()
    )
    for moment, index, agency in uses:
        fam.persons[index].records[agency] = numbering.person_id(agency, year_of(day_of(moment)))

    involved = sorted({e.agency for e in events}, key=ORDER.__getitem__)
    births = {e.subjects[0][0].index: e for e in events if e.etype == "birth"}

    heads: dict[str, list[str]] = {}
    tails: dict[str, list[tuple[int, str]]] = {}
    for moment, index, agency in uses:
        person = fam.persons[index]
        first, later = _person_lines(fam, person, agency, moment, births.get(index))
        if rng.random() < _LATE_PERSON_LINE and not later:
            # A late-arriving record: the events about this person come earlier in the feed,
            # the record itself after another family or three.
            due = fam.index + rng.randrange(1, 4)
            feeds.pending.append((due, agency, _ENCODE(first)))
        else:
            heads.setdefault(agency, []).append(_ENCODE(first))
        for rec, version in later:
            tails.setdefault(agency, []).append((rec, _ENCODE(version)))
    feeds.records += len(uses)

    body: dict[str, list[str]] = {}
    for rel in sorted(fam.rels, key=lambda r: r.rec):
        line: dict[str, Any] = {
            "kind": "relationship",
            "agency": rel.agency,
            "person": rel.person.records[rel.agency],
            "relative": rel.relative.records[rel.agency],
            "type": rel.rtype,
            "start": iso_date(rel.start) if rel.start is not None else None,
        }
        if rel.end is not None:
            line["end"] = iso_date(rel.end)
        line["recorded_at"] = iso_moment(rel.rec)
        body.setdefault(rel.agency, []).append(_ENCODE(line))
    # "Everyone" in `shared_with` and `attended_by` is every agency that had recorded something
    # about the family by then, not agencies it will meet years later.
    known: dict[str, None] = {}
    for event in events:
        everyone = sorted(known, key=ORDER.__getitem__) if event.shared or event.details else []
        body.setdefault(event.agency, []).append(_ENCODE(_event_line(event, everyone)))
        known[event.agency] = None
    feeds.events += len(events)

    for code in sorted({a for _, _, a in uses} | set(involved), key=ORDER.__getitem__):
        lines = heads.get(code, []) + body.get(code, [])
        lines += [line for _, line in sorted(tails.get(code, []), key=lambda item: item[0])]
        feeds.write(code, lines)
    feeds.release(fam.index)
    _write_truth(fam, truth)


def _event_line(event: Ev, everyone: list[str]) -> dict[str, Any]:
    line: dict[str, Any] = {
        "kind": "event",
        "agency": event.agency,
        "id": event.id,
        "type": event.etype,
        "occurred_at": iso_date(day_of(event.occ)) if event.date_only else iso_moment(event.occ),
        "recorded_at": iso_moment(event.rec),
        "subjects": [
            {"ref": person.records[event.agency], "role": role} for person, role in event.subjects
        ],
        "summary": event.summary,
    }
    if event.details:
        details: dict[str, Any] = {}
        for key, value in event.details.items():
            if value is EVERYONE:
                # Told: everyone else. Attending: everyone, the organiser included.
                value = [c for c in everyone if c != event.agency]
                if key != "to":
                    value = sorted([event.agency, *value], key=ORDER.__getitem__)
            elif isinstance(value, list) and value and isinstance(value[0], Ev):
                value = [item.id for item in value]
            details[key] = value
        line["details"] = details
    if event.shared:
        shared = event.shared
        if shared is EVERYONE:
            shared = [code for code in everyone if code != event.agency]
        if shared:
            line["shared_with"] = shared
    return line


def _address_fields(rng: random.Random, address: Address) -> dict[str, str]:
    text = f"{address.line1}, {address.town}"
    roll = rng.random()
    if roll < 0.08:
        text = text.upper()
    elif roll < 0.14:
        text += ", Lancashire"
    postcode = address.postcode
    roll = rng.random()
    if roll < 0.05:
        postcode = postcode.replace(" ", "")
    elif roll < 0.09:
        postcode = postcode.lower()
    fields = {"text": text}
    if rng.random() >= 0.03:
        fields["postcode"] = postcode
    return fields


def _identity(fam: Fam, person: Person, code: str, day: int) -> dict[str, Any]:
    """One agency's version of who this person is, recorded on that day."""
    rng = fam.rng
    rates = RATES[BY_CODE[code].sector]
    noise = CAREFUL if fam.careful else rates
    child = person.is_child
    given = person.given
    surname = person.surname_on(day)
    line: dict[str, Any] = {"kind": "person", "agency": code, "id": person.records[code]}
    if rng.random() < noise.nickname * (0.5 if child else 1.0):
        given = nickname(rng, given)
    if rng.random() < noise.typo:
        given = typo(rng, given)
    if rng.random() < noise.typo:
        surname = typo(rng, surname)
    if rng.random() < noise.swap:
        given, surname = surname, given
    line["given_name"] = given
    line["family_name"] = surname
    if person.married is not None and day >= person.married[0] and rng.random() < 0.6:
        line["other_names"] = [f"{person.given} {person.surname}"]
    if rng.random() >= noise.missing_sex:
        line["sex"] = person.sex
    roll = rng.random()
    birth = iso_date(person.birth)
    if roll < noise.missing_birth:
        pass
    elif roll < noise.missing_birth + noise.partial_birth:
        line["birth_date"] = birth[:4] if rng.random() < 0.5 else iso_month(person.birth)
        if rng.random() < 0.6:
            line["birth_date_estimated"] = True
    elif (
        roll < noise.missing_birth + noise.partial_birth + noise.day_month_swap
        and int(birth[8:]) <= 12
        and birth[8:] != birth[5:7]
    ):
        line["birth_date"] = f"{birth[:4]}-{birth[8:]}-{birth[5:7]}"
    else:
        line["birth_date"] = birth
    if rng.random() < (rates.nhs_child if child else rates.nhs_adult):
        line["nhs_number"] = person.nhs
    address = fam.address_of(person, day)
    roll = rng.random()
    if address is not None and roll >= noise.missing_address:
        if roll < noise.missing_address + noise.stale_address and person.hh is not None:
            address = fam.households[person.hh].previous_address(day) or address
        line["address"] = _address_fields(rng, address)
    return line


def _person_lines(
    fam: Fam, person: Person, code: str, first_use: int, birth: Ev | None
) -> tuple[dict[str, Any], list[tuple[int, dict[str, Any]]]]:
    """The record's first version, and later versions (a birth, a move, a marriage)."""
    rng = fam.rng
    later: list[tuple[int, dict[str, Any]]] = []
    pregnancy = person.pregnancy
    unborn = (
        pregnancy is not None
        and pregnancy.booking_ev is not None
        and code == pregnancy.trust
        and first_use == pregnancy.booking_ev.rec
    )
    day = day_of(first_use)
    if unborn:
        assert pregnancy is not None and pregnancy.booking_ev is not None
        mother = pregnancy.mother
        first: dict[str, Any] = {
            "kind": "person",
            "agency": code,
            "id": person.records[code],
            "family_name": mother.surname_on(day),
            "unborn": True,
            "expected_birth_date": iso_date(pregnancy.edd),
            "recorded_at": iso_moment(pregnancy.booking_ev.rec - 5),
        }
        if birth is None:
            return first, later
        current = _identity(fam, person, code, person.birth)
        # The point of this version is the birth: its date is never left out.
        current["birth_date"] = iso_date(person.birth)
        current.pop("birth_date_estimated", None)
        if rng.random() < 0.15:
            current["given_name"] = "Baby"
        current["unborn"] = False
        current["recorded_at"] = iso_moment(birth.rec - 10)
        later.append((birth.rec - 10, current))
        since = person.birth
    else:
        first = _identity(fam, person, code, day)
        if rng.random() >= 0.2:
            first["recorded_at"] = iso_moment(first_use - 5 * rng.randrange(0, 48))
        current = first
        since = day
    # Later versions, each built on the one before: a move, then a marriage, then another move.
    sector = BY_CODE[code].sector
    chance = _GP_MOVE_UPDATE if code == "gp-lancs" else _MOVE_UPDATE.get(sector, 0.15)
    changes: list[tuple[int, str, Any]] = []
    if person.hh is not None and person.removed is None:
        for start, address in fam.households[person.hh].addresses:
            if start <= since or start > END - 10 or fam.address_of(person, start) is not address:
                continue
            if rng.random() < chance:
                moment = office(rng, min(start + rng.randrange(5, 60), END - 3))
                changes.append((moment, "address", address))
    married = person.married
    if married is not None and since < married[0] <= END - 10 and sector == "health":
        if rng.random() < 0.6:
            moment = office(rng, min(married[0] + rng.randrange(30, 200), END - 3))
            changes.append((moment, "name", married[1]))
    for moment, change, value in sorted(changes, key=lambda item: (item[0], item[1])):
        update = dict(current)
        if change == "address":
            update["address"] = _address_fields(rng, value)
        else:
            update["family_name"] = value
            update["other_names"] = [f"{person.given} {person.surname}"]
        update["recorded_at"] = iso_moment(moment)
        later.append((moment, update))
        current = update
    return first, later


def _write_truth(fam: Fam, truth: _Truth) -> None:
    for person in fam.persons:
        entry: dict[str, Any] = {
            "truth_id": person.tid,
            "family": fam.fid,
            "household": f"{fam.fid}/{person.hh + 1}" if person.hh is not None else None,
            "role": person.role,
            "sex": person.sex,
            "birth_date": iso_date(person.birth) if person.birth <= END else None,
        }
        if person.birth > END and person.pregnancy is not None:
            entry["expected_birth_date"] = iso_date(person.pregnancy.edd)
        entry["records"] = [[code, ident] for code, ident in person.records.items()]
        truth.people.write(_ENCODE(entry) + "\n")
        truth.persons += 1
    children = fam.children()
    for i, child in enumerate(children):
        for other in children[i + 1 :]:
            if other.mother is child.mother and other.father is child.father:
                truth.siblings.append([child.tid, other.tid])
            elif other.mother is child.mother or other.father is child.father:
                truth.half_siblings.append([child.tid, other.tid])
    for first, second in fam.twins:
        truth.twins.append([first.tid, second.tid])
    for pattern in fam.patterns:
        truth.patterns.write(
            _ENCODE(
                {
                    "family": fam.fid,
                    "pattern": pattern.pattern,
                    "scenario": pattern.scenario,
                    "expected_alerts": [_alert(alert) for alert in pattern.expected],
                }
            )
            + "\n"
        )


def _alert(alert: Expected) -> dict[str, Any]:
    child = alert.child
    code = alert.agency if alert.agency in child.records else next(iter(child.records))
    return {
        "rule": alert.rule,
        "child": [code, child.records[code]],
        "raised_at": iso_moment(alert.raised),
        "severity": alert.severity,
        "evidence": [[event.agency, event.id] for event in alert.evidence],
    }
