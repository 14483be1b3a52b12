"""A run's ``model/`` predicts the same in plain transformers as in ``workbench predict``.

For every task, a tiny run (max_length 32, three steps of the real trainer, saved by
the real saver) is loaded twice: by ``Predictor.load(RUN)`` and by
``transformers.pipeline(task, model=RUN/model)`` (or ``AutoModel*`` + ``AutoTokenizer``
for question answering, which transformers 5 has no pipeline for). Both must agree
within 1e-5 on inputs shorter and longer than the run's max length. The quality of
the models does not matter, only that the two readings of the folder are one model.

What each side needs, as the README's run-folder section says:
- text classification and multi-label: ``truncation=True`` (the pipeline does not
  truncate unless asked); multi-label with ``function_to_apply="sigmoid"``, ``top_k=None``;
- token classification: nothing; both tag exactly the words within the max length
  (the engine leaves the rest untagged, "", and the pipeline without ``stride`` leaves
  them out), and agree on every one of them;
- fill-mask: ``tokenizer_kwargs={"truncation": True}``; the engine's list is the
  pipeline's ranking without the tokens that cannot stand where the mask is
  (special tokens, and "##" pieces when the mask is a word of its own);
- text generation: nothing (neither cuts the prompt); greedy, same text;
- question answering: ``truncation="only_second"``, ``return_overflowing_tokens=True``,
  ``stride=`` the ``doc_stride`` of ``workbench_model.json``; the best span over all
  windows (start + end logit) and the null score agree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch

from tests.conftest import shared
from workbench.engine.inference import Predictor

MAX_LENGTH = 32
TOL = 1e-5
SHARPEN = 4.0  # see _sharpen


def _train(root: Path, name: str, task: str, data: Path, model: str = "bert-tiny", **overrides: Any) -> Path:
    from workbench.engine.training.config import TrainConfig
    from workbench.engine.training.trainer import Trainer

    out = root / name
    values: dict[str, Any] = {
        "data": str(data), "task": task, "model": model, "max_length": MAX_LENGTH, "max_steps": 3,
        "batch_size": 16, "validation_fraction": 0.0, "output": str(out), "num_threads": 1, "seed": 0, "lr": 5e-3,
    }
    if model in ("bert-tiny", "gpt-tiny"):  # from scratch: the smallest shape that is still a transformer
        values.update(layers=1, hidden=32, heads=2, vocab_size=400)
    values.update(overrides)
    events = list(Trainer(TrainConfig(**values)).run())
    assert type(events[-1]).__name__ == "TrainFinished", events[-1]
    _sharpen(out)
    return out


def _sharpen(run: Path) -> None:
    """Scale the run's weight matrices up and save the model again through the real saver.

    Three steps leave a tiny model almost blind to its input: attention is near
    uniform, and dropping the text beyond max_length moves its outputs by about 1e-6,
    so a cut in the wrong place would pass a 1e-5 comparison. Larger weights make
    every token count (each test checks that the cut changes the pipeline's answer).
    """
    from workbench.engine.models.loading import read_workbench_meta
    from workbench.engine.models.saving import save_model_folder

    predictor = Predictor.load(run)
    with torch.no_grad():
        for parameter in predictor.model.parameters():
            if parameter.dim() >= 2:  # matrices and embeddings; norms and biases keep their scale
                parameter.mul_(SHARPEN)
    save_model_folder(run / "model", predictor.model, predictor.tokenizer, read_workbench_meta(run / "model"))


def _bpe_checkpoint(folder: Path, texts: list[str]) -> Path:
    """A tiny GPT-2 whose byte-level BPE tokenizer has add_prefix_space=False, as GPT-2's and RoBERTa's do."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import GPT2Config, GPT2Model, GPT2TokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    tok.post_processor = processors.ByteLevel(trim_offsets=True)
    tok.train_from_iterator(texts, trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<|endoftext|>"], initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False))
    eos = "<|endoftext|>"
    tokenizer = GPT2TokenizerFast(tokenizer_object=tok, bos_token=eos, eos_token=eos, unk_token=eos)
    assert tokenizer.add_prefix_space is False
    torch.manual_seed(0)
    GPT2Model(GPT2Config(vocab_size=len(tokenizer), n_embd=32, n_layer=1, n_head=2, n_positions=128)).save_pretrained(
        folder)
    tokenizer.save_pretrained(folder)
    return folder


class Runs:
    """Each task's run, trained on first use and kept for the module."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._done: dict[str, Path] = {}

    def __getitem__(self, name: str) -> Path:
        if name not in self._done:
            self._done[name] = getattr(self, f"_{name.replace('-', '_')}")()
        return self._done[name]

    def _classification(self) -> Path:
        lines = shared("sst2", "train.tsv").read_text(encoding="utf-8").splitlines()[:201]
        data = self.root / "sst2.tsv"
        data.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return _train(self.root, "classification", "classification", data)

    def _multi_label(self) -> Path:
        from tests.engine.test_multilabel import write_topics_csv

        return _train(self.root, "multi-label", "multi-label", write_topics_csv(self.root / "topics.csv", 200, 0))

    def _token_classification(self) -> Path:
        return _train(self.root, "tagging", "token-classification", self._wnut())

    def _token_classification_bpe(self) -> Path:
        words = [line.split("\t")[0] for line in self._wnut().read_text(encoding="utf-8").splitlines() if line]
        checkpoint = _bpe_checkpoint(self.root / "gpt2-bpe", [" ".join(words[i : i + 20]) for i in range(0, 3000, 20)])
        return _train(self.root, "tagging-bpe", "token-classification", self._wnut(), model=str(checkpoint))

    def _question_answering(self) -> Path:
        from tests.engine.test_question_answering import write_squad

        return _train(self.root, "qa", "question-answering", write_squad(self.root / "squad.json", 2, 2),
                      doc_stride=8)

    def _masked_lm(self) -> Path:
        return _train(self.root, "mlm", "masked-lm", self._shakespeare())

    def _causal_lm(self) -> Path:
        return _train(self.root, "clm", "causal-lm", self._shakespeare(), model="gpt-tiny")

    def _wnut(self) -> Path:
        path = self.root / "wnut.conll"
        if not path.exists():
            sentences = shared("wnut17", "wnut17train.conll").read_text(encoding="utf-8").split("\n\n")[:150]
            path.write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
        return path

    def _shakespeare(self) -> Path:
        path = self.root / "shakespeare.txt"
        if not path.exists():
            lines = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()[:400]
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Runs:
    return Runs(tmp_path_factory.mktemp("parity"))


def _pipeline(task: str, run: Path) -> Any:
    from transformers import pipeline

    return pipeline(task, model=str(run / "model"), device="cpu")


def _sst2_texts() -> list[str]:
    return [line.split("\t")[0] for line in shared("sst2", "dev.tsv").read_text(encoding="utf-8").splitlines()[1:]]


def _lengths(predictor: Predictor, texts: list[str]) -> list[int]:
    return [len(predictor.tokenizer(t, verbose=False)["input_ids"]) for t in texts]


def _short_and_long(predictor: Predictor) -> list[str]:
    """Two texts within the run's max length and two well beyond it (SST-2 dev sentences, joined)."""
    texts = _sst2_texts()
    short = [t for t in texts if _lengths(predictor, [t])[0] < MAX_LENGTH][:2]
    long = [" ".join(texts[i : i + 6]) for i in (0, 6)]
    assert len(short) == 2 and min(_lengths(predictor, long)) > 2 * MAX_LENGTH
    return short + long


def test_saved_tokenizer_carries_the_runs_max_length(runs) -> None:
    from transformers import AutoTokenizer

    model_dir = runs["classification"] / "model"
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    assert tokenizer.model_max_length == MAX_LENGTH
    assert (tokenizer.padding_side, tokenizer.truncation_side) == ("right", "right")
    assert len(tokenizer(" ".join(_sst2_texts()[:6]), truncation=True)["input_ids"]) == MAX_LENGTH
    # The engine keeps reading its length from workbench_model.json.
    assert json.loads((model_dir / "workbench_model.json").read_text())["max_length"] == MAX_LENGTH
    # Every checkpoint folder goes through the same saver.
    checkpoint = max((runs["classification"] / "checkpoints").glob("step-*"))
    assert AutoTokenizer.from_pretrained(checkpoint).model_max_length == MAX_LENGTH


def test_classification(runs) -> None:
    run = runs["classification"]
    predictor = Predictor.load(run)
    pipe = _pipeline("text-classification", run)
    texts = _short_and_long(predictor)
    ours = predictor.predict(texts)  # one padded batch
    for text, row in zip(texts, ours):
        theirs = {d["label"]: d["score"] for d in pipe(text, top_k=None, truncation=True)}
        assert theirs.keys() == row["probabilities"].keys()
        for label, p in row["probabilities"].items():
            assert p == pytest.approx(theirs[label], abs=TOL), (text, label)
        assert row["label"] == max(theirs, key=theirs.__getitem__)
    # The cut matters: read whole, the long texts would be classified otherwise.
    whole = {d["label"]: d["score"] for d in pipe(texts[-1], top_k=None)}
    assert max(abs(whole[k] - p) for k, p in ours[-1]["probabilities"].items()) > 10 * TOL
    # The same with the Auto classes: the tokenizer's own default length is the run's.
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    model = AutoModelForSequenceClassification.from_pretrained(run / "model").eval()
    tokenizer = AutoTokenizer.from_pretrained(run / "model")
    with torch.no_grad():
        probs = torch.softmax(model(**tokenizer(texts[-1], truncation=True, return_tensors="pt")).logits, -1)[0]
    assert probs.tolist() == pytest.approx([ours[-1]["probabilities"][model.config.id2label[i]] for i in range(2)],
                                           abs=TOL)


def test_multi_label(runs) -> None:
    run = runs["multi-label"]
    predictor = Predictor.load(run)
    pipe = _pipeline("text-classification", run)
    # The long one: sport words within the max length, weather words beyond it.
    texts = ["football goal rain", "a dull film about the storm",
             "football goal match team coach " * 4 + "rain storm sunny snow wind " * 10]
    assert _lengths(predictor, texts)[-1] > 2 * MAX_LENGTH
    ours = predictor.predict(texts)
    for text, row in zip(texts, ours):
        theirs = {d["label"]: d["score"] for d in pipe(text, top_k=None, function_to_apply="sigmoid", truncation=True)}
        assert theirs.keys() == row["probabilities"].keys()
        for label, p in row["probabilities"].items():
            assert p == pytest.approx(theirs[label], abs=TOL), (text, label)
    whole = {d["label"]: d["score"] for d in pipe(texts[-1], top_k=None, function_to_apply="sigmoid")}
    assert max(abs(whole[k] - p) for k, p in ours[-1]["probabilities"].items()) > 10 * TOL


def _first_token_tags(pipe: Any, words: list[str]) -> dict[int, str]:
    """word index -> the pipeline's tag of the word's first sub-token (the engine's rule), for the words it tags."""
    enc = pipe.tokenizer(words, is_split_into_words=True, truncation=True)
    first: dict[int, int] = {}  # token position -> word
    previous = None
    for position, word in enumerate(enc.word_ids()):
        if word is not None and word != previous:
            first[position] = word
        previous = word
    entities = pipe(words, is_split_into_words=True, ignore_labels=[])[0]  # one list per input
    return {first[e["index"]]: e["entity"] for e in entities if e["index"] in first}


@pytest.mark.parametrize("name", ["token-classification", "token-classification-bpe"])
def test_token_classification(runs, name: str) -> None:
    run = runs[name]
    predictor = Predictor.load(run)
    pipe = _pipeline("token-classification", run)
    sentences = [s.split("\n") for s in shared("wnut17", "emerging.dev.conll").read_text(encoding="utf-8").split("\n\n")]
    sentences = [[line.split("\t")[0] for line in s if line.strip()] for s in sentences]
    short = next(s for s in sentences if 3 <= len(s) <= 8)
    long = [w for s in sentences[:6] for w in s]
    assert len(long) > MAX_LENGTH
    for words in (short, long):
        ours = predictor.predict([" ".join(words)])[0]
        assert ours["words"] == words
        theirs = _first_token_tags(pipe, words)
        tagged = {i: tag for i, tag in enumerate(ours["tags"]) if tag != ""}
        # The same words tagged (those within the max length), and the same tag for each.
        assert tagged == theirs
        if words is long:
            assert 0 < len(tagged) < len(words)  # the cut really happened, on both sides


def test_fill_mask(runs) -> None:
    run = runs["masked-lm"]
    predictor = Predictor.load(run)
    pipe = _pipeline("fill-mask", run)
    lines = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()
    short = "We are accounted [MASK] citizens"
    long = "We are accounted [MASK] citizens, the patricians good. " + " ".join(lines[60:80])
    assert _lengths(predictor, [long])[0] > 2 * MAX_LENGTH
    vocab = pipe.tokenizer.get_vocab()
    # What the engine leaves out when the mask is a word of its own: specials and "##" pieces.
    cannot_stand = set(pipe.tokenizer.all_special_ids) | {i for t, i in vocab.items() if t.startswith("##")}
    for text in (short, long):
        ours = predictor.predict([text], top_k=5)[0]["fillers"]
        ranked = pipe(text, top_k=len(vocab), tokenizer_kwargs={"truncation": True})
        theirs = [d for d in ranked if d["token"] not in cannot_stand][:5]
        assert [f["token"] for f in ours] == [d["token_str"].strip() for d in theirs]
        for f, d in zip(ours, theirs):
            assert f["score"] == pytest.approx(d["score"], abs=TOL)
    # Read whole, the words beyond the cut would change the mask's distribution.
    whole = {d["token"]: d["score"] for d in pipe(long, top_k=len(vocab))}
    assert max(abs(whole[d["token"]] - d["score"]) for d in ranked) > 10 * TOL


def test_text_generation(runs) -> None:
    run = runs["causal-lm"]
    predictor = Predictor.load(run)
    pipe = _pipeline("text-generation", run)
    lines = shared("tinyshakespeare", "input.txt").read_text(encoding="utf-8").splitlines()
    short, long = "First Citizen:", " ".join(lines[40:60])
    assert _lengths(predictor, [long])[0] > 2 * MAX_LENGTH  # longer than the training blocks, not the positions
    for prompt in (short, long):
        ours = predictor.predict([prompt], max_new_tokens=5)[0]
        theirs = pipe(prompt, do_sample=False, max_new_tokens=5, return_full_text=False)[0]["generated_text"]
        assert ours["continuation"] == theirs and ours["new_tokens"] > 0


def test_question_answering(runs) -> None:
    """transformers 5 removed the question-answering pipeline: its recipe with AutoModel*, as the README says."""
    from transformers import AutoModelForQuestionAnswering, AutoTokenizer

    from workbench.engine.tasks import question_answering as qa

    run = runs["question-answering"]
    model_dir = run / "model"
    predictor = Predictor.load(run)
    meta = json.loads((model_dir / "workbench_model.json").read_text())
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForQuestionAnswering.from_pretrained(model_dir).eval()
    assert tokenizer.model_max_length == MAX_LENGTH
    document = json.loads((runs.root / "squad.json").read_text())
    context = document["data"][0]["paragraphs"][0]["context"]
    question = "Who was the Norse leader?"
    q_tokens = len(tokenizer(question, add_special_tokens=False)["input_ids"])
    room = MAX_LENGTH - tokenizer.num_special_tokens_to_add(pair=True) - q_tokens
    # The engine keeps doc_stride while the question leaves twice that for the context, and its
    # n-best lists hold every context token of a window of at most N_BEST of them.
    assert room >= 2 * meta["doc_stride"] and room <= qa.N_BEST

    enc = tokenizer(question, context, truncation="only_second", stride=meta["doc_stride"],
                    return_overflowing_tokens=True, return_offsets_mapping=True, padding=True, return_tensors="pt")
    offsets = enc.pop("offset_mapping").tolist()
    enc.pop("overflow_to_sample_mapping")
    assert enc["input_ids"].shape[0] > 3  # a context much longer than one window
    with torch.no_grad():
        out = model(**enc)
    best: tuple[float, int, int] | None = None
    null = float("inf")
    for w in range(enc["input_ids"].shape[0]):
        s, e = out.start_logits[w].tolist(), out.end_logits[w].tolist()
        inside = [i for i, seq in enumerate(enc.sequence_ids(w)) if seq == 1]
        null = min(null, s[0] + e[0])
        for i in inside:
            for j in inside:
                if i <= j < i + qa.MAX_ANSWER_TOKENS and (best is None or s[i] + e[j] > best[0]):
                    best = (s[i] + e[j], offsets[w][i][0], offsets[w][j][1])
    assert best is not None

    ours = predictor.predict_answer(question, context, null_threshold=1e9)  # always the best span
    assert ours["windows"] == enc["input_ids"].shape[0]
    assert (ours["start"], ours["end"]) == (best[1], best[2])
    assert ours["answer"] == context[best[1] : best[2]]
    assert ours["score"] == pytest.approx(best[0], abs=TOL)
    assert ours["null_score"] == pytest.approx(null, abs=TOL)


def test_old_folder_saved_with_512_predicts_as_before(runs, tmp_path: Path) -> None:
    """A folder saved before this change (tokenizer at 512, workbench_model.json at 32): the engine still cuts at 32."""
    import shutil

    old = tmp_path / "old"
    shutil.copytree(runs["classification"] / "model", old)
    config_path = old / "tokenizer_config.json"
    config = json.loads(config_path.read_text())
    config["model_max_length"] = 512
    config_path.write_text(json.dumps(config))
    predictor = Predictor.load(old)
    assert predictor.max_length == MAX_LENGTH and predictor.tokenizer.model_max_length == 512
    text = _short_and_long(predictor)[-1]
    before = predictor.predict([text])[0]["probabilities"]
    now = Predictor.load(runs["classification"]).predict([text])[0]["probabilities"]
    assert before == pytest.approx(now, abs=1e-6)
