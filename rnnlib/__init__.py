"""rnnlib: a small, readable numpy library for the RNN course.

Reference versions of every function the notebooks ask you to write, plus
what the notebooks need around them: gradient checking, grading helpers,
data, models, optimisers and plots. One idea per file:

    encoding.py    one_hot
    softmax.py     softmax, log_softmax
    affine.py      affine and temporal affine layers
    rnn.py         vanilla RNN step / sequence, forward and backward
    loss.py        temporal_softmax_loss, softmax_cross_entropy (one prediction per example)
    gradcheck.py   numerical gradients, reported in words
    grading.py     assertions used by the notebooks' test cells
    cases/         the numbers those test cells check against, one module per notebook (visible cases only)
    validation.py  shape checks that name expected and actual shapes, as_rng (a seed or a Generator)
    init_weights.py  random orthogonal matrices (recurrent weights start from them)
    clipping.py    clip_grad_norm
    gradient_flow.py  state_gradients: how a gradient travels back through time
    lstm.py        sigmoid, LSTM step / sequence, forward and backward
    gru.py         GRU step forward and backward, parameter counts
    lstm_cell.py   LSTM / GRU layers with any initial state, cells for RNNClassifier, forget-bias init
    lstm_plots.py  the LSTM cell diagram and gate heatmaps
    optim.py       SGD, momentum, RMSProp, Adam
    mlp.py         a small feed-forward classifier
    tasks.py       synthetic sequence tasks and counting baselines
    text.py        the offline corpus, character vocabulary, unigram baseline
    long_range.py  tasks whose dependency distance grows (first symbol, agreement)
    rnn_classifier.py  a many-to-one RNN classifier with pluggable cells, for the distance experiments
    batching.py    make_batches: a text stream cut into lanes for truncated BPTT
    sampling.py    sample_from_logits, generate (a model writes text, carrying its state)
    char_lm.py     the fast float32 character language model (LSTM or RNN, 1-2 layers), save / load
    training.py    the training loop: progress bar, history, live plot, NaN stop
    attention.py   dot-product attention, forward and backward, with padding masks
    dates.py       the date-translation data set: many formats -> ISO 8601, split by date
    seq2seq.py     GRU encoder-decoder with optional attention and bidirectional encoder, greedy decoding
"""
from .affine import affine_backward, affine_forward, temporal_affine_backward, temporal_affine_forward
from .attention import attention_backward, attention_forward
from .batching import make_batches
from .char_lm import CharLM
from .clipping import clip_grad_norm
from .encoding import one_hot
from .gradcheck import check_gradient, check_layer, gradient_report, numerical_gradient, relative_error
from .gradient_flow import state_gradients
from .gru import gru_step_backward, gru_step_forward
from .long_range import agreement_task, first_symbol_task
from .loss import temporal_softmax_loss
from .lstm import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward, sigmoid
from .rnn import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from .rnn_classifier import ReLURNNCell, RNNCell, RNNClassifier, accuracy_vs_distance, recurrent_init
from .mlp import MLPClassifier
from .optim import SGD, Adam, Momentum, RMSProp
from .sampling import generate, sample_from_logits
from .seq2seq import Seq2Seq, greedy_decode
from .softmax import log_softmax, softmax
from .tasks import best_current_char_accuracy, context_count_accuracy, country_language_task, window_features

__version__ = "0.1.0"

