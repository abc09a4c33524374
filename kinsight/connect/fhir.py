"""FHIR R4 in and out, with the `fhir.resources` package's R4B models.

In: a Bundle of Patient, RelatedPerson, Encounter, Condition, Observation and Flag resources
becomes feed lines of the sending agency (`bundle_to_lines`). The NHS number is the Patient's
identifier of system `https://fhir.nhs.uk/Id/nhs-number`. A resource that cannot become a line
is reported with its entry and the rest is taken; a Bundle that is not valid R4B is refused whole.

Out: `lines_to_bundle` writes such lines back as a Bundle (the round trip the tests check), and
`child_protection_flags` answers `GET /api/fhir/Flag?patient=NHS_NUMBER` with the Flag a
CP-IS consumer expects for a child on a child protection plan or looked after.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

NHS_NUMBER = "https://fhir.nhs.uk/Id/nhs-number"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
SYSTEMS = {"http://snomed.info/sct": "snomed", "http://hl7.org/fhir/sid/icd-10": "icd10",
           "http://loinc.org": "loinc"}  # fmt: skip
SYSTEM_URIS = {short: uri for uri, short in SYSTEMS.items()}
RELATIONSHIPS = {
    "MTH": "mother", "NMTH": "mother", "FTH": "father", "NFTH": "father", "PRN": "parent",
    "NPRN": "parent", "STPMTH": "step_parent", "STPFTH": "step_parent", "STPPRN": "step_parent",
    "GRMTH": "grandparent", "GRFTH": "grandparent", "GRPRN": "grandparent", "SIB": "sibling",
    "BRO": "sibling", "SIS": "sibling", "NSIB": "sibling", "HSIB": "half_sibling",
    "HBRO": "half_sibling", "HSIS": "half_sibling", "GUARD": "carer", "SIGOTHR": "partner",
    "FAMMEMB": "household_member",
}  # fmt: skip
RELATIONSHIP_CODES = {
    "mother": "MTH", "father": "FTH", "parent": "PRN", "step_parent": "STPPRN", "carer": "GUARD",
    "partner": "SIGOTHR", "sibling": "SIB", "half_sibling": "HSIB", "grandparent": "GRPRN",
    "household_member": "FAMMEMB",
}  # fmt: skip
# Encounter.class (v3 ActCode) -> event type (and hospital_attendance's setting).
ENCOUNTER_TYPES = {"EMER": "hospital_attendance", "IMP": "hospital_admission",
                   "ACUTE": "hospital_admission", "NONAC": "hospital_admission",
                   "HH": "home_visit"}  # fmt: skip
SEXES = {"male": "male", "female": "female", "other": "other", "unknown": "unknown"}
RELATED_PREFIX = "RelatedPerson/"


class BundleRefused(Exception):
    """The body is not a valid R4B Bundle; the message says where."""


@dataclass
class BundleLines:
    lines: list[dict[str, Any]] = field(default_factory=list)
    # (entry index, "Type/id", message) for each resource that became no line.
    skipped: list[tuple[int, str, str]] = field(default_factory=list)


class _Skip(Exception):
    pass


# -- in ----------------------------------------------------------------------------------------
def parse_bundle(data: Any) -> list[dict[str, Any]]:
    """Validate the Bundle with the R4B models; return its resources as FHIR JSON objects."""
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        raise BundleRefused("resourceType: expected a Bundle")
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise BundleRefused(f"not a valid FHIR R4B Bundle: {where}: {first['msg']}") from None
    entries = []
    for entry in bundle.entry or []:
        resource = entry.resource
        obj = json.loads(resource.model_dump_json(exclude_none=True)) if resource else {}
        obj.setdefault("id", (entry.fullUrl or "").removeprefix("urn:uuid:") or None)
        entries.append({"fullUrl": entry.fullUrl, "resource": obj})
    return entries


def bundle_to_lines(data: Any, agency: str) -> BundleLines:
    """The feed lines of a Bundle sent by `agency`."""
    entries = parse_bundle(data)
    urls = {
        e["fullUrl"]: f"{e['resource'].get('resourceType')}/{e['resource'].get('id')}"
        for e in entries
        if e["fullUrl"]
    }
    out = BundleLines()
    for index, entry in enumerate(entries):
        resource = entry["resource"]
        kind = resource.get("resourceType", "")
        label = f"{kind}/{resource.get('id')}"
        reader = _READERS.get(kind)
        if reader is None:
            out.skipped.append((index, label, f"{kind} resources are not read"))
            continue
        if not resource.get("id"):
            out.skipped.append((index, label, "id: missing (and no fullUrl)"))
            continue
        try:
            out.lines.extend(reader(resource, agency, lambda ref: _ref(ref, urls)))
        except _Skip as exc:
            out.skipped.append((index, label, str(exc)))
    return out


def _ref(reference: dict[str, Any] | None, urls: dict[str, str]) -> str:
    text = str((reference or {}).get("reference") or "")
    text = urls.get(text, text)
    parts = text.rstrip("/").split("/")
    if len(parts) < 2 or not parts[-1]:
        raise _Skip(f"reference {text!r}: not Type/id")
    kind, ident = parts[-2], parts[-1]
    return f"{RELATED_PREFIX}{ident}" if kind == "RelatedPerson" else ident


def _person_fields(resource: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    names = resource.get("name") or []
    if names:
        first = names[0]
        if first.get("given"):
            fields["given_name"] = " ".join(first["given"])
        if first.get("family"):
            fields["family_name"] = first["family"]
        others = [n.get("text") or " ".join([*n.get("given", []), n.get("family", "")]).strip()
                  for n in names[1:]]  # fmt: skip
        if any(others):
            fields["other_names"] = [o for o in others if o]
    if resource.get("gender") in SEXES:
        fields["sex"] = SEXES[resource["gender"]]
    if resource.get("birthDate"):
        fields["birth_date"] = str(resource["birthDate"])
    for identifier in resource.get("identifier") or []:
        if identifier.get("system") == NHS_NUMBER and identifier.get("value"):
            fields["nhs_number"] = str(identifier["value"]).replace(" ", "")
    addresses = resource.get("address") or []
    if addresses:
        first = addresses[0]
        text = first.get("text") or ", ".join([*first.get("line", []), first.get("city", "")])
        address = {"text": text.strip(", ")} if text.strip(", ") else {}
        if first.get("postalCode"):
            address["postcode"] = first["postalCode"]
        if address:
            fields["address"] = address
    return fields


def _patient(resource: dict[str, Any], agency: str, ref: Any) -> list[dict[str, Any]]:
    return [{"kind": "person", "agency": agency, "id": resource["id"], **_person_fields(resource)}]


def _related_person(resource: dict[str, Any], agency: str, ref: Any) -> list[dict[str, Any]]:
    ident = f"{RELATED_PREFIX}{resource['id']}"
    lines: list[dict[str, Any]] = [
        {"kind": "person", "agency": agency, "id": ident, **_person_fields(resource)}
    ]
    codes = [c.get("code") for r in resource.get("relationship") or [] for c in r.get("coding", [])]
    types = [RELATIONSHIPS[c] for c in codes if c in RELATIONSHIPS]
    if resource.get("patient") and types:
        period = resource.get("period") or {}
        lines.append({
            "kind": "relationship", "agency": agency, "person": ref(resource["patient"]),
            "relative": ident, "type": types[0],
            **({"start": period["start"][:10]} if period.get("start") else {}),
            **({"end": period["end"][:10]} if period.get("end") else {}),
        })  # fmt: skip
    return lines


def _event(resource: dict[str, Any], agency: str, ref: Any, **fields: Any) -> dict[str, Any]:
    if not fields.get("occurred_at"):
        raise _Skip("no date: the event's moment is missing")
    recorded = fields.pop("recorded_at", None) or (resource.get("meta") or {}).get("lastUpdated")
    line = {"kind": "event", "agency": agency,
            "id": f"{resource['resourceType']}/{resource['id']}", **fields}  # fmt: skip
    if recorded:
        line["recorded_at"] = _moment(recorded)
    line["occurred_at"] = _moment(line["occurred_at"])
    subject = resource.get("subject") or resource.get("patient")
    if subject:
        line["subjects"] = [{"ref": ref(subject), "role": "subject"}]
    return {k: v for k, v in line.items() if v not in (None, "", {})}


def _moment(value: str) -> str:
    """FHIR writes offsets (`+00:00`, `Z`); feeds take them as they are."""
    return str(value)


def _coding(concept: dict[str, Any] | None) -> dict[str, Any]:
    concept = concept or {}
    coding = (concept.get("coding") or [{}])[0]
    out = {
        "code": coding.get("code"),
        "system": SYSTEMS.get(coding.get("system", ""), coding.get("system")),
        "display": coding.get("display") or concept.get("text"),
    }
    return {k: v for k, v in out.items() if v}


def _text(concept: dict[str, Any] | None) -> str:
    concept = concept or {}
    coding = (concept.get("coding") or [{}])[0]
    return str(concept.get("text") or coding.get("display") or "")


def _encounter(resource: dict[str, Any], agency: str, ref: Any) -> list[dict[str, Any]]:
    if resource.get("status") in ("cancelled", "entered-in-error", "planned"):
        raise _Skip(f"status {resource['status']}: nothing happened")
    klass = (resource.get("class") or {}).get("code", "")
    kind = ENCOUNTER_TYPES.get(klass, "encounter")
    reasons = resource.get("reasonCode") or []
    details: dict[str, Any] = {"fhir_class": klass} if klass else {}
    if kind == "hospital_attendance":
        details["setting"] = "emergency"
    if reasons:
        details["reason"] = _text(reasons[0])
    summary = _text(reasons[0]) if reasons else _text((resource.get("type") or [None])[0])
    return [_event(resource, agency, ref, type=kind, summary=summary, details=details,
                   occurred_at=(resource.get("period") or {}).get("start"))]  # fmt: skip


def _condition(resource: dict[str, Any], agency: str, ref: Any) -> list[dict[str, Any]]:
    status = _coding(resource.get("verificationStatus")).get("code")
    if status in ("entered-in-error", "refuted"):
        raise _Skip(f"verificationStatus {status}")
    onset = resource.get("onsetDateTime") or resource.get("recordedDate")
    return [_event(resource, agency, ref, type="diagnosis", occurred_at=onset,
                   recorded_at=resource.get("recordedDate"),
                   summary=_text(resource.get("code")),
                   details=_coding(resource.get("code")))]  # fmt: skip


def _observation(resource: dict[str, Any], agency: str, ref: Any) -> list[dict[str, Any]]:
    value: Any = None
    for name in ("valueString", "valueBoolean", "valueInteger"):
        if name in resource:
            value = resource[name]
    if "valueQuantity" in resource:
        quantity = resource["valueQuantity"]
        value = f"{quantity.get('value')} {quantity.get('unit', '')}".strip()
    if "valueCodeableConcept" in resource:
        value = _text(resource["valueCodeableConcept"])
    name = _text(resource.get("code"))
    details = _coding(resource.get("code"))
    if value is not None:
        details["value"] = value
    summary = f"{name}: {value}" if value is not None else name
    return [_event(resource, agency, ref, type="observation", summary=summary, details=details,
                   occurred_at=resource.get("effectiveDateTime") or resource.get("issued"),
                   recorded_at=resource.get("issued"))]  # fmt: skip


def _flag(resource: dict[str, Any], agency: str, ref: Any) -> list[dict[str, Any]]:
    period = resource.get("period") or {}
    details = {**_coding(resource.get("code")), "status": resource.get("status")}
    if period.get("end"):
        details["period_end"] = period["end"]
    return [_event(resource, agency, ref, type="flag", summary=_text(resource.get("code")),
                   details=details,
                   occurred_at=period.get("start") or (resource.get("meta") or {}).get(
                       "lastUpdated"))]  # fmt: skip


_READERS = {
    "Patient": _patient,
    "RelatedPerson": _related_person,
    "Encounter": _encounter,
    "Condition": _condition,
    "Observation": _observation,
    "Flag": _flag,
}


# -- out ---------------------------------------------------------------------------------------
def lines_to_bundle(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Write feed lines (as `bundle_to_lines` makes them) back as a validated R4B Bundle."""
    relationships = {line["relative"]: line for line in lines if line.get("kind") == "relationship"}
    entries = []
    for line in lines:
        if line.get("kind") == "person":
            entries.append(_person_resource(line, relationships.get(line["id"])))
        elif line.get("kind") == "event":
            entries.append(_event_resource(line))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"urn:kinsight:{r['resourceType']}/{r['id']}", "resource": r}
            for r in entries
        ],
    }
    validated = Bundle.model_validate(bundle)
    result: dict[str, Any] = json.loads(validated.model_dump_json(exclude_none=True))
    return result


