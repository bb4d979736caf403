"""make_batches and sample_from_logits: the references of notebook 06, and generation."""
import warnings

import numpy as np
import pytest

from rnnlib.data.batching import make_batches
from rnnlib.models.char_lm import CharLM
from rnnlib.train.sampling import entropies_along, entropy_bits, generate, sample_from_logits, softmax_with_temperature
from rnnlib.data.text import Vocabulary


@pytest.mark.parametrize("L, B, T", [(26, 2, 3), (24, 2, 3), (25, 2, 3), (100, 1, 7), (50, 5, 1), (6, 2, 3)])
def test_make_batches_lanes(L, B, T):
    ids = np.arange(L) + 10
    batches = make_batches(ids, B, T)
    K = (L - 1) // (B * T)
    assert isinstance(batches, list) and len(batches) == K
    for k, (x, y) in enumerate(batches):
        assert x.shape == y.shape == (B, T) and x.dtype == y.dtype == np.int64
        np.testing.assert_array_equal(y, x + 1)                           # next character of the stream
        np.testing.assert_array_equal(x[:, 0], 10 + np.arange(B) * K * T + k * T)   # lane b continues


def test_make_batches_rejects_bad_input():
    with pytest.raises(ValueError, match="batch_size"):
        make_batches(np.arange(10), 0, 2)
    with pytest.raises(ValueError, match="integer"):
        make_batches(np.arange(10.0), 2, 2)


def test_sampling_frequencies_temperature_and_errors():
    logits = np.array([2.0, 1.0, 0.0, -1.0])
    for t in [0.5, 1.0, 2.0]:
        rng = np.random.default_rng(0)
        n = 20000
        counts = np.bincount([sample_from_logits(logits, t, rng) for _ in range(n)], minlength=4)
        p = softmax_with_temperature(logits, t)
        chi2 = ((counts - n * p) ** 2 / (n * p)).sum()
        assert chi2 < 30.0     # 3 degrees of freedom: P(chi2 > 30) < 2e-6 for a correct sampler
    assert sample_from_logits(logits, 1e-6, np.random.default_rng(0)) == 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sample_from_logits(np.array([1e4, -1e4]), 1e-3, np.random.default_rng(0)) == 0
    for bad in [0, -1.0, float("nan")]:
        with pytest.raises(ValueError, match="temperature"):
            sample_from_logits(logits, bad, np.random.default_rng(0))


def test_entropy_bits():
    assert entropy_bits(np.full(8, 1 / 8)) == pytest.approx(3.0)
    assert entropy_bits(np.array([1.0, 0.0])) == 0.0
    low, high = (entropy_bits(softmax_with_temperature(np.arange(5.0), t)) for t in (0.5, 2.0))
    assert low < high


def test_generate_carries_the_state_and_is_reproducible():
    vocab = Vocabulary("hello world")
    model = CharLM(len(vocab), 8, seed=0, dtype=np.float64)
    prime = vocab.encode("he")
    a = generate(model.step, model.init_state(1), prime, 30, temperature=1.0, rng=np.random.default_rng(5))
    b = generate(model.step, model.init_state(1), prime, 30, temperature=1.0, rng=np.random.default_rng(5))
    assert a.dtype == np.int64 and a.shape == (30,) and np.array_equal(a, b) and a.max() < len(vocab)
    # the same draws as reading the whole text from the start every time (the slow way to carry the state)
    rng, slow = np.random.default_rng(5), []
    for _ in range(30):
        logits, _ = model.logits(np.concatenate([prime, slow]).astype(np.int64)[None, :])
        slow.append(sample_from_logits(logits[0, -1], 1.0, rng))
    assert slow == a.tolist()
    ent = entropies_along(model, prime, a, 1.0)
    assert ent.shape == (30,) and np.all((ent >= 0) & (ent <= np.log2(len(vocab)) + 1e-9))
    assert generate(model.step, model.init_state(1), prime, 0).shape == (0,)
    with pytest.raises(ValueError, match="prime_ids"):
        generate(model.step, model.init_state(1), np.array([], dtype=int), 5)
