"""The visible test cases of notebook 03 (backpropagation through time): inputs, expected values, hints.

One function per exercise. Each returns a fresh `SimpleNamespace` of numpy arrays, because a function
under test may change its inputs in place (a mistake the tests report): built anew for every run of
a test cell, one wrong answer cannot change the cases of the next test.

    from rnnlib.cases import nb03_bptt
    case = nb03_bptt.affine_backward()
    dh, dW, db = call_own(temporal_affine_backward, case.dscores, case.cache)
    assert_close("dW", dW, case.dW, hints=case.dW_hints)

Next to each expected value `v` stands its hint table `v_hints`: {the sentence that names a typical
mistake: the value that mistake gives instead} (step_backward and lm_loss_and_grads keep one table per
gradient in `hints`). The student reads the sentence in the message of the failing test.
`no_class_axis` is a table for `slips` ({pattern of numpy's error: the likely slip}). The messages of
a few checks stand here too, named by the mistake they report (`dW_transposed`, `loop_runs_forwards`).
The numbers are fixed literals, written down once when the tests were made; only the caches come from
rnnlib's forward passes, which are not exercises of this notebook.
"""
import contextlib
from types import SimpleNamespace as Case

import numpy as np

import rnnlib
from rnnlib.grading import GradingError


def products_do_not_fit(name):
    """The message for value_error_says when the student's `name` raises a ValueError: numpy's words
    ("{error}"), and where to look."""
    return (f"{name} raised ValueError: {{error}}. A matrix product inside it has shapes that do not fit: compare "
            "the shape of each factor with the formulas in the text (is a transpose missing, or one too many?).")


def matches(value, expected):
    """True if `value` has the shape of `expected` and the same entries (np.allclose); False for anything else."""
    try:
        return np.shape(value) == np.shape(expected) and np.allclose(np.asarray(value, dtype=float), expected)
    except (TypeError, ValueError):
        return False


@contextlib.contextmanager
def also_says(when, why):
    """Inside this block, a GradingError whose message holds `when` gets the sentence `why` on a new line."""
    try:
        yield
    except GradingError as error:
        if when not in error.message:
            raise
        raise GradingError(error.message + "\n" + why) from None


def right_with(yours, case):
    """For cache_order: a function of an order of the cache's items, true when `yours` (the student's
    rnn_step_backward, called through call_own) is right on case.cache read in that order."""
    def right(order):
        mine = yours(case.dh_next, tuple(case.cache[k] for k in order))
        right = case.right
        return all(matches(m, r) for m, r in zip(mine, (right.dx, right.dh_prev, right.dWx, right.dWh, right.db)))
    return right


def step_still_right(yours, case):
    """For builds_on: a function that is true when `yours` (the student's rnn_step_backward, called through
    call_own) is right on the last step of rnn_backward's case."""
    def right():
        mine = yours(case.dh_all[:, 2], case.cache[2])
        return all(np.allclose(m, r) for m, r in zip(mine, case.step_last))
    return right


def finite_differences(loss_and_grads, x, y, h0, params):
    """{name: the gradient of loss_and_grads(x, y, h0, params)[0] by central differences} for the six
    gradients of rnn_lm_loss_and_grads (h0 and each of params): the student's own loss, differentiated."""
    return {k: rnnlib.numerical_gradient(lambda: loss_and_grads(x, y, h0, params)[0], h0 if k == "h0" else params[k])
            for k in ["Wx", "Wh", "b", "Wy", "by", "h0"]}


