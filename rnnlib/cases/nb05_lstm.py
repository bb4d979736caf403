"""Notebook 05 (the LSTM): the inputs of the visible tests, the expected values, and the hint tables: what
each typical slip gives instead, and the sentence that names it.

The numbers are copied from the notebook's tests as they were written; no expected value is computed here
with rnnlib, so none depends on the reference code it checks. Inputs may be: the caches that the backward
tests start from come from rnnlib's forward pass (the contract's layout). The helpers at the top, plumbing
of the test cells, compare a student's step with rnnlib's when a later exercise fails.

One namespace per exercise. A test case holds its inputs, a `what` that names it in the messages, and its
expected outputs, each a check: `check.value`, and `check.hints`, {sentence that names a slip: the value that
slip gives}, ready for assert_close(..., hints=check.hints). Each exercise writes its slips with short names
(order_ifgo=array) and keeps their sentences in one table ({slip name: sentence}, e.g. STEP_FORWARD_SLIPS).
"""
import contextlib
import warnings
from types import SimpleNamespace

import numpy as np

from rnnlib.grading import fail
from . import Case


def checks_saying(sentences):
    """A function check(value, slip=the value that slip gives, ...) for an exercise whose slips are named in
    `sentences` ({slip name: sentence}): it returns an expected output, `.value`, with its hints, `.hints`,
    {sentence: the value that slip gives}, in the order the slips are given (the order assert_close tries them).
    A generic helper: it could live in rnnlib.grading."""
    def check(value, **slips):
        return SimpleNamespace(value=value, hints={sentences[name]: wrong for name, wrong in slips.items()})
    return check


@contextlib.contextmanager
def floating_point_errors_say(message, **values):
    """Inside this block, overflow, division by zero and invalid operations are errors (underflow, a tiny
    result rounded to 0, is harmless and allowed); one of them fails the test with `message`, its "{error}"
    and the names in `values` filled in."""
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
        warnings.filterwarnings("error")        # every warning is an error
        try:
            yield
        except (FloatingPointError, RuntimeWarning, OverflowError) as error:
            fail(message.format(error=error, **values))


def failing_on_overflow(fn, message):
    """fn(x), with overflow, division by zero and invalid operations inside it made errors that fail the test
    with `message` ("{x}": the argument, "{error}": numpy's words). `fn` calls the student's function through
    call_own in the test cell (call_own looks at its caller's namespace)."""
    def checked(x):
        with floating_point_errors_say(message, x=x):
            return fn(x)
    return checked


# The checks of an earlier exercise that a later one builds on (for rnnlib.grading.builds_on): `yours` is the
# student's step, called through call_own in the test cell, compared with the right numbers (computed once with
# rnnlib's step, which a class's rnnlib may hold back while notebook 05 is open).
# lstm_step_forward on the first step of lstm_forward's case from h0 and c_step: (h_next, c_next)
_first_step = (np.array([[0.1982990880621731, -0.3863251105566529],
                         [0.480430185120278, 0.20201323266489596]]),
               np.array([[0.9160494013024596, -0.6327052417178638],
                         [0.7801744728252382, 0.5161234879337958]]))
# lstm_step_backward on the last step of lstm_backward's cache with dc_step: (dx, dh_prev, dc_prev, dWx, dWh, db)
_last_step_grads = (np.array([[0.5110589241203412, -0.37059450756478035],
                              [0.2274976412130509, 0.13126584020549306]]),
                    np.array([[0.6284505258317276, -0.2503978220322688],
                              [0.16203621949792085, 0.055298009187614454]]),
                    np.array([[0.45745000522693835, -0.6008895178093795],
                              [0.5433385453822953, 0.236006817636845]]),
                    np.array([[0.0707403086506449, 0.048172977030594394, -0.1449776790464537, 0.01928401565702621, -0.02065265252485329, -0.023131218893692407, -0.36157757361512893, 0.4782136568442193],
                              [-0.07200234327978691, 0.026700310135006664, -0.001881741070111853, -0.026329412090795645, -0.2172921433735673, 0.003067887819316658, -0.1317390707009101, -0.315720710358181]]),
                    np.array([[-0.020369606983916926, -0.028774126335428668, 0.07115430504087818, -0.004234113617204362, 0.052842440977966955, 0.010689902036084978, 0.20246066535295415, -0.17135555572834985],
                              [0.0018426166116049642, -0.007238465295196857, 0.0129837023891777, 0.0012538456766429103, 0.02618835280447542, 0.0016938251893372127, 0.046629569118528544, -0.006723689410674784]]),
                    np.array([-0.03410811969618043, -0.09895977568089825, 0.2193482596397924, -0.002596611394743667, 0.24827112216084724, 0.03162894052122195, 0.6741054311236034, -0.40159977490814797]))

def step_forward_still_right(yours):
    """True-valued function when `yours` (lstm_step_forward) is right on the first step of lstm_forward's case
    from its h0 and lstm_forward.c_step, a cell state that is not zero, so every gate matters."""
    def right():
        f = lstm_forward
        x, h, c, Wx, Wh, b = f.x[:, 0], f.h0, f.c_step, f.Wx, f.Wh, f.b
        mine = yours(x, h, c, Wx, Wh, b)[:2]
        return all(np.allclose(m, r) for m, r in zip(mine, _first_step))
    return right


def step_backward_still_right(yours):
    """True-valued function when `yours` (lstm_step_backward) is right on the last step of lstm_backward's
    cache with lstm_backward.dc_step, a cell gradient that is not zero, so every path matters."""
    def right():
        dh, dc, cache = lstm_backward.dh_all[:, 2], lstm_backward.dc_step, lstm_backward.cache[2]
        mine = yours(dh, dc, cache)
        return all(np.allclose(m, r) for m, r in zip(mine, _last_step_grads))
    return right


def _only_step(dh, t):
    """dh (N, T, H) with every step but t set to zero: a gradient at step t only."""
    out = np.zeros_like(dh)
    out[:, t] = dh[:, t]
    return out


# ------------------------------------------------------------------------------------ Exercise 5.1, sigmoid
_x = np.array([[-3.0, -0.5, 0.0], [0.5, 2.0, 6.0]])
sigmoid = Case(
    # what an overflow (or a division by zero, an invalid operation) in any call says
    overflowed=("sigmoid({x}) overflowed or divided by zero ({error}). np.exp must never see a large positive "
                "argument: for x >= 0 use 1 / (1 + exp(-x)), for x < 0 exp(x) / (1 + exp(x)). (If you choose "
                "between them with np.where: it computes both for every entry.)"),
    x=_x,                                   # 1. ordinary values, (2, 3)
    s=np.array([[0.0474258731775668, 0.377540668798145, 0.5], [0.622459331201855, 0.880797077977882, 0.997527376843365]]),
    s_hints={                               # the slips on x
        "this is tanh(x), not the logistic sigmoid": np.tanh(_x),
        "the sign is flipped: sigmoid(x) = 1 / (1 + exp(-x)), here it is 1 / (1 + exp(x))": 1 / (1 + np.exp(_x)),
        "this is exp(x), the numerator of one branch only": np.exp(_x),
        "0.5 * (1 + tanh(x)) is missing the halves inside: sigmoid(x) = 0.5 * (1 + tanh(x / 2))": 0.5 * (1 + np.tanh(_x))},
    far_x=np.array([-1000.0, -750.0, -40.0, 40.0, 750.0, 1000.0]),     # 2. far out, (6,)
    far_s=np.array([0.0, 0.0, 4.24835425529159e-18, 1, 1, 1]),
    symmetric_x=np.linspace(-8, 8, 24).reshape(2, 3, 4),      # 3. for sigmoid(-x) + sigmoid(x) = 1, (2, 3, 4)
    # what a result that is not float64 says ({} is its dtype)
    not_float64="sigmoid returned {} for a float64 input; keep float64 (about 16 digits).",
)


# ------------------------------------------------------------------------ Exercise 5.2, lstm_step_forward
# Four cases, N, D, H = 2, 3, 2 (the first with N = 1); b and the columns of Wx, Wh in blocks i | f | o | g.
# The slips, by name: what each gives is in the checks below.
STEP_FORWARD_SLIPS = {
    "order_ifgo": "the gate blocks are in the order i, f, g, o; the contract is i, f, o, g (o is the third block, g the fourth)",
    "i_f_swapped": "the input and forget gates are swapped: either the blocks are read in the order f, i, o, g (the contract is i, f, o, g), or the cell update is i * c_prev + f * g instead of f * c_prev + i * g",
    "no_forget_gate": "the forget gate is not applied: c_next = f * c_prev + i * g, not c_prev + i * g",
    "g_sigmoid": "g got a sigmoid; the candidate g = tanh(a_g) is the only block with tanh",
    "no_input_gate": "the input gate is not applied: c_next = f * c_prev + i * g, not f * c_prev + g",
    "no_bias": "the bias b is missing from a = x @ Wx + h_prev @ Wh + b",
    "no_tanh_on_cell": "tanh is missing on the cell: h_next = o * tanh(c_next), not o * c_next",
    "h_from_c_prev": "h_next uses the old cell state c_prev; it must use the new one, c_next"}
