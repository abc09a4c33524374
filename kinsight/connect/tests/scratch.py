"""Scratch stores and a live web server for the slow feed tests (not a test module itself)."""

from __future__ import annotations

import http.client
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from kinsight.testing import ScratchStore


class Store(ScratchStore):
    """A scratch store with its own web server."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        super().__init__(tmp_path, name)
        self.server: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.log = tmp_path / f"{self.name}.server.log"

    def kinsight(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "kinsight", *args],
            env=self.env(), capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return done

    def token(self, agency: str) -> str:
        return self.kinsight("tokens", "add", agency).stdout.strip()

    def alerts(self) -> list[dict[str, Any]]:
        alerts = json.loads(self.kinsight("alerts", "--json").stdout)["alerts"]
        return [{k: v for k, v in a.items() if k not in ("id",)} for a in alerts]

    def serve(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.kinsight("migrate")
        # The server's own log is kept so that a failed request shows its traceback.
        with self.log.open("wb") as log:
            self.server = subprocess.Popen(
                [sys.executable, "-m", "kinsight", "serve", "--port", str(self.port)],
                env=self.env(), stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/health")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the web server did not start")

    def post_feed(self, path: Path, token: str) -> dict[str, Any]:
        """POST the file as it is on disk: http.client streams it in blocks."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1800)
        with path.open("rb") as body:
            conn.request(
                "POST", "/api/feeds", body=body,
                headers={"Authorization": f"Bearer {token}",
                         "Content-Type": "application/x-ndjson",
                         "Content-Length": str(path.stat().st_size)},
            )  # fmt: skip
            response = conn.getresponse()
            data = response.read()
        assert response.status == 200, (data[:500], self.server_log())
        result: dict[str, Any] = json.loads(data)
        return result

    def server_log(self) -> str:
        """The last lines the web server wrote."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-60:])

    def drop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=30)
        super().drop()


def comparable(fingerprint: dict[str, Any]) -> dict[str, Any]:
    """A fingerprint without the names feeds were received under (a path, or the API's label)
    and without repeated receipts of the same body: the records, versions, links and quarantine
    stay whole."""
    out = dict(fingerprint)
    out["audited_feeds"] = sorted({digest for _name, digest in fingerprint["audited_feeds"]})
    return out