# ------------------------------------------------------------------------------------------ Exercise 3.1
def softmax_loss():
    """temporal_softmax_loss on N = 2 sequences, T = 3 steps, V = 4 classes.

    scores (2, 3, 4), y (2, 3), mask (2, 3) with 3 positions counted. `one_*` are the (1, 1, 3)
    dscores of one position (scores [1, 2, 3], target 0); `dscores` (2, 3, 4) is the right answer
    without a mask (and for scores shifted by +-1000), `dscores_masked` with the mask. Each `*_hints`
    holds the values of typical mistakes; `no_class_axis` names the slip behind numpy's error when an
    (N, T) array meets the (N, T, V) scores. `mask_only_in_dscores` and `exp_overflows` are the messages
    of two checks.
    """
    wrong_axis = "softmax over the wrong axis (it must be over the last axis, the V classes)"
    softmax_only = "dscores is the softmax itself: subtract 1 at the target class"
    not_divided = "dscores not divided by the number of counted positions"
    scores = np.array([[[1.0, 2.0, 0.5, -1.0],
                        [0.0, 0.0, 3.0, 1.0],
                        [2.0, -1.0, 0.0, 0.5]],
                       [[-0.5, 1.5, 1.0, 0.0],
                        [1.0, 1.0, -2.0, 2.5],
                        [0.0, 0.5, 0.5, 0.0]]])
    loss = 1.04464608388
    dscores = np.array([[[0.0373679696747, -0.0650899937335, 0.0226648192989, 0.0050572047599],
                         [0.00671939544211, 0.00671939544211, -0.0317040014127, 0.0182652105285],
                         [-0.048316679519, 0.00589229890146, 0.0160169290317, 0.0264074515858]],
                        [[0.0114788423773, 0.0848178102765, 0.0514446024224, -0.147741255076],
                         [-0.141149208878, 0.0255174577886, 0.0012704394155, 0.114361311674],
                         [0.0314617223998, 0.0518716109335, -0.114795055733, 0.0314617223998]]])
    return Case(
        scores=scores,
        y=np.array([[1, 2, 0],
                    [3, 0, 2]]),
        mask=np.array([[True, True, False],
                       [True, False, False]]),
        no_class_axis={r"shapes \(2,3,4\) \(2,3\)|shapes \(2,3\) \(2,3,4\)":
                       "an (N, T) array met the (N, T, V) scores. A max or sum over the last axis without "
                       "keepdims=True has shape (N, T): write scores.max(axis=-1, keepdims=True) and "
                       ".sum(axis=-1, keepdims=True). If it is the mask, give it a class axis: mask[:, :, None]."},
        # one position: scores [1, 2, 3], target 0
        one_scores=np.array([[[1.0, 2.0, 3.0]]]),
        one_y=np.array([[0]]),
        one_loss=2.40760596444,
        one_loss_hints={"the loss has the wrong sign: it is MINUS the log-probability": -2.40760596444,
                        "the loss is in bits (log base 2); use the natural log (nats)": 3.47344118532,
                        wrong_axis: 0.0},
        one_dscores=np.array([[[-0.90996942683, 0.244728471055, 0.665240955775]]]),
        one_dscores_hints={softmax_only: np.array([[[0.0900305731704, 0.244728471055, 0.665240955775]]]),
                           "dscores has the wrong sign: it is p - onehot(y), not onehot(y) - p":
                               np.array([[[0.90996942683, -0.244728471055, -0.665240955775]]])},
        # no mask: the mean over all N * T = 6 positions
        loss=loss,
        loss_hints={"loss summed instead of averaged over the positions": 6.26787650329, wrong_axis: 0.803716502202},
        dscores=dscores,
        dscores_hints={
            not_divided: np.array([[[0.224207818048, -0.390539962401, 0.135988915794, 0.0303432285594],
                                    [0.0403163726526, 0.0403163726526, -0.190224008476, 0.109591263171],
                                    [-0.289900077114, 0.0353537934087, 0.0961015741901, 0.158444709515]],
                                   [[0.0688730542637, 0.508906861659, 0.308667614534, -0.886447530457],
                                    [-0.846895253268, 0.153104746732, 0.00762263649297, 0.686167870044],
                                    [0.188770334399, 0.311229665601, -0.688770334399, 0.188770334399]]]),
            wrong_axis: np.array([[[0.0407880785091, -0.0260342109198, 0.0120869076135, 0.0129492631914],
                                   [0.0150050955284, 0.0190325332308, -0.0194179876621, 0.0956828321613],
                                   [-0.0557931740375, 0.00700167768901, 0.00733108004868, 0.058034571314]],
                                  [[0.023374063861, 0.0844133985093, 0.100624816025, -0.15491508989],
                                   [-0.0619113801314, 0.0511993142864, 0.00500981459493, 0.143163513113],
                                   [0.0385373162704, 0.031053953871, -0.10563463062, 0.0117515767769]]]),
            softmax_only: np.array([[[0.0373679696747, 0.101576672933, 0.0226648192989, 0.0050572047599],
                                     [0.00671939544211, 0.00671939544211, 0.134962665254, 0.0182652105285],
                                     [0.118349987148, 0.00589229890146, 0.0160169290317, 0.0264074515858]],
                                    [[0.0114788423773, 0.0848178102765, 0.0514446024224, 0.0189254115904],
                                     [0.0255174577886, 0.0255174577886, 0.0012704394155, 0.114361311674],
                                     [0.0314617223998, 0.0518716109335, 0.0518716109335, 0.0314617223998]]])},
        # with the mask: the mean over the 3 counted positions
        loss_masked=0.960556594496,
        loss_masked_hints={"mask ignored": loss,
                           "divided by N * T = 6 instead of the number of counted positions (3)": 0.480278297248,
                           "loss summed instead of averaged over the counted positions": 2.88166978349},
        mask_only_in_dscores="dscores uses the mask, but the loss does not: the padded positions still count in the "
                             "loss. Multiply each position's -log p by the mask before you sum, and divide by the "
                             "number of counted positions M (3 here), as for dscores.",
        dscores_masked=np.array([[[0.0747359393494, -0.130179987467, 0.0453296385978, 0.0101144095198],
                                  [0.0134387908842, 0.0134387908842, -0.0634080028254, 0.036530421057],
                                  [-0, 0, 0, 0]],
                                 [[0.0229576847546, 0.169635620553, 0.102889204845, -0.295482510152],
                                  [-0, 0, 0, 0],
                                  [0, 0, -0, 0]]]),
        dscores_masked_hints={
            "mask ignored: positions that do not count must get a zero gradient": dscores,
            "dscores divided by N * T = 6 instead of the number of counted positions (3)":
                np.array([[[0.0373679696747, -0.0650899937335, 0.0226648192989, 0.0050572047599],
                           [0.00671939544211, 0.00671939544211, -0.0317040014127, 0.0182652105285],
                           [-0, 0, 0, 0]],
                          [[0.0114788423773, 0.0848178102765, 0.0514446024224, -0.147741255076],
                           [-0, 0, 0, 0],
                           [0, 0, -0, 0]]]),
            not_divided: np.array([[[0.224207818048, -0.390539962401, 0.135988915794, 0.0303432285594],
                                    [0.0403163726526, 0.0403163726526, -0.190224008476, 0.109591263171],
                                    [-0, 0, 0, 0]],
                                   [[0.0688730542637, 0.508906861659, 0.308667614534, -0.886447530457],
                                    [-0, 0, 0, 0],
                                    [0, 0, -0, 0]]])},
        mask_all_true=np.ones((2, 3), dtype=bool),
        # +1000 on every score of sequence 0, -1000 on sequence 1: the same softmax as `scores`
        scores_shifted=scores + np.array([[1000.0], [-1000.0]])[:, :, None],
        exp_overflows="scores near +-1000 give inf or NaN: subtract the maximum of each score vector before np.exp.",
    )


def loss_ignores_mask(loss, dscores):
    """True if dscores is right for softmax_loss()'s scores with the mask, but the loss is what it would be
    without the mask (the mean over all 6 positions, or their sum divided by the 3 counted ones)."""
    case = softmax_loss()
    return matches(dscores, case.dscores_masked) and (matches(loss, 1.04464608388) or matches(loss, 2.08929216776))


