"""Typical answers to notebook 03 (backpropagation through time), wrong and right.

Each `source` replaces the whole solution cell defining `function`.
"""
from . import Variant, source_of

ASSIGNMENT = "03_bptt"


def _loss(label, body, kind="wrong", **more):
    return Variant("temporal_softmax_loss", kind, label, "def temporal_softmax_loss(scores, y, mask=None):\n" + body,
                   **more)


def _affine(label, body, kind="wrong", **more):
    return Variant("temporal_affine_backward", kind, label, "def temporal_affine_backward(dscores, cache):\n" + body,
                   **more)


def _step(label, body, kind="wrong", **more):
    return Variant("rnn_step_backward", kind, label, "def rnn_step_backward(dh_next, cache):\n" + body, **more)


def _backward(label, body, kind="wrong", **more):
    return Variant("rnn_backward", kind, label, "def rnn_backward(dh, cache):\n" + body, **more)


def _lm(label, body, kind="wrong", says=""):
    return Variant("rnn_lm_loss_and_grads", kind, label, "def rnn_lm_loss_and_grads(x, y, h0, params):\n" + body,
                   says=says)


# ----------------------------------------------------------------------------------------------- loss
_LOSS_HEAD = """\
    N, T, V = scores.shape
    mask = np.ones((N, T), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    count = mask.sum()
    probs = rnnlib.softmax(scores)
    onehot = rnnlib.one_hot(y, V)
    logp = np.log(np.sum(probs * onehot, axis=-1))
"""

