"""Typical answers to notebook 04 (vanishing and exploding gradients), wrong and right.

Each `source` replaces the whole solution cell defining `function`.
"""
from . import Variant

ASSIGNMENT = "04_vanishing_gradients"


def _sg(label, body, kind="wrong", **more):
    return Variant("state_gradients", kind, label, "def state_gradients(dh_last, h, Wh):\n" + body, **more)


def _clip(label, body, kind="wrong", **more):
    return Variant("clip_grad_norm", kind, label, "def clip_grad_norm(grads, max_norm):\n" + body, **more)


STATE_GRADIENTS = [
    _sg("last step left at zero", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    for t in range(T - 2, -1, -1):
        dh[:, t] = (dh[:, t + 1] * (1 - h[:, t + 1] ** 2)) @ Wh.T
    return dh
""", says="dh[:, -1] should equal dh_last: the loss depends on h[:, -1] directly, so its gradient is dh_last itself."),
    _sg("tanh derivative uses h[:, t] instead of h[:, t+1]", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, -1] = dh_last
    for t in range(T - 2, -1, -1):
        dh[:, t] = (dh[:, t + 1] * (1 - h[:, t] ** 2)) @ Wh.T
    return dh
""", says="the tanh derivative uses h[:, t] instead of h[:, t+1]: the slope belongs to the step that produced h[:, t + 1]"),
    _sg("Wh not transposed", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, -1] = dh_last
    for t in range(T - 2, -1, -1):
        dh[:, t] = (dh[:, t + 1] * (1 - h[:, t + 1] ** 2)) @ Wh
    return dh
""", says="Wh not transposed: the step computes h_prev @ Wh, so the gradient goes back through Wh.T"),
    _sg("missing tanh derivative", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, -1] = dh_last
    for t in range(T - 2, -1, -1):
        dh[:, t] = dh[:, t + 1] @ Wh.T
    return dh
""", says="missing tanh derivative: multiply by 1 - h[:, t + 1]**2 before the product with Wh.T"),
    _sg("gradients computed forwards in time", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, 0] = dh_last
    for t in range(1, T):
        dh[:, t] = (dh[:, t - 1] * (1 - h[:, t - 1] ** 2)) @ Wh.T
    return dh
""", says="Instead dh[:, 0] equals dh_last: the gradients were computed forwards in time. Start at the last step and go backwards, t = T-2, ..., 0."),
    _sg("derivative 1 - h instead of 1 - h**2", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, -1] = dh_last
    for t in range(T - 2, -1, -1):
        dh[:, t] = (dh[:, t + 1] * (1 - h[:, t + 1])) @ Wh.T
    return dh
""", says="the tanh derivative is 1 - h**2, not 1 - h"),
    _sg("tanh applied to the states again", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, -1] = dh_last
    for t in range(T - 2, -1, -1):
        dh[:, t] = (dh[:, t + 1] * (1 - np.tanh(h[:, t + 1]) ** 2)) @ Wh.T
    return dh
""", says="h is already tanh(a): the slope is 1 - h**2, not 1 - tanh(h)**2"),
    _sg("derivative applied after the product with Wh.T", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, -1] = dh_last
    for t in range(T - 2, -1, -1):
        dh[:, t] = (dh[:, t + 1] @ Wh.T) * (1 - h[:, t + 1] ** 2)
    return dh
""", says="the slope is applied after the product with Wh.T; apply it to dh[:, t + 1] first"),
    _sg("not chained: every step starts from dh_last", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, -1] = dh_last
    for t in range(T - 2, -1, -1):
        dh[:, t] = (dh_last * (1 - h[:, t + 1] ** 2)) @ Wh.T
    return dh