# ------------------------------------------------------------------------------------------ Exercise 3.2
def affine_backward():
    """temporal_affine_backward with N = 2, T = 3, H = 4, V = 5.

    h (2, 3, 4), W (4, 5), b (5,), cache = (h, W, b) from rnnlib.temporal_affine_forward, and dscores
    (2, 3, 5). `one` (2, 3, 5) is an upstream gradient at position (1, 1) only, `*_one` the gradients it
    gives. `cache_sq` and `dscores_sq` use a square W (H = V = 4, its first four columns), `*_sq` the
    gradients they give. Each `*_hints` holds the values of typical mistakes.
    """
    h = np.array([[[0.5, -0.5, 0.0, 1.0],
                   [0.2, 0.0, -0.4, 0.6],
                   [-1.0, 0.5, 0.5, 0.0]],
                  [[0.0, 1.0, 0.0, -0.5],
                   [0.3, -0.2, 0.1, 0.0],
                   [0.9, 0.0, -0.7, 0.2]]])
    W = np.array([[1.0, -0.5, 0.0, 0.5, 2.0],
                  [0.0, 2.0, -1.0, 0.0, 1.0],
                  [0.5, 0.0, 1.5, -1.0, 0.0],
                  [-1.0, 0.5, 0.5, 0.0, -0.5]])
    b = np.array([0.1, -0.25, 0.4, 0.0, 0.3])
    dscores = np.linspace(-1.0, 1.0, 30).reshape(2, 3, 5) ** 3
    one = np.zeros((2, 3, 5))
    one[1, 1] = [1.0, -2.0, 0.5, 0.0, 3.0]
    return Case(
        h=h, W=W, b=b, cache=rnnlib.temporal_affine_forward(h, W, b)[1], dscores=dscores,
        # the gradients in a wrong shape
        dW_transposed="dW has shape (5, 4) = (V, H): it is transposed. It must have the shape of W, (H, V): use "
                      "h.T @ dscores.",
        db_not_summed_over_time="db has shape (3, 5) = (T, V): db not summed over time; sum over the batch AND the "
                                "time axis.",
        db_not_summed_over_batch="db has shape (2, 5) = (N, V): db not summed over the batch; sum over the batch AND "
                                 "the time axis.",
        # a gradient at one position only
        one=one,
        db_one=[1.0, -2.0, 0.5, 0.0, 3.0],
        dW_one=np.array([[0.3, -0.6, 0.15, 0, 0.9],
                         [-0.2, 0.4, -0.1, 0, -0.6],
                         [0.1, -0.2, 0.05, 0, 0.3],
                         [0, 0, 0, 0, 0]]),
        dW_one_hints={"dW is zero here: it must collect every time step and every sequence, not only the last "
                      "step or the first sequence": np.zeros((4, 5))},
        dh_one=np.array([[[0, 0, 0, 0],
                          [0, 0, 0, 0],
                          [0, 0, 0, 0]],
                         [[0, 0, 0, 0],
                          [8, -1.5, 1.25, -3.25],
                          [0, 0, 0, 0]]]),
        # every position has a gradient
        db=np.array([-0.876788716225, -0.432490056993, 0, 0.432490056993, 0.876788716225]),
        db_hints={"db averaged instead of summed":
                      np.array([-0.146131452704, -0.0720816761655, 0, 0.0720816761655, 0.146131452704])},
        dW=np.array([[-0.16823568002, 0.0462626593956, 0.275226536553, 0.520427241789, 0.783636065439],
                     [0.47418098323, 0.379580958629, 0.295215055968, 0.222657755546, 0.16348353766],
                     [-0.162798802739, -0.266657099512, -0.381831973431, -0.509307474681, -0.65006765345],
                     [-1.09281643364, -0.828689163147, -0.598118004018, -0.398544425766, -0.227409897905]]),
        dW_hints={"dW only uses the last time step: sum over every step":
                      np.array([[0.371638853582, 0.463048915495, 0.581717167576, 0.727446799787, 0.900041002091],
                                [-0.0149452622084, -0.00703185862479, -0.00256263069417, -0.00055352822994, -2.05010455533e-05],
                                [-0.280749518225, -0.356242568371, -0.451023002173, -0.565484439706, -0.700020501046],
                                [0.0759440731477, 0.0997744884989, 0.128131534708, 0.16140883185, 0.2]]),
                  "dW only uses the first sequence of the batch: sum over every sequence":
                      np.array([[-0.526356144163, -0.429747017098, -0.342879986879, -0.26634548362, -0.200733937431],
                                [0.485054737792, 0.396490221001, 0.317766206077, 0.248882693017, 0.189839681824],
                                [0.0975480749518, 0.073545450818, 0.0527901922998, 0.0354791094346, 0.0218090122596],
                                [-1.16874000574, -0.927910123416, -0.723686908032, -0.552921398991, -0.412464635696]]),
                  "dW averaged instead of summed over the N * T positions":
                      np.array([[-0.0280392800033, 0.0077104432326, 0.0458710894256, 0.0867378736316, 0.130606010907],
                                [0.0790301638717, 0.0632634931048, 0.049202509328, 0.0371096259243, 0.0272472562767],
                                [-0.0271331337898, -0.0444428499187, -0.0636386622384, -0.0848845791135, -0.108344608908],
                                [-0.182136072273, -0.138114860525, -0.099686334003, -0.066424070961, -0.0379016496508]])},
        dh=np.array([[[-1.6053548731, -1.3531510107, -0.962114067817, 0.466009266473],
                      [-0.334700069704, -0.319078272992, -0.258108163516, 0.138607568986],
                      [-0.0234941982041, -0.0230431752019, -0.021526097831, 0.0203165361433]],
                     [[0.0663003813194, 0.0269793759482, -0.00635532412153, -0.0118701053754],
                      [0.672721308787, 0.323014473738, 0.0334167042519, -0.0809586288901],
                      [2.53380622412, 1.35708721145, 0.343802533929, -0.309955307721]]]),
        # a square W that is not symmetric
        cache_sq=rnnlib.temporal_affine_forward(h, W[:, :4].copy(), b[:4])[1],
        dscores_sq=dscores[:, :, :4],
        dh_sq=np.array([[[-0.845914141621, -0.973430644963, -0.962114067817, 0.276149083603],
                         [-0.225552503178, -0.264504489729, -0.258108163516, 0.111320677355],
                         [-0.0234121940219, -0.0230021731108, -0.021526097831, 0.0202960350978]],
                        [[0.00651933248596, -0.00291114846857, -0.00635532412153, 0.003075156833],
                         [0.110254622986, 0.0417811308377, 0.0334167042519, 0.0596580425602],
                         [0.533806224117, 0.357087211448, 0.343802533929, 0.190044692279]]]),
        dh_sq_hints={"dh uses W instead of W.T":
                         np.array([[[-0.821456394276, -1.36352453975, -0.403378572307, 0.140657673541],
                                    [-0.260342777482, -0.307310672844, -0.0511706097011, -0.00223461396531],
                                    [-0.031346098651, -0.0137357005207, 0.00582229693714, -0.00982000082004]],
                                   [[-0.0114600844643, 0.009225470499, 0.0136126942474, -0.00510476034278],
                                    [-0.0776784616015, 0.253597933495, 0.21821312887, -0.111095165853],
                                    [-0.106994956743, 1.21140678175, 0.865636147444, -0.450797490672]]])},
        dW_sq=np.array([[-0.16823568002, 0.0462626593956, 0.275226536553, 0.520427241789],
                        [0.47418098323, 0.379580958629, 0.295215055968, 0.222657755546],
                        [-0.162798802739, -0.266657099512, -0.381831973431, -0.509307474681],
                        [-1.09281643364, -0.828689163147, -0.598118004018, -0.398544425766]]),
        dW_sq_hints={"dW is transposed: use h.T @ dscores, not dscores.T @ h":
                         np.array([[-0.16823568002, 0.47418098323, -0.162798802739, -1.09281643364],
                                   [0.0462626593956, 0.379580958629, -0.266657099512, -0.828689163147],
                                   [0.275226536553, 0.295215055968, -0.381831973431, -0.598118004018],
                                   [0.520427241789, 0.222657755546, -0.509307474681, -0.398544425766]])},
    )


