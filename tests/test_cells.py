"""rnnlib.models.cells and the sequence layers they use (rnnlib.layers.lstm, rnnlib.layers.gru): gradient-checked."""
import numpy as np
import pytest

import rnnlib
from rnnlib.analysis.gradcheck import check_gradient, check_layer, numerical_gradient
from rnnlib.layers.gru import gru_step_forward
from rnnlib.data.long_range import first_symbol_task
from rnnlib.analysis.gates import lstm_gates
from rnnlib.analysis.gradient_flow import hidden_state_gradients
from rnnlib.layers.gru import gru_backward, gru_forward
from rnnlib.layers.lstm import lstm_layer_backward, lstm_layer_forward
from rnnlib.models.cells import GRUCell, lstm_init, LSTMCell
from rnnlib.analysis.distance import accuracy_vs_distance
from rnnlib.models.cells import RNNCell
from rnnlib.models.rnn_classifier import RNNClassifier


def _lstm_inputs(rng, N=2, T=4, D=3, H=5):
    b = rng.standard_normal(4 * H)
    b[H:2 * H] += 1.0
    return [rng.standard_normal((N, T, D)), rng.standard_normal((N, H)), rng.standard_normal((N, H)),
            0.5 * rng.standard_normal((D, 4 * H)), 0.5 * rng.standard_normal((H, 4 * H)), b]


def test_layer_matches_the_contract_lstm(rng):
    x, h0, _, Wx, Wh, b = _lstm_inputs(rng)
    h, c, cache = lstm_layer_forward(x, h0, None, Wx, Wh, b)
    h_ref, cache_ref = rnnlib.lstm_forward(x, h0, Wx, Wh, b)
    np.testing.assert_allclose(h, h_ref, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(c, lstm_gates(cache_ref)["c"], rtol=1e-12, atol=1e-14)
    dh = rng.standard_normal(h.shape)
    ref = rnnlib.lstm_backward(dh, cache_ref)
    # the layer's backward accepts both caches, and rnnlib.lstm_backward accepts the layer's cache
    for got in (lstm_layer_backward(dh, cache), lstm_layer_backward(dh, cache_ref)):
        for g, e in zip((got[0], got[1], got[3], got[4], got[5]), ref):
            np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)
    for g, e in zip(rnnlib.lstm_backward(dh, cache), ref):
        np.testing.assert_allclose(g, e, rtol=1e-10, atol=1e-12)


def test_layer_gradients_with_initial_cell_state(rng):
    inputs = _lstm_inputs(rng)

    def forward(x, h0, c0, Wx, Wh, b):
        h, c, cache = lstm_layer_forward(x, h0, c0, Wx, Wh, b)
        return np.concatenate([h, c], axis=2), cache      # check the gradients on h and on c together

    def backward(dout, cache):
        H = dout.shape[2] // 2
        return lstm_layer_backward(dout[..., :H], cache, dc=dout[..., H:])

    check_layer(forward, backward, inputs)


def test_layer_carries_state_between_chunks(rng):
    # two chunks with the state handed over equal one long run
    x, h0, c0, Wx, Wh, b = _lstm_inputs(rng, T=6)
    h_all, c_all, _ = lstm_layer_forward(x, h0, c0, Wx, Wh, b)
    h1, c1, _ = lstm_layer_forward(x[:, :2], h0, c0, Wx, Wh, b)
    h2, c2, _ = lstm_layer_forward(x[:, 2:], h1[:, -1], c1[:, -1], Wx, Wh, b)
    np.testing.assert_allclose(np.concatenate([h1, h2], axis=1), h_all, rtol=1e-12)
    np.testing.assert_allclose(np.concatenate([c1, c2], axis=1), c_all, rtol=1e-12)


def test_layer_keeps_float32(rng):
    x, h0, c0, Wx, Wh, b = (a.astype(np.float32) for a in _lstm_inputs(rng))
    h, c, cache = lstm_layer_forward(x, h0, c0, Wx, Wh, b)
    assert h.dtype == c.dtype == np.float32
    grads = lstm_layer_backward(np.ones_like(h), cache)
    assert all(g.dtype == np.float32 for g in grads)


def test_layer_shape_errors(rng):
    x, h0, c0, Wx, Wh, b = _lstm_inputs(rng)
    with pytest.raises(ValueError, match="c0"):
        lstm_layer_forward(x, h0, c0[:, :2], Wx, Wh, b)
    _, _, cache = lstm_layer_forward(x, h0, c0, Wx, Wh, b)
    with pytest.raises(ValueError, match="time steps"):
        lstm_layer_backward(np.zeros((2, 3, 5)), cache)


def test_gru_sequence_gradients_and_steps(rng):
    N, T, D, H = 2, 4, 3, 5
    inputs = [rng.standard_normal((N, T, D)), rng.standard_normal((N, H)), 0.5 * rng.standard_normal((D, 3 * H)),
              0.5 * rng.standard_normal((H, 3 * H)), rng.standard_normal(3 * H)]
    check_layer(gru_forward, gru_backward, inputs)
    h, _ = gru_forward(*inputs)
    h_t = inputs[1]
    for t in range(T):
        h_t, _ = gru_step_forward(inputs[0][:, t], h_t, *inputs[2:])
        np.testing.assert_allclose(h[:, t], h_t, rtol=1e-12)


