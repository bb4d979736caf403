"""Loss curves of short training runs, and the controls to rerun one with another optimiser (03).

    loss_curve(history, title)        the loss at every training step on a log axis, with the loss of guessing
    optimizer_widget(draw, names)     controls for draw(optimizer, log10_lr, steps)
"""
import ipywidgets as widgets
import numpy as np

from .draw import new_axes


def loss_curve(history, title, ylabel="loss", guess=np.log(4), guess_label=None, ylim=None, figsize=(6, 3),
               ax=None):
    """The loss of every training step on a log axis, and a dotted line at the loss of uniform guessing.

    Inputs:
    - history: (steps,) losses, one per training step.
    - title, ylabel: the labels of the picture.
    - guess: the loss of guessing uniformly (log V nats for V classes; log 4 by default).
    - guess_label: a legend entry for the guessing line; no legend when None.
    - ylim: optional (bottom, top) of the log axis.
    - figsize: size of the new figure when ax is None.

    Returns:
    - ax: the Axes drawn into.
    """
    ax = new_axes(ax, figsize=figsize)
    ax.semilogy(history)
    ax.axhline(guess, color="gray", linestyle=":", **({"label": guess_label} if guess_label else {}))
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_xlabel("training step")
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if guess_label:
        ax.legend()
    return ax


def optimizer_widget(draw, names, value="Adam"):
    """Controls for draw(optimizer, log10_lr, steps): which optimiser (from names, start `value`), log10 of the
    learning rate (-3 to 1 in steps of 0.25, start -1) and the number of steps (10 to 500, start 150)."""
    return widgets.interact(
        draw,
        optimizer=widgets.ToggleButtons(options=list(names), value=value, description="optimiser"),
        log10_lr=widgets.FloatSlider(value=-1.0, min=-3.0, max=1.0, step=0.25, description="log10 lr",
                                     continuous_update=False),
        steps=widgets.IntSlider(value=150, min=10, max=500, step=10, description="steps", continuous_update=False))
