"""Security headers, a strict Content Security Policy, and CSRF on every form."""

import re
from pathlib import Path

import pytest
from django.test import Client

from kinsight.web.tests.cast import PASSWORD

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def csp_of(answer) -> dict[str, str]:
    policy = answer["Content-Security-Policy"]
    return {d.split()[0]: d.partition(" ")[2] for d in (p.strip() for p in policy.split(";")) if d}


def test_every_page_carries_a_strict_policy_and_the_security_headers(cast, signed_in):
    sam = signed_in("sam")
    for url in ["/sign-in/", "/", f"/people/{cast.chloe.pk}/", "/alerts/", "/api/health"]:
        answer = (Client() if url == "/sign-in/" else sam).get(url)
        policy = csp_of(answer)
        assert policy["default-src"] == "'none'"
        assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
        assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
        assert "unsafe" not in answer["Content-Security-Policy"]
        assert answer["X-Frame-Options"] == "DENY"
        assert answer["X-Content-Type-Options"] == "nosniff"
        assert answer["Referrer-Policy"] == "same-origin"


def test_no_template_holds_inline_script_or_style():
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), template
        assert "<style" not in text and " style=" not in text, template
        assert not re.search(r"\son[a-z]+=", text), template


def test_every_post_form_carries_a_csrf_token():
    forms = 0
    for template in TEMPLATES.rglob("*.html"):
        for form in re.findall(r"<form[^>]*>.*?</form>", template.read_text(), re.S):
            if 'method="post"' in form:
                forms += 1
                assert "{% csrf_token %}" in form, template
    assert forms >= 7


def test_every_form_post_without_its_token_is_refused(cast):
    from kinsight.web.tests.cast import make_user

    sam = make_user("sam")
    alert = cast.chloe_alert.pk
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post("/sign-in/", {"username": "sam", "password": PASSWORD}).status_code == 403
    signed = Client(enforce_csrf_checks=True)
    signed.force_login(sam)
    for url, data in [
        ("/sign-out/", {}),
        (f"/alerts/{alert}/acknowledge/", {"note": "seen"}),
        (f"/alerts/{alert}/action/", {"note": "rang"}),
        (f"/alerts/{alert}/close/", {"reason": "done"}),
        ("/sign-in/two-factor/", {"code": "123456"}),
        ("/sign-in/two-factor/set-up/", {"code": "123456"}),
    ]:
        assert signed.post(url, data).status_code == 403, url
    # The API's signed-in writes need the token too (the browser holds the session cookie).
    answer = signed.post(f"/api/alerts/{alert}/acknowledge", {}, "application/json")
    assert answer.status_code == 403


def test_the_api_docs_are_served_from_kinsight_itself(cast, signed_in):
    html = signed_in("sam").get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
