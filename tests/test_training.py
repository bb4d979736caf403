"""The training loop: it learns, stops on budgets, calls back, and stops with advice on NaN."""
import numpy as np
import pytest

from rnnlib.models.char_lm import CharLM
from rnnlib.train.char_lm import evaluate_bpc, History, train, TrainingDiverged


def _stream(n=4000):
    return np.tile(np.array([0, 1, 2, 3, 4, 3, 2, 1]), n // 8)


def test_train_learns_a_periodic_stream_and_calls_back():
    ids = _stream()
    model = CharLM(5, 16, seed=0)
    before = evaluate_bpc(model, ids[:800], batch_size=4, seq_len=20)
    seen = []
    history = train(model, ids, ids[:800], max_steps=80, batch_size=8, seq_len=20, lr=1e-2, eval_seconds=0.0,
                    callback=lambda h, m: seen.append(h.step[-1]), progress=False)
    assert isinstance(history, History) and history.step[-1] == 80 and seen[-1] == 80
    assert len(history.val_bpc) == len(history.train_bpc) == len(history.seconds)
    assert history.val_bpc[-1] < 0.5 * before
    assert history.chars[-1] == 80 * 8 * 20


def test_train_time_budget_and_progress_bar():
    model = CharLM(5, 8, seed=0)
    history = train(model, _stream(), _stream(800), seconds=0.5, batch_size=4, seq_len=10, progress=True)
    assert history.seconds[-1] < 5.0 and history.step[-1] >= 1


def test_learning_rate_falls_to_lr_final():
    from rnnlib.train.optim import Adam

    opt = Adam(lr=0.01)
    train(CharLM(5, 8, seed=0), _stream(), _stream(800), max_steps=10, batch_size=4, seq_len=10, optimizer=opt,
          lr_final=0.001, progress=False)
    assert opt.lr == pytest.approx(0.001)


def test_nan_loss_stops_with_advice():
    model = CharLM(5, 8, seed=0)
    model.params["Wy"][...] = np.nan
    with pytest.raises(TrainingDiverged, match="clipping.*learning rate"):
        train(model, _stream(), _stream(800), max_steps=5, batch_size=4, seq_len=10, progress=False)


def test_errors():
    model = CharLM(5, 8, seed=0)
    with pytest.raises(ValueError, match="budget"):
        train(model, _stream(), _stream())
    with pytest.raises(ValueError, match="shorter than one batch"):
        train(model, _stream(40), _stream(), max_steps=1, batch_size=8, seq_len=10)
