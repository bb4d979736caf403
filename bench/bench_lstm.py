"""`make bench`: how fast does rnnlib train an LSTM, next to PyTorch on the same CPU?

    python bench/bench_lstm.py            # full run (a few minutes)
    python bench/bench_lstm.py --quick    # fewer repeats, for a smoke test

Two measurements, both on one CPU thread, float32, on real text (the offline
corpus of rnnlib.data.text):

1. One LSTM training step of the character model (forward, softmax
   cross-entropy head, backward, gradient clipping to norm 5, Adam) at
   (B, T, H) = (32, 64, 128), (64, 100, 256), (32, 50, 512): rnnlib.models.char_lm
   against the same model in PyTorch (nn.LSTM on one-hot input + nn.Linear,
   cross_entropy, clip_grad_norm_, Adam). The two are timed alternately, step
   by step, so that any load on the machine hits both alike; the table shows
   medians and their ratio.
2. Characters per second of the batched model (all B lanes in one step)
   against training one sequence at a time, in two rungs so that each part of
   the speed-up is visible:
   - "readable loop": the textbook code of notebook 05 (rnnlib.layers.lstm's
     lstm_forward/lstm_backward, one step function call per character,
     separate gate products, float64, new arrays everywhere) on one sequence
     at a time. This is the one-sequence loop of the goal (>= 15x).
   - "fast code, B = 1": rnnlib.models.char_lm (fused gate matmul, input
     projections for all steps at once, preallocated buffers, in-place
     updates, float32) fed one sequence at a time. What is left between this
     and the batched model is batching alone.
   Each loop adds up the B sequences' gradients and takes the same
   optimiser step as the batched model.

PyTorch is optional: without it, the rnnlib columns are still measured.
Results go to bench/results.json (git-ignored).
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"   # before numpy (and torch) are imported: one thread everywhere

import argparse  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from rnnlib.data.batching import make_batches  # noqa: E402
from rnnlib.data.text import Vocabulary, load_corpus  # noqa: E402
from rnnlib.layers.affine import temporal_affine_backward, temporal_affine_forward  # noqa: E402
from rnnlib.layers.encoding import one_hot  # noqa: E402
from rnnlib.layers.loss import temporal_softmax_loss  # noqa: E402
from rnnlib.layers.lstm import lstm_backward, lstm_forward  # noqa: E402
from rnnlib.models.char_lm import CharLM  # noqa: E402
from rnnlib.train.clipping import clip_grad_norm  # noqa: E402
from rnnlib.train.optim import Adam  # noqa: E402

CONFIGS = [(32, 64, 128), (64, 100, 256), (32, 50, 512)]
THROUGHPUT_CONFIG = (64, 100, 256)   # the notebook's model
LR, CLIP = 2e-3, 5.0
HERE = pathlib.Path(__file__).resolve().parent


def load_torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(1)
    return torch


# ------------------------------------------------------------------------------------------ rnnlib
class RnnlibStep:
    def __init__(self, V, B, T, H, batches):
        self.model = CharLM(V, H, cell="lstm", dtype=np.float32, seed=0)
        self.opt = Adam(lr=LR)
        self.batches, self.k = batches, 0
        self.state = self.model.init_state(B)

    def __call__(self):
        x, y = self.batches[self.k % len(self.batches)]
        self.k += 1
        loss, grads, self.state = self.model.loss_and_grads(x, y, self.state)
        clip_grad_norm(grads, CLIP)
        self.opt.step(self.model.params, grads)
        return loss


class OneAtATimeStep:
    """The same model and update, but the B sequences go through the network one by one."""

    def __init__(self, V, B, T, H, batches):
        self.inner = RnnlibStep(V, B, T, H, batches)
        self.states = [self.inner.model.init_state(1) for _ in range(B)]
        self.total = {k: np.zeros_like(v) for k, v in self.inner.model.params.items()}

    def __call__(self):
        step = self.inner
        x, y = step.batches[step.k % len(step.batches)]
        step.k += 1
        for g in self.total.values():
            g.fill(0)
        loss = 0.0
        B = x.shape[0]
        for b in range(B):
            lb, grads, self.states[b] = step.model.loss_and_grads(x[b:b + 1], y[b:b + 1], self.states[b])
            loss += lb / B
            for k, g in grads.items():
                self.total[k] += g / B          # the batch loss is the mean over the B sequences
        clip_grad_norm(self.total, CLIP)
        step.opt.step(step.model.params, self.total)
        return loss


class ReadableLoopStep:
    """Notebook 05's textbook LSTM, trained one sequence at a time (float64, one call per character)."""

    def __init__(self, V, B, T, H, batches):
        rng = np.random.default_rng(0)
        self.V, self.H = V, H
        self.params = {"Wx": rng.normal(0, 1 / np.sqrt(V), (V, 4 * H)), "Wh": rng.normal(0, 1 / np.sqrt(H), (H, 4 * H)),
                       "b": np.zeros(4 * H), "Wy": rng.normal(0, 1 / np.sqrt(H), (H, V)), "by": np.zeros(V)}
        self.opt = Adam(lr=LR)
        self.batches, self.k = batches, 0
        self.h = [np.zeros((1, H)) for _ in range(B)]

    def __call__(self):
        p = self.params
        x, y = self.batches[self.k % len(self.batches)]
        self.k += 1
        B = x.shape[0]
        total = {k: np.zeros_like(v) for k, v in p.items()}
        loss = 0.0
        for b in range(B):
            hs, cache = lstm_forward(one_hot(x[b:b + 1], self.V), self.h[b], p["Wx"], p["Wh"], p["b"])
            self.h[b] = hs[:, -1]       # carried to the next batch (the cell state restarts: lstm_forward's rule)
            scores, affine_cache = temporal_affine_forward(hs, p["Wy"], p["by"])
            lb, dscores = temporal_softmax_loss(scores, y[b:b + 1])
            dhs, dWy, dby = temporal_affine_backward(dscores, affine_cache)
            _, _, dWx, dWh, db = lstm_backward(dhs, cache)
            for k, g in zip(("Wx", "Wh", "b", "Wy", "by"), (dWx, dWh, db, dWy, dby)):
                total[k] += g / B
            loss += lb / B
        clip_grad_norm(total, CLIP)
        self.opt.step(p, total)
        return loss


