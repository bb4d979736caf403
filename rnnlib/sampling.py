"""Sampling text from a language model: temperature, entropy, generation.

A model gives logits z (V,) for the next character. Sampling at temperature
tau draws from softmax(z / tau):

- tau = 1 is the model's own distribution;
- tau -> 0 puts all the probability on the largest logit (greedy, argmax);
- tau -> infinity tends to the uniform distribution.

Every function takes the random generator ``rng`` as an argument
(``np.random.default_rng(seed)``), so a run is reproducible and never touches
numpy's global random state.
"""
import numpy as np


def _check_temperature(where, temperature):
    if not np.isscalar(temperature) or not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"{where}: temperature must be a positive number, got {temperature!r} "
                         f"(use a small positive value such as 1e-3 for greedy sampling).")
    return float(temperature)


def softmax_with_temperature(logits, temperature=1.0):
    """softmax(logits / temperature) over the last axis, in float64, without overflow."""
    temperature = _check_temperature("softmax_with_temperature", temperature)
    z = np.asarray(logits, dtype=np.float64) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)


def entropy_bits(probs):
    """Entropy in bits of the distribution(s) over the last axis (0 log 0 counts as 0)."""
    p = np.asarray(probs, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(p), 0.0)
    return terms.sum(axis=-1)


def sample_from_logits(logits, temperature, rng):
    """Draw one index from softmax(logits / temperature).

    Inputs:
    - logits: float array (V,), unnormalised scores.
    - temperature: positive float.
    - rng: a numpy Generator, the only source of randomness.

    Returns: int in [0, V). Raises ValueError when temperature <= 0.
    """
    p = softmax_with_temperature(logits, temperature)
    # Inverse transform: the first index whose cumulative probability exceeds u ~ U[0, 1).
    cdf = np.cumsum(p)
    k = int(np.searchsorted(cdf, rng.random() * cdf[-1], side="right"))
    return min(k, len(p) - 1)


def generate(model, vocab, prime, length, temperature=1.0, rng=None, sampler=sample_from_logits):
    """Let a character model write `length` characters after the text `prime`.

    Inputs:
    - model: a rnnlib.char_lm.CharLM (anything with init_state(n) and step(ids, state)).
    - vocab: the rnnlib.text.Vocabulary the model was trained with.
    - prime: str, at least one character, every character in the vocabulary.
    - length: number of characters to write.
    - temperature: positive float, passed to `sampler`.
    - rng: numpy Generator (default: np.random.default_rng(0)).
    - sampler: function (logits, temperature, rng) -> index.

    Returns: (text, entropies): the written text (without the prime), and an
    array (length,) with the entropy in bits of each next-character
    distribution at that temperature.
    """
    if not prime:
        raise ValueError("generate: prime must hold at least one character.")
    rng = np.random.default_rng(0) if rng is None else rng
    state = model.init_state(1)
    ids = vocab.encode(prime)
    logits, state = model.step(ids[:-1], state) if len(ids) > 1 else (None, state)
    last = int(ids[-1])
    out, entropies = [], np.empty(length)
    for k in range(length):
        logits, state = model.step(np.array([last]), state)
        logits = logits[-1].astype(np.float64)
        entropies[k] = entropy_bits(softmax_with_temperature(logits, temperature))
        last = int(sampler(logits, temperature, rng))
        out.append(last)
    return vocab.decode(out), entropies
