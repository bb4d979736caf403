"""Pictures for the LSTM notebook: the cell as a diagram, and its gates along a sequence.

Only numpy and matplotlib; each function takes arrays the notebook computed, draws into the Axes you pass (or a
new one; the two gradient pictures make their own figure) and returns it.

    draw_lstm_cell()                          one LSTM step: the cell-state line on top, the gates below
    gate_heatmap(gates, unit, tokens)         i, f, o, g, c, h of one unit over the time steps of one sequence
    gradient_factors(rnn, forget_products, ...)   the vanilla RNN's fading gradient against products of forget gates
    gradient_through_time(curves, distance)   |dL/dh_t| over t, before and after training, RNN against LSTM
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Circle, FancyBboxPatch

from .draw import COLORS, arrow, box, new_axes

GATE_COLORS = {"sigma": "#f4cccc", "tanh": "#d9d2e9", "op": "#ffffff", "c": "#fff2cc"}
GATE_ROWS = ("i", "f", "o", "g", "c", "h")
GATE_NAMES = {"i": "input gate i", "f": "forget gate f", "o": "output gate o", "g": "candidate g",
              "c": "cell state c", "h": "hidden state h"}


def _op(ax, center, text, radius=0.2, fontsize=12):
    """A pointwise operation (x, +, tanh) drawn as a small circle."""
    ax.add_patch(Circle(center, radius, facecolor=GATE_COLORS["op"], edgecolor="black", linewidth=1.0, zorder=3))
    ax.text(center[0], center[1], text, ha="center", va="center", fontsize=fontsize, zorder=4)


def draw_lstm_cell(ax=None):
    """Draw one LSTM step with the four gate blocks in the order i, f, o, g.

    Top line: the cell state c_{t-1} -> (x f) -> (+ i*g) -> c_t, with no weight matrix and no
    squashing on it. Bottom: [h_{t-1}, x_t] feeds the four blocks sigma (i), sigma (f), sigma (o),
    tanh (g); the output h_t = o * tanh(c_t) leaves on the right.

    Inputs:
    - ax: Axes to draw into; a new figure is made when None.

    Returns:
    - ax: the Axes drawn into.
    """
    ax = new_axes(ax, figsize=(9.0, 4.6))
    top, gate_y, bottom = 3.2, 1.4, 0.0
    # frame of the cell
    ax.add_patch(FancyBboxPatch(
        (1.0, 0.75), 7.0, 3.05, boxstyle="round,pad=0.02,rounding_size=0.2", facecolor="#fafafa",
        edgecolor="gray", linewidth=1.0, linestyle="--"))
    # the cell-state line
    box(ax, (0.3, top), "$c_{t-1}$", GATE_COLORS["c"], width=0.75)
    box(ax, (8.9, top), "$c_t$", GATE_COLORS["c"], width=0.75)
    fx, px, tx = 2.4, 4.8, 6.8
    arrow(ax, (0.68, top), (fx - 0.2, top))
    _op(ax, (fx, top), r"$\times$")
    arrow(ax, (fx + 0.2, top), (px - 0.2, top))
    _op(ax, (px, top), "$+$")
    arrow(ax, (px + 0.2, top), (8.52, top))
    ax.text(4.7, top + 0.45, r"cell state: $c_t = f \odot c_{t-1} + i \odot g$  (add, no $W$, no squashing)",
            ha="center", va="center", fontsize=10, style="italic")
    # inputs
    box(ax, (0.3, bottom), "$h_{t-1}$", COLORS["h"], width=0.75)
    box(ax, (2.0, bottom - 0.05), "$x_t$", COLORS["x"], width=0.6)
    ax.plot([0.3, 6.2], [bottom + 0.55, bottom + 0.55], color="black", lw=1.2)
    ax.plot([0.3, 0.3], [bottom + 0.25, bottom + 0.55], color="black", lw=1.2)
    ax.plot([2.0, 2.0], [bottom + 0.2, bottom + 0.55], color="black", lw=1.2)
    ax.text(6.4, bottom + 0.3, r"$a = x_t W_x + h_{t-1} W_h + b$  $(N, 4H)$", ha="left", va="center", fontsize=9)
    # the four gate blocks
    gates = [("i", r"$\sigma$", 3.4, "sigma"), ("f", r"$\sigma$", 2.4, "sigma"), ("o", r"$\sigma$", 5.8, "sigma"),
             ("g", r"$\tanh$", 4.3, "tanh")]
    for name, fn, gx, kind in gates:
        box(ax, (gx, gate_y), fn, GATE_COLORS[kind], width=0.62, height=0.45, fontsize=11)
        ax.text(gx - 0.42, gate_y + 0.42, f"${name}$", ha="center", va="center", fontsize=11, color="darkred")
        arrow(ax, (gx, bottom + 0.55), (gx, gate_y - 0.23))
    # f into the forget multiply
    arrow(ax, (fx, gate_y + 0.23), (fx, top - 0.2))
    # i * g into the plus
    ig = (px, 2.35)
    _op(ax, ig, r"$\times$")
    arrow(ax, (3.4, gate_y + 0.23), (ig[0] - 0.17, ig[1] - 0.1), connectionstyle="arc3,rad=-0.2")
    arrow(ax, (4.3, gate_y + 0.23), (ig[0] - 0.08, ig[1] - 0.18))
    arrow(ax, (ig[0], ig[1] + 0.2), (px, top - 0.2))
    # h_t = o * tanh(c_t)
    _op(ax, (tx, 2.45), "tanh", radius=0.27, fontsize=8)
    arrow(ax, (tx, top), (tx, 2.45 + 0.27))
    hm = (tx, 1.4)
    _op(ax, hm, r"$\times$")
    arrow(ax, (tx, 2.45 - 0.27), (tx, hm[1] + 0.2))
    arrow(ax, (5.8 + 0.31, gate_y), (tx - 0.2, hm[1]))
    box(ax, (8.9, 1.4), "$h_t$", COLORS["h"], width=0.75)
    arrow(ax, (tx + 0.2, hm[1]), (8.52, 1.4))
    ax.text(7.75, 1.05, r"$h_t = o \odot \tanh(c_t)$", ha="center", va="center", fontsize=9)
    ax.text(4.5, -0.75, r"blocks of $a$ in the order $i, f, o, g$:  $i, f, o = \sigma(\cdot)$,  $g = \tanh(\cdot)$;"
            r"  each $(N, H)$", ha="center", va="center", fontsize=10)
    ax.set_xlim(-0.2, 9.4)
    ax.set_ylim(-1.0, 4.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def gate_heatmap(gates, unit, tokens=None, ax=None, scales=None):
    """The gates and states of one LSTM unit along one sequence, one row per quantity.

    Inputs:
    - gates: dict with "i", "f", "o", "g", "c", "h", each a (T, H) array for one sequence
      (e.g. rnnlib.analysis.gates.lstm_gates(cache)[name][n]).
    - unit: which hidden unit to show, 0 <= unit < H.
    - tokens: optional list of T labels for the time steps.
    - ax: Axes to draw into; a new figure is made when None.
    - scales: optional dict {row name: positive number}, the colour scale of that row. By default
      every row but c runs from -1 (blue) to +1 (red), so the gates, which live in (0, 1), are white
      to red; the cell state c, which is not squashed, runs from -s to +s with s its largest |c| on
      this sequence (at least 1). Pass {"c": s} to compare several sequences on one scale.

    Returns:
    - ax: the Axes drawn into. Each row is coloured on its own scale, written after its name
      ("cell state c (±8.3)"); each cell also shows its value when T <= 30.
    """
    missing = [k for k in GATE_ROWS if k not in gates]
    if missing:
        raise ValueError(f"gate_heatmap: gates is missing {missing}.")
    rows = [np.asarray(gates[k], dtype=float) for k in GATE_ROWS]
    if any(r.ndim != 2 or r.shape != rows[0].shape for r in rows):
        raise ValueError("gate_heatmap: every entry of gates should be one (T, H) array of the same shape.")
    T, H = rows[0].shape
    if isinstance(unit, bool) or int(unit) != unit or not 0 <= unit < H:
        raise ValueError(f"gate_heatmap: unit must be an integer in 0..{H - 1}, got {unit!r}.")
    if tokens is not None and len(tokens) != T:
        raise ValueError(f"gate_heatmap: {len(tokens)} tokens for {T} time steps.")
    values = np.stack([r[:, int(unit)] for r in rows])  # (6, T)
    scale = {k: 1.0 for k in GATE_ROWS}
    scale["c"] = max(1.0, float(np.abs(values[GATE_ROWS.index("c")]).max()))
    for k, s in (scales or {}).items():
        if k not in scale or not np.isscalar(s) or not s > 0:
            raise ValueError(f"gate_heatmap: scales must map row names {GATE_ROWS} to positive numbers, "
                             f"got {k!r}: {s!r}.")
        scale[k] = float(s)
    ax = new_axes(ax, figsize=(max(4.0, 0.32 * T + 2.0), 2.8))
    shown = values / np.array([scale[k] for k in GATE_ROWS])[:, None]
    image = ax.imshow(shown, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
    if T <= 30:
        for r in range(values.shape[0]):
            for t in range(T):
                ax.text(t, r, f"{values[r, t]:.1f}".replace("0.", "."), ha="center", va="center", fontsize=6,
                        color="white" if abs(shown[r, t]) > 0.6 else "black")
    ax.set_yticks(range(len(GATE_ROWS)))
    ax.set_yticklabels([f"{GATE_NAMES[k]} (±{scale[k]:.2g})" for k in GATE_ROWS], fontsize=8)
    ax.set_xticks(range(T))
    ax.set_xticklabels(list(tokens) if tokens is not None else [str(t) for t in range(T)], fontsize=7)
    ax.set_xlabel("time step (token read)" if tokens is not None else "time step t")
    bar = ax.figure.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.set_label("value / the row's scale", fontsize=7)
    return ax


FORGET_BIAS_COLORS = ("tab:red", "tab:orange", "tab:green")


def gradient_factors(rnn, forget_products, forget_biases, forget_means):
    """What multiplies the gradient on its way back from step T to step t, vanilla RNN against the LSTM cell path.

    Inputs:
    - rnn: (T,) mean |dL/dh_t| of a tanh RNN with a unit gradient on h_T (a product of Jacobians).
    - forget_products: one (T,) array per forget bias, the mean product of forget gates f_{t+1} ... f_T.
    - forget_biases: the forget-gate biases tried (up to three: red, orange, green).
    - forget_means: the mean forget gate f of each run, for the legend.

    Returns:
    - ax: the Axes drawn into (log scale from 1e-32 to 3).
    """
    fig, ax = plt.subplots(figsize=(8, 3.8))
    ax.semilogy(rnn, "k", lw=2, label="vanilla RNN: |dL/dh_t| (product of Jacobians)")
    for prod, b_f, f_mean, color in zip(forget_products, forget_biases, forget_means, FORGET_BIAS_COLORS):
        ax.semilogy(prod, color=color,
                    label=f"LSTM cell path, forget bias {b_f:g}: product of f (mean f = {f_mean:.2f})")
    ax.set_xlabel("time step t")
    ax.set_ylabel("gradient factor from step T back to t (log)")
    ax.set_title("At initialisation, T = 100: what multiplies the gradient on its way back")
    ax.set_ylim(1e-32, 3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return ax


def gradient_through_time(curves, distance):
    """How much of the gradient reaches each step, before and after training, for each kind of model.

    Inputs:
    - curves: {model name: (at initialisation, after training)}, each a (T,) array of mean |dL/dh_t| divided by
      mean |dL/dh_T|; the first model is drawn in blue, the second in green.
    - distance: the distance d of the first-symbol task, for the title.

    Returns:
    - ax: the Axes drawn into (log scale); dotted at initialisation, solid after training.
    """
    fig, ax = plt.subplots(figsize=(8, 3.8))
    for (name, (before, after)), color in zip(curves.items(), ("tab:blue", "tab:green")):
        ax.semilogy(before, color=color, ls=":", label=f"{name}, at initialisation")
        ax.semilogy(after, color=color, lw=2, label=f"{name}, after training")
    ax.set_xlabel("time step t (the key is read at t = 0)")
    ax.set_ylabel("mean |dL/dh_t| / mean |dL/dh_T|  (log)")
    ax.set_title(f"How much of the gradient reaches each step, first-symbol task, d = {distance}")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return ax
