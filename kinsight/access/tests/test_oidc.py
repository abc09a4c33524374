"""OpenID Connect sign-in matches a claim to one existing user and never creates one."""

from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client

from kinsight.access.models import User
from kinsight.access.oidc import ExistingUserOIDCBackend
from kinsight.audit.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.urls("kinsight.access.tests.oidc_urls")]

BACKEND = "kinsight.access.oidc.ExistingUserOIDCBackend"


@pytest.fixture(autouse=True)
def provider(settings, monkeypatch):
    settings.KINSIGHT_OIDC = True
    settings.OIDC_RP_CLIENT_ID = "kinsight"
    settings.OIDC_RP_CLIENT_SECRET = "s3cret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://idp.example/jwks"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    claims = {"sub": "abc", "email": "Sam.Jones@Lancashire.example"}
    # The provider's answers: no request leaves the machine.
    monkeypatch.setattr(ExistingUserOIDCBackend, "get_token", lambda self, payload: {
        "id_token": "id", "access_token": "access"})  # fmt: skip
    monkeypatch.setattr(ExistingUserOIDCBackend, "verify_token", lambda self, token, **kw: claims)
    monkeypatch.setattr(ExistingUserOIDCBackend, "get_userinfo", lambda self, a, i, p: claims)
    return claims


def sign_in_through_provider(client: Client) -> str:
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start["Location"].startswith("https://idp.example/")
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    back = client.get("/oidc/callback/", {"code": "c0de", "state": query["state"][0]})
    return back["Location"]


def sam(email: str = "sam.jones@lancashire.example") -> User:
    return User.objects.create_user("sam", email=email, role="social_worker",
                                    agency_code="csc-lancs")  # fmt: skip


def test_the_sign_in_page_offers_the_provider():
    html = Client().get("/sign-in/").content.decode()
    assert "Sign in with your organisation&#x27;s account" in html
    assert 'href="/oidc/authenticate/' in html


def test_a_claim_signs_in_the_one_user_it_names_and_keeps_their_role(provider):
    user = sam()
    client = Client()
    assert sign_in_through_provider(client) == "/"
    assert client.get("/").status_code == 200
    user.refresh_from_db()
    assert user.role == "social_worker" and user.first_name == ""
    entry = AuditEntry.objects.get(action="sign_in")
    assert entry.detail["by"] == "oidc"


def test_nobody_is_created_for_a_claim_that_names_no_user():
    client = Client()
    assert sign_in_through_provider(client) == "/sign-in/?oidc=failed"
    assert not User.objects.exists()
    assert client.get("/")["Location"].startswith("/sign-in/")
    html = client.get("/sign-in/?oidc=failed").content.decode()
    assert "not linked to a Kinsight user" in html


def test_a_claim_shared_by_two_users_signs_in_neither():
    sam()
    User.objects.create_user("sam2", email="SAM.JONES@lancashire.example", role="police")
    assert sign_in_through_provider(Client()) == "/sign-in/?oidc=failed"


def test_an_inactive_user_cannot_sign_in(provider):
    user = sam()
    user.is_active = False
    user.save()
    assert sign_in_through_provider(Client()) == "/sign-in/?oidc=failed"


def test_the_username_can_be_the_claim_instead(provider, settings):
    settings.KINSIGHT_OIDC_CLAIM = "preferred_username"
    settings.KINSIGHT_OIDC_USER_FIELD = "username"
    provider["preferred_username"] = "sam"
    sam(email="")
    assert sign_in_through_provider(Client()) == "/"


def test_the_providers_sign_in_still_asks_for_a_code_unless_it_is_trusted_for_it(settings):
    settings.KINSIGHT_TWO_FACTOR = True
    sam()
    client = Client()
    sign_in_through_provider(client)
    assert client.get("/")["Location"].startswith("/sign-in/two-factor/set-up/")
    settings.KINSIGHT_OIDC_MFA = True
    trusted = Client()
    sign_in_through_provider(trusted)
    assert trusted.get("/").status_code == 200
