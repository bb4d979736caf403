"""Typical answers to notebook 06 (a character-level language model), wrong and right.

Each `source` replaces the whole solution cell defining `function`.
"""
from . import Variant

ASSIGNMENT = "06_char_lm"


def _batches(label, body, kind="wrong", **more):
    return Variant("make_batches", kind, label, "def make_batches(ids, batch_size, seq_len):\n" + body, **more)


def _sample(label, body, kind="wrong", **more):
    return Variant("sample_from_logits", kind, label, "def sample_from_logits(logits, temperature, rng):\n" + body,
                   **more)


def _generate(label, body, kind="wrong", **more):
    return Variant("generate", kind, label, "def generate(step, state, prime_ids, length, temperature, rng):\n" + body,
                   **more)


# ----------------------------------------------------------------------------------------------- make_batches
MAKE_BATCHES = [
    _batches("targets not shifted", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    lanes = ids[:batch_size * K * seq_len].reshape(batch_size, K * seq_len)
    return [(lanes[:, k * seq_len:(k + 1) * seq_len], lanes[:, k * seq_len:(k + 1) * seq_len]) for k in range(K)]
""", says='the targets must be shifted by one'),
    _batches("targets shifted the wrong way", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    n = batch_size * K * seq_len
    xs = ids[1:n + 1].reshape(batch_size, -1)
    ys = ids[:n].reshape(batch_size, -1)
    return [(xs[:, k * seq_len:(k + 1) * seq_len], ys[:, k * seq_len:(k + 1) * seq_len]) for k in range(K)]
""", says='is shifted the wrong way'),
    _batches("lanes restart: each batch is the next chunk reshaped", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    out = []
    for k in range(K):
        start = k * batch_size * seq_len
        chunk = ids[start:start + batch_size * seq_len + 1]
        out.append((chunk[:-1].reshape(batch_size, seq_len), chunk[1:].reshape(batch_size, seq_len)))
    return out
""", says='does not continue'),
    _batches("random windows", """\
    rng = np.random.default_rng(0)
    K = (len(ids) - 1) // (batch_size * seq_len)
    out = []
    for _ in range(K):
        starts = rng.integers(0, len(ids) - seq_len, size=batch_size)
        x = np.stack([ids[s:s + seq_len] for s in starts])
        y = np.stack([ids[s + 1:s + seq_len + 1] for s in starts])
        out.append((x, y))
    return out
""", says='does not continue'),
    _batches("count uses len(ids) instead of len(ids) - 1", """\
    K = len(ids) // (batch_size * seq_len)
    lane = K * seq_len
    out = []
    for k in range(K):
        x = np.stack([ids[b * lane + k * seq_len:b * lane + (k + 1) * seq_len] for b in range(batch_size)])
        y = np.stack([ids[b * lane + k * seq_len + 1:b * lane + (k + 1) * seq_len + 1] for b in range(batch_size)])
        out.append((x, y))
    return out
"""),
    _batches("one batch too few", """\
    K = (len(ids) - 1) // (batch_size * seq_len) - 1
    lane = max(K, 0) * seq_len
    xs = ids[:batch_size * lane].reshape(batch_size, lane)
    ys = ids[1:batch_size * lane + 1].reshape(batch_size, lane)
    return [(xs[:, k * seq_len:(k + 1) * seq_len], ys[:, k * seq_len:(k + 1) * seq_len]) for k in range(max(K, 0))]
""", says='expected (L - 1) // (B * T)'),
    _batches("shape (seq_len, batch_size)", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    lane = K * seq_len
    xs = ids[:batch_size * lane].reshape(batch_size, lane)
    ys = ids[1:batch_size * lane + 1].reshape(batch_size, lane)
    return [(xs[:, k * seq_len:(k + 1) * seq_len].T, ys[:, k * seq_len:(k + 1) * seq_len].T) for k in range(K)]
""", says='rows are lanes, columns are time steps'),
    _batches("overlapping lanes: lane b starts at b * seq_len", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    out = []
    for k in range(K):
        x = np.stack([ids[b * seq_len + k * seq_len:b * seq_len + (k + 1) * seq_len] for b in range(batch_size)])
        y = np.stack([ids[b * seq_len + k * seq_len + 1:b * seq_len + (k + 1) * seq_len + 1]
                      for b in range(batch_size)])
        out.append((x, y))
    return out
""", says='Each lane must be its own piece of the stream'),
    _batches("float arrays", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    out = []
    for k in range(K):
        x = np.zeros((batch_size, seq_len))
        y = np.zeros((batch_size, seq_len))
        for b in range(batch_size):
            start = b * K * seq_len + k * seq_len
            x[b] = ids[start:start + seq_len]
            y[b] = ids[start + 1:start + seq_len + 1]
        out.append((x, y))
    return out
""", says='it must stay an integer array'),
    _batches("targets rolled inside the window", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    lane = K * seq_len
    xs = ids[:batch_size * lane].reshape(batch_size, lane)
    out = []
    for k in range(K):
        x = xs[:, k * seq_len:(k + 1) * seq_len]
        out.append((x, np.roll(x, -1, axis=1)))
    return out
""", says='is not the character that follows'),
    _batches("returns two stacked arrays instead of a list of pairs", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    lane = K * seq_len
    xs = ids[:batch_size * lane].reshape(batch_size, K, seq_len).transpose(1, 0, 2)
    ys = ids[1:batch_size * lane + 1].reshape(batch_size, K, seq_len).transpose(1, 0, 2)
    return xs, ys
""", says='should return a list of (x, y) pairs'),
    _batches("lanes interleaved: lane b takes every B-th window", """\
    K = (len(ids) - 1) // (batch_size * seq_len)
    xs = ids[:batch_size * K * seq_len].reshape(K, batch_size, seq_len)
    ys = ids[1:batch_size * K * seq_len + 1].reshape(K, batch_size, seq_len)
    return [(xs[k], ys[k]) for k in range(K)]
""", says='does not continue'),
    _batches("lanes spread out with gaps, built in a loop", """\
    L = len(ids)
    K = (L - 1) // (batch_size * seq_len)
    lane = K * seq_len
    spacing = (L - 1) // batch_size            # lanes start at 0, spacing, 2 * spacing, ...: gaps are allowed
    batches = []
    for k in range(K):
        x = np.empty((batch_size, seq_len), dtype=ids.dtype)
        y = np.empty((batch_size, seq_len), dtype=ids.dtype)
        for b in range(batch_size):
            start = b * spacing + k * seq_len
            for t in range(seq_len):
                x[b, t] = ids[start + t]
                y[b, t] = ids[start + t + 1]
        batches.append((x, y))
    return batches
""", kind="correct"),
    _batches("lanes in reverse order, from the end of the stream", """\
    B, T = batch_size, seq_len
    K = (len(ids) - 1) // (B * T)
    n = B * K * T
    offset = len(ids) - 1 - n               # skip the first characters instead of the last ones
    xs = np.asarray(ids[offset:offset + n]).reshape(B, K * T)[::-1]
    ys = np.asarray(ids[offset + 1:offset + n + 1]).reshape(B, K * T)[::-1]
    return [(np.array(xs[:, k * T:(k + 1) * T]), np.array(ys[:, k * T:(k + 1) * T])) for k in range(K)]
""", kind="correct"),
]

