"""The visible test cases of notebook 07 (sequence to sequence with attention): inputs, expected values, hint tables.

One namespace per exercise. A test case holds its inputs and a `Check` for each output: the name it has in the
messages, the right value, and its hints {sentence: the value that slip gives}, in the order the test cell tries
them. Each exercise's sentences (its SLIPS, a short name per slip) stand just above its cases. The checks
themselves, and the sentences of the test's own failures, stay in the notebook's test cells.

    greedy_decode       Exercise 7.1: a toy decoder and its expected outputs
    attention_forward   Exercise 7.2: one query, a batch of two, padding, large scores, the cache
    attention_backward  Exercise 7.3: a zero query, a general query, padding
"""
from types import SimpleNamespace

import numpy as np

import rnnlib
from rnnlib.grading import cache_checked_when_graded, fail, held_back

from . import Case


def Check(name, value, sentences=None, **slips):
    """One expected output: the name it has in the messages, its value, and its hints {sentence: the value that
    slip gives}, built from {slip name: value} and the exercise's {slip name: sentence}."""
    return SimpleNamespace(name=name, value=value, hints={sentences[slip]: wrong for slip, wrong in slips.items()})


# --- Exercise 7.2 attention_forward(query, keys, mask=None) -------------------------------------------------------
# Three cases in a loop (one query, a batch of two, the batch with padding), then large scores and the cache.
# `mask` is () or (mask,): the arguments after query and keys. `label` ends the names of the shape checks.
# The slips the tests of attention_forward recognise, by the short name the checks below give them.
FORWARD_SLIPS = {
    "batch_axis_one": "softmax over the batch axis (axis 0): with one example every weight becomes 1; it must run over the source positions (axis 1)",
    "batch_axis": "softmax over the batch axis (axis 0); it must run over the source positions (axis 1)",
    "whole_batch": "the weights are normalised over the whole batch at once; normalise each row separately (axis=1, keepdims=True)",
    "scaled": "the scores are divided by sqrt(H): this course's attention does not scale them",
    "raw": "weights are the raw scores: apply a softmax over the source positions",
    "unmasked": "the mask is ignored: padded positions must get weight 0",
    "not_renormalised": "the weights are multiplied by the mask after the softmax but not renormalised: the real positions must sum to 1 (mask the scores with -inf before the softmax)",
    "not_renormalised_context": "the weights are multiplied by the mask after the softmax but not renormalised",
    "mask_times_scores": "the mask multiplies the scores, which sets them to 0, not to minus infinity: a score of 0 still gets weight",
    "mask_inverted": "the mask is inverted: True marks a REAL position, False marks padding"}
