"""Typical answers to notebook 05 (the LSTM), wrong and right.

Each `source` replaces the whole solution cell defining `function`.
"""
from . import Variant, source_of

ASSIGNMENT = "05_lstm"


def _sig(label, body, kind="wrong", **more):
    return Variant("sigmoid", kind, label, "def sigmoid(x):\n" + body, **more)


def _step(label, body, kind="wrong", **more):
    return Variant("lstm_step_forward", kind, label, "def lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b):\n" + body,
                   **more)


def _sback(label, body, kind="wrong", **more):
    return Variant("lstm_step_backward", kind, label, "def lstm_step_backward(dh_next, dc_next, cache):\n" + body,
                   **more)


def _fwd(label, body, kind="wrong", **more):
    return Variant("lstm_forward", kind, label, "def lstm_forward(x, h0, Wx, Wh, b):\n" + body, **more)


def _bwd(label, body, kind="wrong", **more):
    return Variant("lstm_backward", kind, label, "def lstm_backward(dh, cache):\n" + body, **more)


def _gru(label, body, kind="wrong", **more):
    return Variant("gru_step_forward", kind, label, "def gru_step_forward(x, h_prev, Wx, Wh, b):\n" + body, **more)


# ---------------------------------------------------------------------------------------------------- sigmoid
SIGMOID = [
    _sig("naive formula overflows", """\
    return 1 / (1 + np.exp(-x))
""", says="for x >= 0 use 1 / (1 + exp(-x)), for x < 0 exp(x) / (1 + exp(x))"),
    _sig("np.where evaluates both branches", """\
    return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))
""", says="overflowed or divided by zero"),
    _sig("tanh instead of sigmoid", """\
    return np.tanh(x)
""", says="this is tanh(x), not the logistic sigmoid"),
    _sig("sign flipped", """\
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, z / (1 + z), 1 / (1 + z))
""", says="the sign is flipped: sigmoid(x) = 1 / (1 + exp(-x)), here it is 1 / (1 + exp(x))"),
    _sig("clipped too tightly before the naive formula", """\
    x = np.clip(x, -10, 10)
    return 1 / (1 + np.exp(-x))
"""),
    _sig("clips the input in place", """\
    np.clip(x, -500, 500, out=x)
    return 1 / (1 + np.exp(-x))
""", says="sigmoid changed its input x in place"),
    _sig("tanh identity without the halves", """\
    return 0.5 * (1 + np.tanh(x))
""", says="0.5 * (1 + tanh(x)) is missing the halves inside: sigmoid(x) = 0.5 * (1 + tanh(x / 2))"),
    _sig("math.exp in a loop overflows", """\
    import math
    return np.vectorize(lambda v: 1 / (1 + math.exp(-v)))(x)
""", says="overflowed or divided by zero"),
    _sig("computed in float32", """\
    x = np.asarray(x, dtype=np.float32)
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))
""", says="sigmoid returned float32 for a float64 input; keep float64"),
    _sig("tanh identity", """\
    return 0.5 * (1.0 + np.tanh(0.5 * x))
""", kind="correct"),
    _sig("boolean masks", """\
    x = np.asarray(x, dtype=float)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1.0 + e)
    return out
""", kind="correct"),
    _sig("clip at 500 then the naive formula", """\
    return 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500)))
""", kind="correct"),
    _sig("logaddexp", """\
    return np.exp(-np.logaddexp(0.0, -x))
""", kind="correct"),
]

# ----------------------------------------------------------------------------------------- lstm_step_forward
_GATES = """\
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh + b
"""


def _step_body(gates, c_line, h_line):
    return _GATES + gates + c_line + h_line + "    return h_next, c_next, (x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next)\n"


_IFOG = """\
    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2*H]), sigmoid(a[:, 2*H:3*H])
    g = np.tanh(a[:, 3*H:])
"""
_C = "    c_next = f * c_prev + i * g\n"
_H = "    h_next = o * np.tanh(c_next)\n"

