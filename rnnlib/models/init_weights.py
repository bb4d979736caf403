"""Random orthogonal matrices, the starting point of recurrent weights.

An orthogonal Wh keeps the size of a vector it multiplies: every singular value is 1, so a state (and the
gradient flowing back through Wh^T) neither grows nor shrinks from the weights alone at the start of training.
"""
import numpy as np


def orthogonal(n, rng):
    """A random (n, n) orthogonal matrix, uniformly distributed over all of them.

    The Q of a QR decomposition of a Gaussian matrix is orthogonal, but its distribution depends on the signs
    numpy's QR gives the diagonal of R; multiplying each column of Q by the sign of R's diagonal entry removes
    that bias (Mezzadri, "How to generate random matrices from the classical compact groups", 2007).
    """
    q, r = np.linalg.qr(rng.standard_normal((n, n)))
    return q * np.sign(np.diag(r))


def orthogonal_blocks(n, blocks, rng):
    """(n, blocks * n): `blocks` independent random orthogonal matrices side by side, one per gate."""
    return np.concatenate([orthogonal(n, rng) for _ in range(blocks)], axis=1)
