"""The access checks: need-to-know, the 404 rule, and the audit of every read."""

import pytest
from django.http import Http404

from kinsight.access.checks import alert_for, person_for, visible_among
from kinsight.audit.models import AuditEntry
from kinsight.web.tests.cast import build_cast, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(tmp_path):
    return build_cast(tmp_path)


def visible(name, cast):
    everyone = {
        "chloe": cast.chloe, "kerry": cast.kerry, "ava": cast.ava,
        "other_chloe": cast.other_chloe, "oliver": cast.oliver,
    }  # fmt: skip
    seen = visible_among(make_user(name), [p.pk for p in everyone.values()])
    return {key for key, p in everyone.items() if p.pk in seen}


def test_a_social_worker_sees_the_people_their_agency_holds(cast):
    assert visible("sam", cast) == {"chloe", "kerry", "ava"}


def test_the_police_see_a_child_through_their_record_of_the_mother(cast):
    assert visible("pat", cast) == {"chloe", "kerry", "ava"}


def test_a_school_sees_its_own_pupil_and_nothing_of_the_family_next_door(cast):
    assert visible("nina", cast) == {"oliver"}


def test_an_agency_that_holds_nobody_sees_nobody(cast):
    assert visible("olly", cast) == set()


def test_a_reviewer_sees_the_child_of_their_open_review_and_its_family(cast):
    assert visible("rita", cast) == {"chloe", "kerry", "ava"}


def test_a_reviewer_whose_review_is_closed_sees_nobody(cast):
    from kinsight.reviews.models import CommissionedReview

    rita = make_user("rita")
    CommissionedReview.objects.filter(reviewer=rita).update(closed_at="2024-01-01T00:00:00Z")
    assert visible_among(rita, [cast.chloe.pk, cast.kerry.pk]) == set()


def test_administrators_and_auditors_see_nobody(cast):
    assert visible("ada", cast) == visible("aud", cast) == set()


def test_a_user_without_an_agency_sees_nobody(cast):
    from kinsight.access.models import User

    user = User.objects.create_user("lone", role="social_worker", agency_code="")
    assert visible_among(user, [cast.chloe.pk]) == set()


def test_visibility_of_many_people_costs_at_most_five_queries(cast, django_assert_max_num_queries):
    user = make_user("pat")
    ids = [cast.chloe.pk, cast.kerry.pk, cast.ava.pk, cast.oliver.pk, cast.other_chloe.pk]
    with django_assert_max_num_queries(5):
        visible_among(user, ids)


def test_person_for_answers_a_forbidden_person_as_if_missing(cast):
    nina = make_user("nina")
    with pytest.raises(Http404) as forbidden:
        person_for(nina, cast.chloe.pk, read="person")
    with pytest.raises(Http404) as missing:
        person_for(nina, 999999, read="person")
    assert str(forbidden.value) == str(missing.value)


def test_person_for_accepts_the_public_id(cast):
    assert person_for(make_user("sam"), cast.chloe.public_id, read="person") == cast.chloe


def test_every_read_and_every_refusal_is_audited(cast):
    sam = make_user("sam")
    person_for(sam, cast.chloe.pk, read="chronology")
    with pytest.raises(Http404):
        person_for(sam, cast.oliver.pk, read="person")
    reads = AuditEntry.objects.filter(actor="sam").order_by("id")
    assert [(e.action, e.object_id, e.detail.get("refused", False)) for e in reads] == [
        ("read_chronology", cast.chloe.public_id, False),
        ("read_person", str(cast.oliver.pk), True),
    ]


def test_alert_for_follows_the_childs_visibility(cast):
    sam = make_user("sam")
    assert alert_for(sam, cast.chloe_alert.pk) == cast.chloe_alert
    with pytest.raises(Http404):
        alert_for(sam, cast.oliver_alert.pk)
    with pytest.raises(Http404):
        alert_for(sam, "not-a-number")
    assert AuditEntry.objects.filter(actor="sam", action="read_alert").count() == 3


def test_a_merged_person_is_answered_with_the_one_they_joined(cast):
    from kinsight.people.models import Person

    ghost = Person.objects.create(merged_into=cast.chloe)
    assert person_for(make_user("sam"), ghost.pk, read="person") == cast.chloe


def test_many_thousands_of_people_are_checked_in_chunks(cast):
    many = [cast.chloe.pk, *range(10_000_000, 10_012_000)]
    assert visible_among(make_user("sam"), many) == {cast.chloe.pk}


def test_audited_text_loses_nuls_and_lone_surrogates():
    from kinsight.access.checks import clean_text

    assert clean_text("a\x00b\ud800c") == "ab?c"