STEP_FORWARD = [
    _step("gate order i, f, g, o", _step_body("""\
    i, f = sigmoid(a[:, :H]), sigmoid(a[:, H:2*H])
    g = np.tanh(a[:, 2*H:3*H])
    o = sigmoid(a[:, 3*H:])
""", _C, _H),
        says=("the gate blocks are in the order i, f, g, o; the contract is i, f, o, g (o is the third block, g the"
              " fourth)")),
    _step("gate order f, i, o, g", _step_body("""\
    f, i, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2*H]), sigmoid(a[:, 2*H:3*H])
    g = np.tanh(a[:, 3*H:])
""", _C, _H),
        says=("the input and forget gates are swapped: either the blocks are read in the order f, i, o, g (the "
              "contract is i, f, o, g), or the cell update is i * c_prev + f * g instead of f * c_prev + i * g")),
    _step("input and forget gates swapped in the cell update", _step_body(_IFOG, "    c_next = i * c_prev + f * g\n", _H),
        says=("the input and forget gates are swapped: either the blocks are read in the order f, i, o, g (the "
              "contract is i, f, o, g), or the cell update is i * c_prev + f * g instead of f * c_prev + i * g")),
    _step("tanh missing on the cell", _step_body(_IFOG, _C, "    h_next = o * c_next\n"),
        says="tanh is missing on the cell: h_next = o * tanh(c_next), not o * c_next"),
    _step("forget gate not applied", _step_body(_IFOG, "    c_next = c_prev + i * g\n", _H),
        says="the forget gate is not applied: c_next = f * c_prev + i * g, not c_prev + i * g"),
    _step("h_next from c_prev", _step_body(_IFOG, _C, "    h_next = o * np.tanh(c_prev)\n"),
        says="h_next uses the old cell state c_prev; it must use the new one, c_next"),
    _step("sigmoid on g", _step_body("""\
    i, f, o = sigmoid(a[:, :H]), sigmoid(a[:, H:2*H]), sigmoid(a[:, 2*H:3*H])
    g = sigmoid(a[:, 3*H:])
""", _C, _H), says="g got a sigmoid; the candidate g = tanh(a_g) is the only block with tanh"),
    _step("input gate not applied", _step_body(_IFOG, "    c_next = f * c_prev + g\n", _H),
        says="the input gate is not applied: c_next = f * c_prev + i * g, not f * c_prev + g"),
    _step("bias forgotten", """\
    H = h_prev.shape[1]
    a = x @ Wx + h_prev @ Wh
""" + _IFOG + _C + _H + "    return h_next, c_next, (x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next)\n",
        says="the bias b is missing from a = x @ Wx + h_prev @ Wh + b"),
    _step("calls the rnnlib reference", """\
    return rnnlib.lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
"""),
    _step("updates c_prev in place", _step_body(_IFOG, """\
    c_prev *= f
    c_prev += i * g
    c_next = c_prev
""", _H), says="lstm_step_forward changed its input c_prev in place"),
    _step("np.split and separate names", """\
    a = np.dot(x, Wx) + np.dot(h_prev, Wh) + b
    ai, af, ao, ag = np.split(a, 4, axis=1)
    i, f, o, g = sigmoid(ai), sigmoid(af), sigmoid(ao), np.tanh(ag)
    c_next = i * g + f * c_prev
    h_next = np.tanh(c_next) * o
    return h_next, c_next, (x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next)
""", kind="correct"),
    _step("one product per gate", """\
    H = h_prev.shape[1]
    def block(k):
        cols = slice(k * H, (k + 1) * H)
        return x @ Wx[:, cols] + h_prev @ Wh[:, cols] + b[cols]
    i, f, o, g = sigmoid(block(0)), sigmoid(block(1)), sigmoid(block(2)), np.tanh(block(3))
    c_next = f * c_prev + i * g
    h_next = o * np.tanh(c_next)
    return h_next, c_next, (x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next)
""", kind="correct"),
]

