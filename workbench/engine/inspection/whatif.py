"""What-if: edit a sentence and compare the classifier's view of both versions side by side.

For each side (original, edited) this collects the prediction, the integrated-
gradients saliency and the last layer's attention (mean over heads). Both
saliencies explain the *same* target label (the original's predicted label unless
one is given), so a token's colour means the same thing on both sides.

``token_ops`` says what the edit did to the tokens: ``difflib.SequenceMatcher``
opcodes over the two lists of *content* tokens (special tokens such as [CLS] and
[SEP] removed), "equal" runs left out. Indices count content tokens only, which
is also the order in which ``saliency_html`` draws its spans (it skips special
tokens), so a GUI can mark the i-th drawn token directly; ``Side.content_index``
maps them back to positions in ``tokens`` / ``attention``.

Qt-free; safe to run in a worker thread while another thread predicts with the
same predictor (see ``saliency`` and ``attention`` for why).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from workbench.engine.inspection.attention import compute_attention, has_attention, mean_over_heads
from workbench.engine.inspection.saliency import (
    DEFAULT_STEPS,
    Attribution,
    check_predictor,
    integrated_gradients,
)

if TYPE_CHECKING:
    from workbench.engine.inference import Predictor

# (tag, i1, i2, j1, j2): tag is "replace", "delete" or "insert"; original[i1:i2] -> edited[j1:j2].
TokenOp = tuple[str, int, int, int, int]


@dataclass(frozen=True, eq=False)  # eq=False: numpy arrays have no single truth value
class Side:
    text: str
    label: str  # the predicted label
    probabilities: dict[str, float]  # label -> probability, exactly as ``Predictor.predict`` gives them
    attribution: Attribution  # integrated gradients for the WhatIf's common target
    # float32 (T, T): last layer, mean over heads; rows = query. None for models
    # without attention (the BiLSTM preset): prediction and saliency still compare.
    attention: np.ndarray | None
    tokens: list[str]  # the T tokens the model sees, special tokens included

    @property
    def special(self) -> np.ndarray:
        """bool (T,): True for [CLS], [SEP], <s> ..."""
        if self.attribution.special is not None:
            return self.attribution.special
        return np.zeros(len(self.tokens), dtype=bool)

    @property
    def content_index(self) -> list[int]:
        """Positions in ``tokens`` of the non-special tokens, in order (what ``token_ops`` counts)."""
        return [i for i, s in enumerate(self.special) if not s]

    @property
    def content_tokens(self) -> list[str]:
        return [self.tokens[i] for i in self.content_index]


@dataclass
class WhatIf:
    original: Side
    edited: Side
    probability_change: dict[str, float]  # label -> P(edited) - P(original)
    label_changed: bool
    token_ops: list[TokenOp]  # over content tokens; no "equal" runs

    @property
    def target(self) -> str:
        """The label both saliencies explain."""
        return self.original.attribution.target

    def edited_changed(self) -> set[int]:
        """Content-token indices of the edited side that were inserted or replaced."""
        return {j for tag, _i1, _i2, j1, j2 in self.token_ops if tag in ("insert", "replace") for j in range(j1, j2)}

    def original_changed(self) -> set[int]:
        """Content-token indices of the original side that were deleted or replaced."""
        return {i for tag, i1, i2, _j1, _j2 in self.token_ops if tag in ("delete", "replace") for i in range(i1, i2)}


def token_ops(original: list[str], edited: list[str]) -> list[TokenOp]:
    """SequenceMatcher opcodes turning ``original`` into ``edited``, without the "equal" runs."""
    # autojunk=False: the heuristic drops frequent tokens ("the", ",") from matching
    # in sequences over 200 items, which would report spurious replacements.
    matcher = difflib.SequenceMatcher(a=original, b=edited, autojunk=False)
    return [(tag, i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]


def side(predictor: Predictor, text: str, target: str | int | None, *, steps: int = DEFAULT_STEPS) -> Side:
    """Prediction, saliency (for ``target``; None = this text's own prediction) and attention of one text."""
    # 1. Prediction, exactly as the prediction panel and the CLI compute it.
    pred = predictor.predict([text])[0]
    # 2. Saliency for the requested label.
    attribution = integrated_gradients(predictor, text, target, steps=steps)
    # 3. Attention of the last layer, averaged over heads: (L, H, T, T) -> (T, T).
    if not has_attention(predictor.model):
        return Side(text, str(pred["label"]), dict(pred["probabilities"]), attribution, None,
                    list(attribution.tokens))
    maps = compute_attention(predictor.model, predictor.tokenizer, text, max_length=predictor.max_length)
    attention = mean_over_heads(maps.attentions[-1]).astype(np.float32)  # (T, T)
    return Side(text, str(pred["label"]), dict(pred["probabilities"]), attribution, attention, list(maps.tokens))


def what_if(
    predictor: Predictor,
    original: str,
    edited: str,
    *,
    target: str | int | None = None,
    steps: int = DEFAULT_STEPS,
) -> WhatIf:
    """Compare ``original`` with ``edited``; both saliencies explain the same label."""
    check_predictor(predictor)  # classification only: fail before any work
    # 1. The original decides the common target (its predicted label) unless one is given.
    first = side(predictor, original, target, steps=steps)
    # 2. The edited text, explained for the same label so the colours are comparable.
    second = side(predictor, edited, first.attribution.target_index, steps=steps)
    # 3. Differences: probabilities label by label, and the token edit script.
    change = {name: second.probabilities[name] - first.probabilities[name] for name in first.probabilities}
    ops = token_ops(first.content_tokens, second.content_tokens)
    return WhatIf(first, second, change, first.label != second.label, ops)