_step_forward_check = checks_saying(STEP_FORWARD_SLIPS)
step_forward = SimpleNamespace(cases=[
    Case(what="bias only: x = 0, h_prev = 0, every weight 0",
         x=np.zeros((1, 3)),
         h_prev=np.zeros((1, 2)),
         c_prev=np.array([[1.5, -2.0]]),
         Wx=np.zeros((3, 8)),
         Wh=np.zeros((2, 8)),
         b=np.array([2.0, -1.0,   0.5, 3.0,   -2.0, 1.0,   1.0, -0.5]),
         c_next=_step_forward_check(np.array([[1.60449890397365, -2.02943069875784]]),
                                    order_ifgo=np.array([[0.0845763211819135, -1.70032403883504]]),
                                    i_f_swapped=np.array([[1.79525700593029, -0.978083690306609]]),
                                    no_forget_gate=np.array([[2.17080990717087, -2.12428244511297]]),
                                    g_sigmoid=np.array([[1.57760325669075, -1.80361192955331]]),
                                    no_input_gate=np.array([[1.69528315275855, -2.36726541090488]]),
                                    no_bias=np.array([[0.75, -1]])),
         h_next=_step_forward_check(np.array([[0.10994597597347, -0.706238371791141]]),
                                    order_ifgo=np.array([[0.0616832386680598, -0.353170254918003]]),
                                    i_f_swapped=np.array([[0.112803229943156, -0.549927961293105]]),
                                    no_tanh_on_cell=np.array([[0.191260957734944, -1.483632722062]]),
                                    no_forget_gate=np.array([[0.116139835182963, -0.710466793261799]]),
                                    h_from_c_prev=np.array([[0.107896316697685, -0.70476063245035]]),
                                    g_sigmoid=np.array([[0.109455313696694, -0.692443174064456]]),
                                    no_input_gate=np.array([[0.111432895232034, -0.718323481223176]]),
                                    no_bias=np.array([[0.317574476193644, -0.380797077977882]])),
    ),
    Case(what="only x: h_prev = 0, c_prev = 0, Wh = 0, b = 0",
         x=np.array([[1.0, -0.5, 2.0], [0.0, 1.0, -1.0]]),
         h_prev=np.zeros((2, 2)),
         c_prev=np.zeros((2, 2)),
         Wx=np.array([[0.5, -0.3, 0.8, 0.1, -0.6, 0.4, 0.9, -0.2],
                     [0.2, 0.7, -0.4, 0.3, 0.5, -0.8, 0.1, 0.6],
                     [-0.1, 0.4, 0.6, -0.5, 0.3, 0.2, -0.7, 0.8]]),
         Wh=np.zeros((2, 8)),
         b=np.zeros(8),
         c_next=_step_forward_check(np.array([[-0.275203028454413, 0.430212065462638], [0.381450953568149, -0.113380775706501]]),
                                    order_ifgo=np.array([[-0.134664607165857, 0.448030866516647], [0.113380775706501, -0.437492063736281]]),
                                    i_f_swapped=np.array([[-0.450593075309721, 0.207509439620486], [0.178586992837776, -0.136183934159575]]),
                                    g_sigmoid=np.array([[0.201164690468899, 0.403212172517569], [0.396350677474764, 0.258594491566864]]),
                                    no_input_gate=np.array([[-0.500520211190235, 0.80049902176063], [0.664036770267849, -0.197375320224904]])),
         h_next=_step_forward_check(np.array([[-0.117537916350915, 0.311635662035307], [0.200121361659813, -0.0303627917514101]]),
                                    order_ifgo=np.array([[-0.0489733077902982, 0.315318590451441], [0.0778963365983096, -0.185271879311361]]),
                                    i_f_swapped=np.array([[-0.184930688068372, 0.157225874862256], [0.0971624456280854, -0.036400748356455]]),
                                    no_tanh_on_cell=np.array([[-0.120490352884736, 0.330628634468339], [0.209734702579032, -0.030492786974539]]),
                                    h_from_c_prev=np.array([[0.0, 0.0], [0.0, 0.0]]),
                                    g_sigmoid=np.array([[0.0869055040370121, 0.294109871082444], [0.207189622810103, 0.068036920172588]]),
                                    no_input_gate=np.array([[-0.202504829599118, 0.510543047642106], [0.319477522187492, -0.0524036631749573]])),
    ),
    Case(what="only h_prev and c_prev: x = 0, Wx = 0, b = 0",
         x=np.zeros((2, 3)),
         h_prev=np.array([[0.5, -0.8], [-0.3, 0.9]]),
         c_prev=np.array([[1.2, -0.4], [0.7, 2.0]]),
         Wx=np.zeros((3, 8)),
         Wh=np.array([[0.6, -0.2, 0.4, 0.9, -0.5, 0.3, 0.8, -0.7],
                     [-0.4, 0.5, 0.1, -0.6, 0.7, 0.2, -0.3, 0.4]]),
         b=np.zeros(8),
         c_next=_step_forward_check(np.array([[1.00326502945916, -0.50768381041344], [0.171722407122884, 0.937780804972828]]),
                                    order_ifgo=np.array([[0.200576855368997, -0.290605395043315], [0.585068897710144, 0.671862236440393]]),
                                    i_f_swapped=np.array([[1.07963871415497, -0.570490884043602], [0.0262830327898222, 1.40828717250523]]),
                                    no_forget_gate=np.array([[1.56730816734168, -0.620853696216251], [0.526972013408318, 2.3219998135764]]),
                                    g_sigmoid=np.array([[1.06168970694662, -0.159033790536612], [0.482891990761103, 1.01488435888143]]),
                                    no_input_gate=np.array([[1.20085641496371, -0.871809997077918], [-0.125194805218472, 1.13114026940383]])),
         h_next=_step_forward_check(np.array([[0.234908741737065, -0.232898949855045], [0.116602736686743, 0.383608871985642]]),
                                    order_ifgo=np.array([[0.129595116651494, -0.0956903228582408], [0.197479301693341, 0.374445224830457]]),
                                    i_f_swapped=np.array([[0.244177200964939, -0.256570558710413], [0.0180176042684837, 0.463511886025905]]),
                                    no_tanh_on_cell=np.array([[0.308895767236863, -0.252572706257327], [0.11774663968177, 0.489976239579342]]),
                                    no_forget_gate=np.array([[0.282211359939726, -0.274481776938871], [0.331226749216458, 0.512528875261423]]),
                                    h_from_c_prev=np.array([[0.25667433019407, -0.189024616637499], [0.414402966274306, 0.503689781270376]]),
                                    g_sigmoid=np.array([[0.242097285291196, -0.0784589719050922], [0.307566421221343, 0.401150622738426]]),
                                    no_input_gate=np.array([[0.256754701084369, -0.349390571704144], [-0.0853978857552548, 0.423948970712193]])),
    ),
    Case(what="everything at once: N=2, D=3, H=2",
         x=np.array([[1.0, -0.5, 2.0], [0.0, 1.0, -1.0]]),
         h_prev=np.array([[0.5, -0.8], [-0.3, 0.9]]),
         c_prev=np.array([[1.2, -0.4], [0.7, 2.0]]),
         Wx=np.array([[0.5, -0.3, 0.8, 0.1, -0.6, 0.4, 0.9, -0.2],
                     [0.2, 0.7, -0.4, 0.3, 0.5, -0.8, 0.1, 0.6],
                     [-0.1, 0.4, 0.6, -0.5, 0.3, 0.2, -0.7, 0.8]]),
         Wh=np.array([[0.6, -0.2, 0.4, 0.9, -0.5, 0.3, 0.8, -0.7],
                     [-0.4, 0.5, 0.1, -0.6, 0.7, 0.2, -0.3, 0.4]]),
         b=np.array([0.1, -0.2, 1.0, 0.5, 0.3, -0.1, 0.2, 0.0]),
         c_next=_step_forward_check(np.array([[1.35986858030477, -0.0892566001192579], [0.555986950158519, 1.46957853879846]]),
                                    order_ifgo=np.array([[0.699733289519554, 0.0540001100922152], [0.743064746020621, 0.744044408379389]]),
                                    i_f_swapped=np.array([[1.13034125850094, 0.0943636596810591], [0.549241786959013, 1.51539414206446]]),
                                    no_forget_gate=np.array([[1.40173827054285, -0.251707358945601], [0.911236556443953, 2.22936567411228]]),
                                    g_sigmoid=np.array([[1.56713162910609, -0.0158816295507529], [0.63313526482849, 1.62344326956972]]),
                                    no_input_gate=np.array([[1.44026512243155, 0.167772067515806], [0.798966826396825, 1.59420457716323]]),
                                    no_bias=np.array([[1.1549370447788, -0.0204616753917249], [0.308378980001603, 1.24000107031568]])),
         h_next=_step_forward_check(np.array([[0.279249664954942, -0.066621184056021], [0.395132323936071, 0.240147581500278]]),
                                    order_ifgo=np.array([[0.345599181572083, 0.0326854805551261], [0.391282966474976, 0.373555129759423]]),
                                    i_f_swapped=np.array([[0.258465465671152, 0.0704111699548915], [0.391187119685982, 0.24238877305852]]),
                                    no_tanh_on_cell=np.array([[0.433317045651732, -0.0667980080620435], [0.435031864845701, 0.392347858970191]]),
                                    no_forget_gate=np.array([[0.28223353831555, -0.184493256832861], [0.564713747092401, 0.260868923746652]]),
                                    h_from_c_prev=np.array([[0.265640927834001, -0.284346858495383], [0.472887432082658, 0.257375939458267]]),
                                    g_sigmoid=np.array([[0.29206106828567, -0.0118845220861406], [0.438334085536041, 0.246988972754571]]),
                                    no_input_gate=np.array([[0.284790446114171, 0.124392620575097], [0.519123168511828, 0.245832780318113]]),
                                    no_bias=np.array([[0.210834999056144, -0.0156866176016651], [0.217377491809483, 0.242645705982994]])),
    ),
])


# ----------------------------------------------------------------------- Exercise 5.3, lstm_step_backward
# N, D, H = 2, 3, 2: the step forward's inputs, the cache that rnnlib.lstm_step_forward makes of them, the
# upstream gradients, and three cases: along the cell path only, through h_next only, both.
# The slips, by name: what each gives is in the checks below.
STEP_BACKWARD_SLIPS = {
    # The cache holds the gates after the sigmoid, so the slope is written with them.
    "sigmoid_again": "you apply sigmoid again to a gate that is already activated: σ'(a) = i * (1 - i) where i is the gate value in the cache (the same for f and o), not sigmoid(i) * (1 - sigmoid(i))",
    "no_forget_gate": "the forget gate is not applied on the way back: dc_prev = dc * f",
    "order_ifgo": "the gradient blocks are in the order i, f, g, o; da must follow the gate order i, f, o, g",
    "no_sigmoid_slope": "the sigmoid derivative s * (1 - s) is missing on the gates i, f, o",
    "no_tanh_slope_on_g": "the tanh derivative 1 - g**2 of the candidate g is missing",
    "o_from_dc": "the output gate's gradient comes from dh_next only (h_next = o * tanh(c_next)), not from dc",
    "no_h_to_c_path": "the path from h_next into the cell is missing: dc = dc_next + dh_next * o * (1 - tanh(c_next)**2)",
    "no_tanh_slope_on_c": "the derivative of tanh(c_next) is missing: dh_next reaches c_next as dh_next * o * (1 - tanh(c_next)**2)",
    "tanh_of_c_prev": "tanh(c_prev) is used where the forward used tanh(c_next)"}
_step_backward_check = checks_saying(STEP_BACKWARD_SLIPS)
_dh_next = np.array([[1.0, -0.5], [0.25, 2.0]])
_dc_next = np.array([[-0.75, 1.5], [0.5, -1.0]])
_zeros = np.zeros((2, 2))
_step = dict(
    x=np.array([[1.0, -0.5, 2.0], [0.0, 1.0, -1.0]]),
    h_prev=np.array([[0.5, -0.8], [-0.3, 0.9]]),
    c_prev=np.array([[1.2, -0.4], [0.7, 2.0]]),
    Wx=np.array([[0.5, -0.3, 0.8, 0.1, -0.6, 0.4, 0.9, -0.2],
                [0.2, 0.7, -0.4, 0.3, 0.5, -0.8, 0.1, 0.6],
                [-0.1, 0.4, 0.6, -0.5, 0.3, 0.2, -0.7, 0.8]]),
    Wh=np.array([[0.6, -0.2, 0.4, 0.9, -0.5, 0.3, 0.8, -0.7],
                [-0.4, 0.5, 0.1, -0.6, 0.7, 0.2, -0.3, 0.4]]),
    b=np.array([0.1, -0.2, 1.0, 0.5, 0.3, -0.1, 0.2, 0.0]))