# ---------------------------------------------------------------------------------------- lstm_step_backward
_SB_HEAD = """\
    x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next = cache
    tc = np.tanh(c_next)
"""
_SB_TAIL = """\
    return da @ Wx.T, da @ Wh.T, dc * f, x.T @ da, h_prev.T @ da, da.sum(axis=0)
"""
_DC = "    dc = dc_next + dh_next * o * (1 - tc**2)\n"
_DA = "    da = np.hstack([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dh_next * tc * o * (1 - o), dc * i * (1 - g**2)])\n"

STEP_BACKWARD = [
    _sback("da blocks in the order i, f, g, o", _SB_HEAD + _DC + """\
    da = np.hstack([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * i * (1 - g**2), dh_next * tc * o * (1 - o)])
""" + _SB_TAIL, says="the gradient blocks are in the order i, f, g, o; da must follow the gate order i, f, o, g"),
    _sback("sigmoid derivative missing", _SB_HEAD + _DC + """\
    da = np.hstack([dc * g, dc * c_prev, dh_next * tc, dc * i * (1 - g**2)])
""" + _SB_TAIL, says="the sigmoid derivative s * (1 - s) is missing on the gates i, f, o"),
    _sback("sigmoid applied again to the activated gates", _SB_HEAD + _DC + """\
    si, sf, so = sigmoid(i), sigmoid(f), sigmoid(o)
    da = np.hstack([dc * g * si * (1 - si), dc * c_prev * sf * (1 - sf), dh_next * tc * so * (1 - so), dc * i * (1 - g**2)])
""" + _SB_TAIL, says="you apply sigmoid again to a gate that is already activated: σ'(a) = i * (1 - i) where i is "
                     "the gate value in the cache"),
    _sback("tanh derivative of g missing", _SB_HEAD + _DC + """\
    da = np.hstack([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dh_next * tc * o * (1 - o), dc * i])
""" + _SB_TAIL, says="the tanh derivative 1 - g**2 of the candidate g is missing"),
    _sback("path from h_next into the cell missing", _SB_HEAD + "    dc = dc_next\n" + _DA + _SB_TAIL,
        says="the path from h_next into the cell is missing: dc = dc_next + dh_next * o * (1 - tanh(c_next)**2)"),
    _sback("tanh derivative on the cell path missing", _SB_HEAD + "    dc = dc_next + dh_next * o\n" + _DA + _SB_TAIL,
        says=("the derivative of tanh(c_next) is missing: dh_next reaches c_next as dh_next * o * (1 - "
              "tanh(c_next)**2)")),
    _sback("tanh of c_prev instead of c_next", """\
    x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next = cache
    tc = np.tanh(c_prev)
""" + _DC + _DA + _SB_TAIL, says="tanh(c_prev) is used where the forward used tanh(c_next)"),
    _sback("forget gate not applied to dc_prev", _SB_HEAD + _DC + _DA + """\
    return da @ Wx.T, da @ Wh.T, dc, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="the forget gate is not applied on the way back: dc_prev = dc * f"),
    _sback("dc_prev from dc_next only", _SB_HEAD + _DC + _DA + """\
    return da @ Wx.T, da @ Wh.T, dc_next * f, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="the path from h_next into the cell is missing: dc = dc_next + dh_next * o * (1 - tanh(c_next)**2)"),
    _sback("dWx transposed", _SB_HEAD + _DC + _DA + """\
    return da @ Wx.T, da @ Wh.T, dc * f, da.T @ x, h_prev.T @ da, da.sum(axis=0)
""", says="dWx has shape (8, 3) = (4H, D): it is transposed"),
    _sback("db not summed over the batch", _SB_HEAD + _DC + _DA + """\
    return da @ Wx.T, da @ Wh.T, dc * f, x.T @ da, h_prev.T @ da, da
""", says="db is not summed over the batch"),
    _sback("Wx not transposed for dx", _SB_HEAD + _DC + _DA + """\
    return da @ Wx, da @ Wh.T, dc * f, x.T @ da, h_prev.T @ da, da.sum(axis=0)
""", says="A matrix product has shapes that do not fit: compare each factor's shape with the formulas in the text"),
    _sback("output gate gradient from dc instead of dh_next", _SB_HEAD + _DC + """\
    da = np.hstack([dc * g * i * (1 - i), dc * c_prev * f * (1 - f), dc * tc * o * (1 - o), dc * i * (1 - g**2)])
""" + _SB_TAIL, says="the output gate's gradient comes from dh_next only (h_next = o * tanh(c_next)), not from dc"),
    _sback("named steps with np.dot", """\
    x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next = cache
    d_o = dh_next * np.tanh(c_next)
    d_c = dh_next * o * (1.0 - np.tanh(c_next) ** 2) + dc_next
    d_i, d_f, d_g = d_c * g, d_c * c_prev, d_c * i
    da = np.concatenate((d_i * i * (1 - i), d_f * f * (1 - f), d_o * o * (1 - o), d_g * (1 - g * g)), axis=1)
    dWx = np.dot(x.T, da)
    dWh = np.dot(h_prev.T, da)
    db = np.sum(da, axis=0)
    dx = np.dot(da, Wx.T)
    dh_prev = np.dot(da, Wh.T)
    dc_prev = f * d_c
    return dx, dh_prev, dc_prev, dWx, dWh, db
""", kind="correct"),
    _sback("filled in block by block", """\
    x, h_prev, c_prev, Wx, Wh, i, f, o, g, c_next = cache
    N, H = dh_next.shape
    t = np.tanh(c_next)
    dc = dc_next + dh_next * o * (1 - t * t)
    da = np.zeros((N, 4 * H))
    da[:, :H] = dc * g * i * (1 - i)
    da[:, H:2 * H] = dc * c_prev * f * (1 - f)
    da[:, 2 * H:3 * H] = dh_next * t * o * (1 - o)
    da[:, 3 * H:] = dc * i * (1 - g ** 2)
    return da @ Wx.T, da @ Wh.T, dc * f, x.T @ da, h_prev.T @ da, da.sum(0)
""", kind="correct"),
]

