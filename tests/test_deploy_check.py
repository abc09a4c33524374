"""`python manage.py check --deploy` is clean with production settings."""

import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_deployment_checklist_is_clean_in_production(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "KINSIGHT_ENV": "production",
        "KINSIGHT_SECRET_KEY": secrets.token_urlsafe(50),
        "KINSIGHT_ALLOWED_HOSTS": "kinsight.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path}/check.sqlite3",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_production_sends_hsts_and_secure_cookies():
    code = (
        "from kinsight import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.KINSIGHT_TWO_FACTOR)"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "KINSIGHT_ENV": "production"}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        check=True,
    )  # fmt: skip
    assert done.stdout.split() == ["31536000", "True", "True", "True", "True"]


def test_a_half_configured_identity_provider_is_refused_by_name():
    env = {
        "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "KINSIGHT_ENV": "test",
        "KINSIGHT_OIDC_CLIENT_ID": "kinsight",
        "KINSIGHT_OIDC_AUTHORIZATION_URL": "https://idp.example/authorize",
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", "import kinsight.settings"], cwd=ROOT, env=env,
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode != 0
    assert (
        "KINSIGHT_OIDC_CLIENT_ID is set, so these are needed too: KINSIGHT_OIDC_CLIENT_SECRET, "
        "KINSIGHT_OIDC_TOKEN_URL, KINSIGHT_OIDC_USERINFO_URL, KINSIGHT_OIDC_JWKS_URL"
    ) in done.stderr
