"""The fast GRU over a whole sequence, with an optional padding mask (rnnlib.models.seq2seq's encoder and decoder).

    h, cache = gru_sequence_forward(ax, h0, Wh, mask=None)     ax (N, T, 3H): x_t @ Wx + b of every step
    dax, dh0, dWh = gru_sequence_backward(dh, cache)

The gates r, z, n of rnnlib.layers.gru (h_next = (1 - z) * n + z * h_prev); the input projection of all steps
is one product before the loop, and the sigmoid is written as 0.5 * (1 + tanh(a / 2)), which cannot overflow.
"""
import numpy as np


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))   # stable for any x, one ufunc call


def gru_sequence_forward(ax, h0, Wh, mask=None):
    """A GRU over a whole sequence, time-major, with precomputed input projections.

    Inputs:
    - ax: (T, N, 3H) x_t @ Wx + b for every step (blocks r, z, n as in rnnlib.layers.gru).
    - h0: (N, H) initial state.
    - Wh: (H, 3H) recurrent weights.
    - mask: (T, N) bool or None. Where mask[t, n] is False the state is carried
      over unchanged (padding does not move the state).

    Returns:
    - h: (T, N, H) the state after every step.
    - cache: for gru_sequence_backward.
    """
    T, N, H3 = ax.shape
    H = H3 // 3
    dtype = np.result_type(ax, h0, Wh)
    h_all = np.empty((T + 1, N, H), dtype=dtype)
    rz_all = np.empty((T, N, 2 * H), dtype=dtype)
    n_all = np.empty((T, N, H), dtype=dtype)
    ahn_all = np.empty((T, N, H), dtype=dtype)
    h_all[0] = h0
    for t in range(T):
        h = h_all[t]
        ah = h @ Wh
        rz = _sigmoid(ax[t, :, :2 * H] + ah[:, :2 * H])
        n = np.tanh(ax[t, :, 2 * H:] + rz[:, :H] * ah[:, 2 * H:])
        h_new = n + rz[:, H:] * (h - n)
        if mask is not None:
            h_new = np.where(mask[t][:, None], h_new, h)
        h_all[t + 1] = h_new
        rz_all[t], n_all[t], ahn_all[t] = rz, n, ah[:, 2 * H:]
    return h_all[1:], (h_all, rz_all, n_all, ahn_all, Wh, mask)


def gru_sequence_backward(dh, cache):
    """Backward pass of gru_sequence_forward.

    Inputs: dh (T, N, H), the gradient on every h[t] from outside the recurrence.
    Returns: dax (T, N, 3H), dh0 (N, H), dWh (H, 3H).
    """
    h_all, rz_all, n_all, ahn_all, Wh, mask = cache
    T, N, H = dh.shape
    dax = np.empty((T, N, 3 * H), dtype=dh.dtype)
    dah = np.empty((T, N, 3 * H), dtype=dh.dtype)
    dh_next = np.zeros((N, H), dtype=dh.dtype)
    WhT = Wh.T
    for t in reversed(range(T)):
        g = dh[t] + dh_next
        if mask is not None:
            m = mask[t][:, None]
            carry = np.where(m, 0.0, g)
            g = np.where(m, g, 0.0)
        h_prev, r, z, n = h_all[t], rz_all[t, :, :H], rz_all[t, :, H:], n_all[t]
        dan = g * (1.0 - z) * (1.0 - n * n)
        dax[t, :, :H] = dan * ahn_all[t] * r * (1.0 - r)
        dax[t, :, H:2 * H] = g * (h_prev - n) * z * (1.0 - z)
        dax[t, :, 2 * H:] = dan
        dah[t, :, :2 * H] = dax[t, :, :2 * H]
        dah[t, :, 2 * H:] = dan * r
        dh_next = g * z + dah[t] @ WhT
        if mask is not None:
            dh_next = dh_next + carry
    dWh = h_all[:-1].reshape(-1, H).T @ dah.reshape(-1, 3 * H)
    return dax, dh_next, dWh
