"""The fast tanh-RNN time loop, in place in reused buffers (time-major, float32 or float64).

    hs = rnn_recurrence_forward(pre, h0, Wh, ws)          pre (T, N, H): x_t @ Wx + b of every step
    dpre, dh0 = rnn_recurrence_backward(dhs, hs, Wh, ws)

The same numbers as rnnlib.layers.rnn; rnnlib.models.char_lm builds its RNN layers on it.
"""
import numpy as np


def rnn_recurrence_forward(pre, h0, Wh, ws):
    """The time loop of a tanh RNN layer, in place.

    Inputs: pre (T, N, H), on entry x_t @ Wx + b for every step (overwritten);
    h0 (N, H); Wh (H, H). Returns hs (T+1, N, H) with hs[0] = h0.
    """
    T, N, H = pre.shape
    hs = ws.get("hs", (T + 1, N, H), pre.dtype)
    rec = ws.get("rec", (N, H), pre.dtype)
    hs[0] = h0
    for t in range(T):
        np.matmul(hs[t], Wh, out=rec)
        pre[t] += rec
        np.tanh(pre[t], out=hs[t + 1])
    return hs


def rnn_recurrence_backward(dhs, hs, Wh, ws):
    """Backward of rnn_recurrence_forward: returns da (T, N, H) and dh0 (N, H)."""
    T, N, H = dhs.shape
    da_all = ws.get("da", (T, N, H), dhs.dtype)
    dh_next = ws.get("dh_next", (N, H), dhs.dtype, zero=True)
    tmp = ws.get("tmp", (N, H), dhs.dtype)
    for t in reversed(range(T)):
        da = da_all[t]
        np.add(dhs[t], dh_next, out=da)
        np.multiply(hs[t + 1], hs[t + 1], out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        da *= tmp                                          # tanh' = 1 - h_t^2
        np.matmul(da, Wh.T, out=dh_next)
    return da_all, dh_next