# ------------------------------------------------------------------------------------------ Exercise 3.3
def step_backward():
    """rnn_step_backward with N = 2 sequences, D = 3 inputs, H = 4 hidden units; Wh is not symmetric.

    x (2, 3), h_prev (2, 4), Wx (3, 4), Wh (4, 4), b (4,), cache from rnnlib.rnn_step_forward, dh_next
    (2, 4). `right` holds the five gradients; `hints` the hint table of each: the five gradients that each
    wrong tanh derivative gives (missing, from h_prev, tanh applied twice, (1 - h_next)**2), and for dWh
    and dh_prev the slips that show in that gradient only.
    """
    x = np.array([[1.0, 0.0, -1.0],
                  [0.5, 2.0, 0.0]])
    h_prev = np.array([[0.5, -0.5, 0.0, 0.9],
                       [0.0, 0.8, -0.7, 0.5]])
    Wx = np.array([[0.1, -0.2, 0.3, 0.0],
                   [0.0, 0.4, -0.1, 0.2],
                   [-0.3, 0.1, 0.0, 0.5]])
    Wh = np.array([[0.2, 0.5, 0.0, -0.1],
                   [-0.4, 0.1, 0.3, 0.0],
                   [0.0, 0.2, -0.3, 0.6],
                   [0.1, 0.0, 0.4, -0.2]])
    b = np.array([0.25, -0.1, 0.2, 0.05])
    h_next, cache = rnnlib.rnn_step_forward(x, h_prev, Wx, Wh, b)
    tanh_missing = Case(db=np.array([0, 0, 2.25, -0.75]),
                        dWh=np.array([[0.5, -0.25, 0.125, 0],
                                      [-1.3, 0.65, 1.475, -0.6],
                                      [0.7, -0.35, -1.4, 0.525],
                                      [0.4, -0.2, 1.225, -0.375]]),
                        dWx=np.array([[0.5, -0.25, 1.25, -0.375],
                                      [-2, 1, 4, -1.5],
                                      [-1, 0.5, -0.25, 0]]),
                        dh_prev=np.array([[-0.05, -0.375, -0.175, 0.2],
                                          [0.125, 1.05, -0.95, 0.85]]),
                        dx=np.array([[0.275, -0.225, -0.35],
                                     [0.4, -0.15, -0.025]]))
    tanh_from_h_prev = Case(db=np.array([-0.25, -0.195, 1.27, -0.5625]),
                            dWh=np.array([[0.375, -0.1875, 0.125, 0],
                                          [-1.175, 0.3315, 0.691, -0.45],
                                          [0.7, -0.126, -0.714, 0.39375],
                                          [0.175, -0.2475, 0.735, -0.28125]]),
                            dWx=np.array([[0.25, -0.285, 0.76, -0.28125],
                                          [-2, 0.36, 2.04, -1.125],
                                          [-0.75, 0.375, -0.25, 0]]),
                            dh_prev=np.array([[-0.0375, -0.2625, -0.15, 0.175],
                                              [-0.05375, 0.724, -0.6075, 0.4205]]),
                            dx=np.array([[0.225, -0.175, -0.2625],
                                         [0.17, -0.1425, 0.03675]]))
    tanh_twice = Case(db=np.array([-0.423543998987, -0.0852512338752, 1.50062847668, -0.746348865738]),
                      dWh=np.array([[0.287778539908, -0.240508214612, 0.0879258970723, 0],
                                    [-1.08705940295, 0.557120370891, 0.971895448956, -0.59707909259],
                                    [0.699370755162, -0.277035636744, -0.927343677775, 0.522444206016],
                                    [0.0184508324326, -0.235032188627, 0.820654955998, -0.373174432869]]),
                      dWx=np.array([[0.0760065404142, -0.28313383155, 0.838240135412, -0.373174432869],
                                    [-1.9982021576, 0.791530390698, 2.64955336507, -1.49269773148],
                                    [-0.575557079815, 0.481016429224, -0.175851794145, 0]]),
                      dh_prev=np.array([[-0.125396798649, -0.225568936605, -0.148958824088, 0.127896425639],
                                        [0.0726972684877, 0.836649955817, -0.766089285133, 0.579270338282]]),
                      dx=np.array([[0.20651453207, -0.209991751104, -0.220768766867],
                                   [0.218369857811, -0.123441363262, -0.0338675896932]]))
    tanh_squared_difference = Case(db=np.array([-0.891583742829, -0.588323227774, 0.26363571559, -0.858491863724]),
                                   dWh=np.array([[0.0246668554844, -0.358426914371, 0.0189465660632, 0],
                                                 [-0.777400818523, 0.461251395145, 0.161647500708, -0.686793490979],
                                                 [0.658642217658, -0.0899714206776, -0.158019808425, 0.600944304607],
                                                 [-0.426058387027, -0.580903145384, 0.146975110646, -0.429245931862]]),
                                   dWx=np.array([[-0.42112501593, -0.652588528258, 0.150764423858, -0.429245931862],
                                                 [-1.8818349076, 0.257061201936, 0.451485166928, -1.71698372745],
                                                 [-0.0493337109688, 0.716853828742, -0.0378931321264, 0]]),
                                   dh_prev=np.array([[-0.348560172177, -0.0800509276238, -0.154738705386, 0.0200906239474],
                                                     [-0.0380690039032, 0.456942816655, -0.55711177308, 0.167903660751]]),
                                   dx=np.array([[0.159672076483, -0.290530844709, -0.0864854961648],
                                                [-0.0520750905341, -0.142860390704, -0.134117635626]]))
    # {slip: the five gradients it gives}: each wrong tanh derivative makes all five wrong
    tanh_slips = {
        "the tanh derivative is missing": tanh_missing,
        "tanh derivative uses h_prev instead of h_next": tanh_from_h_prev,
        "tanh derivative computed as 1 - tanh(h_next)**2, but h_next is already tanh(a): use 1 - h_next**2": tanh_twice,
        "tanh derivative written as (1 - h_next)**2; it is 1 - h_next**2": tanh_squared_difference}
    # the slips that show in one gradient only
    slips_of = {"dWh": {"dWh transposed (use h_prev.T @ da)":
                            np.array([[0.197445077938, -0.996725509718, 0.699370377807, -0.144149129573],
                                      [-0.240260745742, 0.543045891627, -0.26493700265, -0.243228626156],
                                      [0.0783842257326, 0.816104042639, -0.782677234825, 0.700146774051],
                                      [0, -0.597069577401, 0.522435880226, -0.373168485876]]),
                        "dWh uses h_next; it must use the state that went into the step, h_prev":
                            np.array([[0.277216312343, -0.362440896095, 0.155481558303, -0.022383394537],
                                      [-0.570486114553, 0.281429875018, 0.52027271749, -0.367935146158],
                                      [-0.42228922587, -0.0421177545708, 0.838201237391, -0.495595192253],
                                      [-0.163762155532, 0.257787270266, -0.170871715899, 0.0521584237469]])},
                "dh_prev": {"dh_prev uses Wh instead of Wh.T":
                                np.array([[0.271186627769, 0.180746619083, -0.191186982884, 0.0545720552914],
                                          [-0.425846378063, -0.238080059534, -0.520423459633, 0.920043649601]])}}
    return Case(
        x=x, h_prev=h_prev, Wx=Wx, Wh=Wh, b=b, cache=cache,
        # the gradients in a wrong shape
        db_not_summed_over_batch="db has shape (2, 4) = (N, H): db not summed over the batch. b is shared by all N "
                                 "sequences.",
        dWx_transposed="dWx has shape (4, 3) = (H, D): it is transposed. It must have the shape of Wx, (D, H): use "
                       "x.T @ da.",
        dh_next=np.array([[1.0, -0.5, 0.25, 0.0],
                          [-1.0, 0.5, 2.0, -0.75]]),
        right=Case(db=np.array([-0.604210383848, -0.102040059126, 1.27487878693, -0.746336971751]),
                   dWh=np.array([[0.197445077938, -0.240260745742, 0.0783842257326, 0],
                                 [-0.996725509718, 0.543045891627, 0.816104042639, -0.597069577401],
                                 [0.699370377807, -0.26493700265, -0.782677234825, 0.522435880226],
                                 [-0.144149129573, -0.243228626156, 0.700146774051, -0.373168485876]]),
                   dWx=np.array([[-0.104660113986, -0.291280775305, 0.715823619197, -0.373168485876],
                                 [-1.99820107945, 0.756962864713, 2.23622067093, -1.4926739435],
                                 [-0.394890155877, 0.480521491483, -0.156768451465, 0]]),
                   dh_prev=np.array([[-0.161282714566, -0.158977676059, -0.143134833736, 0.102196396174],
                                     [0.0640543054085, 0.772921459765, -0.707538997219, 0.496601474564]]),
                   dx=np.array([[0.182623849324, -0.20788544174, -0.166519195911],
                                [0.159826760196, -0.109685854954, -0.0355901807224]])),
        hints=Case(**{name: {**slips_of.get(name, {}),
                             **{slip: getattr(wrong, name) for slip, wrong in tanh_slips.items()}}
                      for name in ["dx", "dh_prev", "dWx", "dWh", "db"]}),
    )


