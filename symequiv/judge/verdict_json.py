"""A verdict as JSON-able data and back: exact values as sympy strings, numeric ones at ``dps`` digits.

What :meth:`~symequiv.judge.verdict.Verdict.to_dict` writes and
:meth:`~symequiv.judge.verdict.Verdict.from_dict` reads. Exact strings are read by
the safe parser (never ``eval``); functions the parser does not know are
written in terms of ones it does (``cot(a)`` as ``1/tan(a)``). Every written
error bound, ball radius and bound is rounded *up* and widened by the
rounding of its value, so what is read back still bounds what it bounded.

>>> import sympy
>>> exact_text(sympy.cot(sympy.Rational(1, 3)))
'1/tan(1/3)'
>>> read_exact("-1/8 + sqrt(2)/4")
-1/8 + sqrt(2)/4
"""

import re
from collections.abc import Mapping

import mpmath
import sympy

from ..numeric.balls import MAX_DPS, MIN_DPS
from ..numeric.decimals import BOUND_DIGITS, abs_exact, add_up, int_of_digits, is_exact, nstr, read_number, upper_text
from ..errors import ExpressionError, InvalidArgument, InvalidType, short_repr
from ..numeric.parsing import parse_expression

__all__ = ["exact_text", "read", "read_exact", "writable", "written"]

# Longest numeric string from_dict reads.
MAX_NUMBER_TEXT = 2 * MAX_DPS + 100
KEYS = (
    "claim", "holds", "method", "dps", "shift", "cells", "boundary_cells",
    "residual", "bound", "certificate", "notes",
)
# Keys that may be absent (verdicts written before they existed read back the same).
OPTIONAL_KEYS = ("tolerance", "total_cells")


def writable(value):
    """An exact value written with the functions the safe parser reads."""
    if not isinstance(value, sympy.Basic) or value.is_Rational:
        return value
    replacements = {
        sympy.cot: lambda a: 1 / sympy.tan(a),
        sympy.sec: lambda a: 1 / sympy.cos(a),
        sympy.csc: lambda a: 1 / sympy.sin(a),
        sympy.coth: lambda a: 1 / sympy.tanh(a),
        sympy.sech: lambda a: 1 / sympy.cosh(a),
        sympy.csch: lambda a: 1 / sympy.sinh(a),
        sympy.acot: lambda a: sympy.atan(1 / a),
        sympy.asinh: lambda a: sympy.log(a + sympy.sqrt(a**2 + 1)),
        sympy.acosh: lambda a: sympy.log(a + sympy.sqrt(a**2 - 1)),
        sympy.atanh: lambda a: sympy.log((1 + a) / (1 - a)) / 2,
    }
    for function, rewrite in replacements.items():
        if value.has(function):
            value = value.replace(function, rewrite)
    return value


_RATIONAL = re.compile(r"(-?)(\d+)(?:/(\d+))?")


def read_exact(text):
    """An exact string as a sympy number: a plain rational directly, anything else by the safe parser."""
    match = _RATIONAL.fullmatch(text)
    if match is not None and len(text) <= MAX_NUMBER_TEXT:
        # A rational needs no parser (and may be longer than the parser accepts).
        numerator = int_of_digits(match[2]) * (-1 if match[1] else 1)
        denominator = int_of_digits(match[3]) if match[3] else 1
        if denominator != 0:
            return sympy.Rational(numerator, denominator)
    return parse_expression(text, {})


def exact_text(value):
    """The text an exact value is written as: a fixed point of writing and reading.

    sympy can hold a value in a form that arithmetic does not rebuild (e.g.
    ``2*(a/2 + b/2)``, which reads back as ``a + b``), so the written text is
    the one that reading and writing again leaves unchanged.
    """
    value = writable(value)
    text = str(value)
    if value.is_Rational:
        return text
    for _ in range(4):
        try:
            again = read_exact(text)
        except ExpressionError:
            return text  # not readable (an unknown function); from_dict will say so
        if again == value:  # equal trees print alike: text is a fixed point
            return text
        value, text = again, str(again)
    return text


