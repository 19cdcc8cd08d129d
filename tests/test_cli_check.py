"""``symequiv check`` and ``symequiv witness``, run as a user runs them."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

import symequiv.judge.check
from symequiv.output.cli import main
from symequiv.judge.verdict import Verdict

ROOT = Path(__file__).resolve().parent.parent

# The paper's eq. (4): the edge detector after cell averaging, image translated by half a cell.
PAPER = [
    "check", "--signal", "Heaviside(x)", "--grid", "-1", "1", "4", "--delta", "1/4", "--shift", "linear",
    "--kernel", "2,-2", "--origin", "1", "--bias", "-1", "--activation", "relu",
]
# A signal and a grid for the bad-input cases that are not about them.
PLAIN = ["--signal", "Heaviside(x)", "--grid", "-1", "1", "4"]


def run(*args):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "symequiv", *args],
        capture_output=True, text=True, timeout=120, env=env, cwd=ROOT, check=False,
    )


def assert_one_line_error(result):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("symequiv: error: "), result.stderr
    assert result.stdout == ""
    return lines[0]


def with_option(args, option, *values):
    """``args`` with the values of ``option`` replaced."""
    i = args.index(option)
    count = 3 if option == "--grid" else 1
    return args[:i + 1] + list(values) + args[i + 1 + count:]


# ------------------------------------------------------------------ check --


def test_paper_edge_detector_fails_and_expectations_set_the_exit_code():
    result = run(*PAPER, "--expect", "unequal")
    assert result.returncode == 0, result.stderr
    assert "fails" in result.stdout and "certificate" in result.stdout
    assert result.stderr == ""

    result = run(*PAPER, "--expect", "equal")
    assert result.returncode == 1
    assert "fails" in result.stdout
    assert result.stderr.strip() == "symequiv: expected equal, but the verdict is: fails (certified)"


def test_json_round_trips_and_a_decimal_shift_is_exact():
    quarter = run(*PAPER, "--json")
    decimal = run(*with_option(PAPER, "--delta", "0.25"), "--json")
    assert quarter.returncode == decimal.returncode == 0, quarter.stderr + decimal.stderr
    data = json.loads(quarter.stdout)
    assert data["holds"] is False and data["shift"] == "1/4" and data["method"] == "symbolic"
    verdict = Verdict.from_json(quarter.stdout)
    assert verdict.holds is False and verdict.certified
    assert verdict.to_json(indent=2) == quarter.stdout.strip()
    # 0.25 is read as the decimal it is, 1/4 exactly: the same verdict, byte for byte
    assert decimal.stdout == quarter.stdout


def test_whole_cell_shift_on_a_periodic_grid_is_proved():
    result = run(
        "check", "--signal", "sin(2*pi*x)", "--grid", "0", "1", "8", "--periodic", "--delta", "1/4",
        "--shift", "integer", "--kernel", "1,-2,1", "--origin", "1", "--padding", "circular",
        "--activation", "tanh", "--expect", "equal",
    )
    assert result.returncode == 0, result.stderr
    assert "holds (proved)" in result.stdout


def test_negative_values_follow_their_options():
    args = [
        "check", "--signal", "-Heaviside(x)", "--grid", "-1/2", "1/2", "4", "--delta", "-1/4", "--shift", "linear",
        "--kernel", "-1,2", "--bias", "-1/2", "--activation", "leaky:-1/10", "--discretize", "sample",
    ]
    spaced = run(*args)
    assert spaced.returncode == 0, spaced.stderr
    assert "d = -1/4" in spaced.stdout and "Grid(-S(1)/2, S(1)/2, 4)" in spaced.stdout
    assert "LeakyReLU(-S(1)/10)" in spaced.stdout
    joined = run(*[a for a in args if a not in ("--delta", "-1/4")], "--delta=-1/4")
    assert joined.stdout == spaced.stdout


def test_integer_shift_by_a_fraction_of_a_cell_is_refused_in_the_users_terms(capsys):
    assert main(["check", *PLAIN, "--delta", "1/4", "--shift", "integer"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err == (
        "symequiv: error: --shift integer moves by whole cells only, but --delta 1/4 is 1/2 of a cell "
        "(dx = 1/2); use --shift linear, cubic or fourier, or a --delta that is a multiple of 1/2\n"
    )
    assert main(["check", *PLAIN, "--delta", "-5/4", "--shift", "integer"]) == 2
    assert "--delta -5/4 is -5/2 cells (dx = 1/2)" in capsys.readouterr().err


def test_integer_shift_by_a_whole_cell_in_disguise_is_checked(capsys):
    # sqrt(3 + 2 sqrt(2)) = 1 + sqrt(2): this --delta is 1/2, one cell of Grid(-1, 1, 4)
    code = main(["check", *PLAIN, "--delta", "(sqrt(3+2*sqrt(2)) - sqrt(2))/2", "--shift", "integer", "--json"])
    out, err = capsys.readouterr()
    assert code == 0 and err == "", err
    data = json.loads(out)
    assert data["holds"] is not False and data["boundary_cells"] == [0]


@pytest.mark.parametrize("text", ["abc", "x", "delta", "k/2"])
def test_a_delta_that_is_not_a_number_says_what_the_command_line_accepts(text, capsys):
    assert main(["check", *PLAIN, "--delta", text, "--shift", "linear"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "exact number such as 1/8, 0.125, sqrt(2)/10 or pi/4" in err and "parameters" not in err


@pytest.mark.parametrize("option, value", [("--dps", "n"), ("--origin", "k"), ("--cells", "i")])
def test_a_whole_number_option_that_is_not_a_number_asks_for_a_whole_number(option, value, capsys):
    assert main([*PAPER, option, value]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert f"{option}={value!r}: {value!r} is not a number; give a whole number such as 8" in err
    assert "1/8" not in err and "parameters" not in err


def test_a_signal_with_an_unknown_name_does_not_suggest_declaring_it(capsys):
    assert main(["check", "--signal", "k*x", "--grid", "-1", "1", "4", "--delta", "1/4", "--shift", "linear"]) == 2
    err = capsys.readouterr().err
    assert "'k' is not a name the command line knows" in err and "declare parameters to use others" not in err


def test_a_periodic_grid_defaults_to_circular_padding(capsys):
    args = ["check", "--signal", "sin(2*pi*x)", "--grid", "0", "1", "8", "--periodic", "--delta", "1/4",
            "--shift", "integer", "--kernel", "1,-2,1", "--origin", "1"]
    assert main(args + ["--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["holds"] is True and data["boundary_cells"] == [] and len(data["cells"]) == 8
    assert "padding='circular'" in data["claim"]
    assert main(args) == 0
    headline = capsys.readouterr().out.splitlines()[0]
    assert headline.startswith("Verdict: holds (proved) on 8 ") and "left out" not in headline
    # zero padding, asked for: the cells the padding reaches are left out, and the headline says so
    assert main(args + ["--padding", "zeros"]) == 0
    headline = capsys.readouterr().out.splitlines()[0]
    assert headline.startswith("Verdict: holds (proved) on 4 ") and "left out" in headline


# ---------------------------------------------------------------- witness --


def test_witness_prints_two_signals():
    result = run("witness", "--grid", "-1", "1", "4", "--delta", "1/4", "--expect", "unequal")
    assert result.returncode == 0, result.stderr
    assert "f1(x) = 0" in result.stdout and "f2(x) = Piecewise(" in result.stdout
    assert "D[f1] = D[f2] = [0, 0, 0, 0]" in result.stdout

    result = run("witness", "--grid", "0", "1", "2", "--periodic", "--delta", "-1/3", "--discretize", "sample",
                 "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["shift"] == "-1/3" and data["verdict"]["holds"] is False
    assert data["before"][0] == data["before"][1] and data["after"][0] != data["after"][1]


def test_no_witness_at_a_whole_cell_shift():
    line = assert_one_line_error(run("witness", "--grid", "-1", "1", "4", "--periodic", "--delta", "1/2"))
    assert "whole number of cells" in line and "no witness exists" in line


# ------------------------------------------------------------- bad input --


@pytest.mark.parametrize(
    "option, values, expected",
    [
        ("--grid", ("1", "0", "4"), "stop > start"),
        ("--grid", ("0", "1", "0"), "positive number of cells"),
        ("--grid", ("0", "1", "5/2"), "whole number for --grid N"),
        ("--delta", ("abc",), "--delta='abc'"),
        ("--delta", ("abc",), "give an exact number such as 1/8"),
        ("--grid", ("0", "w", "4"), "--grid STOP='w': 'w' is not a number"),
        ("--bias", ("b",), "--bias='b': 'b' is not a number"),
        ("--shift", ("integer",), "--shift integer moves by whole cells only, but --delta 1/4 is 1/2 of a cell"),
        ("--delta", ("1j",), "only real numbers"),
        ("--delta", ("--shift",), "--delta: expected one argument"),
        ("--kernel", ("",), "--kernel"),
        ("--origin", ("5",), "origin=5 is outside the kernel"),
        ("--dps", ("3",), "dps=3"),
        ("--shift", ("fourier",), "FourierShift needs a periodic grid"),
        ("--shift", ("spline",), "invalid choice: 'spline'"),
        ("--activation", ("sigmoid",), "Expected --activation relu, leaky:A"),
        ("--bogus", (), "unrecognized arguments: --bogus"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(option, values, expected):
    args = [*PAPER, "--dps", "50"]
    args = with_option(args, option, *values) if option in args else args + [option, *values]
    assert expected in assert_one_line_error(run(*args))


def test_layer_options_need_a_kernel():
    line = assert_one_line_error(run("check", *PLAIN, "--delta", "1/4", "--shift", "linear", "--activation", "relu"))
    assert "--activation: this option describes a conv layer" in line


@pytest.mark.parametrize("option", ["--signal", "--delta", "--bias"])
def test_hostile_strings_never_run(tmp_path, option):
    marker = tmp_path / "MARKER"
    hostile = f"__import__('os').system('touch {marker}')"
    line = assert_one_line_error(run(*with_option(PAPER, option, hostile)))
    assert line.startswith(f"symequiv: error: {option}=")
    assert not marker.exists()


# -------------------------------------------------------- process details --


def test_help_lists_the_exit_codes(capsys):
    for command in (["--help"], ["check", "--help"], ["witness", "--help"], ["prove", "--help"], ["example", "--help"]):
        assert main(command) == 0
        out = capsys.readouterr().out
        assert "exit codes:" in out and "130  interrupted" in out


@pytest.mark.parametrize("command", ["prove", "example"])
def test_help_of_a_command_without_expect_does_not_mention_it(command, capsys):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    assert "--expect" not in out and "\n  1 " not in out
    assert "2    bad input" in out


def test_example_help_describes_the_example(capsys):
    assert main(["example", "--help"]) == 0
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]
    assert description.startswith("Print the paper's edge-detector example") and "Figure 1" in description


def test_check_help_states_the_periodic_padding_default(capsys):
    assert main(["check", "--help"]) == 0
    assert "circular with --periodic" in " ".join(capsys.readouterr().out.split())


def test_ctrl_c_is_exit_code_130(monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(symequiv.judge.check, "check_commutation", interrupted)
    assert main(PAPER) == 130
    assert capsys.readouterr().err == "symequiv: interrupted\n"


def test_an_internal_error_is_one_line_too(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise TypeError("unsupported operand type(s) for *: 'complex' and 'flint.arb'")

    monkeypatch.setattr(symequiv.judge.check, "check_commutation", broken)
    monkeypatch.delenv("SYMEQUIV_TRACEBACK", raising=False)
    assert main(PAPER) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith("symequiv: error: internal error (TypeError: unsupported operand")
    assert "bug in symequiv" in err
    monkeypatch.setenv("SYMEQUIV_TRACEBACK", "1")
    with pytest.raises(TypeError):
        main(PAPER)


def test_a_closed_pipe_stops_quietly():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen(
        [sys.executable, "-m", "symequiv", *PAPER], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    )
    process.stdout.close()  # the reader goes away before anything is written, as `| head -0` would
    _, err = process.communicate(timeout=120)
    assert process.returncode == 141
    assert err == b""


# -------------------------------------------------------------- two dimensions --

# An oriented edge on the periodic 4 x 4 plane, the example of `symequiv check --help`.
EDGE_2D = ["--signal", "Heaviside(x + 2*y - 1/3)"]
PLANE = ["--grid", "0,0", "1,1", "4,4", "--periodic"]


def test_2d_help_example_is_certified_unequal():
    result = run("check", *EDGE_2D, *PLANE, "--delta", "1/8,1/3", "--shift", "linear", "--kernel", "1,0;0,-1",
                 "--expect", "unequal")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Verdict: fails (certified) on 16 of 16 cells")
    assert "Grid((0, 0), (1, 1), (4, 4), periodic=True)" in out and "d = (1/8, 1/3)" in out
    assert "op = Conv([[1, 0], [0, -1]], padding='circular')" in out
    assert "certificate: the residual of cell (1, 2) is exactly 89/432" in out


def test_2d_whole_cell_shift_is_proved_and_its_json_has_pairs(capsys):
    args = ["check", *EDGE_2D, *PLANE, "--delta", "1/4,-1/2", "--shift", "integer", "--kernel", "1,0;0,-1",
            "--activation", "relu", "--cells", "0,1;3,3", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["holds"] is True and data["method"] == "symbolic"
    assert data["shift"] == ["1/4", "-1/2"] and data["cells"] == [[0, 1], [3, 3]] and data["total_cells"] == 16
    assert Verdict.from_json(json.dumps(data)).shift == (sympy.Rational(1, 4), sympy.Rational(-1, 2))


def test_2d_pairs_may_be_written_in_parentheses(capsys):
    args = ["check", *EDGE_2D, "--grid", "0,0", "1,1", "4,4", "--delta", "1/8,1/3", "--shift", "cubic", "--json"]
    assert main(args) == 0
    plain = capsys.readouterr().out
    args = ["check", *EDGE_2D, "--grid", "(0, 0)", "(1, 1)", "(4, 4)", "--delta", "(0.125, 1/3)", "--shift", "cubic",
            "--json"]
    assert main(args) == 0
    assert capsys.readouterr().out == plain


@pytest.mark.parametrize("axis, periodic, padding", [("x", "(True, False)", "('circular', 'zeros')"),
                                                     ("y", "(False, True)", "('zeros', 'circular')")])
def test_periodic_along_one_axis_pads_circularly_along_it_only(axis, periodic, padding, capsys):
    args = ["check", "--signal", "x*y", "--grid", "0,0", "1,1", "4,4", "--periodic", axis, "--delta", "1/4,1/4",
            "--shift", "integer", "--kernel", "1,1;1,1", "--json"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert f"periodic={periodic}" in data["claim"] and f"padding={padding}" in data["claim"]
    assert data["boundary_cells"]  # the axis that does not wrap has a boundary
    assert main(args + ["--padding", "circular"]) == 0
    assert "padding='circular'" in json.loads(capsys.readouterr().out)["claim"]


def test_2d_kernel_rows_go_along_x_and_their_weights_along_y(capsys):
    base = ["check", "--signal", "x", "--grid", "0,0", "1,1", "4,4", "--delta", "1/8,0", "--shift", "linear"]
    assert main(base + ["--kernel", "2;-2", "--origin", "1,0"]) == 0
    out = capsys.readouterr().out
    assert "op = Conv([[2], [-2]], origin=(1, 0))" in out and "holds (proved) on 8 of 16 cells" in out
    assert main(base + ["--kernel", "2,-2"]) == 0  # one row: a kernel along y
    assert "op = Conv([[2, -2]])" in capsys.readouterr().out
    assert main(base + ["--kernel", "1,2;3,4", "--origin", "1"]) == 0  # one origin for both axes
    assert "origin=(1, 1)" in capsys.readouterr().out


def test_lanczos_shift_by_whole_cells_is_the_integer_shift(capsys):
    args = ["check", *EDGE_2D, *PLANE, "--delta", "1/2,1/4", "--shift", "lanczos", "--expect", "equal"]
    assert main(args) == 0
    assert "g = LanczosShift()" in capsys.readouterr().out


def test_2d_witness_prints_two_scenes():
    result = run("witness", "--grid", "0,0", "1,1", "4,2", "--delta", "1/8,0", "--expect", "unequal")
    assert result.returncode == 0, result.stderr
    assert "f1(x, y) = 0" in result.stdout and "f2(x, y) = Piecewise(" in result.stdout
    assert "D[f1] = D[f2] = [[0, 0], [0, 0], [0, 0], [0, 0]]" in result.stdout
    result = run("witness", "--grid", "0,0", "1,1", "2,2", "--periodic", "--delta", "0,-1/3", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["verdict"]["holds"] is False and data["before"][0] == data["before"][1]


CHECK_2D = ["check", *EDGE_2D, "--grid", "0,0", "1,1", "4,4", "--delta", "1/8,0", "--shift", "linear"]
CHECK_1D = ["check", "--signal", "x", "--grid", "0", "1", "4", "--delta", "1/8", "--shift", "linear"]


@pytest.mark.parametrize(
    "argv, expected",
    [
        (with_option(CHECK_2D, "--grid", "0,0", "1", "4,4"),
         "--grid: give START, STOP and N all as single numbers (a 1-D grid) or all as pairs x,y (a 2-D grid, "
         "e.g. --grid 0,0 1,1 4,4), but got START='0,0', STOP='1', N='4,4'"),
        (with_option(CHECK_2D, "--grid", "0,0,0", "1,1,1", "4,4,4"), "for --grid START but got 3 values: '0,0,0'"),
        (with_option(CHECK_2D, "--grid", "0,1", "1,1", "4,4"), "Along y: Expected stop > start but got start=1"),
        (with_option(CHECK_2D, "--grid", "0,0", "1,w", "4,4"), "--grid STOP[y]='w': 'w' is not a number"),
        (with_option(CHECK_2D, "--grid", "0,0", "1,1", "4,5/2"), "Expected a whole number for --grid N[y] but got 5/2"),
        (with_option(CHECK_2D, "--delta", "1/8"),
         "--delta 1/8 is one number but --grid is two-dimensional; give one per axis, --delta DX,DY (e.g. 1/8,0)"),
        (with_option(CHECK_1D, "--delta", "1/8,0"),
         "--delta 1/8,0 is a pair but --grid is one-dimensional; give one number"),
        (with_option(CHECK_2D, "--delta", "1/8,0,1"), "one value, or a pair x,y, for --delta but got 3 values"),
        (with_option(CHECK_2D, "--delta", ",1/8"), "--delta ',1/8': its x value is empty"),
        (with_option(CHECK_2D, "--delta", "1/8,k"), "--delta[y]='k': 'k' is not a number"),
        (with_option(CHECK_1D, "--signal", "x*y"),
         "--signal='x*y' depends on y but --grid is one-dimensional; give START, STOP and N as pairs x,y"),
        (with_option(CHECK_2D, "--signal", "x*z"), "'z' is not a name the command line knows; write f in x (and y"),
        (CHECK_1D + ["--kernel", "1;-1"], "--kernel '1;-1' has rows separated by ';', a 2-D kernel, but --grid is "
                                          "one-dimensional"),
        (CHECK_2D + ["--kernel", "1,0;1"], "row 2 has 1 weight and row 1 has 2 weights"),
        (CHECK_2D + ["--kernel", "1,0;"], "--kernel '1,0;': row 2 weight 1 is empty"),
        (CHECK_1D + ["--kernel", "1,-1", "--origin", "1,0"], "--origin 1,0 is a pair but the kernel is 1-D"),
        (CHECK_2D + ["--kernel", "1,-1", "--origin", "1,0"], "origin=(1, 0) is outside the kernel of shape (1, 2)"),
        (CHECK_1D + ["--cells", "0,1;1,2"], "--cells '0,1;1,2' lists pairs separated by ';', cells of a 2-D grid, but "
                                            "--grid is one-dimensional"),
        (CHECK_2D + ["--cells", "0,1,2"], "Expected cells I,J of the 2-D grid separated by ';' for --cells, e.g. "
                                          "\"0,1;2,3\", but got '0,1,2'"),
        (CHECK_2D + ["--cells", "0,1;;1,1"], "but got '' in '0,1;;1,1'"),
        (CHECK_2D + ["--cells", "4,0"], "cells contains (4, 0), outside the output cells of shape (4, 4)"),
        (CHECK_2D + ["--periodic", "z"], "Expected --periodic alone, or the axes that wrap, x, y or x,y, but got 'z'"),
        (CHECK_1D + ["--periodic", "y"], "--periodic 'y': a 1-D grid has the one axis x"),
        (with_option(CHECK_2D, "--shift", "integer"),
         "--shift integer moves by whole cells only, but --delta 1/8,0 is 1/2 of a cell along x (dx = 1/4)"),
        (with_option(with_option(CHECK_2D, "--shift", "integer"), "--delta", "1/4,-5/8"),
         "--delta 1/4,-5/8 is -5/2 cells along y (dy = 1/4)"),
        (with_option(CHECK_2D, "--shift", "fourier"), "FourierShift"),
        (["witness", "--grid", "0,0", "1,1", "4,4", "--delta", "1/8"], "--delta 1/8 is one number but --grid is "
                                                                     "two-dimensional"),
        (["witness", "--grid", "0,0", "1,1", "4,4", "--delta", "1/4,1/2"], "whole number of cells along both axes"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else None,
)
def test_bad_2d_input_is_one_line_and_exit_code_2(argv, expected, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.splitlines()) == 1 and err.startswith("symequiv: error: "), err
    assert expected in err


@pytest.mark.parametrize("option", ["--delta", "--grid"])
def test_hostile_strings_in_a_pair_never_run(tmp_path, option):
    marker = tmp_path / "MARKER"
    hostile = f"__import__('os').system('touch {marker}')"
    args = with_option(CHECK_2D, option, f"1,{hostile}") if option == "--delta" else with_option(
        CHECK_2D, option, "0,0", f"1,{hostile}", "4,4")
    line = assert_one_line_error(run(*args))
    assert line.startswith(f"symequiv: error: {option}" + ("[y]=" if option == "--delta" else " STOP[y]="))
    assert not marker.exists()


def test_check_help_explains_two_dimensions(capsys):
    assert main(["check", "--help"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "--grid 0,0 1,1 4,4" in out and "a pair DX,DY" in out and "separated by ';'" in out
    assert "--periodic x or y" in out