# ------------------------------------------------------------------------------------------ Exercise 3.4
def rnn_backward():
    """rnn_backward with N = 2 sequences, T = 3 steps, D = 2 inputs, H = 3 hidden units.

    x (2, 3, 2), h0 (2, 3), Wx (2, 3), Wh (3, 3), b (3,), cache from rnnlib.rnn_forward, and three
    upstream gradients (2, 3, 3): dh_all at every step, dh_last at the last step only, dh_first at the
    first step only. `last`, `first` and `every` hold the gradients each gives, and next to a gradient
    its hint table: the values of typical mistakes ("step_0_only": only step 0's share kept;
    "step_T1_only": only the share of step T - 1).
    """
    no_recurrence = "dh from the next step is not added to the upstream dh[:, t]"
    step_0_only = "is not accumulated over time steps (it holds the share of step 0 only; use +=)"
    step_T1_only = "is not accumulated over time steps (it holds the share of step T-1 only; use +=)"
    x = np.array([[[1.0, -0.5],
                   [0.0, 1.0],
                   [-1.0, 0.5]],
                  [[0.5, 0.5],
                   [2.0, 0.0],
                   [0.0, -1.0]]])
    h0 = np.array([[0.5, -0.25, 0.0],
                   [-0.5, 0.0, 0.75]])
    Wx = np.array([[0.5, -0.3, 0.2],
                   [0.1, 0.4, -0.6]])
    Wh = np.array([[0.3, 0.6, 0.0],
                   [-0.5, 0.2, 0.4],
                   [0.1, 0.0, -0.7]])
    b = np.array([0.1, -0.2, 0.05])
    h, cache = rnnlib.rnn_forward(x, h0, Wx, Wh, b)
    dh_all = np.array([[[1.0, -0.5, 0.5],
                        [0.0, 0.75, -1.0],
                        [0.5, 0.5, 0.25]],
                       [[-1.0, 0.25, 0.0],
                        [0.5, -0.5, 1.0],
                        [1.5, 0.0, -0.5]]])
    dh_last = np.zeros((2, 3, 3))
    dh_last[:, 2] = dh_all[:, 2]
    dh_first = np.zeros((2, 3, 3))
    dh_first[:, 0] = dh_all[:, 0]
    dWh_step_T1_only = np.array([[1.13690130665, 0.173678037702, -0.303191708247],
                                 [-0.436903544966, 0.144567369654, 0.411866134515],
                                 [0.321041995162, -0.231399390482, -0.477595253591]])
    dh0_first = np.array([[-0.0844169416792, -0.188105588949, -0.233639287902],
                          [-0.147117073128, 0.491795490691, -0.0901390858444]])
    # the gradient flowing out of the last step alone (dh_prev of rnn_step_backward(dh_all[:, 2], cache[2]))
    dh_prev_last = np.array([[0.299566008309, -0.044852297262, -0.122503076129],
                             [0.312332213661, -0.720530944527, 0.454070934297]])
    return Case(
        x=x, h0=h0, Wx=Wx, Wh=Wh, b=b, cache=cache, dh_all=dh_all, dh_last=dh_last, dh_first=dh_first,
        time_and_batch_swapped="dx has shape (3, 2, 2) = (T, N, D): time and batch axes swapped; dx[:, t] is step t.",
        # for dh_last, the gradient flowing out of the last step: the dh0 of a loop that runs forwards in time
        dh0_forwards_in_time=dh_prev_last,
        # rnn_step_backward(dh_all[:, 2], cache[2]): (dx, dh_prev, dWx, dWh, db) of the last step, for builds_on
        step_last=(np.array([[0.15360461368, 0.0212548227613],
                             [0.42056506189, 0.404076620524]]),
                   dh_prev_last,
                   np.array([[-0.395517299491, -0.301518030769, -0.231506865826],
                             [-0.843348729125, 0.150759015384, 0.615696570641]]),
                   dWh_step_T1_only,
                   np.array([1.43662467836, 0.301518030769, -0.268436271903])),
        loop_runs_forwards="dh0 is the gradient flowing out of the last step: the loop runs forwards in time. BPTT "
                           "starts at the last step and walks back to step 0 (for t in reversed(range(T))), carrying "
                           "dh_prev backwards.",
        last=Case(dx=np.array([[[0.0510673133473, -0.0669321106085],
                                [0.100378579785, 0.0364117606726],
                                [0.15360461368, 0.0212548227613]],
                               [[-0.13674098995, 0.0498757114858],
                                [0.233100838335, -0.350801856277],
                                [0.42056506189, 0.404076620524]]]),
                  dx_hints={"the loop stops before step 0 (range(T - 1, 0, -1) leaves it out; use reversed(range(T)))":
                                np.array([[[0, 0],
                                           [0.100378579785, 0.0364117606726],
                                           [0.15360461368, 0.0212548227613]],
                                          [[0, 0],
                                           [0.233100838335, -0.350801856277],
                                           [0.42056506189, 0.404076620524]]]),
                            no_recurrence:
                                np.array([[[0, 0],
                                           [0, 0],
                                           [0.15360461368, 0.0212548227613]],
                                          [[0, 0],
                                           [0, 0],
                                           [0.42056506189, 0.404076620524]]])},
                  dh0=np.array([[-0.0563250909975, -0.0133607821187, -0.0296725781158],
                                [-0.0748379213868, 0.0608709716314, 0.0668887688594]]),
                  dh0_hints={"dh0 should be the gradient flowing out of step 0, not zero or the upstream dh[:, 0]":
                                 np.zeros((2, 3))},
                  dWh=np.array([[1.42075043298, -0.0410621519212, -0.159237322067],
                                [-0.557974010302, 0.379162866758, 0.299128227948],
                                [0.190479502741, 0.0165170890573, -0.765963529865]]),
                  dWh_hints={"dWh " + step_0_only:
                                 np.array([[0.12487687742, -0.0470110800523, 0.0868119446138],
                                           [-0.00531516940568, 0.0261263726185, -0.0113566592422],
                                           [-0.171369807913, -0.00786249777691, -0.0961479391941]]),
                             "dWh " + step_T1_only: dWh_step_T1_only,
                             no_recurrence: dWh_step_T1_only,
                             "dWh averaged over the time steps; the shares of the steps are added, not averaged":
                                 np.array([[0.47358347766, -0.0136873839737, -0.0530791073556],
                                           [-0.185991336767, 0.126387622253, 0.0997094093159],
                                           [0.0634931675804, 0.00550569635244, -0.255321176622]])},
                  dWx=np.array([[-0.34011456973, -1.33042433094, 0.331119334717],
                                [-0.768052590097, 0.163228748018, 0.478532962702]]),
                  dWx_hints={"dWx " + step_0_only:
                                 np.array([[-0.092985860986, -0.109747155658, -0.0186719891607],
                                           [-0.12487687742, 0.0470110800523, -0.0868119446138]]),
                             "dWx " + step_T1_only:
                                 np.array([[-0.395517299491, -0.301518030769, -0.231506865826],
                                           [-0.843348729125, 0.150759015384, 0.615696570641]])},
                  db=np.array([1.50375959059, -0.307591709752, -0.110909455667]),
                  db_hints={"db " + step_0_only: np.array([-0.207232399595, -0.114988820843, -0.0827706152901]),
                            "db " + step_T1_only: np.array([1.43662467836, 0.301518030769, -0.268436271903])}),
        first=Case(dx=np.array([[[0.475806019228, -0.356939472307],
                                 [0, 0],
                                 [0, 0]],
                                [[-0.512345521425, -0.00793896290752],
                                 [0, 0],
                                 [0, 0]]]),
                   dx_hints={"the step caches are used in the wrong order: step t needs cache[t]":
                                 np.array([[[0, 0],
                                            [0, 0],
                                            [0.475806019228, -0.356939472307]],
                                           [[0, 0],
                                            [0, 0],
                                            [-0.512345521425, -0.00793896290752]]])},
                   dWh=np.array([[0.721001141108, -0.308250461013, 0.205500307342],
                                 [-0.135152855943, 0.102750153671, -0.102750153671],
                                 [-0.676043143833, 0.154125230507, 0]]),
                   dWh_hints={"dWh " + step_T1_only:
                                  np.array([[0, 0, 0],
                                            [0, 0, 0],
                                            [0, 0, 0]])},
                   dh0=dh0_first),
        every=Case(dx=np.array([[[0.679905612662, -0.563114536934],
                                 [-0.155101629473, 0.51405992802],
                                 [0.15360461368, 0.0212548227613]],
                                [[-0.809082491858, 0.24273554471],
                                 [0.516182598522, -0.850549053519],
                                 [0.42056506189, 0.404076620524]]]),
                   dx_hints={no_recurrence:
                                 np.array([[[0.475806019228, -0.356939472307],
                                            [-0.255480209258, 0.477648167347],
                                            [0.15360461368, 0.0212548227613]],
                                           [[-0.512345521425, -0.00793896290752],
                                            [0.283081760187, -0.499747197242],
                                            [0.42056506189, 0.404076620524]]])},
                   dh0=np.array([[-0.108651019627, -0.208577660803, -0.410129285022],
                                 [-0.198533373252, 0.53059259589, 0.162386194767]]),
                   dh0_hints={no_recurrence: dh0_first,
                              "dh0 is the upstream dh[:, 0]; it must be the gradient flowing out of step 0":
                                  np.array([[1, -0.5, 0.5],
                                            [-1, 0.25, 0]])},
                   dWx=np.array([[0.104518732105, -2.26209036908, 2.11619236659],
                                 [-1.65290981897, 1.12376768061, -0.398866115584]]),
                   dWh=np.array([[2.34290538567, -0.132686149432, 0.229557219644],
                                 [-0.790075121629, 0.382828830144, 0.0406067427997],
                                 [-0.660706003983, 0.68384394506, -1.52985167068]]),
                   dWh_hints={"dWh " + step_0_only:
                                  np.array([[1.00973410629, -0.429965091791, 0.553187357891],
                                            [-0.18730537631, 0.138923946333, -0.173232655552],
                                            [-0.952685030504, 0.228175798687, -0.31008307018]]),
                              "dWh " + step_T1_only: dWh_step_T1_only,
                              no_recurrence:
                                  np.array([[1.89520017157, 0.156757590916, -0.175272272472],
                                            [-0.62216730533, 0.138185912997, 0.212470492006],
                                            [-0.424871432805, 0.354014399563, -1.02754826342]])},
                   db=np.array([1.30874143273, -0.185396658932, 0.480420256897])),
    )


