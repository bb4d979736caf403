"""Pictures for the notebooks: RNN diagrams and hidden-state plots.

Only numpy and matplotlib. Every function draws into the Axes (or Figure) you
pass, or makes a new one, and returns what it drew into, so a notebook can
add a title or save it:

    draw_unrolled(T=4)              the RNN unrolled over T steps, same weights at every step
    draw_io_shapes()                the five input/output shapes (one-to-one ... encoder-decoder)
    hidden_state_heatmap(h, tokens) h over time as a colour map, one column per step
    hidden_state_bars(h_t, h_prev)  one hidden state as bars, the previous one as outlines
"""
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

from ..validation import as_count
from .draw import COLORS, arrow, box, new_axes

def draw_unrolled(T=4, ax=None, rolled=True, outputs=True):
    """Draw a vanilla RNN unrolled over T time steps.

    Bottom row: inputs x_1 .. x_T; middle row: hidden states h_0 .. h_T; top
    row: outputs y_1 .. y_T. Every arrow of one kind carries the same weight
    matrix (Wx, Wh, Wy), which is the point of the picture.

    Inputs:
    - T: number of time steps to draw (1 to 8 fit well).
    - ax: matplotlib Axes to draw into; a new figure is made when None.
    - rolled: also draw the compact "rolled" form (one cell with a loop) on the left.
    - outputs: draw the output row y_t = h_t Wy + by.

    Returns:
    - ax: the Axes drawn into.
    """
    T = as_count("draw_unrolled", "T", T)
    left = 3.0 if rolled else 0.0
    right = left + 0.6 + 1.6 * T + 0.7
    top = (2.6 if outputs else 1.3) + 0.7
    ax = new_axes(ax, figsize=(0.85 * (right + 0.1), 0.85 * (top + 0.95)))
    yx, yh, yy = 0.0, 1.3, 2.6
    half_w, half_h = 0.4, 0.25

    if rolled:
        cx = 0.6
        box(ax, (cx, yx), "$x_t$", COLORS["x"])
        box(ax, (cx, yh), "$h_t$", COLORS["h"])
        arrow(ax, (cx, yx + half_h), (cx, yh - half_h), "$W_x$", offset=(-0.3, 0))
        # The loop: out of the right side of the cell and back into it.
        arrow(ax, (cx + half_w, yh + 0.15), (cx + half_w, yh - 0.15), connectionstyle="arc3,rad=-2.6")
        ax.text(cx + 0.9, yh, "$W_h$", ha="left", va="center", fontsize=10)
        if outputs:
            box(ax, (cx, yy), "$y_t$", COLORS["y"])
            arrow(ax, (cx, yh + half_h), (cx, yy - half_h), "$W_y$", offset=(-0.3, 0))
        ax.text(left - 0.45, yh, "=", ha="center", va="center", fontsize=22)

    x0 = left + 0.6
    box(ax, (x0, yh), "$h_0$", COLORS["h0"])
    for t in range(1, T + 1):
        cx = x0 + 1.6 * t
        box(ax, (cx, yx), f"$x_{t}$", COLORS["x"])
        box(ax, (cx, yh), f"$h_{t}$", COLORS["h"])
        arrow(ax, (cx, yx + half_h), (cx, yh - half_h), "$W_x$", offset=(-0.3, 0))
        arrow(ax, (cx - 1.6 + half_w, yh), (cx - half_w, yh), "$W_h$", offset=(0, 0.22))
        if outputs:
            box(ax, (cx, yy), f"$y_{t}$", COLORS["y"])
            arrow(ax, (cx, yh + half_h), (cx, yy - half_h), "$W_y$", offset=(-0.3, 0))
    ax.text((x0 + right) / 2, yx - 0.65, "the same $W_x$, $W_h$, $b$" + (", $W_y$" if outputs else "")
            + " at every step", ha="center", va="center", fontsize=10, style="italic")
    ax.set_xlim(-0.1, right)
    ax.set_ylim(yx - 0.95, top)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


# (title, example, steps, which steps get an input, which steps give an output)
IO_SHAPES = [
    ("one to one", "image → class\n(no recurrence)", 1, [0], [0]),
    ("one to many", "one input → a sequence\n(e.g. generate text)", 4, [0], [0, 1, 2, 3]),
    ("many to one", "a sequence → one score\n(e.g. sentiment)", 4, [0, 1, 2, 3], [3]),
    ("many to many, synced", "a label at every step\n(e.g. tag each frame)", 4, [0, 1, 2, 3], [0, 1, 2, 3]),
    ("encoder-decoder", "read it all, then write\n(e.g. translate)", 6, [0, 1, 2], [3, 4, 5]),
]


