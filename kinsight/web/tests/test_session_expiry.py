"""A sign-in ends after KINSIGHT_SESSION_SECONDS, and when the browser closes."""

import time_machine
from django.conf import settings

from kinsight.web.tests.cast import PASSWORD, make_user


def test_the_session_cookie_is_not_kept_after_the_browser_closes(db, client):
    make_user("sam")
    client.post("/sign-in/", {"username": "sam", "password": PASSWORD})
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_a_sign_in_expires_after_the_configured_time(db, client):
    make_user("sam")
    with time_machine.travel("2026-01-05 09:00", tick=False):
        client.post("/sign-in/", {"username": "sam", "password": PASSWORD})
        assert client.get("/").status_code == 200
    with time_machine.travel("2026-01-05 16:59", tick=False):
        assert client.get("/").status_code == 200
    with time_machine.travel("2026-01-05 17:01", tick=False):
        assert client.get("/")["Location"] == "/sign-in/?next=/"
