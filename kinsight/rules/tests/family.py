"""A family like the Lancashire seed case, for the household rules' tests.

Each agency keeps its own records of the family; they carry the same NHS numbers so that
today's linkage joins them (the seed case itself needs linkage on names and addresses).
Chloe (born 9 May 2018) lives with Mother and Father at 7 Larkhill Close; Harper is her
sister. Social care records the household on 10 May 2018; the police have their own records.
"""

from __future__ import annotations

from typing import Any

from kinsight.testing import event, person

HOME = {"text": "7 Larkhill Close, Lancashire", "postcode": "BB5 9QX"}
NHS = {"chloe": "9994312588", "mother": "9994312073", "father": "9994312006",
       "harper": "9994312316", "partner": "9994312014"}  # fmt: skip
MORE_AGENCIES = [
    {"kind": "agency", "code": "cgl-lancs", "name": "CGL Lancashire", "sector": "substance_misuse"},
    {"kind": "agency", "code": "gp-lancs", "name": "Millbrook Surgery", "sector": "health"},
]
KNOWN = "2018-05-10T11:20:00"


def rel(agency: str, person_ref: str, relative: str, type_: str, **fields: Any) -> dict[str, Any]:
    return {"kind": "relationship", "agency": agency, "person": person_ref, "relative": relative,
            "type": type_, **fields}  # fmt: skip


def records(agency: str, prefix: str, recorded_at: str = KNOWN) -> list[dict[str, Any]]:
    """One agency's records of the household: `{prefix}-chloe`, `-mother`, `-father`, `-harper`."""
    when = {"recorded_at": recorded_at}
    return [
        person(agency, f"{prefix}-chloe", given_name="Chloe", sex="female",
               birth_date="2018-05-09", nhs_number=NHS["chloe"], address=HOME, **when),
        person(agency, f"{prefix}-harper", given_name="Harper", sex="female",
               birth_date="2017-06-21", nhs_number=NHS["harper"], address=HOME, **when),
        person(agency, f"{prefix}-mother", given_name="Kayleigh", sex="female",
               birth_date="1991-08-23", nhs_number=NHS["mother"], address=HOME, **when),
        person(agency, f"{prefix}-father", given_name="Jason", sex="male",
               birth_date="1986-02-11", nhs_number=NHS["father"], address=HOME, **when),
        rel(agency, f"{prefix}-chloe", f"{prefix}-mother", "mother", **when),
        rel(agency, f"{prefix}-chloe", f"{prefix}-father", "father", **when),
        rel(agency, f"{prefix}-harper", f"{prefix}-mother", "mother", **when),
        rel(agency, f"{prefix}-harper", f"{prefix}-father", "father", **when),
    ]  # fmt: skip


# Social care's records from the referral; police records made at the incident.
FAMILY = [*MORE_AGENCIES, *records("csc-lancs", "CS")]
POLICE = records("lancs-police", "PN", "2018-09-16T02:15:00")


def gp_mother(recorded_at: str | None = None) -> dict[str, Any]:
    extra = {"recorded_at": recorded_at} if recorded_at else {}
    return person("gp-lancs", "GP-mother", given_name="Kayleigh", sex="female",
                  birth_date="1991-08-23", nhs_number=NHS["mother"], **extra)  # fmt: skip


def cgl(who: str, event_id: str, at: str, status: str, summary: str = "") -> list[dict[str, Any]]:
    """A drug service record about a parent (with the service's own record of them)."""
    ref = f"CGL-{who}"
    return [
        person("cgl-lancs", ref, given_name=who.title(), nhs_number=NHS[who],
               birth_date="1991-08-23" if who == "mother" else "1986-02-11", recorded_at=at),
        event("cgl-lancs", event_id, "substance_misuse_service", at, (ref, "subject"),
              summary=summary, details={"status": status}),
    ]  # fmt: skip


def incident(event_id: str, at: str, recorded_at: str, **details: Any) -> dict[str, Any]:
    """A police domestic abuse incident between the parents, the children in the house."""
    return event("lancs-police", event_id, "domestic_abuse_incident", at,
                 ("PN-father", "alleged_perpetrator"), ("PN-mother", "victim"),
                 recorded_at=recorded_at,
                 summary="Domestic incident at the home address between the parents.",
                 details=details)  # fmt: skip


def plan(event_id: str, at: str, status: str, kind: str = "child_protection",
         **details: Any) -> dict[str, Any]:  # fmt: skip
    return event("csc-lancs", event_id, "plan", at, ("CS-chloe", "child"),
                 details={"plan": kind, "status": status, **details})  # fmt: skip


def conference(event_id: str, at: str, conference: str, outcome: str) -> dict[str, Any]:
    return event("csc-lancs", event_id, "child_protection_conference", at, ("CS-chloe", "child"),
                 ("CS-mother", "parent"), ("CS-father", "parent"),
                 details={"conference": conference, "outcome": outcome})  # fmt: skip


# Chloe's first plan: made at the initial conference on 24 May 2018, ended at the first review
# on 2 August 2018 (recorded 15:30), stepped down to a child in need plan.
FIRST_PLAN = [
    conference("CP-1", "2018-05-24T16:10:00", "initial", "plan"),
    plan("PL-1", "2018-05-24T16:10:00", "started"),
    conference("CP-2", "2018-08-02T15:30:00", "review", "plan_ends"),
    plan("PL-1-END", "2018-08-02T15:30:00", "ended", reason="risk_reduced"),
    plan("CIN-1", "2018-08-02T15:30:00", "started", kind="child_in_need"),
]
