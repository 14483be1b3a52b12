"""A bidirectional LSTM classifier and tagger: the cheap baseline beside the transformers.

The models are ordinary ``transformers.PreTrainedModel`` subclasses registered with
the Auto classes (``register()``; the loading module calls it before any load), so
the trainer, evaluation, inference, checkpoints and ``save_pretrained`` /
``from_pretrained`` (safetensors) treat them like any Hugging Face model, with no
``trust_remote_code`` and no ``auto_map`` in the saved ``config.json``.

Shape of the network (B = batch, T = tokens, E = embedding, H = hidden per direction)::

    input_ids (B, T) -> embedding (B, T, E) -> dropout
      -> num_hidden_layers x [packed bidirectional LSTM -> (B, T, 2H)], dropout between layers
      -> classification: masked mean and max over the real tokens -> (B, 4H) -> dropout -> linear
      -> tagging: dropout -> linear per token -> (B, T, num_labels)

The LSTMs run on packed sequences (``pack_padded_sequence`` with the lengths of the
attention mask), so padding costs no compute and cannot leak into the backward
direction: a padded and an unpadded batch give the same logits for the real tokens.
The data is right-padded (the workbench's WordPiece tokenizers pad on the right).

There is no attention: ``output_attentions=True`` raises a ModelError, and the
inspection code asks ``inspection.attention.has_attention(model)`` before trying.
"""

from __future__ import annotations

import threading
from typing import Any

import torch
from torch import nn
from torch.nn.utils.rnn import PackedSequence, pack_padded_sequence, pad_packed_sequence
from transformers import (
    AutoConfig,
    AutoModel,
    AutoModelForSequenceClassification,
    AutoModelForTokenClassification,
    PretrainedConfig,
    PreTrainedModel,
)
from transformers.modeling_outputs import (
    BaseModelOutput,
    SequenceClassifierOutput,
    TokenClassifierOutput,
)

from workbench.engine.errors import ModelError
from workbench.engine.models.model_types import BILSTM_MODEL_TYPE as MODEL_TYPE

NO_ATTENTION = (
    "a BiLSTM has no attention, so there are no attention maps to show. "
    "Token saliency (workbench explain, or the Prediction tab) works for it."
)


class BiLSTMConfig(PretrainedConfig):
    """Shape of a BiLSTM; label fields (num_labels, id2label, label2id) come from PretrainedConfig."""

    model_type = MODEL_TYPE

    vocab_size: int = 8000
    # 128-wide embeddings: a word vector needs far fewer dimensions than the
    # recurrent state that summarises a whole prefix.
    embedding_size: int = 128
    # Units per direction; the layer output is twice this wide.
    hidden_size: int = 256
    num_hidden_layers: int = 1
    # On the embeddings, between layers and before the head: small data over-fits an LSTM fast.
    dropout: float = 0.3
    # Std of the N(0, std) embeddings and linear weights, transformers' usual 0.02: on
    # SST-2 (150 steps) it beat 0.1 (0.72 vs 0.67 dev accuracy), as the LSTM's gates
    # start unsaturated.
    initializer_range: float = 0.02
    pad_token_id: int | None = 0


def _lengths(attention_mask: torch.Tensor | None, batch: int, length: int, device: torch.device) -> torch.Tensor:
    """(B,) real-token counts, checked to be right-padded (the packed LSTM reads a prefix)."""
    if attention_mask is None:
        return torch.full((batch,), length, dtype=torch.long, device=device)
    mask = attention_mask.bool()  # (B, T)
    lengths = mask.sum(1)  # (B,)
    prefix = torch.arange(length, device=device)[None, :] < lengths[:, None]  # (B, T)
    if not torch.equal(prefix, mask):
        raise ModelError(
            "a BiLSTM reads each text from its first token, so its inputs must be padded on the right "
            "(the attention mask must be ones then zeros). Use a tokenizer with padding_side='right'."
        )
    return lengths


def _check_no_attention(output_attentions: bool | None, config: Any) -> None:
    if output_attentions or (output_attentions is None and getattr(config, "output_attentions", False)):
        raise ModelError(f"output_attentions was asked for, but {NO_ATTENTION}")


class BiLSTMPreTrainedModel(PreTrainedModel):
    config_class = BiLSTMConfig
    config: BiLSTMConfig
    base_model_prefix = "bilstm"
    main_input_name = "input_ids"

    def _init_weights(self, module: nn.Module) -> None:
        # transformers' defaults: Xavier-uniform LSTM weights, zero biases, N(0, initializer_range)
        # embeddings with a zero padding row, N(0, initializer_range) linear layers.
        super()._init_weights(module)
        if isinstance(module, nn.LSTM) and not getattr(module.bias_ih_l0, "_is_hf_initialized", False):
            # Forget-gate bias 1 (Jozefowicz et al. 2015): the cell remembers by default early in
            # training, so gradients reach the first tokens. Gate order in torch: input, forget, cell, output.
            h = module.hidden_size
            with torch.no_grad():
                for name, param in module.named_parameters():
                    if name.startswith("bias_ih"):
                        param[h : 2 * h].fill_(1.0)


