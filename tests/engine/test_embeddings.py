"""Embeddings: pooled hidden states equal transformers' own, PCA equals scikit-learn's, the cache hits."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from tests.conftest import minilm_dir, shared
from workbench.engine.data import Examples
from workbench.engine.errors import ConfigError, WorkbenchError
from workbench.engine.evaluation import EvaluationStopped
from workbench.engine.inference import Predictor
from workbench.engine.inspection.embeddings import (
    EmbeddingStopped,
    clear_cache,
    embed_examples,
    embed_texts,
    nearest,
    project,
)
from workbench.engine.models.loading import ModelSource

MINILM_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "vocab.txt",
                "special_tokens_map.json")


def dev_rows(n: int) -> list[tuple[str, str]]:
    lines = shared("sst2", "dev.tsv").read_text(encoding="utf-8").splitlines()[1 : n + 1]
    return [(line.split("\t")[0].strip(), line.split("\t")[1].strip()) for line in lines]


def examples_of(texts: list[str], pairs: list[str] | None = None) -> Examples:
    return Examples("classification", list(texts), pairs, None, None, [], None, list(range(2, len(texts) + 2)))


def fake_run(folder: Path) -> Path:
    """A run folder holding MiniLM (copied, so its files' times are ours to change) as its final model."""
    run = folder / "run"
    (run / "model").mkdir(parents=True)
    for name in MINILM_FILES:
        shutil.copy(minilm_dir() / name, run / "model" / name)
    (run / "config.json").write_text(json.dumps({"task": "classification", "model": str(minilm_dir())}))
    meta = {"task": "classification", "label_names": ["0", "1"]}
    (run / "model" / "workbench_model.json").write_text(json.dumps(meta))
    return run


@pytest.fixture(scope="module")
def minilm() -> Predictor:
    torch.set_num_threads(1)
    return Predictor.load(minilm_dir(), task="classification")


@pytest.fixture(scope="module")
def reference() -> torch.nn.Module:
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(minilm_dir()), attn_implementation="eager").eval()


def by_hand(model: torch.nn.Module, tokenizer, texts, pairs=None, *, layer: int, pooling: str, last: bool = False):
    """Pooled hidden states of one padded batch of all texts, straight from transformers."""
    args = (texts,) if pairs is None else (texts, pairs)
    enc = tokenizer(*args, padding=True, truncation=True, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**enc, output_hidden_states=True).hidden_states[layer]
    mask = enc["attention_mask"]
    if pooling == "mean":
        weights = mask.unsqueeze(-1).float()
        return ((hidden * weights).sum(1) / weights.sum(1)).numpy()
    index = mask.sum(1) - 1 if last else torch.zeros(len(texts), dtype=torch.long)  # right padding
    return hidden[torch.arange(len(texts)), index].numpy()


class ForwardCounter:
    """Counts forward passes of a module (the cache must not run the model)."""

    def __init__(self, module: torch.nn.Module) -> None:
        self.calls = 0
        self.handle = module.register_forward_pre_hook(self._count)

    def _count(self, *_args) -> None:
        self.calls += 1

    def close(self) -> None:
        self.handle.remove()


# --------------------------------------------------------------------------- the vectors


@pytest.mark.parametrize("pooling", ["cls", "mean"])
@pytest.mark.parametrize("layer", [-1, 3])
def test_vectors_equal_transformers_hidden_states(minilm, reference, pooling, layer) -> None:
    """Length-sorted batches of 3 give what one padded batch of all 9 gives, by hand, to 1e-5."""
    texts = [text for text, _ in dev_rows(9)]
    found = embed_examples(minilm, examples_of(texts), layer=layer, pooling=pooling, batch_size=3)
    expected = by_hand(reference, minilm.tokenizer, texts, layer=layer, pooling=pooling)
    assert found.vectors.dtype == np.float32 and found.vectors.shape == (9, 384)
    assert found.layer == layer and found.pooling == pooling
    np.testing.assert_allclose(found.vectors, expected, atol=1e-5, rtol=0)
    typed = embed_texts(minilm, texts[:2], layer=layer, pooling=pooling)
    np.testing.assert_allclose(typed, expected[:2], atol=1e-5, rtol=0)


