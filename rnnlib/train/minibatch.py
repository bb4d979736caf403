"""fit_minibatches: the training of the small classifiers (MLPClassifier in 01, RNNClassifier in 04 and 05).

    history = fit_minibatches(model, model.loss, X, y, model.rng, steps=200, lr=1e-2, batch_size=64, clip=5.0)
    history["loss"], history["grad_norm"]         one entry per step; the norm is taken before clipping

The updates come from rnnlib.train.loop.run; what is the classifiers' own is here: a batch is drawn at random
(with replacement) from the training set, there is no evaluation and no progress bar.
"""
from .loop import run, TrainConfig


def minibatches(loss, inputs, targets, rng, batch_size=None):
    """The endless stream of loss(inputs[batch], targets[batch]) -> (loss, grads), one random batch each.

    A batch is batch_size indices drawn with replacement by rng.integers (None or >= N: all N examples, in
    order, and no draw).
    """
    N = len(inputs)
    while True:
        batch = slice(None) if batch_size is None or batch_size >= N else rng.integers(0, N, size=batch_size)
        yield loss(inputs[batch], targets[batch])


def fit_minibatches(model, loss, inputs, targets, rng, *, steps, lr, batch_size=None, clip=None, clip_with=None,
                    optimizer=None, where="fit", advice="Lower the learning rate."):
    """Train for `steps` updates, each on a random mini-batch drawn with replacement.

    Inputs:
    - model: its params (a dict of arrays) are updated in place.
    - loss: function loss(inputs[batch], targets[batch]) -> (loss, grads), grads a dict with the keys of params.
    - inputs, targets: arrays whose first axis is the N examples; rng: a numpy Generator for the batches.
    - steps: number of updates (>= 0); lr: the rate of the default Adam; optimizer: another optimiser.
    - batch_size: examples per step (None or >= N: all of them, in order).
    - clip: None, or max_norm for clip_grad_norm over all gradients together before every update;
      clip_with: the function that clips (None: rnnlib.clip_grad_norm; see TrainConfig).
    - where, advice: the name a bad setting and a diverging run are reported with; the remedy (a sentence).

    Returns: history, a dict with "loss" and "grad_norm" (before clipping), one entry per step.
    Raises ValueError for a bad setting, and rnnlib.train.loop.TrainingDiverged (a FloatingPointError)
    when the loss or the gradients stop being finite.
    """
    try:
        config = TrainConfig(steps=steps, lr=lr, clip=clip, clip_with=clip_with, progress=False)
    except (TypeError, ValueError) as error:
        raise type(error)(str(error).replace("TrainConfig:", f"{where}:", 1)) from None
    trace = run(model, minibatches(loss, inputs, targets, rng, batch_size), config, optimizer=optimizer,
                where=where, advice=advice)
    return {"loss": trace.loss, "grad_norm": trace.grad_norm}
