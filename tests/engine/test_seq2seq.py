"""Translation, summarisation and dialogue (issue 16): data, loss, generation, training, CLI.

Tiny random T5, BART and Marian models are built here from their configs (no hub), with the
workbench's own seq2seq tokenizer trained on a few sentences. What is checked against
transformers: our training loss is the cross-entropy over the target tokens computed by
hand as its docs define it (decoder input = labels shifted right, padding excluded), and our
greedy, beam-search and sampled outputs are ``model.generate``'s token for token. Then a
from-scratch ``t5-tiny`` learns English to Chinese from 400 Tatoeba rows through the CLI.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import torch

from tests.conftest import shared
from workbench.engine.data import read_table
from workbench.engine.data.readers import as_headerless
from workbench.engine.errors import ConfigError
from workbench.engine.inference import Predictor
from workbench.engine.models.loading import ModelSource
from workbench.engine.models.presets import train_tokenizer
from workbench.engine.task_data import build_examples, load_dataset
from workbench.engine.tasks.registry import get_task, task_for_architectures
from workbench.engine.tasks.seq2seq import SourceFormat, encode_seq2seq
from workbench.engine.training.batching import pad_batch

SENTENCES = [
    ("Hi.", "你好。"), ("Run!", "跑！"), ("I won.", "我赢了。"), ("Help!", "救命！"), ("Thank you.", "谢谢。"),
    ("I have to go to work.", "我得去工作了。"), ("Good night.", "晚安。"), ("He is a teacher.", "他是老师。"),
]


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    texts = [s for pair in SENTENCES for s in pair] * 3
    return train_tokenizer("t5", texts, 400)


def _tiny_model(kind: str, tokenizer: Any) -> Any:
    """A random 1+1-layer encoder-decoder of ``kind`` sized to ``tokenizer`` (eager attention, seeded)."""
    from transformers import AutoModelForSeq2SeqLM, BartConfig, MarianConfig, T5Config

    ids = {"vocab_size": len(tokenizer), "pad_token_id": tokenizer.pad_token_id, "eos_token_id": tokenizer.eos_token_id}
    shape = {"d_model": 32, "encoder_layers": 1, "decoder_layers": 1, "encoder_attention_heads": 4,
             "decoder_attention_heads": 4, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64, "max_position_embeddings": 64}
    if kind == "t5":
        config = T5Config(d_model=32, d_kv=8, d_ff=64, num_layers=1, num_decoder_layers=1, num_heads=4,
                          decoder_start_token_id=tokenizer.pad_token_id, **ids)
    elif kind == "bart":
        config = BartConfig(**shape, bos_token_id=tokenizer.bos_token_id, decoder_start_token_id=tokenizer.eos_token_id,
                            forced_eos_token_id=tokenizer.eos_token_id, **ids)
    else:
        config = MarianConfig(**shape, decoder_start_token_id=tokenizer.pad_token_id, **ids)
    torch.manual_seed(0)
    return AutoModelForSeq2SeqLM.from_config(config, attn_implementation="eager").eval()


def _examples(pairs: list[tuple[str, str]]) -> Any:
    from workbench.engine.data import Examples

    return Examples("translation", [s for s, _ in pairs], None, None, None, [], None, list(range(1, len(pairs) + 1)),
                    targets=[[t] for _, t in pairs])


# ---------------------------------------------------------------------------- data


def test_headerless_pairs_files_read_with_their_first_two_text_columns(tmp_path: Path) -> None:
    """Tatoeba's cmn.txt (.txt, no header, an attribution column) and a CSL-like headerless TSV."""
    cmn = tmp_path / "cmn.txt"
    cmn.write_text("Hi.\t嗨。\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM) & #4857568 (musclegirlxyp)\n"
                   "Hi.\t你好。\tCC-BY 2.0 (France) Attribution: tatoeba.org #538123 (CM) & #4857568 (other)\n"
                   "Run!\t跑！\tCC-BY 2.0 (France) Attribution: tatoeba.org #906328 (papabear) & #5543 (x)\n",
                   encoding="utf-8")
    examples = build_examples(read_table(cmn), "translation")
    assert examples.texts == ["Hi.", "Hi.", "Run!"] and examples.targets == [["嗨。"], ["你好。"], ["跑！"]]
    assert examples.lines == [1, 2, 3]  # the first row is data, not a header
    csl = tmp_path / "dev.tsv"
    abstract = "采用修正的Rodrigues参数(MRP),建立了飞行器姿态控制系统的数学模型；并用平方和方法设计了控制器。"
    csl.write_text(f"to title\t{abstract}\t一种控制器设计方法\nto title\t双宫能团活性艳蓝GN和RN的应用性能研究,凝聚性小。\t"
                   "双官能团活性艳蓝的应用性能\n", encoding="utf-8")
    examples = build_examples(read_table(csl), "summarization")  # the constant prompt column is passed over
    assert examples.texts[0] == abstract and examples.targets == [["一种控制器设计方法"], ["双官能团活性艳蓝的应用性能"]]
    assert as_headerless(read_table(shared("sst2", "dev.tsv"))) is None  # a real header stays a header


