"""The pipeline loads and reads with no network at all."""

from __future__ import annotations

import socket

import pytest

from kinsight.text._pipeline import Reader


def test_a_fresh_pipeline_loads_and_reads_a_note_with_the_network_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    reader = Reader()
    findings = reader.read("No bruising seen; mum has relapsed.")
    assert [(f.indicator, f.negated) for f in findings] == [
        ("bruise", True),
        ("substance_misuse", False),
    ]