def _rounding_shift(value, read):
    return abs_exact(mpmath.fsub(value, read, exact=True))




def _written_entries(verdict):
    """(entry dict, value read back, error read back) per residual."""
    entries = []
    for i, r in enumerate(verdict.residual):
        if is_exact(r):
            entries.append(({"exact": exact_text(r)}, r, None))
            continue
        dps = verdict.dps
        text = nstr(r, dps)
        read = read_number(text, dps)
        error = verdict.error_bounds[i] if verdict.error_bounds else None
        if error is None:
            entries.append(({"value": text, "error": None}, read, None))
            continue
        # Widen by the rounding of the value, so the error still bounds it.
        error_text = upper_text(add_up(error, _rounding_shift(r, read), dps), dps)
        entries.append(({"value": text, "error": error_text}, read, read_number(error_text, dps)))
    return entries

def _written_certificate(verdict):
    certificate = verdict.certificate
    if certificate is None:
        return None
    if certificate["kind"] == "exact":
        return {"cell": certificate["cell"], "kind": "exact", "value": exact_text(certificate["value"])}
    dps, value = verdict.dps, certificate["value"]
    text = nstr(value, dps)
    middle = read_number(text, dps)
    needed = add_up(certificate["radius"], _rounding_shift(value, middle), dps)
    for digits in sorted({BOUND_DIGITS, dps}):
        radius = upper_text(needed, dps, digits)
        if read_number(radius, dps) < abs_exact(middle):
            return {"cell": certificate["cell"], "kind": "ball", "value": text, "radius": radius}
    raise InvalidArgument(
        f"The certificate's ball {value} +- {certificate['radius']} is too tight to write at dps={verdict.dps} "
        "digits and still exclude 0; build the verdict with a larger dps"
    )


def written(verdict):
    """The verdict's JSON-able data (see :meth:`~symequiv.judge.verdict.Verdict.to_dict`)."""
    entries = _written_entries(verdict)
    bound = None
    if verdict.bound is not None:
        # At least what the written residuals and errors give, so that the
        # rebuilt verdict's bound still covers its own residuals.
        reached = verdict.bound
        for _, read, error in entries:
            if not is_exact(read):
                size = abs_exact(read)
                reached = max(reached, size if error is None else add_up(size, error, verdict.dps))
        bound = upper_text(reached, verdict.dps)
    return {
        "claim": verdict.claim,
        "holds": verdict.holds,
        "method": verdict.method,
        "dps": verdict.dps,
        "shift": None if verdict.shift is None else (
            [exact_text(s) for s in verdict.shift] if isinstance(verdict.shift, tuple) else exact_text(verdict.shift)),
        "cells": list(verdict.cells),
        "boundary_cells": list(verdict.boundary_cells),
        "residual": [entry for entry, _, _ in entries],
        "bound": bound,
        "certificate": _written_certificate(verdict),
        "notes": list(verdict.notes),
        "tolerance": None if verdict.tolerance is None else upper_text(verdict.tolerance, verdict.dps),
        "total_cells": verdict.total_cells,
    }