# ---------------------------------------------------------------------------------------------- lstm_forward
_FWD_HEAD = """\
    N, T, _ = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = []
"""

FORWARD = [
    _fwd("c0 set to h0", _FWD_HEAD + """\
    h_t, c_t = h0, h0
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache
""", says="the initial cell state must be zero, not h0"),
    _fwd("h0 ignored", _FWD_HEAD + """\
    h_t, c_t = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache
""", says="the first step must start from h0, not from zeros"),
    _fwd("every step starts from h0", _FWD_HEAD + """\
    c_t = np.zeros((N, H))
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h0, c_t, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache
""", says="every step starts again from h0; pass the new h_next to the next step"),
    _fwd("cell state not carried", _FWD_HEAD + """\
    h_t = h0
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, np.zeros((N, H)), Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache
""", says="the cell state is reset at every step; pass c_next on to the next step"),
    _fwd("returns the cell states", _FWD_HEAD + """\
    h_t, c_t = h0, np.zeros((N, H))
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t] = c_t
        cache.append(step)
    return h, cache
""", says="h holds the cell states c; it should hold the hidden states h_next"),
    _fwd("time-major output", _FWD_HEAD + """\
    h_t, c_t, hs = h0, np.zeros((N, H)), []
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        hs.append(h_t)
        cache.append(step)
    return np.array(hs), cache
""", says="h must be (N, T, H), batch first"),
    _fwd("stores the state before the step", _FWD_HEAD + """\
    h_t, c_t = h0, np.zeros((N, H))
    for t in range(T):
        h[:, t] = h_t
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        cache.append(step)
    return h, cache
"""),
    _fwd("calls the rnnlib reference", """\
    return rnnlib.lstm_forward(x, h0, Wx, Wh, b)
"""),
    _fwd("keeps only the last step cache", _FWD_HEAD + """\
    h_t, c_t = h0, np.zeros((N, H))
    for t in range(T):
        h_t, c_t, cache = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t] = h_t
    return h, cache
""", says="cache should be a list with one step cache per time step"),
    _fwd("indexes time on the first axis", _FWD_HEAD + """\
    h_t, c_t = h0, np.zeros((N, H))
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[t], h_t, c_t, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache
""", says="the input of step t for every sequence is x[:, t]"),
    _fwd("right loop over a step without the forget gate", _FWD_HEAD + """\
    h_t, c_t = h0, np.zeros((N, H))
    for t in range(T):
        h_t, c_t, step = lstm_step_forward(x[:, t], h_t, c_t, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(step)
    return h, cache
""", also=(("lstm_step_forward", source_of(STEP_FORWARD, "forget gate not applied")),), says="still fails Exercise 5.2"),
    _fwd("stacked list of states", """\
    states, cache = [], []
    h_t, c_t = h0, np.zeros_like(h0)
    for x_t in np.moveaxis(x, 1, 0):
        h_t, c_t, step = lstm_step_forward(x_t, h_t, c_t, Wx, Wh, b)
        states.append(h_t)
        cache.append(step)
    return np.stack(states, axis=1), cache
""", kind="correct"),
]

