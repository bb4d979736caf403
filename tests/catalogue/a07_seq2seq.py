"""Typical answers to notebook 07 (sequence to sequence with attention), wrong and right.

Each `source` replaces the whole solution cell defining `function`.
"""
from . import Variant

ASSIGNMENT = "07_seq2seq"


def _fwd(label, body, kind="wrong", says=""):
    return Variant("attention_forward", kind, label, "def attention_forward(query, keys, mask=None):\n" + body, says=says)


def _bwd(label, body, kind="wrong", says=""):
    return Variant("attention_backward", kind, label, "def attention_backward(dcontext, cache):\n" + body, says=says)


def _greedy(label, body, kind="wrong", says=""):
    return Variant("greedy_decode", kind, label, "def greedy_decode(step, state, first_ids, length):\n" + body, says=says)


# ----------------------------------------------------------------------------------------------- forward
FORWARD = [
    _fwd("softmax over the batch axis", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=0, keepdims=True))
    weights = e / e.sum(axis=0, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("scores scaled by sqrt(H)", """\
    H = query.shape[1]
    scores = np.einsum("nsh,nh->ns", keys, query) / np.sqrt(H)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("mask ignored", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("mask applied after the softmax without renormalising", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    if mask is not None:
        weights = weights * mask
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("mask multiplies the scores instead of removing them", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = scores * mask
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("mask inverted", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, -np.inf, scores)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("mask with -100 instead of minus infinity", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -100.0)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("context by matmul broadcasting over the batch", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = weights @ keys
    return context, weights, (query, keys, weights)
"""),
    _fwd("context is the plain mean of the keys", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = keys.mean(axis=1)
    return context, weights, (query, keys, weights)
"""),
    _fwd("no max subtraction (overflows for large scores)", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    e = np.exp(scores)
    if mask is not None:
        e = e * mask
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("normalised over the whole batch", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max())
    weights = e / e.sum()
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("cache in the wrong order", """\
    scores = np.einsum("nsh,nh->ns", keys, query)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (keys, query, weights)
"""),
    _fwd("scores from every query of the batch", """\
    scores = keys @ query.sum(axis=0)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    weights = e / e.sum(axis=1, keepdims=True)
    context = np.einsum("ns,nsh->nh", weights, keys)
    return context, weights, (query, keys, weights)
"""),
    _fwd("loop over the batch with rnnlib.softmax and a -1e9 mask", """\
    N, S, H = keys.shape
    context = np.zeros((N, H))
    weights = np.zeros((N, S))
    for n in range(N):
        scores = keys[n] @ query[n]
        if mask is not None:
            scores = np.where(mask[n], scores, -1e9)
        weights[n] = rnnlib.softmax(scores)
        context[n] = weights[n] @ keys[n]
    return context, weights, (query, keys, weights)
""", kind="correct"),
    _fwd("matmul, exp times the mask, then renormalise", """\
    scores = (keys @ query[:, :, None])[:, :, 0]
    if mask is None:
        mask = np.ones(scores.shape, dtype=bool)
    top = np.max(np.where(mask, scores, -np.inf), axis=1, keepdims=True)
    e = np.exp(np.where(mask, scores - top, 0.0)) * mask
    weights = e / np.sum(e, axis=1, keepdims=True)
    context = np.sum(weights[:, :, None] * keys, axis=1)
    return context, weights, (query, keys, weights)
""", kind="correct"),
]

# ----------------------------------------------------------------------------------------------- backward
_BWD_HEAD = """\
    query, keys, weights = cache
    dweights = np.einsum("nsh,nh->ns", keys, dcontext)
"""

BACKWARD = [
    _bwd("dkeys missing the value part", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum(axis=1, keepdims=True))
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
"""),
    _bwd("dkeys missing the score part", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum(axis=1, keepdims=True))
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :]
    return dquery, dkeys