# the gates and the new cell state that lstm_step_forward computes from _step (numbers: no reference is called)
_step_gates = dict(
    i=np.array([[0.7150421057009898, 0.36586440898919936],
                [0.4650570548417855, 0.6479408020806503]]),
    f=np.array([[0.9651085914682631, 0.5938731029341427],
                [0.49250056244937956, 0.6201064323430902]]),
    o=np.array([[0.31864626621097447, 0.7483817216070642],
                [0.7824497764231124, 0.26697985076114245]]),
    g=np.array([[0.2821348126696342, 0.405321308689463],
                [0.454216432682259, 0.35399171247704597]]),
    c_next=np.array([[1.3598685803047652, -0.0892566001192579],
                     [0.5559869501585192, 1.4695785387984603]]),
)
step_backward = Case(
    **_step,
    cache=tuple(_step[k] for k in ("x", "h_prev", "c_prev", "Wx", "Wh")) + tuple(_step_gates.values()),
    # what a ValueError of the first call says (numpy's words in "{error}")
    shapes_do_not_fit=("lstm_step_backward raised ValueError: {error}. A matrix product has shapes that do not fit: "
                       "compare each factor's shape with the formulas in the text (is a transpose missing, or one "
                       "too many?)."),
    names=("dx", "dh_prev", "dc_prev", "dWx", "dWh", "db"),     # what lstm_step_backward returns, in order
    # what a wrong shape of db or dWx says
    db_not_summed_over_batch="db has shape (2, 8) = (N, 4H): db is not summed over the batch. b is shared by all N "
                             "sequences.",
    dWx_transposed="dWx has shape (8, 3) = (4H, D): it is transposed. It must have the shape of Wx, (D, 4H): use "
                   "x.T @ da.",
    dh_next=_dh_next,
    dc_next=_dc_next,
    cases=[
        Case(what="a gradient along the cell path only (dh_next = 0)", dh_next=_zeros, dc_next=_dc_next,
             checks={
                 "dc_prev": _step_backward_check(np.array([[-0.723831443601197, 0.890809654401214], [0.24625028122469, -0.62010643234309]]),
                                                 no_forget_gate=np.array([[-0.75, 1.5], [0.5, -1]])),
                 "db": _step_backward_check(np.array([0.0133845682345431, 0.0603061671081757, 0.057173717124581, -0.615861594146939, 0.0, 0.0, -0.309038567538951, -0.108109891846172]),
                                            sigmoid_again=np.array([0.00713893458429911, 0.0671976982593096, -0.0973823134078045, -0.592368817019769, 0.0, 0.0, -0.309038567538951, -0.108109891846172]),
                                            order_ifgo=np.array([0.0133845682345431, 0.0603061671081757, 0.057173717124581, -0.615861594146939, -0.309038567538951, -0.108109891846172, 0.0, 0.0]),
                                            no_sigmoid_slope=np.array([0.0155071068389038, 0.253990250557149, -0.55, -2.6, 0.0, 0.0, -0.309038567538951, -0.108109891846172]),
                                            no_tanh_slope_on_g=np.array([0.0133845682345431, 0.0603061671081757, 0.057173717124581, -0.615861594146939, 0.0, 0.0, -0.30375305185485, -0.0991441885968513]),
                                            o_from_dc=np.array([0.0133845682345431, 0.0603061671081757, 0.057173717124581, -0.615861594146939, -0.0997202886999146, -0.201177677485697, -0.309038567538951, -0.108109891846172])),
             }),
        Case(what="a gradient through h_next only (dc_next = 0)", dh_next=_dh_next, dc_next=_zeros,
             checks={
                 "dc_prev": _step_backward_check(np.array([[0.0713430550330844, -0.220460863967442], [0.0717709229267235, 0.0632109406362021]]),
                                                 no_h_to_c_path=np.array([[0.0, 0.0], [0.0, 0.0]]),
                                                 no_tanh_slope_on_c=np.array([[0.307528249159495, -0.222221887594991], [0.0963392387441935, 0.331111845525965]]),
                                                 tanh_of_c_prev=np.array([[0.0938022653923002, -0.190141666142446], [0.0611503288997116, 0.023393325005063]]),
                                                 no_forget_gate=np.array([[0.0739223084985151, -0.371225541076391], [0.145727595862594, 0.101935631271164]])),
                 "db": _step_backward_check(np.array([0.0207167115896697, -0.0266778420537088, 0.0284837037273346, 0.0838408941494941, 0.211758083230071, 0.360447585879707, 0.102439602450691, -0.0557335295542261]),
                                            sigmoid_again=np.array([0.0202850058121728, -0.0282483806944335, 0.0417363612017411, 0.0803984711397685, 0.240806712340409, 0.451532609136989, 0.102439602450691, -0.0557335295542261]),
                                            order_ifgo=np.array([0.0207167115896697, -0.0266778420537088, 0.0284837037273346, 0.0838408941494941, 0.102439602450691, -0.0557335295542261, 0.211758083230071, 0.360447585879707]),
                                            no_sigmoid_slope=np.array([0.0870479253964049, -0.114381253451929, 0.190716087302034, 0.352361478972884, 1.00261104526106, 1.84350421252556, 0.102439602450691, -0.0557335295542261]),
                                            no_tanh_slope_on_g=np.array([0.0207167115896697, -0.0266778420537088, 0.0284837037273346, 0.0838408941494941, 0.211758083230071, 0.360447585879707, 0.120629209668088, -0.0697699585011743]),
                                            no_h_to_c_path=np.array([0.0, 0.0, 0.0, 0.0, 0.211758083230071, 0.360447585879707, 0.0, 0.0]),
                                            no_tanh_slope_on_c=np.array([0.0404220995901185, 0.00792937750405484, 0.0471005891654817, 0.287674634848274, 0.211758083230071, 0.360447585879707, 0.281911481077128, 0.188208255114272]),
                                            tanh_of_c_prev=np.array([0.019617706661807, -0.0270619597672765, 0.0256511020614535, 0.0486626053404076, 0.206714629670948, 0.413096932604904, 0.10979521701862, -0.076514926770183]),
                                            o_from_dc=np.array([0.0207167115896697, -0.0266778420537088, 0.0284837037273346, 0.0838408941494941, 0.0265919432919745, 0.0241669303162012, 0.102439602450691, -0.0557335295542261])),
                 "dh_prev": _step_backward_check(np.array([[0.0687133818345041, 0.0345225121688951], [0.159122886552906, 0.0636905989315131]]),
                                                 order_ifgo=np.array([[0.130929573937243, -0.0827178268788951], [-0.177160395970572, 0.15484868028671]]),
                                                 no_sigmoid_slope=np.array([[-0.0947238147745237, 0.398560017131231], [0.735951480474811, 0.334588188961675]]),
                                                 no_tanh_slope_on_g=np.array([[0.0876984148205858, 0.0243350949312913], [0.164515039603606, 0.0628065624251184]]),
                                                 no_h_to_c_path=np.array([[-0.092619434792691, 0.134863772077137], [0.0948746689415674, 0.0854564033598547]]),
                                                 no_tanh_slope_on_c=np.array([[0.210905056985169, -0.0191073652430317], [0.185548374728318, 0.0500385253261572]]),
                                                 tanh_of_c_prev=np.array([[0.0786782037672905, 0.0400742371965705], [0.154529985114219, 0.0756903387339544]]),
                                                 o_from_dc=np.array([[0.156167167164139, -0.0892511565643838], [0.0633679745232676, -0.00940816140457683]])),
             }),
        Case(what="both gradients", dh_next=_dh_next, dc_next=_dc_next,
             checks={
                 "dc_prev": _step_backward_check(np.array([[-0.652488388568113, 0.670348790433772], [0.318021204151413, -0.556895491706888]]),
                                                 no_h_to_c_path=np.array([[-0.723831443601197, 0.890809654401214], [0.24625028122469, -0.62010643234309]]),
                                                 no_tanh_slope_on_c=np.array([[-0.416303194441703, 0.668587766806223], [0.342589519968883, -0.288994586817125]]),
                                                 tanh_of_c_prev=np.array([[-0.630029178208897, 0.700667988258768], [0.307400610124401, -0.596713107338027]]),
                                                 no_forget_gate=np.array([[-0.676077691501485, 1.12877445892361], [0.645727595862594, -0.898064368728836]])),
                 "db": _step_backward_check(np.array([0.0341012798242128, 0.0336283250544668, 0.0856574208519156, -0.532020699997445, 0.211758083230071, 0.360447585879707, -0.20659896508826, -0.163843421400398]),
                                            sigmoid_again=np.array([0.027423940396472, 0.0389493175648761, -0.0556459522060634, -0.51197034588, 0.240806712340409, 0.451532609136989, -0.20659896508826, -0.163843421400398]),
                                            order_ifgo=np.array([0.0341012798242128, 0.0336283250544668, 0.0856574208519156, -0.532020699997445, -0.20659896508826, -0.163843421400398, 0.211758083230071, 0.360447585879707]),
                                            no_sigmoid_slope=np.array([0.102555032235309, 0.13960899710522, -0.359283912697966, -2.24763852102712, 1.00261104526106, 1.84350421252556, -0.20659896508826, -0.163843421400398]),
                                            no_tanh_slope_on_g=np.array([0.0341012798242128, 0.0336283250544668, 0.0856574208519156, -0.532020699997445, 0.211758083230071, 0.360447585879707, -0.183123842186761, -0.168914147098026]),
                                            no_h_to_c_path=np.array([0.0133845682345431, 0.0603061671081757, 0.057173717124581, -0.615861594146939, 0.211758083230071, 0.360447585879707, -0.309038567538951, -0.108109891846172]),
                                            no_tanh_slope_on_c=np.array([0.0538066678246616, 0.0682355446122305, 0.104274306290063, -0.328186959298665, 0.211758083230071, 0.360447585879707, -0.0271270864618232, 0.0800983632680999]),
                                            tanh_of_c_prev=np.array([0.0330022748963501, 0.0332442073408992, 0.0828248191860346, -0.567198988806531, 0.206714629670948, 0.413096932604904, -0.199243350520331, -0.184624818616355]),
                                            o_from_dc=np.array([0.0341012798242128, 0.0336283250544668, 0.0856574208519156, -0.532020699997445, -0.07312834540794, -0.177010747169496, -0.20659896508826, -0.163843421400398])),
                 "dWx": _step_backward_check(np.array([[-0.0388656192793973, 0.10614728799019, -0.0273194867132937, -0.108898669684287, 0.190267801876384, 0.00838155381833746, -0.444943439073759, 0.34513209377767], [0.0923997087433087, -0.125592606930818, 0.126636650921856, -0.368672695471014, -0.0736436195845053, 0.347875255152201, 0.460816193522378, -0.681541562066904], [-0.150698137662405, 0.284813538916102, -0.167615880991797, 0.205324690944583, 0.359045322399082, -0.335302924424695, -1.12823135213302, 1.19923970273341]]),
                                             order_ifgo=np.array([[-0.0388656192793973, 0.10614728799019, -0.0273194867132937, -0.108898669684287, -0.444943439073759, 0.34513209377767, 0.190267801876384, 0.00838155381833746], [0.0923997087433087, -0.125592606930818, 0.126636650921856, -0.368672695471014, 0.460816193522378, -0.681541562066904, -0.0736436195845053, 0.347875255152201], [-0.150698137662405, 0.284813538916102, -0.167615880991797, 0.205324690944583, -1.12823135213302, 1.19923970273341, 0.359045322399082, -0.335302924424695]]),
                                             no_sigmoid_slope=np.array([[-0.19074505284189, 0.457516340906158, -0.811293229801782, -0.451509783569444, 0.876362583109799, 0.0445101624829637, -0.444943439073759, 0.34513209377767], [0.388672611498144, -0.546665514254017, 0.857655932004707, -1.57037384567295, -0.311932829403636, 1.77673896880112, 0.460816193522378, -0.681541562066904], [-0.674790190760979, 1.23294002561325, -2.07459577670738, 0.893109170318785, 1.62647670406834, -1.70997372507667, -1.12823135213302, 1.19923970273341]]),
                                             no_tanh_slope_on_g=np.array([[-0.0388656192793973, 0.10614728799019, -0.0273194867132937, -0.108898669684287, 0.190267801876384, 0.00838155381833746, -0.483424016148686, 0.412978400296189], [0.0923997087433087, -0.125592606930818, 0.126636650921856, -0.368672695471014, -0.0736436195845053, 0.347875255152201, 0.542012182036268, -0.78838174754231], [-0.150698137662405, 0.284813538916102, -0.167615880991797, 0.205324690944583, 0.359045322399082, -0.335302924424695, -1.2671482062593, 1.40784934798659]]),
                                             no_h_to_c_path=np.array([[-0.0431151845800608, 0.141056462366376, -0.0303065983281675, -0.14471270432731, 0.190267801876384, 0.00838155381833746, -0.493593537399815, 0.45863736247202], [0.0780573451046344, -0.151278526441388, 0.102633614616832, -0.398792537655975, -0.0736436195845053, 0.347875255152201, 0.431351738560772, -0.796065935554202], [-0.142730121974726, 0.362863219990952, -0.148093512109084, 0.18172348116501, 0.359045322399082, -0.335302924424695, -1.17174204466049, 1.48402197926223]]),
                                             no_tanh_slope_on_c=np.array([[-0.0247971944688163, 0.105868436316526, -0.017430485796399, -0.108612590059681, 0.190267801876384, 0.00838155381833746, -0.283884553775391, 0.344225422831976], [0.0910024595278861, -0.0905671098625582, 0.130420034984661, -0.165268074209144, -0.0736436195845053, 0.347875255152201, 0.398699744201263, -0.436239770979864], [-0.128198251231111, 0.249369764337347, -0.15656576367926, 0.00234918911962245, 0.359045322399082, -0.335302924424695, -0.82452657486435, 0.952577905227827]]),
                                             tanh_of_c_prev=np.array([[-0.0375278313058017, 0.110948222472489, -0.0263791265325613, -0.113824046377964, 0.180995438026877, 0.035773433500524, -0.429628104010034, 0.36074206932522], [0.0892940218550526, -0.133178126367835, 0.122393508984877, -0.396462919239585, -0.0647785273693681, 0.359436782354118, 0.44519880549472, -0.725737922604184], [-0.145585768813755, 0.299600460076569, -0.161962198783718, 0.22572684967264, 0.336271684409684, -0.305776632103332, -1.08964096150977, 1.26685102659201]]),
                                             o_from_dc=np.array([[-0.0388656192793973, 0.10614728799019, -0.0273194867132937, -0.108898669684287, -0.128635816259648, -0.0189217677524659, -0.444943439073759, 0.34513209377767], [0.0923997087433087, -0.125592606930818, 0.126636650921856, -0.368672695471014, 0.119825378981532, -0.148628095540797, 0.460816193522378, -0.681541562066904], [-0.150698137662405, 0.284813538916102, -0.167615880991797, 0.205324690944583, -0.312779103371004, 0.120245443912098, -1.12823135213302, 1.19923970273341]])),
                 "dWh": _step_backward_check(np.array([[-0.0413228793707817, 0.0748293328758116, -0.0475528156262096, 0.0724872742518036, 0.0886868165320861, -0.101429032709242, -0.293975061732529, 0.325258701442256], [0.0967627046167669, -0.150184897034302, 0.123534806179323, -0.293690891534412, -0.132872988282789, 0.310154185800563, 0.570464777845956, -0.734183638682398]]),
                                             order_ifgo=np.array([[-0.0413228793707817, 0.0748293328758116, -0.0475528156262096, 0.0724872742518036, -0.293975061732529, 0.325258701442256, 0.0886868165320861, -0.101429032709242], [0.0967627046167669, -0.150184897034302, 0.123534806179323, -0.293690891534412, 0.570464777845956, -0.734183638682398, -0.132872988282789, 0.310154185800563]]),
                                             no_sigmoid_slope=np.array([[-0.183362551944105, 0.32413037359336, -0.541249410032036, 0.31308372945258, 0.400306752909521, -0.517443133771298, -0.293975061732529, 0.325258701442256], [0.416566118842991, -0.65212968214577, 1.05584296923486, -1.25530803685635, -0.587466450551702, 1.58348651505197, 0.570464777845956, -0.734183638682398]]),
                                             no_tanh_slope_on_g=np.array([[-0.0413228793707817, 0.0748293328758116, -0.0475528156262096, 0.0724872742518036, 0.0886868165320861, -0.101429032709242, -0.33180206026292, 0.381056964366359], [0.0967627046167669, -0.150184897034302, 0.123534806179323, -0.293690891534412, -0.132872988282789, 0.310154185800563, 0.657009369484681, -0.854086012891745]]),
                                             no_h_to_c_path=np.array([[-0.0385075181344116, 0.0947533197606481, -0.0413973937999083, 0.0689883147822341, 0.0886868165320861, -0.101429032709242, -0.302163259658167, 0.399342857531468], [0.0853419251971922, -0.185520435625481, 0.102977562570008, -0.308263837375819, -0.132872988282789, 0.310154185800563, 0.56097430279463, -0.876982418863989]]),
                                             no_tanh_slope_on_c=np.array([[-0.0359797559224515, 0.0642240856695515, -0.045226680524138, 0.0115660157418548, 0.0886868165320861, -0.101429032709242, -0.218969517081766, 0.251350829285151], [0.0905812316391832, -0.118564351587086, 0.123478701514935, -0.110726860267341, -0.132872988282789, 0.310154185800563, 0.458189363602524, -0.513094691873069]]),
                                             tanh_of_c_prev=np.array([[-0.0399229475135464, 0.0787853157757217, -0.0459507469818594, 0.0791004595395883, 0.0827819615202175, -0.095310332981052, -0.283929478051928, 0.343981101045082], [0.093499360626578, -0.158692191596423, 0.119386852372785, -0.31697821108334, -0.121649077941838, 0.310972402393523, 0.55104876134876, -0.779423854607593]]),
                                             o_from_dc=np.array([[-0.0413228793707817, 0.0748293328758116, -0.0475528156262096, 0.0724872742518036, -0.0809701493853363, 0.037965809948876, -0.293975061732529, 0.325258701442256], [0.0967627046167669, -0.150184897034302, 0.123534806179323, -0.293690891534412, 0.152865376774255, -0.127142667273354, 0.570464777845956, -0.734183638682398]])),
                 "dh_prev": _step_backward_check(np.array([[-0.843652078262919, 0.537626786156429], [0.364497976548167, 0.0100875229280876]]),
                                                 order_ifgo=np.array([[0.318873074931599, -0.16493456278558], [-0.778454021112626, 0.399150025007787]]),
                                                 no_sigmoid_slope=np.array([[-1.95920185673296, 1.38872444865797], [-0.172618193313677, 1.01968365350116]]),
                                                 no_tanh_slope_on_g=np.array([[-0.921928954485825, 0.576309481886315], [0.46510445908061, -0.0376659999512987]]),
                                                 no_h_to_c_path=np.array([[-1.00498489489011, 0.637968046064671], [0.300249758936828, 0.0318533273564294]]),
                                                 no_tanh_slope_on_c=np.array([[-0.701460403112254, 0.483996908744502], [0.390923464723579, -0.0035645506772681]]),
                                                 tanh_of_c_prev=np.array([[-0.833687256330133, 0.543178511184104], [0.35990507510948, 0.0220872627305291]]),
                                                 o_from_dc=np.array([[-0.692391265666144, 0.308933589147046], [0.194442878355637, -0.0681314467189775]])),
                 "dx": _step_backward_check(np.array([[-0.664306025896232, 0.295801741760033, 0.730725853638533], [0.550545835088272, -0.760755813034858, -0.25411836850287]]),
                                            order_ifgo=np.array([[0.490561159504583, -0.42973351056309, -0.10653571128721], [-0.291360382203109, 0.53144403015308, 0.479360752472605]]),
                                            no_sigmoid_slope=np.array([[-1.90430198968577, 1.03633485884357, 0.800436885353605], [1.38417049796501, -2.54113934239079, 0.836428817684626]]),
                                            no_tanh_slope_on_g=np.array([[-0.71250780656737, 0.332661467963652, 0.811939302805798], [0.620889371510284, -0.798310462366904, -0.355820984259285]]),
                                            no_h_to_c_path=np.array([[-0.749360795847942, 0.373077036400278, 0.88608851405538], [0.48272549611575, -0.814062589821889, -0.255613450742055]]),
                                            no_tanh_slope_on_c=np.array([[-0.504114018335196, 0.310112340033629, 0.62153127476043], [0.53783757191062, -0.528884653319812, -0.154275066991915]]),
                                            tanh_of_c_prev=np.array([[-0.637635685148484, 0.281924029576365, 0.740003265764388], [0.55251946035693, -0.813161711245134, -0.260307158509364]]),
                                            o_from_dc=np.array([[-0.483885183642934, 0.15819258994866, 0.629594103883563], [0.326073516798099, -0.335623209103128, -0.345944213949143]])),
             }),
    ])


