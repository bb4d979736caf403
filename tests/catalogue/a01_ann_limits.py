"""Typical answers to notebook 01 (one_hot, softmax, best_current_char_accuracy, window_features)."""
from . import Variant

ASSIGNMENT = "01_ann_limits"

V = []

# ---------------------------------------------------------------------------
# one_hot(indices, vocab_size) -> float array indices.shape + (V,)
# ---------------------------------------------------------------------------
V += [
    Variant("one_hot", "wrong", "ids counted from 1 (off by one)", '''
def one_hot(indices, vocab_size):
    out = np.zeros(indices.shape + (vocab_size,))
    for pos in np.ndindex(indices.shape):
        out[pos + (indices[pos] - 1,)] = 1.0
    return out
'''),
    Variant("one_hot", "wrong", "only handles 1-D input", '''
def one_hot(indices, vocab_size):
    out = np.zeros((len(indices), vocab_size))
    out[np.arange(len(indices)), indices] = 1.0
    return out
'''),
    Variant("one_hot", "wrong", "integer dtype", '''
def one_hot(indices, vocab_size):
    return np.eye(vocab_size, dtype=int)[indices]
'''),
    Variant("one_hot", "wrong", "boolean result, not float", '''
def one_hot(indices, vocab_size):
    return indices[..., None] == np.arange(vocab_size)
'''),
    Variant("one_hot", "wrong", "transposed, vocabulary axis first", '''
def one_hot(indices, vocab_size):
    return np.eye(vocab_size)[:, indices]
'''),
    Variant("one_hot", "wrong", "width from the largest index, ignores vocab_size", '''
def one_hot(indices, vocab_size):
    return np.eye(indices.max() + 1)[indices]
'''),
    Variant("one_hot", "wrong", "flattens the input in place", '''
def one_hot(indices, vocab_size):
    shape = indices.shape
    indices.shape = (indices.size,)
    out = np.zeros((indices.size, vocab_size))
    out[np.arange(indices.size), indices] = 1.0
    return out.reshape(shape + (vocab_size,))
'''),
    Variant("one_hot", "wrong", "stacks the vocabulary axis first", '''
def one_hot(indices, vocab_size):
    return np.stack([(indices == v).astype(float) for v in range(vocab_size)])
'''),
    Variant("one_hot", "wrong", "sets whole columns with fancy indexing", '''
def one_hot(indices, vocab_size):
    out = np.zeros(indices.shape + (vocab_size,))
    out[..., indices] = 1.0
    return out
'''),
    Variant("one_hot", "correct", "np.eye row lookup", '''
def one_hot(indices, vocab_size):
    return np.eye(vocab_size)[indices]
'''),
    Variant("one_hot", "correct", "loop over every position", '''
def one_hot(indices, vocab_size):
    out = np.zeros(indices.shape + (vocab_size,))
    for pos in np.ndindex(*indices.shape):
        out[pos][indices[pos]] = 1
    return out
'''),
    Variant("one_hot", "correct", "put_along_axis", '''
def one_hot(indices, vocab_size):
    out = np.zeros(np.shape(indices) + (vocab_size,), dtype=np.float64)
    np.put_along_axis(out, np.asarray(indices)[..., None], 1.0, axis=-1)
    return out
'''),
]

