"""Dot-product attention reference: values by hand, masks, stability, gradients."""
import warnings

import numpy as np
import pytest

from rnnlib.layers.attention import attention_backward, attention_forward
from rnnlib.analysis.gradcheck import check_layer, numerical_gradient


def test_attention_by_hand():
    # keys are the unit vectors, so the scores are the entries of the query
    query = np.array([[1.0, 2.0, 0.0]])
    keys = np.eye(3)[None]
    context, weights, cache = attention_forward(query, keys)
    e = np.exp([1.0, 2.0, 0.0])
    np.testing.assert_allclose(weights, [e / e.sum()])
    np.testing.assert_allclose(context, [e / e.sum()])
    assert cache[0] is query and cache[1] is keys and cache[2] is weights


def test_attention_mask_gives_exact_zeros_and_renormalises(rng):
    query, keys = rng.standard_normal((3, 4)), rng.standard_normal((3, 5, 4))
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0]], dtype=bool)
    _, weights, _ = attention_forward(query, keys, mask)
    assert np.all(weights[~mask] == 0.0)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0)
    # the same as attention over the real positions only
    for n in range(3):
        _, w, _ = attention_forward(query[n:n + 1], keys[n:n + 1, mask[n]])
        np.testing.assert_allclose(weights[n, mask[n]], w[0])


def test_attention_no_overflow_and_float32():
    query = np.array([[1e3, -1e3]])
    keys = np.array([[[10.0, 0.0], [0.0, 10.0], [-10.0, 0.0]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        context, weights, _ = attention_forward(query, keys, np.array([[True, True, False]]))
    np.testing.assert_allclose(weights, [[1.0, 0.0, 0.0]])
    c32, w32, _ = attention_forward(query.astype(np.float32), keys.astype(np.float32))
    assert c32.dtype == np.float32 and w32.dtype == np.float32


def test_attention_gradients(rng):
    N, S, H = 3, 5, 4
    query, keys = rng.standard_normal((N, H)), rng.standard_normal((N, S, H))
    check_layer(attention_forward, attention_backward, [query, keys], tol=1e-5)
    mask = np.ones((N, S), dtype=bool)
    mask[0, 3:] = False
    mask[2, :1] = False
    check_layer(lambda q, k: attention_forward(q, k, mask), attention_backward, [query, keys], tol=1e-5)
    # padded keys get no gradient at all
    _, _, cache = attention_forward(query, keys, mask)
    _, dkeys = attention_backward(rng.standard_normal((N, H)), cache)
    assert np.all(dkeys[~mask] == 0.0)


def test_attention_weights_gradient_through_scores(rng):
    # d(sum(weights * g)) / dquery by finite differences: checks the softmax Jacobian on its own
    query, keys = rng.standard_normal((2, 3)), rng.standard_normal((2, 4, 3))
    g = rng.standard_normal((2, 4))
    num = numerical_gradient(lambda: attention_forward(query, keys)[1], query, g)
    # the same gradient through the backward: weights enter context linearly, so use keys = one-hot trick
    _, weights, _ = attention_forward(query, keys)
    ds = weights * (g - (weights * g).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(np.einsum("ns,nsh->nh", ds, keys), num, rtol=1e-6, atol=1e-9)


def test_attention_shape_errors():
    with pytest.raises(ValueError, match=r"keys has shape \(2, 3, 5\) but should be \(N, S, H\) = \(2, 3, 4\)"):
        attention_forward(np.zeros((2, 4)), np.zeros((2, 3, 5)))
    with pytest.raises(ValueError, match="at least one True"):
        attention_forward(np.zeros((2, 4)), np.zeros((2, 3, 4)), np.array([[1, 0, 0], [0, 0, 0]], dtype=bool))
