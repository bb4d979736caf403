"""Accuracy against the distance a model must remember across (04, 05): one curve per kind of model.

    accuracy_sweep(distances, sweeps)   the mean accuracy over seeds as a line, each seed as a faint dot
"""
from .draw import new_axes

COLORS = ("tab:blue", "tab:green", "tab:purple")
MARKERS = ("o", "s", "^")


def accuracy_sweep(distances, sweeps, title=None, chance=0.25, chance_label="chance (1/4)",
                   xlabel="distance d between the key and the answer", colors=COLORS, markers=MARKERS, ax=None):
    """Test accuracy against the distance, for one or more kinds of model.

    Inputs:
    - distances: the K distances d.
    - sweeps: a list of (label, accuracy) pairs, accuracy of shape (K, S): one column per seed (as
      rnnlib.analysis.distance.accuracy_vs_distance returns it).
    - title: optional title; chance, chance_label: the dashed line of guessing.
    - colors, markers: one per sweep, in order (blue circles, green squares, purple triangles by default).

    Returns:
    - ax: the Axes drawn into (y axis 0 to 1.05).
    """
    ax = new_axes(ax, figsize=(7, 3.6))
    for (label, acc), color, marker in zip(sweeps, colors, markers):
        ax.plot(distances, acc.mean(axis=1), color=color, marker=marker, label=label)
        for j in range(acc.shape[1]):
            ax.plot(distances, acc[:, j], ".", color=color, alpha=0.4)
    ax.axhline(chance, color="gray", ls="--", label=chance_label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.05)
    if title is not None:
        ax.set_title(title)
    ax.legend(fontsize=8)
    return ax