def read(cls, data):
    """A ``cls`` (Verdict) rebuilt from :func:`written` data through its constructor."""
    if not isinstance(data, Mapping):
        raise InvalidType(f"Verdict.from_dict: expected a dict but got {type(data).__name__}")
    missing = sorted(set(KEYS) - set(data))
    if missing:
        raise InvalidArgument(f"Verdict.from_dict: missing keys {missing}")
    unknown = sorted(map(str, set(data) - set(KEYS) - set(OPTIONAL_KEYS)))
    if unknown:
        raise InvalidArgument(f"Verdict.from_dict: unknown keys {unknown}; the keys are {sorted(KEYS)}")
    dps = data["dps"]
    if dps is not None and (isinstance(dps, bool) or not isinstance(dps, int)):
        raise InvalidType(f"Verdict.from_dict: expected an int or null dps but got {short_repr(dps)}")
    if dps is not None and not MIN_DPS <= dps <= MAX_DPS:
        raise InvalidArgument(f"Verdict.from_dict: expected {MIN_DPS} <= dps <= {MAX_DPS} but got dps={dps}")

    def exact(text, where):
        if not isinstance(text, str):
            raise InvalidType(f"Verdict.from_dict: expected a string for {where} but got {short_repr(text)}")
        try:
            return read_exact(text)
        except ExpressionError as exc:
            message = f"Verdict.from_dict: cannot read {where}={short_repr(text)}: {exc}"
            raise ExpressionError(message, exc.token) from None

    def number(text, where):
        if not isinstance(text, str):
            raise InvalidType(
                f"Verdict.from_dict: expected a numeric string for {where} but got {short_repr(text)}"
            )
        if dps is None:
            raise InvalidArgument(f"Verdict.from_dict: {where}={short_repr(text)} is numeric but dps is null")
        if len(text) > MAX_NUMBER_TEXT:
            raise InvalidArgument(
                f"Verdict.from_dict: {where} is {len(text)} characters long; at most {MAX_NUMBER_TEXT}"
            )
        try:
            return read_number(text, dps)
        except (ValueError, TypeError):
            raise InvalidArgument(f"Verdict.from_dict: {where}={short_repr(text)} is not a number") from None

    def sequence(value, where):
        if not isinstance(value, (list, tuple)):
            raise InvalidType(f"Verdict.from_dict: expected a list for {where} but got {short_repr(value)}")
        return value

    residual, error_bounds = [], []
    for i, entry in enumerate(sequence(data["residual"], "residual")):
        where = f"residual[{i}]"
        if isinstance(entry, Mapping) and set(entry) == {"exact"}:
            residual.append(exact(entry["exact"], where))
            error_bounds.append(None)
        elif isinstance(entry, Mapping) and set(entry) == {"value", "error"}:
            residual.append(number(entry["value"], where))
            error = entry["error"]
            error_bounds.append(None if error is None else number(error, f"{where}['error']"))
        else:
            raise InvalidArgument(
                f"Verdict.from_dict: {where} must be {{'exact': str}} or {{'value': str, 'error': str or null}} "
                f"but got {short_repr(entry)}"
            )

    certificate = data["certificate"]
    if certificate is not None:
        if not isinstance(certificate, Mapping):
            raise InvalidType(
                f"Verdict.from_dict: expected a dict or null certificate but got {short_repr(certificate)}"
            )
        certificate = dict(certificate)
        kind = certificate.get("kind")
        if kind == "exact" and "value" in certificate:
            certificate["value"] = exact(certificate["value"], "certificate['value']")
        elif kind == "ball" and {"value", "radius"} <= set(certificate):
            certificate["value"] = number(certificate["value"], "certificate['value']")
            certificate["radius"] = number(certificate["radius"], "certificate['radius']")
        # anything else is reported by the constructor's certificate check

    shift, bound = data["shift"], data["bound"]
    return cls(
        data["claim"],
        data["holds"],
        data["method"],
        residual,
        cells=sequence(data["cells"], "cells"),
        boundary_cells=sequence(data["boundary_cells"], "boundary_cells"),
        dps=dps,
        error_bounds=error_bounds if any(e is not None for e in error_bounds) else None,
        bound=None if bound is None else number(bound, "bound"),
        certificate=certificate,
        shift=None if shift is None else (
            tuple(exact(s, f"shift[{k}]") for k, s in enumerate(shift)) if isinstance(shift, list)
            else exact(shift, "shift")),
        notes=sequence(data["notes"], "notes"),
        tolerance=None if data.get("tolerance") is None else number(data["tolerance"], "tolerance"),
        total_cells=data.get("total_cells"),
    )
