"""The card parsers under coverage-guided fuzzing (atheris, libFuzzer) for a bounded time in every
test run, beside the hypothesis tests in tests/unit: no input may end in anything but an Identity
or the package's own error. A crash leaves its input in the test's folder."""

import os
import subprocess
import sys

import pytest

from tests.support.hub import ROOT, lingong_env
from tests.unit.test_sam_text import read_frame

# Per parser in every run (make test has 10 minutes on 2 cores); set it higher for a deeper search.
SECONDS = int(os.environ.get("LINGONG_FUZZ_CARD_S", "6"))


@pytest.mark.parametrize("target", ["sam", "pcsc"])
def test_card_parsers_under_coverage_guided_fuzzing(target, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    if target == "sam":
        (corpus / "read").write_bytes(read_frame())  # a valid frame to mutate from
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.support.fuzz_cards",
            target,
            f"-max_total_time={SECONDS}",
            "-rss_limit_mb=2048",
            str(corpus),
        ],
        cwd=tmp_path,
        env={**lingong_env(tmp_path), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=SECONDS * 6,
    )
    crashes = sorted(p.name for p in tmp_path.glob("crash-*"))
    assert out.returncode == 0 and not crashes, (crashes, out.stderr[-3000:])
    assert "Done" in out.stderr  # libFuzzer ran to its time limit
