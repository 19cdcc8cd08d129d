import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symequiv.cli import edge_detector_report, main

ROOT = Path(__file__).resolve().parent.parent


def run(*args, command=None):
    command = command or [sys.executable, "-m", "symequiv"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(command + list(args), capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)


def test_example_prints_the_papers_numbers():
    result = run("example")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "pixels D[f]          = [0, 0, 1, 1]" in out
    assert "layer output         = [0, 1, 0, 0]" in out
    assert "pixels D[f]          = [0, 0, 1/2, 1]" in out
    assert "layer output         = [0, 0, 0, 0]" in out
    # the edge output as an exact function of the shift: a triangle around delta = 0
    assert "output 1: Piecewise((0, delta <= -1/4), (4*delta + 1, delta <= 0), (1 - 4*delta, delta <= 1/4), (0, True))" in out
    assert out.strip() == edge_detector_report().strip()


@pytest.mark.skipif(shutil.which("symequiv") is None, reason="the console script is only on PATH once installed")
def test_console_script():
    result = run("example", command=["symequiv"])
    assert result.returncode == 0 and "[0, 1, 0, 0]" in result.stdout


def test_bad_command_is_exit_code_2_without_traceback():
    result = run("frobnicate")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice" in result.stderr


def test_version_and_help(capsys):
    assert main(["--version"]) == 0
    assert "symequiv" in capsys.readouterr().out
    assert main([]) == 0
    assert "example" in capsys.readouterr().out
