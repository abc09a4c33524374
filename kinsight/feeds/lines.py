"""Reading one feed line: reject it alone, take it whole, or take it without a bad optional field.

The rules are `feed-format.md`'s "Bad input": a line that is not JSON, has no or an unknown `kind`,
or breaks a required field is rejected with a message naming the field; a bad optional field is
dropped with a warning naming it. The checks are a table per kind (and per event type for
`details`) so that the contract can be read here in one place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec
import orjson

from kinsight.lib.moments import check_partial_date, parse_date, parse_moment
from kinsight.lib.moments import parse_moment_text as _moment
from kinsight.lib.nhs import is_valid_nhs_number, normalise_nhs_number

SECTORS = (
    "social_care", "police", "health", "education", "early_years", "probation",
    "substance_misuse", "mental_health", "housing", "other",
)  # fmt: skip
RELATIONSHIP_TYPES = (
    "mother", "father", "parent", "step_parent", "carer", "partner", "sibling", "half_sibling",
    "grandparent", "household_member",
)  # fmt: skip
SEXES = ("female", "male", "other", "unknown")
KINDS = ("agency", "person", "relationship", "event", "retraction")

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
MAX_SUMMARY = 100_000


class FieldError(ValueError):
    """A field's value is unusable; the message says why, the caller says which field."""


Check = Callable[[Any], Any]


def code(value: Any) -> str:
    if not isinstance(value, str) or not _CODE.match(value):
        raise FieldError("not an agency code (lower-case letters, digits and hyphens)")
    return value