def _reference(ref: str) -> dict[str, str]:
    if ref.startswith(RELATED_PREFIX):
        return {"reference": ref}
    return {"reference": f"Patient/{ref}"}


def _person_resource(line: dict[str, Any], relationship: dict[str, Any] | None) -> dict[str, Any]:
    related = line["id"].startswith(RELATED_PREFIX)
    resource: dict[str, Any] = {
        "resourceType": "RelatedPerson" if related else "Patient",
        "id": line["id"].removeprefix(RELATED_PREFIX),
    }
    if line.get("nhs_number"):
        resource["identifier"] = [{"system": NHS_NUMBER, "value": line["nhs_number"]}]
    name = {k: v for k, v in (("family", line.get("family_name")),
                              ("given", [line["given_name"]] if line.get("given_name") else None))
            if v}  # fmt: skip
    names = [name] if name else []
    names += [{"use": "old", "text": other} for other in line.get("other_names", [])]
    if names:
        resource["name"] = names
    if line.get("sex"):
        resource["gender"] = line["sex"]
    if line.get("birth_date"):
        resource["birthDate"] = line["birth_date"]
    address = line.get("address") or {}
    if address:
        pairs = (("text", address.get("text")), ("postalCode", address.get("postcode")))
        resource["address"] = [{k: v for k, v in pairs if v}]
    if related and relationship is not None:
        resource["patient"] = _reference(relationship["person"])
        code = RELATIONSHIP_CODES[relationship["type"]]
        resource["relationship"] = [{"coding": [{"system": ROLE_CODE, "code": code}]}]
        period = {k: relationship[k] for k in ("start", "end") if relationship.get(k)}
        if period:
            resource["period"] = period
    elif related:
        resource["patient"] = {"display": "unknown"}
    return resource


