"""The speed-ups keep the numbers: our training step equals a straightforward reference loop.

The trainer pads length-grouped batches itself and updates with the fused AdamW
kernel; the reference below does the textbook thing (pad each batch with plain
``pad_sequence``, for-loop AdamW, ``LambdaLR``, ``clip_grad_norm_``) on the same
batches from the same starting weights and RNG state, and must land on the same
weights.
"""

from __future__ import annotations

import copy

import pytest
import torch
from torch.nn.utils.rnn import pad_sequence

from workbench.engine.training.batching import epoch_batches
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.events import StepLogged, TrainBegin
from workbench.engine.training.optim import build_optimizer
from workbench.engine.training.trainer import Trainer

_NO_DECAY = ("bias", "LayerNorm.weight")


def _reference_steps(model, features, lengths, config: TrainConfig, steps: int, pad_id: int) -> list[float]:
    decay = [p for n, p in model.named_parameters() if not any(k in n for k in _NO_DECAY) and p.ndim >= 2]
    rest = [p for n, p in model.named_parameters() if any(k in n for k in _NO_DECAY) or p.ndim < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": config.weight_decay}, {"params": rest, "weight_decay": 0.0}],
        lr=config.lr, foreach=False,
    )
    warmup = round(config.warmup_ratio * steps)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: (s + 1) / warmup if s < warmup else (steps - s) / (steps - warmup)
    )
    losses = []
    model.train()
    for indices in epoch_batches(lengths, config.batch_size, config.seed, 0)[:steps]:
        ids = pad_sequence([torch.tensor(features[i]["input_ids"]) for i in indices], batch_first=True,
                           padding_value=pad_id)
        types = pad_sequence([torch.tensor(features[i]["token_type_ids"]) for i in indices], batch_first=True)
        mask = pad_sequence([torch.ones(len(features[i]["input_ids"]), dtype=torch.long) for i in indices],
                            batch_first=True)
        labels = torch.tensor([features[i]["labels"] for i in indices])
        loss = model(input_ids=ids, token_type_ids=types, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.max_grad_norm)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return losses


def test_trainer_steps_equal_a_plain_reference_loop(sst2_small) -> None:
    train, _ = sst2_small
    config = TrainConfig(
        data=str(train), validation_fraction=0.0, model="bert-tiny", layers=2, hidden=64, heads=2,
        vocab_size=800, max_steps=8, batch_size=16, lr=3e-3, warmup_ratio=0.25, seed=0, num_threads=1,
    )
    trainer = Trainer(config)
    start = rng = None
    losses = []
    for event in trainer.run():
        if isinstance(event, TrainBegin):  # before the first step: the weights and RNG both sides start from
            start, rng = copy.deepcopy(trainer.model), torch.get_rng_state()
        elif isinstance(event, StepLogged):
            losses.append(event.loss)
    assert start is not None and len(losses) == 8

    torch.set_rng_state(rng)  # dropout draws the same masks in the same order
    initial = copy.deepcopy(start.state_dict())
    encoded = trainer._train
    reference = _reference_steps(start, encoded.features, encoded.lengths, config, 8,
                                 trainer.tokenizer.pad_token_id)

    assert losses == pytest.approx(reference, rel=1e-4)
    ours, theirs = trainer.model.state_dict(), start.state_dict()
    for name in ours:
        torch.testing.assert_close(ours[name], theirs[name], atol=2e-5, rtol=1e-4, msg=name)
    # The weights did move (lr 3e-3 over 8 steps): the equality is not two untouched copies.
    moved = max(float((ours[n].float() - initial[n].float()).abs().max()) for n in ours)
    assert moved > 1e-3


def test_cpu_training_uses_the_fused_adamw_kernel() -> None:
    torch.manual_seed(0)
    model = torch.nn.Linear(4, 2)
    optimizer = build_optimizer(model, 1e-2, 0.1, torch.device("cpu"))
    assert optimizer.defaults.get("fused") is True
    # The textbook AdamW with the same groups: the matrix decays, the bias does not.
    reference = copy.deepcopy(model)
    ref_opt = torch.optim.AdamW([{"params": [reference.weight], "weight_decay": 0.1},
                                 {"params": [reference.bias], "weight_decay": 0.0}], lr=1e-2, foreach=False)
    x = torch.randn(8, 4)
    for _ in range(3):
        for m, opt in ((model, optimizer), (reference, ref_opt)):
            m(x).square().sum().backward()
            opt.step()
            opt.zero_grad()
    torch.testing.assert_close(model.weight, reference.weight)
    torch.testing.assert_close(model.bias, reference.bias)


def test_one_pass_prediction_with_attention_equals_the_two_passes(sst2_small) -> None:
    from workbench.engine.inference import Predictor
    from workbench.engine.inspection.attention import compute_attention
    from workbench.engine.inspection.predict_attention import predict_with_attention
    from workbench.engine.models.loading import ModelSource, build_from_scratch

    train, _ = sst2_small
    texts = [line.split("\t")[0] for line in train.read_text(encoding="utf-8").splitlines()[1:]]
    torch.manual_seed(0)
    model, tokenizer = build_from_scratch("bert-tiny", "classification", texts, ["neg", "pos"],
                                          layers=2, hidden=64, heads=2, vocab_size=800)
    predictor = Predictor(model.eval(), tokenizer, "classification", ["neg", "pos"], 64,
                          ModelSource("folder", "scratch"))
    text = "a gorgeous , witty , seductive movie ."
    result, maps = predict_with_attention(predictor, text)
    expected = predictor.predict([text])[0]
    assert result["label"] == expected["label"]
    assert result["probabilities"] == pytest.approx(expected["probabilities"], abs=1e-5)
    separate = compute_attention(model, tokenizer, text, max_length=64)
    assert maps.tokens == separate.tokens and maps.attentions.shape == (2, 2, len(maps.tokens), len(maps.tokens))
    torch.testing.assert_close(torch.from_numpy(maps.attentions), torch.from_numpy(separate.attentions))
    # Rows are softmax distributions: the maps are real attention, not zeros.
    torch.testing.assert_close(torch.from_numpy(maps.attentions.sum(-1)), torch.ones(maps.attentions.shape[:-1]))
