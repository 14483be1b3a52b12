"""Sentence vectors from a model's own hidden states, their 2-D map, and nearest neighbours.

``embed_examples`` pools one layer's hidden states per example: the summary token
(the first token, [CLS]; the last real token for models that classify from the last
position: XLNet, GPT-style decoders) or the mean over real tokens (padding excluded).
Texts are tokenized as the model reads them (pairs as pairs, pre-split words as words),
cut at the predictor's ``max_length`` and batched by length, so no work goes to padding
that can be avoided. Results are cached in memory (a small LRU) and, for a run folder,
on disk as ``RUN/analysis/embeddings-<key>.npz``; the key changes with the weights
(their files' size and time), the texts, the layer and the pooling.

``project`` maps vectors to 2-D with PCA (numpy, deterministic signs) or UMAP (when
``umap-learn`` is installed); ``nearest`` ranks vectors by cosine similarity.
Qt-free; returns numpy, never tensors.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from workbench.engine.errors import ConfigError, EvaluationStopped, WorkbenchError

if TYPE_CHECKING:
    import torch

    from workbench.engine.data import Examples
    from workbench.engine.encoding import Encoded
    from workbench.engine.inference import Predictor

__all__ = [
    "METHODS", "POOLINGS", "EmbeddingStopped", "Embeddings", "Projection", "clear_cache", "embed_examples",
    "embed_texts", "hidden_state_count", "nearest", "project",
]  # fmt: skip

POOLINGS = ("cls", "mean")
METHODS = ("pca", "umap")
ANALYSIS_DIR = "analysis"  # RUN/analysis: what the analysis tools compute for a run
CACHE_SIZE = 4  # embeddings kept in memory (50,000 x 768 float32 is about 150 MB each)
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")


class EmbeddingStopped(EvaluationStopped):
    """``embed_examples``'s ``should_stop`` said stop: raised between batches (there is no result)."""


@dataclass(frozen=True, eq=False)
class Embeddings:
    """One vector per example (row i = example i), read-only: the cache shares it."""

    vectors: np.ndarray  # float32 (N, H)
    layer: int  # the hidden-state index used (negative counts from the top, -1 = last)
    pooling: str
    key: str  # cache key: model identity + data hash + layer + pooling


# --------------------------------------------------------------------------- cache

_cache: OrderedDict[str, Embeddings] = OrderedDict()
_cache_lock = threading.Lock()
# Models without a folder (built in memory) are named by a token that dies with them:
# id() could be reused by the next model and hit its predecessor's vectors.
_model_tokens: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def clear_cache() -> None:
    """Forget the embeddings kept in memory (those on disk stay)."""
    with _cache_lock:
        _cache.clear()


