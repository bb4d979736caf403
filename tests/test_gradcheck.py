"""The gradient checker finds a wrong gradient and says where, in words."""
import numpy as np
import pytest

import rnnlib
from rnnlib.analysis.gradcheck import check_layer, gradient_report, numerical_gradient


def test_numerical_gradient_of_a_quadratic():
    x = np.array([1.0, -2.0, 3.0])
    g = numerical_gradient(lambda: (x**2).sum(), x)
    np.testing.assert_allclose(g, 2 * x, rtol=1e-8)
    np.testing.assert_array_equal(x, [1.0, -2.0, 3.0])  # restored


def test_report_names_the_worst_entry():
    analytic = np.array([[1.0, 2.0], [3.0, 4.0]])
    numeric = analytic.copy()
    numeric[1, 0] = -3.0
    ok, message = gradient_report("dWh", analytic, numeric)
    assert not ok
    assert message.startswith("dWh: 1 of 4 entries are off; worst at (1, 0): analytic 3, numeric -3, relative error 1")


def test_report_on_shape_and_nan():
    assert gradient_report("db", np.zeros(3), np.zeros(4)) == (False, "db: shape (3,), expected (4,).")
    assert gradient_report("db", np.array([np.nan]), np.zeros(1))[1] == "db: contains NaN or inf."


def test_check_layer_catches_a_backward_that_forgets_tanh(rng):
    def bad_backward(dh_next, cache):
        x, h_prev, Wx, Wh, h_next = cache
        da = dh_next  # the tanh derivative is missing
        return da @ Wx.T, da @ Wh.T, x.T @ da, h_prev.T @ da, da.sum(0)

    inputs = [rng.standard_normal((2, 3)), rng.standard_normal((2, 4)), rng.standard_normal((3, 4)),
              rng.standard_normal((4, 4)), rng.standard_normal(4)]
    with pytest.raises(AssertionError, match="input 0: .* entries are off; worst at"):
        check_layer(rnnlib.rnn_step_forward, bad_backward, inputs)
