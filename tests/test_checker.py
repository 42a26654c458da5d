"""``kiosk check`` that teaches: reading level, pictures, languages, JSON, no network."""

from __future__ import annotations

import contextlib
import gc
import json
import os
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.checker import check_folder, checked_load, image_size, picture_kind, true_spelling
from kiosk.readability import analyse, fh_to_grade
from tests.conftest import topic_text
from tests.test_render import _png

COLLEGE = (
    "The pathophysiological relationship between chronic lumbosacral discomfort and recurrent "
    "cephalalgia remains incompletely characterized, notwithstanding considerable "
    "epidemiological evidence suggesting bidirectional comorbidity. Temporomandibular "
    "dysfunction, characterized by inflammatory involvement of masticatory musculature and "
    "associated neural structures, may precipitate cervical musculoskeletal imbalance, "
    "consequently provoking nociceptive sensitization. Furthermore, degenerative facet "
    "arthropathy frequently contributes to paraspinal muscular hypertonicity, potentially "
    "culminating in suboccipital tension and subsequent migrainous manifestations.\n")
PLAIN = (
    "Your jaw helps keep your head steady. When the jaw is sore, the muscles in your neck "
    "can get tight. Tight neck muscles can pull on your back. That can hurt. It can also "
    "give you a headache. A doctor can check your jaw and your neck. Tell the doctor when "
    "the pain starts. Tell the doctor what makes it better.\n")


def warnings_for(root: Path) -> list[str]:
    return [str(p) for p in check_folder(root)[1]]


def page_findings(root: Path, name: str) -> list[str]:
    """What the checker says about one page, review dates aside."""
    return [p for p in warnings_for(root) if name in p and "no clinician has reviewed" not in p]


def test_college_level_page_is_warned_and_plain_page_is_not(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 2, COLLEGE),
                           "en/back-pain.md": topic_text("Back", "s", 1, PLAIN)})
    found = [w for w in warnings_for(root) if "reads at about grade" in w]
    assert len(found) == 1
    # On the line of its longest sentence (the page's first line of text).
    assert found[0].startswith(f"{root}/en/jaw.md:7: warning: reads at about grade")
    assert "Flesch-Kincaid" in found[0] and "SMOG" in found[0]
    assert "longest sentence" in found[0] and "(fix: split long sentences" in found[0]
    assert "rare long words:" in found[0]


def test_spanish_uses_fernandez_huerta(make_content: Callable[..., Path]) -> None:
    hard = ("La fisiopatología de la cefalea crónica asociada a disfunción temporomandibular "
            "implica mecanismos neurovasculares complejos, caracterizados por sensibilización "
            "nociceptiva periférica y central, con manifestaciones clínicas heterogéneas que "
            "dificultan considerablemente la caracterización diagnóstica diferencial. ") * 2
    reading = analyse(hard, "es")
    assert reading is not None and "Fernández-Huerta" in reading.scores
    assert reading.grade > 8
    easy = analyse("Su mandíbula le ayuda a comer. " * 12, "es")
    assert easy is not None and easy.grade < 8
    assert fh_to_grade(60) == 8 and fh_to_grade(95) == 4


def test_broken_link_huge_and_unused_images_are_each_reported_once(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": topic_text(
        "Jaw", "s", 2, "See [the neck](neck.md).\n\n![big](images/big.png)\n")})
    images = root / "en" / "images"
    images.mkdir()
    (images / "big.png").write_bytes(_png(2400, 10))
    (images / "spare.png").write_bytes(_png())
    found = warnings_for(root)
    link = [w for w in found if "neck.md" in w]
    big = [w for w in found if "big.png" in w]
    spare = [w for w in found if "spare.png" in w]
    assert link == [f"{root}/en/jaw.md:7: warning: the link 'neck.md' is not a topic in this "
                    "language; it shows as plain text"]
    assert len(big) == 1 and "2400x10 px" in big[0]
    assert len(spare) == 1 and "not used by any page" in spare[0]
    assert image_size(images / "big.png") == (2400, 10)


