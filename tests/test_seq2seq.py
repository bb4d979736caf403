"""The encoder-decoder: GRU over sequences with masks, the full model's gradients, decoding, training."""
import numpy as np
import pytest

from rnnlib.data import dates
from rnnlib.analysis.gradcheck import gradient_report, numerical_gradient
from rnnlib.layers.gru import gru_step_forward
from rnnlib.kernels.blas import blas_threads
from rnnlib.kernels.gru import gru_sequence_backward, gru_sequence_forward
from rnnlib.models.seq2seq import Seq2Seq
from rnnlib.train.decoding import decoder_inputs, greedy_decode
from rnnlib.train.loop import TrainConfig, TrainingDiverged
from rnnlib.train.seq2seq import train

QUIET = TrainConfig(steps=3, progress=False)


def test_gru_sequence_matches_the_step_reference(rng):
    T, N, D, H = 4, 3, 5, 6
    x = rng.standard_normal((T, N, D))
    Wx, Wh, b = rng.standard_normal((D, 3 * H)), 0.5 * rng.standard_normal((H, 3 * H)), rng.standard_normal(3 * H)
    h0 = rng.standard_normal((N, H))
    h, _ = gru_sequence_forward(x @ Wx + b, h0, Wh)
    h_t = h0
    for t in range(T):
        h_t, _ = gru_step_forward(x[t], h_t, Wx, Wh, b)
        np.testing.assert_allclose(h[t], h_t, rtol=1e-12, atol=1e-12)


def test_gru_sequence_mask_carries_the_state(rng):
    T, N, H = 5, 2, 3
    ax, h0, Wh = rng.standard_normal((T, N, 3 * H)), rng.standard_normal((N, H)), rng.standard_normal((H, 3 * H))
    mask = np.array([[1, 1], [1, 0], [1, 0], [0, 0], [0, 0]], dtype=bool)
    h, _ = gru_sequence_forward(ax, h0, Wh, mask)
    np.testing.assert_array_equal(h[1, 1], h[0, 1])
    np.testing.assert_array_equal(h[4, 0], h[2, 0])
    short, _ = gru_sequence_forward(ax[:1, 1:], h0[1:], Wh)
    np.testing.assert_allclose(h[-1, 1], short[-1, 0])


@pytest.mark.parametrize("masked", [False, True])
def test_gru_sequence_gradients(rng, masked):
    T, N, H = 4, 3, 2
    ax, h0, Wh = rng.standard_normal((T, N, 3 * H)), rng.standard_normal((N, H)), rng.standard_normal((H, 3 * H))
    mask = rng.random((T, N)) < 0.6 if masked else None
    dh = rng.standard_normal((T, N, H))
    _, cache = gru_sequence_forward(ax, h0, Wh, mask)
    got = gru_sequence_backward(dh, cache)
    for k, arr in enumerate([ax, h0, Wh]):
        num = numerical_gradient(lambda: gru_sequence_forward(ax, h0, Wh, mask)[0], arr, dh)
        np.testing.assert_allclose(got[k], num, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("attention, bidirectional", [(False, False), (True, False), (False, True), (True, True)])
def test_model_gradients(rng, attention, bidirectional):
    model = Seq2Seq(src_vocab=7, tgt_vocab=5, hidden_size=4, attention=attention, bidirectional=bidirectional,
                    seed=1, dtype=np.float64)
    for value in model.params.values():
        value += 0.3 * rng.standard_normal(value.shape)
    src = rng.integers(1, 7, size=(3, 6))
    mask = np.ones((3, 6), dtype=bool)
    mask[0, 4:] = False
    mask[2, 2:] = False
    src[~mask] = 0
    tgt = rng.integers(0, 5, size=(3, 4))
    _, grads = model.loss(src, mask, tgt)
    assert set(grads) == set(model.params)
    for name, value in model.params.items():
        num = numerical_gradient(lambda: model.loss(src, mask, tgt)[0], value)
        err = np.abs(grads[name] - num) / np.maximum(np.abs(grads[name]) + np.abs(num), 1e-6)
        assert err.max() < 1e-5, gradient_report(name, grads[name], num)[1]


def test_padding_does_not_change_the_translation(rng):
    model = Seq2Seq(hidden_size=8, attention=True, bidirectional=True, seed=2, dtype=np.float64)
    src, mask = dates.encode_source(["3 May 1979", "1979-5-3"])
    padded, padded_mask = dates.encode_source(["3 May 1979", "1979-5-3"], length=20)
    a = model.forward(src, mask, decoder_inputs(np.zeros((2, 10), dtype=int), dates.START))[0]
    b = model.forward(padded, padded_mask, decoder_inputs(np.zeros((2, 10), dtype=int), dates.START))[0]
    np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)


def test_greedy_decode_feeds_back_its_own_argmax():
    # scores favour (previous id + state) mod 5; the state counts steps
    def step(prev, state):
        scores = np.eye(5)[(prev + state) % 5]
        return scores, state + 1

    ids = greedy_decode(step, np.array([0, 2]), np.array([1, 3]), 4)
    # row 0: prev 1, s 0 -> 1; prev 1, s 1 -> 2; prev 2, s 2 -> 4; prev 4, s 3 -> 2
    # row 1: prev 3, s 2 -> 0; prev 0, s 3 -> 3; prev 3, s 4 -> 2; prev 2, s 5 -> 2
    np.testing.assert_array_equal(ids, [[1, 2, 4, 2], [0, 3, 2, 2]])
    assert ids.dtype == np.int64