def test_jsonl_lists_of_sentences_and_of_references(tmp_path: Path) -> None:
    """SciTLDR: the source a list of sentences (joined with spaces), the target a list of references."""
    data = tmp_path / "tldr.jsonl"
    rows = [{"source": ["We study cats.", "They sleep."], "target": ["Cats sleep.", "Cats sleep a lot."], "title": "t"},
            {"source": ["Rain fell."], "target": ["It rained."], "title": "u"}]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    examples = build_examples(read_table(data), "summarization")
    assert examples.texts == ["We study cats. They sleep.", "Rain fell."]
    assert examples.targets == [["Cats sleep.", "Cats sleep a lot."], ["It rained."]]


def test_split_keeps_a_sources_rows_and_a_conversations_turns_together(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    rows = [(f"sentence {i // 3}", f"目标 {i}") for i in range(90)]  # three translations per source
    path.write_text("source\ttarget\n" + "".join(f"{s}\t{t}\n" for s, t in rows), encoding="utf-8")
    bundle = load_dataset(path, "translation", validation_fraction=0.2, seed=3)
    assert bundle.validation is not None and 12 <= len(bundle.validation) <= 21
    assert not set(bundle.train.texts) & set(bundle.validation.texts)
    chat = shared("dialog_topicalchat", "valid_freq_pairs.tsv")
    bundle = load_dataset(chat, "dialogue", validation_fraction=0.1, seed=0)
    assert bundle.validation is not None and bundle.train.groups and bundle.validation.groups
    assert not set(bundle.train.groups) & set(bundle.validation.groups)


def test_dialogue_context_holds_the_previous_turns_of_its_conversation(tmp_path: Path) -> None:
    path = tmp_path / "chat.tsv"
    path.write_text("conv\tturn\tcontext\tresponse\n0\t1\ta\tb\n0\t2\tb\tc\n0\t3\tc\td\n1\t1\tx\ty\n", encoding="utf-8")
    examples = build_examples(read_table(path), "dialogue")
    # Turn 3's context is turn 2 ("c"); turns 1 and 0 came before it.
    assert examples.histories == [[], ["a"], ["a", "b"], []] and examples.groups == ["0", "0", "0", "1"]
    three = SourceFormat(context_turns=3, turn_separator=" | ")
    assert [three.compose(t, h) for t, h in zip(examples.texts, examples.histories)] == ["a", "a | b", "a | b | c", "x"]
    assert [SourceFormat().compose(t, h) for t, h in zip(examples.texts, examples.histories)] == ["a", "b", "c", "x"]
    assert SourceFormat("reply: ", 2, " / ").compose("c", ["a", "b"]) == "reply: b / c"


# ---------------------------------------------------------------------------- loss and generation


@pytest.mark.parametrize("kind", ["t5", "bart", "marian"])
def test_our_loss_is_the_cross_entropy_over_target_tokens(kind: str, tokenizer: Any) -> None:
    """Targets of different lengths in one batch: the loss is the mean over the real target tokens only."""
    model = _tiny_model(kind, tokenizer)
    task = get_task("translation")
    encoded = encode_seq2seq(_examples(SENTENCES[:4] + SENTENCES[5:6]), tokenizer, 32, SourceFormat())
    batch = pad_batch(encoded.features, tokenizer.pad_token_id)
    lengths = [len(f["target_ids"]) for f in encoded.features]
    assert len(set(lengths)) > 1 and (batch["labels"] == -100).sum() == max(lengths) * len(lengths) - sum(lengths)
    ours = task.loss(model, batch).detach()
    # By hand, as transformers documents it: the decoder reads the labels shifted right after its
    # start token, padding (-100) read as the pad id and left out of the mean.
    labels = batch["labels"]
    decoder_input = torch.full_like(labels, tokenizer.pad_token_id)
    decoder_input[:, 1:] = labels[:, :-1]
    decoder_input[:, 0] = model.config.decoder_start_token_id
    decoder_input[decoder_input == -100] = tokenizer.pad_token_id
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                       decoder_input_ids=decoder_input).logits
    keep = labels != -100
    log_p = torch.log_softmax(logits.double(), dim=-1)[keep].gather(1, labels[keep][:, None])
    assert abs(float(ours) - float(-log_p.mean())) < 1e-5
    assert task.loss_units(batch).tolist() == lengths  # DDP weighs ranks by target tokens
    # Each example alone gives the same per-token losses: padding changes nothing.
    alone = [float(task.loss(model, pad_batch([f], tokenizer.pad_token_id)).detach()) * n
             for f, n in zip(encoded.features, lengths)]
    assert abs(sum(alone) / sum(lengths) - float(ours)) < 1e-5


