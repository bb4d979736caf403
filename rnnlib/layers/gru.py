"""The GRU: two gates and no separate cell state.

Gate blocks in the order r (reset), z (update), n (candidate):

    r = sigmoid(x Wx_r + h_prev Wh_r + b_r)
    z = sigmoid(x Wx_z + h_prev Wh_z + b_z)
    n = tanh(x Wx_n + r * (h_prev Wh_n) + b_n)
    h_next = (1 - z) * n + z * h_prev
"""
import numpy as np

from ..validation import check_shapes
from .lstm import sigmoid


def gru_step_forward(x, h_prev, Wx, Wh, b):
    """One GRU step.

    Inputs: x (N, D), h_prev (N, H), Wx (D, 3H), Wh (H, 3H), b (3H,), blocks r, z, n.
    Returns: h_next (N, H) and cache (x, h_prev, Wx, Wh, r, z, n, hWh_n).
    """
    dims = check_shapes("gru_step_forward", ("x", x, "N,D"), ("h_prev", h_prev, "N,H"),
                        ("Wx", Wx, "D,3H"), ("Wh", Wh, "H,3H"), ("b", b, "3H"))
    H = dims["H"]
    ax = x @ Wx + b
    ah = h_prev @ Wh
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2 * H] + ah[:, H:2 * H])
    n = np.tanh(ax[:, 2 * H:] + r * ah[:, 2 * H:])
    h_next = (1.0 - z) * n + z * h_prev
    return h_next, (x, h_prev, Wx, Wh, r, z, n, ah[:, 2 * H:])


def gru_step_backward(dh_next, cache):
    """Backward pass of one GRU step.

    Returns: dx (N, D), dh_prev (N, H), dWx (D, 3H), dWh (H, 3H), db (3H,).
    """
    x, h_prev, Wx, Wh, r, z, n, hWh_n = cache
    dn = dh_next * (1.0 - z)
    dz = dh_next * (h_prev - n)
    dan = dn * (1.0 - n**2)
    dr = dan * hWh_n
    dar, daz = dr * r * (1.0 - r), dz * z * (1.0 - z)
    dax = np.concatenate([dar, daz, dan], axis=1)
    dah = np.concatenate([dar, daz, dan * r], axis=1)
    dh_prev = dh_next * z + dah @ Wh.T
    return dax @ Wx.T, dh_prev, x.T @ dax, h_prev.T @ dah, dax.sum(axis=0)


# ----------------------------------------------------------------------------------------------------- GRU
def gru_forward(x, h0, Wx, Wh, b):
    """A GRU over a sequence (rnnlib.gru_step_forward at every step).

    Inputs: x (N, T, D), h0 (N, H), Wx (D, 3H), Wh (H, 3H), b (3H,), blocks r, z, n.
    Returns: h (N, T, H) and the list of T step caches.
    """
    dims = check_shapes("gru_forward", ("x", x, "N,T,D"), ("h0", h0, "N,H"),
                        ("Wx", Wx, "D,3H"), ("Wh", Wh, "H,3H"), ("b", b, "3H"))
    N, T, H = dims["N"], dims["T"], dims["H"]
    h = np.empty((N, T, H), dtype=np.result_type(x, h0, Wx, Wh, b))
    h_t, cache = h0, []
    for t in range(T):
        h_t, step = gru_step_forward(x[:, t], h_t, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache


def gru_backward(dh, cache):
    """Backpropagation through time for gru_forward.

    Inputs: dh (N, T, H) upstream gradient on every h[:, t]; the cache list.
    Returns: dx (N, T, D), dh0 (N, H), dWx (D, 3H), dWh (H, 3H), db (3H,).
    """
    if len(cache) != np.shape(dh)[1]:
        raise ValueError(f"gru_backward: dh covers {np.shape(dh)[1]} time steps but the cache holds {len(cache)}.")
    x0, _, Wx, Wh = cache[0][:4]
    dims = check_shapes("gru_backward", ("dh", dh, "N,T,H"), ("x", x0, "N,D"), ("Wx", Wx, "D,3H"))
    N, T, D = dims["N"], dims["T"], dims["D"]
    dx = np.empty((N, T, D), dtype=dh.dtype)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros(Wx.shape[1], dtype=Wx.dtype)
    dh_prev = np.zeros_like(dh[:, 0])
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = gru_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
