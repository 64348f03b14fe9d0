"""Rasa's own checks: training data validation and conversation tests on the trained model."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT
from tests.conftest import MODEL

RASA = str(Path(sys.executable).parent / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}


def _run(args, tmp_path=None):
    return subprocess.run([RASA, *args], cwd=PROJECT_ROOT, env=ENV, capture_output=True, text=True, timeout=900)


def test_training_data_is_valid_without_warnings():
    result = _run(["data", "validate", "--fail-on-warnings"])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model: run `make train` (make test does)")
def test_conversation_stories_predict_without_errors(tmp_path):
    result = _run(["test", "core", "--model", str(MODEL), "--stories", "tests/test_stories.yml",
                   "--fail-on-prediction-errors", "--out", str(tmp_path / "results")])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
