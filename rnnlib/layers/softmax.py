"""Softmax: turning scores into probabilities, without overflow."""
import numpy as np

from ..validation import as_float_array


def softmax(scores):
    """Softmax over the last axis.

    Inputs:
    - scores: float array of shape (..., V).

    Returns:
    - probs: array of the same shape; each slice probs[..., :] is non-negative
      and sums to 1. Subtracting the row maximum first keeps exp() from
      overflowing, so scores of +-1e4 are fine.
    """
    scores = as_float_array("scores", scores, "softmax")
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def log_softmax(scores):
    """Log of the softmax over the last axis, computed stably (shape unchanged)."""
    scores = as_float_array("scores", scores, "log_softmax")
    shifted = scores - scores.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