def test_json_format_has_the_same_findings(make_content: Callable[..., Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    root = make_content(**{"en/jaw.md": "---\ntitle: Jaw\nsummary: s\norder: x\n---\nBody\n"})
    assert main(["check", str(root), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["errors"] == 1
    assert report["topics_by_language"] == {"en": 1}  # back-pain; jaw.md is left out
    jaw = [p for p in report["problems"] if p["path"].endswith("jaw.md")]
    assert jaw[0] == {
        "path": f"{root}/en/jaw.md", "line": 4, "severity": "error",
        "message": "'order' must be a whole number like 3, not 'x'", "hint": ""}


def test_check_needs_no_network(make_content: Callable[..., Path],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 2, COLLEGE),
                           "es/jaw.md": topic_text("Mandíbula", "s", 2, "Texto. " * 40)})
    loaded, problems = check_folder(root)
    assert loaded.content is not None
    assert any("reads at about grade" in str(p) for p in problems)


@pytest.mark.parametrize(("folder", "code"), [("Spanish", "es"), ("ES", "es"),
                                              ("Español", "es"), ("pt_br", "pt-BR")])
def test_a_language_folder_not_named_by_its_code_is_an_error(
        make_content: Callable[..., Path], folder: str, code: str) -> None:
    root = make_content(**{f"{folder}/jaw.md": topic_text("Mandíbula", "s", 2, "Texto.")})
    assert [p for p in warnings_for(root) if folder in p] == [
        f"{root}/{folder}:1: folders must be named by language code: {code}, not {folder}; the "
        f"kiosk skips this folder (fix: rename the folder to {code})"]


def test_other_folders_with_pages_are_a_warning_and_hidden_ones_are_quiet(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{"drafts/jaw.md": topic_text("Jaw", "s", 2, "Words."),
                           "_old/jaw.md": topic_text("Jaw", "s", 2, "Words."),
                           "en/images/x.txt": "not a folder of pages"})
    found = [p for p in warnings_for(root) if "folders must be named" in p]
    assert found == [
        f"{root}/drafts:1: warning: folders must be named by language code (like es or pt-BR), "
        "not drafts; the kiosk skips this folder (fix: if it holds a language, rename it to the "
        "language's code; to keep drafts, start its name with _ (like _drafts))"]


@pytest.mark.parametrize("text", [
    "Visit <https://example.org/guide> to read more.",
    "Type `<div>` to see why HTML is not used.",
    "Words in **bold**, <b>bold</b> and a<br>break.",
    "A note [1] (see below) is not a link.",
])
def test_markdown_that_shows_as_meant_gets_no_message(make_content: Callable[..., Path],
                                                       text: str) -> None:
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 2, text)})
    assert page_findings(root, "jaw.md") == []


def test_box_lines_after_the_first_that_fall_out_of_the_box(
        make_content: Callable[..., Path]) -> None:
    body = ('!!! urgent "Get help"\n    Call 911 if you have a sudden, very bad headache.\n'
            "  Tell the front desk.\n\nNormal text after the box.\n")
    root = make_content(**{"en/jaw.md": topic_text("Jaw", "s", 2, body)})
    assert page_findings(root, "jaw.md") == [
        f"{root}/en/jaw.md:9: this line of the box is indented by 2 spaces, so it shows below "
        "the box as plain text (fix: indent every line in a box by four spaces (or leave a blank "
        "line before text that should follow the box))"]


def test_an_unreadable_labels_file_is_one_message(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"es/jaw.md": topic_text("Mandíbula", "s", 2, "Texto."),
                           "es/back-pain.md": topic_text("Espalda", "s", 1, "Texto."),
                           "es/labels.yaml": "nav.back: {Atrás\n"})
    assert page_findings(root, "labels.yaml") == [
        f"{root}/es/labels.yaml:1: the file cannot be read here: did not find expected ',' or "
        "'}' (a value that starts with { or [ needs quotes around the whole value)"]


def test_a_picture_name_in_other_capitals_is_found_as_a_case_blind_disk_would(
        tmp_path: Path) -> None:
    # On Windows or macOS 'Images/Jaw.PNG' opens images/jaw.png; on the kiosk it does not.
    (tmp_path / "en" / "images").mkdir(parents=True)
    (tmp_path / "en" / "images" / "jaw.png").write_bytes(_png())
    assert true_spelling(tmp_path, tmp_path / "en" / "Images" / "Jaw.PNG") == \
        "en/images/jaw.png"
    assert true_spelling(tmp_path, tmp_path / "en" / "images" / "jaw.png") is None
    assert true_spelling(tmp_path, tmp_path / "en" / "images" / "neck.png") is None


# -- nothing outside the folder is read, and every file read is closed (issue 17) -------------

def _audit(event: str, args: tuple[object, ...]) -> None:
    opened = getattr(sys, "_kiosk_opened", None)  # on sys: one list, however tests import
    if event == "open" and opened is not None and args and \
            isinstance(args[0], (str, bytes, os.PathLike)):
        opened.append(Path(os.fsdecode(args[0])))


