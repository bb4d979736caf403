"""The training loop and its config (rnnlib.train.loop), and the character model's training through it:
it learns, stops on budgets, follows its schedule, evaluates and calls back, and stops with advice on NaN."""
import numpy as np
import pytest

from rnnlib.models.char_lm import CharLM
from rnnlib.train.char_lm import evaluate_bpc, History, train
from rnnlib.train.loop import run, TrainConfig, TrainingDiverged
from rnnlib.train.optim import Adam, SGD


def _stream(n=4000):
    return np.tile(np.array([0, 1, 2, 3, 4, 3, 2, 1]), n // 8)


def test_train_learns_a_periodic_stream_and_calls_back():
    ids = _stream()
    model = CharLM(5, 16, seed=0)
    before = evaluate_bpc(model, ids[:800], batch_size=4, seq_len=20)
    seen = []
    config = TrainConfig(steps=80, lr=1e-2, eval_seconds=0.0, callback=lambda h, m: seen.append(h.step[-1]),
                         progress=False)
    history = train(model, ids, ids[:800], config, batch_size=8, seq_len=20)
    assert isinstance(history, History) and history.step[-1] == 80 and seen[-1] == 80
    assert len(history.val_bpc) == len(history.train_bpc) == len(history.seconds)
    assert history.val_bpc[-1] < 0.5 * before
    assert history.chars[-1] == 80 * 8 * 20


def test_train_time_budget_and_progress_bar():
    model = CharLM(5, 8, seed=0)
    history = train(model, _stream(), _stream(800), TrainConfig(seconds=0.5), batch_size=4, seq_len=10)
    assert history.seconds[-1] < 5.0 and history.step[-1] >= 1


def test_learning_rate_falls_to_final_lr_from_the_optimizers_own_rate():
    opt = Adam(lr=0.01)
    train(CharLM(5, 8, seed=0), _stream(), _stream(800), TrainConfig(steps=10, lr=0.5, final_lr=0.001, progress=False),
          batch_size=4, seq_len=10, optimizer=opt)
    assert opt.lr == pytest.approx(0.001)


def test_nan_loss_stops_with_advice():
    model = CharLM(5, 8, seed=0)
    model.params["Wy"][...] = np.nan
    with pytest.raises(TrainingDiverged, match=r"^train: the loss became nan at step 1. The gradients exploded: "
                       r"use gradient clipping \(clip=5.0; it is 5 now\) and/or a lower learning rate"):
        train(model, _stream(), _stream(800), TrainConfig(steps=5, progress=False), batch_size=4, seq_len=10)


def test_errors():
    model = CharLM(5, 8, seed=0)
    with pytest.raises(TypeError, match="config must be a rnnlib.train.loop.TrainConfig"):
        train(model, _stream(), _stream(), {"steps": 3}, batch_size=4, seq_len=10)
    with pytest.raises(ValueError, match="shorter than one batch"):
        train(model, _stream(40), _stream(), TrainConfig(steps=1), batch_size=8, seq_len=10)


# -- the config --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("settings, error, message", [
    ({}, ValueError, "give a budget: steps=... .*and/or seconds=..."),
    ({"steps": -1}, ValueError, "steps must be an integer >= 0, got -1"),
    ({"steps": 2.5}, ValueError, "steps must be an integer >= 0, got 2.5"),
    ({"steps": True}, ValueError, "steps must be an integer >= 0, got True"),
    ({"seconds": 0}, ValueError, "seconds must be a positive number, got 0"),
    ({"steps": 5, "seconds": float("nan")}, ValueError, "seconds must be a positive number"),
    ({"steps": 5, "lr": 0.0}, ValueError, "lr \\(the learning rate\\) must be a positive number, got 0.0"),
    ({"steps": 5, "final_lr": -1e-3}, ValueError, "final_lr must be a positive number"),
    ({"steps": 5, "clip": 0}, ValueError, "clip \\(a maximum gradient norm\\) must be a positive number, got 0"),
    ({"steps": 5, "eval_every": 0}, ValueError, "eval_every must be a positive integer, got 0"),
    ({"steps": 5, "eval_seconds": -1}, ValueError, "eval_seconds must be a number >= 0, got -1"),
    ({"steps": 5, "decay": "cosine"}, ValueError, "decay must be one of \\('linear', 'geometric'\\), got 'cosine'"),
    ({"steps": 5, "callback": "plot"}, TypeError, "callback must be a function\\(history, model\\) or None, got str"),
    ({"steps": 5, "progress": 1}, TypeError, "progress must be True, False or a label \\(a str\\), got int"),
])
def test_config_names_what_is_wrong(settings, error, message):
    with pytest.raises(error, match="^TrainConfig: " + message):
        TrainConfig(**settings)