LOSS = [
    _loss("loss summed instead of averaged", _LOSS_HEAD + """\
    loss = -(logp * mask).sum()
    dscores = (probs - onehot) * mask[..., None]
    return float(loss), dscores
""", says="loss summed instead of averaged over the positions"),
    _loss("mask ignored", _LOSS_HEAD + """\
    loss = -logp.mean()
    dscores = (probs - onehot) / (N * T)
    return float(loss), dscores
""", says="Hint: mask ignored."),
    _loss("divided by N*T instead of the counted positions", _LOSS_HEAD + """\
    loss = -(logp * mask).sum() / (N * T)
    dscores = (probs - onehot) * mask[..., None] / (N * T)
    return float(loss), dscores
""", says="divided by N * T = 6 instead of the number of counted positions (3)"),
    _loss("softmax over the time axis", """\
    N, T, V = scores.shape
    mask = np.ones((N, T), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = e / e.sum(axis=1, keepdims=True)
    onehot = rnnlib.one_hot(y, V)
    loss = -(np.log((probs * onehot).sum(-1)) * mask).sum() / mask.sum()
    dscores = (probs - onehot) * mask[..., None] / mask.sum()
    return float(loss), dscores
""", says="softmax over the wrong axis (it must be over the last axis, the V classes)"),
    _loss("dscores not divided by the count", _LOSS_HEAD + """\
    loss = -(logp * mask).sum() / count
    dscores = (probs - onehot) * mask[..., None]
    return float(loss), dscores
""", says="dscores not divided by the number of counted positions"),
    _loss("dscores without the minus one at the target", _LOSS_HEAD + """\
    loss = -(logp * mask).sum() / count
    dscores = probs * mask[..., None] / count
    return float(loss), dscores
""", says="dscores is the softmax itself: subtract 1 at the target class"),
    _loss("dscores with the wrong sign", _LOSS_HEAD + """\
    loss = -(logp * mask).sum() / count
    dscores = (onehot - probs) * mask[..., None] / count
    return float(loss), dscores
""", says="it is p - onehot(y), not onehot(y) - p"),
    _loss("mask used in the loss but not in dscores", _LOSS_HEAD + """\
    loss = -(logp * mask).sum() / count
    dscores = (probs - onehot) / count
    return float(loss), dscores
"""),
    _loss("mask applied to dscores but not to the loss", _LOSS_HEAD + """\
    loss = -logp.mean()
    dscores = (probs - onehot) * mask[..., None] / count
    return float(loss), dscores
""", says="dscores uses the mask, but the loss does not"),
    _loss("softmax without keepdims", """\
    N, T, V = scores.shape
    mask = np.ones((N, T), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    shifted = scores - scores.max(axis=-1)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=-1)
    onehot = rnnlib.one_hot(y, V)
    loss = -(np.log((probs * onehot).sum(-1)) * mask).sum() / mask.sum()
    dscores = (probs - onehot) * mask[..., None] / mask.sum()
    return float(loss), dscores
""", says="without keepdims=True has shape (N, T)"),
    _loss("naive softmax overflows for large scores", """\
    N, T, V = scores.shape
    mask = np.ones((N, T), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    e = np.exp(scores)
    probs = e / e.sum(axis=-1, keepdims=True)
    onehot = rnnlib.one_hot(y, V)
    loss = -(np.log((probs * onehot).sum(-1)) * mask).sum() / mask.sum()
    dscores = (probs - onehot) * mask[..., None] / mask.sum()
    return float(loss), dscores
""", says="subtract the maximum of each score vector before np.exp"),
    _loss("loss in bits (log base 2)", _LOSS_HEAD + """\
    loss = -(logp * mask).sum() / count / np.log(2)
    dscores = (probs - onehot) * mask[..., None] / count
    return float(loss), dscores
""", says="the loss is in bits (log base 2); use the natural log (nats)"),
    _loss("loss not reduced to one number", _LOSS_HEAD + """\
    loss = -logp * mask / count
    dscores = (probs - onehot) * mask[..., None] / count
    return loss, dscores
"""),
    _loss("dscores changed in place of the scores", """\
    N, T, V = scores.shape
    mask = np.ones((N, T), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    count = mask.sum()
    scores -= scores.max(axis=-1, keepdims=True)
    logp = scores - np.log(np.exp(scores).sum(axis=-1, keepdims=True))
    onehot = rnnlib.one_hot(y, V)
    loss = -((logp * onehot).sum(-1) * mask).sum() / count
    return float(loss), (np.exp(logp) - onehot) * mask[..., None] / count
"""),
    _loss("loop over positions with rnnlib.softmax", """\
    N, T, V = scores.shape
    if mask is None:
        mask = np.ones((N, T), dtype=bool)
    count = int(np.sum(mask))
    loss = 0.0
    dscores = np.zeros(scores.shape)
    for n in range(N):
        for t in range(T):
            if not mask[n, t]:
                continue
            p = rnnlib.softmax(scores[n, t])
            loss -= np.log(p[y[n, t]])
            p[y[n, t]] -= 1.0
            dscores[n, t] = p / count
    return loss / count, dscores
""", kind="correct"),
    _loss("vectorised with take_along_axis and log_softmax", """\
    if mask is None:
        mask = np.ones(y.shape, dtype=bool)
    weights = mask / np.count_nonzero(mask)
    logp = rnnlib.log_softmax(scores)
    picked = np.take_along_axis(logp, y[..., None], axis=-1)[..., 0]
    loss = -np.sum(picked * weights)
    target = np.zeros_like(scores)
    np.put_along_axis(target, y[..., None], 1.0, axis=-1)
    return loss, (np.exp(logp) - target) * weights[..., None]
""", kind="correct"),
]

