"""LSTM and GRU references: values by hand, gradients against finite differences."""
import warnings

import numpy as np
import pytest

from rnnlib.analysis.gradcheck import check_layer
from rnnlib.layers.gru import gru_step_backward, gru_step_forward
from rnnlib.models.cells import parameter_count
from rnnlib.layers.lstm import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward, sigmoid


def test_sigmoid_is_stable():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(np.array([-1e3, -1.0, 0.0, 1.0, 1e3]))
    np.testing.assert_allclose(s, [0.0, 1 / (1 + np.e), 0.5, 1 / (1 + np.exp(-1)), 1.0])


def test_lstm_step_gate_order_by_hand():
    H = 1
    x, h_prev, c_prev = np.zeros((1, 1)), np.zeros((1, H)), np.array([[2.0]])
    Wx, Wh = np.zeros((1, 4)), np.zeros((H, 4))
    b = np.array([10.0, -10.0, 10.0, 1.0])  # i open, f closed, o open, g = tanh(1)
    h, c, _ = lstm_step_forward(x, h_prev, c_prev, Wx, Wh, b)
    i, f, o = sigmoid(10.0), sigmoid(-10.0), sigmoid(10.0)
    np.testing.assert_allclose(c, [[f * 2.0 + i * np.tanh(1.0)]])
    np.testing.assert_allclose(h, o * np.tanh(c))


def _lstm_inputs(rng, N=2, T=3, D=4, H=3):
    return [rng.standard_normal((N, T, D)), rng.standard_normal((N, H)),
            0.5 * rng.standard_normal((D, 4 * H)), 0.5 * rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)]


def test_lstm_step_gradients(rng):
    x, h0, Wx, Wh, b = _lstm_inputs(rng)
    c0 = rng.standard_normal(h0.shape)

    def forward(x, h, c, Wx, Wh, b):
        h_next, c_next, cache = lstm_step_forward(x, h, c, Wx, Wh, b)
        return np.concatenate([h_next, c_next], axis=1), cache

    def backward(dout, cache):
        H = dout.shape[1] // 2
        return lstm_step_backward(dout[:, :H], dout[:, H:], cache)

    check_layer(forward, backward, [x[:, 0], h0, c0, Wx, Wh, b])


def test_lstm_sequence_gradients(rng):
    check_layer(lstm_forward, lstm_backward, _lstm_inputs(rng))


def test_lstm_shape_errors():
    with pytest.raises(ValueError, match=r"Wh has shape \(3, 8\) but should be \(H, 4H\) = \(3, 12\)"):
        lstm_step_forward(np.zeros((2, 4)), np.zeros((2, 3)), np.zeros((2, 3)), np.zeros((4, 12)),
                          np.zeros((3, 8)), np.zeros(12))


def test_gru_gradients_and_limits(rng):
    N, D, H = 2, 3, 4
    inputs = [rng.standard_normal((N, D)), rng.standard_normal((N, H)), 0.5 * rng.standard_normal((D, 3 * H)),
              0.5 * rng.standard_normal((H, 3 * H)), rng.standard_normal(3 * H)]
    check_layer(gru_step_forward, gru_step_backward, inputs)
    b = np.zeros(3 * H)
    b[H:2 * H] = 50.0  # update gate shut: the state is copied through
    h, _ = gru_step_forward(inputs[0], inputs[1], inputs[2], inputs[3], b)
    np.testing.assert_allclose(h, inputs[1], atol=1e-12)


def test_parameter_counts():
    assert parameter_count(10, 20, "lstm") == 4 * (10 * 20 + 20 * 20 + 20)
    assert parameter_count(10, 20, "gru") * 4 == parameter_count(10, 20, "lstm") * 3
    with pytest.raises(ValueError, match="cell must be one of"):
        parameter_count(1, 1, "transformer")
