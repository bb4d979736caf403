"""Input validation at the library boundary: every check that names what was wrong, in one place.

Every public function checks its inputs with :func:`check_shapes`, so a wrong
shape is reported with the expected and the actual shape instead of surfacing
later as a cryptic broadcasting error deep inside a matrix product.

    check_shapes(where, ("x", x, "N,T,D"), ...)     the sizes found, or an error naming both shapes
    as_count(where, name, value, minimum=1)         a whole number (sizes, lengths, distances)
    as_positive(where, name, value)                 a finite number > 0 (rates, temperatures, norms)
    as_nonnegative(where, name, value)              a finite number >= 0 (periods where 0 means "every time")
    as_float_array / as_int_array(name, x, where)   arrays of the right kind (indices checked against a bound)
    as_rng(seed)                                    a numpy Generator from a seed, None or a Generator
"""
import re

import numpy as np

_SYMBOL = re.compile(r"^(\d*)([A-Za-z_][A-Za-z_0-9]*)$")


def _parse(symbol):
    """'4H' -> (4, 'H'); 'N' -> (1, 'N'); '3' -> (None, 3)."""
    symbol = symbol.strip()
    if symbol.isdigit():
        return None, int(symbol)
    match = _SYMBOL.match(symbol)
    if not match:
        raise ValueError(f"bad shape symbol {symbol!r}")
    factor, name = match.groups()
    return int(factor or 1), name


def _describe(spec, dims, shape=None):
    """Render a spec such as 'N,T,D' with known sizes: '(N, T, D) = (2, 5, 3)'.

    A symbol not bound yet takes its size from `shape` (the array being checked).
    """
    parts, sizes = [], []
    for k, symbol in enumerate(spec.split(",")):
        factor, name = _parse(symbol)
        parts.append(symbol.strip())
        if factor is None:
            sizes.append(str(name))
        elif name in dims:
            sizes.append(str(factor * dims[name][0]))
        elif shape is not None and k < len(shape):
            sizes.append(str(shape[k]))
        else:
            sizes.append("?")
    text = "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    if any(s != "?" for s in sizes):
        text += " = (" + ", ".join(sizes) + ("," if len(sizes) == 1 else "") + ")"
    return text


def check_shapes(where, *specs):
    """Check array shapes against symbolic specs and return the sizes found.

    Inputs:
    - where: name of the calling function, used in error messages.
    - specs: tuples ``(name, array, "N,T,D")``. A symbol may carry a factor
      (``"4H"``); a plain number is a fixed size. The first array that uses
      a symbol fixes its size; every later use must agree.

    Returns:
    - dims: dict symbol -> size.

    Raises ValueError naming the array, its actual shape and the expected
    shape with the sizes known so far, e.g.
    ``rnn_step_forward: Wh has shape (4, 5) but should be (H, H) = (5, 5);
    H = 5 comes from h_prev``.
    """
    dims = {}  # symbol -> (size, name of the array that fixed it)
    for name, array, spec in specs:
        if array is None:
            continue
        shape = np.shape(array)
        symbols = spec.split(",")
        if len(shape) != len(symbols):
            raise ValueError(
                f"{where}: {name} should have {len(symbols)} dimension"
                f"{'s' if len(symbols) != 1 else ''} {_describe(spec, dims)}, "
                f"but it has shape {tuple(shape)}."
            )
        for symbol, size in zip(symbols, shape):
            factor, sym = _parse(symbol)
            if factor is None:
                if size != sym:
                    raise ValueError(
                        f"{where}: {name} has shape {tuple(shape)} but should be "
                        f"{_describe(spec, dims, shape)}."
                    )
                continue
            if size % factor:
                raise ValueError(
                    f"{where}: {name} has shape {tuple(shape)}; the dimension "
                    f"{symbol.strip()} must be a multiple of {factor}."
                )
            value = size // factor
            if sym in dims and dims[sym][0] != value:
                raise ValueError(
                    f"{where}: {name} has shape {tuple(shape)} but should be "
                    f"{_describe(spec, dims, shape)}; {sym} = {dims[sym][0]} comes from "
                    f"{dims[sym][1]}."
                )
            dims.setdefault(sym, (value, name))
    return {sym: size for sym, (size, _) in dims.items()}


def as_count(where, name, value, minimum=1, maximum=None):
    """`value` as an int, or a ValueError that names it: a whole number (an int or numpy integer, not a bool)
    in [minimum, maximum] (maximum None: no upper bound)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        what = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{where}: {name} must be {what}, got {value!r}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"{where}: {name} can be at most {maximum}, got {value!r}.")
    return int(value)


def as_positive(where, name, value, advice=""):
    """`value` as a float, or a ValueError that names it: a finite number > 0. `advice` is added to the message."""
    if isinstance(value, bool) or not np.isscalar(value) or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{where}: {name} must be a positive number, got {value!r}{' ' + advice if advice else ''}.")
    return float(value)


def as_nonnegative(where, name, value):
    """`value` as a float, or a ValueError that names it: a finite number >= 0."""
    if isinstance(value, bool) or not np.isscalar(value) or not np.isfinite(value) or value < 0:
        raise ValueError(f"{where}: {name} must be a number >= 0, got {value!r}.")
    return float(value)


def as_rng(seed):
    """A numpy Generator: `seed` itself when it is one, else np.random.default_rng(seed) (None: unseeded)."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def as_float_array(name, x, where):
    """Return x as a float ndarray, or raise a TypeError that says what x was."""
    array = np.asarray(x)
    if not np.issubdtype(array.dtype, np.number) or np.issubdtype(array.dtype, np.complexfloating):
        raise TypeError(f"{where}: {name} must be a real numeric array, got dtype {array.dtype}.")
    if not np.issubdtype(array.dtype, np.floating):
        array = array.astype(np.float64)
    return array


def as_int_array(name, x, where, upper=None):
    """Return x as an integer ndarray with values in [0, upper), or raise."""
    array = np.asarray(x)
    if array.dtype == bool or not np.issubdtype(array.dtype, np.integer):
        if np.issubdtype(array.dtype, np.floating) and array.size and np.all(array == np.round(array)):
            array = array.astype(np.int64)
        elif array.size == 0:
            array = array.astype(np.int64)
        else:
            raise TypeError(f"{where}: {name} must hold integer indices, got dtype {array.dtype}.")
    if array.size and array.min() < 0:
        raise ValueError(f"{where}: {name} holds a negative index ({array.min()}).")
    if upper is not None and array.size and array.max() >= upper:
        raise ValueError(
            f"{where}: {name} holds the index {array.max()}, but valid indices are 0..{upper - 1}."
        )
    return array
