"""The errors symequiv raises.

Every error is a :class:`SymequivError`. Each subclass also derives from the
built-in exception a plain Python handler would expect, so ``except ValueError``
still catches a bad value:

>>> from symequiv.errors import InvalidArgument, SymequivError
>>> issubclass(InvalidArgument, SymequivError), issubclass(InvalidArgument, ValueError)
(True, True)

Messages name the argument, its value, and what was expected, so that the user
knows what to fix.
"""

__all__ = [
    "SymequivError",
    "InvalidArgument",
    "InvalidType",
    "ExpressionError",
    "UnsupportedSignal",
    "GridMismatch",
    "BudgetExceeded",
    "short_repr",
    "short_str",
]


class SymequivError(Exception):
    """Root of every error symequiv raises on purpose."""


class InvalidArgument(SymequivError, ValueError):
    """An argument has the right type but an unusable value (``n=0``, NaN, ...)."""


class InvalidType(SymequivError, TypeError):
    """An argument has a type symequiv cannot use."""


class ExpressionError(SymequivError, ValueError):
    """A string expression contains something the safe parser does not accept.

    ``token`` is the offending piece of the string, or ``None`` when the string
    as a whole is the problem (too long, not an expression).
    """

    def __init__(self, message, token=None):
        super().__init__(message)
        self.token = token


class UnsupportedSignal(SymequivError, ValueError):
    """sympy cannot produce what a discretizer needs for this signal.

    ``signal`` is the expression concerned.
    """

    def __init__(self, message, signal=None):
        super().__init__(message)
        self.signal = signal


class GridMismatch(SymequivError, ValueError):
    """Objects that must share a grid (or a length) do not."""


class BudgetExceeded(SymequivError, TimeoutError):
    """A computation ran past its stated time budget.

    ``what`` names the computation and ``seconds`` the budget.
    """

    def __init__(self, message, what=None, seconds=None):
        super().__init__(message)
        self.what = what
        self.seconds = seconds


def short_repr(value, limit=80):
    """``repr(value)`` on one line, cut to ``limit`` characters, for an error message.

    It never raises: a value whose ``repr`` fails (a hostile object, an int too
    long for ``str``) is named by its type instead.

    >>> short_repr("a\\nb"), short_repr(10**5000), short_repr("x" * 100, limit=10)
    ("'a\\\\nb'", '<an int of about 5000 digits>', "'xxxxxx...")
    """
    if isinstance(value, int) and value.bit_length() > 1000:
        return f"<an int of about {int(value.bit_length() * 0.30103)} digits>"
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - any failure of a user's __repr__
        text = f"<{type(value).__name__} object>"
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def short_str(value, limit=60):
    """``str(value)`` (a sympy expression, say) cut to ``limit`` characters, for a message.

    >>> short_str("x" * 100, limit=10)
    'xxxxxxx...'
    """
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