""", says="each step starts again from dh_last; chain them: dh[:, t] is computed from dh[:, t + 1]"),
    _sg("loop stops before t = 0", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, -1] = dh_last
    for t in range(T - 2, 0, -1):
        dh[:, t] = (dh[:, t + 1] * (1 - h[:, t + 1] ** 2)) @ Wh.T
    return dh
""", says="your loop stops before step 0"),
    _sg("loop over the later step stops one early, dh for h_0 left at zero", """\
    N, T, H = h.shape
    dh = np.zeros_like(h)
    dh[:, T - 1] = dh_last
    for t in range(T - 1, 1, -1):
        dh[:, t - 1] = (dh[:, t] * (1 - h[:, t] ** 2)) @ Wh.T
    return dh
""", says="dh[:, 0], the gradient on h[:, 0], is still zero"),
    _sg("changes dh_last in place", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    g = dh_last
    dh[:, -1] = g
    for t in range(T - 2, -1, -1):
        g *= 1 - h[:, t + 1] ** 2
        g = g @ Wh.T
        dh[:, t] = g
    return dh
"""),
    _sg("calls the rnnlib reference", """\
    import rnnlib
    return rnnlib.state_gradients(dh_last, h, Wh)
"""),
    _sg("only the gradient at h[:, 0] returned", """\
    g = dh_last
    for t in range(h.shape[1] - 2, -1, -1):
        g = (g * (1 - h[:, t + 1] ** 2)) @ Wh.T
    return g
""", says="state_gradients(dh_last (1, 2), h (1, 3, 2), Wh (2, 2)) has shape (1, 2), expected (1, 3, 2)."),
    _sg("list of per-step gradients, stacked at the end", """\
    grads = [dh_last]
    for t in reversed(range(h.shape[1] - 1)):
        grads.append(np.dot(grads[-1] * (1.0 - np.square(h[:, t + 1])), Wh.T))
    return np.stack(grads[::-1], axis=1)
""", kind="correct"),
    _sg("einsum, one sequence at a time", """\
    N, T, H = h.shape
    dh = np.empty_like(h, dtype=float)
    for n in range(N):
        dh[n, T - 1] = dh_last[n]
        for t in range(T - 1, 0, -1):
            slope = 1 - h[n, t] * h[n, t]
            dh[n, t - 1] = np.einsum("j,kj->k", dh[n, t] * slope, Wh)
    return dh
""", kind="correct"),
    _sg("Jacobian matrices written out", """\
    N, T, H = h.shape
    dh = np.zeros((N, T, H))
    dh[:, T - 1] = dh_last
    for t in range(T - 1, 0, -1):
        for n in range(N):
            J = np.diag(1.0 - h[n, t] ** 2) @ Wh.T   # (H, H) Jacobian of step t
            dh[n, t - 1] = dh[n, t] @ J
    return dh
""", kind="correct"),
]

CLIP_GRAD_NORM = [
    _clip("returns the norm after clipping", """\
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
        total = max_norm
    return total
"""),
    _clip("clips each array separately", """\
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    for g in grads.values():
        n = np.linalg.norm(g)
        if n > max_norm:
            g *= max_norm / n
    return total
"""),
    _clip("rebinds the dict entries (not in place)", """\
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    if total > max_norm:
        for k in grads:
            grads[k] = grads[k] * (max_norm / total)
    return total
""", says="an optimiser that holds the original arrays (as PyTorch's does, see 'Why in place?' below) never sees "
          "the new ones and steps with the unclipped gradient"),
    _clip("rebinds the loop variable (g = g * s)", """\
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    if total > max_norm:
        for g in grads.values():
            g = g * (max_norm / total)
    return total
""", says="W is unchanged (g = g * s in a loop makes a new array and leaves grads alone; use g *= s)"),
    _clip("clips even when the norm is below max_norm", """\
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    for g in grads.values():
        g *= max_norm / total
    return total
"""),
    _clip("sum of norms instead of sqrt of sum of squares", """\
    total = sum(np.linalg.norm(g) for g in grads.values())
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total
"""),
    _clip("forgot the square root", """\
    total = sum(np.sum(g ** 2) for g in grads.values())
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total
"""),
    _clip("clips each entry (value clipping)", """\
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    for g in grads.values():
        np.clip(g, -max_norm, max_norm, out=g)
    return total
"""),
    _clip("scale factor upside down", """\
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    if total > max_norm:
        for g in grads.values():
            g *= total / max_norm
    return total
"""),
    _clip("spectral norm of matrices instead of all entries", """\
    total = np.sqrt(sum(np.linalg.norm(g, 2) ** 2 if g.ndim == 2 else np.sum(g ** 2) for g in grads.values()))
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total
"""),
    _clip("norm of the largest array only", """\
    total = max(np.sqrt(np.sum(g ** 2)) for g in grads.values())
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
    return total
"""),
    _clip("norm recomputed while scaling", """\
    for g in grads.values():
        total = np.sqrt(sum(np.sum(v ** 2) for v in grads.values()))
        if total > max_norm:
            g *= max_norm / total
    return np.sqrt(sum(np.sum(v ** 2) for v in grads.values()))
"""),
    _clip("forgot to return the norm", """\
    total = np.sqrt(sum(np.sum(g ** 2) for g in grads.values()))
    if total > max_norm:
        for g in grads.values():
            g *= max_norm / total
"""),
    _clip("calls the rnnlib reference", """\
    from rnnlib import clip_grad_norm as reference
    return reference(grads, max_norm)
"""),
    _clip("np.multiply with out=, >= comparison", """\
    squares = [np.vdot(g.ravel(), g.ravel()) for g in grads.values()]
    total = float(np.sqrt(np.sum(squares)))
    if total >= max_norm:
        for key in grads:
            np.multiply(grads[key], max_norm / total, out=grads[key])
    return total
""", kind="correct"),
    _clip("concatenated vector and slice assignment", """\
    flat = np.concatenate([g.ravel() for g in grads.values()])
    total = np.linalg.norm(flat)
    scale = min(1.0, max_norm / total) if total > 0 else 1.0
    if scale < 1.0:
        for g in grads.values():
            g[...] = g * scale
    return total
""", kind="correct"),
]

VARIANTS = STATE_GRADIENTS + CLIP_GRAD_NORM