# ----------------------------------------------------------------------------------------------- sample_from_logits
_SOFTMAX = """\
    if temperature <= 0:
        raise ValueError("temperature must be positive")
"""

SAMPLE = [
    _sample("temperature ignored", _SOFTMAX + """\
    p = np.exp(logits - logits.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
"""),
    _sample("logits multiplied by the temperature", _SOFTMAX + """\
    z = logits * temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
"""),
    _sample("uses np.random instead of rng", _SOFTMAX + """\
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(np.random.choice(len(p), p=p))
"""),
    _sample("a new generator on every call", _SOFTMAX + """\
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(np.random.default_rng().choice(len(p), p=p))
"""),
    _sample("a fixed seed inside", _SOFTMAX + """\
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(np.random.default_rng(0).choice(len(p), p=p))
"""),
    _sample("no max subtraction: overflows for large logits", _SOFTMAX + """\
    p = np.exp(logits / temperature)
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
""", says="Subtract the largest logit before np.exp"),
    _sample("softmax, then the probabilities divided by the temperature", """\
    p = np.exp(logits - logits.max())
    p = p / p.sum() / temperature
    return int(rng.choice(len(p), p=p))
""", says="not with a check of its own"),
    _sample("softmax divided by the temperature, with a check of the temperature", _SOFTMAX + """\
    p = np.exp(logits - logits.max())
    p = p / p.sum() / temperature
    return int(rng.choice(len(p), p=p))
""", says="Divide the logits by the temperature before the softmax"),
    _sample("always the argmax", _SOFTMAX + """\
    return int(np.argmax(logits / temperature))
"""),
    _sample("no ValueError: temperature 0 is treated as greedy", """\
    if temperature <= 0:
        return int(np.argmax(logits))
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
"""),
    _sample("ValueError only for negative temperatures", """\
    if temperature < 0:
        raise ValueError("temperature must not be negative")
    with np.errstate(divide="ignore", invalid="ignore"):
        z = logits / temperature
        p = np.exp(z - z.max())
        p /= p.sum()
    if not np.all(np.isfinite(p)):
        return int(np.argmax(logits))
    return int(rng.choice(len(p), p=p))
"""),
    _sample("inverse CDF off by one", _SOFTMAX + """\
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    u = rng.random()
    return min(int(np.sum(np.cumsum(p) < u)) + 1, len(p) - 1)
"""),
    _sample("uniform draw, logits ignored", _SOFTMAX + """\
    return int(rng.integers(len(logits)))
"""),
    _sample("returns an array of one draw", _SOFTMAX + """\
    z = logits / temperature
    p = np.exp(z - z.max())
    p /= p.sum()
    return rng.choice(len(p), size=1, p=p)
"""),
    _sample("probabilities divided by the temperature", _SOFTMAX + """\
    p = np.exp(logits - logits.max())
    p /= p.sum()
    p = p ** (1 / temperature) if temperature < 1 else p
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
"""),
    _sample("logits changed in place", _SOFTMAX + """\
    logits /= temperature
    logits -= logits.max()
    p = np.exp(logits)
    p /= p.sum()
    return int(rng.choice(len(p), p=p))
"""),
    _sample("Gumbel-max trick", """\
    if not temperature > 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    return int(np.argmax(np.asarray(logits, dtype=float) / temperature + rng.gumbel(size=len(logits))))
""", kind="correct"),
    _sample("rng.choice with rnnlib.softmax", """\
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    p = rnnlib.softmax(np.asarray(logits, dtype=np.float64) / temperature)
    return rng.choice(len(p), p=p)
""", kind="correct"),
    _sample("loop over the cumulative sum", """\
    if temperature <= 0:
        raise ValueError("the temperature must be positive")
    scaled = [float(z) / temperature for z in logits]
    top = max(scaled)
    weights = [np.exp(s - top) for s in scaled]
    u = rng.random() * sum(weights)
    running = 0.0
    for k, w in enumerate(weights):
        running += w
        if u < running:
            return k
    return len(weights) - 1
""", kind="correct"),
]