@pytest.mark.parametrize("world", [2, 3])
def test_sharded_loss_averages_to_the_single_process_gradient(world: int, tokenizer: Any) -> None:
    """Under torchrun each rank is weighted by its target tokens: the DDP average is one process's gradient."""
    from workbench.engine.training import distributed
    from workbench.engine.training.distributed import DistEnv

    model = _tiny_model("t5", tokenizer)
    task = get_task("translation")
    encoded = encode_seq2seq(_examples(SENTENCES[:5]), tokenizer, 32, SourceFormat())
    batch = pad_batch(encoded.features, tokenizer.pad_token_id)
    reference = task.loss(model, dict(batch)) * 0.5
    reference.backward()
    expected = {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}
    model.zero_grad(set_to_none=True)
    logged = torch.zeros(())
    for rank in range(world):
        scaled, contribution = distributed.shard_loss(
            lambda b: task.loss(model, b), "translation", batch, DistEnv(rank, world, rank), 0.5,
            device=torch.device("cpu"),
        )
        (scaled / world).backward()
        logged += contribution
    assert float(logged) == pytest.approx(float(reference.detach()), rel=1e-5)
    for name, grad in expected.items():
        torch.testing.assert_close(dict(model.named_parameters())[name].grad, grad, rtol=1e-4, atol=1e-7, msg=name)


@pytest.mark.parametrize("kind", ["t5", "bart", "marian"])
def test_greedy_beam_and_sampled_outputs_are_model_generate_s(kind: str, tokenizer: Any) -> None:
    model = _tiny_model(kind, tokenizer)
    predictor = Predictor(model, tokenizer, "translation", [], 32, ModelSource("folder", "tiny"),
                          meta={"source_prefix": "en-zh: "})
    texts = ["I have to go to work.", "Hi."]
    special = set(tokenizer.all_special_ids)
    settings = [{"max_new_tokens": 7}, {"max_new_tokens": 7, "num_beams": 4, "length_penalty": 0.8},
                {"max_new_tokens": 7, "num_beams": 3, "no_repeat_ngram_size": 2},
                {"max_new_tokens": 7, "temperature": 0.9, "top_k": 20, "top_p": 0.9, "seed": 5}]
    inputs = tokenizer(["en-zh: " + t for t in texts], padding=True, return_tensors="pt")
    for options in settings:
        ours = predictor.predict(texts, **options)
        sampling = "temperature" in options
        extra = {"do_sample": sampling, **{k: v for k, v in options.items() if k != "seed"}}
        if sampling:
            torch.manual_seed(options["seed"])
        with torch.inference_mode():
            expected = model.generate(**inputs, **extra)
        for result, row in zip(ours, expected.tolist()):
            assert result["tokens"] == [tokenizer.decode([i]) for i in row if i not in special], options
            assert result["output"] == tokenizer.decode(row, skip_special_tokens=True).strip()
    with pytest.raises(ConfigError, match="num_beams"):
        predictor.predict(texts, num_beams=0)


# ---------------------------------------------------------------------------- models and presets


def test_encoder_decoders_are_claimed_and_other_generators_are_not() -> None:
    assert task_for_architectures(["MarianMTModel"], {"is_encoder_decoder": True}) == "translation"
    assert task_for_architectures(["T5ForConditionalGeneration"], {"is_encoder_decoder": True,
                                                                  "finetuning_task": "summarization"}) == "summarization"
    assert task_for_architectures(["BartForConditionalGeneration"], {"is_encoder_decoder": True,
                                                                    "finetuning_task": "dialogue"}) == "dialogue"
    # Not every ...ForConditionalGeneration is a text encoder-decoder.
    assert task_for_architectures(["LlavaForConditionalGeneration"], {}) is None
    assert task_for_architectures(["WhisperForConditionalGeneration"],
                                  {"is_encoder_decoder": True, "num_mel_bins": 80}) is None


