"""The training loop of every model, and the small config that says how long and how fast to train.

    config = TrainConfig(steps=1000, lr=1e-2, final_lr=1e-3, decay="geometric", clip=5.0, eval_every=100)
    trace = run(model, losses, config)        # losses: an iterator of (loss, grads), one pair per update
    trace.loss, trace.grad_norm               # one entry per update; the norm is measured before clipping

Each update: take the next (loss, grads) from `losses` (the model's own batch stream computes them), stop
with advice if the loss or the gradient norm is not finite, clip the gradients by their global norm, set the
learning rate of the schedule, and let the optimiser change ``model.params`` in place. After the update the
loop checks the budget, evaluates when an evaluation is due (and always after the last update), calls the
callback, and moves the progress bar.

A model's training file (char_lm.py, seq2seq.py, minibatch.py) holds only what is its own: where its
batches come from, how it is evaluated, and how its history reads.
"""
import dataclasses
import time

import numpy as np

from ..validation import as_count, as_nonnegative, as_positive
from .clipping import clip_grad_norm, global_norm
from .optim import Adam

DECAYS = ("linear", "geometric")


class TrainingDiverged(FloatingPointError):
    """The loss or the gradient norm became NaN or infinite."""


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """How long to train, how fast, and what to show on the way. Checked when it is made.

    Budget (at least one; training stops at the first one reached):
    - steps: number of updates (an int >= 0).
    - seconds: wall-clock time for the whole run, evaluations and callbacks included.

    Learning rate:
    - lr: the rate of the default Adam optimiser. An optimiser passed to the training function keeps its own
      rate instead, and the schedule starts from that.
    - final_lr: None keeps the rate constant; a number makes it fall to final_lr over the budget.
    - decay: the shape of that fall, "linear" or "geometric" (ignored when final_lr is None). With a step
      budget of N updates, update k (0, 1, ..., N - 1) uses
        "linear":    lr + (final_lr - lr) * f,   f = (k + 1) / N    (the share of the budget spent after it)
        "geometric": lr * (final_lr / lr) ** f,  f = k / (N - 1)    (from exactly lr to exactly final_lr)
      With a time budget f is also at least the share of the seconds spent (whichever is further along).

    Each update:
    - clip: the maximum global norm of the gradients (rnnlib.clip_grad_norm); None: no clipping.
    - clip_with: the function that clips, clip_with(grads, max_norm) -> the norm before clipping, as
      rnnlib.clip_grad_norm does (None: that one). Notebook 04 passes the student's own.

    Evaluations (when the training function has something to evaluate; it always evaluates after the last update):
    - eval_every: evaluate every so many updates (None: not by count).
    - eval_seconds: evaluate when so many seconds have passed since the previous evaluation (0: after every update).
    - callback: function(history, model) called after every evaluation (a live plot, a sample of text).

    Display:
    - progress: True shows a tqdm progress bar (over the steps, or the seconds when there is no step budget),
      a string shows one with that label, False shows nothing.
    """

    steps: int = None
    seconds: float = None
    lr: float = 1e-2
    final_lr: float = None
    decay: str = "linear"
    clip: float = 5.0
    clip_with: object = None
    eval_every: int = None
    eval_seconds: float = None
    callback: object = None
    progress: object = True

    def __post_init__(self):
        where = "TrainConfig"
        if self.steps is None and self.seconds is None:
            raise ValueError(f"{where}: give a budget: steps=... (updates) and/or seconds=... (wall-clock time).")
        checked = {
            "steps": None if self.steps is None else as_count(where, "steps", self.steps, minimum=0),
            "seconds": None if self.seconds is None else as_positive(where, "seconds", self.seconds),
            "lr": as_positive(where, "lr (the learning rate)", self.lr),
            "final_lr": None if self.final_lr is None else as_positive(where, "final_lr", self.final_lr),
            "clip": None if self.clip is None else as_positive(where, "clip (a maximum gradient norm)", self.clip),
            "eval_every": None if self.eval_every is None else as_count(where, "eval_every", self.eval_every),
            "eval_seconds": (None if self.eval_seconds is None
                             else as_nonnegative(where, "eval_seconds", self.eval_seconds)),
        }
        if self.decay not in DECAYS:
            raise ValueError(f"{where}: decay must be one of {DECAYS}, got {self.decay!r}.")
        if self.clip_with is not None and not callable(self.clip_with):
            raise TypeError(f"{where}: clip_with must be a function(grads, max_norm) like rnnlib.clip_grad_norm, "
                            f"or None, got {type(self.clip_with).__name__}.")
        if self.callback is not None and not callable(self.callback):
            raise TypeError(f"{where}: callback must be a function(history, model) or None, "
                            f"got {type(self.callback).__name__}.")
        if not isinstance(self.progress, (bool, str)):
            raise TypeError(f"{where}: progress must be True, False or a label (a str), "
                            f"got {type(self.progress).__name__}.")
        for name, value in checked.items():
            object.__setattr__(self, name, value)

    def replace(self, **changes):
        """A copy with some settings changed (and checked again): config.replace(progress="with attention")."""
        return dataclasses.replace(self, **changes)

    def learning_rate(self, lr, k, elapsed):
        """The rate for update k (0-based) after `elapsed` seconds, on the schedule that starts at `lr`."""
        time_done = elapsed / self.seconds if self.seconds else 0.0
        if self.decay == "linear":
            done = max(time_done, (k + 1) / self.steps if self.steps else 0.0)
            return lr + (self.final_lr - lr) * min(done, 1.0)
        done = max(time_done, k / max(1, self.steps - 1) if self.steps else 0.0)
        return lr * (self.final_lr / lr) ** min(done, 1.0)

    def finished(self, steps, elapsed):
        """True when `steps` updates in `elapsed` seconds have used up a budget."""
        return ((self.steps is not None and steps >= self.steps)
                or (self.seconds is not None and elapsed >= self.seconds))

    def evaluation_due(self, steps, since_eval):
        """True when, after `steps` updates and `since_eval` seconds since the last evaluation, one is due."""
        return ((self.eval_every is not None and steps % self.eval_every == 0)
                or (self.eval_seconds is not None and since_eval >= self.eval_seconds))


