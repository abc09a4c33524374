"""The household a rule sees: who is connected to the child, how, and since when."""

from datetime import datetime

import pytest

from kinsight.feeds.actions import do_ingest_feeds
from kinsight.lib.moments import UK
from kinsight.rules.context import child_contexts
from kinsight.testing import AGENCIES, event, person, write_feed

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 1, 1, tzinfo=UK)
HOME = {"text": "7 Larkhill Close, Lancashire", "postcode": "BB5 9QX"}


def rel(person_ref, relative, type_, **fields):
    return {"kind": "relationship", "agency": "csc-lancs", "person": person_ref,
            "relative": relative, "type": type_, **fields}  # fmt: skip


FAMILY = [
    person("csc-lancs", "C-1", given_name="Chloe", birth_date="2018-05-09", nhs_number="9434765919",
           address=HOME, recorded_at="2018-05-10T11:00:00"),
    person("csc-lancs", "M-1", given_name="Kayleigh", sex="female", birth_date="1991-08-23",
           recorded_at="2018-05-10T11:00:00"),
    person("csc-lancs", "F-1", given_name="Jason", sex="male", birth_date="1986",
           recorded_at="2018-05-10T11:00:00"),
    person("csc-lancs", "K-1", given_name="Kai", birth_date="2010-03-14",
           recorded_at="2019-11-08T22:45:00"),
    person("csc-lancs", "P-1", given_name="Dean", sex="male", birth_date="1990-01-01",
           recorded_at="2018-06-01T09:00:00"),
    rel("C-1", "M-1", "mother", recorded_at="2018-05-10T11:00:00"),
    rel("C-1", "F-1", "father", recorded_at="2018-05-10T11:00:00"),
    rel("K-1", "F-1", "father", recorded_at="2019-11-08T22:45:00"),
    rel("M-1", "P-1", "partner", recorded_at="2018-06-01T09:00:00"),
    person("lancs-police", "X-1", given_name="Lodger", sex="male", birth_date="1980-01-01",
           address={"text": "7 LARKHILL CLOSE.", "postcode": "bb59qx"},
           recorded_at="2018-07-01T10:00:00"),
]  # fmt: skip


def contexts(tmp_path, lines):
    do_ingest_feeds([write_feed(tmp_path / "feed.jsonl", [*AGENCIES, *lines])], acting="test")
    return {c.records[0][1]: c for c in child_contexts(NOW)}


def relations(child, moment):
    moment = datetime.fromisoformat(moment).replace(tzinfo=UK)
    return {m.records[0][1]: m.relations_at(moment) for m in child.household if m.links_at(moment)}


def test_parents_a_parents_partner_a_half_sibling_and_an_address_mate_are_connected(tmp_path):
    chloe = contexts(tmp_path, FAMILY)["C-1"]

    assert relations(chloe, "2020-01-01T00:00:00") == {
        "M-1": {"mother"}, "F-1": {"father"}, "P-1": {"partner_of_parent"},
        "K-1": {"half_sibling"}, "X-1": {"at_address"},
    }  # fmt: skip


def test_a_connection_is_not_used_before_it_was_recorded(tmp_path):
    chloe = contexts(tmp_path, FAMILY)["C-1"]

    assert relations(chloe, "2018-05-20T00:00:00") == {"M-1": {"mother"}, "F-1": {"father"}}
    [kai] = [m for m in chloe.household if m.records == [("csc-lancs", "K-1")]]
    assert kai.known_at == datetime(2019, 11, 8, 22, 45, tzinfo=UK)


def test_a_household_change_adds_and_then_ends_a_member(tmp_path):
    joined = event("csc-lancs", "HC-1", "household_change", "2019-01-05", ("Z-1", "subject"),
                   ("C-1", "child"), recorded_at="2019-01-07T10:00:00",
                   details={"change": "joined"})  # fmt: skip
    left = event("csc-lancs", "HC-2", "household_change", "2019-03-01", ("Z-1", "subject"),
                 ("M-1", "parent"), recorded_at="2019-03-02T10:00:00",
                 details={"change": "left"})  # fmt: skip
    zed = person("csc-lancs", "Z-1", given_name="Zed", sex="male", birth_date="1985-01-01",
                 recorded_at="2019-01-07T10:00:00")  # fmt: skip
    chloe = contexts(tmp_path, [*FAMILY, zed, joined, left])["C-1"]

    assert "Z-1" not in relations(chloe, "2019-01-06T00:00:00")
    assert relations(chloe, "2019-01-08T00:00:00")["Z-1"] == {"household_member"}
    assert "Z-1" not in relations(chloe, "2019-03-03T00:00:00")


