"""Masked-LM pre-training extras: next-sentence pairs, the NSP model and objective, unigram baselines."""

from __future__ import annotations

import json
import math
import random
import shutil
from collections import Counter
from pathlib import Path

import pytest
import torch

from tests.conftest import minilm_dir, shared
from workbench.engine.data.examples import Examples
from workbench.engine.encoding import Encoded
from workbench.engine.errors import ConfigError, DatasetError
from workbench.engine.evaluation import encode, evaluate
from workbench.engine.inference import Predictor, infer_task
from workbench.engine.models.loading import build_from_scratch, resolve_spec
from workbench.engine.models.presets import train_tokenizer
from workbench.engine.runs import RunFolder
from workbench.engine.tasks.language_model import LmTally, unigram_counts
from workbench.engine.training.config import TrainConfig
from workbench.engine.training.control import TrainControl
from workbench.engine.training.events import (
    EvalDone,
    Status,
    StepLogged,
    TrainBegin,
    TrainCancelled,
)
from workbench.engine.training.pretraining import (
    IS_NEXT,
    NSP_MODEL_TYPES,
    NSP_SPLIT_NOTE,
    RANDOM_NEXT,
    build_pairs,
    encode_nsp,
    nsp_problem,
)
from workbench.engine.training.trainer import Trainer


def shakespeare(tmp_path: Path, lines: int, name: str = "corpus.txt", start: int = 0) -> Path:
    text = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[start : start + lines]
    path = tmp_path / name
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


def lm_examples(texts: list[str]) -> Examples:
    return Examples("masked-lm", texts, None, None, None, [], None, list(range(1, len(texts) + 1)))


def nsp_config(data: Path, out: Path | None, **overrides) -> TrainConfig:
    values = dict(
        data=str(data), task="masked-lm", model="bert-tiny", next_sentence_prediction=True,
        max_steps=6, eval_every=3, batch_size=8, max_length=48, vocab_size=600, layers=1,
        hidden=64, num_threads=1, output=str(out) if out else None,
    )
    values.update(overrides)
    return TrainConfig(**values)


# ---------------------------------------------------------------------------- NSP pairs


def test_pairs_follow_bert_recipe() -> None:
    """Is-next pairs are contiguous text; random pairs come from outside; half and half; seeded."""
    # Line k holds the tokens 3k, 3k+1, 3k+2: a pair's tokens tell where they came from.
    lines = [[3 * k, 3 * k + 1, 3 * k + 2] for k in range(400)]
    pairs = build_pairs(lines, 12, random.Random(0))
    assert len(pairs) > 100
    for a, b, label in pairs:
        assert a and b and len(a) + len(b) <= 12
        if label == IS_NEXT:  # A then B is a stretch of the corpus, untouched
            assert a + b == list(range(a[0], a[0] + len(a) + len(b)))
        else:
            assert label == RANDOM_NEXT
            assert not set(a) & set(b) and b[0] != a[-1] + 1
            assert b == list(range(b[0], b[0] + len(b)))  # still one stretch of text
    share = sum(label for *_, label in pairs) / len(pairs)
    assert 0.4 < share < 0.6
    assert build_pairs(lines, 12, random.Random(0)) == pairs
    assert build_pairs(lines, 12, random.Random(1)) != pairs


def test_long_lines_are_cut_to_fit() -> None:
    lines = [list(range(1000 * k, 1000 * k + 50)) for k in range(30)]
    pairs = build_pairs(lines, 20, random.Random(3))
    assert pairs and all(len(a) + len(b) <= 20 and a and b for a, b, _ in pairs)


def test_encode_nsp_features() -> None:
    texts = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:400]
    texts = [t for t in texts if t.strip()]
    tok = train_tokenizer("bert", texts, 500)
    enc = encode_nsp(lm_examples(texts), tok, 32, seed=5)
    assert len(enc) > 20 and enc.lengths == [len(f["input_ids"]) for f in enc.features]
    for f in enc.features:
        ids, types = f["input_ids"], f["token_type_ids"]
        assert len(ids) <= 32 and len(types) == len(ids)
        assert ids[0] == tok.cls_token_id and ids[-1] == tok.sep_token_id
        seps = [i for i, t in enumerate(ids) if t == tok.sep_token_id]
        assert len(seps) == 2
        assert types == [0] * (seps[0] + 1) + [1] * (len(ids) - seps[0] - 1)
        assert f["next_sentence_label"] in (0, 1)
    # The same seed gives the same pairs (exact resume); the text itself is not changed.
    assert encode_nsp(lm_examples(texts), tok, 32, seed=5).features == enc.features
    with pytest.raises(ConfigError, match="max_length"):
        encode_nsp(lm_examples(texts), tok, 4, seed=0)
    with pytest.raises(DatasetError, match="at least 3"):
        encode_nsp(lm_examples(["one line", "two lines"]), tok, 32, seed=0)


