"""Tables of numbers drawn as labelled colour grids, with the values written in the cells (01, 02).

Each function takes arrays the notebook computed, draws into the Axes you pass (or a new figure) and returns
what it drew into:

    one_hot_table(X, symbols, text)            a one-hot encoded text, one row per character
    next_char_table(P, symbols, title)         predicted next-character probabilities, one row per current character
    count_tables(tables, titles)               next-character count tables side by side
    accuracy_grid(grid, windows, distances)    test accuracy for every (window, distance) pair
    probability_table(probs, symbols, steps)   P(next symbol) after every step, the targets outlined
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from .draw import new_axes


def _write_values(ax, values, fmt, fontsize, light, only_nonzero=False):
    """Write values[i, j] into cell (i, j); white text where light(value) is true (dark cells), else black."""
    cells = zip(*np.nonzero(values)) if only_nonzero else np.ndindex(*values.shape)
    for i, j in cells:
        ax.text(j, i, format(values[i, j], fmt), ha="center", va="center", fontsize=fontsize,
                color="white" if light(values[i, j]) else "black")


def _symbol_label(c):
    """A character as a tick label: escapes shown as written ('\\n'), a space as '␣'."""
    return repr(c)[1:-1] if c != " " else "␣"


def one_hot_table(X, symbols, text, ax=None):
    """A one-hot encoded text as a black-and-white grid.

    Inputs:
    - X: (T, V) one-hot rows, X[t] the encoding of text[t].
    - symbols: the V vocabulary entries, the column labels.
    - text: the T characters encoded, the row labels; the title is one_hot(text).

    Returns:
    - ax: the Axes drawn into.
    """
    ax = new_axes(ax, figsize=(3.2, 3.2))
    ax.imshow(X, cmap="Greys", vmin=0, vmax=1)
    ax.set_xticks(range(len(symbols)), symbols)
    ax.set_yticks(range(len(text)), list(text))
    ax.set_xlabel("vocabulary entry j")
    ax.set_ylabel("character of the text")
    ax.set_title(f"one_hot({text!r})")
    return ax


def next_char_table(P, symbols, title, ax=None):
    """Predicted next-character probabilities, one row per current character, values in the cells.

    Inputs:
    - P: (V, V) probabilities, P[i, j] = P(next = symbols[j] | current = symbols[i]).
    - symbols: the V characters, labels of both axes.
    - title: the title of the picture.

    Returns:
    - ax: the Axes drawn into (colour scale 0 to 1).
    """
    P = np.asarray(P, dtype=float)
    ax = new_axes(ax, figsize=(3.6, 3.2))
    ax.imshow(P, cmap="Blues", vmin=0, vmax=1)
    _write_values(ax, P, ".2f", 9, lambda p: p > 0.6)              # readable on dark cells too
    ax.set_xticks(range(len(symbols)), symbols)
    ax.set_yticks(range(len(symbols)), symbols)
    ax.set_xlabel("predicted next character")
    ax.set_ylabel("current character")
    ax.set_title(title)
    return ax


def count_table(counts, vocab, ax=None):
    """One table of next-character counts; only the non-zero counts are written.

    Inputs:
    - counts: (V, V) integers, counts[i, j] = how often vocab[j] follows vocab[i].
    - vocab: the V characters (a space is shown as '␣').
    - ax: Axes to draw into; a new figure is made when None.

    Returns:
    - ax: the Axes drawn into.
    """
    counts = np.asarray(counts)
    ax = new_axes(ax, figsize=(5, 5))
    ax.imshow(counts, cmap="Oranges")
    _write_values(ax, counts, "", 7, lambda n: n > 0.6 * counts.max(), only_nonzero=True)
    labels = [_symbol_label(c) for c in vocab]
    ax.set_xticks(range(len(vocab)), labels, fontsize=7)
    ax.set_yticks(range(len(vocab)), labels, fontsize=7)
    ax.set_xlabel("next character")
    ax.set_ylabel("current character")
    return ax


def count_tables(tables, titles, width_ratios=(1, 3), figsize=(11, 5)):
    """Several next-character count tables side by side (see count_table).

    Inputs:
    - tables: a list of (counts (V, V), vocab) pairs, one per panel.
    - titles: one title per panel; a title longer than 30 characters (a whole sentence) is set in size 9.
    - width_ratios: relative panel widths (a larger vocabulary needs a wider panel).

    Returns:
    - fig: the Figure, with fig.axes the panels.
    """
    fig, axes = plt.subplots(1, len(tables), figsize=figsize, gridspec_kw={"width_ratios": list(width_ratios)})
    for ax, (counts, vocab), title in zip(np.atleast_1d(axes), tables, titles):
        count_table(counts, vocab, ax=ax)
        ax.set_title(title, **({"fontsize": 9} if len(title) > 30 else {}))
    fig.tight_layout()
    return fig


def accuracy_grid(grid, windows, distances, ax=None):
    """Test accuracy of the window network for every window size and distance, values in the cells.

    Inputs:
    - grid: (len(windows), len(distances)) accuracies in [0, 1]; grid[i, j] for windows[i], distances[j].
    - windows, distances: the values swept, the row and column labels.

    Returns:
    - ax: the Axes drawn into, with a colour bar (0 to 1).
    """
    grid = np.asarray(grid, dtype=float)
    ax = new_axes(ax, figsize=(5.5, 4.5))
    image = ax.imshow(grid, origin="lower", cmap="viridis", vmin=0, vmax=1)
    _write_values(ax, grid, ".2f", 7, lambda a: a <= 0.5)                # viridis is dark at the bottom
    ax.set_xticks(range(len(distances)), distances)
    ax.set_yticks(range(len(windows)), windows)
    ax.set_xlabel("distance (filler tokens between country and answer)")
    ax.set_ylabel("window W (tokens the MLP sees)")
    ax.set_title("test accuracy (chance = 0.25)")
    ax.figure.colorbar(image, ax=ax, shrink=0.8)
    return ax


def probability_table(probs, symbols, steps, targets=(), title=None, ax=None):
    """The predicted distribution of the next symbol at every step, values in the cells, the targets outlined.

    Inputs:
    - probs: (T, V) probabilities, probs[t, v] = P(next symbol = symbols[v]) after step t.
    - symbols: the V symbols, the column labels.
    - steps: T row labels (e.g. "after 'd'").
    - targets: the right next symbol (an index into symbols) for the first len(targets) steps; those cells
      get a black frame.
    - title: the title of the picture.

    Returns:
    - ax: the Axes drawn into (colour scale 0 to 1).
    """
    probs = np.asarray(probs, dtype=float)
    ax = new_axes(ax, figsize=(4.5, 3.2))
    ax.imshow(probs, cmap="Greens", vmin=0, vmax=1)
    for t, target in enumerate(targets):
        ax.add_patch(Rectangle((target - 0.5, t - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=2))
    _write_values(ax, probs, ".2f", 9, lambda p: False)
    ax.set_xticks(range(len(symbols)), symbols)
    ax.set_yticks(range(len(steps)), steps)
    ax.set_xlabel("next letter")
    if title is not None:
        ax.set_title(title)
    return ax