# ----------------------------------------------------------------------------------------------- affine
AFFINE = [
    _affine("dW transposed", """\
    h, W, b = cache
    N, T, H = h.shape
    V = W.shape[1]
    dW = dscores.reshape(N * T, V).T @ h.reshape(N * T, H)
    return dscores @ W.T, dW, dscores.sum(axis=(0, 1))
""", says="dW has shape (5, 4) = (V, H): it is transposed. It must have the shape of W, (H, V)"),
    _affine("db summed over the batch only", """\
    h, W, b = cache
    N, T, H = h.shape
    dW = h.reshape(N * T, H).T @ dscores.reshape(N * T, -1)
    return dscores @ W.T, dW, dscores.sum(axis=0)
""", says="db not summed over time; sum over the batch AND the time axis"),
    _affine("db summed over time only", """\
    h, W, b = cache
    N, T, H = h.shape
    dW = h.reshape(N * T, H).T @ dscores.reshape(N * T, -1)
    return dscores @ W.T, dW, dscores.sum(axis=1)
""", says="db not summed over the batch; sum over the batch AND the time axis"),
    _affine("dW from the last time step only", """\
    h, W, b = cache
    dW = h[:, -1].T @ dscores[:, -1]
    return dscores @ W.T, dW, dscores.sum(axis=(0, 1))
""", says="dW is zero here: it must collect every time step and every sequence"),
    _affine("dW from the first sequence only", """\
    h, W, b = cache
    dW = h[0].T @ dscores[0]
    return dscores @ W.T, dW, dscores.sum(axis=(0, 1))
""", says="dW is zero here: it must collect every time step and every sequence"),
    _affine("dh uses W instead of W.T", """\
    h, W, b = cache
    N, T, H = h.shape
    dW = h.reshape(N * T, H).T @ dscores.reshape(N * T, -1)
    dh = np.einsum("ntv,hv->nth", dscores, W.T)
    return dh, dW, dscores.sum(axis=(0, 1))
""", says="A matrix product inside it has shapes that do not fit"),
    _affine("dW averaged over positions", """\
    h, W, b = cache
    N, T, H = h.shape
    dW = h.reshape(N * T, H).T @ dscores.reshape(N * T, -1) / (N * T)
    return dscores @ W.T, dW, dscores.sum(axis=(0, 1))
"""),
    _affine("db averaged", """\
    h, W, b = cache
    N, T, H = h.shape
    dW = h.reshape(N * T, H).T @ dscores.reshape(N * T, -1)
    return dscores @ W.T, dW, dscores.mean(axis=(0, 1))
"""),
    _affine("rows mixed up by reshaping in different orders", """\
    h, W, b = cache
    N, T, H = h.shape
    V = W.shape[1]
    dW = h.transpose(1, 0, 2).reshape(N * T, H).T @ dscores.reshape(N * T, V)
    return dscores @ W.T, dW, dscores.sum(axis=(0, 1))
"""),
    _affine("gradients returned in the wrong order", """\
    h, W, b = cache
    N, T, H = h.shape
    dW = h.reshape(N * T, H).T @ dscores.reshape(N * T, -1)
    return dW, dscores @ W.T, dscores.sum(axis=(0, 1))
"""),
    _affine("loop over time steps", """\
    h, W, b = cache
    T = h.shape[1]
    dh = np.zeros(h.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(W.shape[1])
    for t in range(T):
        dh[:, t] = np.dot(dscores[:, t], W.T)
        dW = dW + np.dot(h[:, t].T, dscores[:, t])
        db = db + np.sum(dscores[:, t], axis=0)
    return dh, dW, db
""", kind="correct"),
    _affine("einsum", """\
    h, W, b = cache
    return (np.einsum("ntv,hv->nth", dscores, W),
            np.einsum("nth,ntv->hv", h, dscores),
            np.einsum("ntv->v", dscores))
""", kind="correct"),
]