def _event_resource(line: dict[str, Any]) -> dict[str, Any]:
    kind, _, ident = line["id"].partition("/")
    details = line.get("details") or {}
    resource: dict[str, Any] = {"resourceType": kind, "id": ident}
    if line.get("recorded_at"):
        resource["meta"] = {"lastUpdated": line["recorded_at"]}
    subjects = line.get("subjects") or []
    if subjects:
        resource["subject"] = _reference(subjects[0]["ref"])
    concept = _concept(details)
    if kind == "Encounter":
        klass = details.get("fhir_class") or "AMB"
        resource.update(status="finished", period={"start": line["occurred_at"]},
                        **{"class": {"system": ACT_CODE, "code": klass}})  # fmt: skip
        if details.get("reason"):
            resource["reasonCode"] = [{"text": details["reason"]}]
        elif line.get("summary"):
            resource["type"] = [{"text": line["summary"]}]
    elif kind == "Condition":
        resource.update(code=concept, onsetDateTime=line["occurred_at"])
        if line.get("recorded_at"):
            resource["recordedDate"] = line["recorded_at"]
            resource.pop("meta")
    elif kind == "Observation":
        resource.update(status="final", code=concept, effectiveDateTime=line["occurred_at"])
        if "value" in details:
            value = details["value"]
            resource["valueBoolean" if isinstance(value, bool) else "valueString"] = (
                value if isinstance(value, bool) else str(value)
            )
        if line.get("recorded_at"):
            resource["issued"] = line["recorded_at"]
            resource.pop("meta")
    elif kind == "Flag":
        resource.update(status=details.get("status") or "active", code=concept,
                        period={"start": line["occurred_at"]})  # fmt: skip
        if details.get("period_end"):
            resource["period"]["end"] = details["period_end"]
    return resource


def _concept(details: dict[str, Any]) -> dict[str, Any]:
    coding = {k: v for k, v in (("system", SYSTEM_URIS.get(details.get("system", ""),
                                                          details.get("system"))),
                                ("code", details.get("code")),
                                ("display", details.get("display"))) if v}  # fmt: skip
    concept: dict[str, Any] = {"coding": [coding]} if coding.get("code") else {}
    if details.get("display"):
        concept["text"] = details["display"]
    return concept
