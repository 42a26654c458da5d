"""The config file: defaults, every option, and errors that name the file, line and key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config import ConfigError, bundled_content, example_config, load_config


def test_defaults_run_the_bundled_content() -> None:
    config = load_config()
    assert config.content_dir == bundled_content()
    assert config.fullscreen is True
    assert config.clinic.phone == "310-828-7757"
    assert config.clinic.name == "The Spine Institute"


def test_values_are_read(config_file: Callable[[str], Path]) -> None:
    path = config_file('content = "my-content"\nfullscreen = false\n\n[clinic]\n'
                       'name = "Valley Spine"\nphone = "555-0100"\n'
                       '[clinic.hours]\nen = "Mon-Fri 8-5"\nes = "Lun-Vie 8-5"\n')
    config = load_config(path)
    assert config.content_dir == path.parent / "my-content"
    assert config.fullscreen is False
    assert config.clinic.name == "Valley Spine"
    assert config.clinic.hours_for("es") == "Lun-Vie 8-5"
    assert config.clinic.hours_for("ko") == "Mon-Fri 8-5"


@pytest.mark.parametrize(("text", "expected"), [
    ('fullscreen = "no"\n', ":1: 'fullscreen' must be true or false, not 'no'"),
    ("\n\n[clinic]\nphone = 3108287757\n", ":4: 'clinic.phone' must be text in quotes"),
    ('langauge = "es"\n', ":1: unknown key 'langauge' (did you mean 'language'?)"),
    ("[clinic]\nname = \"x\"\nfax = \"1\"\n", ":3: unknown key 'clinic.fax'"),
    ("fullscreen = \n", ":1: this is not valid TOML"),
])
def test_errors_name_line_and_key(config_file: Callable[[str], Path], text: str,
                                  expected: str) -> None:
    path = config_file(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.problems[0].startswith(f"{path}{expected}"), info.value.problems


def test_example_config_is_valid_and_complete(config_file: Callable[[str], Path]) -> None:
    text = example_config()
    config = load_config(config_file(text))
    assert config.clinic.doctor == "Dr. Hyun Bae"
    assert "[clinic]" in text and "phone" in text