# ----------------------------------------------------------------------------- Exercise 5.4, lstm_forward
# N = 2 sequences, T = 3 steps, D = 2 inputs, H = 2 units; `c_step`: a cell state for checking the step first;
# `error_hints`: the slip an error of the first call reveals ({pattern in the error: sentence}, for slips()).
# The slips, by name: what each gives is in the checks below.
LSTM_FORWARD_SLIPS = {
    "c0_is_h0": "the initial cell state must be zero, not h0",
    "h0_ignored": "the first step must start from h0, not from zeros",
    "h_not_carried": "every step starts again from h0; pass the new h_next to the next step",
    "c_not_carried": "the cell state is reset at every step; pass c_next on to the next step",
    "h_holds_c": "h holds the cell states c; it should hold the hidden states h_next"}
_forward_check = checks_saying(LSTM_FORWARD_SLIPS)
lstm_forward = Case(
    x=np.array([[[1.0, -0.5], [0.0, 1.0], [-1.0, 0.5]],
               [[0.5, 0.5], [2.0, 0.0], [0.0, -1.0]]]),
    h0=np.array([[0.5, -0.25], [-0.5, 0.75]]),
    Wx=np.array([[0.5, -0.3, 0.8, 0.1, -0.6, 0.4, 0.9, -0.2],
                [0.2, 0.7, -0.4, 0.3, 0.5, -0.8, 0.1, 0.6]]),
    Wh=np.array([[0.6, -0.2, 0.4, 0.9, -0.5, 0.3, 0.8, -0.7],
                [-0.4, 0.5, 0.1, -0.6, 0.7, 0.2, -0.3, 0.4]]),
    b=np.array([0.1, -0.2, 1.0, 0.5, 0.3, -0.1, 0.2, 0.0]),
    c_step=np.array([[0.3, -0.6], [1.0, 0.2]]),
    # what h with time and batch axes swapped, and a cache that is not one step cache per step, say
    time_major="h has shape (3, 2, 2) = (T, N, H): h must be (N, T, H), batch first, with h[:, t] the state after "
               "step t.",
    one_cache_per_step="cache should be a list with one step cache per time step (3 here).",
    error_hints={r"shapes \(3,8\) \(2,8\)|shapes \(2,8\) \(3,8\)":
                 "x[t] is sequence t with all its steps, (T, D); the input of step t for every sequence is x[:, t], (N, D)."},
    h=_forward_check(np.array([[[0.155953884057182, -0.128368355515271], [0.389850252961465, 0.0320270388077955], [0.151086005541382, 0.0675408029527667]], [[0.0254740320510134, 0.171094847914208], [0.196781039950129, 0.11214779513016], [0.273538134242972, -0.0541248442463565]]]),
                     c0_is_h0=np.array([[[0.218814827172218, -0.246315206027076], [0.486917640513038, -0.0257261098436275], [0.295793537413418, 0.00694241808350189]], [[-0.239786260876781, 0.273744038197379], [0.118065248837433, 0.252201675790624], [0.154765650117427, 0.036055384341768]]]),
                     h0_ignored=np.array([[[0.165205231076956, -0.0918735635308494], [0.344490047287209, 0.0446488270366599], [0.0997283259309276, 0.0818183925899345]], [[0.198538854519913, 0.0418614606121081], [0.219417605353938, -0.0528344938341491], [0.321651025743676, -0.150854176304644]]]),
                     h_not_carried=np.array([[[0.155953884057182, -0.128368355515271], [0.417750975421983, -0.0205520978959506], [0.247730928942729, -0.00701951962851089]], [[0.0254740320510134, 0.171094847914208], [0.244882990584327, 0.191310227149114], [0.182441328194317, 0.078141535944496]]]),
                     c_not_carried=np.array([[[0.155953884057182, -0.128368355515271], [0.16832604537957, 0.0712670942815674], [-0.161264029940903, 0.0706028661081989]], [[0.0254740320510134, 0.171094847914208], [0.190610844855078, -0.0742047955191211], [0.056360716725308, -0.118060256038751]]]),
                     h_holds_c=np.array([[[0.646654822059199, -0.188240302208571], [0.688522862175704, 0.109591813243964], [0.211009494984455, 0.217762991163787]], [[0.0346278586988355, 0.426090287396291], [0.744169413503352, 0.16709349807602], [0.715877356074374, -0.0790640398821637]]])),
    h_one_step=_forward_check(np.array([[[0.155953884057182, -0.128368355515271]], [[0.0254740320510134, 0.171094847914208]]]),
                              c0_is_h0=np.array([[[0.218814827172218, -0.246315206027076]], [[-0.239786260876781, 0.273744038197379]]])),   # T = 1: one step from h0 and c0 = 0
)