def ident(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 128:
        raise FieldError("not an id (a string of 1 to 128 characters)")
    return value


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError("not a string")
    return value


def event_type(value: Any) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 64:
        raise FieldError("not an event type (a string of 1 to 64 characters)")
    return value


def optional_text(value: Any) -> str:
    if value is None:
        return ""
    return text(value)


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise FieldError("not true or false")
    return value


def number(value: Any) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError("not a number")
    return value


def moment(value: Any) -> datetime:
    try:
        return parse_moment(value)
    except ValueError:
        raise FieldError("not a date") from None


def optional_moment(value: Any) -> datetime | None:
    return None if value is None else moment(value)


def day(value: Any) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError:
        raise FieldError("not a date") from None


def partial_date(value: Any) -> str:
    if value is None:
        return ""
    try:
        return check_partial_date(value)
    except ValueError:
        raise FieldError("not a date") from None


def nhs_number(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError("not a string")
    digits = normalise_nhs_number(value)
    if not is_valid_nhs_number(digits):
        raise FieldError("fails the NHS number check (modulus 11)")
    return digits


def one_of(*choices: str) -> Check:
    def check(value: Any) -> str:
        if value not in choices:
            raise FieldError(f"{value!r} is not one of {', '.join(choices)}")
        return str(value)

    return check


def optional_one_of(*choices: str) -> Check:
    inner = one_of(*choices)

    def check(value: Any) -> str:
        return "" if value is None else inner(value)

    return check


def list_of(item: Check) -> Check:
    def check(value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise FieldError("not a list")
        return [item(entry) for entry in value]

    return check


def text_list(value: Any) -> list[str]:
    return list_of(text)(value)


def address(value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FieldError("not an object")
    out = {}
    for key in ("text", "postcode"):
        if key in value and value[key] is not None:
            if not isinstance(value[key], str):
                raise FieldError(f"{key}: not a string")
            out[key] = value[key]
    return out


def summary(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError("not a string")
    if len(value) > MAX_SUMMARY:
        raise FieldError(f"longer than {MAX_SUMMARY} characters")
    return value


def details_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise FieldError("not an object")
    return value


@dataclass(frozen=True)
class Spec:
    check: Check
    required: bool = False


REQ = True
CONCERNS = one_of(
    "neglect", "physical", "emotional", "sexual", "domestic_abuse", "substance_misuse",
    "mental_health", "other",
)  # fmt: skip
HARMS = optional_one_of(
    "physical", "sexual", "neglect", "emotional", "drug_administration", "other"
)
CATEGORIES = optional_one_of("neglect", "physical", "emotional", "sexual", "multiple")

FIELDS: dict[str, dict[str, Spec]] = {
    "agency": {
        "code": Spec(code, REQ),
        "name": Spec(optional_text),
        "sector": Spec(one_of(*SECTORS)),
    },
    "person": {
        "agency": Spec(code, REQ),
        "id": Spec(ident, REQ),
        "given_name": Spec(optional_text),
        "family_name": Spec(optional_text),
        "other_names": Spec(text_list),
        "sex": Spec(optional_one_of(*SEXES)),
        "birth_date": Spec(partial_date),
        "birth_date_estimated": Spec(boolean),
        "unborn": Spec(boolean),
        "expected_birth_date": Spec(day),
        "nhs_number": Spec(nhs_number),
        "address": Spec(address),
        "recorded_at": Spec(optional_moment),
    },
    "relationship": {
        "agency": Spec(code, REQ),
        "person": Spec(ident, REQ),
        "relative": Spec(ident, REQ),
        "type": Spec(one_of(*RELATIONSHIP_TYPES), REQ),
        "start": Spec(day),
        "end": Spec(day),
        "recorded_at": Spec(optional_moment),
    },
    "event": {
        "agency": Spec(code, REQ),
        "id": Spec(ident, REQ),
        "type": Spec(event_type, REQ),
        "occurred_at": Spec(moment, REQ),
        "recorded_at": Spec(optional_moment),
        "summary": Spec(summary),
        "details": Spec(details_object),
        "shared_with": Spec(list_of(code)),
    },
    "retraction": {
        "agency": Spec(code, REQ),
        "target_kind": Spec(one_of("person", "event"), REQ),
        "id": Spec(ident, REQ),
        "reason": Spec(optional_text),
        "recorded_at": Spec(optional_moment),
    },
}

DETAILS: dict[str, dict[str, Spec]] = {
    "referral": {"concerns": Spec(list_of(CONCERNS)), "referrer_sector": Spec(optional_text)},
    "assessment": {
        "assessment": Spec(
            one_of("child_and_family", "pre_birth", "parenting_capacity", "section_47", "other"),
            REQ,
        ),
        "status": Spec(one_of("started", "completed"), REQ),
    },
    "strategy_discussion": {
        "outcome": Spec(optional_one_of("section_47", "no_further_action", "other")),
        "attended_by": Spec(list_of(code)),
    },
    "core_group": {
        "attended_by": Spec(list_of(code)),
        "parents_attended": Spec(boolean),
        "progress": Spec(optional_one_of("improved", "no_change", "worse")),
    },
    "decision": {"decision": Spec(text, REQ), "rationale": Spec(text, REQ)},
    "child_protection_conference": {
        "conference": Spec(one_of("initial", "review", "pre_birth"), REQ),
        "outcome": Spec(optional_one_of("plan", "no_plan", "plan_continues", "plan_ends")),
        "category": Spec(CATEGORIES),
        "attended_by": Spec(list_of(code)),
    },
    "plan": {
        "plan": Spec(
            one_of("child_protection", "child_in_need", "early_help", "looked_after"), REQ
        ),
        "status": Spec(one_of("started", "ended"), REQ),
        "category": Spec(CATEGORIES),
        "reason": Spec(
            optional_one_of(
                "risk_reduced", "looked_after", "moved_area", "turned_18", "died", "other"
            )
        ),
    },
    "home_visit": {
        "child_seen": Spec(boolean),
        "seen_alone": Spec(boolean),
        "no_access": Spec(boolean),
    },
    "care_proceedings": {
        "stage": Spec(optional_one_of("issued", "interim_order", "final_order", "withdrawn"))
    },
    "antenatal_booking": {
        "gestation_weeks": Spec(number),
        "expected_birth_date": Spec(day),
        "multiple": Spec(boolean),
    },
    "birth": {
        "gestation_weeks": Spec(number),
        "birth_weight_g": Spec(number),
        "neonatal_abstinence": Spec(boolean),
        "multiple": Spec(boolean),
    },
    "development": {
        "mobility": Spec(
            optional_one_of("not_mobile", "rolling", "crawling", "cruising", "walking")
        )
    },
    "medical_assessment": {
        "assessment": Spec(
            one_of("paediatric", "child_protection_medical", "skeletal_survey", "other"), REQ
        )
    },
    "discharge_planning_meeting": {
        "outcome": Spec(optional_one_of("safe_to_discharge", "not_safe", "deferred"))
    },
    "hospital_attendance": {
        "setting": Spec(
            optional_one_of("emergency", "urgent_care", "minor_injuries", "gp_out_of_hours")
        )
    },
    "injury": {
        "injury": Spec(
            one_of("bruise", "fracture", "burn", "bite", "head_injury", "injection_mark", "other"),
            REQ,
        ),
        "explained": Spec(boolean),
    },
    "toxicology": {
        "result": Spec(one_of("positive", "negative"), REQ),
        "prescribed": Spec(boolean),
    },
    "appointment_missed": {"was_not_brought": Spec(boolean)},
    "domestic_abuse_incident": {
        "risk": Spec(optional_one_of("standard", "medium", "high")),
        "injuries": Spec(boolean),
        "children_present": Spec(boolean),
    },
    "substance_misuse_service": {
        "status": Spec(
            optional_one_of(
                "referred", "engaged", "disengaged", "relapse", "positive_test", "discharged"
            )
        )
    },
    "mental_health_service": {
        "status": Spec(
            optional_one_of("referred", "assessment", "crisis", "admission", "discharged")
        )
    },
    "allegation": {
        "harm": Spec(HARMS),
        "made_by": Spec(
            optional_one_of(
                "relative", "sibling", "neighbour", "public", "child", "professional", "anonymous"
            )
        ),
    },
    "disclosure": {"harm": Spec(HARMS)},
    "household_change": {"change": Spec(optional_one_of("joined", "left", "moved_address"))},
    "serious_harm": {
        "harm": Spec(optional_one_of("death", "serious_harm")),
        "abuse_suspected": Spec(boolean),
    },
    "serious_incident_notification": {"harm": Spec(optional_one_of("death", "serious_harm"))},
    "rapid_review": {"status": Spec(optional_one_of("started", "submitted"))},
    "practice_review": {"status": Spec(optional_one_of("commissioned", "published"))},
    "education_change": {
        "change": Spec(
            optional_one_of(
                "elective_home_education",
                "school_move",
                "removed_from_roll",
                "returned_to_school",
            )  # fmt: skip
        )
    },
    "gp_registration": {"status": Spec(optional_one_of("registered", "deregistered"))},
    "information_shared": {"to": Spec(list_of(code)), "about": Spec(list_of(ident))},
}


class LineRejected(Exception):
    """The line is rejected alone; the message names the field."""


@dataclass
class FeedLine:
    """A line that was taken: its kind, its checked values, and what was dropped from it."""

    kind: str
    values: dict[str, Any]
    raw: str
    digest: str
    warnings: list[str] = field(default_factory=list)

    @property
    def agency(self) -> str:
        return str(self.values.get("agency") or self.values.get("code"))


def digest_of(obj: Any) -> str:
    """Two lines are the same when they are equal as JSON objects, whatever their spacing."""
    return hashlib.sha256(orjson.dumps(obj, option=orjson.OPT_SORT_KEYS)).hexdigest()


def _label(kind: str, obj: dict[str, Any]) -> str:
    key = obj.get("code") if kind == "agency" else obj.get("id")
    if kind == "relationship":
        person, relative = obj.get("person"), obj.get("relative")
        if isinstance(person, str) and isinstance(relative, str):
            return f"relationship {person!r}->{relative!r}"
    if isinstance(key, str) and key:
        return f"{kind} {key[:80]!r}"
    return kind


def _check_fields(
    specs: dict[str, Spec], obj: dict[str, Any], label: str, prefix: str, warnings: list[str]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, spec in specs.items():
        value = obj.get(name)
        if value is None:
            if spec.required:
                raise LineRejected(f"{label}: {prefix}{name}: missing")
            continue
        try:
            values[name] = spec.check(value)
        except FieldError as exc:
            if spec.required:
                raise LineRejected(f"{label}: {prefix}{name}: {exc}") from None
            warnings.append(f"{label}: {prefix}{name}: {exc}; taken without it")
    return values


def _subjects(value: Any, label: str, warnings: list[str]) -> list[dict[str, str]]:
    if not isinstance(value, list):
        warnings.append(f"{label}: subjects: not a list; taken without it")
        return []
    subjects = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or not isinstance(item.get("ref"), str):
            warnings.append(f"{label}: subjects[{index}].ref: missing; subject dropped")
            continue
        try:
            ref = ident(item["ref"])
        except FieldError as exc:
            warnings.append(f"{label}: subjects[{index}].ref: {exc}; subject dropped")
            continue
        role = item.get("role")
        subjects.append({"ref": ref, "role": role if isinstance(role, str) else ""})
    return subjects


def read_line(raw: str, parsed: Any = None) -> FeedLine:
    """Check one line; raise LineRejected, or return what is taken with its warnings.
    `parsed` is the line already parsed as JSON, when the caller had to."""
    try:
        obj = orjson.loads(raw) if parsed is None else parsed
    except orjson.JSONDecodeError as exc:
        # orjson also refuses what the store could not keep faithfully: unpaired surrogates,
        # NaN, and integers beyond 64 bits.
        raise LineRejected(f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(obj, dict):
        raise LineRejected("not a JSON object")
    if "\\u0000" in raw:
        # PostgreSQL cannot store NUL inside text; refuse the line rather than alter its words.
        raise LineRejected("text holds \\u0000 (NUL), which cannot be stored")
    kind = obj.get("kind")
    if type(kind) is str:
        fast = _FAST.get(kind)
        values = fast(obj) if fast is not None else None
        if values is not None:
            return FeedLine(kind=kind, values=values, raw=raw, digest=digest_of(obj))
    return _read_checked(raw, obj, kind)


def _read_checked(raw: str, obj: dict[str, Any], kind: Any) -> FeedLine:
    """The checks of the tables above, field by field, with their messages and warnings."""
    if kind is None:
        raise LineRejected("kind: missing")
    if kind not in KINDS:
        raise LineRejected(f"kind: unknown kind {str(kind)[:40]!r}")
    label = _label(kind, obj)
    warnings: list[str] = []
    values = _check_fields(FIELDS[kind], obj, label, "", warnings)
    if kind == "event":
        values["subjects"] = _subjects(obj.get("subjects", []), label, warnings)
        details = dict(values.get("details") or {})
        specs = DETAILS.get(values["type"])
        if specs:
            checked = _check_fields(specs, details, label, "details.", warnings)
            # Unknown fields are kept as sent; known ones that failed their check are dropped.
            details = {k: v for k, v in details.items() if k not in specs or k in checked}
        values["details"] = details
        values.setdefault("recorded_at", None)
        values.setdefault("summary", "")
        values.setdefault("shared_with", [])
    digest = digest_of(obj)
    return FeedLine(kind=kind, values=values, raw=raw, digest=digest, warnings=warnings)


# -- the fast path -----------------------------------------------------------------------------
# Most lines are faultless. msgspec checks a faultless person, relationship or event line in one
# C pass against structs that mirror the tables above; a line the structs refuse (or that holds
# anything a table would warn about) goes through the tables, which name the field. The fast path
# only ever takes what the tables take whole, and gives the same values (test_lines_fast.py).
_Code = Annotated[str, msgspec.Meta(pattern=_CODE.pattern)]
_Ident = Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
_EventType = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
_Summary = Annotated[str, msgspec.Meta(max_length=MAX_SUMMARY)]


class _SubjectIn(msgspec.Struct):
    ref: _Ident
    role: str = ""


class _EventIn(msgspec.Struct):
    agency: _Code
    id: _Ident
    type: _EventType
    occurred_at: str
    recorded_at: str | None = None
    summary: _Summary | None = None
    details: dict[str, Any] | None = None
    shared_with: list[_Code] | None = None
    subjects: list[_SubjectIn] = []


class _AddressIn(msgspec.Struct):
    text: str | None = None
    postcode: str | None = None


class _PersonIn(msgspec.Struct):
    agency: _Code
    id: _Ident
    given_name: str | None = None
    family_name: str | None = None
    other_names: list[str] | None = None
    sex: Literal["female", "male", "other", "unknown"] | None = None
    birth_date: str | None = None
    birth_date_estimated: bool | None = None
    unborn: bool | None = None
    expected_birth_date: str | None = None
    nhs_number: str | None = None
    address: _AddressIn | None = None
    recorded_at: str | None = None


class _RelationshipIn(msgspec.Struct):
    agency: _Code
    person: _Ident
    relative: _Ident
    type: Literal[
        "mother", "father", "parent", "step_parent", "carer", "partner", "sibling",
        "half_sibling", "grandparent", "household_member",
    ]  # fmt: skip
    start: str | None = None
    end: str | None = None
    recorded_at: str | None = None


def _put(values: dict[str, Any], name: str, value: Any) -> None:
    if value is not None:
        values[name] = value


def _fast_event(obj: dict[str, Any]) -> dict[str, Any] | None:
    try:
        line = msgspec.convert(obj, _EventIn)
        occurred_at = _moment(line.occurred_at)
        recorded_at = None if line.recorded_at is None else _moment(line.recorded_at)
    except (msgspec.ValidationError, ValueError):
        return None
    # The keys in the order the tables give them (events are most lines: written out here).
    values: dict[str, Any] = {
        "agency": line.agency,
        "id": line.id,
        "type": line.type,
        "occurred_at": occurred_at,
    }
    if recorded_at is not None:
        values["recorded_at"] = recorded_at
    if line.summary is not None:
        values["summary"] = line.summary
    details = line.details
    if details is not None:
        values["details"] = details
    if line.shared_with is not None:
        values["shared_with"] = line.shared_with
    values["subjects"] = [{"ref": s.ref, "role": s.role} for s in line.subjects]
    details = dict(details) if details else {}
    specs = DETAILS.get(line.type)
    if specs:
        warnings: list[str] = []
        try:
            checked = _check_fields(specs, details, "", "details.", warnings)
        except LineRejected:
            return None
        if warnings:
            return None
        details = {k: v for k, v in details.items() if k not in specs or k in checked}
    values["details"] = details
    if recorded_at is None:
        values["recorded_at"] = None
    if "summary" not in values:
        values["summary"] = ""
    if "shared_with" not in values:
        values["shared_with"] = []
    return values


def _fast_person(obj: dict[str, Any]) -> dict[str, Any] | None:
    try:
        line = msgspec.convert(obj, _PersonIn)
        birth_date = None if line.birth_date is None else check_partial_date(line.birth_date)
        expected = (
            None if line.expected_birth_date is None else parse_date(line.expected_birth_date)
        )
        recorded_at = None if line.recorded_at is None else _moment(line.recorded_at)
    except (msgspec.ValidationError, ValueError):
        return None
    nhs = None
    if line.nhs_number is not None:
        nhs = normalise_nhs_number(line.nhs_number)
        if not is_valid_nhs_number(nhs):
            return None
    values: dict[str, Any] = {"agency": line.agency, "id": line.id}
    _put(values, "given_name", line.given_name)
    _put(values, "family_name", line.family_name)
    _put(values, "other_names", line.other_names)
    _put(values, "sex", line.sex)
    _put(values, "birth_date", birth_date)
    _put(values, "birth_date_estimated", line.birth_date_estimated)
    _put(values, "unborn", line.unborn)
    _put(values, "expected_birth_date", expected)
    _put(values, "nhs_number", nhs)
    if line.address is not None:
        address: dict[str, str] = {}
        _put(address, "text", line.address.text)
        _put(address, "postcode", line.address.postcode)
        values["address"] = address
    _put(values, "recorded_at", recorded_at)
    return values


def _fast_relationship(obj: dict[str, Any]) -> dict[str, Any] | None:
    try:
        line = msgspec.convert(obj, _RelationshipIn)
        start = None if line.start is None else parse_date(line.start)
        end = None if line.end is None else parse_date(line.end)
        recorded_at = None if line.recorded_at is None else _moment(line.recorded_at)
    except (msgspec.ValidationError, ValueError):
        return None
    values: dict[str, Any] = {
        "agency": line.agency,
        "person": line.person,
        "relative": line.relative,
        "type": line.type,
    }
    _put(values, "start", start)
    _put(values, "end", end)
    _put(values, "recorded_at", recorded_at)
    return values


_FAST: dict[str, Callable[[dict[str, Any]], dict[str, Any] | None]] = {
    "event": _fast_event,
    "person": _fast_person,
    "relationship": _fast_relationship,
}
