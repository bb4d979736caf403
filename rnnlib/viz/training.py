"""LivePlot: training and validation bits per character, redrawn in place while rnnlib.train.char_lm trains."""
import matplotlib.pyplot as plt
from IPython.display import display


class LivePlot:
    """A figure of training and validation bits per character, redrawn in place in a notebook.

        plot = LivePlot(baseline=unigram_bpc)
        history = train(..., TrainConfig(..., callback=plot.update))
    """

    def __init__(self, baseline=None, target=None, title="Training a character model"):
        self.plt = plt
        self.fig, self.ax = plt.subplots(figsize=(7, 3.2))
        self.baseline, self.target, self.title = baseline, target, title
        self.handle = display(self.fig, display_id=True)
        plt.close(self.fig)   # shown through the handle only, not a second time at the end of the cell

    def update(self, history, model=None):
        ax = self.ax
        ax.clear()
        ax.plot(history.seconds, history.train_bpc, marker=".", label="training")
        ax.plot(history.seconds, history.val_bpc, marker="o", label="validation")
        if self.baseline is not None:
            ax.axhline(self.baseline, color="gray", linestyle=":", label=f"unigram baseline {self.baseline:.2f}")
        if self.target is not None:
            ax.axhline(self.target, color="green", linestyle="--", label=f"goal {self.target:.2f}")
        ax.set_xlabel("seconds of training")
        ax.set_ylabel("bits per character")
        ax.set_title(f"{self.title}: validation {history.val_bpc[-1]:.3f} bpc at step {history.step[-1]}")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)    # beside the plot, over no line
        self.fig.tight_layout()
        self.handle.update(self.fig)
