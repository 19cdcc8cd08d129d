"""Tests of symequiv.judge.verdict_words: what a verdict found, in the same words in every format."""

import re

import sympy

from symequiv.judge.verdict import Verdict
from symequiv.judge.verdict_words import MAX_TABLE_ROWS
from verdict_examples import (
    CLAIM,
    R,
    at,
    black_box,
    data_rows,
    fails_by_ball,
    proved,
    renderings,
)


def test_the_headline_says_how_many_cells_it_covers():
    verdict = Verdict(CLAIM, True, "symbolic", [0] * 5, cells=(1, 2, 3, 4, 5), boundary_cells=(0, 6, 7),
                      total_cells=8)
    line = "holds (proved) on 5 of 8 cells; cells 0, 6..7 reached by the boundary were left out"
    assert str(verdict).splitlines()[0] == f"Verdict: {line}"
    for name, text in renderings(verdict).items():
        flat = re.sub(r"\\text\{|\}|\\\\ \\quad ", "", text) if name == "repr_latex" else text
        assert "on 5 of 8 cells" in flat and "reached by the boundary were left out" in flat, name
    assert "on 3 compared cells; cells 0, 4 reached by the boundary were left out" in str(proved())
    requested = Verdict(CLAIM, True, "symbolic", [0], cells=(2,), boundary_cells=(0, 7), total_cells=8)
    assert "on 1 of 8 cells; cells 0, 7 reached by the boundary were left out; 5 other cells not requested" in (
        str(requested))


def test_numeric_outcome_says_unequal_plainly_everywhere():
    verdict = black_box("3.2e-2")
    assert verdict.holds is None and verdict.numeric_outcome == "unequal"
    assert str(verdict).splitlines()[0] == (
        "Verdict: numerically unequal (|lhs - rhs| reaches 0.032, tolerance 2.3e-13; not certified) "
        "on 3 compared cells"
    )
    for name, text in renderings(verdict).items():
        assert "numerically unequal" in text and "not certified" in text, name
        assert "undecided" not in text, name
    assert Verdict.from_json(verdict.to_json()).numeric_outcome == "unequal"


def test_numeric_outcome_says_equal_within_tolerance_and_not_proved():
    verdict = black_box("1e-17")
    assert verdict.numeric_outcome == "equal"
    for name, text in renderings(verdict).items():
        assert "numerically equal" in text and "not proved" in text, name
        assert "within tolerance" in text, name


def test_a_proof_has_no_precision():
    # the checker's proofs carry dps=50 (the precision tried first); a proof still has no rounding
    verdict = Verdict(CLAIM, True, "symbolic", [0, 0], cells=(0, 1), dps=50)
    for name, text in renderings(verdict).items():
        assert "50 digits" not in text, name
    assert "Precision: exact (no rounding)" in verdict.to_markdown()
    assert "precision: exact (no rounding)" in str(verdict)
    assert "50 digits" in fails_by_ball().to_markdown()  # a ball's precision is a fact


def test_failure_tables_leave_out_cells_whose_residual_is_zero():
    residual = [at(50, "0"), R(1, 8), sympy.Integer(0), at(50, "1e-30")]
    verdict = Verdict(CLAIM, False, "interval", residual, cells=(0, 1, 2, 3), dps=50,
                      error_bounds=[at(50, "1e-40"), None, None, at(50, "1e-40")],
                      certificate={"cell": 3, "kind": "ball", "value": at(50, "1e-30"), "radius": at(50, "1e-40")})
    markdown = verdict.to_markdown()
    assert [row.split("|")[1].strip() for row in data_rows(markdown)] == ["1", "3"]
    assert "exactly 0 on cell 2" in markdown and "0.0 numerically (not a failure) on cell 0" in markdown
    latex_rows = re.findall(r"^(\d+) & ", verdict.to_latex(), flags=re.MULTILINE)
    assert latex_rows == ["1", "3"]
    html_cells = re.findall(r"<tr><td style='[^']*'>(\d+)</td>", verdict._repr_html_())
    assert html_cells == ["1", "3"]


def test_a_black_box_table_lists_only_the_cells_above_the_tolerance():
    residual = [at(15, "0.5"), at(15, "1e-20"), at(15, "0")]
    verdict = black_box("0.5", cells=(4, 5, 6), residual=residual)
    markdown = verdict.to_markdown()
    assert [row.split("|")[1].strip() for row in data_rows(markdown)] == ["4"]
    assert "within the tolerance on cell 5" in markdown and "on cell 6" in markdown


def test_a_proof_lists_its_zero_residuals():
    assert len(data_rows(proved().to_markdown())) == 3


def test_markdown_shows_at_most_24_rows():
    count = MAX_TABLE_ROWS + 6
    verdict = Verdict(CLAIM, True, "symbolic", [0] * count, cells=range(count))
    text = verdict.to_markdown()
    assert len(data_rows(text)) == MAX_TABLE_ROWS
    assert "and 6 more cells not shown" in text


def test_latex_long_table_is_cut():
    count = MAX_TABLE_ROWS + 3
    text = Verdict(CLAIM, True, "symbolic", [0] * count, cells=range(count)).to_latex()
    assert len(re.findall(r"^\d+ & ", text, flags=re.MULTILINE)) == MAX_TABLE_ROWS
    assert r"\ldots\ and 3 more cells" in text