def test_nsp_model_types_match_transformers() -> None:
    """The static list the GUI checks against agrees with transformers' pre-training classes."""
    import inspect

    import transformers
    from transformers.models.auto.modeling_auto import MODEL_FOR_PRETRAINING_MAPPING_NAMES

    def has_nsp(model_type: str) -> bool:
        cls = getattr(transformers, MODEL_FOR_PRETRAINING_MAPPING_NAMES[model_type])
        return "next_sentence_label" in inspect.signature(cls.forward).parameters

    # Importing every architecture takes ~15 s; the listed ones and the usual others suffice.
    assert all(has_nsp(t) for t in NSP_MODEL_TYPES)
    assert not any(has_nsp(t) for t in ("roberta", "distilbert", "albert", "electra", "gpt2", "deberta"))


def _config_only_folder(tmp_path: Path, model_type: str) -> Path:
    folder = tmp_path / model_type
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": model_type}), encoding="utf-8")
    return folder


def test_models_without_an_nsp_head_are_refused(tmp_path) -> None:
    corpus = shakespeare(tmp_path, 60)
    with pytest.raises(ConfigError, match="next_sentence_prediction: only for masked-lm"):
        TrainConfig(data=str(corpus), task="classification", next_sentence_prediction=True).validate()
    for model_type in ("roberta", "distilbert"):
        folder = _config_only_folder(tmp_path, model_type)
        assert "no" in nsp_problem(str(folder)) and model_type in nsp_problem(str(folder))
        with pytest.raises(ConfigError, match="next-sentence head"):
            list(Trainer(nsp_config(corpus, None, model=str(folder))).run())
    assert "GPT preset" in nsp_problem("gpt-tiny")
    assert nsp_problem("bert-tiny") is None
    assert nsp_problem(str(_config_only_folder(tmp_path, "bert"))) is None


# ---------------------------------------------------------------------------- NSP training


@pytest.fixture(scope="module")
def nsp_run(tmp_path_factory) -> tuple[Path, list]:
    tmp = tmp_path_factory.mktemp("nsp")
    corpus, dev = shakespeare(tmp, 500), shakespeare(tmp, 150, "dev.txt", start=500)
    out = tmp / "run"
    control = TrainControl()
    events = []
    for event in Trainer(nsp_config(corpus, out, validation=str(dev))).run(control):
        events.append(event)
        if isinstance(event, StepLogged) and event.step == 2:
            control.request_snapshot()
        if isinstance(event, StepLogged) and event.step == 3:
            events.append(control.latest_snapshot())
    return out, events


def test_nsp_evaluation_reports_its_accuracy_and_the_mlm_perplexity(nsp_run) -> None:
    out, events = nsp_run
    evals = [e.metrics for e in events if isinstance(e, EvalDone)]
    assert len(evals) == 2
    for m in evals:
        assert 0 <= m["eval_nsp_accuracy"] <= 1 and 0 <= m["eval_masked_accuracy"] <= 1
        assert m["eval_loss"] == pytest.approx(m["eval_mlm_loss"] + m["eval_nsp_loss"])
        assert m["eval_perplexity"] == pytest.approx(math.exp(m["eval_mlm_loss"]))
        assert 0 <= m["eval_unigram_masked_accuracy"] <= 1 and m["eval_unigram_perplexity"] > 1
    summary = RunFolder(out).read_summary()
    assert summary["eval_nsp_accuracy"] == evals[-1]["eval_nsp_accuracy"]
    assert NSP_SPLIT_NOTE not in [e.message for e in events if isinstance(e, Status)]  # a validation file was given
    assert json.loads((out / "config.json").read_text())["next_sentence_prediction"] is True


