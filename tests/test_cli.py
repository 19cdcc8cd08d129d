import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from symequiv.output import cli
from symequiv.output.cli import edge_detector_report, main
from symequiv.errors import InvalidArgument

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


# ------------------------------------------------------------- bad input --

WITNESS = ["witness", "--grid", "0", "1", "4", "--delta", "1/8"]
CHECK = ["check", "--signal", "Heaviside(x)", "--grid", "-1", "1", "4", "--delta", "1/4", "--shift", "linear"]
CHECK_2D = ["check", "--signal", "x*y", "--grid", "0,0", "1,1", "2,2", "--delta", "1/4,0", "--shift", "linear"]


def assert_bad_input(argv, capsys):
    """main(argv) returns 2 and prints exactly one line on stderr, ``symequiv: error: ...``; returns it."""
    capsys.readouterr()
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith("symequiv: error: "), err
    return lines[0]


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        [""],
        ["--no-such-option"],
        ["example", "extra"],
        ["prove", "--jobs", "x", "--all"],
        ["prove", "--no-such-option"],
        ["prove", "-x"],
        ["prove", "--all", "--format", "-x"],
        ["check"],
        WITNESS + ["--discretize", "-x"],
    ],
    ids=repr,
)
def test_usage_errors_are_one_line(argv, capsys):
    assert "usage:" not in assert_bad_input(argv, capsys)


def test_usage_errors_name_the_subcommand(capsys):
    line = assert_bad_input(["prove", "--no-such-option"], capsys)
    assert line == "symequiv: error: prove: unrecognized arguments: --no-such-option (see 'symequiv prove --help')"


@pytest.mark.parametrize(
    "argv", [["-h"], ["--help"], ["example", "-h"], ["prove", "-h"], ["check", "-h"], ["witness", "--help"]], ids=repr
)
def test_help_still_prints_help(argv, capsys):
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert out.startswith("usage: symequiv") and err == ""


@pytest.mark.parametrize("breaking", ["\n", "\r", "\r\n", "\x0b", "\x85", "\u2028"], ids=repr)
@pytest.mark.parametrize(
    "argv",
    [
        lambda text: WITNESS + [text],
        lambda text: [text],
        lambda text: ["--no-such" + text],
        lambda text: ["prove", text],
        lambda text: ["prove", "--all", "--format", text],
        lambda text: WITNESS + ["--discretize", text],
        lambda text: ["witness", "--grid", "0", "1", "4", "--delta", text],
        lambda text: CHECK + ["--signal", text],
        lambda text: CHECK + ["--kernel", text],
        lambda text: CHECK + ["--kernel", "2,-2", "--activation", text],
        lambda text: CHECK + ["--cells", text],
        lambda text: CHECK_2D + ["--periodic", text],
        lambda text: CHECK_2D + ["--cells", f"0,0;{text}"],
        lambda text: CHECK_2D + ["--kernel", f"1,0;{text},1"],
        lambda text: CHECK_2D + ["--delta", f"1/4,{text}"],
        lambda text: ["witness", "--grid", "0,0", f"1,{text}", "2,2", "--delta", "1/4,0"],
    ],
)
def test_user_text_in_an_error_stays_on_one_line(argv, breaking, capsys):
    line = assert_bad_input(argv(f"a{breaking}b"), capsys)
    assert "a" + repr(breaking)[1:-1] + "b" in line


def test_unrecognized_argument_is_escaped(capsys):
    line = assert_bad_input(WITNESS + ["a\nb"], capsys)
    assert line == r"symequiv: error: witness: unrecognized arguments: a\nb (see 'symequiv witness --help')"


def test_long_user_text_is_cut(capsys):
    line = assert_bad_input(WITNESS + ["x" * 10_000], capsys)
    assert "x" * 200 + "..." in line and "x" * 201 not in line
    assert line.endswith("(see 'symequiv witness --help')")


def test_library_error_with_a_line_break_is_one_line(capsys, monkeypatch):
    def refuse():
        raise InvalidArgument("first line\nsecond line\r")

    monkeypatch.setattr(cli, "edge_detector_report", refuse)
    assert assert_bad_input(["example"], capsys) == r"symequiv: error: first line\nsecond line\r"


@pytest.mark.parametrize("option", ["--origin", "--bias"])
@pytest.mark.parametrize("value", ["", "  "], ids=repr)
def test_empty_layer_option_is_bad_input(option, value, capsys):
    line = assert_bad_input(CHECK + ["--kernel", "2,-2", option, value], capsys)
    assert f"for {option}" in line


def test_omitted_layer_options_keep_their_defaults(capsys):
    assert main(CHECK + ["--kernel", "2,-2", "--json"]) == 0
    defaults = capsys.readouterr().out
    assert main(CHECK + ["--kernel", "2,-2", "--origin", "0", "--bias", "0", "--json"]) == 0
    assert capsys.readouterr().out == defaults