# --------------------------------------------------------------------------------------------- lstm_backward
_BWD_HEAD = """\
    N, T, H = dh.shape
    D = cache[0][0].shape[1]
    dx = np.zeros((N, T, D))
    dWx, dWh, db = np.zeros((D, 4 * H)), np.zeros((H, 4 * H)), np.zeros(4 * H)
    dh_prev, dc_prev = np.zeros((N, H)), np.zeros((N, H))
"""

BACKWARD = [
    _bwd("right BPTT over a step backward without the sigmoid derivative", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
        dWx += a; dWh += c; db += d
    return dx, dh_prev, dWx, dWh, db
""", also=(("lstm_step_backward", source_of(STEP_BACKWARD, "sigmoid derivative missing")),),
        says="still fails Exercise 5.3"),
    _bwd("cell gradient not carried through time", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, np.zeros((N, H)), cache[t])
        dWx += a; dWh += c; db += d
    return dx, dh_prev, dWx, dWh, db
""", says="the cell-state gradient is not carried through time: pass dc_prev of step t on as dc_next of step t-1"),
    _bwd("hidden gradient not carried through time", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t], dc_prev, cache[t])
        dWx += a; dWh += c; db += d
    return dx, dh_prev, dWx, dWh, db
""", says="dh_prev of step t is not added to the upstream dh[:, t-1]"),
    _bwd("weights from the last step only", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
        if t == T - 1:
            dWx, dWh, db = a, c, d
    return dx, dh_prev, dWx, dWh, db
""", says="the weight gradients are not accumulated over time steps (they hold the share of step T-1 only; use +=). "),
    _bwd("weights overwritten at every step", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, dWx, dWh, db = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
    return dx, dh_prev, dWx, dWh, db
""", says="the weight gradients are not accumulated over time steps (they hold the share of step 0 only; use +=)"),
    _bwd("dh0 is the upstream gradient of step 0", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
        dWx += a; dWh += c; db += d
    return dx, dh[:, 0], dWx, dWh, db
""", says="dh0 must be the gradient flowing out of step 0 (its dh_prev), not the upstream dh[:, 0]"),
    _bwd("loops forwards in time", _BWD_HEAD + """\
    for t in range(T):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
        dWx += a; dWh += c; db += d
    return dx, dh_prev, dWx, dWh, db
""", says="the loop runs forwards in time; backpropagation starts at the last step, t = T-1, ..., 0"),
    _bwd("step caches in reverse order", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[T - 1 - t])
        dWx += a; dWh += c; db += d
    return dx, dh_prev, dWx, dWh, db