attention_forward = SimpleNamespace(cases=[
    # N = 1 query, S = 3 keys that are unit vectors (H = 2): the scores are e = [1, 2, -1].
    Case(query=np.array([[1.0, 2.0]]),                                     # (1, 2)
         keys=np.array([[[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]]]),           # (1, 3, 2)
         mask=(), label="",
         weights=Check("weights for the scores [1, 2, -1]", np.array([[0.259496460342, 0.705384512698, 0.035119026959]]), FORWARD_SLIPS,
                       batch_axis_one=np.array([[1.0, 1.0, 1.0]]),
                       scaled=np.array([[0.305695250839, 0.619985118045, 0.074319631116]]),
                       raw=np.array([[1.0, 2.0, -1.0]])),
         context=Check("context (weighted sum of the keys)", np.array([[0.224377433383, 0.705384512698]]), FORWARD_SLIPS,
                       scaled=np.array([[0.231375619723, 0.619985118045]]))),
    # A batch of two (N = 2, S = 3, H = 2): each example attends over its own keys only.
    Case(query=np.array([[0.5, -1.0], [2.0, 1.0]]),                                                  # (2, 2)
         keys=np.array([[[1.0, 2.0], [0.0, -1.0], [1.5, 0.5]], [[-1.0, 0.5], [0.5, 0.5], [1.0, -2.0]]]),  # (2, 3, 2)
         mask=(), label="",
         weights=Check("weights for a batch of two", np.array([[0.052806405289, 0.643313713523, 0.303879881188], [0.039112573271, 0.785597034589, 0.17529039214]]), FORWARD_SLIPS,
                       batch_axis=np.array([[0.5, 0.377540668798, 0.562176500886], [0.5, 0.622459331202, 0.437823499114]]),
                       whole_batch=np.array([[0.022469727453, 0.273737319, 0.129304353733], [0.022469727453, 0.451316540419, 0.100702331941]]),
                       scaled=np.array([[0.097044738259, 0.568464601238, 0.334490660503], [0.081763328645, 0.682081520053, 0.236155151302]])),
         context=Check("context for a batch of two", np.array([[0.508626227071, -0.38576096235], [0.528976336164, 0.06177401965]]))),
    # The same batch with padding: position 2 of example 0 and position 1 of example 1 are padding.
    Case(query=np.array([[0.5, -1.0], [2.0, 1.0]]),
         keys=np.array([[[1.0, 2.0], [0.0, -1.0], [1.5, 0.5]], [[-1.0, 0.5], [0.5, 0.5], [1.0, -2.0]]]),
         mask=(np.array([[True, True, False], [True, False, True]]),),       # (2, 3), True = a real position
         label=" with a mask",
         weights=Check("weights with a mask", np.array([[0.075858180021, 0.924141819979, 0.0], [0.182425523806, 0.0, 0.817574476194]]), FORWARD_SLIPS,
                       unmasked=np.array([[0.052806405289, 0.643313713523, 0.303879881188], [0.039112573271, 0.785597034589, 0.17529039214]]),
                       not_renormalised=np.array([[0.052806405289, 0.643313713523, 0.0], [0.039112573271, 0.0, 0.17529039214]]),
                       scaled=np.array([[0.145820249994, 0.854179750006, 0.0], [0.257183315227, 0.0, 0.742816684773]]),
                       batch_axis=np.array([[0.5, 1.0, 0.0], [0.5, 0.0, 1.0]]),
                       mask_times_scores=np.array([[0.05661173224, 0.689672086125, 0.253716181635], [0.100367564683, 0.449816217658, 0.449816217658]]),
                       mask_inverted=np.array([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])),
         context=Check("context with a mask", np.array([[0.075858180021, -0.772425459936], [0.635148952387, -1.543936190484]]), FORWARD_SLIPS,
                       unmasked=np.array([[0.508626227071, -0.38576096235], [0.528976336164, 0.06177401965]]),
                       not_renormalised_context=np.array([[0.052806405289, -0.537700902944], [0.136177818869, -0.331024497645]]))),
])
# Large scores: one query (1000, 0), four keys (S = 4, H = 2): scores [1000, 500, -1000, 0].
attention_forward.large = Case(
    query=np.array([[1000.0, 0.0]]),                                          # (1, 2)
    keys=np.array([[[1.0, 0.0], [0.5, 0.0], [-1.0, 0.0], [0.0, 3.0]]]),        # (1, 4, 2)
    weights=np.array([[1.0, 0.0, 0.0, 0.0]]),
    context=np.array([[1.0, 0.0]]),
)
# The cache of the padded batch, passed to rnnlib's reference backward with this dcontext (2, 2).
attention_forward.cache = Case(
    query=np.array([[0.5, -1.0], [2.0, 1.0]]), keys=np.array([[[1.0, 2.0], [0.0, -1.0], [1.5, 0.5]], [[-1.0, 0.5], [0.5, 0.5], [1.0, -2.0]]]), mask=np.array([[True, True, False], [True, False, True]]),
    dcontext=np.array([[1.0, -0.5], [0.25, 2.0]]),
    dquery=np.array([[-0.035051858273, -0.105155574818], [-1.342318068633, 1.677897585791]]),
    dkeys=np.array([[[0.058332250885, -0.002877231738], [0.941667749115, -0.497122768262], [0.0, -0.0]], [[1.387924449585, 1.036010081929], [0.0, 0.0], [-1.137924449585, 0.963989918071]]]),
)