# ------------------------------------------------------------------------------------------ torch
class TorchStep:
    def __init__(self, torch, V, B, T, H, batches):
        self.torch = torch
        nn = torch.nn
        torch.manual_seed(0)
        self.V = V
        self.lstm = nn.LSTM(V, H, batch_first=True)
        self.head = nn.Linear(H, V)
        self.params = list(self.lstm.parameters()) + list(self.head.parameters())
        self.opt = torch.optim.Adam(self.params, lr=LR)
        self.batches = [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in batches]
        self.k = 0
        self.state = (torch.zeros(1, B, H), torch.zeros(1, B, H))

    def __call__(self):
        torch = self.torch
        x, y = self.batches[self.k % len(self.batches)]
        self.k += 1
        self.opt.zero_grad(set_to_none=True)
        inp = torch.nn.functional.one_hot(x, self.V).float()
        out, (h, c) = self.lstm(inp, self.state)
        self.state = (h.detach(), c.detach())            # carried, truncated
        scores = self.head(out)
        loss = torch.nn.functional.cross_entropy(scores.reshape(-1, self.V), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.params, CLIP)
        self.opt.step()
        return float(loss.detach())


# ------------------------------------------------------------------------------------------ timing
def time_alternating(steps, repeats, warmup=2):
    """Median seconds per call of each function, timed in turns: a, b, a, b, ..."""
    for _ in range(warmup):
        for f in steps.values():
            f()
    times = {name: [] for name in steps}
    for _ in range(repeats):
        for name, f in steps.items():
            start = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - start)
    return {name: float(np.median(t)) for name, t in times.items()}