""", says="the step caches are used in the wrong order: step t needs cache[t]"),
    _bwd("hidden and cell gradients swapped", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dc_prev, dh_prev, cache[t])
        dWx += a; dWh += c; db += d
    return dx, dh_prev, dWx, dWh, db
""", says="dh_prev and dc_prev are swapped: dh_prev goes into dh_next, dc_prev into dc_next"),
    _bwd("weight gradients averaged over time", _BWD_HEAD + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
        dWx += a; dWh += c; db += d
    return dx, dh_prev, dWx / T, dWh / T, db / T
""", says="the weight gradients are averaged over the time steps; the shares of the steps are added"),
    _bwd("dx stacked time-major, (T, N, D)", _BWD_HEAD + """\
    dxs = []
    for t in reversed(range(T)):
        dx_t, dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
        dxs.insert(0, dx_t)
        dWx += a; dWh += c; db += d
    return np.stack(dxs), dh_prev, dWx, dWh, db
""", says="dx has shape (3, 2, 2) = (T, N, D): time and batch axes swapped"),
    _bwd("dx sized like da, (N, T, 4H)", _BWD_HEAD.replace("np.zeros((N, T, D))", "np.zeros((N, T, 4 * H))") + """\
    for t in reversed(range(T)):
        dx[:, t], dh_prev, dc_prev, a, c, d = lstm_step_backward(dh[:, t] + dh_prev, dc_prev, cache[t])
        dWx += a; dWh += c; db += d
    return dx, dh_prev, dWx, dWh, db
""", says="lstm_backward raised ValueError"),
    _bwd("calls the rnnlib reference", """\
    return rnnlib.lstm_backward(dh, cache)
"""),
    _bwd("collects the shares and sums them", """\
    N, T, H = dh.shape
    shares, dxs = [], []
    g_h, g_c = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T - 1, -1, -1):
        dx_t, g_h, g_c, dWx_t, dWh_t, db_t = lstm_step_backward(dh[:, t] + g_h, g_c, cache[t])
        dxs.append(dx_t)
        shares.append((dWx_t, dWh_t, db_t))
    dx = np.stack(dxs[::-1], axis=1)
    dWx, dWh, db = (sum(s[k] for s in shares) for k in range(3))
    return dx, g_h, dWx, dWh, db
""", kind="correct"),
]

# ------------------------------------------------------------------------------------------ gru_step_forward
_GRU_HEAD = """\
    H = h_prev.shape[1]
    ax = x @ Wx + b
    ah = h_prev @ Wh
"""
_RZ = """\
    r = sigmoid(ax[:, :H] + ah[:, :H])
    z = sigmoid(ax[:, H:2*H] + ah[:, H:2*H])
"""
_N = "    n = np.tanh(ax[:, 2*H:] + r * ah[:, 2*H:])\n"

GRU = [
    _gru("update gate the wrong way round", _GRU_HEAD + _RZ + _N + """\
    return z * n + (1 - z) * h_prev, None
""", says="the update gate is the wrong way round: h_next = (1 - z) * n + z * h_prev, so z = 1 keeps the old state"),
    _gru("blocks in the order z, r, n", _GRU_HEAD + """\
    z = sigmoid(ax[:, :H] + ah[:, :H])
    r = sigmoid(ax[:, H:2*H] + ah[:, H:2*H])
""" + _N + """\
    return (1 - z) * n + z * h_prev, None
""", says="the blocks are in the order z, r, n; the contract is r, z, n"),
    _gru("reset applied before the product with Wh_n", _GRU_HEAD + _RZ + """\
    n = np.tanh(ax[:, 2*H:] + (r * h_prev) @ Wh[:, 2*H:])
    return (1 - z) * n + z * h_prev, None
""", says="your code applies the reset gate before the product"),
    _gru("reset gate not applied", _GRU_HEAD + _RZ + """\
    n = np.tanh(ax[:, 2*H:] + ah[:, 2*H:])
    return (1 - z) * n + z * h_prev, None
""", says="the reset gate is not applied: n = tanh(x Wx_n + r * (h_prev Wh_n) + b_n)"),
    _gru("tanh missing on the candidate", _GRU_HEAD + _RZ + """\
    n = ax[:, 2*H:] + r * ah[:, 2*H:]
    return (1 - z) * n + z * h_prev, None