# ---------------------------------------------------------------------------
# softmax(scores) -> probabilities over the last axis, stable up to +-1e4
# ---------------------------------------------------------------------------
V += [
    Variant("softmax", "wrong", "over axis 0", '''
def softmax(scores):
    e = np.exp(scores - np.max(scores, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)
'''),
    Variant("softmax", "wrong", "normalises the whole array", '''
def softmax(scores):
    e = np.exp(scores - np.max(scores))
    return e / np.sum(e)
'''),
    Variant("softmax", "wrong", "no max subtraction, overflows", '''
def softmax(scores):
    e = np.exp(scores)
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    Variant("softmax", "wrong", "subtracts the global max, not per row", '''
def softmax(scores):
    e = np.exp(scores - np.max(scores))
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    Variant("softmax", "wrong", "returns exp without normalising", '''
def softmax(scores):
    return np.exp(scores - np.max(scores, axis=-1, keepdims=True))
'''),
    Variant("softmax", "wrong", "np.exp of rnnlib's log_softmax (the same answer under another name)", '''
def softmax(scores):
    return np.exp(rnnlib.log_softmax(scores))
''', says="calls rnnlib's reference log_softmax"),
    Variant("softmax", "wrong", "log-softmax instead of softmax", '''
def softmax(scores):
    shifted = scores - np.max(scores, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))
'''),
    Variant("softmax", "wrong", "only works for 1-D (python max and sum)", '''
def softmax(scores):
    m = max(scores)
    e = np.exp(scores - m)
    return e / sum(e)
''', says="Python's max() and sum() only work on 1-D scores"),
    Variant("softmax", "wrong", "only works for 2-D (axis=1)", '''
def softmax(scores):
    e = np.exp(scores - np.max(scores, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)
''', says="axis=-1 is the last axis for (V,), (N, V) and (N, T, V) alike"),
    # Right on 1-D scores (axis 0 is the last axis there); on (N, V) each column sums to 1 instead of each row.
    Variant("softmax", "wrong", "row max but sum over axis 0", '''
def softmax(scores):
    e = np.exp(scores - np.max(scores, axis=-1, keepdims=True))
    return e / e.sum(axis=0)
''', says="each row's maximum is subtracted, but the sum runs down the columns (axis 0)"),
    Variant("softmax", "wrong", "row max but sum over axis 0 with keepdims", '''
def softmax(scores):
    e = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return e / e.sum(axis=0, keepdims=True)
''', says="the sum runs down the columns (axis 0)"),
    # Without keepdims the (N,) row max or row sum cannot broadcast against (N, V) scores: numpy raises on
    # the (2, 3) case, which the visible test runs before any square one (there it would be silently wrong).
    Variant("softmax", "wrong", "no keepdims", '''
def softmax(scores):
    e = np.exp(scores - np.max(scores, axis=-1))
    return e / np.sum(e, axis=-1)
''', says="with keepdims=True, so the (N,) vector becomes (N, 1) and broadcasts against (N, V)"),
    Variant("softmax", "wrong", "keepdims on the max, not on the sum", '''
def softmax(scores):
    shifted = scores - scores.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1)
''', says="Subtract the row max and divide by the row sum with keepdims=True"),
    Variant("softmax", "wrong", "keepdims on the sum, not on the max", '''
def softmax(scores):
    e = np.exp(scores - np.max(scores, axis=-1))
    return e / np.sum(e, axis=-1, keepdims=True)
''', says="Subtract the row max and divide by the row sum with keepdims=True"),
    Variant("softmax", "wrong", "subtracts the max in place", '''
def softmax(scores):
    scores -= np.max(scores, axis=-1, keepdims=True)
    e = np.exp(scores)
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    Variant("softmax", "wrong", "subtracts the minimum", '''
def softmax(scores):
    e = np.exp(scores - np.min(scores, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)
'''),
    Variant("softmax", "correct", "log-sum-exp form", '''
def softmax(scores):
    m = scores.max(axis=-1, keepdims=True)
    lse = m + np.log(np.exp(scores - m).sum(axis=-1, keepdims=True))
    return np.exp(scores - lse)
'''),
    Variant("softmax", "correct", "loop over rows", '''
def softmax(scores):
    scores = np.asarray(scores, dtype=float)
    flat = scores.reshape(-1, scores.shape[-1])
    out = np.empty_like(flat)
    for i in range(flat.shape[0]):
        e = np.exp(flat[i] - np.max(flat[i]))
        out[i] = e / np.sum(e)
    return out.reshape(scores.shape)
'''),
]

# ---------------------------------------------------------------------------
# best_current_char_accuracy(text) -> float
# ---------------------------------------------------------------------------
V += [
    Variant("best_current_char_accuracy", "wrong", "rnnlib's counting predictor with a window of one (the same answer "
            "under another name)", '''
def best_current_char_accuracy(text):
    return rnnlib.context_count_accuracy(text, 1)
''', says="calls rnnlib's reference context_count_accuracy"),
    Variant("best_current_char_accuracy", "wrong", "divides by len(text)", '''
def best_current_char_accuracy(text):
    followers = {}
    for a, b in zip(text, text[1:]):
        followers.setdefault(a, {}).setdefault(b, 0)
        followers[a][b] += 1
    return sum(max(c.values()) for c in followers.values()) / len(text)
'''),
    Variant("best_current_char_accuracy", "wrong", "returns the count of right predictions", '''
def best_current_char_accuracy(text):
    followers = {}
    for a, b in zip(text, text[1:]):
        followers.setdefault(a, {}).setdefault(b, 0)
        followers[a][b] += 1
    return sum(max(c.values()) for c in followers.values())
'''),
    Variant("best_current_char_accuracy", "wrong", "most frequent character overall (ignores the input)", '''
def best_current_char_accuracy(text):
    targets = text[1:]
    best = max(set(targets), key=targets.count)
    return targets.count(best) / len(targets)
'''),
    Variant("best_current_char_accuracy", "wrong", "remembers the last next character seen", '''
def best_current_char_accuracy(text):
    guess = {}
    for a, b in zip(text, text[1:]):
        guess[a] = b
    right = sum(guess[a] == b for a, b in zip(text, text[1:]))
    return right / (len(text) - 1)
'''),
    Variant("best_current_char_accuracy", "wrong", "remembers the first next character seen", '''
def best_current_char_accuracy(text):
    guess = {}
    for a, b in zip(text, text[1:]):
        if a not in guess:
            guess[a] = b
    right = sum(guess[a] == b for a, b in zip(text, text[1:]))
    return right / (len(text) - 1)
'''),
    Variant("best_current_char_accuracy", "wrong", "unweighted mean over characters", '''
def best_current_char_accuracy(text):
    followers = {}
    for a, b in zip(text, text[1:]):
        followers.setdefault(a, []).append(b)
    scores = [max(nexts.count(c) for c in nexts) / len(nexts) for nexts in followers.values()]
    return sum(scores) / len(scores)
'''),
    Variant("best_current_char_accuracy", "wrong", "wraps around from the last character to the first", '''
def best_current_char_accuracy(text):
    followers = {}
    for i in range(len(text)):
        a, b = text[i], text[(i + 1) % len(text)]
        followers.setdefault(a, {}).setdefault(b, 0)
        followers[a][b] += 1
    return sum(max(c.values()) for c in followers.values()) / len(text)
'''),
    Variant("best_current_char_accuracy", "wrong", "predicts the previous character instead", '''
def best_current_char_accuracy(text):
    followers = {}
    for a, b in zip(text, text[1:]):
        followers.setdefault(b, {}).setdefault(a, 0)
        followers[b][a] += 1
    return sum(max(c.values()) for c in followers.values()) / (len(text) - 1)
'''),
    Variant("best_current_char_accuracy", "wrong", "lower-cases the text", '''
def best_current_char_accuracy(text):
    text = text.lower()
    followers = {}
    for a, b in zip(text, text[1:]):
        followers.setdefault(a, {}).setdefault(b, 0)
        followers[a][b] += 1
    return sum(max(c.values()) for c in followers.values()) / (len(text) - 1)
'''),
    Variant("best_current_char_accuracy", "wrong", "counts distinct pairs only", '''
def best_current_char_accuracy(text):
    followers = {}
    for a, b in set(zip(text, text[1:])):
        followers.setdefault(a, {}).setdefault(b, 0)
        followers[a][b] += 1
    return sum(max(c.values()) for c in followers.values()) / (len(text) - 1)
'''),
    Variant("best_current_char_accuracy", "wrong", "integer division", '''
def best_current_char_accuracy(text):
    followers = {}
    for a, b in zip(text, text[1:]):
        followers.setdefault(a, {}).setdefault(b, 0)
        followers[a][b] += 1
    return sum(max(c.values()) for c in followers.values()) // (len(text) - 1)
'''),
    Variant("best_current_char_accuracy", "correct", "collections.Counter of pairs", '''
from collections import Counter

def best_current_char_accuracy(text):
    pairs = Counter(zip(text[:-1], text[1:]))
    best = {}
    for (a, b), n in pairs.items():
        best[a] = max(best.get(a, 0), n)
    return sum(best.values()) / sum(pairs.values())
'''),
    Variant("best_current_char_accuracy", "correct", "count table from the notebook", '''
def best_current_char_accuracy(text):
    counts, _ = next_char_counts(text)
    return float(counts.max(axis=1).sum() / (len(text) - 1))
'''),
]

# ---------------------------------------------------------------------------
# window_features(ids, window, vocab_size) -> (N, W * V), oldest block first, zero blocks on the left
# ---------------------------------------------------------------------------
V += [
    Variant("window_features", "wrong", "newest token first", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    X = np.zeros((N, window, vocab_size))
    for k in range(window):
        t = T - 1 - k
        if t >= 0:
            X[np.arange(N), k, ids[:, t]] = 1.0
    return X.reshape(N, -1)
'''),
    Variant("window_features", "wrong", "pads on the right", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    last = ids[:, max(T - window, 0):]
    X = np.eye(vocab_size)[last].reshape(N, -1)
    return np.hstack([X, np.zeros((N, window * vocab_size - X.shape[1]))])
'''),
    Variant("window_features", "wrong", "first W tokens instead of the last", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    X = np.zeros((N, window, vocab_size))
    for k in range(min(window, T)):
        X[np.arange(N), window - min(window, T) + k, ids[:, k]] = 1.0
    return X.reshape(N, -1)
'''),
    Variant("window_features", "wrong", "returns (N, W, V) without flattening", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    X = np.zeros((N, window, vocab_size))
    for k in range(window):
        t = T - window + k
        if t >= 0:
            X[np.arange(N), k, ids[:, t]] = 1.0
    return X
'''),
    Variant("window_features", "wrong", "no padding when the window is longer than the sequence", '''
def window_features(ids, window, vocab_size):
    N = ids.shape[0]
    return np.eye(vocab_size)[ids[:, -window:]].reshape(N, -1)
'''),
    Variant("window_features", "wrong", "pads with token 0", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    if T < window:
        ids = np.hstack([np.zeros((N, window - T), dtype=ids.dtype), ids])
    return np.eye(vocab_size)[ids[:, -window:]].reshape(N, -1)
'''),
    Variant("window_features", "wrong", "interleaved columns (V, W) layout", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    X = np.zeros((N, vocab_size, window))
    for k in range(window):
        t = T - window + k
        if t >= 0:
            X[np.arange(N), ids[:, t], k] = 1.0
    return X.reshape(N, -1)
'''),
    Variant("window_features", "wrong", "integer dtype", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    X = np.zeros((N, window, vocab_size), dtype=int)
    for k in range(window):
        t = T - window + k
        if t >= 0:
            X[np.arange(N), k, ids[:, t]] = 1
    return X.reshape(N, -1)
'''),
    Variant("window_features", "wrong", "block width from the largest id", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    V = ids.max() + 1
    X = np.zeros((N, window, V))
    for k in range(window):
        t = T - window + k
        if t >= 0:
            X[np.arange(N), k, ids[:, t]] = 1.0
    return X.reshape(N, -1)
'''),
    Variant("window_features", "wrong", "window shifted by one, misses the last token", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    X = np.zeros((N, window, vocab_size))
    for k in range(window):
        t = T - window + k - 1
        if t >= 0:
            X[np.arange(N), k, ids[:, t]] = 1.0
    return X.reshape(N, -1)
'''),
    Variant("window_features", "correct", "np.eye rows and a zero block on the left", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    last = ids[:, max(T - window, 0):]
    X = np.eye(vocab_size)[last].reshape(N, -1)
    padding = np.zeros((N, window * vocab_size - X.shape[1]))
    return np.concatenate([padding, X], axis=1)
'''),
    Variant("window_features", "correct", "own one_hot and np.pad", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    blocks = one_hot(ids[:, max(T - window, 0):], vocab_size)
    blocks = np.pad(blocks, ((0, 0), (window - blocks.shape[1], 0), (0, 0)))
    return blocks.reshape(N, window * vocab_size)
'''),
    # Exercise 1.1 of this notebook is one_hot: its rnnlib version is the answer key, not a building block here.
    Variant("window_features", "wrong", "calls rnnlib's one_hot instead of your own", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    blocks = rnnlib.one_hot(ids[:, max(T - window, 0):], vocab_size)
    blocks = np.pad(blocks, ((0, 0), (window - blocks.shape[1], 0), (0, 0)))
    return blocks.reshape(N, window * vocab_size)
'''),
    # Python's ids[:, -1] is the last token, not padding: the blocks before the start repeat the sequence's end.
    Variant("window_features", "wrong", "negative index wraps round instead of zero padding", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    pieces = []
    for t in range(T - window, T):
        pieces.append(one_hot(ids[:, t], vocab_size))
    return np.hstack(pieces)
''', says="ids[:, t] is Python's negative index, which wraps round to the last tokens"),
    Variant("window_features", "wrong", "negative index wraps round, vectorised", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    positions = np.arange(T - window, T)
    return np.eye(vocab_size)[ids[:, positions]].reshape(N, window * vocab_size)
''', says="the padding blocks repeat the END of the sequence"),
    Variant("window_features", "correct", "own one_hot, block by block", '''
def window_features(ids, window, vocab_size):
    N, T = ids.shape
    pieces = []
    for t in range(T - window, T):
        if t < 0:
            pieces.append(np.zeros((N, vocab_size)))
        else:
            pieces.append(one_hot(ids[:, t], vocab_size))
    return np.hstack(pieces)
'''),
]

VARIANTS = V