def test_lstm_init_forget_bias_and_orthogonal_blocks():
    params = lstm_init(7, 4, np.random.default_rng(0), forget_bias=1.5)
    assert params["Wx"].shape == (7, 16) and params["Wh"].shape == (4, 16) and params["b"].shape == (16,)
    np.testing.assert_array_equal(params["b"], np.r_[np.zeros(4), np.full(4, 1.5), np.zeros(8)])
    for k in range(4):
        block = params["Wh"][:, 4 * k:4 * (k + 1)]
        np.testing.assert_allclose(block @ block.T, np.eye(4), atol=1e-12)


def test_lstm_gates_reads_a_cache(rng):
    x, h0, _, Wx, Wh, b = _lstm_inputs(rng)
    h, cache = rnnlib.lstm_forward(x, h0, Wx, Wh, b)
    gates = lstm_gates(cache)
    assert set(gates) == {"i", "f", "o", "g", "c", "h"}
    np.testing.assert_allclose(gates["h"], h, rtol=1e-12)
    H = h0.shape[1]
    np.testing.assert_allclose(gates["f"][:, 0], rnnlib.sigmoid(x[:, 0] @ Wx[:, H:2 * H] + h0 @ Wh[:, H:2 * H]
                                                                + b[H:2 * H]), rtol=1e-12)


@pytest.mark.parametrize("cell", [LSTMCell(), LSTMCell(forget_bias=0.0), GRUCell(), GRUCell(update_bias=0.0)])
def test_classifier_gradients_with_gated_cells(cell):
    rng = np.random.default_rng(3)
    model = RNNClassifier(vocab_size=5, hidden_size=4, n_classes=3, cell=cell, seed=1, dtype=np.float64)
    for v in model.params.values():
        v += 0.1 * rng.standard_normal(v.shape)
    ids, labels = rng.integers(0, 5, size=(3, 6)), rng.integers(0, 3, size=3)
    _, grads = model.loss(ids, labels)
    assert set(grads) == set(model.params) == {"Wx", "Wh", "b", "Wy", "by"}
    for key, value in model.params.items():
        check_gradient(key, grads[key], numerical_gradient(lambda: model.loss(ids, labels)[0], value), tol=1e-6)


def _rnn_step(x, state, P):
    return rnnlib.rnn_step_forward(x, state[0], P["Wx"], P["Wh"], P["b"])[0], None


def _lstm_step(x, state, P):
    h, c, _ = rnnlib.lstm_step_forward(x, state[0], state[1], P["Wx"], P["Wh"], P["b"])
    return h, c


def _gru_step(x, state, P):
    return gru_step_forward(x, state[0], P["Wx"], P["Wh"], P["b"])[0], None


@pytest.mark.parametrize("make, step", [(RNNCell, _rnn_step), (LSTMCell, _lstm_step), (GRUCell, _gru_step)])
def test_hidden_state_gradients_by_perturbing_a_state(make, step):
    # Run the steps by hand, add a small shift to h_t, finish the run: the change of the loss is dL/dh_t.
    rng = np.random.default_rng(8)
    model = RNNClassifier(vocab_size=4, hidden_size=3, n_classes=2, cell=make(), seed=5, dtype=np.float64)
    for v in model.params.values():
        v += 0.2 * rng.standard_normal(v.shape)
    ids, labels = rng.integers(0, 4, size=(2, 6)), rng.integers(0, 2, size=2)
    dh = hidden_state_gradients(model, ids, labels)
    assert dh.shape == (2, 6, 3)
    P = model.params
    x = np.eye(4)[ids]

    def loss_with_shift(t, shift):
        state = (np.zeros((2, 3)), np.zeros((2, 3)))
        for k in range(6):
            state = step(x[:, k], state, P)
            if k == t:
                state = (state[0] + shift, state[1])
        s = state[0] @ P["Wy"] + P["by"]
        s = s - s.max(1, keepdims=True)
        return float(-(s[np.arange(2), labels] - np.log(np.exp(s).sum(1))).mean())

    np.testing.assert_allclose(loss_with_shift(0, np.zeros((2, 3))), model.loss(ids, labels)[0], rtol=1e-12)
    for t in (0, 2, 5):
        shift = np.zeros((2, 3))
        numeric = numerical_gradient(lambda: loss_with_shift(t, shift), shift)
        check_gradient(f"dL/dh_{t}", dh[:, t], numeric, tol=1e-6)


def test_lstm_remembers_further_than_the_rnn():
    # a small version of notebook 05's experiment: distance 20, where the vanilla RNN is near chance
    acc_rnn = accuracy_vs_distance([20], make_cell=RNNCell, seeds=(0,), steps=100)
    acc_lstm = accuracy_vs_distance([20], make_cell=lambda: LSTMCell(1.0), seeds=(0,), steps=100)
    assert acc_lstm[0, 0] > 0.9
    assert acc_lstm[0, 0] > acc_rnn[0, 0] + 0.2


def test_hidden_state_gradients_rejects_unknown_cells():
    from rnnlib.models.cells import ReLURNNCell

    model = RNNClassifier(vocab_size=3, hidden_size=2, n_classes=2, cell=ReLURNNCell(), seed=0)
    task = first_symbol_task(4, 3, n_keys=2, n_fillers=1, rng=0)
    with pytest.raises(TypeError, match="no backward step"):
        hidden_state_gradients(model, task.ids, task.labels)
