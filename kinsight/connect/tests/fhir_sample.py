"""A sample FHIR R4B Bundle from a hospital, built with fhir.resources (not a test module)."""

import json

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.flag import Flag
from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.relatedperson import RelatedPerson

NHS = "https://fhir.nhs.uk/Id/nhs-number"
ROLE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
BABY = {"reference": "urn:uuid:0b1e6c1a-0000-4000-8000-000000000001"}


def sample_bundle() -> dict:
    """A baby born withdrawing (neonatal abstinence), her mother, an A&E attendance three days
    later, a weight, and the maternity unit's own flag."""
    resources = [
        ("urn:uuid:0b1e6c1a-0000-4000-8000-000000000001", Patient(
            id="baby-1",
            identifier=[{"system": NHS, "value": "9434765919"},
                        {"system": "https://elht.example/mrn", "value": "MRN-55"}],
            name=[{"family": "Hart", "given": ["Ruby"]}], gender="female",
            birthDate="2024-05-02",
            address=[{"line": ["1 Mill Lane"], "city": "Burnley", "postalCode": "BB11 2AB"}])),
        ("urn:uuid:0b1e6c1a-0000-4000-8000-000000000002", RelatedPerson(
            id="mum-1", patient=BABY,
            relationship=[{"coding": [{"system": ROLE, "code": "MTH"}]}],
            name=[{"family": "Hart", "given": ["Amy"]}], gender="female",
            birthDate="2001-01-30")),
        ("urn:uuid:0b1e6c1a-0000-4000-8000-000000000003", Encounter(
            id="enc-1", status="finished",
            **{"class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                         "code": "EMER"}},
            subject=BABY, period={"start": "2024-05-05T02:10:00+01:00"},
            reasonCode=[{"text": "Irritable, poor feeding"}])),
        ("urn:uuid:0b1e6c1a-0000-4000-8000-000000000004", Condition(
            id="cond-1", subject=BABY,
            code={"coding": [{"system": "http://snomed.info/sct", "code": "414819007",
                              "display": "Neonatal abstinence syndrome"}]},
            onsetDateTime="2024-05-03T09:00:00+01:00",
            recordedDate="2024-05-03T11:00:00+01:00")),
        ("urn:uuid:0b1e6c1a-0000-4000-8000-000000000005", Observation(
            id="obs-1", status="final", subject=BABY,
            code={"coding": [{"system": "http://loinc.org", "code": "29463-7",
                              "display": "Body weight"}]},
            valueQuantity={"value": 2.6, "unit": "kg"},
            effectiveDateTime="2024-05-05T02:30:00+01:00",
            issued="2024-05-05T03:00:00+01:00")),
        ("urn:uuid:0b1e6c1a-0000-4000-8000-000000000006", Flag(
            id="flag-1", status="active", subject=BABY,
            code={"text": "Safeguarding concern: maternal drug use"},
            period={"start": "2024-05-03T12:00:00+01:00"})),
    ]  # fmt: skip
    bundle = Bundle(
        type="collection",
        entry=[{"fullUrl": url, "resource": resource} for url, resource in resources],
    )
    return json.loads(bundle.model_dump_json(exclude_none=True))