def test_presets_go_with_their_kind_of_task() -> None:
    from workbench.engine.models.loading import build_from_scratch
    from workbench.engine.training.config import TrainConfig

    def problems(model: str, task: str) -> list[str]:
        return [p for p in TrainConfig(data="x.csv", task=task, model=model).problems() if p.startswith("model:")]

    assert problems("t5-tiny", "translation") == [] and problems("bart-tiny", "dialogue") == []
    assert "t5-tiny is an encoder-decoder" in problems("t5-tiny", "classification")[0]
    assert "gpt-tiny is decoder-only (GPT)" in problems("gpt-tiny", "summarization")[0]
    assert "bert-tiny is encoder-only" in problems("bert-tiny", "translation")[0]
    with pytest.raises(ConfigError, match="needs an encoder-decoder"):
        build_from_scratch("bert-tiny", "translation", ["a b c"] * 10)


def test_tokenizer_of_the_presets_round_trips_text_and_splits_chinese_by_character(tokenizer: Any) -> None:
    text = "I have to go to work. 我得去工作了。 讓我們見面吧"
    ids = tokenizer(text)["input_ids"]
    assert ids[-1] == tokenizer.eos_token_id and tokenizer.decode(ids, skip_special_tokens=True) == text
    pieces = [tokenizer.decode([i]) for i in tokenizer("我得去", add_special_tokens=False)["input_ids"]]
    assert pieces == ["我", "得", "去"]  # no merge joins two CJK characters


# ---------------------------------------------------------------------------- end to end


def test_t5_tiny_learns_english_to_chinese_from_tatoeba(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """A few dozen steps through the CLI: the loss falls, the folder is plain transformers, predict writes Chinese."""
    from transformers import AutoModelForSeq2SeqLM

    from workbench.cli import main

    data = tmp_path / "cmn.txt"
    data.write_text("".join(shared("tatoeba_en_zh", "cmn.txt").read_text(encoding="utf-8").splitlines(True)[:200]),
                    encoding="utf-8")
    run = tmp_path / "run"
    assert main(["train", "--task", "translation", "--data", str(data), "--source-column", "column_1",
                 "--target-column", "column_2", "--model", "t5-tiny", "--max-steps", "60", "--batch-size", "16",
                 "--lr", "3e-3", "--max-length", "32", "--vocab-size", "2000", "--eval-every", "30",
                 "--eval-generate-samples", "10", "--num-threads", "2", "--source-prefix", "en-zh: ",
                 "--output", str(run), "--quiet"]) == 0
    records = [json.loads(line) for line in (run / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]
    losses = [r["loss"] for r in records if r.get("event") == "step"]
    assert len(losses) == 60 and sum(losses[-10:]) / 10 < sum(losses[:10]) / 10 - 1.0
    evals = [r for r in records if r.get("event") == "eval"]
    assert evals[0]["metrics"]["eval_generated"] == 10 and evals[-1]["metrics"]["eval_generated"] == 20
    assert math.isfinite(evals[-1]["metrics"]["eval_chrf"])
    model = AutoModelForSeq2SeqLM.from_pretrained(run / "model")
    assert type(model).__name__ == "T5ForConditionalGeneration" and model.config.finetuning_task == "translation"
    capsys.readouterr()
    assert main(["predict", str(run), "I have to go.", "--num-beams", "4", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["text"] == "I have to go." and any("\u4e00" <= c <= "\u9fff" for c in result["output"]), result
    assert main(["eval", str(run), "--data", str(data), "--json", "--predictions", str(tmp_path / "p.csv")]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert metrics["eval_generated"] == metrics["eval_examples"] == 200 and metrics["eval_chrf"] > 0
    header = (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "example,line,source,reference,references,prediction,chrf,loss"


def test_a_run_that_stops_early_ends_with_generation_on_every_example(tmp_path: Path) -> None:
    """Evaluations during the run generate for a sample; the run's last one for every held-out example."""
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.events import EvalDone, TrainFinished
    from workbench.engine.training.trainer import Trainer

    data = tmp_path / "pairs.tsv"
    data.write_text("source\ttarget\n" + "".join(f"{s} {i}\t{t}{i}\n" for i in range(6) for s, t in SENTENCES),
                    encoding="utf-8")
    config = TrainConfig(data=str(data), task="translation", model="t5-tiny", max_steps=40, batch_size=8,
                         eval_every=2, max_length=24, vocab_size=300, layers=1, hidden=32, heads=2,
                         validation_fraction=0.25, num_threads=1, eval_generate_samples=3,
                         metric_for_best="exact_match", early_stopping_patience=1, output=str(tmp_path / "run"))
    events = list(Trainer(config).run())
    evals = [e for e in events if isinstance(e, EvalDone)]
    assert isinstance(events[-1], TrainFinished) and events[-1].summary["status"] == "early_stopped"
    assert [e.metrics["eval_generated"] for e in evals] == [3, 3, 12] and evals[-1].reason == "final"
    assert evals[-1].step == evals[-2].step < 40  # the same weights, now scored on all 12
