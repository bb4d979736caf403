"""Visible test cases of notebook 04 (vanishing gradients): inputs, expected values and hint arrays.

- `state_gradients()`  Exercise 4.1, `state_gradients(dh_last, h, Wh)`, three cases, each a namespace:
    - `zero_states`:  N = 1, T = 3, H = 2; every state is 0, so every slope 1 - h**2 is 1 and only Wh acts.
    - `identity_Wh`:  N = 1, T = 3, H = 2; Wh is the identity, so only the tanh derivative acts.
    - `full`:         N = 2, T = 4, H = 3; everything at once.
  Each has the inputs `dh_last` (N, H), `h` (N, T, H), `Wh` (H, H), the `expected` dh (N, T, H), the dh a
  typical slip gives (`stops_early`, `Wh_not_transposed`, ...), for the hints, and the names the messages give
  the call (`call`, in a wrong shape's message) and its dh (`what`), and `hints`, the hint table the test
  passes to assert_close: {the sentence that names a slip: the dh it gives}.

(Exercise 4.2, `clip_grad_norm`, checks a few short arrays that it scales in place; they stay in its test cell.)
Each call builds new arrays: a test may hand them to code that changes them in place.
The expected values are fixed numbers, not calls to a reference.
"""
from types import SimpleNamespace

import numpy as np


# A loop that stops at t = 1 gets every step right but leaves dh[:, 0] at zero.
STOPS_EARLY = ("your loop stops before step 0: every later step is right, but dh[:, 0], the gradient on h[:, 0], "
               "is still zero. range(T - 2, 0, -1) stops at t = 1 (range never reaches its stop value); "
               "use range(T - 2, -1, -1)")


def _first_step_left_at_zero(expected):
    """What a loop that stops at t = 1 returns: every step right except dh[:, 0], still zero."""
    wrong = expected.copy()
    wrong[:, 0] = 0.0
    return wrong


