"""The MLP classifier: gradients, learning an easy task, seeding, clear errors."""
import time

import numpy as np
import pytest

from rnnlib.analysis.gradcheck import numerical_gradient
from rnnlib.models.mlp import MLPClassifier
from rnnlib.train.optim import SGD
from rnnlib.data.long_range import country_language_task
from rnnlib.data.windows import window_features


def test_shapes_and_probabilities(rng):
    model = MLPClassifier(5, 7, 3, seed=0)
    assert {k: v.shape for k, v in model.params.items()} == {"W1": (5, 7), "b1": (7,), "W2": (7, 3), "b2": (3,)}
    X = rng.standard_normal((4, 5))
    p = model.predict_proba(X)
    assert p.shape == (4, 3)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert model.predict(X).shape == (4,)


@pytest.mark.parametrize("reg", [0.0, 0.3])
def test_gradients_match_finite_differences(rng, reg):
    model = MLPClassifier(4, 6, 3, seed=1)
    for p in model.params.values():  # non-zero biases, so every path is exercised
        p += 0.1 * rng.standard_normal(p.shape)
    X, y = rng.standard_normal((5, 4)), rng.integers(0, 3, size=5)
    _, grads = model.loss(X, y, reg)
    for name, p in model.params.items():
        num = numerical_gradient(lambda: model.loss(X, y, reg)[0], p)
        np.testing.assert_allclose(grads[name], num, rtol=1e-5, atol=1e-8, err_msg=name)


def test_learns_xor():
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0])
    model = MLPClassifier(2, 16, 2, seed=0)
    history = model.fit(X, y, steps=300, lr=0.05)
    assert history[-1] < 0.05 < history[0]
    assert model.accuracy(X, y) == 1.0


def test_window_model_converges_fast():
    """The notebook's experiment: the country inside the window is learned in well under a second."""
    ids, y, words = country_language_task(400, 3, rng=0)
    test_ids, test_y, _ = country_language_task(300, 3, rng=1)
    V = len(words)
    start = time.perf_counter()
    model = MLPClassifier(5 * V, 16, V, seed=0)
    model.fit(window_features(ids, 5, V), y, steps=100, lr=0.05, batch_size=128)
    assert time.perf_counter() - start < 1.0
    assert model.accuracy(window_features(test_ids, 5, V), test_y) == 1.0
    # the country outside the window: no better than chance (1/4) by more than noise
    blind = MLPClassifier(3 * V, 16, V, seed=0)
    blind.fit(window_features(ids, 3, V), y, steps=100, lr=0.05, batch_size=128)
    assert blind.accuracy(window_features(test_ids, 3, V), test_y) < 0.4


def test_same_seed_same_model(rng):
    X, y = rng.standard_normal((20, 3)), rng.integers(0, 2, size=20)
    a, b = MLPClassifier(3, 4, 2, seed=7), MLPClassifier(3, 4, 2, seed=7)
    ha = a.fit(X, y, steps=20, batch_size=8)
    hb = b.fit(X, y, steps=20, batch_size=8)
    assert ha == hb


def test_fit_accepts_another_optimizer(rng):
    X, y = rng.standard_normal((30, 3)), rng.integers(0, 2, size=30)
    model = MLPClassifier(3, 8, 2, seed=0)
    history = model.fit(X, y, steps=50, optimizer=SGD(lr=0.1))
    assert history[-1] < history[0]


def test_float32_model():
    model = MLPClassifier(3, 4, 2, dtype=np.float32)
    model.fit(np.ones((4, 3)), np.array([0, 1, 0, 1]), steps=5)
    assert all(p.dtype == np.float32 for p in model.params.values())


def test_bad_inputs_are_named():
    model = MLPClassifier(3, 4, 2)
    with pytest.raises(ValueError, match=r"X has shape \(5, 4\)"):
        model.predict(np.zeros((5, 4)))
    with pytest.raises(ValueError, match="index 2"):
        model.fit(np.zeros((2, 3)), np.array([0, 2]))
    with pytest.raises(ValueError, match="y"):
        model.fit(np.zeros((2, 3)), np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="hidden_size"):
        MLPClassifier(3, 0, 2)
    with pytest.raises(FloatingPointError, match="^MLPClassifier.fit: .* at step 1. Try a lower learning rate.$"), \
            np.errstate(all="ignore"):
        MLPClassifier(3, 4, 2, weight_scale=1e200).fit(np.ones((2, 3)), np.array([0, 1]), steps=3)
    with pytest.raises(ValueError, match="^MLPClassifier.fit: steps must be an integer >= 0, got -1.$"):
        model.fit(np.zeros((2, 3)), np.array([0, 1]), steps=-1)
    with pytest.raises(ValueError, match="^MLPClassifier.fit: lr .* must be a positive number, got 0"):
        model.fit(np.zeros((2, 3)), np.array([0, 1]), lr=0)


def test_zero_steps_change_nothing_and_draw_nothing():
    model = MLPClassifier(3, 4, 2, seed=1)
    before = {k: v.copy() for k, v in model.params.items()}
    state = model.rng.bit_generator.state
    assert model.fit(np.ones((6, 3)), np.array([0, 1, 0, 1, 0, 1]), steps=0, batch_size=2) == []
    assert all(np.array_equal(before[k], model.params[k]) for k in before)
    assert model.rng.bit_generator.state == state
