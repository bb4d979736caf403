"""Pictures of notebook 07: the encoder-decoder unrolled on one example, and a map of attention weights."""
import matplotlib.pyplot as plt
import numpy as np

from .draw import COLORS, arrow, box


def draw_encoder_decoder(source="3 May 1979", target="1979-05-03", attention=False, ax=None):
    """Draw the encoder-decoder unrolled on one example.

    The encoder (green) reads every source character first; its final state is
    the decoder's first state; the decoder (orange) then writes one character per
    step and reads its previous output. With attention=True, dashed lines show
    that every decoder step also looks at every encoder state.

    Returns the Axes.
    """

    S, T = len(source), len(target)
    if ax is None:
        _, ax = plt.subplots(figsize=(0.55 * (S + T) + 2, 3.6))
    gap = 1.2
    xs_enc = np.arange(S) * 0.55
    xs_dec = xs_enc[-1] + gap + 0.55 + np.arange(T) * 0.55
    for k, ch in enumerate(source):
        box(ax, (xs_enc[k], 0), repr(ch)[1:-1] if ch != " " else "␣", COLORS["x"], width=0.45, height=0.4, fontsize=10)
        box(ax, (xs_enc[k], 1), "", COLORS["h"], width=0.45, height=0.4)
        arrow(ax, (xs_enc[k], 0.2), (xs_enc[k], 0.8))
        if k:
            arrow(ax, (xs_enc[k - 1] + 0.22, 1), (xs_enc[k] - 0.22, 1))
    for k, ch in enumerate(target):
        prev = "<s>" if k == 0 else target[k - 1]
        box(ax, (xs_dec[k], 0), prev, COLORS["x"], width=0.45, height=0.4, fontsize=9 if k == 0 else 10)
        box(ax, (xs_dec[k], 1), "", COLORS["y"], width=0.45, height=0.4)
        box(ax, (xs_dec[k], 2), ch, COLORS["y"], width=0.45, height=0.4, fontsize=10)
        arrow(ax, (xs_dec[k], 0.2), (xs_dec[k], 0.8))
        arrow(ax, (xs_dec[k], 1.2), (xs_dec[k], 1.8))
        if k:
            arrow(ax, (xs_dec[k - 1] + 0.22, 1), (xs_dec[k] - 0.22, 1))
            ax.annotate("", xy=(xs_dec[k], 0.2), xytext=(xs_dec[k - 1] + 0.1, 1.8),
                        arrowprops=dict(arrowstyle="-|>", color="gray", linestyle=":", connectionstyle="arc3,rad=0.2"))
    arrow(ax, (xs_enc[-1] + 0.22, 1), (xs_dec[0] - 0.22, 1), color="crimson")
    ax.text((xs_enc[-1] + xs_dec[0]) / 2, 1.25, "final\nstate", ha="center", va="bottom", fontsize=9, color="crimson")
    if attention:
        for j in (T // 2,):
            for k in range(S):
                ax.plot([xs_enc[k], xs_dec[j]], [1.2, 1.2], alpha=0)   # keep limits
                ax.annotate("", xy=(xs_dec[j] - 0.1, 1.15), xytext=(xs_enc[k], 1.2),
                            arrowprops=dict(arrowstyle="-", color="royalblue", alpha=0.35, linestyle="--",
                                            connectionstyle="arc3,rad=-0.35"))
        ax.text(xs_dec[T // 2], 2.55, f"attention at step {T // 2 + 1}: looks at every encoder state", ha="center",
                fontsize=9, color="royalblue")
    ax.text(xs_enc.mean(), -0.55, "encoder reads the whole source", ha="center", fontsize=10)
    ax.text(xs_dec.mean(), -0.55, "decoder writes, reading its previous output", ha="center", fontsize=10)
    ax.set_xlim(xs_enc[0] - 0.5, xs_dec[-1] + 0.5)
    ax.set_ylim(-0.8, 2.9 if attention else 2.5)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def plot_attention(weights, source, target, ax=None, title=None):
    """Heatmap of one example's attention: rows are output characters, columns source characters.

    Inputs:
    - weights: (T, S') attention weights (S' >= len(source); padding columns are dropped).
    - source: the source string; target: the output string (length T).
    Returns the Axes.
    """
    weights = np.asarray(weights)[:, :len(source)]
    if weights.shape[0] != len(target):
        raise ValueError(f"plot_attention: weights has {weights.shape[0]} rows but the target has {len(target)} characters.")
    if ax is None:
        _, ax = plt.subplots(figsize=(0.3 * len(source) + 1.5, 0.3 * len(target) + 1.2))
    ax.imshow(weights, cmap="Greys", vmin=0.0, vmax=1.0, aspect="auto")
    ax.set_xticks(range(len(source)), ["␣" if ch == " " else ch for ch in source])
    ax.set_yticks(range(len(target)), list(target))
    ax.set_xlabel("source character (attended to)")
    ax.set_ylabel("output character")
    ax.tick_params(length=0)
    if title:
        ax.set_title(title, fontsize=10)
    return ax
