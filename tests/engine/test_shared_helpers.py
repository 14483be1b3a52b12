"""Helpers the CLI and the app share, now in the engine (issue 15), and the retired ``extra``."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from workbench.engine.data import FORMATS
from workbench.engine.formatting import format_duration
from workbench.engine.training.command import command_line
from workbench.engine.training.config import TrainConfig


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "00:00"), (59.9, "00:59"), (61, "01:01"), (3599, "59:59"), (3600, "1:00:00"),
     (36_061, "10:01:01"), (-5, "00:00")],
)
def test_format_duration(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


def test_the_command_line_of_a_config_parses_back_to_it() -> None:
    from workbench.cli import build_parser
    from workbench.cli.train_cmd import config_from_args

    config = TrainConfig(data="my data.csv", model="bert-tiny", task="multi-label", lr=3e-4, batch_size=8,
                         max_steps=50, epochs=7, allow_pickle=True, output="runs/x")
    text = command_line(config)
    words = shlex.split(text)
    assert words[:2] == ["workbench", "train"]
    # data and model always; epochs left out when max_steps decides; a renamed flag.
    assert words[words.index("--data") + 1] == "my data.csv" and "--model" in words
    assert "--epochs" not in words and "--allow-pickle-weights" in words
    assert "--batch-size" in words and "--lr" in words
    parsed = config_from_args(build_parser().parse_args(words[1:]))
    assert {k: v for k, v in parsed.to_dict().items() if k != "epochs"} == {
        k: v for k, v in config.to_dict().items() if k != "epochs"
    }


def test_an_old_config_with_extra_still_loads(tmp_path: Path) -> None:
    # Run folders written before ``extra`` was removed hold it in config.json.
    old = TrainConfig(data="a.csv", model="bert-tiny", lr=1e-3, output="runs/a").to_dict()
    old["extra"] = {"note": "from an older version"}
    path = tmp_path / "config.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    config = TrainConfig.load(path)
    assert config.lr == 1e-3 and config.data == "a.csv"
    assert "extra" not in config.to_dict() and not hasattr(config, "extra")
    assert "--extra" not in command_line(config)


def test_an_unknown_setting_is_still_refused() -> None:
    from workbench.engine.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown setting.*colour"):
        TrainConfig.from_dict({"data": "a.csv", "colour": "blue"})


@pytest.mark.parametrize("command", ["train", "eval"])
def test_format_choices_are_the_readers_formats(command: str) -> None:
    from workbench.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command" or getattr(a, "choices", None)
               and command in (a.choices or {}))
    option = next(a for a in sub.choices[command]._actions if "--format" in a.option_strings)
    assert tuple(option.choices) == FORMATS
