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
    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2 * H]), sigmoid(a[:, 2 * H:3 * H])
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
    """
    dims = check_shapes("lstm_forward", ("x", x, "N,T,D"), ("h0", h0, "N,H"),
                        ("Wx", Wx, "D,4H"), ("Wh", Wh, "H,4H"), ("b", b, "4H"))
    N, T, H = dims["N"], dims["T"], dims["H"]
    h = np.empty((N, T, H), dtype=np.result_type(x, h0, Wx, Wh, b))
    h_t, c_t = h0, np.zeros_like(h0)
    cache = []
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache


def lstm_backward(dh, cache):
    """Backpropagation through time for lstm_forward.

    Inputs: dh (N, T, H) upstream gradient on every h[:, t]; the cache list.
    Returns: dx (N, T, D), dh0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    Both the hidden-state and the cell-state gradients are carried back
    from each step to the one before.
    """
    if len(cache) != np.shape(dh)[1]:
        raise ValueError(f"lstm_backward: dh covers {np.shape(dh)[1]} time steps but the cache holds {len(cache)}.")
    x0, _, _, Wx, Wh = cache[0][:5]
    dims = check_shapes("lstm_backward", ("dh", dh, "N,T,H"), ("x", x0, "N,D"), ("Wx", Wx, "D,4H"))
    N, T, D = dims["N"], dims["T"], dims["D"]
    dx = np.empty((N, T, D), dtype=dh.dtype)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wx.shape[1], dtype=Wx.dtype)
    dh_prev, dc_prev = np.zeros_like(dh[:, 0]), np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, dWx_t, dWh_t, db_t = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db


# ---------------------------------------------------------------------------------------------------- LSTM
def lstm_layer_forward(x, h0, c0, Wx, Wh, b):
    """An LSTM over a sequence from any initial hidden and cell state.

    The same numbers as rnnlib.lstm_forward (when c0 is zero), computed faster: the input
    projection x @ Wx + b of all T steps is one matrix product, and only h_prev @ Wh stays in the loop.

    Inputs:
    - x: (N, T, D) inputs; h0: (N, H) initial hidden state; c0: (N, H) initial cell state (None: zeros).
    - Wx: (D, 4H), Wh: (H, 4H), b: (4H,), gate blocks in the order i, f, o, g.

    Returns:
    - h: (N, T, H) hidden states, h[:, t] after step t.
    - c: (N, T, H) cell states, c[:, t] after step t.
    - cache: list of T step caches (x_t, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next), the layout of
      rnnlib.lstm_step_forward, so rnnlib.lstm_backward accepts it too.
    """
    if c0 is None:
        c0 = np.zeros_like(h0)
    dims = check_shapes("lstm_layer_forward", ("x", x, "N,T,D"), ("h0", h0, "N,H"), ("c0", c0, "N,H"),
                        ("Wx", Wx, "D,4H"), ("Wh", Wh, "H,4H"), ("b", b, "4H"))
    N, T, H = dims["N"], dims["T"], dims["H"]
    dtype = np.result_type(x, h0, c0, Wx, Wh, b)
    h, c = np.empty((N, T, H), dtype=dtype), np.empty((N, T, H), dtype=dtype)
    ax = x @ Wx + b                                   # (N, T, 4H): the input part of every step at once
    h_t, c_t, cache = h0, c0, []
    for t in range(T):
        a = ax[:, t] + h_t @ Wh
        ifo = 0.5 * (1.0 + np.tanh(0.5 * a[:, :3 * H]))   # sigmoid, written so that it cannot overflow
        i, f, o = ifo[:, :H], ifo[:, H:2 * H], ifo[:, 2 * H:]
        g = np.tanh(a[:, 3 * H:])
        c_next = f * c_t + i * g
        h_next = o * np.tanh(c_next)
        cache.append((x[:, t], h_t, c_t, Wx, Wh, i, f, o, g, c_next))
        h[:, t], c[:, t] = h_next, c_next
        h_t, c_t = h_next, c_next
    return h, c, cache


def lstm_layer_backward(dh, cache, dc=None):
    """Backpropagation through time for lstm_layer_forward (or rnnlib.lstm_forward).

    Inputs:
    - dh: (N, T, H) upstream gradient on every hidden state h[:, t].
    - cache: the list of T step caches of lstm_layer_forward or rnnlib.lstm_forward.
    - dc: optional (N, T, H) upstream gradient on every cell state c[:, t] (usually zero except on the
      last step, when the final cell state is handed on to another layer).

    Returns:
    - dx (N, T, D), dh0 (N, H), dc0 (N, H), dWx (D, 4H), dWh (H, 4H), db (4H,).
    """
    if len(cache) != np.shape(dh)[1]:
        raise ValueError(f"lstm_layer_backward: dh covers {np.shape(dh)[1]} time steps "
                         f"but the cache holds {len(cache)}.")
    x0, _, _, Wx, Wh = cache[0][:5]
    dims = check_shapes("lstm_layer_backward", ("dh", dh, "N,T,H"), ("x", x0, "N,D"), ("Wx", Wx, "D,4H"))
    if dc is not None:
        check_shapes("lstm_layer_backward", ("dh", dh, "N,T,H"), ("dc", dc, "N,T,H"))
    N, T, D = dims["N"], dims["T"], dims["D"]
    H = dims["H"]
    dtype = np.result_type(dh, Wx)
    dx = np.empty((N, T, D), dtype=dtype)
    dWx, dWh, db = np.zeros(Wx.shape, dtype), np.zeros(Wh.shape, dtype), np.zeros(4 * H, dtype)
    dh_prev, dc_prev = np.zeros((N, H), dtype=dtype), np.zeros((N, H), dtype=dtype)
    for t in reversed(range(T)):
        x_t, h_prev, c_prev, _, _, i, f, o, g, c_next = cache[t]
        dh_t = dh[:, t] + dh_prev
        tanh_c = np.tanh(c_next)
        dc_t = dc_prev + dh_t * o * (1.0 - tanh_c**2)
        if dc is not None:
            dc_t = dc_t + dc[:, t]
        da = np.concatenate([dc_t * g * i * (1.0 - i), dc_t * c_prev * f * (1.0 - f),
                             dh_t * tanh_c * o * (1.0 - o), dc_t * i * (1.0 - g**2)], axis=1)
        dx[:, t] = da @ Wx.T
        dWx += x_t.T @ da
        dWh += h_prev.T @ da
        db += da.sum(axis=0)
        dh_prev = da @ Wh.T
        dc_prev = dc_t * f
    return dx, dh_prev, dc_prev, dWx, dWh, db