""", says="tanh is missing on the candidate n"),
    _gru("sigmoid on the candidate", _GRU_HEAD + _RZ + """\
    n = sigmoid(ax[:, 2*H:] + r * ah[:, 2*H:])
    return (1 - z) * n + z * h_prev, None
""", says="the candidate n got a sigmoid; it is n = tanh(...)"),
    _gru("old state not kept", _GRU_HEAD + _RZ + _N + """\
    return (1 - z) * n, None
""", says="the z * h_prev term is missing: h_next = (1 - z) * n + z * h_prev"),
    _gru("bias forgotten", """\
    H = h_prev.shape[1]
    ax = x @ Wx
    ah = h_prev @ Wh
""" + _RZ + _N + """\
    return (1 - z) * n + z * h_prev, None
""", says="the bias b is missing"),
    _gru("bias added on both sides", """\
    H = h_prev.shape[1]
    ax = x @ Wx + b
    ah = h_prev @ Wh + b
""" + _RZ + _N + """\
    return (1 - z) * n + z * h_prev, None
""", says="the bias is added twice (to x @ Wx and to h_prev @ Wh); there is one bias b"),
    _gru("interpolation written as h_prev + (1 - z) * (n - h_prev)", """\
    H = h_prev.shape[1]
    Wx_r, Wx_z, Wx_n = np.split(Wx, 3, axis=1)
    Wh_r, Wh_z, Wh_n = np.split(Wh, 3, axis=1)
    b_r, b_z, b_n = np.split(b, 3)
    r = sigmoid(np.dot(x, Wx_r) + np.dot(h_prev, Wh_r) + b_r)
    z = sigmoid(np.dot(x, Wx_z) + np.dot(h_prev, Wh_z) + b_z)
    n = np.tanh(np.dot(x, Wx_n) + b_n + r * np.dot(h_prev, Wh_n))
    return h_prev + (1 - z) * (n - h_prev), (r, z, n)
""", kind="correct"),
]

VARIANTS = SIGMOID + STEP_FORWARD + STEP_BACKWARD + FORWARD + BACKWARD + GRU

# An answer that only hands the work to the rnnlib reference: the call_own guard must catch it.
VARIANTS += [
    Variant("gru_step_forward", "wrong", "calls the rnnlib reference",
            "def gru_step_forward(x, h_prev, Wx, Wh, b):\n    return rnnlib.gru_step_forward(x, h_prev, Wx, Wh, b)\n"),
    # The same answer under another name (rnnlib.grading.SAME_ANSWER): the library's LSTM layer, a GRU over T = 1.
    Variant("lstm_forward", "wrong", "returns rnnlib's LSTM layer",
            "def lstm_forward(x, h0, Wx, Wh, b):\n    h, _, cache = rnnlib.layers.lstm.lstm_layer_forward(x, h0, None, Wx, Wh, b)\n"
            "    return h, cache\n", says="calls rnnlib's reference lstm_layer_forward"),
    Variant("gru_step_forward", "wrong", "a GRU layer over one step",
            "def gru_step_forward(x, h_prev, Wx, Wh, b):\n    h, cache = rnnlib.layers.gru.gru_forward(x[:, None], h_prev, Wx, Wh, b)\n"
            "    return h[:, 0], cache[0]\n", says="calls rnnlib's reference gru_forward"),
    Variant("lstm_forward", "wrong", "runs rnnlib's float32 LSTM kernel",
            "def lstm_forward(x, h0, Wx, Wh, b):\n    from rnnlib.kernels.lstm import lstm_recurrence_forward\n"
            "    gates = np.ascontiguousarray((x @ Wx + b).transpose(1, 0, 2))\n"
            "    return lstm_recurrence_forward(gates, h0, np.zeros_like(h0), Wh, None)\n",
            says="calls rnnlib's reference lstm_recurrence_forward"),
]