# ----------------------------------------------------------------------------------------------- step
STEP = [
    _step("cache unpacked as (x, Wx, h_prev, Wh, h_next)", """\
    x, Wx, h_prev, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="reads the cache as (x, Wx, h_prev, Wh, h_next)"),
    _step("cache unpacked with Wx and Wh swapped", """\
    x, h_prev, Wh, Wx, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="reads the cache as (x, h_prev, Wh, Wx, h_next)"),
    _step("tanh derivative missing", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="Hint: the tanh derivative is missing."),
    _step("tanh derivative from h_prev", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_prev**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="tanh derivative uses h_prev instead of h_next"),
    _step("tanh applied twice in the derivative", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - np.tanh(h_next)**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="but h_next is already tanh(a): use 1 - h_next**2"),
    _step("tanh derivative as (1 - h)^2", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next)**2
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="tanh derivative written as (1 - h_next)**2; it is 1 - h_next**2"),
    _step("dWh transposed", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, da.T @ h_prev, da.sum(axis=0)
""", says="dWh transposed (use h_prev.T @ da)"),
    _step("dWh uses h_next", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_next.T @ da, da.sum(axis=0)
""", says="it must use the state that went into the step, h_prev"),
    _step("db not summed over the batch", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da
""", says="db not summed over the batch. b is shared by all N sequences"),
    _step("db averaged over the batch", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.mean(axis=0)
"""),
    _step("dh_prev uses Wh instead of Wh.T", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, da @ Wh, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="dh_prev uses Wh instead of Wh.T"),
    _step("dh_prev skips the tanh derivative", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return da @ Wx.T, dh_next @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="Hint: the tanh derivative is missing."),
    _step("dx skips the tanh derivative", """\
    x, h_prev, Wx, Wh, h_next = cache
    da = dh_next * (1 - h_next**2)
    return dh_next @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="Hint: the tanh derivative is missing."),
    _step("dh_next changed in place", """\
    x, h_prev, Wx, Wh, h_next = cache
    dh_next *= 1 - h_next**2
    return dh_next @ Wx.T, dh_next @ Wh.T, x.T @ dh_next, h_prev.T @ dh_next, dh_next.sum(axis=0)
"""),
    _step("np.dot and an explicit derivative", """\
    x, h_prev, Wx, Wh, h_next = cache
    tanh_grad = 1.0 - np.square(h_next)
    da = np.multiply(dh_next, tanh_grad)
    dWx = np.dot(x.T, da)
    dWh = np.dot(h_prev.T, da)
    db = np.sum(da, axis=0)
    dx = np.dot(da, Wx.T)
    dh_prev = np.dot(da, Wh.T)
    return dx, dh_prev, dWx, dWh, db
""", kind="correct"),
    _step("loop over the batch", """\
    x, h_prev, Wx, Wh, h_next = cache
    N, D = x.shape
    H = h_next.shape[1]
    dx, dh_prev = np.zeros((N, D)), np.zeros((N, H))
    dWx, dWh, db = np.zeros((D, H)), np.zeros((H, H)), np.zeros(H)
    for n in range(N):
        da = dh_next[n] * (1 - h_next[n] ** 2)
        dx[n] = Wx @ da
        dh_prev[n] = Wh @ da
        dWx += np.outer(x[n], da)
        dWh += np.outer(h_prev[n], da)
        db += da
    return dx, dh_prev, dWx, dWh, db
""", kind="correct"),
]

# ----------------------------------------------------------------------------------------------- rnn_backward
_BW_HEAD = """\
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx, dWh, db = np.zeros((D, H)), np.zeros((H, H)), np.zeros(H)
    dh_prev = np.zeros((N, H))
"""

BACKWARD = [
    _backward("no recurrence: dh_prev from the next step not added", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t], cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
""", says="dh from the next step is not added"),
    _backward("dWh not accumulated over time", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
""", says="dWh is not accumulated over time steps (it holds the share of step 0 only; use +=)"),
    _backward("dWx not accumulated over time", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
""", says="dWx is not accumulated over time steps (it holds the share of step 0 only; use +=)"),
    _backward("db not accumulated over time", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
    return dx, dh_prev, dWx, dWh, db
""", says="db is not accumulated over time steps (it holds the share of step 0 only; use +=)"),
    _backward("loop runs forward in time", _BW_HEAD + """\
    for t in range(T):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
""", says="the loop runs forwards in time"),
    _backward("loop stops before step 0", _BW_HEAD + """\
    for t in range(T - 1, 0, -1):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
""", says="the loop stops before step 0"),
    _backward("right BPTT over a step backward without the tanh derivative", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
""", also=(("rnn_step_backward", source_of(STEP, "tanh derivative missing")),), says="still fails Exercise 3.3"),
    _backward("dh0 returned as the upstream dh[:, 0]", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh[:, 0], dWx, dWh, db
""", says="dh0 should be the gradient flowing out of step 0"),
    _backward("caches used in reverse order", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[T - 1 - t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
"""),
    _backward("recurrence replaces the upstream gradient", _BW_HEAD + """\
    for t in reversed(range(T)):
        upstream = dh[:, t] if t == T - 1 else dh_prev
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(upstream, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
"""),
    _backward("dx with time and batch swapped", _BW_HEAD + """\
    dx = np.zeros((T, N, D))
    for t in reversed(range(T)):
        dx[t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
""", says="time and batch axes swapped; dx[:, t] is step t"),
    _backward("dh changed in place", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t], cache[t])
        if t > 0:
            dh[:, t - 1] += dh_prev
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx, dWh, db
"""),
    _backward("weight gradients averaged over time", _BW_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dWx_t, dWh_t, db_t = rnn_step_backward(dh[:, t] + dh_prev, cache[t])
        dWx += dWx_t
        dWh += dWh_t
        db += db_t
    return dx, dh_prev, dWx / T, dWh / T, db / T
""", says="the shares of the steps are added, not averaged"),
    _backward("the step written inline, gradients collected in lists", """\
    T = len(cache)
    carry = 0.0
    dxs, dWxs, dWhs, dbs = [], [], [], []
    for t in range(T - 1, -1, -1):
        x_t, h_prev, Wx, Wh, h_t = cache[t]
        da = (dh[:, t] + carry) * (1.0 - h_t * h_t)
        dxs.append(da @ Wx.T)
        dWxs.append(x_t.T @ da)
        dWhs.append(h_prev.T @ da)
        dbs.append(da.sum(axis=0))
        carry = da @ Wh.T
    dx = np.stack(dxs[::-1], axis=1)
    return dx, carry, sum(dWxs), sum(dWhs), sum(dbs)
""", kind="correct"),
]