def load_average():
    try:
        return list(os.getloadavg())
    except OSError:
        return None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke test, noisier)")
    parser.add_argument("--out", default=str(HERE / "results.json"))
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 15

    torch = load_torch()
    text = load_corpus()
    vocab = Vocabulary(text)
    ids = vocab.encode(text)
    V = len(vocab)
    print(f"corpus: {len(text):,} characters, V = {V}; one thread; float32; "
          f"PyTorch {torch.__version__ if torch else 'not installed (rnnlib only)'}; numpy {np.__version__}")
    print(f"load average before: {load_average()}")

    rows = []
    print(f"\n{'(B, T, H)':<16}{'rnnlib ms/step':>16}{'PyTorch ms/step':>17}{'ratio':>8}")
    for B, T, H in CONFIGS:
        batches = make_batches(ids, B, T)[:20]
        steps = {"rnnlib": RnnlibStep(V, B, T, H, batches)}
        if torch is not None:
            steps["torch"] = TorchStep(torch, V, B, T, H, batches)
        med = time_alternating(steps, repeats)
        ms = med["rnnlib"] * 1e3
        peer = med["torch"] * 1e3 if torch is not None else None
        ratio = ms / peer if peer else None
        rows.append({"config": {"B": B, "T": T, "H": H, "V": V}, "rnnlib_ms_per_step": round(ms, 2),
                     "peer": "pytorch" if torch is not None else None,
                     "peer_ms_per_step": None if peer is None else round(peer, 2),
                     "ratio": None if ratio is None else round(ratio, 3)})
        print(f"{str((B, T, H)):<16}{ms:>16.1f}{(f'{peer:.1f}' if peer else '-'):>17}"
              f"{(f'{ratio:.2f}x' if ratio else '-'):>8}", flush=True)

    B, T, H = THROUGHPUT_CONFIG
    batches = make_batches(ids, B, T)[:20]
    med = time_alternating({"batched": RnnlibStep(V, B, T, H, batches),
                            "fast_one_at_a_time": OneAtATimeStep(V, B, T, H, batches),
                            "readable_one_at_a_time": ReadableLoopStep(V, B, T, H, batches)},
                           max(2, repeats // 3), warmup=1)
    cps = {name: B * T / seconds for name, seconds in med.items()}
    speedup = cps["batched"] / cps["readable_one_at_a_time"]
    print(f"\ncharacters per second at (B, T, H) = {(B, T, H)}, one thread:")
    print(f"  one sequence at a time, readable code (notebook 05, float64) {cps['readable_one_at_a_time']:>9,.0f}")
    print(f"  one sequence at a time, fast code (rnnlib.models.char_lm, float32)  {cps['fast_one_at_a_time']:>9,.0f}"
          f"   {cps['fast_one_at_a_time'] / cps['readable_one_at_a_time']:.1f}x the readable loop")
    print(f"  batched, B = {B} (rnnlib.models.char_lm, float32)                    {cps['batched']:>9,.0f}"
          f"   {cps['batched'] / cps['fast_one_at_a_time']:.1f}x the fast loop, {speedup:.1f}x the readable loop")
    print(f"load average after: {load_average()}")

    results = {
        "lstm_step": rows,
        "throughput": {"config": {"B": B, "T": T, "H": H, "V": V},
                       "batched_chars_per_s": round(cps["batched"]),
                       "fast_one_at_a_time_chars_per_s": round(cps["fast_one_at_a_time"]),
                       "readable_one_at_a_time_chars_per_s": round(cps["readable_one_at_a_time"]),
                       "speedup_vs_readable_loop": round(speedup, 2),
                       "speedup_vs_fast_loop": round(cps["batched"] / cps["fast_one_at_a_time"], 2)},
        "meta": {"threads": 1, "dtype": "float32", "repeats": repeats, "statistic": "median",
                 "numpy": np.__version__, "torch": torch.__version__ if torch else None,
                 "python": platform.python_version(), "cpu_count": os.cpu_count(),
                 "load_average_end": load_average(), "command": "make bench"},
    }
    out = pathlib.Path(args.out)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return results


if __name__ == "__main__":
    main()
