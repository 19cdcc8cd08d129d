"""The error classes and short_repr, which error messages use for the user's values."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import symequiv as se
from symequiv.errors import short_repr


def test_every_error_is_a_symequiv_error_and_a_builtin_one():
    assert issubclass(se.InvalidType, TypeError) and issubclass(se.InvalidArgument, ValueError)
    assert issubclass(se.BudgetExceeded, TimeoutError)
    for error in (se.InvalidType, se.InvalidArgument, se.ExpressionError, se.GridMismatch, se.BudgetExceeded):
        assert issubclass(error, se.SymequivError)


class _Hostile:
    def __repr__(self):
        raise RuntimeError("no repr for you")


class _Multiline:
    def __repr__(self):
        return "line one\nline two\rthree"


@pytest.mark.parametrize(
    "value, expected",
    [
        (_Hostile(), "<_Hostile object>"),
        (10**5000, "<an int of about 5000 digits>"),
        (_Multiline(), "line one\\nline two\\rthree"),
        ("x" * 200, "'" + "x" * 76 + "..."),
        (1.5, "1.5"),
    ],
    ids=["hostile", "huge int", "multiline", "long", "float"],
)
def test_short_repr(value, expected):
    assert short_repr(value) == expected


@given(st.one_of(st.text(), st.integers(), st.floats(), st.binary(), st.lists(st.text(), max_size=3)))
def test_short_repr_is_one_short_line(value):
    text = short_repr(value, limit=50)
    assert len(text) <= 50 and "\n" not in text and "\r" not in text
