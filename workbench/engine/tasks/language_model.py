"""What masked and causal language modelling share: packed blocks, the evaluation loop, unigram baselines.

``LanguageModelTask`` is the base of ``MaskedLM`` (masked_lm.py) and ``CausalLM``
(causal_lm.py); it is not registered itself. The corpus is packed into blocks of
``max_length`` tokens (``encode_lm``), so training never pads. Evaluation scores the
positions a task chooses (``eval_labels``: the masked tokens, or every next token)
and, given the training-token counts (``UnigramCounts``), what a model that knows
only word frequencies would score on the very same positions: a language model that
does not beat that baseline has learned nothing about context.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from workbench.engine import metrics as M
from workbench.engine.encoding import Encoded, finish_encoding
from workbench.engine.errors import DatasetError
from workbench.engine.eval_loop import (
    EVAL_MASK_SEED,
    EvalOptions,
    EvalResult,
    autocast_context,
    eval_batches,
    move,
    pad_eval_batch,
)
from workbench.engine.tasks.base import Task

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedTokenizerBase

    from workbench.engine.data.examples import Examples

# Lines are tokenised in groups this large: big enough for the fast tokenizer's
# batching, small enough to bound peak memory.
_LM_LINE_GROUP = 2000


class LanguageModelTask(Task):
    """Self-supervised pre-training on plain text (subclassed by the masked and causal tasks)."""

    language_model = True
    # A language model's (B, T, V) logits are too large to gather: rank 0 evaluates alone.
    gathers_eval_outputs = False
    # The accuracy's name part: eval_{target_kind}_accuracy (and its unigram baseline's).
    target_kind: ClassVar[str]

    def eval_labels(self, batch: dict[str, torch.Tensor], tokenizer: Any, generator: torch.Generator) -> torch.Tensor:
        """(B, T) the target of each position (-100: not scored); may change the batch's input in place."""
        raise NotImplementedError

    def scored(self, logits: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The logits and labels that are compared (causal LMs shift them by one)."""
        return logits, labels

    def evaluate(self, model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions) -> EvalResult:
        return evaluate_lm(self, model, tokenizer, encoded, options)


def encode_lm(
    examples: Examples, tokenizer: PreTrainedTokenizerBase, max_length: int, *, wrap: bool
) -> Encoded:
    """Pack the corpus into fixed-length blocks (no padding at all during training).

    Lines are joined with newlines and tokenised in large groups, so line
    breaks stay part of the text (they matter for verse and code).
    ``wrap`` (masked LM): blocks of max_length - 2 wrapped in [CLS] ... [SEP];
    else (causal LM) blocks of max_length tokens.
    """
    stream: list[int] = []
    texts = examples.texts
    for start in range(0, len(texts), _LM_LINE_GROUP):
        chunk = "\n".join(texts[start : start + _LM_LINE_GROUP]) + "\n"
        # verbose=False: the chunk is longer than the model's positions on purpose (it is
        # cut into blocks next); transformers would warn about "indexing errors".
        stream.extend(tokenizer(chunk, add_special_tokens=False, verbose=False)["input_ids"])
    prefix: list[int] = []
    suffix: list[int] = []
    body = max_length
    if wrap:
        if tokenizer.cls_token_id is None or tokenizer.sep_token_id is None:
            raise DatasetError("masked-LM training needs a tokenizer with [CLS] and [SEP] tokens.")
        prefix, suffix = [tokenizer.cls_token_id], [tokenizer.sep_token_id]
        body = max_length - 2
    if len(stream) < 2:
        raise DatasetError(
            "the text is too short for language modelling (fewer than 2 tokens).", path=examples.source
        )
    features = []
    for start in range(0, len(stream), body):
        block = stream[start : start + body]
        if len(block) < 2:
            break
        features.append({"input_ids": prefix + block + suffix})
    # Language-model blocks are full by construction; nothing is truncated.
    encoded = finish_encoding(features, max_length)
    encoded.num_at_max_length = 0
    return encoded


def lm_logits(output: Any) -> torch.Tensor:
    """The token logits of a masked/causal LM output or of a *ForPreTraining output."""
    logits = getattr(output, "prediction_logits", None)
    return output.logits if logits is None else logits


def evaluate_lm(
    task: LanguageModelTask, model: Any, tokenizer: Any, encoded: Encoded, options: EvalOptions
) -> EvalResult:
    """Loss, perplexity and accuracy on the positions ``task`` scores (and the unigram and NSP figures)."""
    import torch

    device = options.device
    generator = torch.Generator().manual_seed(EVAL_MASK_SEED)
    total_loss, total_targets, correct = 0.0, 0, 0
    tally = LmTally(options.unigram)  # unigram baseline and next-sentence figures
    for indices in eval_batches(encoded, options.batch_size):
        batch = pad_eval_batch(encoded, indices, tokenizer)
        nsp_labels = batch.pop("next_sentence_label", None)  # (B,) when training with NSP
        labels = task.eval_labels(batch, tokenizer, generator)
        with autocast_context(device, options.precision):
            output = model(**move(batch, device))
            logits = lm_logits(output).float().cpu()  # (B, T, V)
        if nsp_labels is not None:
            tally.add_nsp(output.seq_relationship_logits.float().cpu(), nsp_labels)  # (B, 2)
        logits, labels = task.scored(logits, labels)
        keep = labels != -100
        if not keep.any():
            continue
        total_loss += float(torch.nn.functional.cross_entropy(logits[keep], labels[keep], reduction="sum"))
        total_targets += int(keep.sum())
        correct += int((logits[keep].argmax(-1) == labels[keep]).sum())
        tally.add_targets(labels[keep])
    loss = total_loss / max(total_targets, 1)
    metrics: dict[str, Any] = {
        "eval_loss": loss if total_targets else math.nan,
        "eval_perplexity": M.perplexity(loss) if total_targets else math.nan,
        "eval_examples": len(encoded),
        "eval_tokens": total_targets,
    }
    metrics[f"eval_{task.target_kind}_accuracy"] = correct / max(total_targets, 1)
    tally.finish(metrics, task.target_kind)
    return EvalResult(metrics)


# --------------------------------------------------------------------------- unigram baseline


@dataclass(frozen=True)
class UnigramCounts:
    """Token counts of the training text (special tokens excluded: they are never targets)."""

    counts: torch.Tensor  # (V,) int64, V = len(tokenizer)

    @property
    def total(self) -> int:
        return int(self.counts.sum())

    @property
    def most_frequent(self) -> int:
        return int(self.counts.argmax())  # ties: the lowest id

    def log_probs(self) -> torch.Tensor:
        """(V,) float64 log p(w) = log((count(w) + 1) / (total + V)): add-one smoothing, so unseen tokens are finite."""
        import torch

        counts = self.counts.double()
        return torch.log(counts + 1) - math.log(float(counts.sum()) + len(counts))


def unigram_counts(encoded: Encoded, tokenizer: PreTrainedTokenizerBase) -> UnigramCounts:
    """Count every non-special token of the encoded training features (once, before training)."""
    import torch

    vocab = len(tokenizer)
    ids = torch.tensor([t for f in encoded.features for t in f["input_ids"]], dtype=torch.long)
    special = torch.tensor(sorted(set(tokenizer.all_special_ids)), dtype=torch.long)
    ids = ids[~torch.isin(ids, special)]
    return UnigramCounts(torch.bincount(ids, minlength=vocab)[:vocab])


class LmTally:
    """Accumulates the unigram baseline and NSP figures over evaluation batches.

    Fed the same target ids the model is scored on, so the baseline and the
    model are compared on exactly the same positions.
    """

    def __init__(self, unigram: UnigramCounts | None) -> None:
        self.unigram = unigram
        self._log_probs = unigram.log_probs() if unigram is not None else None
        self.targets = 0
        self.unigram_correct = 0
        self.unigram_nll = 0.0
        self.nsp_pairs = 0
        self.nsp_correct = 0
        self.nsp_loss = 0.0

    def add_targets(self, targets: torch.Tensor) -> None:
        """``targets`` (N,) token ids of the scored positions."""
        if self.unigram is None or self._log_probs is None:
            return
        self.targets += targets.numel()
        self.unigram_correct += int((targets == self.unigram.most_frequent).sum())
        self.unigram_nll -= float(self._log_probs[targets].sum())

    def add_nsp(self, logits: torch.Tensor, labels: torch.Tensor) -> None:
        """``logits`` (B, 2) from the NSP head, ``labels`` (B,) 0 is next / 1 random."""
        import torch

        self.nsp_pairs += labels.numel()
        self.nsp_correct += int((logits.argmax(-1) == labels).sum())
        self.nsp_loss += float(torch.nn.functional.cross_entropy(logits.float(), labels, reduction="sum"))

    def finish(self, metrics: dict[str, Any], kind: str) -> None:
        """Add the baseline and NSP metrics to an LM evaluation's ``metrics`` (in place).

        ``kind``: the task's ``target_kind`` ("masked", "next_token"), the accuracy's name part.
        """
        if self.unigram is not None and self.targets:
            metrics[f"eval_unigram_{kind}_accuracy"] = self.unigram_correct / self.targets
            metrics["eval_unigram_perplexity"] = math.exp(min(self.unigram_nll / self.targets, 700.0))
        if self.nsp_pairs:
            nsp_loss = self.nsp_loss / self.nsp_pairs
            metrics["eval_nsp_accuracy"] = self.nsp_correct / self.nsp_pairs
            metrics["eval_nsp_loss"] = nsp_loss
            # eval_loss is the training objective (MLM + NSP, as *ForPreTraining sums them), so it
            # sits beside the training loss; eval_perplexity stays exp(MLM loss) alone, because
            # perplexity is a property of the token distribution, not of the NSP head.
            metrics["eval_mlm_loss"] = metrics["eval_loss"]
            metrics["eval_loss"] = metrics["eval_loss"] + nsp_loss
