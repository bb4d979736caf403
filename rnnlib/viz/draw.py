"""The drawing primitives every diagram shares: one colour per role, new axes, a labelled box, a labelled arrow."""
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch


# One colour per role, used by every diagram: inputs blue, states green, outputs orange.
COLORS = {"x": "#cfe2f3", "h": "#d9ead3", "y": "#fce5cd", "h0": "#eeeeee"}


def new_axes(ax, figsize):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def box(ax, center, text, color, width=0.8, height=0.5, fontsize=12):
    """A rounded box centred at `center` with `text` in it."""
    x, y = center
    ax.add_patch(FancyBboxPatch(
        (x - width / 2, y - height / 2), width, height,
        boxstyle="round,pad=0.02,rounding_size=0.08", facecolor=color, edgecolor="black", linewidth=1.0,
    ))
    if text:
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize)


def arrow(ax, start, end, label=None, offset=(0.0, 0.0), color="black", fontsize=10, **kwargs):
    """An arrow from `start` to `end`, with an optional label near its middle."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12, color=color,
                                 linewidth=1.2, shrinkA=0, shrinkB=0, **kwargs))
    if label:
        mx, my = (start[0] + end[0]) / 2 + offset[0], (start[1] + end[1]) / 2 + offset[1]
        ax.text(mx, my, label, ha="center", va="center", fontsize=fontsize, color=color)