def test_nsp_model_folder_loads_as_a_masked_lm(nsp_run, tmp_path) -> None:
    """The saved BertForPreTraining folder: fill-mask works, and its MLM logits are the pre-training model's."""
    from transformers import AutoModelForPreTraining

    out, _ = nsp_run
    assert json.loads((out / "model" / "config.json").read_text())["architectures"] == ["BertForPreTraining"]
    predictor = Predictor.load(out)
    assert predictor.task == "masked-lm" and type(predictor.model).__name__ == "BertForMaskedLM"
    result = predictor.predict(["the king [MASK] here"], top_k=3)[0]
    assert len(result["fillers"]) == 3 and all(0 <= f["score"] <= 1 for f in result["fillers"])

    pretraining = AutoModelForPreTraining.from_pretrained(out / "model").eval()
    inputs = predictor.tokenizer(["the king [MASK] here", "to be or not"], padding=True, return_tensors="pt")
    with torch.no_grad():
        expected = pretraining(**inputs).prediction_logits
        got = predictor.model(**inputs).logits
    assert torch.allclose(got, expected, atol=1e-5)

    # Without workbench_model.json the task comes from the architecture.
    bare = tmp_path / "bare"
    shutil.copytree(out / "model", bare)
    (bare / "workbench_model.json").unlink()
    assert infer_task(resolve_spec(str(bare))) == "masked-lm"


def test_live_snapshot_of_an_nsp_run_fills_masks(nsp_run) -> None:
    _, events = nsp_run
    snapshot = next(e for e in events if isinstance(e, Predictor))
    assert type(snapshot.model).__name__ == "BertForMaskedLM"
    assert len(snapshot.predict(["the [MASK] is here"], top_k=2)[0]["fillers"]) == 2


def test_nsp_resume_gives_identical_weights(tmp_path) -> None:
    """The pairs are drawn once from the seed, so a stopped and resumed run equals an uninterrupted one."""
    from safetensors.torch import load_file

    corpus = shakespeare(tmp_path, 300)
    full, part = tmp_path / "full", tmp_path / "part"
    first = list(Trainer(nsp_config(corpus, full, eval_every=4)).run())
    # No validation file: the held-out lines are random, and the run says what that means for NSP.
    assert NSP_SPLIT_NOTE in [e.message for e in first if isinstance(e, Status)]
    control = TrainControl()
    events = []
    for event in Trainer(nsp_config(corpus, part, eval_every=4)).run(control):
        events.append(event)
        if isinstance(event, StepLogged) and event.step == 3:
            control.request_stop()
    assert isinstance(events[-1], TrainCancelled)
    resumed = list(Trainer(TrainConfig.load(part / "config.json"), resume_from=part).run())
    assert [e.start_step for e in resumed if isinstance(e, TrainBegin)] == [3]
    a, b = load_file(str(full / "model" / "model.safetensors")), load_file(str(part / "model" / "model.safetensors"))
    assert a.keys() == b.keys() and any(k.startswith("cls.seq_relationship") for k in a)
    for key in a:
        assert torch.equal(a[key], b[key]), key


# ---------------------------------------------------------------------------- unigram baseline


def test_unigram_baseline_matches_a_hand_computation() -> None:
    tok = train_tokenizer("bert", ["apple banana cherry date"] * 5, 60)
    a, b, c, d = (tok.convert_tokens_to_ids(w) for w in ("apple", "banana", "cherry", "date"))
    cls, sep = tok.cls_token_id, tok.sep_token_id
    # Training text: apple x3, banana x2, cherry x1 (special tokens are not counted).
    train = Encoded([{"input_ids": [cls, a, a, b, sep]}, {"input_ids": [cls, a, b, c, sep]}], [5, 5])
    counts = unigram_counts(train, tok)
    assert counts.total == 6 and counts.most_frequent == a
    assert counts.counts[a] == 3 and counts.counts[b] == 2 and counts.counts[c] == 1 and counts.counts[d] == 0

    tally = LmTally(counts)
    tally.add_targets(torch.tensor([a, b, c, d]))
    metrics = {"eval_loss": 1.0}
    tally.finish(metrics, "masked")
    V = len(tok)
    by_hand = [(3 + 1) / (6 + V), (2 + 1) / (6 + V), (1 + 1) / (6 + V), (0 + 1) / (6 + V)]
    assert metrics["eval_unigram_masked_accuracy"] == 0.25  # only "apple" is guessed right
    assert metrics["eval_unigram_perplexity"] == pytest.approx(math.exp(-sum(map(math.log, by_hand)) / 4))
    assert metrics["eval_loss"] == 1.0 and "eval_nsp_accuracy" not in metrics  # no NSP figures without NSP