def test_attention_map_is_the_attention_of_greedy_decoding(rng):
    model = Seq2Seq(hidden_size=6, attention=True, seed=3, dtype=np.float64)
    src, mask = dates.encode_source(["05/03/79", "Thursday, May 3, 1979"])
    ids = model.translate_ids(src, mask)
    weights = model.attention_map(src, mask, ids)
    assert weights.shape == (2, 10, src.shape[1])
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0)
    assert np.all(weights[0, :, 8:] == 0.0)
    # replaying the decoder step by step gives the same outputs
    state = model.start(src, mask)
    prev = np.full(2, model.start_id)
    for t in range(10):
        scores, state = model.step(prev, state)
        prev = scores.argmax(axis=1)
        np.testing.assert_array_equal(prev, ids[:, t])


def test_model_uses_given_attention_functions():
    calls = []

    def fwd(q, k, m=None):
        calls.append("f")
        from rnnlib.layers.attention import attention_forward
        return attention_forward(q, k, m)

    def bwd(d, c):
        calls.append("b")
        from rnnlib.layers.attention import attention_backward
        return attention_backward(d, c)

    model = Seq2Seq(hidden_size=4, attention_fns=(fwd, bwd))
    src, mask = dates.encode_source(["3 May 1979"])
    model.loss(src, mask, dates.encode_target(["1979-05-03"]))
    assert calls.count("f") == 10 and calls.count("b") == 10


def test_short_training_learns_something_and_stops_on_nan():
    data = dates.DateData(n_valid=100, n_test=100, max_train_dates=3000, seed=5)
    model = Seq2Seq(hidden_size=32, attention=True, bidirectional=True, seed=0)
    config = TrainConfig(steps=150, lr=1e-2, final_lr=1e-3, decay="geometric", eval_every=150, progress=False)
    history = train(model, data.train_src, data.train_mask, data.train_tgt, config, batch_size=64,
                    valid=(data.valid_src, data.valid_mask, data.valid_tgt))
    assert history["steps"] == 150 and len(history["loss"]) == 150
    assert np.mean(history["loss"][-20:]) < 0.6 * np.mean(history["loss"][:20])
    per_char = np.mean(model.translate_ids(data.valid_src, data.valid_mask) == data.valid_tgt)
    assert per_char > 0.5
    model.params["out_W"][...] = np.nan
    with pytest.raises(TrainingDiverged, match="^train: the loss became nan at step 1.*learning rate"):
        train(model, data.train_src, data.train_mask, data.train_tgt, QUIET, batch_size=64)


def test_training_shows_a_progress_bar_and_can_be_silent(capsys):
    data = dates.DateData(n_valid=50, n_test=50, max_train_dates=300, seed=6)
    valid = (data.valid_src, data.valid_mask, data.valid_tgt)
    model = Seq2Seq(hidden_size=8, seed=0)
    history = train(model, data.train_src, data.train_mask, data.train_tgt,
                    TrainConfig(steps=3, eval_every=2, progress="tiny run"), batch_size=32, valid=valid)
    shown = capsys.readouterr()
    assert "tiny run" in shown.err and "3/3" in shown.err and "valid exact match" in shown.err
    assert shown.out == ""                                       # no lines printed per step
    assert history["valid_step"] == [2, 3] and len(history["valid_accuracy"]) == 2 and history["steps"] == 3
    history = train(model, data.train_src, data.train_mask, data.train_tgt, QUIET, batch_size=32, valid=valid)
    shown = capsys.readouterr()
    assert shown.out == "" and shown.err == ""
    assert history["valid_step"] == [3]                          # no eval_every: validated once, at the end


def test_training_stops_on_a_time_budget_and_calls_back():
    data = dates.DateData(n_valid=20, n_test=20, max_train_dates=300, seed=6)
    model, seen = Seq2Seq(hidden_size=8, seed=0), []
    config = TrainConfig(steps=10_000, seconds=0.3, eval_every=1, progress=False,
                         callback=lambda history, m: seen.append((history["steps"], m is model)))
    history = train(model, data.train_src, data.train_mask, data.train_tgt, config, batch_size=32,
                    valid=(data.valid_src, data.valid_mask, data.valid_tgt))
    assert 1 <= history["steps"] < 10_000 and len(history["loss"]) == history["steps"]
    assert 0.3 <= history["seconds"] < 5.0
    assert seen[-1] == (history["steps"], True) and history["valid_step"][-1] == history["steps"]


def test_blas_threads_restores_the_setting():
    with blas_threads(1):
        np.ones((50, 50)) @ np.ones((50, 50))
    # nothing to assert portably beyond "does not fail"; on OpenBLAS the count is restored
    from rnnlib.kernels.blas import _openblas

    lib = _openblas()
    if lib is not None:
        before = lib[0]()
        with blas_threads(1):
            assert lib[0]() == 1
        assert lib[0]() == before


def test_model_errors_are_clear():
    with pytest.raises(ValueError, match="odd"):
        Seq2Seq(hidden_size=5, bidirectional=True)
    model = Seq2Seq(hidden_size=4)
    with pytest.raises(ValueError, match="at least one real position"):
        model.encode(np.zeros((2, 3), dtype=int))


def test_decoder_inputs_shift_right():
    tgt = np.array([[1, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(decoder_inputs(tgt, dates.START), [[dates.START, 1, 2], [dates.START, 4, 5]])