# ---------------------------------------------------------------------------- Exercise 5.5, lstm_backward
# The LSTM of lstm_forward (N, T, D, H = 2, 3, 2, 2) and the cache that rnnlib.lstm_forward makes of it,
# `dc_step`: a cell gradient for checking the step backward first, and three cases: a gradient at the last
# step only, at the first step only, at every step.
# The slips, by name: what each gives is in the checks below.
LSTM_BACKWARD_SLIPS = {
    "dc_not_carried": "the cell-state gradient is not carried through time: pass dc_prev of step t on as dc_next of step t-1",
    "dh_prev_not_added": "dh_prev of step t is not added to the upstream dh[:, t-1]",
    "dh0_is_upstream": "dh0 must be the gradient flowing out of step 0 (its dh_prev), not the upstream dh[:, 0]",
    "last_share_only": "the weight gradients are not accumulated over time steps (they hold the share of step T-1 only; use +=)",
    "first_share_only": "the weight gradients are not accumulated over time steps (they hold the share of step 0 only; use +=)",
    "averaged": "the weight gradients are averaged over the time steps; the shares of the steps are added",
    "forwards_in_time": "the loop runs forwards in time; backpropagation starts at the last step, t = T-1, ..., 0",
    "caches_reversed": "the step caches are used in the wrong order: step t needs cache[t]",
    "dh_dc_swapped": "dh_prev and dc_prev are swapped: dh_prev goes into dh_next, dc_prev into dc_next"}
_backward_check = checks_saying(LSTM_BACKWARD_SLIPS)
# the states and gates of lstm_forward's LSTM at every step (N, T, H), as rnnlib.lstm_forward computes them
_lstm_steps = dict(
    h=np.array([[[0.1559538840571817, -0.12836835551527118],
                 [0.38985025296146547, 0.032027038807795456],
                 [0.1510860055413819, 0.06754080295276671]],
                [[0.02547403205101341, 0.17109484791420806],
                 [0.19678103995012858, 0.11214779513016015],
                 [0.27353813424297196, -0.05412484424635653]]]),
    i=np.array([[[0.7109495026250039, 0.25445338587359734],
                 [0.6094306638822775, 0.5997983680309719],
                 [0.48028506064430615, 0.5958116156520935]],
                [[0.46257015465625045, 0.6165665045213193],
                 [0.7401688771537464, 0.32749266018743967],
                 [0.49330277704151776, 0.2924980655806043]]]),
    f=np.array([[[0.8979819308108695, 0.740774899182154],
                 [0.6569078585985927, 0.7344618453776725],
                 [0.5397019442304907, 0.7071638187358593]],
                [[0.7455466141264027, 0.4501660026875221],
                 [0.9325979716412052, 0.6502798897132887],
                 [0.8160673447711009, 0.5768399231835291]]]),
    o=np.array([[[0.2738850187392209, 0.6899744811276125],
                 [0.6529802545474271, 0.2934083680517174],
                 [0.7266106486719367, 0.31504459874814467]],
                [[0.7359453939271484, 0.425557483188341],
                 [0.3115311753406027, 0.6774027107412125],
                 [0.44524866032314553, 0.6859955258678984]]]),
    g=np.array([[[0.909565053033425, -0.7397830512740042],
                 [0.43274853628843035, 0.4132174180335951],
                 [-0.3343589995563987, 0.23541606494946338]],
                [[0.0748596906874991, 0.6910694698329306],
                 [0.9617744878114756, -0.3358378992585497],
                 [0.22011836095479326, -0.599833848912936]]]),
    c=np.array([[[0.6466548220591988, -0.18824030220857144],
                 [0.6885228621757042, 0.10959181324396408],
                 [0.21100949498445526, 0.21776299116378672]],
                [[0.034627858698835536, 0.42609028739629135],
                 [0.7441694135033516, 0.16709349807601998],
                 [0.7158773560743743, -0.07906403988216372]]]),
)


def _step_caches(case, steps):
    """lstm_forward's cache for `case` (c0 = 0) from the states and gates `steps`: one step cache per step."""
    T = steps["h"].shape[1]
    h_prev = [case.h0] + [steps["h"][:, t] for t in range(T - 1)]
    c_prev = [np.zeros_like(case.h0)] + [steps["c"][:, t] for t in range(T - 1)]
    return [(case.x[:, t], h_prev[t], c_prev[t], case.Wx, case.Wh,
             *(steps[k][:, t] for k in ("i", "f", "o", "g", "c"))) for t in range(T)]


_dh_all = np.array([[[1.0, -0.5], [0.0, 0.75], [0.5, 0.5]],
                   [[-1.0, 0.25], [0.5, -0.5], [1.5, -0.5]]])
