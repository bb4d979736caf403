"""rnnlib: a small, readable numpy library for the RNN course.

Reference versions of every function the notebooks ask you to write, plus what the notebooks need around
them. One folder per role, one idea per file (each folder's __init__ lists its files):

    layers/        the readable float64 forward/backward pairs the notebooks derive (the exercises' references)
    kernels/       the same recurrences written for speed (float32, fused, in place), for the models that train
    models/        MLPClassifier, recurrent cells and RNNClassifier, CharLM, Seq2Seq
    data/          the corpus and vocabulary, synthetic tasks, make_batches, the date-translation set
    train/         optimisers, clipping, the one training loop and its TrainConfig, sampling and decoding
    analysis/      gradient checking, gradient flow through time, LSTM gates, accuracy against distance
    viz/           every picture and live plot
    validation.py  input checks that name the expected and actual shapes; as_rng (a seed or a Generator)
    grading.py     the assertions the notebooks' test cells call, and the guard against calling a reference
    cases/         the numbers those test cells check against, one module per notebook (visible cases only)

Everything a notebook uses is importable from here: `from rnnlib import rnn_forward, CharLM, Adam`.
"""
from .analysis.distance import accuracy_vs_distance
from .analysis.gradcheck import check_gradient, check_layer, gradient_report, numerical_gradient, relative_error
from .analysis.gradient_flow import state_gradients
from .data.batching import make_batches
from .data.long_range import agreement_task, country_language_task, first_symbol_task
from .data.windows import best_current_char_accuracy, context_count_accuracy, window_features
from .layers.affine import affine_backward, affine_forward, temporal_affine_backward, temporal_affine_forward
from .layers.attention import attention_backward, attention_forward
from .layers.encoding import one_hot
from .layers.gru import gru_step_backward, gru_step_forward
from .layers.loss import temporal_softmax_loss
from .layers.lstm import lstm_backward, lstm_forward, lstm_step_backward, lstm_step_forward, sigmoid
from .layers.rnn import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward
from .layers.softmax import log_softmax, softmax
from .models.cells import GRUCell, LSTMCell, ReLURNNCell, RNNCell, recurrent_init
from .models.char_lm import CharLM
from .models.mlp import MLPClassifier
from .models.rnn_classifier import RNNClassifier
from .models.seq2seq import Seq2Seq
from .train.clipping import clip_grad_norm
from .train.decoding import greedy_decode
from .train.loop import TrainConfig
from .train.optim import SGD, Adam, Momentum, RMSProp
from .train.sampling import generate, sample_from_logits

__version__ = "0.1.0"