def test_config_is_frozen_normalised_and_replace_checks_again():
    config = TrainConfig(steps=np.int64(4), seconds=3, eval_seconds=0)
    assert type(config.steps) is int and config.seconds == 3.0 and config.eval_seconds == 0.0
    assert config.clip == 5.0 and config.final_lr is None and config.progress is True
    with pytest.raises(AttributeError):
        config.steps = 5
    assert config.replace(progress="label").progress == "label" and config.progress is True
    with pytest.raises(ValueError, match="clip"):
        config.replace(clip=-1.0)


def test_schedules_end_at_final_lr_on_the_last_update():
    linear = TrainConfig(steps=4, lr=1.0, final_lr=0.2)
    assert [linear.learning_rate(1.0, k, 0.0) for k in range(4)] == pytest.approx([0.8, 0.6, 0.4, 0.2])
    geometric = linear.replace(decay="geometric", lr=1.0, final_lr=0.001, steps=4)
    assert [geometric.learning_rate(1.0, k, 0.0) for k in range(4)] == pytest.approx([1.0, 0.1, 0.01, 0.001])
    assert geometric.replace(steps=1).learning_rate(1.0, 0, 0.0) == 1.0       # one update: the start rate
    timed = TrainConfig(seconds=10.0, lr=1.0, final_lr=0.5)                   # time budget: the share of the time
    assert timed.learning_rate(1.0, 0, 5.0) == pytest.approx(0.75)
    assert timed.learning_rate(1.0, 0, 20.0) == pytest.approx(0.5)            # never past final_lr
    both = TrainConfig(steps=10, seconds=10.0, lr=1.0, final_lr=0.5)          # whichever is further along
    assert both.learning_rate(1.0, 0, 5.0) == pytest.approx(0.75)
    assert both.learning_rate(1.0, 7, 1.0) == pytest.approx(0.6)


# -- the loop ----------------------------------------------------------------------------------------------

class _Quadratic:
    """loss = 0.5 |w - 3|^2 on one parameter; counts how often its stream was advanced."""

    def __init__(self, scale=1.0):
        self.params = {"w": np.zeros(2)}
        self.drawn, self.scale = 0, scale

    def losses(self):
        while True:
            self.drawn += 1
            d = self.params["w"] - 3.0
            yield 0.5 * float(d @ d), {"w": self.scale * d.copy()}


def test_loop_draws_one_batch_per_update_and_records_the_norm_before_clipping():
    model = _Quadratic()
    trace = run(model, model.losses(), TrainConfig(steps=3, clip=1.0, progress=False), optimizer=SGD(lr=1.0))
    assert model.drawn == 3 and trace.steps == 3 and len(trace.grad_norm) == 3
    assert trace.grad_norm[0] == pytest.approx(np.sqrt(18.0))                  # |w - 3| at w = 0, before clipping
    np.testing.assert_allclose(model.params["w"], 3.0 / np.sqrt(2.0))       # three steps of length clip = 1
    assert trace.seconds > 0
    empty = run(model, model.losses(), TrainConfig(steps=0, progress=False))
    assert model.drawn == 3 and empty.steps == 0                            # a budget of 0: nothing drawn


def test_loop_evaluates_on_schedule_and_at_the_end_and_calls_back():
    model, seen, calls = _Quadratic(), [], []
    config = TrainConfig(steps=7, eval_every=3, callback=lambda h, m: calls.append((h, m)), progress=False)
    history = {"rows": seen}
    run(model, model.losses(), config, evaluate=lambda trace: seen.append(trace.steps), history=history)
    assert seen == [3, 6, 7]
    assert len(calls) == 3 and all(h is history and m is model for h, m in calls)


def test_loop_stops_before_an_update_with_a_non_finite_gradient():
    model = _Quadratic(scale=np.inf)
    with pytest.raises(TrainingDiverged, match="^toy: the gradient norm became inf at step 1. Lower it.$"):
        run(model, model.losses(), TrainConfig(steps=3, clip=None, progress=False), where="toy", advice="Lower it.")
    assert np.all(model.params["w"] == 0.0)
    assert issubclass(TrainingDiverged, FloatingPointError)


def test_loop_time_budget_shows_a_bar_over_seconds(capsys):
    model = _Quadratic()
    trace = run(model, model.losses(), TrainConfig(seconds=0.2, progress="toy run"), optimizer=SGD(lr=0.1))
    assert 0.2 <= trace.seconds < 5.0 and trace.steps >= 1
    shown = capsys.readouterr().err
    assert "toy run: 100%" in shown and "/0 s, loss 0.000" in shown