@contextlib.contextmanager
def files_opened() -> Iterator[list[Path]]:
    """Every file Python opens meanwhile (by its audit events: open(), os.open(), io)."""
    if not getattr(sys, "_kiosk_audit", False):  # an audit hook cannot be removed: add once
        sys.addaudithook(_audit)
        sys._kiosk_audit = True  # type: ignore[attr-defined]
    opened: list[Path] = []
    sys._kiosk_opened = opened  # type: ignore[attr-defined]
    try:
        yield opened
    finally:
        sys._kiosk_opened = None  # type: ignore[attr-defined]


def linked_outside(make_content: Callable[..., Path], tmp_path: Path) -> tuple[Path, Path]:
    """A content folder with links to files outside it: a page (refused, so left out), a
    picture a page uses, a picture nothing uses, and a folder of drafts. The content folder
    and the folder outside."""
    outside = tmp_path / "outside"
    (outside / "drafts").mkdir(parents=True)
    (outside / "secret.md").write_text(topic_text("Secret", "s", 9, "![x](images/used.png)"))
    (outside / "secret.png").write_bytes(_png(8, 8))
    (outside / "drafts" / "draft.md").write_text(topic_text("Draft", "s", 9))
    root = make_content(**{"en/jaw.md": "---\ntitle: Your jaw\nsummary: s\norder: 2\n"
                                        "image: images/used.png\n---\nThe jaw.\n"})
    (root / "en" / "images").mkdir()
    (root / "en" / "leak.md").symlink_to(outside / "secret.md")
    (root / "en" / "images" / "used.png").symlink_to(outside / "secret.png")
    (root / "en" / "images" / "unused.png").symlink_to(outside / "secret.png")
    (root / "drafts").symlink_to(outside / "drafts")
    return root, outside


def test_kiosk_check_reads_nothing_outside_the_folder_through_links(
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    root, outside = linked_outside(make_content, tmp_path)
    with files_opened() as opened:
        _loaded, problems = check_folder(root)
        checked_load(root, "en")  # what the preview shows
    assert root / "en" / "back-pain.md" in opened  # what is inside is read (and seen)
    assert [p for p in opened if p.resolve().is_relative_to(outside)] == []
    named = {(p.path.name, p.severity) for p in problems}
    assert {("leak.md", "error"), ("jaw.md", "error"), ("unused.png", "warning")} <= named


def test_knowing_what_a_picture_is_leaves_no_file_open(
        make_content: Callable[..., Path]) -> None:
    """The SVG test read only up to the first element and left the file open until the
    garbage collector came by (a ResourceWarning that failed the suite at random)."""
    root = make_content()
    svg = root / "en" / "images" / "icon.svg"
    svg.parent.mkdir()
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg">' + "<rect/>" * 5000 + "</svg>")
    gc.disable()
    try:
        assert picture_kind(svg) == "SVG"
        still_open = [fd for fd in os.listdir("/proc/self/fd")
                      if os.path.realpath(f"/proc/self/fd/{fd}") == str(svg)]
    finally:
        gc.enable()
    assert still_open == []


# -- a self-check that would mislead a patient: kiosk check fails, naming file and line -----

@pytest.mark.parametrize(("old", "new", "line", "said"), [
    ("red_flag: true", "red-flag: true", 19,
     "question 3, answer 1: unknown field 'red-flag' (did you mean 'red_flag'?)"),
    ("  - text: Do you have any of these now?\n",
     "  - text: Do you have any of these now?\n    sign:\n      - Pérdida de control de la orina\n",
     17, "question 3: unknown field 'sign' (did you mean 'signs'?)"),
    ("      - text: None of these\n        points: 0\n",
     "      - text: Ninguna de estas\n        red_flag: true\n", 21,
     "question 3, answer 2: 'Ninguna de estas' is marked 'red_flag: true', so a patient who "
     "has none of the signs is sent to the front desk"),
    ("      - text: None of these\n        points: 0\n",
     "      - text: Ninguna de estas\n        red_flag: true\n", 16,
     "question 3: every answer is marked 'red_flag: true', so every patient is sent to the "
     "front desk whatever they answer"),
])
def test_kiosk_check_fails_on_a_self_check_that_would_mislead(
        make_content: Callable[..., Path], capsys: pytest.CaptureFixture[str], old: str,
        new: str, line: int, said: str) -> None:
    """In any language: here the Spanish one, the English one being right."""
    from tests.conftest import SELF_CHECK

    assert old in SELF_CHECK
    root = make_content(**{"es/back-pain.md": topic_text("Dolor de espalda", "s", 1),
                           "es/self-check.yaml": SELF_CHECK.replace(old, new, 1)})
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out
    assert f"{root}/es/self-check.yaml:{line}: {said}" in out
    assert f"{root}/es/self-check.yaml:1: warning: because of the error(s) in this file the " \
           "self-check is left out" in out
    assert "/en/self-check.yaml" not in out
