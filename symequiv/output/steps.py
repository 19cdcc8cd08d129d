"""The steps of a derivation: read-only records of a kind and its fields, and the vectors in its tables."""

__all__ = ["Step", "TABLE_DIGITS", "Vector", "numbered"]

#: Significant digits of mpmath numbers in tables (unless ``digits=`` says otherwise).
TABLE_DIGITS = 15


class Vector(tuple):
    """A table cell that holds a sequence of numbers, shown as ``[a, b, ...]``."""


class Step:
    """One step of a :class:`~symequiv.output.report.Derivation`: its ``kind`` and its fields as attributes.

    The kinds and their fields: ``"text"`` (text), ``"math"`` (expr, label),
    ``"verdict"`` (verdict, label, statement), ``"table"`` (header, rows,
    caption, digits), ``"figure"`` (name, png, svg, pdf, caption) and
    ``"correction"`` (paper, corrected, check, check_statement). Steps are
    read-only.

    >>> from symequiv.output.report import Derivation
    >>> step = Derivation("n", "T").text("Hello.").steps[0]
    >>> step.kind, step.text
    ('text', 'Hello.')
    >>> step
    Step('text', text='Hello.')
    """

    __slots__ = ("_kind", "_fields")

    def __init__(self, kind, **fields):
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_fields", dict(fields))

    @property
    def kind(self):
        """``"text"``, ``"math"``, ``"verdict"``, ``"table"``, ``"figure"`` or ``"correction"``."""
        return self._kind

    @property
    def fields(self):
        """The step's fields as a new dict."""
        return dict(self._fields)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"a {self._kind!r} step has no field {name!r}") from None

    def __setattr__(self, name, value):
        raise AttributeError("Step is read-only")

    def __reduce__(self):
        return _step, (self._kind, self._fields)

    def __repr__(self):
        fields = ", ".join(f"{k}={'<%d bytes>' % len(v) if isinstance(v, bytes) else repr(v)}"
                           for k, v in self._fields.items())
        return f"Step({self._kind!r}, {fields})"


def _step(kind, fields):
    return Step(kind, **fields)


def numbered(steps):
    """(index, step, number) for each step in order: a table's or a figure's number among its kind, from 1."""
    counts = {"table": 0, "figure": 0}
    for index, step in enumerate(steps):
        number = None
        if step.kind in counts:
            counts[step.kind] += 1
            number = counts[step.kind]
        yield index, step, number