# ----------------------------------------------------------------------------------------------- the fixed BPTT
_LM_FORWARD = """\
    Wx, Wh, b, Wy, by = params["Wx"], params["Wh"], params["b"], params["Wy"], params["by"]
    N, T, _ = x.shape
    rows = np.arange(N)
    h, probs, loss = {-1: h0}, {}, 0.0
    for t in range(T):
        h[t] = np.tanh(x[:, t] @ Wx + h[t - 1] @ Wh + b)
        scores = h[t] @ Wy + by
        scores = scores - scores.max(axis=1, keepdims=True)
        probs[t] = np.exp(scores) / np.exp(scores).sum(axis=1, keepdims=True)
        loss -= np.log(probs[t][rows, y[:, t]]).sum()
    loss /= N * T
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dWy, dby = np.zeros_like(Wy), np.zeros_like(by)
    dh_next = np.zeros_like(h0)
    for t in reversed(range(T)):
        dscores = probs[t].copy()
        dscores[rows, y[:, t]] -= 1
        dscores /= N * T
        dWy += h[t].T @ dscores
        dby += dscores.sum(axis=0)
        dh = dscores @ Wy.T + dh_next
"""
_LM_RETURN = """\
    grads = {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby, "h0": dh_next}
    return loss, grads
"""
_A = ("        da = dh * (1 - h[t] ** 2)\n", "        da = dh * (1 - h[t - 1] ** 2)\n")
_D = ("        dWx += x[:, t].T @ da\n", "        dWx = x[:, t].T @ da\n")
_WH = "        dWh += h[t - 1].T @ da\n"
_C = ("        db += da.sum(axis=0)\n", "        dWh += da.sum(axis=0)\n")
_B = ("        dh_next = da @ Wh.T\n", "        dh = da @ Wh.T\n")


def _lm_with(label, bugs="", kind="wrong", says="", **replace):
    lines = {"A": _A, "D": _D, "C": _C, "B": _B}
    pick = {k: lines[k][1 if k in bugs else 0] for k in "ADCB"}
    pick.update(replace)
    body = _LM_FORWARD + pick["A"] + pick["D"] + replace.get("WH", _WH) + pick["C"] + pick["B"] + _LM_RETURN
    return _lm(label, body, kind, says)