def reference_backward(dcontext, cache):
    """rnnlib.attention_backward on a student's cache: (dquery, dkeys), or a failure saying it cannot use the cache.

    None in a class whose rnnlib holds attention_backward back while notebook 07 is open: then only the cache's
    layout is checked here (a tuple of three arrays shaped like query, keys and weights), and the grader, which
    has the reference, checks the values."""
    try:
        return rnnlib.attention_backward(dcontext, cache)
    except NotImplementedError as error:
        if not held_back(error):
            raise
    except Exception as error:
        fail(f"rnnlib.attention_backward cannot use your cache ({type(error).__name__}: {error}). "
             "The cache must be the tuple (query, keys, weights), in this order.")
    ref = attention_forward.cache
    layout = [np.shape(ref.query), np.shape(ref.keys), np.shape(ref.mask)]
    if not (isinstance(cache, (tuple, list)) and [np.shape(part) for part in cache] == layout):
        fail("The cache must be the tuple (query, keys, weights), in this order, "
             f"with the shapes {', '.join(map(str, layout))}.")
    cache_checked_when_graded("rnnlib.attention_backward")
    return None


# --- Exercise 7.3 attention_backward(dcontext, cache) -------------------------------------------------------------
# N = 2 examples, S = 4 source positions, H = 3; `cache_of(case)` is the case's cache (query, keys, weights), with the
# weights attention_forward gives for `query`, the shared `keys` and `mask` (() or (mask,)); numbers, so that the
# test needs no reference. `checks` are in the order the test cell checks them.
# The slips the tests of attention_backward recognise, by the short name the checks below give them.
BACKWARD_SLIPS = {
    "no_value_part": "dkeys is missing the value part weights[:, :, None] * dcontext[:, None, :]",
    "no_score_part": "dkeys is missing the score part dscores[:, :, None] * query[:, None, :]",
    "query_keys_swapped_long": "query and keys are swapped in the score part of dkeys (it is dscores[:, :, None] * query[:, None, :])",
    "query_keys_swapped": "query and keys are swapped in the score part of dkeys",
    "mean_over_batch": "the weighted mean in the softmax backward is summed over the batch (axis 0), which mixes the examples; sum each example over its source positions: (weights * dweights).sum(axis=1, keepdims=True), shape (N, 1) = (2, 1)",
    "mean_over_all": "the weighted mean in the softmax backward is summed over the whole (N, S) = (2, 4) array at once, which mixes the examples; sum each example over its source positions: (weights * dweights).sum(axis=1, keepdims=True), shape (2, 1)",
    "zero": "dquery is zero: check that dweights uses dcontext (dweights = keys · dcontext, not keys · query) and that dquery uses the keys (dquery = sum over s of dscores[:, s, None] * keys[:, s], not the query)",
    "no_minus_term_long": "the softmax backward misses the minus term: dscores = weights * (dweights - sum(weights * dweights))",
    "no_minus_term": "the softmax backward misses the minus term",
    "diagonal_only_long": "the softmax backward only uses the diagonal of the Jacobian, a * (1 - a); the weights also depend on each other's scores",
    "diagonal_only": "the softmax backward only uses the diagonal of the Jacobian, a * (1 - a)",
    "sign_error_long": "sign error in the softmax backward: it is dweights MINUS the weighted mean",
    "sign_error": "sign error in the softmax backward",
    "from_query": "dquery uses the query instead of the keys: dquery = sum over s of dscores[:, s, None] * keys[:, s]"}
