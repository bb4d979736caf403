"""Training a character language model: its batch stream, its evaluation, its history.

    history = train(model, train_ids, val_ids, TrainConfig(seconds=120, lr=2e-3, eval_seconds=10), batch_size=64)

The updates come from rnnlib.train.loop.run (budget, learning-rate schedule, clipping, evaluations, callback,
progress bar, NaN stop); what is the character model's own is here. Its batches are truncated
backpropagation through time over contiguous lanes (rnnlib.make_batches): the state at the end of each batch
is the starting state of the next one, and it is reset to zero at the start of every pass over the text (an
epoch), where the lanes start again. At every evaluation the validation loss is measured and a row is added
to the History, which config.callback receives (a notebook redraws a plot and prints a sample there).

Losses are reported in **bits per character** (bpc): nats / ln 2.
"""
import math

import numpy as np

from ..data.batching import make_batches as _reference_make_batches
from .loop import run

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


class _Lanes:
    """The endless stream of (loss, grads) of truncated BPTT over the batches of one pass, pass after pass.

    Each batch (x, y) is (B, T) ints; the state carries from batch to batch and starts at zero on every pass.
    `chars` counts the characters trained on so far.
    """

    def __init__(self, model, batches):
        self.model, self.batches, self.chars = model, batches, 0

    def __iter__(self):
        while True:
            for k, (x, y) in enumerate(self.batches):
                if k == 0:
                    state = self.model.init_state(x.shape[0])     # lanes start again: so does the state
                loss, grads, state = self.model.loss_and_grads(x, y, state)
                self.chars += x.size
                yield loss, grads


def train(model, train_ids, val_ids, config, *, batch_size=64, seq_len=100, val_batch_size=32, optimizer=None,
          make_batches=_reference_make_batches):
    """Train `model` (a rnnlib.CharLM) on a stream of character ids.

    Inputs:
    - model: CharLM; its params are updated in place.
    - train_ids, val_ids: 1-D int arrays (from Vocabulary.encode and train_val_split).
    - config: a rnnlib.train.loop.TrainConfig: the budget (steps and/or seconds), lr, final_lr and decay, clip,
      how often to evaluate (eval_seconds, eval_every), callback(history, model), progress.
    - batch_size, seq_len: B lanes, T steps of truncated BPTT; val_batch_size: lanes when evaluating.
    - optimizer: an rnnlib.train.optim optimiser (default Adam(config.lr)); pass the same one to continue a run.
    - make_batches: the batching function (the notebook passes the student's).

    Returns: a History, one row per evaluation. Raises rnnlib.train.loop.TrainingDiverged (with advice) if the
    loss becomes NaN or infinite.
    """
    batches = make_batches(train_ids, batch_size, seq_len)
    if not batches:
        raise ValueError(f"train: the training text ({len(train_ids)} characters) is shorter than one batch "
                         f"of {batch_size} x {seq_len}; use a smaller batch_size or seq_len.")
    lanes = _Lanes(model, batches)
    history = History()

    def evaluate(trace):
        since = history.step[-1] if history.step else 0
        val = evaluate_bpc(model, val_ids, val_batch_size, seq_len, make_batches)
        history.step.append(trace.steps)
        history.seconds.append(trace.elapsed())
        history.chars.append(lanes.chars)
        history.train_bpc.append(float(np.mean([loss / LN2 for loss in trace.loss[since:]])))
        history.val_bpc.append(val)
        history.steps_per_second = trace.steps / history.seconds[-1]

    def postfix(trace):
        val = history.val_bpc[-1] if history.val_bpc else float("nan")
        return f"step {trace.steps}, train {trace.loss[-1] / LN2:.2f} bpc, val {val:.2f} bpc"

    run(model, lanes, config, optimizer=optimizer, evaluate=evaluate, postfix=postfix, history=history)
    return history