def test_masked_lm_baseline_on_a_one_word_corpus() -> None:
    """Every masked target is the only word, whichever positions the mask picks: accuracy 1, perplexity (N+V)/(N+1)."""
    texts = ["spam spam spam spam"] * 40
    model, tok = build_from_scratch("bert-tiny", "masked-lm", texts, layers=1, hidden=32, heads=2, vocab_size=50)
    train = encode(lm_examples(texts), tok, "masked-lm", 32)
    counts = unigram_counts(train, tok)
    n, v = counts.total, len(tok)
    assert n == 160
    metrics = evaluate(model, tok, "masked-lm", train, unigram=counts).metrics
    assert metrics["eval_tokens"] > 0
    assert metrics["eval_unigram_masked_accuracy"] == 1.0
    assert metrics["eval_unigram_perplexity"] == pytest.approx((n + v) / (n + 1))


def test_causal_lm_baseline_matches_a_hand_computation() -> None:
    """Causal LM: the targets are every token after the first of each block; the baseline is scored on exactly those."""
    texts = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:200]
    texts = [t for t in texts if t.strip()]
    model, tok = build_from_scratch("gpt-tiny", "causal-lm", texts, layers=1, hidden=32, heads=2, vocab_size=300)
    train = encode(lm_examples(texts[:120]), tok, "causal-lm", 32)
    dev = encode(lm_examples(texts[120:]), tok, "causal-lm", 32)
    counts = unigram_counts(train, tok)

    freq = Counter(t for f in train.features for t in f["input_ids"])
    top = max(freq.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    total, vocab = sum(freq.values()), len(tok)
    targets = [t for f in dev.features for t in f["input_ids"][1:]]
    nll = -sum(math.log((freq[t] + 1) / (total + vocab)) for t in targets) / len(targets)

    metrics = evaluate(model, tok, "causal-lm", dev, unigram=counts).metrics
    assert metrics["eval_tokens"] == len(targets)
    assert metrics["eval_unigram_next_token_accuracy"] == pytest.approx(sum(t == top for t in targets) / len(targets))
    assert metrics["eval_unigram_perplexity"] == pytest.approx(math.exp(nll))
    assert "eval_unigram_masked_accuracy" not in metrics


def test_trainer_reports_the_baseline_at_every_evaluation(tmp_path) -> None:
    corpus = shakespeare(tmp_path, 400)
    events = list(Trainer(nsp_config(corpus, None, next_sentence_prediction=False, max_steps=4, eval_every=2)).run())
    evals = [e.metrics for e in events if isinstance(e, EvalDone)]
    assert len(evals) == 2
    # The counts come from the training text once: the baseline is the same at every evaluation.
    assert evals[0]["eval_unigram_masked_accuracy"] == evals[1]["eval_unigram_masked_accuracy"]
    assert evals[0]["eval_unigram_perplexity"] == evals[1]["eval_unigram_perplexity"]
    assert "eval_nsp_accuracy" not in evals[0]


# ---------------------------------------------------------------------------- continued pre-training


def test_continued_pretraining_from_an_encoder_checkpoint(tmp_path) -> None:
    """MiniLM (a BertModel, no MLM head): the head starts fresh, says so, and held-out accuracy improves."""
    train = shakespeare(tmp_path, 600)
    dev = shakespeare(tmp_path, 200, "dev.txt", start=700)  # ~180 masked targets
    config = TrainConfig(
        data=str(train), validation=str(dev), task="masked-lm", model=str(minilm_dir()), max_steps=10,
        eval_every=5, batch_size=8, max_length=32, lr=1e-3, warmup_ratio=0.0, num_threads=1,
    )
    events = list(Trainer(config).run())
    notes = [e.message for e in events if isinstance(e, Status) and "masked-LM head" in e.message]
    assert notes and "random weights" in notes[0] and "cls.predictions" in notes[0]
    evals = [e.metrics for e in events if isinstance(e, EvalDone)]
    assert len(evals) == 2
    assert evals[-1]["eval_masked_accuracy"] > evals[0]["eval_masked_accuracy"]
    assert evals[-1]["eval_loss"] < evals[0]["eval_loss"]


@pytest.mark.slow
def test_nsp_is_learned_on_topical_text(tmp_path) -> None:
    """Documents of one topic each: the real next segment shares A's topic, a random one only 1 time in 4.

    The ceiling is about 0.85 (random pairs of the same topic, next segments that cross a
    document boundary); measured 0.82 after 200 steps (~45 s on two busy cores).
    """
    def write(path: Path, seed: int, docs: int) -> Path:
        rng = random.Random(seed)
        lines = []
        for _ in range(docs):
            topic = rng.randrange(4)
            lines += [" ".join(f"w{topic}x{rng.randrange(2)}" for _ in range(3)) for _ in range(20)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    config = nsp_config(
        write(tmp_path / "train.txt", 0, 80), None, validation=str(write(tmp_path / "dev.txt", 1, 40)),
        max_steps=240, eval_every=240, batch_size=32, max_length=20, vocab_size=300, layers=2, heads=2,
        lr=3e-3, warmup_ratio=0.1,
    )
    events = list(Trainer(config).run())
    metrics = [e.metrics for e in events if isinstance(e, EvalDone)][-1]
    assert metrics["eval_nsp_accuracy"] > 0.7  # chance is 0.5
    assert metrics["eval_masked_accuracy"] > metrics["eval_unigram_masked_accuracy"]


@pytest.mark.parametrize("arch", ["bert", "bert-nsp", "modernbert"])
def test_masked_positions_loss_equals_the_full_forward(arch: str) -> None:
    """The sparse vocabulary projection gives transformers' loss and gradients, at less cost."""
    from transformers import (
        BertConfig,
        BertForMaskedLM,
        BertForPreTraining,
        ModernBertConfig,
        ModernBertForMaskedLM,
    )

    from workbench.engine.tasks.masked_lm import masked_positions_loss

    torch.manual_seed(0)
    with_nsp = arch == "bert-nsp"
    shape = dict(vocab_size=97, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                 intermediate_size=64, max_position_embeddings=64)
    if arch == "modernbert":
        model = ModernBertForMaskedLM(ModernBertConfig(**shape, pad_token_id=0)).eval()
    else:
        model = (BertForPreTraining if with_nsp else BertForMaskedLM)(BertConfig(**shape)).eval()
    input_ids = torch.randint(5, 97, (3, 20))
    attention_mask = torch.ones_like(input_ids)
    attention_mask[1, 15:] = 0
    labels = torch.where(torch.rand(3, 20) < 0.2, input_ids, torch.full_like(input_ids, -100))
    labels[:, 0] = input_ids[:, 0]  # at least one target per row
    batch = {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
    if with_nsp:
        batch["token_type_ids"] = torch.zeros_like(input_ids)
        batch["next_sentence_label"] = torch.tensor([0, 1, 0])

    reference = model(**batch).loss
    reference.backward()
    expected = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
    model.zero_grad()
    sparse = masked_positions_loss(model, batch)
    assert sparse is not None
    sparse.backward()
    torch.testing.assert_close(sparse, reference, rtol=1e-5, atol=1e-6)
    for name, grad in expected.items():
        torch.testing.assert_close(dict(model.named_parameters())[name].grad, grad, rtol=1e-4, atol=1e-6)


def test_masked_positions_loss_leaves_other_architectures_to_their_forward() -> None:
    from transformers import DistilBertConfig, DistilBertForMaskedLM

    from workbench.engine.tasks.masked_lm import masked_positions_loss

    model = DistilBertForMaskedLM(DistilBertConfig(vocab_size=50, dim=16, n_layers=1, n_heads=2, hidden_dim=32))
    ids = torch.randint(0, 50, (2, 6))
    assert masked_positions_loss(model, {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids}) is None


def test_held_out_masked_accuracy_cannot_be_won_by_copying_the_input() -> None:
    """Evaluation masks every target with [MASK], as the fill-mask playground does.

    Under training's 80/10/10 rule a tenth of the targets keep their token, so a
    model that only copies its input would score about 0.1 above the unigram
    baseline without reading any context (it did: 0.147 against 0.070).
    """
    from types import SimpleNamespace

    tok = train_tokenizer("bert", ["apple banana cherry date elder fig"] * 20, 80)

    class CopyModel(torch.nn.Module):
        def forward(self, input_ids: torch.Tensor, **_: object) -> SimpleNamespace:
            return SimpleNamespace(logits=torch.nn.functional.one_hot(input_ids, len(tok)).float())  # (B, T, V)

    ids = tok("apple banana cherry date elder fig " * 10)["input_ids"]
    encoded = Encoded([{"input_ids": ids}] * 40, [len(ids)] * 40)
    metrics = evaluate(CopyModel(), tok, "masked-lm", encoded, device=torch.device("cpu")).metrics
    assert metrics["eval_tokens"] > 300
    assert metrics["eval_masked_accuracy"] == 0.0