attention_backward = SimpleNamespace(
    # {error pattern: slip} for slips(...): the error numpy raises for a slip, with these sizes
    error_slips={r"shapes \(2,4\) \(2,\)": "the weighted mean sum(weights * dweights) over the source positions has shape (N,) = (2,) and cannot be subtracted from dweights (N, S) = (2, 4): keep the summed axis, (weights * dweights).sum(axis=1, keepdims=True) has shape (2, 1)"},
    keys=np.array([[[1.0, 0.0, -0.5], [0.5, 1.0, 0.0], [-1.0, 0.5, 1.0], [0.0, -0.5, 0.5]], [[0.5, 0.5, 0.5], [-1.0, 1.0, 0.0], [0.0, 0.0, 1.5], [1.0, -1.0, 0.5]]]),  # (2, 4, 3)
    dcontext=np.array([[1.0, -0.5, 0.5], [-0.25, 1.5, 1.0]]),                                                                 # (2, 3)
    cases=[
        # A query of zeros: every weight is 1/4, and dkeys is only the value part, weights * dcontext.
        Case(query=np.zeros((2, 3)), mask=(), checks=[
            Check("dkeys when the query is zero (only the value part weights * dcontext is left)", np.array([[[0.25, -0.125, 0.125], [0.25, -0.125, 0.125], [0.25, -0.125, 0.125], [0.25, -0.125, 0.125]], [[-0.0625, 0.375, 0.25], [-0.0625, 0.375, 0.25], [-0.0625, 0.375, 0.25], [-0.0625, 0.375, 0.25]]]), BACKWARD_SLIPS,
                  no_value_part=np.array([[[0.0, 0.0, 0.0], [-0.0, -0.0, -0.0], [-0.0, -0.0, -0.0], [0.0, 0.0, 0.0]], [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0], [-0.0, -0.0, -0.0]]]),
                  query_keys_swapped_long=np.array([[[0.40625, -0.125, 0.046875], [0.234375, -0.15625, 0.125], [0.46875, -0.234375, -0.09375], [0.25, -0.171875, 0.171875]], [[-0.01953125, 0.41796875, 0.29296875], [-0.3046875, 0.6171875, 0.25], [-0.0625, 0.375, 0.51953125], [-0.5703125, 0.8828125, -0.00390625]]])),
            Check("dquery when the query is zero", np.array([[0.359375, -0.1875, -0.25], [-0.70703125, 0.79296875, 0.05859375]]), BACKWARD_SLIPS,
                  mean_over_batch=np.array([[0.25, -0.3125, -0.18359375], [-0.51171875, 0.67578125, 0.44140625]]),
                  mean_over_all=np.array([[0.26171875, -0.3828125, -0.4453125], [-0.72265625, 0.77734375, -0.01953125]]),
                  zero=np.array([[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]),
                  no_minus_term_long=np.array([[0.375, -0.15625, -0.21875], [-0.609375, 0.890625, 0.546875]]),
                  diagonal_only_long=np.array([[0.28125, -0.1171875, -0.1640625], [-0.45703125, 0.66796875, 0.41015625]]),
                  sign_error_long=np.array([[0.390625, -0.125, -0.1875], [-0.51171875, 0.98828125, 1.03515625]]))]),
        # A general query: first dquery (it only needs the softmax backward), then dkeys (both parts).
        Case(query=np.array([[0.5, -1.0, 0.25], [1.0, 0.5, -0.5]]), mask=(), checks=[                           # (2, 3)
            Check("dquery", np.array([[0.226876768209, -0.130243984933, -0.163705469858], [-0.621989343493, 0.877426582773, 0.023107096738]]), BACKWARD_SLIPS,
                  no_minus_term_long=np.array([[0.338689895614, -0.150938004381, -0.10141476094], [-0.433501764864, 0.895858712751, 0.29606680021]]),
                  diagonal_only_long=np.array([[0.242338398508, -0.098441187395, -0.096548765681], [-0.360449125086, 0.63278478652, 0.233890216371]]),
                  sign_error_long=np.array([[0.450503023019, -0.171632023829, -0.039124052022], [-0.245014186235, 0.914290842728, 0.569026503681]]),
                  from_query=np.array([[0.0, -0.0, 0.0], [0.0, 0.0, 0.0]])),
            Check("dkeys", np.array([[[0.402010218017, -0.292656279834, 0.201005109008], [0.089009700425, -0.012003765822, 0.044504850213], [0.047505791668, 0.071004051693, 0.023752895834], [0.46147428989, -0.266344006037, 0.230737144945]], [[0.152691250861, 0.744194550155, 0.283265334037], [0.150667314044, 0.321021546237, 0.056959821786], [0.087902603621, 0.235293222322, 0.059078963081], [-0.641261168525, 0.199490681286, 0.600695881097]]]), BACKWARD_SLIPS,
                  no_value_part=np.array([[[0.061100780551, -0.122201561101, 0.030550390275], [-0.021667389594, 0.043334779188, -0.010833694797], [-0.063171298351, 0.126342596702, -0.031585649176], [0.023737907394, -0.047475814789, 0.011868953697]], [[0.25543723928, 0.12771861964, -0.12771861964], [0.188465450846, 0.094232725423, -0.094232725423], [0.117339822161, 0.05866991108, -0.05866991108], [-0.561242512287, -0.280621256144, 0.280621256144]]]),
                  no_score_part=np.array([[[0.340909437466, -0.170454718733, 0.170454718733], [0.110677090019, -0.05533854501, 0.05533854501], [0.110677090019, -0.05533854501, 0.05533854501], [0.437736382495, -0.218868191248, 0.218868191248]], [[-0.102745988419, 0.616475930515, 0.410983953677], [-0.037798136802, 0.226788820814, 0.151192547209], [-0.02943721854, 0.176623311241, 0.117748874161], [-0.080018656238, 0.48011193743, 0.320074624953]]]),
                  no_minus_term_long=np.array([[[0.468750476516, -0.426136796833, 0.234375238258], [0.110677090019, -0.05533854501, 0.05533854501], [0.069173181262, 0.027669272505, 0.034586590631], [0.547170478119, -0.437736382495, 0.27358523906]], [[0.359610959467, 0.847654404458, 0.179805479734], [0.226788820814, 0.359082299621, 0.018899068401], [0.147186092701, 0.264934966862, 0.02943721854], [-0.48011193743, 0.280065296834, 0.520121265549]]]),
                  diagonal_only=np.array([[[0.425168259809, -0.338972363418, 0.212584129904], [0.110677090019, -0.05533854501, 0.05533854501], [0.073766713108, 0.018482208813, 0.036883356554], [0.499267192979, -0.341929812215, 0.24963359649]], [[0.169589673015, 0.752643761232, 0.27481612296], [0.186785244733, 0.339080511581, 0.038900856441], [0.126388896652, 0.254536368838, 0.039835816565], [-0.352052230506, 0.344095150296, 0.456091412087]]]),
                  sign_error=np.array([[[0.535490735015, -0.559617313831, 0.267745367508], [0.132344479613, -0.098673324197, 0.066172239807], [0.090840570856, -0.015665506683, 0.045420285428], [0.632866666349, -0.609128758954, 0.316433333174]], [[0.566530668074, 0.951114258762, 0.07634562543], [0.302910327583, 0.397143053006, -0.019161684984], [0.206469581782, 0.294576711402, -0.000204526], [-0.318962706334, 0.360639912382, 0.439546650001]]]),
                  query_keys_swapped=np.array([[[0.463110998567, -0.170454718733, 0.109353938183], [0.089009700425, -0.098673324197, 0.05533854501], [0.237019686721, -0.118509843361, -0.071004051693], [0.437736382495, -0.242606098642, 0.242606098642]], [[0.024972631221, 0.744194550155, 0.538702573317], [-0.226263587649, 0.41525427166, 0.151192547209], [-0.02943721854, 0.176623311241, 0.293758607402], [-0.641261168525, 1.041354449717, 0.03945336881]]]))]),
        # The general query with padding (example 0: position 3; example 1: position 1): padded keys get no gradient.
        Case(query=np.array([[0.5, -1.0, 0.25], [1.0, 0.5, -0.5]]), mask=(np.array([[True, True, True, False], [True, False, True, True]]),), checks=[   # (2, 4)
            Check("dquery with padding", np.array([[0.446391141803, -0.16449263973, -0.342349764107], [-0.373264170778, 0.781708154878, 0.169042178729]]), BACKWARD_SLIPS,
                  no_minus_term=np.array([[0.60236850664, -0.07381574668, -0.375], [-0.199002502503, 0.743716084324, 0.348803252417]])),
            Check("dkeys with padding", np.array([[[0.740583026419, -0.571692026279, 0.37029151321], [0.166616360131, -0.03796973354, 0.083308180065], [0.09280061345, 0.10966175982, 0.046400306725], [0.0, -0.0, 0.0]], [[0.287396521472, 0.930506767811, 0.279967858458], [0.0, 0.0, 0.0], [0.134361500038, 0.292605161507, 0.054201625397], [-0.671758021511, 0.276888070682, 0.665830516145]]]), BACKWARD_SLIPS)]),
    ],
)