# ------------------------------------------------------------------------------------------ Exercise 3.5
def lm_problem(T, seed):
    """A tiny language-model problem: x (2, T, 3), y (2, T) in [0, 5), h0 (2, 4), and params with
    Wx (3, 4), Wh (4, 4), b (4,), Wy (4, 5), by (5,). Wh is not symmetric, h0 is not zero."""
    rng = np.random.default_rng(seed)
    params = {"Wx": 0.8 * rng.standard_normal((3, 4)), "Wh": 0.8 * rng.standard_normal((4, 4)),
              "b": 0.3 * rng.standard_normal(4), "Wy": rng.standard_normal((4, 5)), "by": 0.3 * rng.standard_normal(5)}
    return rng.standard_normal((2, T, 3)), rng.integers(0, 5, size=(2, T)), 0.5 * rng.standard_normal((2, 4)), params


def lm_loss_and_grads():
    """The gradients of rnn_lm_loss_and_grads for lm_problem(1, 301) (`t1`) and lm_problem(3, 303) (`t3`).

    Each holds the loss, `grads` (the dict of the six right gradients) and `hints`, the hint tables of
    some of them: what a bug gives instead (the tanh derivative taken at the previous state, the bias
    gradient added to dWh, da @ Wh where da @ Wh.T belongs, only step 0's share kept).
    `why_params_unchanged` is said when the function changed an array of params.
    """
    h0_lost = ("grads['h0'] is all zeros: the gradient with respect to the previous state is computed, but it never "
               "reaches the variable that the next iteration of the loop (and grads['h0']) reads")
    Wh_not_transposed = ("the gradient passed back to the previous state is da @ Wh; it must be da @ Wh.T (the "
                         "forward step computes h_prev @ Wh, and the matrix chain rule gives da @ Wh.T)")
    look_at_da = ("with a single step, only the output layer and the tanh derivative lie between the loss and Wx, "
                  "and the output-layer gradients are right: look at how da is computed")
    return Case(
        why_params_unchanged="Why it matters: this function only computes the loss and the gradients; updating the "
                             "parameters is the optimiser's job (section 9). A gradient check calls it many times on "
                             "the same params, and each call would see other weights.",
        t1=Case(loss=4.08400209486,
                grads={
                    "Wy": np.array([[0.00646722323066, -0.459373971364, 0.825091961316, 0.100143411948, -0.472328625131],
                                    [-0.00290501242527, 0.136436960691, -0.551394829817, -0.0428361157122, 0.460698997264],
                                    [-0.00590587825618, 0.410693406254, -0.776250028965, -0.0911805868558, 0.462643087823],
                                    [-0.000217220496448, -0.0581330394219, -0.217931257889, -0.00110408755188, 0.27738560536]]),
                    "by": np.array([0.00659468025367, -0.468239834624, 0.841837965113, 0.102111292906, -0.482304103648]),
                    "Wx": np.array([[0.0771211441448, -0.0727200551266, -0.101175517213, -0.69391335487],
                                    [0.00513889054013, 0.0254409102444, -0.0553722197326, -0.109382004515],
                                    [-0.0559342962126, 0.116231665426, -0.0285632230493, 0.370912625842]]),
                    "b": np.array([0.0713323636064, -0.0262214998221, -0.159478502244, -0.727391320781]),
                    "Wh": np.array([[-0.0279000365593, -0.0274592751563, 0.122934975696, 0.363134306726],
                                    [0.0165723449131, -0.0594568572572, 0.048636035535, -0.0577322969495],
                                    [0.0214556276312, -0.0381356479233, 0.000601072712389, -0.155722838306],
                                    [0.0190937791372, -0.0972722817418, 0.102230054951, -0.00653571129414]]),
                    "h0": np.array([[0.0186744918603, 0.267446514175, -0.106980628832, 0.08472317598],
                                    [0.119575406635, 0.131914784478, -0.0480588067566, -0.0815138786535]]),
                },
                hints={
                    "Wx": {look_at_da:
                               np.array([[1.64727703031, -0.501383952789, -0.655093012343, -0.270249670401],
                                         [-0.076401582859, 0.0501614899665, -0.224232109163, 0.0282269375026],
                                         [-1.58499290254, 0.538831412853, 0.0965752965275, 0.292927713431]])},
                    "b": {"grads['b'] is all zeros: the bias gradient is computed but added to some other array "
                          "(check where each += goes)": np.zeros(4),
                          look_at_da: np.array([1.2713642522, -0.350506178155, -0.850619041521, -0.187313554601])},
                    "Wh": {"grads['Wh'] has an extra term: something that is not a share of dWh is added to it "
                           "(numpy broadcasting lets an (H,) vector be added to an (H, H) matrix without an error)":
                               np.array([[0.043432327047, -0.0536807749785, -0.0365435265482, -0.364257014055],
                                         [0.0879047085195, -0.0856783570793, -0.110842466709, -0.78512361773],
                                         [0.0927879912376, -0.0643571477455, -0.158877429532, -0.883114159087],
                                         [0.0904261427436, -0.123493781564, -0.0572484472936, -0.733927032075]])},
                    "h0": {h0_lost: np.zeros((2, 4)),
                           Wh_not_transposed:
                               np.array([[-0.228445590728, 0.692122238737, -0.007765077241, -0.02349063529],
                                         [-0.057176117578, 0.541958366371, 0.104427803681, -0.10014298797]])},
                }),
        t3=Case(loss=1.83777477989,
                grads={
                    "Wx": np.array([[-0.0939948014071, -0.173471475557, 0.0468691097861, 0.244690593042],
                                    [0.664315400144, 0.309771636971, -0.0500566904895, -0.397658505599],
                                    [-0.225095899034, 0.364774846592, -0.164242898688, -0.151251528133]]),
                    "Wh": np.array([[-0.833499481435, -0.249758711732, -0.322683119162, 0.0617211990653],
                                    [0.127157702162, -0.0432296481977, 0.0698780677624, 0.144011514817],
                                    [-0.361641863643, -0.355042991743, -0.200475644961, 0.322606759031],
                                    [-0.097616375304, 0.0410339645879, 0.0324083422167, -0.0154233744521]]),
                    "b": np.array([0.70248000035, 0.393356160118, -0.48243913592, -0.662288015045]),
                    "Wy": np.array([[0.000653977944142, -0.192719550467, 0.110370016537, -0.0595130564179, 0.141208612404],
                                    [0.0392150274782, 0.0554315323116, 0.0118246380485, -0.0374033925394, -0.0690678052988],
                                    [-0.0141695052581, 0.0560519898609, 0.046393618527, -0.0858128982406, -0.00246320488915],
                                    [0.0115420962109, 0.0661950232188, -0.0969587792696, 0.0888541619247, -0.0696325020848]]),
                    "by": np.array([0.22321185641, -0.198126474501, -0.269069922578, 0.0253526017166, 0.218631938952]),
                    "h0": np.array([[-0.193984312054, -1.74367764064, 0.158539010614, 1.02337333988],
                                    [-0.39683138076, -0.160529968932, 0.333165351151, 0.0422554994137]]),
                },
                hints={
                    "h0": {h0_lost: np.zeros((2, 4)),
                           Wh_not_transposed:
                               np.array([[-1.035455816497, 0.333625171109, 0.238922294985, -0.053173202984],
                                         [0.083326315111, -0.249629309966, 0.3211134928, 0.01412574472]])},
                    "Wx": {"grads['Wx'] was right for T = 1, and here it equals the share of step 0 alone: the "
                           "shares of the other steps are lost":
                               np.array([[0.0781225985539, 0.0209978358174, 0.00602385941046, -0.0186726959595],
                                         [0.497038890359, 0.0868051385708, -0.259516104118, -0.233036216766],
                                         [-0.263028741364, -0.0555626301063, 0.0760578635849, 0.0998188646866]])},
                }),
    )
