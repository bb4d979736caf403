"""Affine (fully connected) layers, for single vectors and for every time step."""

from ..validation import check_shapes


def affine_forward(x, W, b):
    """Affine layer on a batch of vectors: out = x @ W + b.

    Inputs: x (N, D), W (D, M), b (M,).
    Returns: (out, cache) with out (N, M) and cache (x, W, b).
    """
    check_shapes("affine_forward", ("x", x, "N,D"), ("W", W, "D,M"), ("b", b, "M"))
    return x @ W + b, (x, W, b)


def affine_backward(dout, cache):
    """Backward pass of affine_forward.

    Inputs: dout (N, M), the cache (x, W, b).
    Returns: (dx, dW, db) with shapes (N, D), (D, M), (M,).
    """
    x, W, b = cache
    check_shapes("affine_backward", ("dout", dout, "N,M"), ("x", x, "N,D"), ("W", W, "D,M"))
    return dout @ W.T, x.T @ dout, dout.sum(axis=0)


def temporal_affine_forward(h, W, b):
    """The same affine map applied at every time step.

    Inputs:
    - h: (N, T, H) hidden states.
    - W: (H, V) output weights.
    - b: (V,) output bias.

    Returns:
    - scores: (N, T, V), scores[:, t] = h[:, t] @ W + b.
    - cache: (h, W, b).
    """
    check_shapes("temporal_affine_forward", ("h", h, "N,T,H"), ("W", W, "H,V"), ("b", b, "V"))
    return h @ W + b, (h, W, b)


def temporal_affine_backward(dscores, cache):
    """Backward pass of temporal_affine_forward.

    Inputs:
    - dscores: (N, T, V) upstream gradient.
    - cache: (h, W, b) from the forward pass.

    Returns:
    - dh (N, T, H), dW (H, V), db (V,). W and b are shared by every time step,
      so their gradients are summed over the batch and over time.
    """
    h, W, b = cache
    dims = check_shapes(
        "temporal_affine_backward", ("dscores", dscores, "N,T,V"), ("h", h, "N,T,H"), ("W", W, "H,V")
    )
    H, V = dims["H"], dims["V"]
    dh = dscores @ W.T
    dW = h.reshape(-1, H).T @ dscores.reshape(-1, V)
    db = dscores.sum(axis=(0, 1))
    return dh, dW, db
