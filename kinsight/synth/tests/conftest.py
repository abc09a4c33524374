"""Small populations, generated once per test session: each takes a fraction of a second."""

from __future__ import annotations

from pathlib import Path

import pytest

from kinsight.synth import generate_population
from kinsight.synth.tests import audit


@pytest.fixture(scope="session")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """Twenty-four families, half of them carrying a harm pattern."""
    out = tmp_path_factory.mktemp("mixed")
    return out, generate_population(out, 24, seed=11, harm_share=0.5)


@pytest.fixture(scope="session")
def mixed_population(mixed: tuple[Path, dict[str, int]]) -> audit.Population:
    return audit.load(mixed[0])


@pytest.fixture(scope="session")
def harmed(tmp_path_factory: pytest.TempPathFactory) -> audit.Population:
    """Every family carries a pattern: two rounds of every scenario."""
    out = tmp_path_factory.mktemp("harmed")
    generate_population(out, 44, seed=5, harm_share=1.0)
    return audit.load(out)


@pytest.fixture(scope="session")
def ordinary(tmp_path_factory: pytest.TempPathFactory) -> audit.Population:
    """Families with no injected pattern: what a rule engine should find quiet."""
    out = tmp_path_factory.mktemp("ordinary")
    generate_population(out, 120, seed=2, harm_share=0.0)
    return audit.load(out)
