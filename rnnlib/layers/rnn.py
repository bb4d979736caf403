"""The vanilla (Elman) RNN: one step, a whole sequence, and their backward passes.

Conventions: batch first, row vectors. One step is

    h_next = tanh(x @ Wx + h_prev @ Wh + b)

with x (N, D), h_prev (N, H), Wx (D, H), Wh (H, H), b (H,).
"""
import numpy as np

from ..validation import check_shapes


def rnn_step_forward(x, h_prev, Wx, Wh, b):
    """One time step of a tanh RNN.

    Inputs:
    - x: (N, D) input at this step.
    - h_prev: (N, H) hidden state from the previous step.
    - Wx: (D, H) input-to-hidden weights.
    - Wh: (H, H) hidden-to-hidden weights.
    - b: (H,) bias.

    Returns:
    - h_next: (N, H) the new hidden state.
    - cache: (x, h_prev, Wx, Wh, h_next), what the backward pass needs.
    """
    check_shapes(
        "rnn_step_forward",
        ("x", x, "N,D"), ("h_prev", h_prev, "N,H"), ("Wx", Wx, "D,H"), ("Wh", Wh, "H,H"), ("b", b, "H"),
    )
    h_next = np.tanh(x @ Wx + h_prev @ Wh + b)
    return h_next, (x, h_prev, Wx, Wh, h_next)


def rnn_step_backward(dh_next, cache):
    """Backward pass of one RNN step.

    Inputs:
    - dh_next: (N, H) gradient of the loss with respect to h_next.
    - cache: (x, h_prev, Wx, Wh, h_next) from rnn_step_forward.

    Returns:
    - dx (N, D), dh_prev (N, H), dWx (D, H), dWh (H, H), db (H,).
    """
    x, h_prev, Wx, Wh, h_next = cache
    check_shapes("rnn_step_backward", ("dh_next", dh_next, "N,H"), ("h_next", h_next, "N,H"))
    da = dh_next * (1.0 - h_next**2)  # tanh'(a) = 1 - tanh(a)^2
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def rnn_forward(x, h0, Wx, Wh, b):
    """Run the RNN over a whole sequence.

    Inputs:
    - x: (N, T, D) input sequence.
    - h0: (N, H) initial hidden state.
    - Wx (D, H), Wh (H, H), b (H,): the weights, shared by every step.

    Returns:
    - h: (N, T, H); h[:, t] is the hidden state after step t.
    - cache: list of T step caches, one per time step.
    """
    dims = check_shapes(
        "rnn_forward",
        ("x", x, "N,T,D"), ("h0", h0, "N,H"), ("Wx", Wx, "D,H"), ("Wh", Wh, "H,H"), ("b", b, "H"),
    )
    N, T, H = dims["N"], dims["T"], dims["H"]
    h = np.empty((N, T, H), dtype=np.result_type(x, h0, Wx, Wh, b))
    cache = []
    h_prev = h0
    for t in range(T):
        h_prev, step_cache = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(step_cache)
    return h, cache


def rnn_backward(dh, cache):
    """Backpropagation through time for rnn_forward.

    Inputs:
    - dh: (N, T, H) upstream gradient on every hidden state h[:, t]
      (for example from an output layer at every step).
    - cache: the list of step caches from rnn_forward.

    Returns:
    - dx (N, T, D), dh0 (N, H), dWx (D, H), dWh (H, H), db (H,).
      The weight gradients are summed over all time steps, because the same
      weights are used at every step.
    """
    if len(cache) != np.shape(dh)[1]:
        raise ValueError(
            f"rnn_backward: dh covers {np.shape(dh)[1]} time steps but the cache holds {len(cache)}."
        )
    x0, _, Wx, Wh, _ = cache[0]
    dims = check_shapes("rnn_backward", ("dh", dh, "N,T,H"), ("x", x0, "N,D"), ("Wx", Wx, "D,H"))
    N, T, D = dims["N"], dims["T"], dims["D"]
    dx = np.empty((N, T, D), dtype=dh.dtype)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wh.shape[0], dtype=Wh.dtype)
    dh_prev = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        # h[:, t] receives gradient from the output at t and from step t + 1.
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