def _draw_io_shape(ax, title, example, steps, inputs, outputs, size=0.5, gap=0.75):
    yx, yh, yy = 0.0, 0.9, 1.8
    half = size / 2
    for t in range(steps):
        cx = t * gap
        box(ax, (cx, yh), "", COLORS["h"], width=size, height=size)
        if t in inputs:
            box(ax, (cx, yx), "", COLORS["x"], width=size, height=size)
            arrow(ax, (cx, yx + half), (cx, yh - half))
        if t in outputs:
            box(ax, (cx, yy), "", COLORS["y"], width=size, height=size)
            arrow(ax, (cx, yh + half), (cx, yy - half))
        if t > 0:
            arrow(ax, (cx - gap + half, yh), (cx - half, yh))
    if title == "encoder-decoder":  # mark where reading stops and writing starts
        split = (max(inputs) + 0.5) * gap
        ax.plot([split, split], [yx - 0.35, yy + 0.35], ls="--", color="gray", lw=1)
    width = 5 * gap
    ax.set_xlim(-gap / 2 - 0.1, width)
    ax.set_ylim(-1.25, 2.6)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(title, fontsize=11)
    ax.text((steps - 1) * gap / 2, -0.75, example, ha="center", va="center", fontsize=9)


def draw_io_shapes(fig=None):
    """Draw the five input/output shapes of a recurrent network side by side.

    Blue boxes are inputs, green boxes hidden states (one per time step,
    arrows between them carry the state), orange boxes outputs.

    Inputs:
    - fig: a matplotlib Figure to draw into (it gets five Axes); a new one when None.

    Returns:
    - fig: the Figure, with fig.axes the five panels in the order of IO_SHAPES.
    """
    if fig is None:
        fig = plt.figure(figsize=(15, 3.0))
    axes = fig.subplots(1, len(IO_SHAPES), gridspec_kw={"width_ratios": [1.4, 1.8, 1.8, 1.8, 2.6]})
    for ax, (title, example, steps, inputs, outputs) in zip(axes, IO_SHAPES):
        _draw_io_shape(ax, title, example, steps, inputs, outputs)
        ax.set_xlim(-0.5, max(steps * 0.75, 1.6))
    handles = [Rectangle((0, 0), 1, 1, facecolor=COLORS[k], edgecolor="black") for k in ("x", "h", "y")]
    fig.legend(handles, ["input", "hidden state", "output"], loc="lower center", ncol=3, frameon=False,
               fontsize=9)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.88, bottom=0.12, wspace=0.15)
    return fig


def hidden_state_heatmap(h, tokens=None, current=None, ax=None, vmax=1.0):
    """Show the hidden states of one sequence as a colour map.

    Inputs:
    - h: (T, H) hidden states, h[t] the state after step t.
    - tokens: optional list of T labels for the steps (e.g. the letters read).
    - current: optional step index to outline.
    - ax: Axes to draw into; a new figure is made when None.
    - vmax: colour scale runs from -vmax (blue) to +vmax (red); 1 suits tanh units.

    Returns:
    - ax: the Axes drawn into.
    """
    h = np.asarray(h, dtype=float)
    if h.ndim != 2:
        raise ValueError(f"hidden_state_heatmap: h should have shape (T, H), got {h.shape}.")
    T, H = h.shape
    if tokens is not None and len(tokens) != T:
        raise ValueError(f"hidden_state_heatmap: {len(tokens)} tokens for {T} time steps.")
    ax = new_axes(ax, figsize=(max(3.0, 0.45 * T + 1.5), max(2.0, 0.3 * H + 1.0)))
    image = ax.imshow(h.T, cmap="RdBu_r", vmin=-vmax, vmax=vmax, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(T))
    ax.set_xticklabels([repr(t)[1:-1] if isinstance(t, str) else str(t) for t in tokens]
                       if tokens is not None else [str(t) for t in range(T)])
    ax.set_yticks(range(H))
    ax.set_xlabel("time step (input read)" if tokens is not None else "time step t")
    ax.set_ylabel("hidden unit")
    if current is not None:
        if not 0 <= current < T:
            raise ValueError(f"hidden_state_heatmap: current step {current} is outside 0..{T - 1}.")
        ax.add_patch(Rectangle((current - 0.5, -0.5), 1, H, fill=False, edgecolor="black", linewidth=2.5))
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.02)
    return ax


def hidden_state_bars(h_t, h_prev=None, ax=None):
    """One hidden state as a bar chart, optionally with the previous state as outlines.

    Inputs:
    - h_t: (H,) the state to show.
    - h_prev: optional (H,) earlier state, drawn as empty bars for comparison.
    - ax: Axes to draw into; a new figure is made when None.

    Returns:
    - ax: the Axes drawn into. The y axis spans [-1, 1], the range of tanh.
    """
    h_t = np.asarray(h_t, dtype=float).ravel()
    ax = new_axes(ax, figsize=(4, 2.5))
    units = np.arange(h_t.size)
    ax.bar(units, h_t, color=np.where(h_t >= 0, "#d6604d", "#4393c3"), label="now")
    if h_prev is not None:
        h_prev = np.asarray(h_prev, dtype=float).ravel()
        if h_prev.shape != h_t.shape:
            raise ValueError(f"hidden_state_bars: h_prev has {h_prev.size} units, h_t has {h_t.size}.")
        ax.bar(units, h_prev, fill=False, edgecolor="black", linestyle="--", label="previous step")
        ax.legend(fontsize=8, loc="lower right")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    ax.set_xticks(units)
    ax.set_xlabel("hidden unit")
    ax.set_ylabel("value")
    return ax
