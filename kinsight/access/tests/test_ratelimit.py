"""Rate limits: sign-in attempts per address and API requests per caller, answered 429."""

import pytest
from django.core.cache import cache
from django.test import Client

from kinsight.access.ratelimit import client_address
from kinsight.connect.actions import do_add_api_token
from kinsight.web.tests.cast import make_user


@pytest.fixture(autouse=True)
def fresh_counts():
    cache.clear()
    yield
    cache.clear()


def test_too_many_sign_in_attempts_from_one_address_are_refused(db, settings):
    settings.KINSIGHT_RATE_SIGN_IN = 3
    client = Client(REMOTE_ADDR="10.0.0.7")
    codes = [
        client.post("/sign-in/", {"username": f"u{i}", "password": "x"}).status_code
        for i in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    refused = client.post("/sign-in/", {"username": "u9", "password": "x"})
    assert 0 < int(refused["Retry-After"]) <= 60
    assert "Too many attempts" in refused.content.decode()
    # Another address is counted apart; reading the page is never limited.
    assert Client(REMOTE_ADDR="10.0.0.8").post("/sign-in/", {"username": "u"}).status_code == 200
    assert client.get("/sign-in/").status_code == 200


def test_api_requests_are_counted_per_token(db, settings):
    settings.KINSIGHT_RATE_API = 2
    first = do_add_api_token("csc-lancs", acting="test")[1]
    second = do_add_api_token("nhs-east", acting="test")[1]
    client = Client()

    def post_with(token: str) -> int:
        return client.post(
            "/api/feeds", data="", content_type="application/x-ndjson",
            headers={"authorization": f"Bearer {token}"},
        ).status_code  # fmt: skip

    assert [post_with(first) for _ in range(3)] == [200, 200, 429]
    assert post_with(second) == 200


def test_api_requests_are_counted_per_user(db, settings):
    settings.KINSIGHT_RATE_API = 2
    sam = Client()
    sam.force_login(make_user("sam"))
    assert [sam.get("/api/alerts").status_code for _ in range(3)] == [200, 200, 429]
    assert sam.get("/api/alerts").json()["detail"].startswith("too many requests")
    assert Client().get("/api/health").status_code == 200


def test_behind_a_proxy_the_client_is_read_from_the_forwarded_header(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_address(request) == "10.9.9.9"
    settings.KINSIGHT_PROXY_COUNT = 1
    # The left-most entry is whatever the client claimed; the proxy appended the real one.
    assert client_address(request) == "198.51.100.4"