"""),
    _bwd("query and keys swapped", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum(axis=1, keepdims=True))
    dquery = dscores.sum(axis=1, keepdims=True) * query
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * keys
    return dquery, dkeys
"""),
    _bwd("softmax backward without the minus term", _BWD_HEAD + """\
    dscores = weights * dweights
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
"""),
    _bwd("softmax backward with the diagonal only", _BWD_HEAD + """\
    dscores = weights * (1 - weights) * dweights
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
"""),
    _bwd("sign error in the softmax backward", _BWD_HEAD + """\
    dscores = weights * (dweights + (weights * dweights).sum(axis=1, keepdims=True))
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
"""),
    _bwd("weighted mean summed over the batch axis", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum(axis=0, keepdims=True))
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
""", says="summed over the batch (axis 0), which mixes the examples"),
    _bwd("batch-axis sum of the weighted mean, without keepdims", _BWD_HEAD + """\
    mean = np.sum(weights * dweights, axis=0)
    dscores = weights * (dweights - mean)
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
""", says="summed over the batch (axis 0)"),
    _bwd("weighted mean summed over the whole batch at once", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum())
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
""", says="summed over the whole (N, S) = (2, 4) array at once"),
    _bwd("weighted mean over the source positions without keepdims", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum(axis=1))
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
""", says="has shape (N,) = (2,) and cannot be subtracted from dweights (N, S) = (2, 4): keep the summed axis"),
    _bwd("softmax backward without the weights factor", _BWD_HEAD + """\
    dscores = dweights - (weights * dweights).sum(axis=1, keepdims=True)
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
"""),
    _bwd("gradients scaled by 1/sqrt(H)", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum(axis=1, keepdims=True)) / np.sqrt(query.shape[1])
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
"""),
    _bwd("dquery not summed over the source positions", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum(axis=1, keepdims=True))
    dquery = dscores[:, :, None] * keys
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
""", says="dquery has shape (2, 4, 3) = (N, S, H): sum over the source positions s"),
    _bwd("returned in the wrong order", _BWD_HEAD + """\
    dscores = weights * (dweights - (weights * dweights).sum(axis=1, keepdims=True))
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dkeys, dquery
"""),
    _bwd("dweights from the query instead of dcontext", """\
    query, keys, weights = cache
    dweights = np.einsum("nsh,nh->ns", keys, query)
    dscores = weights * (dweights - (weights * dweights).sum(axis=1, keepdims=True))
    dquery = np.einsum("ns,nsh->nh", dscores, keys)
    dkeys = weights[:, :, None] * dcontext[:, None, :] + dscores[:, :, None] * query[:, None, :]
    return dquery, dkeys
""", says="dweights uses dcontext (dweights = keys · dcontext, not keys · query)"),
    _bwd("loop over the batch with the full Jacobian", """\
    query, keys, weights = cache
    N, S, H = keys.shape
    dquery = np.zeros((N, H))
    dkeys = np.zeros((N, S, H))
    for n in range(N):
        a = weights[n]
        jacobian = np.diag(a) - np.outer(a, a)          # d a_s / d e_j
        dweights = keys[n] @ dcontext[n]
        dscores = jacobian.T @ dweights
        dquery[n] = np.dot(dscores, keys[n])
        dkeys[n] = np.outer(a, dcontext[n]) + np.outer(dscores, query[n])
    return dquery, dkeys
""", kind="correct"),
    _bwd("matmul and broadcasting", """\
    query, keys, weights = cache
    dweights = (keys @ dcontext[:, :, None])[:, :, 0]
    mean = np.sum(weights * dweights, axis=1, keepdims=True)
    dscores = weights * dweights - weights * mean
    dquery = (dscores[:, None, :] @ keys)[:, 0, :]
    dkeys = weights[..., None] * dcontext[:, None] + dscores[..., None] * query[:, None]
    return dquery, dkeys
""", kind="correct"),
]

# ----------------------------------------------------------------------------------------------- greedy decoding
GREEDY = [
    _greedy("never feeds back its own output", """\
    outputs = []
    for t in range(length):
        scores, state = step(first_ids, state)
        outputs.append(np.argmax(scores, axis=1))
    return np.stack(outputs, axis=1)
"""),
    _greedy("state not passed on", """\
    prev = first_ids
    outputs = []
    for t in range(length):
        scores, new_state = step(prev, state)
        prev = np.argmax(scores, axis=1)
        outputs.append(prev)
    return np.stack(outputs, axis=1)
"""),
    _greedy("argmax over the batch axis", """\
    prev = first_ids
    outputs = []
    for t in range(length):
        scores, state = step(prev, state)
        prev = np.argmax(scores, axis=0)
        outputs.append(prev)
    return np.stack(outputs, axis=1)
