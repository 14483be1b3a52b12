"""The model panel says which precision a run will use and why (issue 19)."""

from __future__ import annotations

import pytest

from workbench.engine.training import precision_probe
from workbench.engine.training.precision_probe import ProbeResult
from workbench.gui.panels.model_panel import ModelPanel

WAIT_MS = 30_000


@pytest.fixture
def panel(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv(precision_probe.PIN_VARIABLE, raising=False)
    precision_probe.forget()
    p = ModelPanel()
    qtbot.addWidget(p)
    p.show()
    yield p
    p.shutdown()
    precision_probe.forget()


def _choose(qtbot, panel: ModelPanel, value: str, expected: str) -> None:
    panel.precision_combo.setCurrentIndex(panel.precision_combo.findData(value))
    qtbot.waitUntil(lambda: panel.precision_note.text() == expected, timeout=WAIT_MS)


def test_the_note_follows_the_cpu_probe_and_the_users_choice(qtbot, panel, monkeypatch) -> None:
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: True)
    monkeypatch.setattr(precision_probe, "bf16_hardware", lambda cpuinfo=None: "AVX-512 BF16")
    monkeypatch.setattr(precision_probe, "measure", lambda: ProbeResult(precision_probe.probe_key(), 0.19, 0.1))
    panel.set_model("bert-tiny")
    panel.device_combo.setCurrentIndex(panel.device_combo.findData("cpu"))
    _choose(qtbot, panel, "auto", "Uses bf16 (this CPU has AVX-512 BF16, measured 1.9x faster)")
    assert panel.precision_note.isVisible()
    _choose(qtbot, panel, "fp32", "Uses fp32 (as chosen)")  # fp32 is one click away, always


def test_the_note_says_when_the_cpu_lacks_bf16(qtbot, panel, monkeypatch) -> None:
    monkeypatch.setattr(precision_probe, "cpu_bf16_supported", lambda: False)
    panel.set_model("bert-tiny")
    panel.device_combo.setCurrentIndex(panel.device_combo.findData("cpu"))
    _choose(qtbot, panel, "auto", "Uses fp32 (this CPU has no native bf16)")
    _choose(qtbot, panel, "bf16", "Refused on this machine (device or precision): a run would stop at its start")