lstm_backward = Case(
    x=lstm_forward.x, h0=lstm_forward.h0, Wx=lstm_forward.Wx, Wh=lstm_forward.Wh, b=lstm_forward.b,
    cache=_step_caches(lstm_forward, _lstm_steps),
    dh_all=_dh_all,
    names=("dx", "dh0", "dWx", "dWh", "db"),                    # what lstm_backward returns, in order
    time_and_batch_swapped="dx has shape (3, 2, 2) = (T, N, D): time and batch axes swapped; dx[:, t] is step t.",
    dc_step=np.array([[0.5, -1.0], [0.25, 0.75]]),
    cases=[
        Case(what="a gradient at the last step only", dh=_only_step(_dh_all, 2),
             checks={
                 "dh0": _backward_check(np.array([[0.0241569188435808, -0.0141756395984404], [0.167396068857241, -0.075137955960136]]),
                                        dc_not_carried=np.array([[-0.00028677095874411, 0.00028891345622799], [-0.00326626004452296, 0.00192866785397344]]),
                                        dh_prev_not_added=np.array([[0.0218216862188355, -0.0156334302063182], [0.1529890369696, -0.072942412364303]]),
                                        dh0_is_upstream=np.array([[0.0, 0.0], [0.0, 0.0]]),
                                        forwards_in_time=np.array([[0.06377557737063, 0.0281928341701194], [0.100892098076083, 0.101938754264643]]),
                                        caches_reversed=np.array([[-0.0745165563958838, 0.0466782661566642], [0.4011201967512, -0.117516685570515]]),
                                        dh_dc_swapped=np.array([[0.00381849746467526, -1.28163164288739e-05], [0.0406711001994495, -0.0146399524102777]])),
                 "dx": _backward_check(np.array([[[0.028496665196528, 0.00853453138645805], [0.111480766329965, 0.0471812874437019], [0.144243007028948, 0.0347992197865581]], [[0.170445714106551, -0.00753175264089568], [0.048316918379053, -0.000818244248790931], [0.0897647117033865, 0.0996761793150885]]]),
                                       dc_not_carried=np.array([[[-0.000206249233483575, 0.000469481840557566], [0.0104439710654971, 0.00703739842242762], [0.144243007028948, 0.0347992197865581]], [[-0.00295530709968061, -7.08494776479116e-05], [-0.00576410817824724, 0.0148545836579174], [0.0897647117033865, 0.0996761793150885]]]),
                                       dh_prev_not_added=np.array([[[0.0266224673134622, 0.00384688412778607], [0.101036795264467, 0.0401438890212743], [0.144243007028948, 0.0347992197865581]], [[0.148452691432411, -0.0235996227706198], [0.0540810265573002, -0.0156728279067083], [0.0897647117033865, 0.0996761793150885]]]),
                                       forwards_in_time=np.array([[[0.0, 0.0], [0.0, 0.0], [0.144243007028948, 0.0347992197865581]], [[0.0, 0.0], [0.0, 0.0], [0.0897647117033865, 0.0996761793150885]]]),
                                       caches_reversed=np.array([[[-0.0220487781620148, 0.0737984127052755], [0.0119996326860184, 0.0881521892433325], [-0.0167083698855296, 0.0391259679880435]], [[0.46260695763402, 0.0145922021616774], [0.0970692755401528, 0.0414054900394833], [0.46123659985243, 0.044303105042002]]]),
                                       dh_dc_swapped=np.array([[[0.00495861012922549, 0.00832313945362445], [0.0654361807344224, 0.0335085551900688], [0.144243007028948, 0.0347992197865581]], [[0.0468036398819278, 0.0104376981793195], [-0.00599698591404689, 0.0313427165906506], [0.0897647117033865, 0.0996761793150885]]])),
                 "db": _backward_check(np.array([0.117717099239562, 0.0448023591844991, 0.137927222567405, -0.0272385527414731, 0.277865559618859, 0.0335331661006086, 0.663295221421216, 0.0197380592389963]),
                                       dc_not_carried=np.array([0.00021307996664001, 0.0469142881056951, 0.10984738174998, -0.00428427636187188, 0.271232185337522, 0.0367926583439276, 0.354687603928709, 0.045761508499417]),
                                       dh_prev_not_added=np.array([0.104877730813263, 0.0440724746166049, 0.133980158883443, -0.0334463636674847, 0.248271122160847, 0.0316289405212219, 0.615902341088678, -0.0157153782326478]),
                                       last_share_only=np.array([-0.00613315321336453, 0.0508316910968177, 0.105900318066017, -0.0104920872878835, 0.248271122160847, 0.0316289405212219, 0.3434595545793, 0.0207487254465716]),
                                       first_share_only=np.array([0.0355085136529175, -0.0269569872487149, 0.0, 0.0, 0.00729789111811641, -0.00242177815496451, 0.193760719896655, -0.02031912163936]),
                                       averaged=np.array([0.0392390330798539, 0.0149341197281664, 0.0459757408558017, -0.00907951758049102, 0.0926218532062865, 0.0111777220335362, 0.221098407140405, 0.00657935307966544]),
                                       forwards_in_time=np.array([-0.00613315321336453, 0.0508316910968177, 0.105900318066017, -0.0104920872878835, 0.248271122160847, 0.0316289405212219, 0.3434595545793, 0.0207487254465716]),
                                       caches_reversed=np.array([0.260686538082632, -0.00279512991744397, 0.110797870385723, -0.0321832490970353, 0.139775339049871, -0.0726841750211248, 1.01736178532541, 0.125665975524204]),
                                       dh_dc_swapped=np.array([0.0514743617003292, 0.0548348810425098, 0.127042594179318, -0.0153329974193616, 0.331261081992068, 0.0234315343236736, 0.483413201242158, 0.0493308711361869])),
                 "dWh": _backward_check(np.array([[0.00899441728767843, 0.0153841235727724, 0.0372110810051152, -0.00238098736523767, 0.0577588775816524, 0.0121114627379504, 0.0350728400187816, 0.0481411266274137], [0.0083446993252918, -0.00326224276355397, 0.00323516416260915, -0.0030569299429057, 0.0260212202879537, 0.000409365451659529, 0.143057797536656, -0.0430819535033841]]),
                                        dc_not_carried=np.array([[-0.00611146226569052, 0.0111835419837589, 0.0329282921665181, -0.00128717588634873, 0.0549329292767078, 0.010317926643915, 0.100005505195909, 0.0211092618861338], [0.00172595043104441, 0.00458790634729805, 0.00661854596606164, -0.00029794181109505, 0.0271888250225641, 0.00301777460652474, 0.0226458934880412, -0.000840116956413017]]),
                                        dh_prev_not_added=np.array([[0.00637726253022292, 0.0186296362174149, 0.0366008861694645, -0.00249997298885878, 0.052842440977967, 0.010689902036085, 0.0459706642665768, 0.0522887480379513], [0.00855269287015958, -0.00677533515744453, 0.00372952889522618, -0.00420891263812039, 0.0261883528044754, 0.00169382518933721, 0.123320150385033, -0.054146089064064]]),
                                        last_share_only=np.array([[-0.00680790584347912, 0.0116476533381777, 0.0323180973308673, -0.00140616150996984, 0.052842440977967, 0.010689902036085, 0.0962150180204183, 0.0204122956928032], [0.00163651660781876, 0.00501803713338536, 0.00711291069867868, -0.00144992450630974, 0.0261883528044754, 0.00169382518933721, 0.0266377655054868, -0.00444950130852498]]),
                                        first_share_only=np.array([[0.0106703619485057, 0.00172215921088966, 0.0, 0.0, 0.00322268317375624, 0.00122811315943723, -0.0782097756998326, 0.0198094744783465], [-0.00179323353527628, -0.0084614060230684, 0.0, 0.0, -0.00139821039422714, -0.00183355769817835, 0.126649955673996, -0.0248892548881865]]),
                                        averaged=np.array([[0.00299813909589281, 0.00512804119092413, 0.0124036936683717, -0.000793662455079223, 0.0192529591938841, 0.00403715424598348, 0.0116909466729272, 0.0160470422091379], [0.00278156644176393, -0.00108741425451799, 0.00107838805420305, -0.00101897664763523, 0.00867374009598458, 0.000136455150553176, 0.0476859325122186, -0.0143606511677947]]),
                                        forwards_in_time=np.array([[-0.00680790584347912, 0.0116476533381777, 0.0323180973308673, -0.00140616150996984, 0.052842440977967, 0.010689902036085, 0.0962150180204183, 0.0204122956928032], [0.00163651660781876, 0.00501803713338536, 0.00711291069867868, -0.00144992450630974, 0.0261883528044754, 0.00169382518933721, 0.0266377655054868, -0.00444950130852498]]),
                                        caches_reversed=np.array([[0.0132371857723658, 0.00407011189679671, 0.0211190902559337, -0.00154821192187427, 0.0270094649739997, 0.0156054071960215, -0.159588576355222, 0.103682843723173], [0.044220789706058, -0.00796698395448968, 0.0100770473647993, -0.00296556454527468, 0.00641399024651408, -0.0330088789874271, 0.428089881800168, -0.0792594803220321]]),
                                        dh_dc_swapped=np.array([[0.000349766242350053, 0.00921237813037037, 0.0355686189529527, -0.00181211463468225, 0.06276005943401, 0.0109035422933692, 0.084161820533029, 0.02554481381993], [0.0039885553536431, 0.00704335012459043, 0.00450608871215171, -0.00162950465976146, 0.028917207176386, -0.000723986869485192, 0.0574815224693714, -0.00853517822027195]])),
                 "dWx": _backward_check(np.array([[0.193492091151207, -0.00872517859019342, -0.0578955409336566, -0.0285003071607839, 0.0137693482913236, -0.0169574982571319, -0.00230113203963522, -0.165144217013112], [-0.0259686452428694, -0.0284219847434028, 0.0145293183212055, 0.0114063779002761, -0.211886900652784, 0.002477779557698, 0.0633655634665463, 0.143232709935777]]),
                                        dc_not_carried=np.array([[0.0361557468000964, -0.0185075169575748, -0.0593727253281196, 0.00960514804948672, 0.00738134342784861, -0.0154096471216605, -0.14765917131984, -0.0446916494734485], [-0.034798825974668, -0.0367770475587599, -0.0128119302989882, 0.015307926674742, -0.209060952347839, 0.00427131565173348, -0.109455964250927, 0.11061722804327]]),
                                        dh_prev_not_added=np.array([[0.18051655016566, -0.000832378005126755, -0.0579777770245438, -0.0415160576958608, -0.0206526525248533, -0.0231312188936924, -0.0227034315901479, -0.210438412469356], [-0.0266315741338258, -0.0324781025491484, 0.0106233726826865, 0.0117064422418029, -0.217292143373567, 0.00306788781931666, 0.0370966667318594, 0.133888640718359]]),
                                        last_share_only=np.array([[0.0290104128391039, -0.0085199513483573, -0.0594549614190068, -0.00341060248559018, -0.0206526525248533, -0.0231312188936924, -0.148282003344648, -0.0845776479175281], [-0.0373824660452913, -0.0380517640742818, -0.0167178759375072, 0.0156079910162688, -0.217292143373567, 0.00306788781931666, -0.121036549562328, 0.106117746429721]]),
                                        first_share_only=np.array([[0.031966566213941, -0.0193566608310914, 0.0, 0.0, 0.00708475992546542, -0.00120227703650477, 0.106215652072575, -0.00533460399034674], [-0.0106703619485057, -0.00172215921088966, 0.0, 0.0, -0.00322268317375624, -0.00122811315943723, 0.0782097756998326, -0.0198094744783465]]),
                                        averaged=np.array([[0.0644973637170689, -0.00290839286339781, -0.0192985136445522, -0.00950010238692795, 0.00458978276377453, -0.00565249941904397, -0.000767044013211741, -0.0550480723377039], [-0.00865621508095645, -0.00947399491446759, 0.0048431061070685, 0.00380212596675871, -0.0706289668842612, 0.000825926519232666, 0.0211218544888488, 0.0477442366452591]]),
                                        forwards_in_time=np.array([[0.0290104128391039, -0.0085199513483573, -0.0594549614190068, -0.00341060248559018, -0.0206526525248533, -0.0231312188936924, -0.148282003344648, -0.0845776479175281], [-0.0373824660452913, -0.0380517640742818, -0.0167178759375072, 0.0156079910162688, -0.217292143373567, 0.00306788781931666, -0.121036549562328, 0.106117746429721]]),
                                        caches_reversed=np.array([[0.36260193137736, -0.0412582915395982, 0.00359183837728486, -0.0457428843021483, 0.184645378114596, -0.0614398998383988, 0.364565689069062, -0.226868452513971], [-0.0397553229718566, 0.0184410992887801, -0.0880403402227613, -5.70065458890857e-05, -0.0487695030188711, -0.0137812187244332, -0.130510942382359, 0.165503156160474]]),
                                        dh_dc_swapped=np.array([[0.10126135868874, -0.00905475093346459, -0.0587391657635819, -0.00876017343156053, 0.0824125993286616, -0.0399650560415467, -0.0965356668750365, -0.094796893720541], [-0.0267849954063815, -0.0287993204852064, 0.00406650234808089, 0.0134418663577759, -0.196701207375654, 0.00545309608583814, -0.0271002060867912, 0.13470488458184]])),
             }),
        Case(what="a gradient at the first step only", dh=_only_step(_dh_all, 0),
             checks={
                 "dx": _backward_check(np.array([[[-0.0285851179565796, 0.0595913691694506], [0.0, 0.0], [0.0, 0.0]], [[-0.307394700575382, -0.0321291739354724], [0.0, 0.0], [0.0, 0.0]]]),
                                       forwards_in_time=np.array([[[-0.0285851179565796, 0.0595913691694506], [0.133757169914915, -0.0796241810931428], [0.13082925180182, -0.0771664930770252]], [[-0.307394700575382, -0.0321291739354724], [-0.0646228633467358, -0.0297991946164543], [-0.307866391655493, -0.0100462637657911]]]),
                                       caches_reversed=np.array([[[0.318119915603827, -0.0480878414021542], [0.0, 0.0], [0.0, 0.0]], [[-0.059496294095038, -0.0697254728588452], [0.0, 0.0], [0.0, 0.0]]])),
                 "dh0": _backward_check(np.array([[0.00579306840888881, 0.0706169221286621], [-0.290988703639734, 0.125889201309655]]),
                                        dh0_is_upstream=np.array([[1, -0.5], [-1, 0.25]]),
                                        forwards_in_time=np.array([[0.153739641104601, -0.0601896239964646], [-0.266078202392007, 0.078449949784435]]),
                                        caches_reversed=np.array([[0.280249462461667, -0.0656270830454841], [-0.0628855998053702, -0.0670149263305224]])),
                 "db": _backward_check(np.array([0.0209153392806795, 0.0613122902240529, 0.0, 0.0, 0.106513916101409, 0.044469771775045, -0.3153895345973, -0.00963610491655526]),
                                       last_share_only=np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
                                       averaged=np.array([0.0069717797602265, 0.0204374300746843, 0.0, 0.0, 0.0355046387004696, 0.0148232572583483, -0.105129844865767, -0.00321203497218509]),
                                       forwards_in_time=np.array([-0.124945683095295, 0.00630741759916415, -0.00204586765491353, 0.0199588283047223, 0.0622417369421411, 0.0459470705693449, -0.440178885666046, -0.176252186701939]),
                                       caches_reversed=np.array([-0.0732723320953674, -0.0296758212225875, 0.0879463517400065, 0.00354074240114668, -0.110440341374289, -0.0273800797074572, 0.166445639199528, -0.0526631866820499])),
             }),
        Case(what="gradients at every step", dh=_dh_all,
             checks={
                 "dx": _backward_check(np.array([[[0.00523482041951283, 0.0588456375157243], [0.0893717587190766, 0.111194432349163], [0.144243007028948, 0.0347992197865581]], [[-0.0730457961453317, -0.0999866355862192], [0.022576661954704, 0.00147503485832503], [0.0897647117033865, 0.0996761793150885]]]),
                                       dc_not_carried=np.array([[[-0.0265124494651735, 0.0554312112859365], [-0.0116650365453909, 0.071050543327889], [0.144243007028948, 0.0347992197865581]], [[-0.307701704710799, -0.0309681404883004], [-0.0315043646025962, 0.0171478627650334], [0.0897647117033865, 0.0996761793150885]]]),
                                       dh_prev_not_added=np.array([[[0.00108170481155735, 0.0587876299811239], [0.0789277876535796, 0.104157033926736], [0.144243007028948, 0.0347992197865581]], [[-0.0976871217837356, -0.117286388640763], [0.0283407701329513, -0.0133795487995924], [0.0897647117033865, 0.0996761793150885]]]),
                                       forwards_in_time=np.array([[[-0.0285851179565796, 0.0595913691694506], [0.111648162304027, -0.0156110361876814], [0.228204340785724, 0.0245929036955951]], [[-0.307394700575382, -0.0321291739354724], [-0.0903631197710848, -0.0275059155093383], [-0.171450602527315, 0.0845222887059132]]]),
                                       caches_reversed=np.array([[[0.249203219396768, 0.0926707482891836], [-0.0101093749248695, 0.152165334148794], [-0.0167083698855296, 0.0391259679880435]], [[0.449761740963773, -0.060240897540552], [0.0713290191158038, 0.0436987691465993], [0.46123659985243, 0.044303105042002]]]),
                                       dh_dc_swapped=np.array([[[-0.0397013613561093, 0.0640114431261519], [0.0433271731235345, 0.0975217000955301], [0.144243007028948, 0.0347992197865581]], [[-0.233055324367379, -0.0157087413960511], [-0.0317372423383958, 0.0336359956977666], [0.0897647117033865, 0.0996761793150885]]])),
                 "dh0": _backward_check(np.array([[0.0200850488663229, 0.046287180266118], [-0.0345643817744705, -0.00524761565576312]]),
                                        dc_not_carried=np.array([[0.00403649792626013, 0.0645992227061802], [-0.293628461398443, 0.12961553491495]]),
                                        dh_prev_not_added=np.array([[0.0192196157654622, 0.0511360025369502], [-0.0495979159479257, -0.00484973781125103]]),
                                        dh0_is_upstream=np.array([[1, -0.5], [-1, 0.25]]),
                                        forwards_in_time=np.array([[0.130886497696713, 0.0134167716050317], [-0.111776026755719, 0.169879037964529]]),
                                        caches_reversed=np.array([[0.119104185287265, 0.0264647445425569], [0.391644674506036, -0.195041277985586]]),
                                        dh_dc_swapped=np.array([[-0.018431602600708, 0.0744343639184831], [-0.216883258667832, 0.0867320978533011]])),
                 "dWx": _backward_check(np.array([[0.253910733209273, 0.0491313091064915, -0.057487996178144, -0.0923413391067242, 0.249855370368558, -0.0220334524740021, -0.118552121075282, -0.390271541931475], [-0.0478134913718371, -0.025496103480189, 0.0145293183212055, 0.003423914881939, -0.267191964137761, 0.0244195335481907, -0.0945643516479451, 0.240473823371683]]),
                                        dc_not_carried=np.array([[0.095761999675452, 0.0792600295638488, -0.058965180572607, -0.0542358838964537, 0.243467365505084, -0.0204856013385306, -0.283989697764013, -0.253715458252602], [-0.0574560612863465, -0.0275584303301435, -0.0128119302989882, 0.0073254636564049, -0.264366015832816, 0.0262130696422262, -0.287465416773944, 0.251556675997329]]),
                                        dh_prev_not_added=np.array([[0.243716054961525, 0.0620138943731719, -0.0575702322690312, -0.105357089641801, 0.224702142615433, -0.0271255412051552, -0.138564515932057, -0.441971395787055], [-0.0499564217321344, -0.033287938025763, 0.0106233726826865, 0.00372397922346579, -0.277275636922589, 0.022376568907384, -0.123242073366876, 0.23188622064728]]),
                                        last_share_only=np.array([[0.0290104128391039, -0.0085199513483573, -0.0594549614190068, -0.00341060248559018, -0.0206526525248533, -0.0231312188936924, -0.148282003344648, -0.0845776479175281], [-0.0373824660452913, -0.0380517640742818, -0.0167178759375072, 0.0156079910162688, -0.217292143373567, 0.00306788781931666, -0.121036549562328, 0.106117746429721]]),
                                        first_share_only=np.array([[0.0577532155098725, -0.0102312084100444, 0.0, 0.0, 0.107693170712981, 0.0299003434519646, -0.0204277274069809, -0.0390333589109163], [-0.0325152080774734, -0.0203633349551832, 0.0, 0.0, -0.0585277466587332, 0.00374111261780207, -0.0797201394146587, -0.0307166385029577]]),
                                        averaged=np.array([[0.0846369110697578, 0.0163771030354972, -0.0191626653927147, -0.0307804463689081, 0.0832851234561862, -0.00734448415800069, -0.0395173736917606, -0.130090513977158], [-0.015937830457279, -0.00849870116006301, 0.0048431061070685, 0.00114130496064633, -0.0890639880459202, 0.00813984451606356, -0.031521450549315, 0.0801579411238943]]),
                                        forwards_in_time=np.array([[-0.116687791319198, 0.0768664281729359, -0.0920080558461714, -0.0430610459671575, 0.14190084700025, -0.0167365834392214, -0.426770033429705, -0.22015748237771], [-0.0242675226635366, -0.0671092361045963, 0.0784190767679395, 0.0196015824240559, -0.262857114366052, 0.024333558583676, 0.0526705190548545, 0.148747222220178]]),
                                        caches_reversed=np.array([[0.450490679323435, 0.00587865270810977, -0.105146885909419, -0.110222043227906, 0.282209249068551, -0.0773660201750889, 0.102744843730769, -0.434121581150207], [-0.0560689248673024, 0.0377723371843477, -0.0125261732617377, -0.00672387470336577, 0.120608227717626, -0.00220366194234326, 0.093596279379897, 0.286138908434952]]),
                                        dh_dc_swapped=np.array([[0.148979266182414, 0.0661165428646387, -0.0583316210080693, -0.0726012053775009, 0.328061029693946, -0.0608418396637308, -0.22578968068801, -0.298541490839604], [-0.0425700379766132, -0.0154100202249904, 0.00406650234808089, 0.00545940333943879, -0.256391065699678, 0.0174126332231506, -0.185710370065658, 0.258952527562935]])),
                 "dWh": _backward_check(np.array([[0.0312803716634527, 0.0380094536023147, 0.0372162719091973, -0.00443902772427049, 0.114789521572724, 0.00932836157203621, 0.1931351231769, 0.0734762058122846], [-0.00558272695922503, -0.0205681767649783, 0.00327002856659048, -0.00749367011801868, 0.00662454380101655, 0.0113006162837752, -0.0825191876922033, -0.0972989340701397]]),
                                        dc_not_carried=np.array([[0.0169868812927945, 0.0275161360478986, 0.0329334830706002, -0.00334521624538155, 0.111963573267779, 0.00753482547800073, 0.278147325762554, 0.00274600655285116], [-0.0134200596275386, 0.00792718391375626, 0.00665341037004298, -0.00473468198620803, 0.00779214853562687, 0.0139090254386404, -0.233050397853607, 0.00129213146108051]]),
                                        dh_prev_not_added=np.array([[0.0301432183753381, 0.0449906829867856, 0.0366060770735466, -0.0045580133478916, 0.114551515033083, 0.0105398737725961, 0.206441772408939, 0.0768673607298076], [-0.0061744475493221, -0.0267763437947975, 0.00376439329920751, -0.00864565281323337, 0.00442309893050304, 0.00987370160375908, -0.104937162427531, -0.109615744855414]]),
                                        last_share_only=np.array([[-0.00680790584347912, 0.0116476533381777, 0.0323180973308673, -0.00140616150996984, 0.052842440977967, 0.010689902036085, 0.0962150180204183, 0.0204122956928032], [0.00163651660781876, 0.00501803713338536, 0.00711291069867868, -0.00144992450630974, 0.0261883528044754, 0.00169382518933721, 0.0266377655054868, -0.00444950130852498]]),
                                        first_share_only=np.array([[0.0325152080774734, 0.0203633349551832, 0.0, 0.0, 0.0585277466587332, -0.00374111261780207, 0.0797201394146587, 0.0307166385029577], [-0.0186833375870948, -0.0271676269177286, 0.0, 0.0, -0.0323846475308616, 0.0143314125380906, -0.0998160717860955, -0.0488471978904228]]),
                                        averaged=np.array([[0.0104267905544842, 0.0126698178674382, 0.0124054239697324, -0.00147967590809016, 0.0382631738575746, 0.0031094538573454, 0.0643783743923001, 0.0244920686040949], [-0.00186090898640834, -0.00685605892165945, 0.00109000952219683, -0.00249789003933956, 0.00220818126700552, 0.00376687209459173, -0.0275063958974011, -0.0324329780233799]]),
                                        forwards_in_time=np.array([[0.00650067603766859, 0.0299562220132548, 0.0370501593503264, -0.00275110533566212, 0.112918088823669, 0.0102095539212125, 0.272632662613858, -0.0220564099389601], [-0.0391403868401074, 0.00826829079713319, -0.00147188660536511, -0.00535329106019136, -0.00360303643823167, 0.0102947912243361, -0.271863875345607, 0.0147516521439783]]),
                                        caches_reversed=np.array([[-0.00911361774960759, 0.00927253322764104, 0.0595541836147683, -0.00355357679592274, 0.0139157533678214, 0.00896508592126095, -0.0706506598284494, 0.123379655344203], [0.0443210319566791, -0.00617551396531577, 0.0112590529472362, -0.00749362619887105, 0.0023486478749421, -0.0394618244345122, 0.42782803420352, -0.109524802219946]]),
                                        dh_dc_swapped=np.array([[0.0165759170593882, 0.0213742891629104, 0.0355738098570347, -0.00387015499371507, 0.124175498264128, 0.0181026579806351, 0.242904352555523, 0.0238733634596114], [-0.00710267830047914, 0.00771634032014147, 0.00454095311613304, -0.00606624483487444, 0.00759240613991085, -0.00674559883451779, -0.173223428027034, -0.0241169650512063]])),
                 "db": _backward_check(np.array([0.154852063929226, 0.090474753228359, 0.138130994945161, -0.0671415317327804, 0.442878870657089, 0.0771993847973109, 0.394346967260769, -0.0200310642098841]),
                                       dc_not_carried=np.array([0.0357232662908828, 0.149996584559475, 0.110051154127736, -0.0441872553531792, 0.436245496375752, 0.0804588770406298, 0.0455802749512091, 0.0565959629149189]),
                                       dh_prev_not_added=np.array([0.144733844840432, 0.0939074370760641, 0.134183931261199, -0.073349342658792, 0.422523843907115, 0.0749819531568505, 0.345868076530385, -0.0635210685519657]),
                                       last_share_only=np.array([-0.00613315321336453, 0.0508316910968177, 0.105900318066017, -0.0104920872878835, 0.248271122160847, 0.0316289405212219, 0.3434595545793, 0.0207487254465716]),
                                       first_share_only=np.array([0.0553274819615143, -0.0272171678501813, 0.0, 0.0, 0.104572396511486, 0.0423611996811541, -0.080383729485747, -0.0725222375498602]),
                                       averaged=np.array([0.0516173546430753, 0.0301582510761197, 0.0460436649817205, -0.0223805105775935, 0.14762629021903, 0.0257331282657703, 0.131448989086923, -0.00667702140329471]),
                                       forwards_in_time=np.array([-0.104062038712688, 0.13737446021773, 0.104317107651155, -0.0343353847667501, 0.376184885889285, 0.078855621536797, -0.0737561431532706, -0.0791569189679957]),
                                       caches_reversed=np.array([0.214431003583236, 0.0477644003817169, 0.199206879365781, -0.0724446324794775, 0.0950070244618784, -0.0987846442823519, 1.20677061245841, 0.149349331129525]),
                                       dh_dc_swapped=np.array([0.0757148826766273, 0.130569295886262, 0.127246366557074, -0.0552359764106689, 0.506101074188332, 0.0393751692445038, 0.196674081469024, 0.0560764044498333])),
             }),
    ])


