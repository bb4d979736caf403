"""Softmax cross-entropy: of one prediction per example, and over a sequence of predictions."""
import numpy as np

from ..validation import as_int_array, check_shapes
from .softmax import log_softmax


def temporal_softmax_loss(scores, y, mask=None):
    """Mean cross-entropy over the counted positions of a batch of sequences.

    Inputs:
    - scores: (N, T, V) unnormalised scores (logits).
    - y: (N, T) integer targets in [0, V).
    - mask: (N, T) boolean, True where a position counts; None counts all.

    Returns:
    - loss: float, mean over counted positions of -log softmax(scores)[y],
      in nats per token.
    - dscores: (N, T, V) gradient of the loss with respect to scores.
    """
    dims = check_shapes("temporal_softmax_loss", ("scores", scores, "N,T,V"), ("y", y, "N,T"), ("mask", mask, "N,T"))
    y = as_int_array("y", y, "temporal_softmax_loss", upper=dims["V"])
    mask = np.ones(y.shape, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    count = mask.sum()
    if count == 0:
        raise ValueError("temporal_softmax_loss: the mask leaves no position to count.")
    logp = log_softmax(scores)
    picked = np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]
    loss = -(picked * mask).sum() / count
    dscores = np.exp(logp)
    np.put_along_axis(dscores, y[..., None], np.take_along_axis(dscores, y[..., None], axis=-1) - 1.0, axis=-1)
    dscores *= mask[..., None] / count
    return float(loss), dscores


def softmax_cross_entropy(scores, y):
    """Mean cross-entropy of one prediction per example, and its gradient.

    Inputs:
    - scores: (N, C) unnormalised scores (logits).
    - y: (N,) integer classes in [0, C).

    Returns:
    - loss: float, mean over the N examples of -log softmax(scores)[y], in nats.
    - dscores: (N, C) gradient of the loss with respect to scores: (softmax - one_hot(y)) / N.
    """
    N = scores.shape[0]
    logp = log_softmax(scores)
    loss = -logp[np.arange(N), y].mean()
    dscores = np.exp(logp)
    dscores[np.arange(N), y] -= 1
    dscores /= N
    return float(loss), dscores
