"""The fast character model: the same numbers as the reference LSTM, correct gradients, carried state, save/load."""
import warnings

import numpy as np
import pytest

import rnnlib
from rnnlib.kernels.lstm import lstm_recurrence_backward, lstm_recurrence_forward
from rnnlib.kernels.rnn import rnn_recurrence_backward, rnn_recurrence_forward
from rnnlib.kernels.workspace import Workspace
from rnnlib.models.char_lm import CharLM
from rnnlib.analysis.gradcheck import numerical_gradient


def _close(a, b, rtol):
    """Relative error of the whole array (not entry by entry: tiny entries would dominate)."""
    return np.linalg.norm(a - b) <= rtol * max(np.linalg.norm(a), np.linalg.norm(b), 1e-12)


def test_lstm_recurrence_matches_reference_forward_and_backward(rng):
    N, T, D, H = 3, 5, 4, 6
    x = rng.standard_normal((N, T, D))
    h0 = rng.standard_normal((N, H))
    Wx, Wh, b = 0.5 * rng.standard_normal((D, 4 * H)), 0.5 * rng.standard_normal((H, 4 * H)), rng.standard_normal(4 * H)
    h_ref, cache = rnnlib.lstm_forward(x, h0, Wx, Wh, b)
    dh = rng.standard_normal((N, T, H))
    dx, dh0, dWx, dWh, db = rnnlib.lstm_backward(dh, cache)

    ws = Workspace()
    gates = np.ascontiguousarray((x @ Wx + b).transpose(1, 0, 2))      # input projections, all steps at once
    hs, cs = lstm_recurrence_forward(gates, h0, np.zeros((N, H)), Wh, ws)
    np.testing.assert_allclose(hs[1:].transpose(1, 0, 2), h_ref, rtol=1e-12, atol=1e-14)
    da, dh0_fast, _ = lstm_recurrence_backward(np.ascontiguousarray(dh.transpose(1, 0, 2)), gates, hs, cs, Wh, ws)
    da = da.reshape(T * N, 4 * H)
    x_tm = np.ascontiguousarray(x.transpose(1, 0, 2)).reshape(T * N, D)
    np.testing.assert_allclose(dh0_fast, dh0, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(hs[:-1].reshape(T * N, H).T @ da, dWh, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(x_tm.T @ da, dWx, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(da.sum(axis=0), db, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose((da @ Wx.T).reshape(T, N, D).transpose(1, 0, 2), dx, rtol=1e-10, atol=1e-13)


def test_rnn_recurrence_matches_reference(rng):
    N, T, D, H = 2, 4, 3, 5
    x, h0 = rng.standard_normal((N, T, D)), rng.standard_normal((N, H))
    Wx, Wh, b = rng.standard_normal((D, H)), 0.5 * rng.standard_normal((H, H)), rng.standard_normal(H)
    h_ref, cache = rnnlib.rnn_forward(x, h0, Wx, Wh, b)
    dh = rng.standard_normal((N, T, H))
    _, dh0, _, dWh, db = rnnlib.rnn_backward(dh, cache)
    ws = Workspace()
    pre = np.ascontiguousarray((x @ Wx + b).transpose(1, 0, 2))
    hs = rnn_recurrence_forward(pre, h0, Wh, ws)
    np.testing.assert_allclose(hs[1:].transpose(1, 0, 2), h_ref, rtol=1e-12)
    da, dh0_fast = rnn_recurrence_backward(np.ascontiguousarray(dh.transpose(1, 0, 2)), hs, Wh, ws)
    np.testing.assert_allclose(dh0_fast, dh0, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(hs[:-1].reshape(T * N, H).T @ da.reshape(T * N, H), dWh, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(da.sum(axis=(0, 1)), db, rtol=1e-10, atol=1e-13)


def test_model_scores_match_reference_lstm(rng):
    model = CharLM(7, 5, 1, "lstm", dtype=np.float64, seed=3)
    x = rng.integers(0, 7, size=(3, 4))
    h0 = rng.standard_normal((3, 5))
    p = model.params
    h_ref, _ = rnnlib.lstm_forward(rnnlib.one_hot(x, 7), h0, p["Wx1"], p["Wh1"], p["b1"])
    logits, _ = model.logits(x, [(h0, np.zeros((3, 5)))])
    np.testing.assert_allclose(logits, h_ref @ p["Wy"] + p["by"], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("cell", ["lstm", "rnn"])
@pytest.mark.parametrize("layers", [1, 2])
def test_model_gradients_against_finite_differences(rng, cell, layers):
    V, H, N, T = 6, 4, 3, 5
    model = CharLM(V, H, layers, cell, dtype=np.float64, seed=1)
    x, y = rng.integers(0, V, size=(N, T)), rng.integers(0, V, size=(N, T))
    state = [(rng.standard_normal((N, H)), rng.standard_normal((N, H)) if cell == "lstm" else None)
             for _ in range(layers)]                                  # a carried, non-zero state
    loss, grads, _ = model.loss_and_grads(x, y, state)
    grads = {k: g.copy() for k, g in grads.items()}
    assert loss == pytest.approx(model.loss(x, y, state)[0], rel=1e-12)
    for name, param in model.params.items():
        numeric = numerical_gradient(lambda: model.loss(x, y, state)[0], param)
        assert _close(grads[name], numeric, 1e-7), name


def test_loss_is_cross_entropy_and_state_is_carried(rng):
    model = CharLM(5, 8, 2, "lstm", dtype=np.float64, seed=0)
    x = rng.integers(0, 5, size=(2, 6))
    logits, _ = model.logits(x)
    y = rng.integers(0, 5, size=(2, 6))
    expected = -np.take_along_axis(rnnlib.log_softmax(logits), y[..., None], -1).mean()
    assert model.loss(x, y)[0] == pytest.approx(expected, rel=1e-12)
    # Two halves with the state carried = the whole sequence at once.
    whole, _ = model.logits(x)
    first, state = model.logits(x[:, :3])
    second, _ = model.logits(x[:, 3:], state)
    np.testing.assert_allclose(np.concatenate([first, second], axis=1), whole, rtol=1e-12)
    # ... and the returned state is a copy, not a view into buffers that the next call overwrites.
    h_before = state[0][0].copy()
    model.logits(x[:, :3])
    np.testing.assert_array_equal(state[0][0], h_before)


def test_float32_training_reduces_the_loss_without_warnings(rng):
    from rnnlib.train.clipping import clip_grad_norm
    from rnnlib.train.optim import Adam

    text = np.tile(np.array([0, 1, 2, 3, 2, 1]), 60)
    model = CharLM(4, 16, 1, "lstm", dtype=np.float32, seed=0)
    assert all(p.dtype == np.float32 for p in model.params.values())
    opt = Adam(lr=1e-2)
    x, y = text[:250].reshape(5, 50), text[1:251].reshape(5, 50)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = model.loss(x, y)[0]
        for _ in range(60):
            _, grads, _ = model.loss_and_grads(x, y)
            assert all(g.dtype == np.float32 for g in grads.values())
            clip_grad_norm(grads, 5.0)
            opt.step(model.params, grads)
    assert model.loss(x, y)[0] < 0.3 * first


def test_save_and_load_round_trip(tmp_path, rng):
    model = CharLM(5, 6, 2, "rnn", seed=2, chars=list("abcde"))
    path = model.save(tmp_path / "m.npz")
    loaded = CharLM.load(path)
    assert loaded.config() == model.config() and loaded.chars == list("abcde")
    x = rng.integers(0, 5, size=(2, 7))
    np.testing.assert_array_equal(loaded.logits(x)[0], model.logits(x)[0])


def test_clear_errors():
    with pytest.raises(ValueError, match="cell must be one of"):
        CharLM(5, 4, cell="gru")
    with pytest.raises(ValueError, match="num_layers"):
        CharLM(5, 4, num_layers=3)
    model = CharLM(5, 4)
    with pytest.raises(ValueError, match=r"ids must be in \[0, 5\)"):
        model.loss(np.array([[0, 5]]), np.array([[1, 2]]))
    with pytest.raises(ValueError, match="x has shape"):
        model.loss_and_grads(np.zeros((2, 3), dtype=int), np.zeros((2, 4), dtype=int))