def test_layer_choice(minilm, reference) -> None:
    texts = [text for text, _ in dev_rows(5)]
    last = embed_examples(minilm, examples_of(texts), layer=-1).vectors
    sixth = embed_examples(minilm, examples_of(texts), layer=6).vectors  # MiniLM-L6: hidden states 0..6
    embeddings = embed_examples(minilm, examples_of(texts), layer=0).vectors
    np.testing.assert_allclose(sixth, last, atol=1e-6)
    np.testing.assert_allclose(embeddings, by_hand(reference, minilm.tokenizer, texts, layer=0, pooling="cls"),
                               atol=1e-5, rtol=0)
    assert np.abs(embeddings - last).max() > 0.1
    with pytest.raises(ConfigError, match="layer 7"):
        embed_examples(minilm, examples_of(texts), layer=7)
    with pytest.raises(ConfigError, match="pooling"):
        embed_examples(minilm, examples_of(texts), pooling="max")


def test_pairs_are_encoded_as_pairs(minilm, reference) -> None:
    rows = dev_rows(6)
    texts, pairs = [t for t, _ in rows[:3]], [t for t, _ in rows[3:]]
    found = embed_examples(minilm, examples_of(texts, pairs), pooling="mean", batch_size=2)
    expected = by_hand(reference, minilm.tokenizer, texts, pairs, layer=-1, pooling="mean")
    np.testing.assert_allclose(found.vectors, expected, atol=1e-5, rtol=0)


def test_last_token_models_pool_their_last_real_token() -> None:
    """A GPT-2 classifier reads its last token: "cls" pooling takes the last real one, padding excluded."""
    from transformers import GPT2Config, GPT2ForSequenceClassification

    from workbench.engine.models.loading import fit_tokenizer_to_model
    from workbench.engine.models.presets import train_tokenizer

    texts = [text for text, _ in dev_rows(40)]
    tok = train_tokenizer("gpt", texts, 300)
    torch.manual_seed(0)
    model = GPT2ForSequenceClassification(GPT2Config(
        vocab_size=len(tok), n_embd=32, n_layer=2, n_head=4, n_positions=128, num_labels=2,
        bos_token_id=tok.eos_token_id, eos_token_id=tok.eos_token_id, pad_token_id=tok.pad_token_id)).eval()
    fit_tokenizer_to_model(model, tok)
    predictor = Predictor(model, tok, "classification", ["neg", "pos"], 128, ModelSource("folder", "gpt"))
    found = embed_examples(predictor, examples_of(texts[:7]), batch_size=3)
    expected = by_hand(model.base_model, tok, texts[:7], layer=-1, pooling="cls", last=True)
    np.testing.assert_allclose(found.vectors, expected, atol=1e-5, rtol=0)
    first = by_hand(model.base_model, tok, texts[:7], layer=-1, pooling="cls", last=False)
    assert np.abs(found.vectors - first).max() > 1e-3  # not the first token, which sees only itself


# --------------------------------------------------------------------------- PCA, nearest neighbours


def _same_up_to_sign(ours: np.ndarray, theirs: np.ndarray) -> None:
    for axis in range(2):
        sign = np.sign(np.dot(ours[:, axis], theirs[:, axis])) or 1.0
        np.testing.assert_allclose(ours[:, axis], sign * theirs[:, axis], rtol=1e-4, atol=1e-4)


def test_pca_equals_scikit_learn(minilm) -> None:
    sklearn_decomposition = pytest.importorskip("sklearn.decomposition")
    vectors = embed_examples(minilm, examples_of([text for text, _ in dev_rows(60)]), layer=-1).vectors
    rng = np.random.default_rng(0)
    many = rng.normal(size=(500, 20)) * np.linspace(3.0, 0.1, 20)  # more points than dimensions
    for data in (vectors, many):  # (60, 384): SVD of the centred data; (500, 20): the scatter matrix
        ours = project(data)
        reference = sklearn_decomposition.PCA(n_components=2, svd_solver="full").fit(np.asarray(data, np.float64))
        assert ours.method == "pca" and ours.coords.dtype == np.float32 and ours.coords.shape == (len(data), 2)
        _same_up_to_sign(ours.coords, reference.transform(np.asarray(data, np.float64)))
        np.testing.assert_allclose(ours.explained, reference.explained_variance_ratio_, rtol=1e-6)
        np.testing.assert_allclose(ours.transform(data), ours.coords, atol=1e-4)
        np.testing.assert_allclose(ours.transform(data[3]), ours.coords[3:4], atol=1e-4)
        assert np.array_equal(project(data).coords, ours.coords)  # deterministic
        # Signs: the largest-magnitude entry of each axis is positive.
        assert np.all(ours.components[np.arange(2), np.abs(ours.components).argmax(axis=1)] > 0)


def test_pca_of_too_few_points() -> None:
    assert project(np.zeros((0, 4), np.float32)).coords.shape == (0, 2)
    single = project(np.ones((1, 4), np.float32))
    assert single.coords.shape == (1, 2) and np.all(single.coords == 0)
    line = project(np.arange(6, dtype=np.float32).reshape(6, 1))  # one feature: the second axis is flat
    assert np.all(line.coords[:, 1] == 0) and line.explained == (1.0, 0.0)


