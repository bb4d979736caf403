"""How far the fixed-window network of 01 sees: accuracy against the window size and against the distance.

Each function takes accuracies the notebook measured, draws into the Axes you pass (or a new figure) and
returns it:

    accuracy_by_window(window_sizes, seen, new)          counted-text and new-text accuracy against the window w
    accuracy_by_distance(distances, accuracy, trained)   accuracy at each test distance, the trained ones green
"""
from .draw import new_axes


def accuracy_by_window(window_sizes, seen, new, ax=None):
    """Next-character accuracy of w-character context counting, on the counted text and on new text.

    Inputs:
    - window_sizes: the K windows w tried.
    - seen: K accuracies on the text that was counted (the best possible there).
    - new: K accuracies on text that was not counted.

    Returns:
    - ax: the Axes drawn into (y axis 0 to 1).
    """
    ax = new_axes(ax, figsize=(6, 3.4))
    ax.plot(window_sizes, seen, "o-", label="on the text it counted (best possible there)")
    ax.plot(window_sizes, new, "s-", label="on new text")
    ax.set_xlabel("window w (characters the model sees)")
    ax.set_ylabel("next-character accuracy")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def accuracy_by_distance(distances, accuracy, trained, chance=0.25, ax=None):
    """Test accuracy at each distance, green bars for the distances seen in training, orange for the others.

    Inputs:
    - distances: the K test distances.
    - accuracy: K accuracies in [0, 1].
    - trained: (low, high), the range of distances the model was trained on.
    - chance: the accuracy of guessing, drawn as a dashed line.

    Returns:
    - ax: the Axes drawn into.
    """
    low, high = trained
    ax = new_axes(ax, figsize=(6, 2.8))
    ax.bar(distances, accuracy, color=["tab:green" if low <= d <= high else "tab:orange" for d in distances])
    ax.axhline(chance, color="black", linestyle="--", linewidth=1, label="chance")
    ax.set_xlabel(f"distance at test time (trained on {low} to {high})")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.05)
    ax.legend(fontsize=8)
    return ax