# ---------------------------------------------------------------------------------------------------- generate
GENERATE = [
    _generate("the state is not carried: every call starts from the first state", """\
    logits, _ = step(np.asarray(prime_ids), state)
    out = []
    for _ in range(length):
        k = int(sample_from_logits(logits[-1], temperature, rng))
        out.append(k)
        logits, _ = step(np.array([k]), state)
    return np.array(out, dtype=int)
""", says="got the starting state again"),
    _generate("the state after the prompt is kept, the later ones are dropped", """\
    logits, after_prompt = step(np.asarray(prime_ids), state)
    out = []
    for _ in range(length):
        k = int(sample_from_logits(logits[-1], temperature, rng))
        out.append(k)
        logits, _ = step(np.array([k]), after_prompt)
    return np.array(out, dtype=int)
""", says="pass on the state returned by the previous call"),
    _generate("first character drawn from the scores after the first prompt character", """\
    logits, state = step(np.asarray(prime_ids), state)
    out = []
    for _ in range(length):
        k = int(sample_from_logits(logits[0], temperature, rng))
        out.append(k)
        logits, state = step(np.array([k]), state)
    return np.array(out, dtype=int)
""", says="use the last row of the logits, logits[-1]"),
    _generate("reads the last prompt character twice", """\
    _, state = step(np.asarray(prime_ids), state)
    last = int(prime_ids[-1])
    out = []
    for _ in range(length):
        logits, state = step(np.array([last]), state)
        last = int(sample_from_logits(logits[-1], temperature, rng))
        out.append(last)
    return np.array(out, dtype=int)
""", says="read the prompt's last character twice"),
    _generate("returns the prompt as well", """\
    logits, state = step(np.asarray(prime_ids), state)
    out = list(prime_ids)
    for _ in range(length):
        k = int(sample_from_logits(logits[-1], temperature, rng))
        out.append(k)
        logits, state = step(np.array([k]), state)
    return np.array(out, dtype=int)
""", says="ids starts with the prompt"),
    _generate("never reads what it wrote", """\
    logits, state = step(np.asarray(prime_ids), state)
    out = []
    for _ in range(length):
        out.append(int(sample_from_logits(logits[-1], temperature, rng)))
    return np.array(out, dtype=int)
""", says="read each written character with step"),
    _generate("the temperature is not passed on", """\
    logits, state = step(np.asarray(prime_ids), state)
    out = []
    for _ in range(length):
        k = int(sample_from_logits(logits[-1], 1.0, rng))
        out.append(k)
        logits, state = step(np.array([k]), state)
    return np.array(out, dtype=int)
""", says="Pass `temperature` on to sample_from_logits"),
    _generate("argmax instead of a draw", """\
    logits, state = step(np.asarray(prime_ids), state)
    out = []
    for _ in range(length):
        k = int(np.argmax(logits[-1]))
        out.append(k)
        logits, state = step(np.array([k]), state)
    return np.array(out, dtype=int)
""", says="not np.argmax"),
    _generate("draws with np.random instead of rng", """\
    logits, state = step(np.asarray(prime_ids), state)
    out = []
    for _ in range(length):
        z = logits[-1] / temperature
        p = np.exp(z - z.max())
        k = int(np.random.choice(len(p), p=p / p.sum()))
        out.append(k)
        logits, state = step(np.array([k]), state)
    return np.array(out, dtype=int)
""", says="the same seed gave different characters"),
    _generate("one character too few", """\
    logits, state = step(np.asarray(prime_ids), state)
    out = []
    for _ in range(length - 1):
        k = int(sample_from_logits(logits[-1], temperature, rng))
        out.append(k)
        logits, state = step(np.array([k]), state)
    return np.array(out, dtype=int)
""", says="ids has shape (4,)"),
    _generate("reads the whole text again from the first state for every character", """\
    text = list(prime_ids)
    out = []
    for _ in range(length):
        logits, _ = step(np.array(text), state)
        k = int(sample_from_logits(logits[-1], temperature, rng))
        out.append(k)
        text.append(k)
    return np.array(out, dtype=int)
""", says="got the starting state again"),
    _generate("the prompt one character at a time", """\
    for i in prime_ids:
        logits, state = step(np.array([i]), state)
    out = np.zeros(length, dtype=np.int64)
    for t in range(length):
        out[t] = sample_from_logits(logits[-1], temperature, rng)
        logits, state = step(out[t:t + 1], state)
    return out
""", kind="correct"),
    _generate("the last written character is not read", """\
    logits, state = step(prime_ids, state)
    out = []
    while len(out) < length:
        out.append(sample_from_logits(logits[-1], temperature, rng))
        if len(out) < length:
            logits, state = step(np.array(out[-1:]), state)
    return np.array(out, dtype=np.int64).reshape(length)
""", kind="correct"),
    _generate("all of the prompt but its last character, then one character per step", """\
    prime_ids = list(prime_ids)
    if len(prime_ids) > 1:
        _, state = step(np.array(prime_ids[:-1]), state)
    prev, out = prime_ids[-1], []
    for _ in range(length):
        logits, state = step(np.array([prev]), state)
        prev = int(sample_from_logits(logits[0], temperature, rng))
        out.append(prev)
    return np.array(out, dtype=int)
""", kind="correct"),
]

VARIANTS = MAKE_BATCHES + SAMPLE + GENERATE
