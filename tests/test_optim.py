"""Optimisers: exact first updates, convergence on a quadratic, in-place updates, clear errors."""
import numpy as np
import pytest

from rnnlib.train.optim import Adam, Momentum, RMSProp, SGD

ALL = [SGD, Momentum, RMSProp, Adam]


def quadratic(w, target):
    """f(w) = 0.5 * |w - target|^2, gradient w - target."""
    return 0.5 * np.sum((w - target) ** 2), w - target


def test_sgd_update_by_hand():
    w = np.array([1.0, -2.0])
    params = {"w": w}
    SGD(lr=0.1).step(params, {"w": np.array([0.5, 1.0])})
    np.testing.assert_allclose(w, [0.95, -2.1], rtol=1e-15)
    assert params["w"] is w  # updated in place


def test_momentum_accumulates_velocity():
    w = np.zeros(1)
    opt = Momentum(lr=0.1, momentum=0.5)
    opt.step({"w": w}, {"w": np.ones(1)})   # v = -0.1
    np.testing.assert_allclose(w, [-0.1])
    opt.step({"w": w}, {"w": np.ones(1)})   # v = -0.05 - 0.1 = -0.15
    np.testing.assert_allclose(w, [-0.25])


def test_rmsprop_first_step_by_hand():
    w = np.array([0.0, 0.0])
    g = np.array([2.0, -0.5])
    RMSProp(lr=0.01, decay=0.9, eps=0.0 + 1e-12).step({"w": w}, {"w": g})
    # s = 0.1 g^2, so the step is lr * g / (sqrt(0.1) |g|) = lr * sign(g) / sqrt(0.1)
    np.testing.assert_allclose(w, -0.01 * np.sign(g) / np.sqrt(0.1), rtol=1e-9)


def test_adam_first_steps_have_size_lr():
    """With bias correction Adam's first step is lr * sign(g), whatever the gradient's size."""
    w = np.array([1.0, 1.0, 1.0])
    opt = Adam(lr=0.01)
    opt.step({"w": w}, {"w": np.array([1e-3, -5.0, 200.0])})
    np.testing.assert_allclose(w, [0.99, 1.01, 0.99], rtol=1e-6)
    assert opt.t == 1


def test_adam_matches_the_formula(rng):
    lr, b1, b2, eps = 0.05, 0.8, 0.9, 1e-6
    w = rng.standard_normal(4)
    ref, m, v = w.copy(), np.zeros(4), np.zeros(4)
    opt = Adam(lr, b1, b2, eps)
    for t in range(1, 6):
        g = rng.standard_normal(4)
        opt.step({"w": w}, {"w": g})
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        ref -= lr * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + eps)
        np.testing.assert_allclose(w, ref, rtol=1e-12)


@pytest.mark.parametrize("cls, lr", [(SGD, 0.1), (Momentum, 0.05), (RMSProp, 0.02), (Adam, 0.05)])
def test_every_optimiser_minimises_a_quadratic(cls, lr, rng):
    target = rng.standard_normal((3, 2))
    params = {"w": np.zeros((3, 2)), "b": np.ones(2)}
    opt = cls(lr=lr)
    start = quadratic(params["w"], target)[0]
    for _ in range(500):
        _, gw = quadratic(params["w"], target)
        opt.step(params, {"w": gw, "b": params["b"].copy()})   # b is pulled to 0
    assert quadratic(params["w"], target)[0] < 1e-3 * start
    assert np.all(np.abs(params["b"]) < 0.05)


@pytest.mark.parametrize("cls", ALL)
@pytest.mark.parametrize("lr", [0, -0.1, float("nan")])
def test_learning_rate_must_be_positive(cls, lr):
    with pytest.raises(ValueError, match="lr"):
        cls(lr=lr)


@pytest.mark.parametrize("cls", ALL)
def test_mismatched_params_and_grads_are_named(cls):
    opt = cls(lr=0.1)
    with pytest.raises(KeyError, match="b"):
        opt.step({"W": np.zeros(2), "b": np.zeros(1)}, {"W": np.zeros(2)})
    with pytest.raises(ValueError, match=r"\(3,\).*\(2,\)"):
        opt.step({"W": np.zeros(2)}, {"W": np.zeros(3)})
    with pytest.raises(TypeError, match="float"):
        opt.step({"W": np.zeros(2, dtype=int)}, {"W": np.zeros(2)})


@pytest.mark.parametrize("bad", [{"momentum": 1.0}, {"momentum": -0.1}])
def test_momentum_range(bad):
    with pytest.raises(ValueError, match="momentum"):
        Momentum(lr=0.1, **bad)


def test_float32_parameters_stay_float32():
    w = np.ones(3, dtype=np.float32)
    Adam(lr=0.1).step({"w": w}, {"w": np.ones(3)})
    assert w.dtype == np.float32
