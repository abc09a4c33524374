"""Need-to-know through allocations: a child allocated to a user, or to a team they are in."""

import pytest

from kinsight.access.actions import (
    do_add_team,
    do_allocate_child,
    do_end_allocation,
    do_join_team,
    do_leave_team,
)
from kinsight.access.checks import visible_among
from kinsight.access.models import Allocation
from kinsight.audit.models import AuditEntry
from kinsight.web.tests.cast import build_cast, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(tmp_path):
    return build_cast(tmp_path)


def everyone(cast):
    return [cast.chloe.pk, cast.kerry.pk, cast.ava.pk, cast.other_chloe.pk, cast.oliver.pk]


def test_a_lead_professional_sees_the_allocated_child_and_the_family_as_far_as_the_rule_reaches(
    cast,
):
    olly = make_user("olly")  # an agency that holds nobody
    assert visible_among(olly, everyone(cast)) == set()
    do_allocate_child(cast.chloe, lead=olly, acting="test")
    assert visible_among(olly, everyone(cast)) == {cast.chloe.pk, cast.kerry.pk, cast.ava.pk}


def test_the_members_of_an_allocated_team_see_the_child_and_leaving_the_team_ends_it(cast):
    olly = make_user("olly")
    team = do_add_team("Elsewhere CAIT", agency_code="elsewhere-police", acting="test")
    do_join_team(team, olly, acting="test")
    do_allocate_child(cast.oliver, team=team, acting="test")
    assert visible_among(olly, everyone(cast)) == {cast.oliver.pk}
    do_leave_team(team, olly, acting="test")
    assert visible_among(olly, everyone(cast)) == set()


def test_an_ended_allocation_no_longer_shows_the_child(cast):
    olly = make_user("olly")
    allocation = do_allocate_child(cast.oliver, lead=olly, acting="test")
    do_end_allocation(allocation, acting="test", reason="Case closed")
    assert visible_among(olly, [cast.oliver.pk]) == set()
    assert AuditEntry.objects.get(action="end_allocation").reason == "Case closed"


def test_allocating_again_ends_the_allocation_before_and_both_are_audited(cast):
    olly, pat = make_user("olly"), make_user("pat")
    first = do_allocate_child(cast.oliver, lead=olly, acting="test")
    do_allocate_child(cast.oliver, lead=pat, acting="test")
    first.refresh_from_db()
    assert first.ended_at is not None
    assert Allocation.objects.filter(child=cast.oliver, ended_at__isnull=True).get().lead == pat
    assert visible_among(olly, [cast.oliver.pk]) == set()
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-3:] == ["allocate_child", "end_allocation", "allocate_child"]


def test_an_allocation_follows_a_child_merged_into_another_person(cast):
    from kinsight.people.models import Person

    olly = make_user("olly")
    ghost = Person.objects.create()
    do_allocate_child(ghost, lead=olly, acting="test")
    Person.objects.filter(pk=ghost.pk).update(merged_into=cast.oliver)
    assert visible_among(olly, [cast.oliver.pk]) == {cast.oliver.pk}


def test_only_a_practitioner_may_be_a_lead_professional_and_a_team_keeps_to_its_agency(cast):
    with pytest.raises(ValueError, match="not a practitioner"):
        do_allocate_child(cast.chloe, lead=make_user("rita"), acting="test")
    with pytest.raises(ValueError, match="lead professional, a team or both"):
        do_allocate_child(cast.chloe, acting="test")
    team = do_add_team("Burnley", agency_code="csc-lancs", acting="test")
    with pytest.raises(ValueError, match="belongs to lancs-police"):
        do_join_team(team, make_user("pat"), acting="test")


def test_an_administrator_and_an_auditor_see_nobody_even_with_an_agency(cast):
    from kinsight.access.models import User

    for role in ("admin", "auditor"):
        user = User.objects.create_user(f"x-{role}", role=role, agency_code="csc-lancs")
        assert visible_among(user, everyone(cast)) == set()
