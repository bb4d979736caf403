"""fit_minibatches: the training loop of the small classifiers (MLPClassifier in 01, RNNClassifier in 04 and 05).

    history = fit_minibatches(model.loss, model.params, X, y, steps, optimizer, rng, batch_size=64, clip=5.0)
    history["loss"], history["grad_norm"]         one entry per step; the norm is taken before clipping
"""
import numpy as np

from ..validation import as_count, as_positive
from .clipping import clip_grad_norm


def fit_minibatches(loss, params, inputs, targets, steps, optimizer, rng, batch_size=None, clip=None, where="fit",
                    advice="lower the learning rate"):
    """Train for `steps` updates, each on a random mini-batch drawn with replacement.

    Inputs:
    - loss: function loss(inputs[batch], targets[batch]) -> (loss, grads), grads a dict with the keys of params.
    - params: the dict of arrays the optimizer updates in place.
    - inputs, targets: arrays whose first axis is the N examples.
    - steps: number of updates; optimizer: an rnnlib.train.optim optimiser; rng: a numpy Generator.
    - batch_size: examples per step (None or >= N: all of them, in order).
    - clip: None, or max_norm for clip_grad_norm over all gradients together before every update.
    - where, advice: the name and the remedy a non-finite loss is reported with.

    Returns: history, a dict with "loss" and "grad_norm" (before clipping), one entry per step.
    Raises FloatingPointError when the loss or the gradients stop being finite.
    """
    steps = as_count(where, "steps", steps, minimum=0)
    if clip is not None:
        clip = as_positive(where, "clip", clip)
    N = len(inputs)
    history = {"loss": [], "grad_norm": []}
    for step in range(steps):
        batch = slice(None) if batch_size is None or batch_size >= N else rng.integers(0, N, size=batch_size)
        value, grads = loss(inputs[batch], targets[batch])
        norm = (clip_grad_norm(grads, clip) if clip is not None
                else float(np.sqrt(sum(float(np.vdot(g, g)) for g in grads.values()))))
        if not (np.isfinite(value) and np.isfinite(norm)):
            raise FloatingPointError(f"{where}: at step {step} the loss ({value}) or the gradient norm ({norm}) "
                                     f"is no longer finite; {advice}.")
        optimizer.step(params, grads)
        history["loss"].append(value)
        history["grad_norm"].append(norm)
    return history