# ------------------------------------------------------------------------- Exercise 5.6, gru_step_forward
# Three cases, N, D, H = 2, 2 or 3, 2 (the first with N = 1); b and the columns of Wx, Wh in blocks r | z | n.
# The slips, by name: what each gives is in the checks below.
GRU_STEP_SLIPS = {
    "z_reversed": "the update gate is the wrong way round: h_next = (1 - z) * n + z * h_prev, so z = 1 keeps the old state",
    "order_zrn": "the blocks are in the order z, r, n; the contract is r, z, n",
    "reset_before_product": "your code applies the reset gate before the product, (r * h_prev) @ Wh_n (the first GRU paper); the GRU of this notebook applies it to the product: r * (h_prev @ Wh_n), as PyTorch does",
    "no_reset_gate": "the reset gate is not applied: n = tanh(x Wx_n + r * (h_prev Wh_n) + b_n)",
    "no_tanh_on_n": "tanh is missing on the candidate n",
    "n_sigmoid": "the candidate n got a sigmoid; it is n = tanh(...)",
    "no_z_h_prev": "the z * h_prev term is missing: h_next = (1 - z) * n + z * h_prev",
    "no_bias": "the bias b is missing",
    "bias_twice": "the bias is added twice (to x @ Wx and to h_prev @ Wh); there is one bias b"}