@dataclasses.dataclass
class Trace:
    """What the loop did so far: `loss` and `grad_norm` (before clipping), one float per update; `seconds`
    the time the run took (set at the end); `start` its perf_counter() origin."""

    start: float
    loss: list = dataclasses.field(default_factory=list)
    grad_norm: list = dataclasses.field(default_factory=list)
    seconds: float = 0.0

    @property
    def steps(self):
        """Updates done."""
        return len(self.loss)

    def elapsed(self):
        """Seconds since the run started."""
        return time.perf_counter() - self.start


def run(model, losses, config, *, optimizer=None, evaluate=None, postfix=None, history=None, where="train",
        advice=None):
    """Train `model` with the updates of `config`; return a Trace.

    Inputs:
    - model: any object with ``params``, a dict of float arrays that the optimiser updates in place.
    - losses: an iterator of (loss, grads): loss a float, grads a dict with the keys and shapes of
      model.params. It is advanced once per update and never further: a stream that draws random
      batches draws exactly as many as there are updates.
    - config: a TrainConfig.
    - optimizer: an rnnlib.train.optim optimiser (default Adam(config.lr)); pass the same one to continue a run.
    - evaluate: function(trace) called when an evaluation is due (config.eval_every, config.eval_seconds) and
      after the last update; None: never.
    - postfix: function(trace) -> the text after the progress bar (default: the mean loss of the last 20 updates).
    - history: what config.callback receives with the model (default: the trace).
    - where, advice: the name and the remedy a diverging run is reported with.

    Raises TrainingDiverged (a FloatingPointError) when the loss or the gradient norm is not finite; the
    update that would have used it is not made.
    """
    if not isinstance(config, TrainConfig):
        raise TypeError(f"{where}: config must be a rnnlib.train.loop.TrainConfig, got {type(config).__name__}.")
    optimizer = Adam(lr=config.lr) if optimizer is None else optimizer
    lr_start = optimizer.lr
    losses = iter(losses)
    trace = Trace(start=time.perf_counter())
    history = trace if history is None else history
    bar = _progress_bar(config)
    clip = clip_grad_norm if config.clip_with is None else config.clip_with
    last_eval = 0.0
    done = config.finished(0, 0.0)
    try:
        while not done:
            loss, grads = next(losses)
            if not np.isfinite(loss):
                raise _diverged(where, advice, trace.steps + 1, f"the loss became {loss}", optimizer.lr, config)
            norm = clip(grads, config.clip) if config.clip is not None else global_norm(grads)
            if not np.isfinite(norm):
                raise _diverged(where, advice, trace.steps + 1, f"the gradient norm became {norm}", optimizer.lr,
                                config)
            if config.final_lr is not None:
                optimizer.lr = config.learning_rate(lr_start, trace.steps, trace.elapsed())
            optimizer.step(model.params, grads)
            trace.loss.append(loss)
            trace.grad_norm.append(norm)
            elapsed = trace.elapsed()
            done = config.finished(trace.steps, elapsed)
            if evaluate is not None and (done or config.evaluation_due(trace.steps, elapsed - last_eval)):
                evaluate(trace)
                last_eval = elapsed
                if config.callback is not None:
                    config.callback(history, model)
            if bar is not None:
                bar.set_postfix_str(postfix(trace) if postfix is not None else
                                    f"loss {np.mean(trace.loss[-20:]):.3f}", refresh=False)
                bar.update(1 if config.steps is not None else min(trace.elapsed(), bar.total) - bar.n)
    finally:
        if bar is not None:
            bar.close()
        trace.seconds = trace.elapsed()
    return trace


def _progress_bar(config):
    """A tqdm bar over the steps (or, without a step budget, the seconds), or None."""
    if config.progress is False:
        return None
    from tqdm.auto import tqdm

    desc = config.progress if isinstance(config.progress, str) else "training"
    if config.steps is not None:
        return tqdm(total=config.steps, unit="step", desc=desc)
    return tqdm(total=config.seconds, unit="s", desc=desc,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s{postfix}")


def _diverged(where, advice, step, what, lr, config):
    """The error of a run whose loss or gradients stopped being finite, with what usually helps."""
    if advice is None:
        now = "" if config.clip is None else f"; it is {config.clip:g} now"
        advice = (f"The gradients exploded: use gradient clipping (clip=5.0{now}) and/or a lower learning rate "
                  f"(now lr={lr:g}, try {lr / 3:.2g}).")
    return TrainingDiverged(f"{where}: {what} at step {step}. {advice}")
