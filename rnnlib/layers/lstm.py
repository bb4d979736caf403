"""The LSTM: a cell state with input, forget and output gates.

Conventions: batch first, row vectors, the four gate blocks fused into one
matrix product and stored in the order i, f, o, g:

    a = x @ Wx + h_prev @ Wh + b            (N, 4H)
    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2H]), sigmoid(a[:, 2H:3H])
    g = tanh(a[:, 3H:])
    c_next = f * c_prev + i * g
    h_next = o * tanh(c_next)
"""
import numpy as np

from ..validation import as_float_array, check_shapes


def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), elementwise, without overflow.

    For x < 0 it uses exp(x) / (1 + exp(x)), so exp never sees a large
    positive argument: no warning even for |x| of 1e3 or more.
    Input: array of any shape. Returns: array of the same shape.
    """
    x = as_float_array("x", x, "sigmoid")
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):
    """One time step of an LSTM.

    Inputs:
    - x: (N, D) input; h_prev: (N, H) hidden state; c_prev: (N, H) cell state.
    - Wx: (D, 4H), Wh: (H, 4H), b: (4H,), gate blocks in the order i, f, o, g.

    Returns:
    - h_next: (N, H), c_next: (N, H).
    - cache: (x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next).
    """
    dims = check_shapes(
        "lstm_step_forward",
        ("x", x, "N,D"), ("h_prev", h_prev, "N,H"), ("c_prev", c_prev, "N,H"),
        ("Wx", Wx, "D,4H"), ("Wh", Wh, "H,4H"), ("b", b, "4H"),
    )
    H = dims["H"]
    a = x @ Wx + h_prev @ Wh + b
    ifo = sigmoid(a[:, :3 * H])                   # the three sigmoid gates in one call
    i, f, o = ifo[:, :H], ifo[:, H:2 * H], ifo[:, 2 * H:]
    g = np.tanh(a[:, 3 * H:])
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, (x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next)


def lstm_step_backward(dh_next, dc_next, cache):
    """Backward pass of one LSTM step.

    Inputs:
    - dh_next: (N, H) gradient on h_next; dc_next: (N, H) gradient on c_next
      (from the next time step's cell path).
    - cache: from lstm_step_forward.

    Returns:
    - dx (N, D), dh_prev (N, H), dc_prev (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next = cache
    check_shapes("lstm_step_backward", ("dh_next", dh_next, "N,H"), ("dc_next", dc_next, "N,H"),
                 ("c_next", c_next, "N,H"))
    tanh_c = np.tanh(c_next)
    dc = dc_next + dh_next * o * (1.0 - tanh_c**2)   # both paths into c_next
    da = np.concatenate([
        dc * g * i * (1.0 - i),          # input gate
        dc * c_prev * f * (1.0 - f),     # forget gate
        dh_next * tanh_c * o * (1.0 - o),  # output gate
        dc * i * (1.0 - g**2),           # candidate
    ], axis=1)
    return da @ Wx.T, da @ Wh.T, dc * f, x.T @ da, h_prev.T @ da, da.sum(axis=0)


def lstm_forward(x, h0, Wx, Wh, b):
    """Run an LSTM over a sequence; the initial cell state is zero.

    Inputs: x (N, T, D), h0 (N, H), Wx (D, 4H), Wh (H, 4H), b (4H,).
    Returns: h (N, T, H), the hidden state after every step, and the cache:
    a list of T step caches.

    It is lstm_layer_forward (below) started from c0 = 0, keeping only the hidden states.
    """
    check_shapes("lstm_forward", ("x", x, "N,T,D"), ("h0", h0, "N,H"),
                 ("Wx", Wx, "D,4H"), ("Wh", Wh, "H,4H"), ("b", b, "4H"))
    h, _, cache = lstm_layer_forward(x, h0, np.zeros_like(h0), Wx, Wh, b)
    return h, cache


def lstm_backward(dh, cache):
    """Backpropagation through time for lstm_forward.

    Inputs: dh (N, T, H) upstream gradient on every h[:, t]; the cache list.
    Returns: dx (N, T, D), dh0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    Both the hidden-state and the cell-state gradients are carried back
    from each step to the one before (lstm_layer_backward, below, which also returns dc0).
    """
    dx, dh0, _, dWx, dWh, db = lstm_layer_backward(dh, cache, where="lstm_backward")
    return dx, dh0, dWx, dWh, db


# ------------------------------------------------------------------------- the layer that models use
def lstm_layer_forward(x, h0, c0, Wx, Wh, b):
    """An LSTM over a sequence from any initial hidden and cell state: lstm_step_forward at every step.

    A character model that carries its state from one batch to the next feeds (h[:, -1], c[:, -1]) back in
    as (h0, c0); an encoder hands its last (h, c) to a decoder.

    Inputs:
    - x: (N, T, D) inputs; h0: (N, H) initial hidden state; c0: (N, H) initial cell state (None: zeros).
    - Wx: (D, 4H), Wh: (H, 4H), b: (4H,), gate blocks in the order i, f, o, g.

    Returns:
    - h: (N, T, H) hidden states, h[:, t] after step t.
    - c: (N, T, H) cell states, c[:, t] after step t.
    - cache: list of T step caches of lstm_step_forward.
    """
    if c0 is None:
        c0 = np.zeros_like(h0)
    dims = check_shapes("lstm_layer_forward", ("x", x, "N,T,D"), ("h0", h0, "N,H"), ("c0", c0, "N,H"),
                        ("Wx", Wx, "D,4H"), ("Wh", Wh, "H,4H"), ("b", b, "4H"))
    N, T, H = dims["N"], dims["T"], dims["H"]
    dtype = np.result_type(x, h0, c0, Wx, Wh, b)
    h, c = np.empty((N, T, H), dtype=dtype), np.empty((N, T, H), dtype=dtype)
    h_t, c_t, cache = h0, c0, []
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t], c[:, t] = h_t, c_t
        cache.append(step)
    return h, c, cache


def lstm_layer_backward(dh, cache, dc=None, where="lstm_layer_backward"):
    """Backpropagation through time for lstm_layer_forward (or lstm_forward): lstm_step_backward at every step.

    Inputs:
    - dh: (N, T, H) upstream gradient on every hidden state h[:, t].
    - cache: the list of T step caches of lstm_layer_forward or lstm_forward.
    - dc: optional (N, T, H) upstream gradient on every cell state c[:, t] (usually zero except on the
      last step, when the final cell state is handed on to another layer).

    Returns:
    - dx (N, T, D), dh0 (N, H), dc0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    if len(cache) != np.shape(dh)[1]:
        raise ValueError(f"{where}: dh covers {np.shape(dh)[1]} time steps but the cache holds {len(cache)}.")
    x0, _, _, Wx, Wh = cache[0][:5]
    dims = check_shapes(where, ("dh", dh, "N,T,H"), ("x", x0, "N,D"), ("Wx", Wx, "D,4H"))
    if dc is not None:
        check_shapes(where, ("dh", dh, "N,T,H"), ("dc", dc, "N,T,H"))
    N, T, D, H = dims["N"], dims["T"], dims["D"], dims["H"]
    dtype = np.result_type(dh, Wx)
    dx = np.empty((N, T, D), dtype=dtype)
    dWx, dWh, db = np.zeros(Wx.shape, dtype), np.zeros(Wh.shape, dtype), np.zeros(4 * H, dtype)
    dh_prev, dc_prev = np.zeros((N, H), dtype=dtype), np.zeros((N, H), dtype=dtype)
    for t in reversed(range(T)):
        dc_t = dc_prev if dc is None else dc_prev + dc[:, t]
        dx[:, t], dh_prev, dc_prev, dWx_t, dWh_t, db_t = lstm_step_backward(dh[:, t] + dh_prev, dc_t, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dc_prev, dWx, dWh, db
