"""The GRU: two gates and no separate cell state.

Gate blocks in the order r (reset), z (update), n (candidate):

    r = sigmoid(x Wx_r + h_prev Wh_r + b_r)
    z = sigmoid(x Wx_z + h_prev Wh_z + b_z)
    n = tanh(x Wx_n + r * (h_prev Wh_n) + b_n)
    h_next = (1 - z) * n + z * h_prev
"""
import numpy as np

from .lstm import sigmoid
from .validation import check_shapes


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


def parameter_count(D, H, cell):
    """Number of weights of one recurrent layer: 'rnn', 'gru' or 'lstm' (input D, hidden H)."""
    blocks = {"rnn": 1, "gru": 3, "lstm": 4}
    if cell not in blocks:
        raise ValueError(f"parameter_count: cell must be one of {sorted(blocks)}, got {cell!r}.")
    return blocks[cell] * (D * H + H * H + H)
