"""Training a character language model: the loop, its history, a live plot.

    history = train(model, train_ids, val_ids, seconds=120, batch_size=64, seq_len=100)

The loop is truncated backpropagation through time over contiguous lanes
(rnnlib.make_batches): the state at the end of each batch is the
starting state of the next one, and it is reset to zero at the start of every
pass over the text (an epoch), where the lanes start again. Each step: forward
and backward (model.loss_and_grads), gradient clipping by global norm, an Adam
update. A tqdm progress bar counts the seconds of the budget (or the steps);
every ``eval_seconds`` the validation loss is measured and ``callback`` is
called, which is where a notebook redraws a plot and prints a sample.

Losses are reported in **bits per character** (bpc): nats / ln 2. A NaN or
infinite loss stops training with a message that suggests the usual fixes.
"""
import math
import time

import numpy as np

from ..data.batching import make_batches as _reference_make_batches
from .clipping import clip_grad_norm
from .loop import TrainingDiverged
from .optim import Adam

LN2 = math.log(2.0)


class History:
    """What happened during training: one row per evaluation.

    Attributes (lists of equal length): ``step``, ``seconds`` (training time so
    far), ``chars`` (characters trained on), ``train_bpc`` (mean training loss
    since the previous evaluation), ``val_bpc``; plus ``samples`` (list of
    (step, text)) and ``steps_per_second``.
    """

    def __init__(self):
        self.step, self.seconds, self.chars, self.train_bpc, self.val_bpc = [], [], [], [], []
        self.samples = []
        self.steps_per_second = float("nan")

    def __repr__(self):
        if not self.step:
            return "History(empty)"
        return (f"History({self.step[-1]} steps in {self.seconds[-1]:.0f} s: train {self.train_bpc[-1]:.3f} bpc, "
                f"validation {self.val_bpc[-1]:.3f} bpc)")

    @property
    def best_val_bpc(self):
        return min(self.val_bpc) if self.val_bpc else float("nan")


def evaluate_bpc(model, ids, batch_size=32, seq_len=100, make_batches=_reference_make_batches):
    """Bits per character of `model` on the stream `ids` (state carried over all batches).

    The stream is cut into lanes as in training; the characters that do not
    fill a whole batch at the end are not counted.
    """
    batches = make_batches(ids, batch_size, seq_len)
    if not batches:   # a short text: fall back to one lane
        batches = make_batches(ids, 1, min(seq_len, len(ids) - 1))
    return model.evaluate(batches) / LN2


def train(model, train_ids, val_ids, *, seconds=None, max_steps=None, batch_size=64, seq_len=100, lr=2e-3,
          clip=5.0, lr_final=None, optimizer=None, eval_seconds=10.0, val_batch_size=32, callback=None, progress=True,
          make_batches=_reference_make_batches):
    """Train `model` (a rnnlib.CharLM) on a stream of character ids.

    Inputs:
    - model: CharLM; its params are updated in place.
    - train_ids, val_ids: 1-D int arrays (from Vocabulary.encode and train_val_split).
    - seconds: time budget for the whole call (training, evaluations, callbacks);
      max_steps: a step budget. At least one of them; training stops at the first reached.
    - batch_size, seq_len: B lanes, T steps of truncated BPTT.
    - lr, clip: Adam learning rate; maximum global gradient norm (None: no clipping).
    - lr_final: if given, the learning rate falls linearly from lr to lr_final over the budget
      (time or steps): big steps early, fine steps at the end.
    - optimizer: an rnnlib.train.optim optimiser (default Adam(lr)); pass the same one to continue a run.
    - eval_seconds: how often (in seconds of training) to measure the validation loss.
    - callback: function(history, model) called after every evaluation (live plot, samples).
    - progress: show a tqdm progress bar.
    - make_batches: the batching function (the notebook passes the student's).

    Returns: a History. Raises TrainingDiverged (with advice) if the loss becomes NaN or infinite.
    """
    if seconds is None and max_steps is None:
        raise ValueError("train: give a time budget (seconds=...) or a step budget (max_steps=...).")
    batches = make_batches(train_ids, batch_size, seq_len)
    if not batches:
        raise ValueError(f"train: the training text ({len(train_ids)} characters) is shorter than one batch "
                         f"of {batch_size} x {seq_len}; use a smaller batch_size or seq_len.")
    optimizer = Adam(lr=lr) if optimizer is None else optimizer
    lr_start = optimizer.lr
    history = History()
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = (tqdm(total=int(round(seconds)), unit="s", desc="training", bar_format=(
            "{desc}: {percentage:3.0f}%|{bar}| {n:.0f}/{total:.0f} s {postfix}"))
            if seconds is not None else tqdm(total=max_steps, unit="step", desc="training"))
    start = time.perf_counter()
    last_eval, step, chars, window = 0.0, 0, 0, []
    state = None
    try:
        while True:
            for k, (x, y) in enumerate(batches):
                if k == 0:
                    state = model.init_state(x.shape[0])     # lanes start again: so does the state
                loss, grads, state = model.loss_and_grads(x, y, state)
                if not np.isfinite(loss):
                    raise TrainingDiverged(
                        f"train: the loss became {loss} at step {step + 1}. The gradients exploded: use gradient "
                        f"clipping (clip=5.0) and/or a lower learning rate (now lr={optimizer.lr:g}, try "
                        f"{optimizer.lr / 3:.2g}).")
                if clip is not None:
                    clip_grad_norm(grads, clip)
                if lr_final is not None:
                    progress_done = max((time.perf_counter() - start) / seconds if seconds else 0.0,
                                        (step + 1) / max_steps if max_steps else 0.0)
                    optimizer.lr = lr_start + (lr_final - lr_start) * min(progress_done, 1.0)
                optimizer.step(model.params, grads)
                step += 1
                chars += x.size
                window.append(loss / LN2)
                elapsed = time.perf_counter() - start
                done = ((seconds is not None and elapsed >= seconds)
                        or (max_steps is not None and step >= max_steps))
                if done or elapsed - last_eval >= eval_seconds:
                    val = evaluate_bpc(model, val_ids, val_batch_size, seq_len, make_batches)
                    history.step.append(step)
                    history.seconds.append(time.perf_counter() - start)
                    history.chars.append(chars)
                    history.train_bpc.append(float(np.mean(window)))
                    history.val_bpc.append(val)
                    history.steps_per_second = step / history.seconds[-1]
                    window, last_eval = [], elapsed
                    if callback is not None:
                        callback(history, model)
                if bar is not None:
                    bar.n = min(time.perf_counter() - start, bar.total) if seconds is not None else step
                    bar.set_postfix_str(f"step {step}, train {window[-1] if window else history.train_bpc[-1]:.2f}"
                                        f" bpc, val {history.val_bpc[-1] if history.val_bpc else float('nan'):.2f} bpc",
                                        refresh=False)
                    bar.refresh()
                if done:
                    return history
    finally:
        if bar is not None:
            bar.close()
