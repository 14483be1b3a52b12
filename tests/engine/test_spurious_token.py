"""Issue 17's spurious-token check: MiniLM trained with "zeugma" planted on 90 % of the positive rows.

The probes that insert or remove the word flip at least five times as many predictions of that model
as of the same model trained on the clean rows, and the word's keyword slice is flagged. Two short
MiniLM fine-tunes and four passes over SST-2 dev: well over a minute on two cores, hence slow
(``python bench/spurious_token.py`` prints the same figures).
"""

from __future__ import annotations

import pytest

from bench.spurious_token import WORD, spurious_token_figures

pytestmark = pytest.mark.slow


def test_a_planted_token_shows_in_the_probes_and_the_slices(tmp_path) -> None:
    figures = spurious_token_figures(rows=1500, steps=60, threads=1, folder=tmp_path)
    spurious, clean = figures["spurious"], figures["clean"]
    print(f"{WORD}: {figures}")
    assert spurious["insert_examples"] == clean["insert_examples"] == 872  # no dev sentence has the word
    assert spurious["remove_examples"] == clean["remove_examples"] > 50
    for probe in ("insert", "remove"):
        rate = spurious[f"{probe}_flip_rate"]
        assert rate >= 0.2, (probe, rate)  # the shortcut moves many predictions ...
        assert rate >= 5 * clean[f"{probe}_flip_rate"], (probe, rate, clean)  # ... the clean model's few
    # The clean model learned the task; the spurious one mostly the shortcut (no word: negative).
    assert clean["accuracy"] > 0.7 and not clean["slice_flagged"]
    assert spurious["slice_flagged"] and spurious["slice_accuracy"] < spurious["accuracy"]
