import pytest
from django.core.exceptions import ImproperlyConfigured

from kinsight.rules.registry import configured_rules
from kinsight.rules.tests.rulecase import alerts_for
from kinsight.testing import event, person

pytestmark = pytest.mark.django_db
CHILD = person("csc-lancs", "C-1", given_name="Ava", birth_date="2015-02-01")
# Friday 6 March 2020, 10:00: one working day later is Monday 9 March, two is Tuesday 10 March.
REFERRAL = event("csc-lancs", "R-1", "referral", "2020-03-06T10:00:00", ("C-1", "child"))
ANSWER = event(
    "csc-lancs", "D-1", "decision", "2020-03-10T09:00:00", ("C-1", "child"),
    details={"decision": "no_strategy_discussion", "rationale": "Known to school, no harm."},
)  # fmt: skip


def test_a_partnership_file_changes_a_rule_threshold(tmp_path, settings):
    (tmp_path / "rules.toml").write_text("[referral_decision_overdue]\nwithin_working_days = 2\n")
    settings.KINSIGHT_RULES_FILE = str(tmp_path / "rules.toml")

    alerts = alerts_for(tmp_path, [CHILD, REFERRAL, ANSWER], "referral_decision_overdue")

    assert alerts == []


def test_without_a_partnership_file_the_default_threshold_holds(tmp_path):
    [alert] = alerts_for(tmp_path, [CHILD, REFERRAL, ANSWER], "referral_decision_overdue")
    assert alert["raised_at"] == "2020-03-09T10:00:00"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("[no_such_rule]\nx = 1\n", "no_such_rule"),
        ("[referral_decision_overdue]\nwithin_days = 1\n", "within_days"),
        ("[referral_decision_overdue]\nwithin_working_days = 'one'\n", "must be a number"),
        ("[referral_decision_overdue\n", "cannot read"),
    ],
)
def test_a_mistake_in_the_partnership_file_is_an_error_naming_it(tmp_path, settings, text, named):
    (tmp_path / "rules.toml").write_text(text)
    settings.KINSIGHT_RULES_FILE = str(tmp_path / "rules.toml")

    with pytest.raises(ImproperlyConfigured, match=named):
        configured_rules()
