"""The access matrix: every role against every sensitive category, and the 404 rule, for the
pages and the API alike (issue 7's acceptance).

Chloe's family (kinsight/web/tests/cast.py) gains four entries from agencies no user here
belongs to: a mental health trust's note about her mother Kerry, a sexual health clinic's entry
about Kerry, an allegation that Kerry (an adult) hit Chloe, and, as the control, an allegation
against a child, which is not restricted.
"""

from datetime import date

import pytest

from kinsight.access.actions import do_allocate_child
from kinsight.access.models import Role, User
from kinsight.access.sensitive import CATEGORIES
from kinsight.feeds.actions import do_ingest_feeds
from kinsight.testing import event, person, write_feed
from kinsight.web.tests.cast import CHLOE_NHS, KERRY_NHS, PASSWORD

pytestmark = pytest.mark.django_db

# What each role reads in full; None: the role reads no records at all (everything is 404).
SEES: dict[str, set[str] | None] = {
    Role.SOCIAL_WORKER: {"mental_health", "allegation_against_adult"},
    Role.TEAM_MANAGER: {"mental_health", "allegation_against_adult"},
    Role.HEALTH: {"mental_health", "sexual_health"},
    Role.POLICE: {"allegation_against_adult"},
    Role.EDUCATION: set(),
    Role.REVIEWER: {"mental_health", "sexual_health", "allegation_against_adult"},
    Role.AUDITOR: None,
    Role.ADMIN: None,
}
# Each role's user, and how they come to see Chloe: their agency's records (sam, tess, hana,
# pat), an allocation (edna), a commissioned review (rita); ada and aud see nobody.
USER_OF = {
    Role.SOCIAL_WORKER: "sam", Role.TEAM_MANAGER: "tess", Role.HEALTH: "hana",
    Role.POLICE: "pat", Role.EDUCATION: "edna", Role.REVIEWER: "rita", Role.AUDITOR: "aud",
    Role.ADMIN: "ada",
}  # fmt: skip
# The entry of each category, and its summary, whose code word (its first) must never leak:
# a page marks indicators inside a summary, so the whole summary is looked for only in JSON.
ENTRIES = {
    "mental_health": ("mh-trust", "MH-1", "Quokka: crisis team saw mother, low mood"),
    "sexual_health": ("sh-clinic", "SH-1", "Wombat: clinic attendance, treatment given"),
    "allegation_against_adult": ("helpline", "AL-1", "Numbat: caller says mother hits the baby"),
}
CONTROL = ("helpline", "AL-2", "Dingo: caller says a boy next door pushed the baby")


def sensitive_lines():
    return [
        {"kind": "agency", "code": "mh-trust", "name": "Lancashire Mind Trust",
         "sector": "mental_health"},
        {"kind": "agency", "code": "sh-clinic", "name": "Burnley Sexual Health Clinic",
         "sector": "health"},
        {"kind": "agency", "code": "helpline", "name": "Children's Helpline", "sector": "other"},
        person("mh-trust", "MH-P1", given_name="Kerry", family_name="Walsh",
               birth_date="1995-06-01", nhs_number=KERRY_NHS),
        person("sh-clinic", "SH-P1", given_name="Kerry", family_name="Walsh",
               birth_date="1995-06-01", nhs_number=KERRY_NHS),
        person("helpline", "HL-C", given_name="Chloe", family_name="Walsh",
               birth_date="2018-03-02", nhs_number=CHLOE_NHS),
        person("helpline", "HL-K", given_name="Kerry", family_name="Walsh",
               birth_date="1995-06-01", nhs_number=KERRY_NHS),
        person("helpline", "HL-Y", given_name="Tom", family_name="Nextdoor",
               birth_date="2009-01-01"),
        event("mh-trust", "MH-1", "note", "2018-04-15T10:00:00", ("MH-P1", "subject"),
              summary=ENTRIES["mental_health"][2]),
        event("sh-clinic", "SH-1", "sexual_health", "2018-04-16T10:00:00", ("SH-P1", "subject"),
              summary=ENTRIES["sexual_health"][2]),
        event("helpline", "AL-1", "allegation", "2018-04-17T10:00:00", ("HL-C", "victim"),
              ("HL-K", "alleged_perpetrator"), summary=ENTRIES["allegation_against_adult"][2],
              details={"harm": "physical", "made_by": "public"}),
        event("helpline", "AL-2", "allegation", "2018-04-18T10:00:00", ("HL-C", "victim"),
              ("HL-Y", "alleged_perpetrator"), summary=CONTROL[2],
              details={"harm": "physical", "made_by": "public"}),
    ]  # fmt: skip


