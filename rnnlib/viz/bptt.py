"""Pictures of backpropagation through time (03): where one loss term's gradient goes, and how an analytic
gradient compares with finite differences.

Each function takes arrays the notebook computed (never computes a gradient itself) and returns what it drew
into; each *_widget function wires ipywidgets controls to a drawing function the notebook defines:

    contribution_bars(local, carried, source, scale)    the local gradient of every h_k and the share of one
                                                        loss term carried back to it
    contribution_widget(draw, T)                        sliders for draw(scale, source)
    gradient_error_map(analytic, numeric, error, name)  analytic and numeric gradient side by side, and their
                                                        relative error
    error_map_widget(draw, keys)                        controls for draw(function, key, T, h0_zero)
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np


def contribution_bars(local, carried, source, scale, floor=1e-8, ax=None):
    """Bars of the gradient on every h_k: its local part, and the part carried back from the output of one step.

    Inputs:
    - local: (T,) sizes |g_k| of the gradient h_k gets from its own output, k = 1 .. T.
    - carried: (T,) sizes of the part of dL/dh_k that comes from the output of step `source` (zero for k > source).
    - source: the step s (1-based) whose loss term is followed back.
    - scale: the factor of Wh (Wh = scale x an orthogonal matrix), for the title.
    - floor: the bottom of the log axis; smaller values are drawn at the floor.

    Returns:
    - ax: the Axes drawn into (log scale from floor to 3).
    """
    local, carried = np.asarray(local, dtype=float), np.asarray(carried, dtype=float)
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 3.2), constrained_layout=True)
    steps = np.arange(1, len(local) + 1)
    ax.bar(steps - 0.2, np.maximum(local, floor), width=0.4, color="tab:blue",
           label="local: $\\|g_k\\|$, from the output of step $k$")
    ax.bar(steps + 0.2, np.maximum(carried, floor), width=0.4, color="tab:orange",
           label=f"carried: the share of $g_{{{source}}}$ in $\\partial L/\\partial h_k$")
    ax.axvline(source + 0.5, color="gray", linestyle=":")
    ax.set_yscale("log")
    ax.set_ylim(floor, 3.0)
    ax.set_xticks(steps)
    ax.set_xlabel("time step k")
    ax.set_ylabel("size of the gradient on $h_k$")
    ax.set_title(f"The loss term of step {source} on its way back (Wh = {scale:.1f} x orthogonal)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax


def contribution_widget(draw, T):
    """Sliders for draw(scale, source): the scale of Wh (0 to 3, start 1) and the output step s (1 to T, start T)."""
    return widgets.interact(
        draw,
        scale=widgets.FloatSlider(value=1.0, min=0.0, max=3.0, step=0.1, description="Wh scale",
                                  continuous_update=False),
        source=widgets.IntSlider(value=T, min=1, max=T, description="output s", continuous_update=False))


def gradient_error_map(analytic, numeric, error, name, analytic_title="analytic"):
    """An analytic gradient, its finite-difference estimate and their relative error, as three colour maps.

    Inputs:
    - analytic, numeric: 2-D arrays of the same shape (np.atleast_2d of a gradient), drawn on one
      symmetric colour scale.
    - error: their entry-by-entry relative error, same shape; drawn as log10 from -10 to 0.
    - name: the gradient's name for the titles ("dWh").
    - analytic_title: what the first panel shows ("your analytic gradient").

    Returns:
    - fig: the Figure, with fig.axes the three panels and the colour bar.
    """
    fig, axes = plt.subplots(1, 3, figsize=(12, 3), constrained_layout=True)
    lim = max(np.abs(numeric).max(), np.abs(analytic).max(), 1e-12)
    for ax, values, title in [(axes[0], analytic, analytic_title), (axes[1], numeric, "finite differences")]:
        ax.imshow(values, cmap="coolwarm", vmin=-lim, vmax=lim)
        ax.set_title(f"{name}: {title}")
    image = axes[2].imshow(np.log10(np.maximum(error, 1e-12)), cmap="Reds", vmin=-10, vmax=0)
    axes[2].set_title(f"log10 relative error (worst {np.max(error):.1e})")
    fig.colorbar(image, ax=axes[2])
    for ax in axes:
        ax.set_xlabel("column")
        ax.set_ylabel("row")
    return fig


def error_map_widget(draw, keys, key="Wh"):
    """Controls for draw(function, key, T, h0_zero): 'buggy' or 'yours', which gradient (from keys, start `key`),
    the length T (1 to 6, start 4) and whether h0 is zero."""
    return widgets.interact(
        draw,
        function=widgets.ToggleButtons(options=["buggy", "yours"], description="function"),
        key=widgets.Dropdown(options=keys, value=key, description="gradient"),
        T=widgets.IntSlider(value=4, min=1, max=6, description="T", continuous_update=False),
        h0_zero=widgets.Checkbox(value=False, description="h0 = 0"))