def test_umap_without_umap_learn_says_how_to_install(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "umap", None)  # as if umap-learn were not installed
    with pytest.raises(WorkbenchError, match="pip install umap-learn"):
        project(np.random.default_rng(0).normal(size=(20, 5)), "umap")
    with pytest.raises(ConfigError, match="tsne"):
        project(np.zeros((3, 3)), "tsne")


def test_nearest_agrees_with_brute_force_cosine(minilm) -> None:
    texts = [text for text, _ in dev_rows(80)]
    vectors = embed_examples(minilm, examples_of(texts), pooling="mean").vectors
    query = embed_texts(minilm, ["a warm , funny and moving film"], pooling="mean")[0]
    found = nearest(vectors, query, k=10)
    v, q = vectors.astype(np.float64), query.astype(np.float64)
    cosine = v @ q / (np.linalg.norm(v, axis=1) * np.linalg.norm(q))
    best = np.argsort(-cosine, kind="stable")[:10]
    assert [i for i, _ in found] == best.tolist()
    np.testing.assert_allclose([s for _, s in found], cosine[best], atol=1e-5)
    itself = nearest(vectors, vectors[17], k=3)
    assert itself[0][0] == 17 and itself[0][1] == pytest.approx(1.0, abs=1e-5)
    assert len(nearest(vectors, query, k=500)) == 80 and nearest(vectors, query, k=0) == []


# --------------------------------------------------------------------------- cache and cancellation


def test_memory_cache_hits_and_misses_when_texts_change(minilm) -> None:
    clear_cache()
    texts = [text for text, _ in dev_rows(12)]
    counter = ForwardCounter(minilm.model.base_model)
    try:
        first = embed_examples(minilm, examples_of(texts), batch_size=4)
        assert counter.calls == 3
        seen: list[tuple[int, int]] = []
        again = embed_examples(minilm, examples_of(texts), batch_size=4, progress=lambda d, t: seen.append((d, t)))
        assert counter.calls == 3 and again is first and seen == [(12, 12)]
        assert not again.vectors.flags.writeable  # shared by the cache
        changed = embed_examples(minilm, examples_of([*texts[:-1], texts[-1] + " !"]), batch_size=4)
        assert counter.calls == 6 and changed.key != first.key
        np.testing.assert_allclose(changed.vectors[:-1], first.vectors[:-1], atol=1e-5)
        other_layer = embed_examples(minilm, examples_of(texts), layer=2, batch_size=4)
        assert counter.calls == 9 and other_layer.key != first.key
    finally:
        counter.close()


def test_run_folder_keeps_vectors_on_disk(tmp_path) -> None:
    run = fake_run(tmp_path)
    predictor = Predictor.load(run)
    texts = [text for text, _ in dev_rows(10)]
    clear_cache()
    counter = ForwardCounter(predictor.model.base_model)
    try:
        first = embed_examples(predictor, examples_of(texts), pooling="mean")
        saved = run / "analysis" / f"embeddings-{first.key}.npz"
        with np.load(saved, allow_pickle=False) as data:
            np.testing.assert_array_equal(data["vectors"], first.vectors)
        assert [p.name for p in saved.parent.iterdir()] == [saved.name]  # no temp file left behind
        calls = counter.calls
        clear_cache()  # a new session: the vectors come from the run folder
        again = embed_examples(predictor, examples_of(texts), pooling="mean")
        assert counter.calls == calls and again.key == first.key
        np.testing.assert_array_equal(again.vectors, first.vectors)
        weights = run / "model" / "model.safetensors"
        stat = weights.stat()
        os.utime(weights, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # the weights were rewritten
        changed = embed_examples(predictor, examples_of(texts), pooling="mean")
        assert counter.calls > calls and changed.key != first.key
    finally:
        counter.close()


def test_should_stop_stops_between_batches(minilm) -> None:
    clear_cache()
    texts = [text for text, _ in dev_rows(9)]
    progress: list[tuple[int, int]] = []
    with pytest.raises(EmbeddingStopped) as stopped:
        embed_examples(minilm, examples_of(texts), batch_size=3, progress=lambda d, t: progress.append((d, t)),
                       should_stop=lambda: len(progress) >= 2)
    assert isinstance(stopped.value, EvaluationStopped)
    assert progress == [(0, 9), (3, 9)]
    done: list[tuple[int, int]] = []
    embed_examples(minilm, examples_of(texts), batch_size=3, progress=lambda d, t: done.append((d, t)))
    assert done == [(0, 9), (3, 9), (6, 9), (9, 9)]
