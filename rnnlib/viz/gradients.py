"""How the gradient fades on its way back through a tanh RNN (04): curves of |dL/dh_t| against the time step.

Each function takes gradient norms the notebook computed (it never computes a gradient itself) and returns
what it drew into; lab_widget wires sliders to a drawing function the notebook defines:

    fade_by_radius(rhos, real, zero, T)    |dL/dh_t| for several spectral radii, real states and states at 0
    fade_by_init(inits, real, zero)        the same for several initialisations of Wh
    fade_lab(norms, rho, rms_slope, T, activation)    one measured curve against the two predictions
    lab_widget(draw, activations)          sliders for draw(rho, T, activation)
"""
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np

from .draw import new_axes

RADIUS_COLORS = ["tab:blue", "tab:green", "tab:orange", "tab:red"]
INIT_COLORS = {"gaussian": "tab:blue", "orthogonal": "tab:green", "identity": "tab:purple"}


def _pairs(ax, names, real, zero, colors, real_label, zero_label):
    """For each name: its real-state curve solid and its states-at-0 curve dotted, in one colour."""
    for name, r, z, color in zip(names, real, zero, colors):
        ax.semilogy(r, color=color, label=real_label.format(name))
        ax.semilogy(z, color=color, ls=":", label=zero_label.format(name))
    ax.set_xlabel("time step t")


def fade_by_radius(rhos, real, zero, T):
    """Mean |dL/dh_t| of a tanh RNN (loss on the last state) for up to four spectral radii.

    Inputs:
    - rhos: the spectral radii rho of Wh.
    - real: one (T,) array per rho, the gradient norms with the real tanh states.
    - zero: one (T,) array per rho, the gradient norms with every state at 0 (Wh alone acts).
    - T: the sequence length, for the title.

    Returns:
    - ax: the Axes drawn into (log scale), rho in blue, green, orange, red.
    """
    fig, ax = plt.subplots(figsize=(8, 4))
    _pairs(ax, rhos, real, zero, RADIUS_COLORS, "rho = {}, real states", "rho = {}, states at 0")
    ax.set_ylabel("mean |dL/dh_t|  (log scale)")
    ax.set_title(f"Gradient reaching each state of a tanh RNN, T = {T}, loss on the last state")
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return ax


def fade_by_init(inits, real, zero):
    """Mean |dL/dh_t| at initialisation for several ways to initialise Wh ("gaussian", "orthogonal", "identity").

    Inputs:
    - inits: the names of the initialisations (keys of INIT_COLORS).
    - real, zero: one (T,) array per name: with the real tanh states, and with every state at 0 (Wh alone).

    Returns:
    - ax: the Axes drawn into (log scale).
    """
    ax = new_axes(None, figsize=(7, 3.6))
    _pairs(ax, inits, real, zero, [INIT_COLORS[name] for name in inits], "{}: real tanh states",
           "{}: Wh alone (states at 0)")
    ax.set_ylabel("mean |dL/dh_t| (log)")
    ax.set_title("Gradient at initialisation, tanh RNN, spectral radius about 1")
    ax.legend(fontsize=7)
    return ax


def fade_lab(norms, rho, rms_slope, T, activation):
    """One measured curve of |dL/dh_t| against the two predictions rho^(T-1-t) and (rho * rms slope)^(T-1-t).

    Inputs:
    - norms: (T,) the measured mean |dL/dh_t|, t = 0 .. T-1 (values below 1e-300 are drawn at 1e-300).
    - rho: the spectral radius of Wh.
    - rms_slope: the root mean square slope f'(a) of the activation over the run.
    - T: the sequence length; activation: its name, for the title.

    Returns:
    - ax: the Axes drawn into (log scale from 1e-30 to 1e30).
    """
    t = np.arange(T)
    fig, ax = plt.subplots(figsize=(8, 3.8))
    ax.semilogy(t, np.maximum(norms, 1e-300), "k", lw=2, label="measured |dL/dh_t|")
    ax.semilogy(t, rho ** (T - 1.0 - t), "C0--", label=f"weights alone: rho^(T-1-t), rho = {rho:.2f}")
    ax.semilogy(t, (rho * rms_slope) ** (T - 1.0 - t), "C3:", lw=2,
                label=f"(rho * rms slope)^(T-1-t) = {rho * rms_slope:.3f}^(T-1-t)")
    ax.set_ylim(1e-30, 1e30)
    ax.set_xlabel("time step t")
    ax.set_ylabel("|dL/dh_t|  (log scale)")
    ax.set_title(f"{activation}, rho = {rho:.2f}, T = {T}: |dL/dh_0| = {norms[0]:.3g}")
    ax.legend(fontsize=8, loc="lower right")
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    return ax


def lab_widget(draw, activations):
    """Sliders for draw(rho, T, activation): rho 0.3 to 6 (start 1), T 2 to 200 (start 60), the activation
    from `activations` (start "tanh")."""
    return widgets.interact(
        draw,
        rho=widgets.FloatSlider(value=1.0, min=0.3, max=6.0, step=0.05, description="radius rho",
                                continuous_update=False),
        T=widgets.IntSlider(value=60, min=2, max=200, step=1, description="length T", continuous_update=False),
        activation=widgets.Dropdown(options=list(activations), value="tanh", description="activation"))
