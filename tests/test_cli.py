"""The command line as staff and IT use it: ``kiosk check`` and ``kiosk shots``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from kiosk.__main__ import main
from kiosk.config import Config, load_config
from kiosk.ui.shots import take_shots
from kiosk.ui.widgets import IMAGE_IO
from tests.conftest import SELF_CHECK, topic_text


def test_check_passes_on_the_bundled_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    # The only findings: no clinician has reviewed the bundled pages yet (issue 14), and no
    # reader of Persian has: the kiosk has no reading formula to vouch for it (issue 22).
    assert [line for line in out.splitlines() if "no clinician has reviewed" not in line
            and "someone who reads 'fa' well must check" not in line] == []
    assert sum("someone who reads 'fa' well" in line for line in out.splitlines()) == 6
    assert "6 topics in en, 6 in es, 6 in fa;" in err and "0 error(s)" in err


def test_check_fails_with_path_and_line(make_content: Callable[..., Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: x\n---\nBody\n"})
    assert main(["check", str(root)]) == 1
    out, _ = capsys.readouterr()
    assert f"{root}/en/jaw.md:4: 'order' must be a whole number like 3, not 'x'" in out


def test_check_warnings_alone_exit_zero(make_content: Callable[..., Path],
                                        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: 2\n---\n"
                                        "[mail us](mailto:desk@example.com)\n"})
    assert main(["check", str(root)]) == 0
    out, _ = capsys.readouterr()
    assert f"{root}/en/jaw.md:6: warning: the link 'mailto:desk@example.com' goes outside" in out


def test_check_runs_as_a_command(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "kiosk", "check", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"{tmp_path}:1: no topic files" in result.stdout


def test_bad_config_is_a_message_not_a_traceback(config_file: Callable[[str], Path],
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = config_file("fullscreen = 1\n")
    assert main(["--config", str(path), "--windowed"]) == 2
    _, err = capsys.readouterr()
    assert f"{path}:1: 'fullscreen' must be true or false" in err
    assert "Traceback" not in err


def test_config_check_names_each_problem_and_exits_2(config_file: Callable[[str], Path],
                                                     tmp_path: Path) -> None:
    """What Ansible's validate step runs (deploy/ansible/roles/kiosk/tasks/main.yml)."""
    bad = config_file('idle_timeout = 90\nfullscreen = 1\n[clinic]\nphone = "310-828-PAIN"\n')
    result = subprocess.run([sys.executable, "-m", "kiosk", "config", "--check", str(bad)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stdout == ""
    assert f"{bad}:2: 'fullscreen' must be true or false" in result.stderr
    assert f"{bad}:4: " in result.stderr and "letters" in result.stderr
    assert "Traceback" not in result.stderr
    good = tmp_path / "good.toml"
    good.write_text('idle_timeout = 90\n[clinic]\nphone = "310-828-7757"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "kiosk", "config", "--check", str(good)],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (0, f"{good}: no problems\n")


def test_shots_cover_every_screen(qtbot: QtBot, tmp_path: Path) -> None:
    written = take_shots(load_config(), tmp_path, (800, 480))
    names = {p.stem for p in written}
    # Every question of the bundled self-check (4 lists of danger signs, then 5), each of
    # its 3 bands, both danger tiers and the call panel, in both languages.
    for prefix in ("", "es-"):
        for name in [f"check-{n}" for n in range(1, 10)] + [
                "home", "result-urgent", "result-today", "call"]:
            assert prefix + name in names
        assert "check-10" not in names
        assert sum(n.startswith(prefix + "result-") and n[len(prefix) + 7].isdigit()
                   for n in names) == 3
    assert {"topic-jaw-and-tmj", "resting"} <= names
    with IMAGE_IO:
        image = QImage(str(tmp_path / "home.png"))
    assert (image.width(), image.height()) == (800, 480)


# -- a config with errors: say so, and check the folder it names (issue 17) ----------------

def _bad_order(make_content: Callable[..., Path]) -> Path:
    """A content folder with one error of its own, so a report on it is unmistakable."""
    return make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: x\n---\nBody\n"})


def test_check_with_a_config_error_checks_the_folder_the_config_names(
        make_content: Callable[..., Path], config_file: Callable[[str], Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    root = _bad_order(make_content)
    config = config_file(f'content = "{root}"\nfulscreen = false\n')
    assert main(["--config", str(config), "check"]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == f"{config}:2: unknown key 'fulscreen' (did you mean 'fullscreen'?)"
    assert f"{root}/en/jaw.md:4: 'order' must be a whole number like 3, not 'x'" in lines
    assert "Spine" not in out and str(root) in err  # the folder named, not the bundled one
    assert "1 error(s) in the config" in err and "the kiosk does not start" in err


def test_check_with_a_config_error_exits_2_even_when_the_folder_is_clean(
        make_content: Callable[..., Path], config_file: Callable[[str], Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content()
    config = config_file(f'content = "{root}"\n[clinic]\nphone = "310-828-PAIN"\n')
    assert main(["--config", str(config), "check", "--format", "json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["folder"] == str(root) and report["topics"] == 2
    assert report["ok"] is False and report["errors"] == 1
    assert all(p["severity"] == "warning" for p in report["problems"])
    assert report["config_problems"][0].startswith(f"{config}:3: 'clinic.phone' has letters")


@pytest.mark.parametrize("text", [
    'contnet = "{root}"\n',  # misspelt: the folder it meant is not known
    'content = 5\n',  # the wrong type
    '[paths]\ncontent = "{root}"\n',  # in a table of its own
    'content = "{root}"\nfullscreen = \n',  # not TOML at all: nothing can be trusted
])
def test_check_refuses_when_the_content_key_itself_is_wrong(
        make_content: Callable[..., Path], config_file: Callable[[str], Path],
        capsys: pytest.CaptureFixture[str], text: str) -> None:
    root = _bad_order(make_content)
    config = config_file(text.format(root=root))
    assert main(["--config", str(config), "check"]) == 2
    out, err = capsys.readouterr()
    assert out.startswith(f"{config}:")  # the config's own problem, with its line
    assert "jaw.md" not in out and "Spine" not in out  # neither folder was checked
    assert "nothing was checked" in err and "kiosk check FOLDER" in err
    assert "Traceback" not in out + err


def test_check_of_a_named_folder_still_reports_the_config_errors(
        make_content: Callable[..., Path], config_file: Callable[[str], Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    root = _bad_order(make_content)
    config = config_file("content = 5\n")
    assert main(["--config", str(config), "check", str(root)]) == 2
    out, _ = capsys.readouterr()
    assert out.splitlines()[0] == f"{config}:1: 'content' must be text in quotes, not 5"
    assert f"{root}/en/jaw.md:4: 'order' must be a whole number like 3, not 'x'" in out


def test_check_takes_the_language_and_the_folder_from_a_config_and_from_content(
        make_content: Callable[..., Path], config_file: Callable[[str], Path],
        capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content(**{"es/back-pain.md": topic_text("Dolor", "s", 1, "Hola."),
                           "es/self-check.yaml": SELF_CHECK})
    config = config_file(f'content = "{root}"\nlanguage = "es"\n')
    assert main(["--config", str(config), "check"]) in (0, 1)
    _, err = capsys.readouterr()
    assert err.splitlines()[-1].startswith(f"{root}: 1 topic in es, 2 in en"), err
    assert main(["--content", str(root), "check"]) in (0, 1)  # the top-level --content too
    _, err = capsys.readouterr()
    assert err.splitlines()[-1].startswith(f"{root}: 2 topics in en, 1 in es"), err


def test_preview_shows_the_folder_the_config_names(
        make_content: Callable[..., Path], config_file: Callable[[str], Path],
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import kiosk.ui.app

    shown: list[Config] = []
    monkeypatch.setattr(kiosk.ui.app, "run", lambda config, preview=False: shown.append(config)
                        or 0)
    root = make_content()
    config = config_file(f'content = "{root}"\n')
    assert main(["--config", str(config), "preview"]) == 0
    assert shown[-1].content_dir == root and shown[-1].fullscreen is False
    # A config with an error: refused, naming the file, line and key; nothing is shown.
    config = config_file(f'content = "{root}"\nfulscreen = false\n')
    assert main(["--config", str(config), "preview"]) == 2
    assert len(shown) == 1
    _, err = capsys.readouterr()
    assert err.strip() == f"{config}:2: unknown key 'fulscreen' (did you mean 'fullscreen'?)"


def test_shots_refuse_a_config_with_errors(config_file: Callable[[str], Path], tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    config = config_file('[clinic]\nphone = ""\n')
    assert main(["shots", str(tmp_path / "out"), "--config", str(config)]) == 2
    _, err = capsys.readouterr()
    assert err.startswith(f"{config}:2: 'clinic.phone' is empty")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(("argv", "plain"), [
    ([], True),
    (["--config", "/etc/clinic-kiosk/config.toml"], True),
    (["--config=/k.toml", "--content", "c", "--windowed"], True),
    (["--config"], False),  # its error comes from the whole parser
    (["check"], False),
    (["chek"], False),  # "invalid choice: 'chek' (choose from 'check', ...)"
    (["--help"], False),
    (["--version"], False),
    (["--windowed", "shots", "out"], False),
])
def test_a_plain_start_is_parsed_without_the_commands(argv: list[str], plain: bool) -> None:
    from kiosk.__main__ import parser, plain_run

    assert plain_run(argv) is plain
    if plain:  # the short parser reads it exactly as the whole one does
        assert parser(commands=False).parse_args(argv) == parser().parse_args(argv)
