"""Numerical gradient checking, reported in words.

The idea: nudge one entry of an input by +-h, see how much a scalar changes,
and compare that slope with the gradient your backward pass computed.
"""
import numpy as np


def numerical_gradient(f, x, dout=None, h=1e-5):
    """Central-difference gradient of a function at x.

    Inputs:
    - f: function of no arguments that reads x (which is modified in place and
      restored) and returns an array `out` (or a scalar).
    - x: the float array to perturb.
    - dout: upstream gradient with the shape of `out`; the function checked is
      sum(f() * dout). None means f returns a scalar.
    - h: step size.

    Returns:
    - grad: array with the shape of x.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        plus = np.asarray(f(), dtype=np.float64).copy()
        x[i] = old - h
        minus = np.asarray(f(), dtype=np.float64).copy()
        x[i] = old
        diff = plus - minus if dout is None else (plus - minus) * dout
        grad[i] = diff.sum() / (2 * h)
        it.iternext()
    return grad


def relative_error(a, b, floor=1e-8):
    """Elementwise |a - b| / max(|a| + |b|, floor)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), floor)


def gradient_report(name, analytic, numeric, tol=1e-6):
    """Compare an analytic gradient with a numerical one; return (ok, message).

    The message names the worst entry, both values there and its relative
    error, and how many entries are beyond the tolerance, for example:
    "dWh: 6 of 16 entries are off; worst at (2, 0): analytic 0.1234, numeric -0.0567, relative error 1.0".
    """
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    if analytic.shape != numeric.shape:
        return False, f"{name}: shape {analytic.shape}, expected {numeric.shape}."
    if analytic.size == 0:
        return True, f"{name}: empty, nothing to check."
    if not np.all(np.isfinite(analytic)):
        return False, f"{name}: contains NaN or inf."
    err = relative_error(analytic, numeric)
    worst = np.unravel_index(np.argmax(err), err.shape)
    bad = int((err > tol).sum())
    where = tuple(int(i) for i in worst)
    detail = (
        f"worst at {where}: analytic {analytic[worst]:.6g}, numeric {numeric[worst]:.6g}, "
        f"relative error {err[worst]:.2g} (tolerance {tol:g})"
    )
    if bad:
        return False, f"{name}: {bad} of {err.size} entries are off; {detail}."
    return True, f"{name}: OK, {detail}."


def check_gradient(name, analytic, numeric, tol=1e-6):
    """Like gradient_report, but raise AssertionError with the message when it fails."""
    ok, message = gradient_report(name, analytic, numeric, tol)
    if not ok:
        raise AssertionError(message)
    return message


def check_layer(forward, backward, inputs, wrt=None, seed=0, tol=1e-6, h=1e-5, verbose=False):
    """Gradient-check a forward/backward pair on all (or some) of its inputs.

    Inputs:
    - forward: f(*inputs) -> (out, cache) or out, cache, ... (first item is the output).
    - backward: b(dout, cache) -> tuple of gradients, one per input in order.
    - inputs: list of float64 arrays passed to forward.
    - wrt: indices of the inputs to check (default: all); backward's outputs
      must line up with inputs.
    - seed: seed for the random upstream gradient.

    Returns the list of report messages; raises AssertionError on the first failure.
    """
    inputs = [np.array(v, dtype=np.float64) for v in inputs]
    result = forward(*inputs)
    out, cache = result[0], result[-1]
    dout = np.random.default_rng(seed).standard_normal(np.shape(out))
    grads = backward(dout, cache)
    messages = []
    for k in range(len(inputs)) if wrt is None else wrt:
        numeric = numerical_gradient(lambda: forward(*inputs)[0], inputs[k], dout, h=h)
        messages.append(check_gradient(f"input {k}", grads[k], numeric, tol))
    if verbose:
        print("\n".join(messages))
    return messages
