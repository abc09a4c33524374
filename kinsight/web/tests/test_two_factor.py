"""Two-factor sign-in: a password alone opens nothing until a TOTP code from the user's app."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinsight.audit.models import AuditEntry
from kinsight.web.tests.cast import PASSWORD, make_user

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(autouse=True)
def two_factor_on(settings):
    settings.KINSIGHT_TWO_FACTOR = True


def sign_in_with_password(client: Client, name: str = "sam") -> None:
    answer = client.post("/sign-in/", {"username": name, "password": PASSWORD})
    assert answer.status_code == 302


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def test_a_password_alone_sends_a_new_user_to_set_up_an_app(db):
    make_user("sam")
    client = Client()
    sign_in_with_password(client)
    answer = client.get("/alerts/")
    assert answer.status_code == 302
    assert answer["Location"] == "/sign-in/two-factor/set-up/?next=%2Falerts%2F"
    page = client.get(answer["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    # The secret as text and as an SVG QR code drawn here: no script, no image from elsewhere.
    assert re.search(r'id="secret">([A-Z2-7]{4} ){7}[A-Z2-7]{4}<', text)
    assert '<svg role="img"' in text
    assert "<script>" not in text.split("</footer>")[0]


def test_setting_up_with_the_right_code_signs_in_and_is_audited(db):
    sam = make_user("sam")
    client = Client()
    sign_in_with_password(client)
    client.get("/sign-in/two-factor/set-up/")
    device = TOTPDevice.objects.get(user=sam)
    wrong = client.post("/sign-in/two-factor/set-up/", {"code": "000000", "next": "/alerts/"})
    assert wrong.status_code == 400
    assert "The code is not right" in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    right = client.post(
        "/sign-in/two-factor/set-up/", {"code": code_of(device), "next": "/alerts/"}
    )
    assert right.status_code == 302 and right["Location"] == "/alerts/"
    assert client.get("/alerts/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="set_up_two_factor", object_id="sam").exists()


def test_a_user_with_an_app_gives_a_code_after_the_password(db):
    sam = make_user("sam")
    device = TOTPDevice.objects.create(user=sam, name="app", confirmed=True)
    client = Client()
    sign_in_with_password(client)
    answer = client.get("/")
    assert answer["Location"] == "/sign-in/two-factor/?next=%2F"
    # Someone who knows the password cannot swap in their own app.
    assert client.get("/sign-in/two-factor/set-up/")["Location"] == "/sign-in/two-factor/"
    assert client.post("/sign-in/two-factor/", {"code": "12345"}).status_code == 400
    done = client.post("/sign-in/two-factor/", {"code": code_of(device), "next": "/"})
    assert done.status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_may_not_send_the_user_to_another_site(db):
    sam = make_user("sam")
    device = TOTPDevice.objects.create(user=sam, name="app", confirmed=True)
    client = Client()
    sign_in_with_password(client)
    done = client.post(
        "/sign-in/two-factor/", {"code": code_of(device), "next": "https://evil.example/"}
    )
    assert done["Location"] == "/"


def test_a_code_cannot_be_used_twice(db):
    sam = make_user("sam")
    device = TOTPDevice.objects.create(user=sam, name="app", confirmed=True)
    first, second = Client(), Client()
    with time_machine.travel("2026-01-05 10:00:05", tick=False):
        code = code_of(device)
        sign_in_with_password(first)
        assert first.post("/sign-in/two-factor/", {"code": code}).status_code == 302
        sign_in_with_password(second)
        assert second.post("/sign-in/two-factor/", {"code": code}).status_code == 400


def test_the_api_answers_401_until_the_code_is_given(db):
    make_user("sam")
    client = Client()
    sign_in_with_password(client)
    answer = client.get("/api/alerts")
    assert answer.status_code == 401
    assert answer.json() == {"detail": "two-factor sign-in needed"}


def test_signing_out_needs_no_code(db):
    make_user("sam")
    client = Client()
    sign_in_with_password(client)
    assert client.post("/sign-out/").status_code == 302
    assert client.get("/")["Location"].startswith("/sign-in/")


@pytest.mark.parametrize(("env", "required"), [("production", True), ("demo", False)])
def test_it_is_required_in_production_and_not_in_the_demo(env, required):
    code = "from kinsight import settings; print(settings.KINSIGHT_TWO_FACTOR)"
    shown = subprocess.run(
        [sys.executable, "-c", code],
        env={"KINSIGHT_ENV": env, "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert shown.stdout.strip() == str(required)