# --- Exercise 7.1 greedy_decode(step, state, first_ids, length) ---------------------------------------------------
greedy_decode = Case(
    first_ids=np.array([5, 5, 5]),                       # N = 3 examples, start symbol 5
    state=(0, np.array([0, 1, 3])),                      # the toy's state before the first step: (t, offsets)
    ids=np.array([[4, 3, 2, 1], [5, 0, 3, 4], [1, 0, 5, 4]]),          # (3, 4) for length 4
    ids_hints={"the decoder always reads first_ids; feed back its own previous output": np.array([[4, 5, 0, 1], [5, 0, 1, 2], [1, 2, 3, 4]]),
               "the state is not passed on from one step to the next": np.array([[4, 2, 4, 2], [5, 5, 5, 5], [1, 5, 1, 5]]),
               "the output starts with the start symbol; ids[:, t] must be the output of step t": np.array([[5, 4, 3, 2], [5, 5, 0, 3], [5, 1, 0, 5]])},
    one=Case(state=(0, np.array([2])), first_ids=np.array([0]), ids=np.array([[2, 1, 0, 5, 4, 3]])),  # N = 1, 6 steps
)


def make_toy_step(calls):
    """A toy decoder with V = 6 symbols, for greedy_decode: step(prev_ids (N,), state) -> (scores (N, 6), new state).

    Its state is (t, offset): the step number and one offset per example (N,). It favours the symbol
    (2 * prev + t + offset) mod 6: its scores are minus the distance to it. Every call is appended to
    `calls` as (a copy of prev_ids, the state it got).
    """
    def toy_step(prev_ids, state):
        calls.append((np.array(prev_ids, copy=True), state))
        t, offset = state
        favourite = (2 * np.asarray(prev_ids) + t + offset) % 6
        scores = -np.abs(np.arange(6)[None, :] - favourite[:, None]).astype(float)   # (N, 6), peak at favourite
        return scores, (t + 1, offset)
    return toy_step


def favourites(prev_ids, state):
    """What the toy decoder of make_toy_step favours after reading prev_ids (N,) in `state`: the argmax of its scores (N,)."""
    return make_toy_step([])(prev_ids, state)[0].argmax(axis=1)


_weights = [np.array([[0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]]),
            np.array([[0.3409094374662618, 0.11067709001916892, 0.11067709001916892, 0.4377363824954003], [0.4109839536767612, 0.15119254720903685, 0.11774887416095825, 0.3200746249532436]]),
            np.array([[0.6063160177058281, 0.19684199114708595, 0.19684199114708595, 0.0], [0.48418985050779795, 0.0, 0.13872271476150247, 0.3770874347306995]])]
for _case, _w in zip(attention_backward.cases, _weights):
    _case.weights = _w


def _cache_of(case):
    """A fresh copy of case's cache (query, keys, weights): the student's backward may change what it is given."""
    return (case.query.copy(), attention_backward.keys.copy(), case.weights.copy())


attention_backward.cache_of = _cache_of