def _remember(found: Embeddings) -> None:
    with _cache_lock:
        _cache[found.key] = found
        _cache.move_to_end(found.key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


def _recall(key: str) -> Embeddings | None:
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def _model_identity(predictor: Predictor) -> str:
    """The folder and the size and time of each weights file in it; a per-object token without a folder."""
    source = getattr(predictor, "source", None)
    path = getattr(source, "path", None)
    if path is not None and Path(path).is_dir():
        folder = Path(path).resolve()
        stamps = []
        for file in sorted(folder.iterdir()):
            if file.suffix in _WEIGHT_SUFFIXES and file.is_file():
                stat = file.stat()
                stamps.append(f"{file.name}:{stat.st_size}:{stat.st_mtime_ns}")
        return f"{folder}|{'|'.join(stamps)}"
    model = predictor.model
    token = _model_tokens.get(model)
    if token is None:
        token = _model_tokens.setdefault(model, f"memory:{uuid.uuid4().hex}")
    return token


def _data_hash(examples: Examples) -> str:
    digest = hashlib.sha256()
    for part in (examples.texts, examples.text_pairs, examples.words):
        # JSON keeps the boundaries: ["a b"] and ["a", "b"] hash differently.
        digest.update(json.dumps(part, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _cache_key(predictor: Predictor, examples: Examples, layer: int, pooling: str) -> str:
    parts = [_model_identity(predictor), _data_hash(examples), str(layer), pooling, str(predictor.max_length)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:24]


def _run_folder(predictor: Predictor) -> Path | None:
    """The run the predictor's weights belong to (its final model or a checkpoint), if any."""
    from workbench.engine.eval_data import run_of_weights

    path = getattr(getattr(predictor, "source", None), "path", None)
    return None if path is None else run_of_weights(path)


def _disk_path(predictor: Predictor, key: str) -> Path | None:
    run = _run_folder(predictor)
    return None if run is None else run / ANALYSIS_DIR / f"embeddings-{key}.npz"


def _load_disk(path: Path | None, key: str, count: int) -> Embeddings | None:
    if path is None or not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as saved:
            vectors = np.asarray(saved["vectors"], dtype=np.float32)
            layer, pooling = int(saved["layer"]), str(saved["pooling"])
    except (OSError, KeyError, ValueError):
        return None  # unreadable or from another version: computed again and rewritten
    if vectors.ndim != 2 or vectors.shape[0] != count:
        return None
    vectors.setflags(write=False)
    return Embeddings(vectors, layer, pooling, key)


def _save_disk(path: Path | None, found: Embeddings) -> None:
    """Write atomically (a temp file, then os.replace); a read-only run folder only loses the cache."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".embeddings-", suffix=".npz", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, vectors=found.vectors, layer=np.int64(found.layer), pooling=np.str_(found.pooling))
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


# --------------------------------------------------------------------------- the forward passes


def hidden_state_count(predictor: Predictor) -> int:
    """How many hidden states the model returns: its layers plus the embeddings (index 0)."""
    config = predictor.model.config
    layers = getattr(config, "num_hidden_layers", None) or getattr(config, "num_layers", None) or 0
    return int(layers) + 1


def _summary_is_last(model: Any) -> bool:
    """True when the model classifies from its last token (XLNet's summary, GPT-style decoders)."""
    config = model.config
    if getattr(config, "summary_type", None) == "last":
        return True
    if getattr(config, "is_encoder_decoder", False):
        return False
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
    )

    kind = getattr(config, "model_type", "")
    # Left-to-right models only: an encoder that can also be a decoder (BERT) is masked-LM too.
    return kind in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES and kind not in MODEL_FOR_MASKED_LM_MAPPING_NAMES


def _encoder(model: Any) -> Any:
    """The module whose hidden states are read: the encoder of an encoder-decoder, else the base
    model (no classification or language-model head to compute)."""
    if getattr(model.config, "is_encoder_decoder", False) and hasattr(model, "get_encoder"):
        return model.get_encoder()
    return model.base_model


def _encode(predictor: Predictor, texts: Sequence[str], pairs: Sequence[str] | None,
            words: Sequence[Sequence[str]] | None) -> Encoded:
    """Token ids as the model reads them: text pairs as pairs, pre-split words as words."""
    from workbench.engine.encoding import tokenize_texts, tokenized_features

    if words is not None:
        enc = predictor.tokenizer([list(w) for w in words], is_split_into_words=True, truncation=True,
                                  max_length=predictor.max_length)
    else:
        enc = tokenize_texts(predictor.tokenizer, list(texts), None if pairs is None else list(pairs),
                             predictor.max_length)
    return tokenized_features(enc, predictor.max_length)


def _pool(hidden: torch.Tensor, mask: torch.Tensor, pooling: str, last: bool) -> torch.Tensor:
    """(B, T, H) -> (B, H): the mean over real tokens, or the first (``last``: last) real token."""
    import torch

    if pooling == "mean":
        weights = mask.to(hidden.dtype).unsqueeze(-1)
        return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)
    positions = torch.arange(mask.shape[1], device=mask.device)
    # The largest score among real tokens: the last position, or (reversed) the first.
    score = (positions if last else mask.shape[1] - positions) * mask.long()
    index = score.argmax(dim=1)
    return hidden[torch.arange(hidden.shape[0], device=hidden.device), index]


def _check_choice(layer: int, pooling: str, predictor: Predictor) -> None:
    if pooling not in POOLINGS:
        raise ConfigError(f"pooling {pooling!r}: choose one of {', '.join(POOLINGS)}.")
    count = hidden_state_count(predictor)
    if count > 1 and not -count <= layer < count:
        raise ConfigError(
            f"layer {layer}: this model has hidden states 0 (the embeddings) to {count - 1} "
            f"(or -1 for the last, down to -{count})."
        )


def _run_batches(
    predictor: Predictor, encoded: Encoded, layer: int, pooling: str, batch_size: int,
    progress: Callable[[int, int], None] | None, should_stop: Callable[[], bool] | None,
) -> np.ndarray:
    """One pooled vector per feature, in the features' order, computed in length-sorted batches."""
    import torch

    from workbench.engine.eval_loop import eval_batches, move, pad_eval_batch

    model, total = predictor.model, len(encoded)
    encoder, last = _encoder(model), _summary_is_last(model)
    device = next(model.parameters()).device
    out: np.ndarray | None = None
    done = 0
    with torch.inference_mode():
        for indices in eval_batches(encoded, max(1, batch_size)):
            if should_stop is not None and should_stop():
                raise EmbeddingStopped("embedding stopped")
            if progress is not None:
                progress(done, total)
            batch = move(pad_eval_batch(encoded, indices, predictor.tokenizer), device)
            batch.pop("labels", None)
            outputs = encoder(**batch, output_hidden_states=True, return_dict=True)
            hidden = outputs.hidden_states
            if not -len(hidden) <= layer < len(hidden):
                raise ConfigError(f"layer {layer}: this model returns {len(hidden)} hidden states (0 to {len(hidden) - 1}).")
            pooled = _pool(hidden[layer], batch["attention_mask"], pooling, last).float().cpu().numpy()
            if out is None:
                out = np.zeros((total, pooled.shape[1]), dtype=np.float32)
            out[indices] = pooled
            done += len(indices)
    if should_stop is not None and should_stop():
        raise EmbeddingStopped("embedding stopped")
    if progress is not None:
        progress(total, total)
    if out is None:  # no examples: the width still comes from the model
        out = np.zeros((0, int(getattr(model.config, "hidden_size", 0) or 0)), dtype=np.float32)
    return out


def embed_examples(
    predictor: Predictor,
    examples: Examples,
    *,
    layer: int = -1,
    pooling: str = "cls",
    batch_size: int = 64,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> Embeddings:
    """One vector per example from hidden state ``layer`` (0: the embeddings, -1: the last layer).

    ``pooling``: "cls" (the summary token) or "mean" (real tokens only). ``progress(done,
    total)`` is called before each batch and once with ``(total, total)``; ``should_stop()``
    is asked between batches and stops with ``EmbeddingStopped`` (an ``EvaluationStopped``).
    A cached result (memory, or the run's ``analysis`` folder) returns without running the model.
    """
    _check_choice(layer, pooling, predictor)
    key = _cache_key(predictor, examples, layer, pooling)
    found = _recall(key)
    disk = _disk_path(predictor, key)
    if found is None:
        found = _load_disk(disk, key, len(examples))
        if found is not None:
            _remember(found)
    if found is not None:
        if progress is not None:
            progress(len(examples), len(examples))
        return found
    encoded = _encode(predictor, examples.texts, examples.text_pairs, examples.words)
    vectors = _run_batches(predictor, encoded, layer, pooling, batch_size, progress, should_stop)
    vectors.setflags(write=False)  # shared by the cache: nobody may change it in place
    found = Embeddings(vectors, layer, pooling, key)
    _remember(found)
    _save_disk(disk, found)
    return found


def embed_texts(predictor: Predictor, texts: Sequence[str], *, layer: int = -1, pooling: str = "cls") -> np.ndarray:
    """(M, H) float32 vectors of a few texts (e.g. a typed sentence), pooled as ``embed_examples`` does."""
    _check_choice(layer, pooling, predictor)
    encoded = _encode(predictor, list(texts), None, None)
    return _run_batches(predictor, encoded, layer, pooling, 64, None, None)


# --------------------------------------------------------------------------- 2-D maps


@dataclass(frozen=True, eq=False)
class Projection:
    """Points on a plane, and how to put new vectors on the same plane."""

    coords: np.ndarray  # float32 (N, 2)
    method: str  # "pca" or "umap"
    explained: tuple[float, float] | None  # PCA: the share of the variance along each axis
    mean: np.ndarray | None = field(default=None, repr=False)  # PCA: the centre (H,)
    components: np.ndarray | None = field(default=None, repr=False)  # PCA: the axes (2, H)
    reducer: Any = field(default=None, repr=False)  # UMAP: the fitted model

    def transform(self, vectors: np.ndarray) -> np.ndarray:
        """New vectors (M, H) or (H,) onto this plane: (M, 2) float32."""
        points = np.asarray(vectors, dtype=np.float64)
        if points.ndim == 1:
            points = points[None, :]
        if self.reducer is not None:
            return np.asarray(self.reducer.transform(points.astype(np.float32)), dtype=np.float32)
        if self.mean is None or self.components is None:
            raise WorkbenchError("this projection cannot place new points (it has no axes).")
        return ((points - self.mean) @ self.components.T).astype(np.float32)


def _pca_axes(centred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The top two principal axes (2, H) and the variance along each (2,), largest first."""
    n, h = centred.shape
    if n >= h:  # many points: the (H, H) scatter matrix is small, its eigenvectors are the axes
        values, vectors = np.linalg.eigh(centred.T @ centred)
        order = np.argsort(values)[::-1][:2]
        axes, variances = vectors[:, order].T, np.clip(values[order], 0.0, None)
    else:
        _, singular, vt = np.linalg.svd(centred, full_matrices=False)
        axes, variances = vt[:2], singular[:2] ** 2
    if axes.shape[0] < 2:  # a single feature, or a single point: the second axis is empty
        pad = 2 - axes.shape[0]
        axes = np.vstack([axes, np.zeros((pad, h))])
        variances = np.concatenate([variances, np.zeros(pad)])
    # Deterministic signs: the largest-magnitude entry of each axis is positive.
    biggest = np.abs(axes).argmax(axis=1)
    signs = np.sign(axes[np.arange(2), biggest])
    signs[signs == 0] = 1.0
    return axes * signs[:, None], variances


def _pca(vectors: np.ndarray) -> Projection:
    data = np.asarray(vectors, dtype=np.float64)
    if data.ndim != 2:
        raise ConfigError(f"project() needs a 2-D array of vectors (N, H), not shape {data.shape}.")
    if data.shape[0] == 0:
        return Projection(np.zeros((0, 2), np.float32), "pca", (0.0, 0.0), np.zeros(data.shape[1]),
                          np.zeros((2, data.shape[1])))
    mean = data.mean(axis=0)
    centred = data - mean
    axes, variances = _pca_axes(centred)
    total = float((centred**2).sum())
    explained = (float(variances[0] / total), float(variances[1] / total)) if total > 0 else (0.0, 0.0)
    return Projection((centred @ axes.T).astype(np.float32), "pca", explained, mean, axes)


def _umap(vectors: np.ndarray, seed: int) -> Projection:
    try:
        import umap  # optional: pip install umap-learn
    except ImportError as exc:
        raise WorkbenchError(
            "UMAP needs the umap-learn package, which is not installed: pip install umap-learn "
            "(then restart the workbench). PCA needs nothing extra."
        ) from exc
    data = np.asarray(vectors, dtype=np.float32)
    if data.ndim != 2 or data.shape[0] < 3:
        raise ConfigError("UMAP needs at least 3 vectors; use PCA for fewer.")
    reducer = umap.UMAP(n_components=2, n_neighbors=min(15, data.shape[0] - 1), metric="cosine", random_state=seed)
    coords = np.asarray(reducer.fit_transform(data), dtype=np.float32)
    return Projection(coords, "umap", None, reducer=reducer)


def project(vectors: np.ndarray, method: str = "pca", *, seed: int = 0) -> Projection:
    """2-D coordinates of ``vectors`` (N, H): PCA (always there) or UMAP (with umap-learn; seeded)."""
    if method == "pca":
        return _pca(vectors)
    if method == "umap":
        return _umap(vectors, seed)
    raise ConfigError(f"projection {method!r}: choose one of {', '.join(METHODS)}.")


def nearest(vectors: np.ndarray, query: np.ndarray, k: int = 10) -> list[tuple[int, float]]:
    """The ``k`` rows of ``vectors`` most similar to ``query`` by cosine, best first: (row, similarity).

    A zero vector is similar to nothing (0); ties go to the lower row.
    """
    table = np.asarray(vectors, dtype=np.float32)
    point = np.asarray(query, dtype=np.float32).reshape(-1)
    if table.ndim != 2 or table.shape[0] == 0 or k <= 0:
        return []
    if table.shape[1] != point.shape[0]:
        raise ConfigError(f"the query has {point.shape[0]} dimensions, the vectors {table.shape[1]}.")
    norms = np.linalg.norm(table, axis=1) * float(np.linalg.norm(point))
    similarity = (table @ point) / np.maximum(norms, np.finfo(np.float32).tiny)
    similarity[norms == 0] = 0.0
    k = min(int(k), table.shape[0])
    candidates = np.arange(table.shape[0])
    if k < table.shape[0]:  # only the rows at least as similar as the k-th best (ties included) are sorted
        kth = np.partition(-similarity, k - 1)[k - 1]
        candidates = np.flatnonzero(-similarity <= kth)
    order = candidates[np.lexsort((candidates, -similarity[candidates]))][:k]  # ties go to the lower row
    return [(int(i), float(similarity[i])) for i in order]
