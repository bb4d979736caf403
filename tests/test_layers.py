"""Reference layers: values on hand-checked cases, gradients against finite differences."""
import numpy as np
import pytest

import rnnlib
from rnnlib.analysis.gradcheck import check_layer, numerical_gradient


def test_one_hot_shapes_and_values():
    out = rnnlib.one_hot(np.array([[0, 2], [1, 1]]), 3)
    assert out.shape == (2, 2, 3) and out.dtype == np.float64
    np.testing.assert_array_equal(out[0, 1], [0, 0, 1])
    assert rnnlib.one_hot(1, 4).tolist() == [0, 1, 0, 0]
    assert rnnlib.one_hot(np.array([], dtype=int), 5).shape == (0, 5)


@pytest.mark.parametrize("bad, error, words", [
    (([0, 3], 3), ValueError, "index 3"),
    (([0, -1], 3), ValueError, "negative"),
    (([0.5], 3), TypeError, "integer"),
    (([0], 0), ValueError, "positive"),
])
def test_one_hot_rejects_bad_input(bad, error, words):
    with pytest.raises(error, match=words):
        rnnlib.one_hot(*bad)


def test_softmax_is_stable_and_normalised():
    p = rnnlib.softmax(np.array([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]]))
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0)
    np.testing.assert_allclose(p[0], [1, 0, 0])
    e = np.exp([1.0, 2.0, 3.0])
    np.testing.assert_allclose(p[1], e / e.sum(), rtol=1e-12)
    np.testing.assert_allclose(np.exp(rnnlib.log_softmax(p)), rnnlib.softmax(p), rtol=1e-12)


def test_rnn_step_forward_by_hand():
    x = np.array([[1.0, 0.0]])
    h_prev = np.array([[0.5, -0.5]])
    Wx = np.array([[0.1, 0.2], [0.3, 0.4]])
    Wh = np.array([[1.0, 0.0], [2.0, 1.0]])  # not symmetric: the order of h_prev @ Wh matters
    b = np.array([0.05, -0.05])
    h, cache = rnnlib.rnn_step_forward(x, h_prev, Wx, Wh, b)
    np.testing.assert_allclose(h, np.tanh([[0.1 - 0.5 + 0.05, 0.2 - 0.5 - 0.05]]))
    assert len(cache) == 5 and cache[-1] is h


def test_rnn_forward_matches_steps(rng):
    N, T, D, H = 3, 5, 4, 2
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh, b = rng.standard_normal((D, H)), rng.standard_normal((H, H)), rng.standard_normal(H)
    h, cache = rnnlib.rnn_forward(x, h0, Wx, Wh, b)
    assert h.shape == (N, T, H) and len(cache) == T
    state = h0
    for t in range(T):
        state = np.tanh(x[:, t] @ Wx + state @ Wh + b)
        np.testing.assert_allclose(h[:, t], state, rtol=1e-12)


def _rnn_inputs(rng, N=2, T=4, D=3, H=5):
    return [rng.standard_normal((N, T, D)), rng.standard_normal((N, H)),
            0.5 * rng.standard_normal((D, H)), 0.5 * rng.standard_normal((H, H)), rng.standard_normal(H)]


def test_rnn_step_gradients(rng):
    x, h0, Wx, Wh, b = _rnn_inputs(rng)
    check_layer(rnnlib.rnn_step_forward, rnnlib.rnn_step_backward, [x[:, 0], h0, Wx, Wh, b])


def test_rnn_sequence_gradients(rng):
    check_layer(rnnlib.rnn_forward, rnnlib.rnn_backward, _rnn_inputs(rng))


def test_affine_gradients(rng):
    check_layer(rnnlib.affine_forward, rnnlib.affine_backward,
                [rng.standard_normal((4, 3)), rng.standard_normal((3, 6)), rng.standard_normal(6)])
    check_layer(rnnlib.temporal_affine_forward, rnnlib.temporal_affine_backward,
                [rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 5)), rng.standard_normal(5)])


@pytest.mark.parametrize("with_mask", [False, True])
def test_temporal_softmax_loss_value_and_gradient(rng, with_mask):
    N, T, V = 3, 4, 5
    scores, y = rng.standard_normal((N, T, V)), rng.integers(0, V, (N, T))
    mask = rng.random((N, T)) > 0.4 if with_mask else None
    loss, dscores = rnnlib.temporal_softmax_loss(scores, y, mask)
    m = np.ones((N, T), bool) if mask is None else mask
    p = np.exp(scores) / np.exp(scores).sum(-1, keepdims=True)
    expected = -np.log(p[np.arange(N)[:, None], np.arange(T), y])[m].mean()
    assert loss == pytest.approx(expected, rel=1e-12)
    numeric = numerical_gradient(lambda: rnnlib.temporal_softmax_loss(scores, y, mask)[0], scores)
    rnnlib.check_gradient("dscores", dscores, numeric, tol=1e-7)
    assert np.all(dscores[~m] == 0)


def test_uniform_scores_give_log_v():
    loss, _ = rnnlib.temporal_softmax_loss(np.zeros((2, 3, 7)), np.zeros((2, 3), int))
    assert loss == pytest.approx(np.log(7))


def test_loss_rejects_empty_mask_and_bad_targets():
    with pytest.raises(ValueError, match="no position"):
        rnnlib.temporal_softmax_loss(np.zeros((1, 2, 3)), np.zeros((1, 2), int), np.zeros((1, 2), bool))
    with pytest.raises(ValueError, match="index 3"):
        rnnlib.temporal_softmax_loss(np.zeros((1, 2, 3)), np.array([[0, 3]]))


def test_float32_inputs_stay_float32(rng):
    x, h0, Wx, Wh, b = (a.astype(np.float32) for a in _rnn_inputs(rng))
    h, _ = rnnlib.rnn_forward(x, h0, Wx, Wh, b)
    assert h.dtype == np.float32
