"""The config file: defaults, every option, and errors that name the file, line and key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import assert_type

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
                       'name = "Valley Spine"\nphone = "805-555-0100"\n'
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
    ('[keypad]\nnext = "Dwon, 2"\n', ":2: 'keypad.next' has 'Dwon', which is not a key name "
     "(did you mean 'Down'?)"),
    ('[keypad]\nselect = ""\nback = " , "\n', ":3: 'keypad.back' names no key"),
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
    assert config.clinic.doctor == "Hyun Bae"
    assert "[clinic]" in text and "phone" in text


@pytest.mark.parametrize(("text", "expected"), [
    ('language = "en"\n\n[clinic]\nname = "x"\n\n[clinic.hours]\nen = "9-5"\nes = 3\n',
     ":8: 'clinic.hours.es' must be text in quotes"),
    ('[clinic]\nname = "x"\nhours = { en = "9-5", es = 3 }\n',
     ":3: 'clinic.hours.es' must be text in quotes"),
    ('[clinic.hours]\nen = "9-5"\n\n[clinic]\nphone = 5\n',
     ":5: 'clinic.phone' must be text in quotes"),
    ('notes = """\nidle_timeout = 1\n"""\nidle_timeout = 0\n',
     ":1: unknown key 'notes'"),
    ('idle_timeout = 0\n', ":1: 'idle_timeout' must be at least 1, not 0"),
    ('a = 1\n[clinic.extra]\nx = 1\n', ":3: unknown key 'clinic.extra.x'"),
    ('clinic.phone = 5\n', ":1: 'clinic.phone' must be text in quotes"),
])
def test_errors_under_sub_tables_name_their_own_line(config_file: Callable[[str], Path],
                                                     text: str, expected: str) -> None:
    path = config_file(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert any(line == f"{path}{expected}" or line.startswith(f"{path}{expected}")
               for line in caught.value.problems), caught.value.problems


@pytest.mark.parametrize(("data", "line"), [
    (b'language = "en"\n[clinic]\nname = "Cl\xe9nica"\n', 3),  # Latin-1, as Notepad once did
    (b"\xff\xfe" + 'language = "en"\n'.encode("utf-16-le"), 1),
])
def test_a_file_that_is_not_utf8_is_one_line_with_its_line(tmp_path: Path, data: bytes,
                                                           line: int) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{path}:{line}: not UTF-8 text")
    assert "\n" not in caught.value.problems[0]


def test_every_config_problem_from_the_command_line_is_one_line_not_a_traceback(
        tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "config.toml"
    for data in (b"\xe9\xe9\n", b"[clinic.hours]\nen = 1\n", b"= =\n", b"[a\n"):
        path.write_bytes(data)
        done = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(path), "check"],
                              capture_output=True, text=True, timeout=60)
        out = done.stdout + done.stderr
        assert "Traceback" not in out, out
        done = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(path),
                               "--windowed"], capture_output=True, text=True, timeout=60,
                              env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"})
        assert "Traceback" not in done.stderr, done.stderr
        assert done.returncode == 2
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith(f"{path}:"), lines


def test_options_are_typed_attributes_from_the_one_declaration(
        config_file: Callable[[str], Path]) -> None:
    from kiosk.config import OPTIONS, Option, Options

    config = load_config(config_file('idle_timeout = 30\n[clinic]\nphone = "805-555-0199"\n'))
    # Checked by mypy (assert_type does nothing at run time): the attributes are typed.
    assert_type(config.options.idle_timeout, int)
    assert_type(config.options.fullscreen, bool)
    assert_type(config.options.clinic_phone, str)
    assert_type(config.options.clinic_hours, str | dict[str, str])
    assert config.options.idle_timeout == 30 == config["idle_timeout"]
    assert config.options.clinic_phone == "805-555-0199"
    assert config.options.fullscreen is True
    # Every declared option is an attribute named by its key, and nothing else is.
    names = {name for name, value in vars(Options).items() if isinstance(value, Option)}
    assert names == {o.key.replace(".", "_") for o in OPTIONS}
    for option in OPTIONS:
        assert getattr(config.options, option.key.replace(".", "_")) == config[option.key]
    assert Options().idle_timeout == 90  # the defaults


def test_set_value_on_a_file_that_is_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    from kiosk.config import set_value

    path = tmp_path / "config.toml"
    path.write_bytes(b'name = "Cl\xe9nica"\n')
    with pytest.raises(ConfigError, match=r":1: not UTF-8 text"):
        set_value(path, "staff_pin_hash", "x")
    assert path.read_bytes() == b'name = "Cl\xe9nica"\n'
