"""Shared fixtures: the repository's folders and the CLI (built by `cargo test` before pytest)."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


def cli(*args: str) -> subprocess.CompletedProcess:
    """Runs the `boneaxis` command through cargo (the README's test command builds it first)."""
    return subprocess.run(
        ["cargo", "run", "-q", "-p", "boneaxis-cli", "--", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def cli_json(*args: str) -> dict:
    done = cli(*args)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def close(expected: float, actual: float, rel: float = 1e-12, abs_: float = 0.0) -> None:
    """Relative-and-absolute comparison that prints expected, actual and the difference.

    A missing value (None in JSON, NaN in a frame) only equals a missing value."""
    if expected is None or expected != expected:
        assert actual is None or actual != actual, f"expected a missing value, actual {actual!r}"
        return
    diff = abs(actual - expected)
    assert diff <= abs_ + rel * abs(expected), (
        f"expected {expected!r}, actual {actual!r}, difference {diff!r}"
    )
