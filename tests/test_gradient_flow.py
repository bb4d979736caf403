"""clip_grad_norm and state_gradients (the references for notebook 04)."""
import numpy as np
import pytest

import rnnlib
from rnnlib.train.clipping import clip_grad_norm
from rnnlib.analysis.gradient_flow import state_gradients


def test_clip_scales_in_place_and_returns_the_norm_before():
    grads = {"W": np.array([[3.0, 0.0]]), "b": np.array([4.0])}
    W = grads["W"]
    assert clip_grad_norm(grads, 1.0) == pytest.approx(5.0)
    assert grads["W"] is W  # the same array, scaled in place
    np.testing.assert_allclose(W, [[0.6, 0.0]])
    np.testing.assert_allclose(grads["b"], [0.8])


def test_clip_leaves_small_gradients_alone():
    grads = {"W": np.array([0.3, 0.4])}
    assert clip_grad_norm(grads, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(grads["W"], [0.3, 0.4])


@pytest.mark.parametrize("grads, max_norm, error", [
    ({"W": np.ones(2)}, 0.0, ValueError),
    ({"W": np.ones(2)}, -1, ValueError),
    ([np.ones(2)], 1.0, TypeError),
    ({"W": [1.0, 2.0]}, 1.0, TypeError),
    ({"W": np.ones(2, dtype=int)}, 1.0, TypeError),
])
def test_clip_rejects_bad_input(grads, max_norm, error):
    with pytest.raises(error, match="clip_grad_norm"):
        clip_grad_norm(grads, max_norm)


def test_state_gradients_match_backprop_through_the_reference(rng):
    N, T, D, H = 2, 6, 3, 4
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh, b = rng.standard_normal((D, H)), rng.standard_normal((H, H)), rng.standard_normal(H)
    h, cache = rnnlib.rnn_forward(x, h0, Wx, Wh, b)
    dh_last = rng.standard_normal((N, H))
    dh = state_gradients(dh_last, h, Wh)
    assert dh.shape == (N, T, H)
    np.testing.assert_array_equal(dh[:, -1], dh_last)
    # Backprop from the last step down to step t with only the last state's gradient:
    for t in range(T):
        upstream = np.zeros((N, T, H))
        upstream[:, -1] = dh_last
        grad_h = upstream[:, -1]
        for k in range(T - 1, t, -1):
            _, grad_h, *_ = rnnlib.rnn_step_backward(grad_h, cache[k])
        np.testing.assert_allclose(dh[:, t], grad_h, rtol=1e-10)


def test_state_gradients_shape_errors():
    with pytest.raises(ValueError, match=r"Wh has shape \(3, 3\) but should be \(H, H\) = \(4, 4\)"):
        state_gradients(np.zeros((2, 4)), np.zeros((2, 5, 4)), np.zeros((3, 3)))
