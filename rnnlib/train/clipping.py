"""Gradient clipping by global norm: the standard remedy for exploding gradients.

    global_norm(grads)              sqrt of the sum of squares of every entry of every array
    clip_grad_norm(grads, max_norm) that norm, after scaling all the arrays in place when it exceeds max_norm
"""
import numpy as np

from ..validation import as_positive


def global_norm(grads):
    """The joint L2 norm of a dict of arrays (any shapes): a float, NaN or inf when an entry is."""
    return float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values())))


def clip_grad_norm(grads, max_norm):
    """Rescale all gradients together when their joint L2 norm is too large.

    Inputs:
    - grads: dict name -> float array (any shapes). Modified in place.
    - max_norm: positive float.

    Returns:
    - total_norm: float, sqrt of the sum of squares of every entry of every
      array, measured *before* clipping. When it exceeds max_norm, every array
      is multiplied in place by max_norm / total_norm, so the direction of the
      update is kept and only its length shrinks.
    """
    max_norm = as_positive("clip_grad_norm", "max_norm", max_norm)
    if not isinstance(grads, dict):
        raise TypeError(f"clip_grad_norm: grads must be a dict of arrays, got {type(grads).__name__}.")
    for name, g in grads.items():
        if not isinstance(g, np.ndarray) or not np.issubdtype(g.dtype, np.floating):
            raise TypeError(
                f"clip_grad_norm: grads[{name!r}] must be a float numpy array (it is scaled in place), "
                f"got {type(g).__name__}."
            )
    total = global_norm(grads)
    if total > max_norm:
        scale = max_norm / total
        for g in grads.values():
            g *= scale
    return total
