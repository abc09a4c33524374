from __future__ import annotations

from pathlib import Path

from kinsight.synth import generate_population


def _contents(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    generate_population(first, 25, seed=7, harm_share=0.4)
    generate_population(second, 25, seed=7, harm_share=0.4)
    assert _contents(first) == _contents(second)


def test_a_different_seed_writes_a_different_population(tmp_path: Path) -> None:
    generate_population(tmp_path / "a", 10, seed=1)
    generate_population(tmp_path / "b", 10, seed=2)
    assert (
        _contents(tmp_path / "a")["gp-lancs.jsonl"] != _contents(tmp_path / "b")["gp-lancs.jsonl"]
    )


def test_no_temporary_files_are_left_behind(tmp_path: Path) -> None:
    generate_population(tmp_path, 5, seed=3)
    names = {path.name for path in tmp_path.iterdir()}
    assert "truth.json" in names
    assert all(name.endswith(".jsonl") or name == "truth.json" for name in names)


def test_progress_is_reported_after_each_family(tmp_path: Path) -> None:
    seen: list[int] = []
    generate_population(tmp_path, 6, seed=3, progress=seen.append)
    assert seen == [1, 2, 3, 4, 5, 6]