def test_facts_about_household_members_carry_their_role(tmp_path):
    incident = event("lancs-police", "DA-1", "domestic_abuse_incident", "2018-09-15T23:40:00",
                     ("X-1", "alleged_perpetrator"), recorded_at="2018-09-16T02:15:00")  # fmt: skip
    chloe = contexts(tmp_path, [*FAMILY, incident])["C-1"]

    [fact] = chloe.household_facts
    assert (fact.key, fact.role) == (("lancs-police", "DA-1"), "alleged_perpetrator")
    assert chloe.member(fact.person or 0) is not None
    assert chloe.household_facts_at(datetime(2018, 9, 16, 3, tzinfo=UK)) == [fact]
    assert chloe.household_facts_at(datetime(2018, 9, 16, 2, tzinfo=UK)) == []


def test_the_contexts_of_the_persons_an_ingest_touched_include_their_connected_children(tmp_path):
    contexts(tmp_path, FAMILY)
    from kinsight.people.models import PersonRecord

    father = PersonRecord.objects.get(record_id="F-1").person_id
    built = {c.records[0][1]: c for c in child_contexts(NOW, person_ids=[father])}

    assert {"C-1", "K-1"} <= set(built)
    assert relations(built["C-1"], "2020-01-01T00:00:00")["P-1"] == {"partner_of_parent"}


def test_a_child_who_moves_in_with_an_adult_joins_that_household(tmp_path):
    gran = person("csc-lancs", "G-1", given_name="Gran", sex="female", birth_date="1960-01-01",
                  recorded_at="2019-01-07T10:00:00")  # fmt: skip
    moved = event("csc-lancs", "HC-1", "household_change", "2019-01-05", ("C-1", "subject"),
                  ("G-1", "carer"), recorded_at="2019-01-07T10:00:00",
                  details={"change": "joined"})  # fmt: skip
    chloe = contexts(tmp_path, [*FAMILY, gran, moved])["C-1"]

    assert relations(chloe, "2019-01-08T00:00:00")["G-1"] == {"household_member"}


def test_an_address_shared_by_too_many_people_is_not_a_household(tmp_path):
    from kinsight.rules.household import ADDRESS_LIMIT

    hostel = {"text": "1 Station Road", "postcode": "BB1 1AA"}
    lines = [
        person("csc-lancs", f"R-{i}", given_name="Resident", birth_date="1980-01-01",
               address=hostel)
        for i in range(ADDRESS_LIMIT + 1)
    ]  # fmt: skip
    child = person("csc-lancs", "C-9", given_name="Ben", birth_date="2015-01-01", address=hostel)
    ben = contexts(tmp_path, [*lines, child])["C-9"]

    assert ben.household == []


def test_an_address_counts_from_the_first_version_that_recorded_it(tmp_path):
    unborn = person("lancs-police", "U-1", unborn=True, expected_birth_date="2019-09-14",
                    address=HOME, recorded_at="2019-03-01T10:00:00")  # fmt: skip
    born = {**unborn, "unborn": False, "birth_date": "2019-08-10",
            "recorded_at": "2019-08-10T10:00:00"}  # fmt: skip
    baby = contexts(tmp_path, [*FAMILY, unborn, born])["U-1"]

    assert relations(baby, "2019-03-02T00:00:00")["C-1"] == {"at_address"}


def test_someone_recorded_at_another_address_later_is_no_longer_at_the_childs(tmp_path):
    lodger = FAMILY[-1]
    moved = {**lodger, "address": {"text": "3 Other Road", "postcode": "BB1 1AA"},
             "recorded_at": "2019-01-01T10:00:00"}  # fmt: skip
    chloe = contexts(tmp_path, [*FAMILY, moved])["C-1"]

    assert relations(chloe, "2018-12-01T00:00:00")["X-1"] == {"at_address"}
    assert "X-1" not in relations(chloe, "2019-01-02T00:00:00")
