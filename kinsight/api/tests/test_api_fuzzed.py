"""Schemathesis generates requests from the OpenAPI document against every operation: whatever it
sends, signed in or not, the API answers without a server error (issue 7, on a bounded budget)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from kinsight.wsgi import application

# Feeds arrive as JSON Lines: random objects, one a line, or random bytes.
_objects = st.dictionaries(
    st.sampled_from(["kind", "agency", "id", "type", "occurred_at", "subjects", "x"]),
    st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.text(max_size=5))),
)
schemathesis.openapi.media_type(
    "application/x-ndjson",
    st.one_of(
        st.lists(_objects, max_size=5).map(
            lambda objs: "".join(json.dumps(o) + "\n" for o in objs).encode()
        ),
        st.binary(max_size=200),
    ),
)
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
BUDGET = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def signed_in(django_user_model, client):
    user = django_user_model.objects.create_user("fuzz-admin", password="x" * 12, role="admin")
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@BUDGET
def test_no_request_makes_a_server_error_when_signed_out(case):
    case.call_and_validate(checks=[not_a_server_error])


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@BUDGET
def test_no_request_makes_a_server_error_when_signed_in_as_an_administrator(case, signed_in):
    case.call_and_validate(checks=[not_a_server_error], cookies=signed_in)