"""),
    _greedy("time and batch axes swapped", """\
    prev = first_ids
    outputs = []
    for t in range(length):
        scores, state = step(prev, state)
        prev = np.argmax(scores, axis=1)
        outputs.append(prev)
    return np.array(outputs)
"""),
    _greedy("argmax without an axis", """\
    prev = first_ids
    outputs = []
    for t in range(length):
        scores, state = step(prev, state)
        prev = np.full(len(first_ids), np.argmax(scores))
        outputs.append(prev)
    return np.stack(outputs, axis=1)
"""),
    _greedy("output starts with the start symbol", """\
    prev = first_ids
    outputs = [first_ids]
    for t in range(length - 1):
        scores, state = step(prev, state)
        prev = np.argmax(scores, axis=1)
        outputs.append(prev)
    return np.stack(outputs, axis=1)
"""),
    _greedy("one step too few", """\
    prev = first_ids
    outputs = []
    for t in range(1, length):
        scores, state = step(prev, state)
        prev = np.argmax(scores, axis=1)
        outputs.append(prev)
    return np.stack(outputs, axis=1) if outputs else np.zeros((len(first_ids), 0), dtype=int)
"""),
    _greedy("returns the best scores instead of their ids", """\
    prev = first_ids
    outputs = []
    for t in range(length):
        scores, state = step(prev, state)
        prev = np.argmax(scores, axis=1)
        outputs.append(np.max(scores, axis=1))
    return np.stack(outputs, axis=1)
"""),
    _greedy("samples instead of taking the argmax", """\
    rng = np.random.default_rng()
    prev = first_ids
    outputs = []
    for t in range(length):
        scores, state = step(prev, state)
        p = np.exp(scores - scores.max(axis=1, keepdims=True))
        p = p / p.sum(axis=1, keepdims=True)
        prev = np.array([rng.choice(len(row), p=row) for row in p])
        outputs.append(prev)
    return np.stack(outputs, axis=1)
"""),
    _greedy("first_ids overwritten in place", """\
    prev = first_ids
    ids = np.zeros((len(first_ids), length), dtype=int)
    for t in range(length):
        scores, state = step(prev, state)
        prev[:] = np.argmax(scores, axis=1)
        ids[:, t] = prev
    return ids
"""),
    _greedy("argmin, as if the scores were costs", """\
    prev = first_ids
    outputs = []
    for t in range(length):
        scores, state = step(prev, state)
        prev = np.argmin(scores, axis=1)
        outputs.append(prev)
    return np.stack(outputs, axis=1)
"""),
    _greedy("preallocated array and a while loop", """\
    N = np.shape(first_ids)[0]
    ids = np.empty((N, length), dtype=np.int64)
    prev = np.array(first_ids)
    t = 0
    while t < length:
        scores, state = step(prev, state)
        prev = scores.argmax(axis=-1)
        ids[:, t] = prev
        t += 1
    return ids
""", kind="correct"),
    _greedy("list of python ints per example", """\
    prev = list(first_ids)
    rows = [[] for _ in prev]
    for _ in range(length):
        scores, state = step(np.array(prev), state)
        prev = [int(np.argmax(row)) for row in scores]
        for row, p in zip(rows, prev):
            row.append(p)
    return np.array(rows, dtype=int).reshape(len(rows), length)
""", kind="correct"),
]

VARIANTS = FORWARD + BACKWARD + GREEDY

# Answers that only hand the work to the rnnlib reference: the call_own guard must catch them.
VARIANTS += [
    Variant("attention_forward", "wrong", "calls the rnnlib reference",
            "def attention_forward(query, keys, mask=None):\n    return rnnlib.attention_forward(query, keys, mask)\n"),
    Variant("attention_backward", "wrong", "calls the rnnlib reference",
            "def attention_backward(dcontext, cache):\n    return rnnlib.attention_backward(dcontext, cache)\n"),
    Variant("greedy_decode", "wrong", "calls the rnnlib reference",
            "from rnnlib import greedy_decode as _reference\n\n"
            "def greedy_decode(step, state, first_ids, length):\n    return _reference(step, state, first_ids, length)\n"),
]
