"""Wrong shapes are reported with the expected and the actual shape."""
import numpy as np
import pytest

import rnnlib
from rnnlib.validation import check_shapes


def test_check_shapes_binds_symbols():
    dims = check_shapes("f", ("x", np.zeros((2, 3)), "N,D"), ("W", np.zeros((3, 8)), "D,4H"))
    assert dims == {"N": 2, "D": 3, "H": 2}


@pytest.mark.parametrize("call, message", [
    (lambda z: rnnlib.rnn_step_forward(z((2, 3)), z((2, 4)), z((3, 4)), z((4, 5)), z(4)),
     r"rnn_step_forward: Wh has shape \(4, 5\) but should be \(H, H\) = \(4, 4\); H = 4 comes from h_prev"),
    (lambda z: rnnlib.rnn_step_forward(z((2, 3)), z((2, 4)), z((4, 4)), z((4, 4)), z(4)),
     r"Wx has shape \(4, 4\) but should be \(D, H\) = \(3, 4\)"),
    (lambda z: rnnlib.rnn_forward(z((2, 3)), z((2, 4)), z((3, 4)), z((4, 4)), z(4)),
     r"rnn_forward: x should have 3 dimensions \(N, T, D\), but it has shape \(2, 3\)"),
    (lambda z: rnnlib.rnn_step_forward(z((2, 3)), z((2, 4)), z((3, 4)), z((4, 4)), z((4, 1))),
     r"b should have 1 dimension \(H,\) = \(4,\), but it has shape \(4, 1\)"),
    (lambda z: rnnlib.temporal_affine_forward(z((2, 5, 4)), z((3, 6)), z(6)),
     r"W has shape \(3, 6\) but should be \(H, V\) = \(4, 6\)"),
    (lambda z: rnnlib.temporal_softmax_loss(z((2, 5, 4)), np.zeros((2, 4), int)),
     r"y has shape \(2, 4\) but should be \(N, T\) = \(2, 5\)"),
])
def test_errors_name_expected_and_actual_shapes(call, message):
    with pytest.raises(ValueError, match=message):
        call(np.zeros)


def test_backward_with_mismatched_cache():
    x = np.zeros((2, 3, 4))
    _, cache = rnnlib.rnn_forward(x, np.zeros((2, 5)), np.zeros((4, 5)), np.zeros((5, 5)), np.zeros(5))
    with pytest.raises(ValueError, match="dh covers 2 time steps but the cache holds 3"):
        rnnlib.rnn_backward(np.zeros((2, 2, 5)), cache)