@pytest.fixture
def world(cast, tmp_path):
    do_ingest_feeds([write_feed(tmp_path / "sensitive.jsonl", sensitive_lines())], acting="test")
    from kinsight.reviews.models import CommissionedReview

    users = {
        "sam": ("social_worker", "csc-lancs"), "tess": ("team_manager", "csc-lancs"),
        "hana": ("health", "nhs-east"), "pat": ("police", "lancs-police"),
        "edna": ("education", "little-acorns"), "rita": ("reviewer", ""),
        "aud": ("auditor", ""), "ada": ("admin", ""),
    }  # fmt: skip
    made = {n: User.objects.create_user(n, password=PASSWORD, role=r, agency_code=a)
            for n, (r, a) in users.items()}  # fmt: skip
    do_allocate_child(cast.chloe, lead=made["edna"], acting="test")
    CommissionedReview.objects.create(
        reviewer=made["rita"], child=cast.chloe, period_from=date(2018, 1, 1),
        period_to=date(2018, 12, 31), commissioned_by="test",
    )  # fmt: skip
    return cast


def test_the_matrix_names_every_role_and_every_category():
    assert set(SEES) == set(Role.values) == set(USER_OF)
    assert set(ENTRIES) == {c.id for c in CATEGORIES}


@pytest.mark.parametrize("role", list(SEES))
def test_each_role_reads_exactly_its_categories_on_the_pages_and_the_api(world, signed_in, role):
    client = signed_in(USER_OF[role])
    chloe = world.chloe
    urls = {
        "page chronology": f"/people/{chloe.pk}/chronology/?family=1",
        "page csv": f"/people/{chloe.pk}/chronology/?family=1&format=csv",
        "page who knew": f"/people/{chloe.pk}/who-knew-what/",
        "api chronology": f"/api/people/{chloe.public_id}/chronology?family=true",
        "api who knew": f"/api/people/{chloe.public_id}/who-knew-what",
    }
    answers = {name: client.get(url) for name, url in urls.items()}
    if SEES[role] is None:
        assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(urls, 404)
        return
    assert {name: r.status_code for name, r in answers.items()} == dict.fromkeys(urls, 200)
    api_events = {e["id"]: e for e in answers["api chronology"].json()["events"]}
    api_knew = {row["event"]: row["type"] for row in answers["api who knew"].json()}
    for category, (_agency, event_id, summary) in ENTRIES.items():
        label = next(c.label for c in CATEGORIES if c.id == category)
        allowed = category in SEES[role]
        for name in ("page chronology", "page csv"):
            text = answers[name].content.decode()
            assert (summary.split(":")[0] in text) is allowed, (role, category, name)
            assert (f"restricted category ({label})" in text) is not allowed, (role, category)
        shown = api_events[event_id]
        assert (shown["summary"] == summary) is allowed, (role, category)
        if not allowed:
            assert shown["restricted"] == category
            assert shown["subjects"] == [] and shown["indicators"] == []
            assert "designated safeguarding contact" in shown["ask"]
    # The allegation is significant: who knew what lists it, as itself or as restricted.
    allegation = "allegation_against_adult" in SEES[role]
    assert api_knew["AL-1"] == ("allegation" if allegation else "restricted")
    page_who_knew = answers["page who knew"].content.decode()
    row = page_who_knew[: page_who_knew.index("(helpline AL-1)")].rsplit("<th", 1)[1]
    assert ("Allegation" if allegation else "Restricted") in row
    # An allegation against a child is not restricted: everyone who sees Chloe reads it.
    assert api_events["AL-2"]["summary"] == CONTROL[2]


@pytest.mark.parametrize("role", list(SEES))
def test_a_forbidden_person_or_alert_answers_exactly_as_a_missing_one(world, signed_in, role):
    client = signed_in(USER_OF[role])
    oliver, alert = world.oliver, world.oliver_alert  # nobody in the matrix sees Oliver
    pairs = [
        (f"/people/{oliver.pk}/", "/people/999999/"),
        (f"/people/{oliver.pk}/chronology/", "/people/999999/chronology/"),
        (f"/people/{oliver.pk}/chronology/?family=1", "/people/999999/chronology/?family=1"),
        (f"/people/{oliver.pk}/who-knew-what/", "/people/999999/who-knew-what/"),
        (f"/alerts/{alert.pk}/", "/alerts/999999/"),
        (f"/api/people/{oliver.public_id}", "/api/people/p-999999"),
        (f"/api/people/{oliver.public_id}/chronology", "/api/people/p-999999/chronology"),
        (f"/api/people/{oliver.public_id}/who-knew-what", "/api/people/p-999999/who-knew-what"),
        (f"/api/persons/{oliver.public_id}/links", "/api/persons/p-999999/links"),
        (f"/api/alerts/{alert.pk}", "/api/alerts/999999"),
    ]
    for forbidden, missing in pairs:
        a, b = client.get(forbidden), client.get(missing)
        assert (a.status_code, a.content) == (b.status_code, b.content) == (404, b.content), (
            role, forbidden,
        )  # fmt: skip
    found = client.get("/api/people", {"name": "Oliver Smyth"}).json()
    assert found == []


def test_the_agency_that_recorded_an_entry_always_reads_it(world, signed_in):
    User.objects.create_user("clinic-manager", role="team_manager", agency_code="sh-clinic")
    events = (
        signed_in("clinic-manager")
        .get(f"/api/people/{world.kerry.public_id}/chronology")
        .json()["events"]
    )
    assert {e["id"]: e["summary"] for e in events}["SH-1"] == ENTRIES["sexual_health"][2]
