"""Typical answers to notebook 02 (the vanilla RNN), wrong and right.

Each `source` replaces the whole solution cell defining `function`.
"""
from . import Variant, source_of

ASSIGNMENT = "02_vanilla_rnn"


def _step(label, body, kind="wrong", **more):
    return Variant("rnn_step_forward", kind, label,
                   "def rnn_step_forward(x, h_prev, Wx, Wh, b):\n" + body, **more)


def _forward(label, body, kind="wrong", **more):
    return Variant("rnn_forward", kind, label, "def rnn_forward(x, h0, Wx, Wh, b):\n" + body, **more)


def _affine(label, body, kind="wrong", **more):
    return Variant("temporal_affine_forward", kind, label,
                   "def temporal_affine_forward(h, W, b):\n" + body, **more)


CORRECT_LOOP = """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = h0
    for t in range(T):
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(c)
    return h, cache
"""

STEP = [
    _step("forgot the bias", """\
    h_next = np.tanh(x @ Wx + h_prev @ Wh)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("no tanh", """\
    h_next = x @ Wx + h_prev @ Wh + b
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("Wh transposed", """\
    h_next = np.tanh(x @ Wx + h_prev @ Wh.T + b)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("x term missing", """\
    h_next = np.tanh(h_prev @ Wh + b)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("h_prev term missing", """\
    h_next = np.tanh(x @ Wx + b)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("bias added after tanh", """\
    h_next = np.tanh(x @ Wx + h_prev @ Wh) + b
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("tanh of each term separately", """\
    h_next = np.tanh(x @ Wx) + np.tanh(h_prev @ Wh) + np.tanh(b)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("sigmoid instead of tanh", """\
    a = x @ Wx + h_prev @ Wh + b
    h_next = 1.0 / (1.0 + np.exp(-a))
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("relu instead of tanh", """\
    h_next = np.maximum(0.0, x @ Wx + h_prev @ Wh + b)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("no cache returned", """\
    return np.tanh(x @ Wx + h_prev @ Wh + b)
"""),
    _step("cache holds the pre-activation instead of h_next", """\
    a = x @ Wx + h_prev @ Wh + b
    return np.tanh(a), (x, h_prev, Wx, Wh, a)
""", says="Your cache gives a wrong dx in rnnlib.rnn_step_backward: the cache must be (x, h_prev, Wx, Wh, h_next) in this order, with h_next the value after tanh."),
    _step("cache in the wrong order", """\
    h_next = np.tanh(x @ Wx + h_prev @ Wh + b)
    return h_next, (x, Wx, h_prev, Wh, h_next)
""", says="The cache must be the tuple (x, h_prev, Wx, Wh, h_next)."),
    _step("updates h_prev in place", """\
    h_prev += x @ Wx + b
    h_next = np.tanh(h_prev @ Wh)
    return h_next, (x, h_prev, Wx, Wh, h_next)
"""),
    _step("just calls the reference", """\
    import rnnlib
    return rnnlib.rnn_step_forward(x, h_prev, Wx, Wh, b)
"""),
    # Right answers, written differently.
    _step("np.dot, terms in another order", """\
    \"\"\"Same thing, spelled with np.dot.\"\"\"
    pre = b + np.dot(h_prev, Wh) + np.dot(x, Wx)
    out = np.tanh(pre)
    return out, (x, h_prev, Wx, Wh, out)
""", kind="correct"),
    _step("explicit loops", """\
    N, D = x.shape
    H = Wh.shape[0]
    h_next = np.zeros((N, H))
    for n in range(N):
        for j in range(H):
            total = b[j]
            for i in range(D):
                total += x[n, i] * Wx[i, j]
            for k in range(H):
                total += h_prev[n, k] * Wh[k, j]
            h_next[n, j] = np.tanh(total)
    cache = (x, h_prev, Wx, Wh, h_next)
    return h_next, cache
""", kind="correct"),
    _step("einsum and tanh via exp", """\
    a = np.einsum("nd,dh->nh", x, Wx) + np.einsum("nk,kh->nh", h_prev, Wh) + b[None, :]
    h_next = (np.exp(2 * a) - 1) / (np.exp(2 * a) + 1)
    return h_next, [x, h_prev, Wx, Wh, h_next]
""", kind="correct"),
]

FORWARD = [
    _forward("runs rnnlib's fast recurrence (the same answer under another name)", """\
    from rnnlib.kernels.rnn import rnn_recurrence_forward
    pre = np.ascontiguousarray((x @ Wx + b).transpose(1, 0, 2))
    return rnn_recurrence_forward(pre, h0, Wh, None), []
""", says="calls rnnlib's reference rnn_recurrence_forward"),
    _forward("stores the state before the step", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = h0
    for t in range(T):
        h[:, t] = h_prev
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        cache.append(c)
    return h, cache
"""),
    _forward("ignores h0", """\
    N, T, D = x.shape
    H = h0.shape[1]
    h = np.zeros((N, T, H))
    cache = []
    h_prev = np.zeros((N, H))
    for t in range(T):
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(c)
    return h, cache
"""),
    _forward("state not carried", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    for t in range(T):
        h_t, c = rnn_step_forward(x[:, t], h0, Wx, Wh, b)
        h[:, t] = h_t
        cache.append(c)
    return h, cache
"""),
    _forward("time and batch axes swapped in the output", """\
    hs, cache = [], []
    h_prev = h0
    for t in range(x.shape[1]):
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        hs.append(h_prev)
        cache.append(c)
    return np.array(hs), cache
"""),
    _forward("bias added only at t=0", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = h0
    for t in range(T):
        bias = b if t == 0 else np.zeros_like(b)
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, bias)
        h[:, t] = h_prev
        cache.append(c)
    return h, cache
"""),
    _forward("last time step skipped", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = h0
    for t in range(T - 1):
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(c)
    return h, cache
"""),
    _forward("reads x[:, 0] at every step", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = h0
    for t in range(T):
        h_prev, c = rnn_step_forward(x[:, 0], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(c)
    return h, cache
"""),
    _forward("Wh transposed in an inline step", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = h0
    for t in range(T):
        h_next = np.tanh(x[:, t] @ Wx + h_prev @ Wh.T + b)
        cache.append((x[:, t], h_prev, Wx, Wh, h_next))
        h[:, t] = h_next
        h_prev = h_next
    return h, cache
"""),
    _forward("cache is only the last step", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    h_prev = h0
    for t in range(T):
        h_prev, cache = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
    return h, cache
""", says="cache should be a list with one step cache per time step (here T = 3)."),
    _forward("cache list in reverse order", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = h0
    for t in range(T):
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.insert(0, c)
    return h, cache
""", says="Your cache gives a wrong dx in rnnlib.rnn_backward: cache[t] must be the step cache (x[:, t], h_prev, Wx, Wh, h_next) of step t, in time order."),
    _forward("cache holds the inputs instead of step caches", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    h_prev = h0
    for t in range(T):
        h_prev, _ = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
    return h, (x, h0, Wx, Wh, b)
"""),
    _forward("returns the last state only", """\
    cache = []
    h_prev = h0
    for t in range(x.shape[1]):
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        cache.append(c)
    return h_prev, cache
"""),
    _forward("just calls the reference", """\
    import rnnlib
    return rnnlib.rnn_forward(x, h0, Wx, Wh, b)
"""),
    _forward("x[t] instead of x[:, t]", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    h_prev = h0
    for t in range(T):
        h_prev, c = rnn_step_forward(x[t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(c)
    return h, cache
""", says="the input of step t for every sequence is x[:, t]"),
    _forward("h made with np.zeros_like(x)", """\
    h = np.zeros_like(x)
    cache = []
    h_prev = h0
    for t in range(x.shape[1]):
        h_prev, c = rnn_step_forward(x[:, t], h_prev, Wx, Wh, b)
        h[:, t] = h_prev
        cache.append(c)
    return h, cache
""", says="it must be (N, T, H)"),
    _forward("right loop over a step that still ignores the bias", CORRECT_LOOP,
             also=(("rnn_step_forward", source_of(STEP, "forgot the bias")),), says="still fails Exercise 2.1"),
    # Right answers, written differently.
    _forward("inline step, right, beside a wrong rnn_step_forward", """\
    N, T, D = x.shape
    h = np.zeros((N, T, h0.shape[1]))
    cache = []
    prev = h0
    for t in range(T):
        cur = np.tanh(x[:, t] @ Wx + prev @ Wh + b)
        cache.append((x[:, t], prev, Wx, Wh, cur))
        h[:, t] = cur
        prev = cur
    return h, cache
""", kind="correct", also=(("rnn_step_forward", source_of(STEP, "forgot the bias")),)),
    _forward("list of states stacked on axis 1", """\
    states, cache = [], []
    h_prev = h0
    for t in range(x.shape[1]):
        h_prev, step_cache = rnn_step_forward(x[:, t, :], h_prev, Wx, Wh, b)
        states.append(h_prev)
        cache.append(step_cache)
    return np.stack(states, axis=1), cache
""", kind="correct"),
    _forward("time-major loop with an inline step and a transpose", """\
    xs = np.transpose(x, (1, 0, 2))          # (T, N, D)
    out = np.empty((xs.shape[0], h0.shape[0], h0.shape[1]))
    cache = []
    prev = h0
    for t, x_t in enumerate(xs):
        nxt = np.tanh(np.dot(x_t, Wx) + np.dot(prev, Wh) + b)
        cache.append((x_t, prev, Wx, Wh, nxt))
        out[t] = nxt
        prev = nxt
    return out.transpose(1, 0, 2), cache
""", kind="correct"),
    _forward("input projection precomputed for all steps", """\
    N, T, D = x.shape
    xw = x @ Wx + b                          # (N, T, H): the input term of every step at once
    h = np.zeros((N, T, Wh.shape[0]))
    cache = []
    prev = h0
    for t in range(T):
        cur = np.tanh(xw[:, t] + prev @ Wh)
        cache.append((x[:, t], prev, Wx, Wh, cur))
        h[:, t] = cur
        prev = cur
    return h, cache
""", kind="correct"),
]

AFFINE = [
    _affine("forgot the bias", """\
    return h @ W, (h, W, b)
"""),
    _affine("W transposed", """\
    return h @ W.T + b, (h, W, b)
"""),
    _affine("rows mixed up by the reshape", """\
    N, T, H = h.shape
    flat = h.transpose(1, 0, 2).reshape(N * T, H)
    scores = (flat @ W + b).reshape(N, T, -1)
    return scores, (h, W, b)
"""),
    _affine("forgot to reshape back", """\
    N, T, H = h.shape
    scores = h.reshape(N * T, H) @ W + b
    return scores, (h, W, b)
"""),
    _affine("applies softmax", """\
    scores = h @ W + b
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True), (h, W, b)
"""),
    _affine("applies tanh to the scores", """\
    return np.tanh(h @ W + b), (h, W, b)
"""),
    _affine("uses h[:, 0] at every step", """\
    N, T, H = h.shape
    scores = np.zeros((N, T, W.shape[1]))
    for t in range(T):
        scores[:, t] = h[:, 0] @ W + b
    return scores, (h, W, b)
"""),
    _affine("bias added only at the first step", """\
    scores = h @ W
    scores[:, 0] += b
    return scores, (h, W, b)
"""),
    _affine("cache in the wrong order", """\
    return h @ W + b, (W, h, b)
""", says="The cache must be the tuple (h, W, b)."),
    _affine("no cache returned", """\
    return h @ W + b
"""),
    _affine("cache holds the flattened h", """\
    N, T, H = h.shape
    flat = h.reshape(N * T, H)
    return (flat @ W + b).reshape(N, T, -1), (flat, W, b)
""", says="The cache must be the tuple (h, W, b)."),
    _affine("just calls the reference", """\
    import rnnlib
    return rnnlib.temporal_affine_forward(h, W, b)
"""),
    # Right answers, written differently.
    _affine("reshape to (N*T, H) and back", """\
    N, T, H = h.shape
    V = W.shape[1]
    scores = (h.reshape(N * T, H).dot(W) + b).reshape(N, T, V)
    return scores, (h, W, b)
""", kind="correct"),
    _affine("einsum", """\
    scores = np.einsum("nth,hv->ntv", h, W) + b
    cache = (h, W, b)
    return scores, cache
""", kind="correct"),
    _affine("loop over time", """\
    N, T, H = h.shape
    scores = np.empty((N, T, W.shape[1]))
    for t in range(T):
        scores[:, t, :] = np.dot(h[:, t, :], W) + b
    return scores, (h, W, b)
""", kind="correct"),
]

VARIANTS = STEP + FORWARD + AFFINE
