"""Settings come from the environment and a bad value is an error naming it."""

from kinsight.testing import run_kinsight


def test_a_bad_boolean_stops_the_command_naming_the_variable():
    done = run_kinsight("migrate", env={"KINSIGHT_DEBUG": "maybe"})
    assert done.returncode == 2
    assert "KINSIGHT_DEBUG: expected true or false, got 'maybe'" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_unsupported_database_url_is_refused_by_name():
    done = run_kinsight("migrate", env={"DATABASE_URL": "mysql://root@localhost/x"})
    assert done.returncode == 2
    assert "DATABASE_URL" in done.stderr


def test_serving_in_production_needs_a_secret_key(tmp_path):
    done = run_kinsight(
        "serve",
        env={"KINSIGHT_ENV": "production", "KINSIGHT_SECRET_KEY": "",
             "DATABASE_URL": f"sqlite:///{tmp_path}/s.sqlite3"},
    )  # fmt: skip
    assert done.returncode == 2
    assert "KINSIGHT_SECRET_KEY is required" in done.stderr
