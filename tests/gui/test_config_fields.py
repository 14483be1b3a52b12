"""config_fields: a field declared once builds its widget, applies it to a config and restores it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QSpinBox

from workbench.engine.training.config import TrainConfig
from workbench.gui.panels import model_panel
from workbench.gui.widgets import config_fields
from workbench.gui.widgets.config_fields import ConfigField

FIELDS = (
    ConfigField("ratio", "ratio_spin", "float", lo=0.0, hi=1.0, decimals=3, step=0.01, tip="A ratio"),
    ConfigField("every", "every_spin", "int", lo=0, hi=100, special="auto", suffix=" steps", none_at_zero=True),
    ConfigField("metric", "metric_combo", "combo", choices=(None, "accuracy"), keep_unknown=True),
    ConfigField("device", "device_combo", "combo", choices=("auto", "cpu")),
    ConfigField("frozen", "frozen_check", "check", label="Frozen", slot="on_frozen"),
)


@dataclass
class Settings:
    ratio: float = 0.06
    every: int | None = None
    metric: str | None = None
    device: str = "auto"
    frozen: bool = False


class Owner:
    def __init__(self) -> None:
        self.changes: list[str] = []

    def _on_field_changed(self, *_args: object) -> None:
        self.changes.append("field")

    def on_frozen(self, _checked: bool) -> None:
        self.changes.append("frozen")


def test_the_widgets_are_made_as_declared(qtbot) -> None:
    owner = Owner()
    config_fields.build(FIELDS, owner, "ModelPanel")
    ratio, every = owner.ratio_spin, owner.every_spin
    assert isinstance(ratio, QDoubleSpinBox) and isinstance(every, QSpinBox)
    assert (ratio.minimum(), ratio.maximum(), ratio.decimals(), ratio.singleStep()) == (0.0, 1.0, 3, 0.01)
    assert ratio.toolTip() == "A ratio"
    assert (every.specialValueText(), every.suffix(), every.isAccelerated()) == ("auto", " steps", True)
    assert isinstance(owner.metric_combo, QComboBox) and isinstance(owner.frozen_check, QCheckBox)
    assert [owner.metric_combo.itemText(i) for i in range(2)] == ["auto", "accuracy"]  # None shown as auto
    assert owner.frozen_check.text() == "Frozen"
    assert config_fields.widgets(FIELDS, owner)[0] is ratio


def test_apply_and_restore_round_trip(qtbot) -> None:
    owner = Owner()
    config_fields.build(FIELDS, owner, "ModelPanel")
    config_fields.connect(FIELDS, owner)
    defaults = Settings()
    config_fields.apply(FIELDS, owner, defaults)
    assert defaults == Settings(ratio=0.0)  # the widgets' own start values, zero read as None

    chosen = Settings(ratio=0.1234, every=20, metric="entity_f1", device="tpu", frozen=True)
    config_fields.restore(FIELDS, owner, chosen)
    assert set(owner.changes) == {"field", "frozen"}  # connected (the panel blocks them while restoring)
    back = Settings()
    config_fields.apply(FIELDS, owner, back)
    # Rounded to the decimals shown; a metric not offered is kept, an unknown device is not.
    assert back == Settings(ratio=0.123, every=20, metric="entity_f1", device="auto", frozen=True)

    owner.every_spin.setValue(0)
    config_fields.apply(FIELDS, owner, back)
    assert back.every is None


def test_the_model_panel_declares_config_attributes() -> None:
    """Each field of the panel's tables is a TrainConfig setting, edited by one widget of its own."""
    tables = model_panel._SHAPE_FIELDS + model_panel._FIELDS
    names = [field.name for field in tables]
    config = TrainConfig()
    assert all(hasattr(config, name) for name in names)
    assert len(set(names)) == len(names) == len({field.widget for field in tables})
    assert all(field.group in ("", "schedule", "evaluation", "advanced", "seq2seq") for field in model_panel._FIELDS)
