"""What a training run leaves behind: its History (per-epoch numbers and their plot), and the
TrainingDiverged error that carries the History of the epochs that finished."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from words import Text, _, align, num, speaking
from words.fonts import chinese_texts

LOSS_DIGITS = 4  # losses move in the third and fourth decimal late in training


def percent(fraction: float, digits: int = 2) -> str:
    """0.8125 -> '81.25%' (a NaN accuracy, for losses without classes, shows as 'nan')."""
    return num(100 * fraction, digits) + "%" if fraction == fraction else "nan"


class TrainingDiverged(FloatingPointError):
    """The loss (or a gradient) became NaN or infinite; ``history`` holds the epochs so far.

    ``str(error)`` is English; ``words.localize(error, "zh")`` the advice in Chinese."""

    def __init__(self, message: str | Text, history: History, step: int, lr: float):
        super().__init__(str(message))
        if isinstance(message, Text):
            self.text = message
        self.history, self.step, self.lr = history, step, lr


@dataclass
class History:
    """Per-epoch records of a fit() run, ready to plot.

    ``train_loss``/``train_acc`` average the mini-batches of the epoch (data loss, without the L2
    term, measured before each update); ``val_loss``/``val_acc`` are measured after the epoch.
    ``grad_norm[layer]`` is the mean over the epoch's updates of that layer's gradient norm
    ‖dL/dw‖ (before clipping): shrinking to 0 in early layers shows vanishing gradients.
    ``lr`` is the learning rate of each epoch's last update.
    Accuracy is NaN when the loss has no notion of a correct class.
    """

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    grad_norm: dict[str, list[float]] = field(default_factory=dict)
    steps: int = 0  # optimizer updates made

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def table(self, lang: str | None = None) -> str:
        """The epochs as a table, its headings in ``lang`` (str() is the current language)."""
        with speaking(lang):
            head = [_("epoch"), _("loss"), _("acc")]
            if self.val_loss:
                head += [_("val loss"), _("val acc")]
            rows = [head]
            for e in range(self.epochs):
                row = [str(e + 1), num(self.train_loss[e], LOSS_DIGITS),
                       percent(self.train_acc[e])]
                if self.val_loss:
                    row += [num(self.val_loss[e], LOSS_DIGITS), percent(self.val_acc[e])]
                rows.append(row)
            return "\n".join(align(rows, right=set(range(len(head)))))

    def __str__(self) -> str:
        return self.table()

    def plot(self, path: str | os.PathLike | None = None, lang: str | None = None):
        """Loss, accuracy and per-layer gradient norms against the epoch (needs matplotlib),
        labelled in ``lang``. Returns the matplotlib Figure; with ``path`` it is also saved."""
        import matplotlib.pyplot as plt

        with speaking(lang):
            fig, axes = plt.subplots(1, 3, figsize=(13, 3.6))
            epochs = range(1, self.epochs + 1)
            for ax, (name, train, val) in zip(axes, [(_("loss"), self.train_loss, self.val_loss),
                                                     (_("accuracy"), self.train_acc,
                                                      self.val_acc)]):
                ax.plot(epochs, train, label=_("training"))
                if val:
                    ax.plot(epochs, val, label=_("validation"))
                ax.set(xlabel=_("epoch"), ylabel=name)
                ax.legend()
            for layer, norms in self.grad_norm.items():
                axes[2].plot(epochs, norms, label=layer)
            axes[2].set(xlabel=_("epoch"), ylabel=_("gradient norm"), yscale="log")
            axes[2].legend()
            # Chinese in a CJK font (found even when matplotlib's font cache predates it);
            # without one, a single warning names the package to install. Set on the texts, not
            # with rc_context: leaving that would switch a notebook's inline plotting off.
            chinese_texts(fig, _("the training plot"))
            fig.tight_layout()
            if path:
                fig.savefig(path)
        return fig