class BiLSTMModel(BiLSTMPreTrainedModel):
    """Embeddings and the stacked bidirectional LSTMs; ``last_hidden_state`` is (B, T, 2H), zeros at padding."""

    def __init__(self, config: BiLSTMConfig) -> None:
        super().__init__(config)
        self.embeddings = nn.Embedding(config.vocab_size, config.embedding_size, padding_idx=config.pad_token_id)
        self.dropout = nn.Dropout(config.dropout)
        # One single-layer LSTM per layer (not nn.LSTM(num_layers=n)): the trainer's
        # freeze_layers finds them as a ModuleList of num_hidden_layers blocks, and
        # hidden_states can return every layer's output.
        self.layers = nn.ModuleList(
            nn.LSTM(
                config.embedding_size if i == 0 else 2 * config.hidden_size,
                config.hidden_size,
                batch_first=True,
                bidirectional=True,
            )
            for i in range(config.num_hidden_layers)
        )
        self.post_init()

    def get_input_embeddings(self) -> nn.Embedding:
        return self.embeddings

    def set_input_embeddings(self, value: nn.Embedding) -> None:
        self.embeddings = value

    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,  # accepted (BERT-style tokenizers return it), unused
        inputs_embeds: torch.Tensor | None = None,
        output_attentions: bool | None = None,
        output_hidden_states: bool | None = None,
        return_dict: bool | None = None,
    ) -> BaseModelOutput | tuple[Any, ...]:
        _check_no_attention(output_attentions, self.config)
        if (input_ids is None) == (inputs_embeds is None):
            raise ModelError("give exactly one of input_ids and inputs_embeds.")
        if output_hidden_states is None:
            output_hidden_states = bool(self.config.output_hidden_states)
        x = self.embeddings(input_ids) if inputs_embeds is None else inputs_embeds  # (B, T, E)
        B, T = x.shape[:2]
        if T == 0:
            raise ModelError("the input has no tokens.")
        # On a GPU this copy to the CPU is a sync point: pack_padded_sequence wants CPU lengths.
        lengths = _lengths(attention_mask, B, T, x.device).clamp(min=1).cpu()  # (B,)
        packed = pack_padded_sequence(self.dropout(x), lengths, batch_first=True, enforce_sorted=False)
        hidden_states: list[torch.Tensor] = [x] if output_hidden_states else []
        # cuDNN's LSTM backward runs only in training mode; saliency takes gradients of a
        # model in eval mode, so that case uses the native kernels.
        cudnn = not (x.is_cuda and not self.training and torch.is_grad_enabled())
        with torch.backends.cudnn.flags(enabled=cudnn and torch.backends.cudnn.enabled):
            for i, lstm in enumerate(self.layers):
                if i:
                    packed = PackedSequence(
                        self.dropout(packed.data), packed.batch_sizes, packed.sorted_indices, packed.unsorted_indices
                    )
                packed, _ = lstm(packed)  # data: (sum of lengths, 2H)
                if output_hidden_states:
                    hidden_states.append(pad_packed_sequence(packed, batch_first=True, total_length=T)[0])
        if output_hidden_states:
            out = hidden_states[-1]
        else:
            out, _ = pad_packed_sequence(packed, batch_first=True, total_length=T)  # (B, T, 2H), 0 at padding
        result = BaseModelOutput(
            last_hidden_state=out, hidden_states=tuple(hidden_states) if output_hidden_states else None
        )
        return result if return_dict is not False else result.to_tuple()


class _BiLSTMWithHead(BiLSTMPreTrainedModel):
    """The encoder, dropout and a linear head; a subclass says how wide the head's input is."""

    # The head's input width in units of hidden_size.
    head_width = 2

    def __init__(self, config: BiLSTMConfig) -> None:
        super().__init__(config)
        self.num_labels = config.num_labels
        self.bilstm = BiLSTMModel(config)
        self.dropout = nn.Dropout(config.dropout)
        self.classifier = nn.Linear(self.head_width * config.hidden_size, config.num_labels)
        self.post_init()

    def get_input_embeddings(self) -> nn.Embedding:
        return self.bilstm.embeddings

    def set_input_embeddings(self, value: nn.Embedding) -> None:
        self.bilstm.embeddings = value


