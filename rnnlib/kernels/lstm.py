"""The fast float32 LSTM time loop: gates fused into one (H, 4H) product, buffers reused, one exp per step.

    hs, cs = lstm_recurrence_forward(gates, h0, c0, Wh, ws)          gates (T, N, 4H) in: x_t @ Wx + b; out: i, f, o, g
    dgates, dh0, dc0 = lstm_recurrence_backward(dhs, gates, hs, cs, Wh, ws, dc_last=None)

Time-major (T, N, ...) arrays. The same numbers as rnnlib.layers.lstm (tests/test_char_lm.py checks it in
float64); rnnlib.models.char_lm builds its LSTM layers on it. Why each trick pays: see rnnlib/models/char_lm.py.
"""
import numpy as np


def lstm_recurrence_forward(gates, h0, c0, Wh, ws):
    """The time loop of an LSTM layer, in place.

    Inputs:
    - gates: (T, N, 4H). On entry: the input projections x_t @ Wx + b for every
      step. On exit: the gate activations [i, f, o, g] of every step.
    - h0, c0: (N, H) initial hidden and cell state.
    - Wh: (H, 4H) recurrent weights.
    - ws: a Workspace (buffers h, c, tanh_c are kept there for the backward pass).

    Returns: hs (T+1, N, H) with hs[0] = h0 and hs[t+1] the state after step t,
    and cs (T+1, N, H) likewise for the cell state. Both live in ws.
    """
    T, N, H4 = gates.shape
    H = H4 // 4
    dtype = gates.dtype
    hs = ws.get("hs", (T + 1, N, H), dtype)
    cs = ws.get("cs", (T + 1, N, H), dtype)
    tanh_c = ws.get("tanh_c", (T, N, H), dtype)
    rec = ws.get("rec", (N, H4), dtype)
    tmp = ws.get("tmp", (N, H), dtype)
    # exp(scale * a): scale -1 on the sigmoid blocks i, f, o and -2 on g (tanh a = 2 sigmoid(2a) - 1).
    scale = ws.get("scale", (H4,), dtype)
    scale[:3 * H], scale[3 * H:] = -1.0, -2.0
    hs[0], cs[0] = h0, c0
    with np.errstate(over="ignore"):  # exp(large) = inf gives sigmoid = 1 / inf = 0, as it should
        for t in range(T):
            a = gates[t]
            np.matmul(hs[t], Wh, out=rec)          # the only product inside the loop: (N, H) @ (H, 4H)
            a += rec
            a *= scale
            np.exp(a, out=a)
            a += 1.0
            np.reciprocal(a, out=a)                # sigmoid(a) for i, f, o; sigmoid(2a) for g
            g = a[:, 3 * H:]
            g *= 2.0
            g -= 1.0                               # g = tanh(a_g)
            i, f, o = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H]
            c = cs[t + 1]
            np.multiply(f, cs[t], out=c)
            np.multiply(i, g, out=tmp)
            c += tmp                               # c_t = f * c_{t-1} + i * g
            np.tanh(c, out=tanh_c[t])
            np.multiply(o, tanh_c[t], out=hs[t + 1])   # h_t = o * tanh(c_t)
    return hs, cs


def lstm_recurrence_backward(dhs, gates, hs, cs, Wh, ws, dc_last=None):
    """Backpropagation through the time loop of an LSTM layer.

    Inputs:
    - dhs: (T, N, H) upstream gradient on every h_t (from the layer above).
    - gates, hs, cs: from lstm_recurrence_forward; Wh (H, 4H).
    - dc_last: optional (N, H) gradient on the final cell state (None: zero).

    Returns: da (T, N, 4H) gradient on the gate pre-activations of every step,
    dh0 (N, H), dc0 (N, H). The weight gradients follow from da with one
    product each (see CharLM): dWh = hs[:-1]^T da, dWx = x^T da, db = sum da.
    """
    T, N, H4 = gates.shape
    H = H4 // 4
    dtype = gates.dtype
    tanh_c = ws.get("tanh_c", (T, N, H), dtype)
    da_all = ws.get("da", (T, N, H4), dtype)
    dh = ws.get("dh", (N, H), dtype)
    dh_next = ws.get("dh_next", (N, H), dtype, zero=True)
    dc = ws.get("dc", (N, H), dtype, zero=True)
    if dc_last is not None:
        dc += dc_last
    tmp = ws.get("tmp", (N, H), dtype)
    ifo_slope = ws.get("ifo_slope", (N, 3 * H), dtype)
    for t in reversed(range(T)):
        a = gates[t]
        i, f, o, g = a[:, :H], a[:, H:2 * H], a[:, 2 * H:3 * H], a[:, 3 * H:]
        da = da_all[t]
        di, df, do, dg = da[:, :H], da[:, H:2 * H], da[:, 2 * H:3 * H], da[:, 3 * H:]
        np.add(dhs[t], dh_next, out=dh)                   # both paths into h_t
        np.subtract(1.0, a[:, :3 * H], out=ifo_slope)
        ifo_slope *= a[:, :3 * H]                         # sigmoid' = s (1 - s), for i, f, o at once
        # output gate: h = o * tanh(c)
        np.multiply(dh, tanh_c[t], out=do)
        do *= ifo_slope[:, 2 * H:]
        # cell: dc = dc_next + dh * o * (1 - tanh(c)^2)
        np.multiply(tanh_c[t], tanh_c[t], out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        tmp *= o
        tmp *= dh
        dc += tmp
        # input gate, forget gate, candidate
        np.multiply(dc, g, out=di)
        di *= ifo_slope[:, :H]
        np.multiply(dc, cs[t], out=df)
        df *= ifo_slope[:, H:2 * H]
        np.multiply(g, g, out=tmp)
        np.subtract(1.0, tmp, out=tmp)
        tmp *= i
        np.multiply(dc, tmp, out=dg)
        dc *= f                                           # gradient on c_{t-1}
        np.matmul(da, Wh.T, out=dh_next)                  # gradient on h_{t-1}
    return da_all, dh_next, dc
