"""`lingong bench sync` runs end to end at a small size and prints its JSON as the last line."""

import json
import subprocess
import sys

import pytest

from tests.support.hub import ROOT, lingong_env

pytestmark = pytest.mark.slow  # (make test starts it first: tests/conftest.py)

KEYS = {
    "propagation_p50_ms",
    "propagation_p95_ms",
    "bootstrap_s",
    "snapshot_bytes_per_posting",
    "idle_poll_bytes",
    "events_sent",
    "events_lost",
    "events_duplicated",
    "hub_rss_mb",
    "devices_converged",
}


def test_small_sync_bench(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "lingong.cli",
            "bench",
            "sync",
            "--devices",
            "6",
            "--postings",
            "400",
            "--publishes",
            "8",
            "--rate",
            "4",
            "--events",
            "3",
            "--json",
        ],
        env=lingong_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(result) >= KEYS
    assert result["events_sent"] > 0 and result["events_lost"] == 0 and result["events_duplicated"] == 0
    assert result["devices_converged"] == 6
    assert result["deliveries"] >= 6 * 8 * 0.9
    assert 0 < result["snapshot_bytes_per_posting"] < 150