class BiLSTMForSequenceClassification(_BiLSTMWithHead):
    """One label per text: masked mean and max pooling of the BiLSTM states, then a linear layer."""

    head_width = 4  # mean and max of the 2H-wide states, side by side

    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        inputs_embeds: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        output_attentions: bool | None = None,
        output_hidden_states: bool | None = None,
        return_dict: bool | None = None,
    ) -> SequenceClassifierOutput | tuple[Any, ...]:
        outputs = self.bilstm(
            input_ids, attention_mask=attention_mask, inputs_embeds=inputs_embeds,
            output_attentions=output_attentions, output_hidden_states=output_hidden_states, return_dict=True,
        )
        states = outputs.last_hidden_state  # (B, T, 2H)
        B, T = states.shape[:2]
        if attention_mask is None:
            mask = torch.ones(B, T, dtype=torch.bool, device=states.device)
        else:
            mask = attention_mask.bool()  # (B, T)
        m = mask[:, :, None]  # (B, T, 1)
        count = m.sum(1).clamp(min=1).to(states.dtype)  # (B, 1)
        mean = (states * m).sum(1) / count  # (B, 2H)
        # The most negative finite value, not -inf: a row of all padding must not give NaN.
        peak = states.masked_fill(~m, torch.finfo(states.dtype).min).amax(1)  # (B, 2H)
        logits = self.classifier(self.dropout(torch.cat([mean, peak], dim=-1)))  # (B, num_labels)
        loss = self._loss(logits, labels) if labels is not None else None
        result = SequenceClassifierOutput(loss=loss, logits=logits, hidden_states=outputs.hidden_states)
        return result if return_dict is not False else result.to_tuple()

    def _loss(self, logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
        """transformers' convention for sequence classifiers (as BertForSequenceClassification)."""
        if self.config.problem_type is None:
            if self.num_labels == 1:
                self.config.problem_type = "regression"
            elif labels.dtype in (torch.long, torch.int):
                self.config.problem_type = "single_label_classification"
            else:
                self.config.problem_type = "multi_label_classification"
        if self.config.problem_type == "regression":
            if self.num_labels == 1:
                return nn.functional.mse_loss(logits.squeeze(), labels.squeeze().to(logits.dtype))
            return nn.functional.mse_loss(logits, labels.to(logits.dtype))
        if self.config.problem_type == "single_label_classification":
            return nn.functional.cross_entropy(logits.view(-1, self.num_labels), labels.view(-1))
        return nn.functional.binary_cross_entropy_with_logits(logits, labels.to(logits.dtype))


class BiLSTMForTokenClassification(_BiLSTMWithHead):
    """One tag per token: a linear layer on each BiLSTM state; labels of -100 are ignored."""

    def forward(
        self,
        input_ids: torch.Tensor | None = None,
        attention_mask: torch.Tensor | None = None,
        token_type_ids: torch.Tensor | None = None,
        inputs_embeds: torch.Tensor | None = None,
        labels: torch.Tensor | None = None,
        output_attentions: bool | None = None,
        output_hidden_states: bool | None = None,
        return_dict: bool | None = None,
    ) -> TokenClassifierOutput | tuple[Any, ...]:
        outputs = self.bilstm(
            input_ids, attention_mask=attention_mask, inputs_embeds=inputs_embeds,
            output_attentions=output_attentions, output_hidden_states=output_hidden_states, return_dict=True,
        )
        logits = self.classifier(self.dropout(outputs.last_hidden_state))  # (B, T, num_labels)
        loss = None
        if labels is not None:
            # cross_entropy ignores -100 (padding, special tokens, non-first word pieces).
            loss = nn.functional.cross_entropy(logits.view(-1, self.num_labels), labels.view(-1))
        result = TokenClassifierOutput(loss=loss, logits=logits, hidden_states=outputs.hidden_states)
        return result if return_dict is not False else result.to_tuple()


_REGISTERED = False
_REGISTER_LOCK = threading.Lock()


def register() -> None:
    """Make the BiLSTM known to AutoConfig and the Auto model classes (idempotent, thread-safe)."""
    global _REGISTERED
    with _REGISTER_LOCK:
        if _REGISTERED:
            return
        AutoConfig.register(MODEL_TYPE, BiLSTMConfig, exist_ok=True)
        AutoModel.register(BiLSTMConfig, BiLSTMModel, exist_ok=True)
        AutoModelForSequenceClassification.register(BiLSTMConfig, BiLSTMForSequenceClassification, exist_ok=True)
        AutoModelForTokenClassification.register(BiLSTMConfig, BiLSTMForTokenClassification, exist_ok=True)
        _REGISTERED = True


register()
