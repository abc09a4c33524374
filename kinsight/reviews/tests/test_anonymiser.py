"""The anonymiser on free text: what it knows first, then the patterns for what it does not."""

from __future__ import annotations

from datetime import UTC, datetime

from kinsight.reviews.anonymise import Anonymiser, PersonNames


def anonymiser() -> Anonymiser:
    anon = Anonymiser()
    anon.add_person(
        PersonNames(
            "Mother",
            given_names=["Elizabeth", "Kayleigh"],
            family_names=["Ashworth"],
            other_names=["Kayleigh Dobson"],
            record_ids=["CS-118204"],
            nhs_numbers=["9994312073"],
            postcodes=["BB5 9QX"],
            addresses=["7 Larkhill Close, Lancashire"],
            birth_dates=["1991-08-23"],
        )
    )
    anon.add_person(PersonNames("Child A", given_names=["Chloe"], family_names=["Ashworth"]))
    anon.add_person(PersonNames("Father", given_names=["William"], family_names=["Young"]))
    anon.add_person(PersonNames(None, given_names=["Kayley"], family_names=["Smith"]), strength=1)
    return anon


def test_a_known_person_is_replaced_by_their_pseudonym_in_every_spelling_and_nickname():
    text = anonymiser().text("Kayleigh Ashworth, Kayleigh Dobson and Liz Ashworth; Beth's baby")
    assert text == "[Mother], [Mother] and [Mother]; [Mother]'s baby"


def test_a_given_name_alone_and_a_family_name_alone_are_replaced():
    text = anonymiser().text("Chloe seen. Ashworth family at home.")
    assert text == "[Child A] seen. [surname] family at home."


def test_a_name_the_pack_cannot_place_becomes_a_generic_name():
    assert anonymiser().text("Kayley Smith rang.") == "[name] rang."


def test_a_name_that_is_also_a_word_is_replaced_only_with_its_capital():
    text = anonymiser().text("Will said he will call. A young child. Young was drunk.")
    assert text == "[Father] said he will call. A young child. [surname] was drunk."


def test_addresses_postcodes_nhs_numbers_and_phone_numbers_are_removed():
    text = anonymiser().text(
        "Lives at 7 Larkhill Close, bb5 9qx; NHS 999 431 2073, also 9994312073; "
        "moved to 12 Mill Lane (BB11 2AB), mobile 07700 900123."
    )
    assert text == (
        "Lives at [address], [postcode]; NHS [NHS number], also [NHS number]; "
        "moved to [address] ([postcode]), mobile [phone number]."
    )


def test_every_date_in_text_keeps_its_month_and_year_only():
    text = anonymiser().text(
        "Born 09/05/18, seen 2019-11-08T18:50, EDD 14/09/2017. Review 3rd March 2020, "
        "visit on 12 June, call March 4th, plan from 24/05."
    )
    assert text == (
        "Born May 2018, seen November 2019, EDD September 2017. Review March 2020, "
        "visit on June, call March, plan from May."
    )


def test_a_name_after_a_title_is_removed_even_when_nobody_recorded_it():
    assert anonymiser().text("Seen by Dr Patel and PC Hargreaves.") == (
        "Seen by Dr [name] and PC [name]."
    )


def test_placeholder_names_are_never_taken_for_names():
    anon = Anonymiser()
    anon.add_person(PersonNames("Child B", given_names=["Child B"], other_names=["Unborn twin 1"]))
    assert anon.text("The child and the unborn twin were seen.") == (
        "The child and the unborn twin were seen."
    )


def test_moments_and_days_are_shown_as_month_and_year():
    anon = anonymiser()
    assert anon.moment(datetime(2019, 11, 30, 23, 30, tzinfo=UTC)) == "November 2019"
    assert anon.moment(datetime(2019, 11, 30, 23, 30, tzinfo=UTC).replace(month=10, day=31)) == (
        "October 2019"
    )


def test_agencies_are_named_by_their_sector_and_staff_by_a_number():
    anon = anonymiser()
    anon.add_agencies(
        [("gp-x", "Millbrook Surgery", "health"), ("nhs-y", "Royal Infirmary", "health"),
         ("police-z", "Lancashire Constabulary", "police")]
    )  # fmt: skip
    assert [anon.agency(c) for c in ("gp-x", "nhs-y", "police-z")] == [
        "Health service A", "Health service B", "Police",
    ]  # fmt: skip
    assert anon.text("Told Millbrook Surgery and police-z.") == (
        "Told Health service A and Police."
    )
    assert anon.staff("sw.jones") == "Practitioner 1"
    assert anon.staff("tm.smith") == "Practitioner 2"
    assert anon.staff("sw.jones") == "Practitioner 1"


def test_event_references_are_numbered_and_replaced_in_text():
    anon = anonymiser()
    assert anon.ref("lancs-police", "LC-20180915-1187") == "E1"
    assert anon.text("See LC-20180915-1187 and CS-118204.") == "See E1 and [Mother]."


def test_the_key_lists_every_replacement_with_what_it_replaced():
    anon = anonymiser()
    anon.text("Kayleigh Ashworth at BB5 9QX on 09/05/18.")
    key = anon.key()
    found = {(r["found"], r["replaced_with"]) for r in key["replacements"]}
    assert {("Kayleigh Ashworth", "[Mother]"), ("BB5 9QX", "[postcode]"),
            ("09/05/18", "May 2018")} <= found  # fmt: skip
    mother = next(p for p in key["people"] if p["pseudonym"] == "Mother")
    assert "Kayleigh Dobson" in mother["names"]
