import pytest
from django.core.exceptions import ImproperlyConfigured

from kinsight.lib.env import env_bool, env_choice, env_int, env_secret


def test_a_bad_boolean_names_its_variable(monkeypatch):
    monkeypatch.setenv("KINSIGHT_DEBUG", "yes please")
    with pytest.raises(ImproperlyConfigured, match="KINSIGHT_DEBUG"):
        env_bool("KINSIGHT_DEBUG")


def test_booleans_read_true_and_false(monkeypatch):
    monkeypatch.setenv("X_FLAG", "True")
    assert env_bool("X_FLAG") is True
    monkeypatch.setenv("X_FLAG", "false")
    assert env_bool("X_FLAG", True) is False


def test_a_bad_number_names_its_variable(monkeypatch):
    monkeypatch.setenv("X_COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_COUNT"):
        env_int("X_COUNT", 1)


def test_a_choice_outside_the_list_is_an_error(monkeypatch):
    monkeypatch.setenv("KINSIGHT_ENV", "staging")
    with pytest.raises(ImproperlyConfigured, match="KINSIGHT_ENV"):
        env_choice("KINSIGHT_ENV", ["production", "demo", "test"], "production")


def test_a_secret_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_secret("X_SECRET") == "s3cret"


def test_a_missing_secret_file_fails_loudly(monkeypatch, tmp_path):
    monkeypatch.setenv("X_SECRET_FILE", str(tmp_path / "absent"))
    with pytest.raises(ImproperlyConfigured, match="X_SECRET_FILE"):
        env_secret("X_SECRET")
