"""Dot-product attention: a decoder state looks back at every encoder state.

For one query vector q (the decoder's state) and S keys k_1 .. k_S (the
encoder's states), all of size H:

    scores  e_s = k_s . q                    (no scaling by sqrt(H))
    weights a   = softmax(e) over s          (padding gets weight exactly 0)
    context c   = sum_s a_s k_s              (the keys are also the values)

Batch first: query (N, H), keys (N, S, H), weights (N, S), context (N, H).
The cache is (query, keys, weights), so a forward written by anyone fits
this backward and the other way round.
"""
import numpy as np

from ..validation import check_shapes
from .softmax import softmax


def attention_forward(query, keys, mask=None):
    """Dot-product attention of one query per batch row over S keys.

    Inputs:
    - query: (N, H) the decoder state at this step.
    - keys: (N, S, H) the encoder states (also used as the values).
    - mask: (N, S) boolean, True where a source position is real, False for
      padding; None means every position is real. Every row needs at least
      one True.

    Returns:
    - context: (N, H), the weighted sum of the keys.
    - weights: (N, S), softmax over s of keys[:, s] . query; padding gets
      weight exactly 0 and the real positions sum to 1.
    - cache: (query, keys, weights).
    """
    check_shapes("attention_forward", ("query", query, "N,H"), ("keys", keys, "N,S,H"), ("mask", mask, "N,S"))
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        mask = np.asarray(mask, dtype=bool)
        if not mask.any(axis=1).all():
            raise ValueError("attention_forward: every row of mask needs at least one True (a real position).")
        scores = np.where(mask, scores, -np.inf)
    weights = softmax(scores)                             # over s; exp(-inf) is exactly 0
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)


def attention_backward(dcontext, cache):
    """Backward pass of attention_forward.

    Inputs:
    - dcontext: (N, H) gradient of the loss with respect to context.
    - cache: (query, keys, weights) from attention_forward.

    Returns:
    - dquery: (N, H).
    - dkeys: (N, S, H). A key gets gradient along two paths: as a value
      (weights[n, s] * dcontext[n]) and through its score (dscores[n, s] * query[n]).
    """
    query, keys, weights = cache
    check_shapes("attention_backward", ("dcontext", dcontext, "N,H"), ("query", query, "N,H"),
                 ("keys", keys, "N,S,H"), ("weights", weights, "N,S"))
    dweights = np.einsum("nsh,nh->ns", keys, dcontext)
    # softmax backward: ds = a * (da - sum_s a_s da_s)
    dscores = weights * (dweights - (weights * dweights).sum(axis=1, keepdims=True))
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
