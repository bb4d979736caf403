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

from ..layers.softmax import softmax
from ..validation import as_positive


def _check_temperature(where, temperature):
    return as_positive(where, "temperature", temperature,
                       advice="(use a small positive value such as 1e-3 for greedy sampling)")


def softmax_with_temperature(logits, temperature=1.0):
    """softmax(logits / temperature) over the last axis, in float64, without overflow."""
    temperature = _check_temperature("softmax_with_temperature", temperature)
    return softmax(np.asarray(logits, dtype=np.float64) / temperature)


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


def generate(step, state, prime_ids, length, temperature=1.0, rng=None, sampler=sample_from_logits):
    """Let a model write `length` characters after the prompt `prime_ids`, carrying its state.

    Inputs:
    - step: function step(ids, state) -> (logits, new_state). The model reads the ids (k,) in order,
      starting from `state`; logits (k, V) are its scores for the character after each of them, and
      new_state is its state after the last. For a CharLM: `model.step`, with `model.init_state(1)`.
    - state: the model's state before the prompt (passed along, never looked into).
    - prime_ids: int array (P,), P >= 1, the prompt.
    - length: the number of characters to write, >= 0.
    - temperature: positive float, passed to `sampler`.
    - rng: numpy Generator (default: np.random.default_rng(0)), passed to `sampler`.
    - sampler: function (logits (V,), temperature, rng) -> index.

    Returns: ids, int64 array (length,): the written characters, without the prompt. Character k is
    drawn from the scores after everything before it (prompt and characters 0..k-1), each read once.
    """
    prime_ids = np.asarray(prime_ids)
    if prime_ids.ndim != 1 or prime_ids.size == 0:
        raise ValueError(f"generate: prime_ids must be a 1-D array with at least one id, got shape {prime_ids.shape}.")
    rng = np.random.default_rng(0) if rng is None else rng
    logits, state = step(prime_ids, state)
    out = np.empty(length, dtype=np.int64)
    for k in range(length):
        out[k] = sampler(logits[-1], temperature, rng)
        if k + 1 < length:                          # the last character need not be read
            logits, state = step(out[k:k + 1], state)
    return out


def entropies_along(model, prime_ids, ids, temperature=1.0):
    """Entropy in bits of the distribution each of `ids` was drawn from, after `prime_ids` (a CharLM).

    Returns an array (len(ids),): entry k is the entropy of softmax(logits / temperature) after the
    prompt and ids[:k], the distribution `generate` drew ids[k] from.
    """
    ids = np.asarray(ids, dtype=np.int64)
    if ids.size == 0:
        return np.zeros(0)
    text = np.concatenate([np.asarray(prime_ids, dtype=np.int64), ids])[:-1]
    logits, _ = model.logits(text[None, :])
    return entropy_bits(softmax_with_temperature(logits[0, -len(ids):], temperature))
