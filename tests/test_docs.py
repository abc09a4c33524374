"""Docs that cannot drift: the command-line page and the settings page."""

import re
from pathlib import Path

from kinsight.clidoc import render

ROOT = Path(__file__).resolve().parents[1]


def test_docs_cli_md_is_generated_from_the_parser():
    assert (ROOT / "docs" / "cli.md").read_text() == render(), (
        "docs/cli.md is stale: run `python -m kinsight.clidoc > docs/cli.md`"
    )


def test_every_environment_variable_the_code_reads_is_documented():
    code = (ROOT / "kinsight" / "settings.py").read_text()
    code += (ROOT / "kinsight" / "cli.py").read_text()
    names = set(re.findall(r'env_\w+\("([A-Z_]+)"', code))
    names |= set(re.findall(r'environ\.get\("(KINSIGHT_[A-Z_]+)"', code))
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in documented)
    assert not missing, f"not in docs/configuration.md: {missing}"
    assert "DATABASE_URL" in names


def test_the_readme_gives_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme


def test_docs_rules_md_is_generated_from_the_rule_classes():
    from kinsight.rules.doc import render as render_rules

    assert (ROOT / "docs" / "rules.md").read_text() == render_rules(), (
        "docs/rules.md is stale: run `python -m kinsight.rules.doc > docs/rules.md`"
    )