LM = [
    _lm_with("all four bugs left in", "ADCB", says="look at how da is computed"),
    _lm_with("tanh derivative at the wrong time step", "A", says="look at how da is computed"),
    _lm_with("dWx not accumulated over time", "D", says="the shares of the other steps are lost"),
    _lm_with("bias gradient accumulated into dWh", "C", says="grads['b'] is all zeros"),
    _lm_with("previous-state gradient written to the wrong variable", "B", says="grads['h0'] is all zeros"),
    _lm_with("bugs 1 and 2 left in", "AD", says="look at how da is computed"),
    _lm_with("bugs 3 and 4 left in", "CB", says="grads['b'] is all zeros"),
    _lm_with("tanh derivative fixed as 1 - h", A="        da = dh * (1 - h[t])\n"),
    _lm_with("recurrence fixed with Wh instead of Wh.T", B="        dh_next = da @ Wh\n",
             says="is da @ Wh; it must be da @ Wh.T"),
    _lm_with("recurrence fixed as (Wh.T @ da.T).T, the same as da @ Wh", B="        dh_next = (Wh.T @ da.T).T\n",
             says="is da @ Wh; it must be da @ Wh.T"),
    _lm_with("bias fixed without accumulation", C="        db = da.sum(axis=0)\n"),
    _lm_with("dWh uses the state after the step", WH="        dWh += h[t].T @ da\n"),
    _lm("h0 gradient taken from the wrong variable", _LM_FORWARD + _A[0] + _D[0] + _WH + _C[0] + _B[0] + """\
    grads = {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby, "h0": dh}
    return loss, grads
"""),
    # Forbidden by the exercise: the caller's params must come back unchanged.
    _lm("takes an SGD step on params inside", _LM_FORWARD + _A[0] + _D[0] + _WH + _C[0] + _B[0] + """\
    grads = {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby, "h0": dh_next}
    for k in ("Wx", "Wh", "b", "Wy", "by"):
        params[k] -= 0.1 * grads[k]
    return loss, grads
""", says="Why it matters: this function only computes the loss and the gradients"),
    _lm_with("bias gradient put into b (that is params['b']) instead of db", C="        b += da.sum(axis=0)\n",
             says="changed params['b'] in place"),
    # The backward passes are this notebook's exercises: their rnnlib versions are the answer key.
    _lm("rebuilt from rnnlib's versions of this notebook's exercises", """\
    h, rnn_cache = rnnlib.rnn_forward(x, h0, params["Wx"], params["Wh"], params["b"])
    scores, affine_cache = rnnlib.temporal_affine_forward(h, params["Wy"], params["by"])
    loss, dscores = rnnlib.temporal_softmax_loss(scores, y)
    dh, dWy, dby = rnnlib.temporal_affine_backward(dscores, affine_cache)
    _, dh0, dWx, dWh, db = rnnlib.rnn_backward(dh, rnn_cache)
    return loss, {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby, "h0": dh0}
"""),
    _lm("rebuilt from notebook 02's forward layers and your own backward passes", """\
    h, rnn_cache = rnnlib.rnn_forward(x, h0, params["Wx"], params["Wh"], params["b"])
    scores, affine_cache = rnnlib.temporal_affine_forward(h, params["Wy"], params["by"])
    loss, dscores = temporal_softmax_loss(scores, y)
    dh, dWy, dby = temporal_affine_backward(dscores, affine_cache)
    _, dh0, dWx, dWh, db = rnn_backward(dh, rnn_cache)
    return loss, {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby, "h0": dh0}
""", kind="correct"),
    _lm("lists instead of dicts, output layer vectorised", """\
    Wx, Wh, b, Wy, by = (params[k] for k in ("Wx", "Wh", "b", "Wy", "by"))
    N, T, _ = x.shape
    states = [h0]
    for t in range(T):
        states.append(np.tanh(x[:, t] @ Wx + states[-1] @ Wh + b))
    hs = np.stack(states[1:], axis=1)                       # (N, T, H)
    scores = hs @ Wy + by
    scores = scores - scores.max(axis=-1, keepdims=True)
    logp = scores - np.log(np.exp(scores).sum(axis=-1, keepdims=True))
    target = np.eye(Wy.shape[1])[y]
    loss = -(logp * target).sum() / (N * T)
    dscores = (np.exp(logp) - target) / (N * T)
    dWy = np.einsum("nth,ntv->hv", hs, dscores)
    dby = dscores.sum(axis=(0, 1))
    dhs = dscores @ Wy.T
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    carry = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        da = (dhs[:, t] + carry) * (1 - states[t + 1] ** 2)
        dWx = dWx + x[:, t].T @ da
        dWh = dWh + states[t].T @ da
        db = db + da.sum(axis=0)
        carry = da @ Wh.T
    return float(loss), {"Wx": dWx, "Wh": dWh, "b": db, "Wy": dWy, "by": dby, "h0": carry}
""", kind="correct"),
]

VARIANTS = LOSS + AFFINE + STEP + BACKWARD + LM