def state_gradients():
    """Exercise 4.1: the three cases zero_states, identity_Wh and full."""
    zero_states = SimpleNamespace(
        call="state_gradients(dh_last (1, 2), h (1, 3, 2), Wh (2, 2))", what="dh when all states are 0",
        Wh=np.array([[0.5, 1.0], [-0.5, 2.0]]),
        dh_last=np.array([[1.0, -1.0]]),
        h=np.zeros((1, 3, 2)),
        expected=np.array([[[-2.75, -4.75], [-0.5, -2.5], [1.0, -1.0]]]),
        Wh_not_transposed=np.array([[[1.0, -1.0], [1.0, -1.0], [1.0, -1.0]]]),
        not_chained=np.array([[[-0.5, -2.5], [-0.5, -2.5], [1.0, -1.0]]]),
    )
    identity_Wh = SimpleNamespace(
        call="state_gradients with Wh = I", what="dh when Wh is the identity",
        Wh=np.eye(2),
        dh_last=np.array([[1.0, 2.0]]),
        h=np.array([[[0.5, -0.2], [0.3, 0.6], [0.8, -0.4]]]),
        expected=np.array([[[0.3275999999999999, 1.0752], [0.3599999999999999, 1.68], [1.0, 2.0]]]),
        no_tanh_derivative=np.array([[[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]]),
        slope_of_h_t=np.array([[[0.6825, 1.2288], [0.91, 1.28], [1.0, 2.0]]]),
        slope_1_minus_h=np.array([[[0.13999999999999996, 1.1199999999999999], [0.19999999999999996, 2.8],
                                   [1.0, 2.0]]]),
        slope_of_tanh_h=np.array([[[0.5116120476919623, 1.2177070659649838], [0.559055167732244, 1.7112775721623554],
                                   [1.0, 2.0]]]),
    )
    full = SimpleNamespace(
        call="state_gradients(dh_last (2, 3), h (2, 4, 3), Wh (3, 3))", what="dh for N=2, T=4, H=3",
        h=np.array([[[0.38, -0.55, 0.43], [0.71, 0.29, -0.03], [0.29, 0.88, -0.9], [0.93, -0.46, -0.26]],
                    [[-0.46, -0.62, -0.23], [0.42, 0.37, 0.36], [-0.17, 0.68, -0.79], [0.4, 0.25, 0.64]]]),
        Wh=np.array([[1.14, -2.21, -0.14], [-0.24, -0.88, -1.95], [0.91, 1.05, 0.59]]),
        dh_last=np.array([[0.15, -0.41, 0.1], [0.03, -3.11, 0.77]]),
        expected=np.array([
            [[0.4826828456914967, -1.1838404775959825, 0.5974696150290995],
             [0.7147104278881199, -0.08011355867820001, 0.5971268442606601],
             [0.7244177399999999, 0.09777311999999996, -0.26595345000000004],
             [0.15, -0.41, 0.1]],
            [[4.686894586958492, -11.017359338241851, 6.783754450427805],
             [5.252527662620398, -0.25458468906987025, 5.993405867068199],
             [6.408614129999999, 1.6732164, -2.77025553],
             [0.03, -3.11, 0.77]]]),
        Wh_not_transposed=np.array([
            [[0.14615478483073868, -0.17512754676371403, 0.4703879866558025],
             [0.2934425691574799, -0.30639510551430005, -0.09578563073196004],
             [0.18552905999999997, 0.33757107000000003, 0.6825003],
             [0.15, -0.41, 0.1]],
            [[1.4920446944932988, -5.951158111262791, 1.205216887708891],
             [2.9143645508389495, -1.5160523873892295, -1.967397830833049],
             [1.14217128, 2.9873963999999997, 5.95015947],
             [0.03, -3.11, 0.77]]]),
        no_tanh_derivative=np.array([
            [[0.7605548799999997, -2.18999935, 1.5344702499999998],
             [0.9579759999999999, 0.08888199999999999, 0.965061],
             [1.0631, 0.12979999999999997, -0.235],
             [0.15, -0.41, 0.1]],
            [[-0.6323247300000033, -15.069945909999998, 11.232819009999996],
             [5.427074999999998, 2.715997, 5.834548999999999],
             [6.799499999999999, 1.2281, -2.7839],
             [0.03, -3.11, 0.77]]]),
        slope_of_h_t=np.array([
            [[0.3448174783030228, -0.2682556060379848, 0.1359246143844278],
             [0.17410561105573996, -0.12801476886806998, 0.19571581814569003],
             [0.35837506, 0.011374080000000017, 0.039109549999999986],
             [0.15, -0.41, 0.1]],
            [[-0.30531300772975517, -6.166519279732664, 3.7383144994454227],
             [1.9357373785116287, 1.2323703399472796, 2.779138084896809],
             [3.6876681599999985, 0.8998979099999996, -1.5582503999999995],
             [0.03, -3.11, 0.77]]]),
        slope_after_Wh=np.array([
            [[-0.09272863565320887, -0.08560175387174085, 0.05740471635022652],
             [-0.029080378020420097, 0.06829998128640001, 0.020685747088999975],
             [0.14362480999999988, 0.10233431999999998, -0.21911399999999998],
             [0.15, -0.41, 0.1]],
            [[2.7874604950475437, -4.619067915683752, 4.681008502010696],
             [4.075548945678988, 0.44141620561920014, 2.043661599694889],
             [5.711579999999999, 1.1513437499999999, -1.64361456],
             [0.03, -3.11, 0.77]]]),
        not_chained=np.array([
            [[0.90070849, 0.11777982, -0.26765770000000005],
             [0.35837506, 0.011374080000000017, 0.039109549999999986],
             [0.7244177399999999, 0.09777311999999996, -0.26595345000000004],
             [0.15, -0.41, 0.1]],
            [[5.86651061, 1.0492965599999995, -2.4005460499999995],
             [3.6876681599999985, 0.8998979099999996, -1.5582503999999995],
             [6.408614129999999, 1.6732164, -2.77025553],
             [0.03, -3.11, 0.77]]]),
    )
    for case in (zero_states, identity_Wh, full):
        case.stops_early = _first_step_left_at_zero(case.expected)
    # The hint tables, in the order the test checks them: {the sentence that names a slip: the dh it gives}.
    zero_states.hints = {
        STOPS_EARLY: zero_states.stops_early,
        "Wh not transposed: the step computes h_prev @ Wh, so the gradient goes back through Wh.T":
            zero_states.Wh_not_transposed,
        "each step starts again from dh_last; chain them: dh[:, t] is computed from dh[:, t + 1]":
            zero_states.not_chained,
    }
    identity_Wh.hints = {
        STOPS_EARLY: identity_Wh.stops_early,
        "missing tanh derivative: multiply by 1 - h[:, t + 1]**2 before the product with Wh.T":
            identity_Wh.no_tanh_derivative,
        "the tanh derivative uses h[:, t] instead of h[:, t+1]: the slope belongs to the step "
        "that produced h[:, t + 1]": identity_Wh.slope_of_h_t,
        "the tanh derivative is 1 - h**2, not 1 - h": identity_Wh.slope_1_minus_h,
        "h is already tanh(a): the slope is 1 - h**2, not 1 - tanh(h)**2": identity_Wh.slope_of_tanh_h,
    }
    full.hints = {
        STOPS_EARLY: full.stops_early,
        "Wh not transposed": full.Wh_not_transposed,
        "missing tanh derivative": full.no_tanh_derivative,
        "the tanh derivative uses h[:, t] instead of h[:, t+1]": full.slope_of_h_t,
        "the slope is applied after the product with Wh.T; apply it to dh[:, t + 1] first": full.slope_after_Wh,
        "each step starts again from dh_last; chain them": full.not_chained,
    }
    return SimpleNamespace(zero_states=zero_states, identity_Wh=identity_Wh, full=full)