_gru_check = checks_saying(GRU_STEP_SLIPS)
gru_step = SimpleNamespace(cases=[
    Case(what="bias only: x = 0, every weight 0",
         x=np.zeros((1, 2)),
         h_prev=np.array([[0.5, -1.0]]),
         Wx=np.zeros((2, 6)),
         Wh=np.zeros((2, 6)),
         b=np.array([3.0, -1.0,   -2.0, 1.5,   0.8, -0.4]),
         h_next=_gru_check(np.array([[0.644483107932851, -0.886886864652735]]),
                           z_reversed=np.array([[0.519553662334998, -0.49306209760249]]),
                           order_zrn=np.array([[0.507779587063181, -0.546706369668245]]),
                           no_tanh_on_n=np.array([[0.764239123393365, -0.890544685716186]]),
                           n_sigmoid=np.array([[0.667328967867565, -0.744364862379703]]),
                           no_z_h_prev=np.array([[0.584881646921792, -0.0693123884590909]]),
                           no_bias=np.array([[0.25, -0.5]]),
                           bias_twice=np.array([[0.913791399708968, -0.972492569570323]])),
    ),
    Case(what="only h_prev and Wh: x = 0, b = 0",
         x=np.zeros((2, 2)),
         h_prev=np.array([[0.5, -1.0], [0.8, 0.3]]),
         Wx=np.zeros((2, 6)),
         Wh=np.array([[0.6, -0.2, 0.4, 0.9, -0.5, 0.3],
                     [-0.4, 0.5, 0.1, -0.6, 0.7, 1.2]]),
         b=np.zeros(6),
         h_next=_gru_check(np.array([[-0.00415561012587101, -0.833005382040431], [0.423221461981462, 0.296295782332676]]),
                           z_reversed=np.array([[-0.0571781184957972, -0.522787643277306], [0.265325803691482, 0.293643537063845]]),
                           order_zrn=np.array([[0.181089307734052, -0.774956496574012], [0.425616621676255, 0.331112139497255]]),
                           reset_before_product=np.array([[0.0759090725807402, -0.822173328904653], [0.415391262281131, 0.303656682700931]]),
                           no_reset_gate=np.array([[-0.0889227523660165, -0.943438731053321], [0.391683082002947, 0.387278706949711]]),
                           no_tanh_on_n=np.array([[-0.0390433497898912, -0.837222417912079], [0.42302926059198, 0.299447723228903]]),
                           n_sigmoid=np.array([[0.427050030061214, -0.634999876452914], [0.664431130706084, 0.400911303036442]]),
                           no_z_h_prev=np.array([[-0.266645203865341, -0.0922304828582767], [-0.0460726011524018, 0.106752057011845]])),
    ),
    Case(what="everything at once: N=2, D=3, H=2",
         x=np.array([[1.0, -0.5, 2.0], [0.0, 1.0, -1.0]]),
         h_prev=np.array([[0.5, -1.0], [0.8, 0.3]]),
         Wx=np.array([[0.5, -0.3, 0.8, 0.1, -0.6, 0.4],
                     [0.2, 0.7, -0.4, 0.3, 0.5, -0.8],
                     [-0.1, 0.4, 0.6, -0.5, 0.3, 0.2]]),
         Wh=np.array([[0.6, -0.2, 0.4, 0.9, -0.5, 0.3],
                     [-0.4, 0.5, 0.1, -0.6, 0.7, 1.2]]),
         b=np.array([0.1, -0.2, 1.0, 0.5, 0.3, -0.1]),
         h_next=_gru_check(np.array([[0.462011407336313, -0.384963158260964], [0.615824239544235, 0.168920456437731]]),
                           z_reversed=np.array([[-0.529970995994494, 0.0140243232393773], [0.538642155099738, -0.525347361277741]]),
                           order_zrn=np.array([[0.177420346737509, -0.0677350647436502], [0.66301498597433, -0.0936085546235542]]),
                           reset_before_product=np.array([[0.469533687240472, -0.372166040599079], [0.603625897476139, 0.171969173013117]]),
                           no_reset_gate=np.array([[0.456734838247246, -0.603598012908188], [0.593489477735811, 0.195550858503581]]),
                           no_tanh_on_n=np.array([[0.459288572910973, -0.343131719802559], [0.622469939018588, 0.151092522747624]]),
                           n_sigmoid=np.array([[0.494459031116891, -0.366877339845255], [0.713847023055644, 0.301770527725025]]),
                           no_z_h_prev=np.array([[-0.0202029980273687, 0.237496172940891], [0.14653017641037, -0.0899641557896316]]),
                           no_bias=np.array([[0.388060639934249, -0.170463998062616], [0.323405704929727, 0.118173163599517]]),
                           bias_twice=np.array([[0.487795006774936, -0.559337091534882], [0.742499355979384, 0.212296205797134]])),
    ),
])
