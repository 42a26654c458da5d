"""A corpus of broken content: the bundled content with one everyday mistake each.

Each case copies ``kiosk/content`` into a temporary folder, makes one mistake, runs the
checker, and expects exactly the new messages listed (file, line and words), and nothing
else new. The lines are found in the copied files at test time, so the bundled pages may
change; the messages may not, without this test saying so.
"""

from __future__ import annotations

import re
import shutil
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import kiosk
from kiosk.checker import check_folder

BUNDLED = Path(kiosk.__file__).parent / "content"
Mistake = Callable[[Path], set[str]]  # makes one mistake in a copy; returns the new messages


def copy_of_bundled(root: Path) -> Path:
    shutil.copytree(BUNDLED, root)
    return root


def findings(root: Path) -> set[str]:
    return {str(p).replace(f"{root}/", "", 1) for p in check_folder(root)[1]}


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    return findings(copy_of_bundled(tmp_path_factory.mktemp("base") / "content"))


def line_no(path: Path, needle: str, start: int = 1) -> int:
    for number, line in enumerate(path.read_text("utf-8").split("\n"), 1):
        if number >= start and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def urgent_box(root: Path) -> tuple[str, Path, int, str]:
    """The first English page with an urgent box whose text starts on the next line."""
    for page in sorted((root / "en").glob("*.md")):
        lines = page.read_text("utf-8").split("\n")
        for i, line in enumerate(lines[:-1]):
            if re.fullmatch(r'!!! urgent "[^"]+"', line) and lines[i + 1].startswith("    "):
                return f"en/{page.name}", page, i + 1, line
    raise AssertionError("no urgent box in the bundled English pages")


def append(page: Path, line: str) -> int:
    """Add a paragraph at the end of a page (no other line moves); returns its line."""
    text = page.read_text("utf-8").rstrip("\n")
    page.write_text(f"{text}\n\n{line}\n", encoding="utf-8")
    return text.count("\n") + 3


def png(width: int = 4, height: int = 4) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xff" * width * 3 for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


BOX_FIX = "(fix: indent the text under a box by four spaces)"

# -- the mistakes ------------------------------------------------------------------------


def curly_quotes(root: Path) -> set[str]:
    rel, page, n, line = urgent_box(root)
    title = line.split('"')[1]
    replace_once(page, line, f"!!! urgent “{title}”")
    return {f"{rel}:{n}: the box title is in curly quotes (“ ”), so there is no box: patients "
            f"see this line as text (fix: use straight quotes \" \": !!! urgent \"{title}\")"}


def single_quotes(root: Path) -> set[str]:
    rel, page, n, line = urgent_box(root)
    title = line.split('"')[1]
    replace_once(page, line, f"!!! urgent '{title}'")
    return {f"{rel}:{n}: the box title is in single quotes, so there is no box: patients see "
            f"this line as text (fix: use double quotes: !!! urgent \"{title}\")"}


def box_text_indented_two(root: Path) -> set[str]:
    rel, page, n, line = urgent_box(root)
    replace_once(page, line + "\n    ", line + "\n  ")
    return {f"{rel}:{n + 1}: the text under the box is indented by 2 spaces, so the box is "
            f"empty and the text shows below it as plain text {BOX_FIX}"}


def box_text_not_indented(root: Path) -> set[str]:
    rel, page, n, line = urgent_box(root)
    replace_once(page, line + "\n    ", line + "\n")
    return {f"{rel}:{n + 1}: the text under the box is not indented, so the box is empty and "
            f"the text shows below it as plain text {BOX_FIX}"}


def box_text_tab(root: Path) -> set[str]:
    rel, page, n, line = urgent_box(root)
    replace_once(page, line + "\n    ", line + "\n\t")
    return {f"{rel}:{n + 1}: warning: the text under the box is indented with a tab; it shows "
            "in the box here, but a tab looks different in every editor, so the next change "
            f"can push the text out of the box {BOX_FIX}"}


def box_title_without_quotes(root: Path) -> set[str]:
    rel, page, n, line = urgent_box(root)
    replace_once(page, line, "!!! urgent Get help now")
    return {f"{rel}:{n}: the box title is not in double quotes, so the box is titled just "
            "'Urgent' and the words 'Get help now' are lost (fix: put the title in double "
            "quotes: !!! urgent \"Get help now\")"}


def unknown_box_kind(root: Path) -> set[str]:
    rel, page, n, line = urgent_box(root)
    replace_once(page, line, line.replace("urgent", "warning"))
    return {f"{rel}:{n}: warning: 'warning' is not a kind of box; it shows as a blue note box "
            "(fix: use  urgent  for a red box or  note  for a blue one)"}


HTML_FIX = ("(fix: use Markdown instead: **bold** for words that matter, and a box "
            "(!!! urgent \"Title\") for a warning)")


def raw_html_div(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    n = append(page, '<div style="color:red">Call 911 if you cannot open your mouth.</div>')
    return {f"en/jaw-and-tmj.md:{n}: warning: raw HTML is removed: the <div> tag and its "
            f"style=\"color:red\"; only the words show {HTML_FIX}"}


def raw_html_span_and_font(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    n = append(page, 'Call <span style="color:red">911</span> or <font color="red">come '
                  'in</font> now. <b>Today.</b>')
    return {f"en/jaw-and-tmj.md:{n}: warning: raw HTML is removed: the style=\"color:red\" on "
            f"<span>; the <font> tag and its color=\"red\"; only the words show {HTML_FIX}"}


def space_before_link(root: Path) -> set[str]:
    page = next(p for p in sorted((root / "en").glob("*.md"))
                if "](see-a-specialist.md)" in p.read_text("utf-8"))
    text = page.read_text("utf-8")
    words = re.search(r"\[([^\]]+)\]\(see-a-specialist\.md\)", text)
    assert words is not None
    n = line_no(page, words.group(0))
    replace_once(page, words.group(0), f"[{words.group(1)}] (see-a-specialist.md)")
    return {f"en/{page.name}:{n}: warning: '[{words.group(1)}] (see-a-specialist.md)' has a "
            "space between ] and (, so it is not a link: patients see the brackets as text "
            f"(fix: remove the space: [{words.group(1)}](see-a-specialist.md))"}


def misspelt_link(root: Path) -> set[str]:
    page = next(p for p in sorted((root / "en").glob("*.md"))
                if "](see-a-specialist.md)" in p.read_text("utf-8"))
    n = line_no(page, "](see-a-specialist.md)")
    replace_once(page, "](see-a-specialist.md)", "](see-a-specialst.md)")
    return {f"en/{page.name}:{n}: warning: the link 'see-a-specialst.md' is not a topic in "
            "this language; it shows as plain text (fix: did you mean 'see-a-specialist.md'? "
            "File names must match exactly, capital letters too)"}


def link_in_other_capitals(root: Path) -> set[str]:
    page = next(p for p in sorted((root / "en").glob("*.md"))
                if "](see-a-specialist.md)" in p.read_text("utf-8"))
    n = line_no(page, "](see-a-specialist.md)")
    replace_once(page, "](see-a-specialist.md)", "](See-A-Specialist.md)")
    return {f"en/{page.name}:{n}: warning: the link 'See-A-Specialist.md' is not a topic in "
            "this language; it shows as plain text (fix: did you mean 'see-a-specialist.md'? "
            "File names must match exactly, capital letters too)"}


def picture_in_other_capitals(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    (root / "en" / "images").mkdir(exist_ok=True)
    (root / "en" / "images" / "jaw-joint.png").write_bytes(png())
    n = append(page, "![The jaw joint](images/Jaw-Joint.png)")
    return {f"en/jaw-and-tmj.md:{n}: warning: image: the file 'images/Jaw-Joint.png' does not "
            "exist (did you mean 'images/jaw-joint.png'?); it is left out"}


PICTURE_FIX = ("(fix: this file is not a picture: open the picture in an image program and "
               "save it as PNG or JPEG)")


def text_file_named_png(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    (root / "en" / "images").mkdir(exist_ok=True)
    (root / "en" / "images" / "jaw-joint.png").write_text("a drawing of the jaw\n")
    n = append(page, "![The jaw joint](images/jaw-joint.png)")
    return {f"en/jaw-and-tmj.md:{n}: warning: image: 'images/jaw-joint.png' is not a PNG "
            f"picture (it is a text file); the page shows nothing there {PICTURE_FIX}"}


def word_file_as_tile_picture(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    (root / "en" / "images").mkdir(exist_ok=True)
    (root / "en" / "images" / "tile.jpg").write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    text = page.read_text("utf-8")
    expected = set()
    old = re.search(r"^image: (.*)$", text, re.MULTILINE)
    if old:  # the picture it had is now used by nothing
        page.write_text(text.replace(old.group(0), "image: images/tile.jpg"), encoding="utf-8")
        if old.group(1) not in text.replace(old.group(0), ""):
            expected.add(f"en/{old.group(1)}:1: warning: this picture is not used by any page "
                         f"or tile (fix: delete it, or use it with ![what it shows]"
                         f"({old.group(1)}))")
    else:
        replace_once(page, "\norder: ", "\nimage: images/tile.jpg\norder: ")
    n = line_no(page, "image: images/tile.jpg")
    return expected | {
        f"en/jaw-and-tmj.md:{n}: warning: 'image': 'images/tile.jpg' is not a JPEG picture (it "
        f"is a ZIP or Word/Office file); the tile shows no picture {PICTURE_FIX}"}


def html_file_named_svg(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    (root / "en" / "images").mkdir(exist_ok=True)
    (root / "en" / "images" / "joint.svg").write_text("<html><body>jaw</body></html>\n")
    n = append(page, "![The jaw joint](images/joint.svg)")
    return {f"en/jaw-and-tmj.md:{n}: warning: image: 'images/joint.svg' is not an SVG "
            f"picture (it is a web page); the page shows nothing there {PICTURE_FIX}"}


def language_folder_named_spanish(root: Path) -> set[str]:
    (root / "es").rename(root / "Spanish")
    return {"Spanish:1: folders must be named by language code: es, not Spanish; the kiosk "
            "skips this folder (fix: rename the folder to es)"}


def language_folder_in_capitals(root: Path) -> set[str]:
    (root / "es").rename(root / "ES")
    return {"ES:1: folders must be named by language code: es, not ES; the kiosk skips this "
            "folder (fix: rename the folder to es)"}


DRIFT = ("patients reading Español get a different self-check (fix: make it match "
         "en/self-check.yaml: the same questions, answers, points, red flags and results, in "
         "the same order)")


def answers(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every 'points:' or 'red_flag:' line, in file order."""
    return [(n, line.strip()) for n, line in enumerate(path.read_text("utf-8").split("\n"), 1)
            if line.strip().startswith(("points:", "red_flag:"))]


def spanish_points_changed(root: Path) -> set[str]:
    es, en = root / "es" / "self-check.yaml", root / "en" / "self-check.yaml"
    # The first answer worth 1 point: 0 keeps every total inside the results.
    k, (n, _text) = next((k, a) for k, a in enumerate(answers(es)) if a[1] == "points: 1")
    lines = es.read_text("utf-8").split("\n")
    lines[n - 1] = lines[n - 1].replace("points: 1", "points: 0")
    es.write_text("\n".join(lines), encoding="utf-8")
    question, answer = where_in_check(es, n)
    return {f"es/self-check.yaml:{n}: question {question}, answer {answer} gives 0 points, in "
            f"en/self-check.yaml:{answers(en)[k][0]} it gives 1 point; {DRIFT}"}


def spanish_red_flag_added(root: Path) -> set[str]:
    es, en = root / "es" / "self-check.yaml", root / "en" / "self-check.yaml"
    # The last answer worth 1 point (a "Sí") becomes a danger answer as well. (A "No" made
    # one is an error of its own, in any language: tests/test_selfcheck.py.)
    k, (n, _text) = [(k, a) for k, a in enumerate(answers(es)) if a[1] == "points: 1"][-1]
    lines = es.read_text("utf-8").split("\n")
    lines[n - 1] += "\n" + lines[n - 1].replace("points: 1", "red_flag: true")
    es.write_text("\n".join(lines), encoding="utf-8")
    question, answer = where_in_check(es, n)
    en_answer_line = answer_line(en, answers(en)[k][0])
    return {f"es/self-check.yaml:{n + 1}: question {question}, answer {answer} is a "
            f"'red_flag: now' answer, but in en/self-check.yaml:{en_answer_line} it is not a "
            f"red-flag answer; {DRIFT}"}


def spanish_question_removed(root: Path) -> set[str]:
    es, en = root / "es" / "self-check.yaml", root / "en" / "self-check.yaml"
    lines = es.read_text("utf-8").split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("  - text:")]
    del lines[starts[-2]:starts[-1]]  # the last but one question
    es.write_text("\n".join(lines), encoding="utf-8")
    total = len(starts)
    return {f"es/self-check.yaml:{line_no(es, 'questions:')}: this self-check has "
            f"{total - 1} questions, the one in en/self-check.yaml:{line_no(en, 'questions:')} "
            f"has {total}; {DRIFT}"}


def where_in_check(path: Path, line: int) -> tuple[int, int]:
    """(question, answer) numbers of a file line in a self-check."""
    question = answer = 0
    for number, text in enumerate(path.read_text("utf-8").split("\n"), 1):
        if number > line:
            break
        if text.startswith("  - text:"):
            question, answer = question + 1, 0
        elif text.startswith("      - text:"):
            answer += 1
    return question, answer


def answer_line(path: Path, line: int) -> int:
    """The '- text:' line of the answer that holds a file line."""
    lines = path.read_text("utf-8").split("\n")
    return next(n for n in range(line, 0, -1) if lines[n - 1].startswith("      - text:"))


def unclosed_quote_in_title(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    replace_once(page, "\ntitle: ", '\ntitle: "')
    return {f"en/jaw-and-tmj.md:{line_no(page, 'title:')}: the file cannot be read here: a "
            "quote opens on this line but does not close on it (end the value with the same "
            "quote, like  title: \"Back pain\")"}


def english_page_fails(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    replace_once(page, "\norder: ", "\norder: three ")
    order = re.search(r"^order: (.*)$", page.read_text("utf-8"), re.MULTILINE)
    assert order is not None
    return {f"en/jaw-and-tmj.md:{line_no(page, 'order:')}: 'order' must be a whole number like "
            f"3, not '{order.group(1)}'"}


def comment_in_title(root: Path) -> set[str]:
    page = root / "en" / "jaw-and-tmj.md"
    replace_once(page, "\ntitle: ", "\ntitle: Jaw #1 ")
    return {f"en/jaw-and-tmj.md:{line_no(page, 'title:')}: warning: the words after ' #' are a "
            "comment and are not shown (fix: put the whole value in quotes, like  title: "
            "\"Back pain #1\")"}


DENSE_ES = ("Cuando usted tiene dolor de espalda y también dolor de cabeza es bueno que hable "
            "con su médico y que le cuente todo lo que siente en la casa y en el trabajo porque "
            "así el médico puede saber qué pasa con su cuerpo y qué puede hacer para que usted "
            "se sienta mejor cada día de la semana con su familia. ")


def dense_spanish(root: Path) -> set[str]:
    """A Spanish page whose text is four 62-word sentences of everyday words."""
    page = root / "es" / "muscle-spasms.md"
    text = page.read_text("utf-8")
    head = text[:text.index("\n---\n", 4) + 5]
    pictures = "".join(f"\n{line}\n" for line in text[len(head):].split("\n")
                       if line.startswith("!["))  # kept, so none becomes "unused"
    page.write_text(head + pictures + "\n" + (DENSE_ES * 4).strip() + "\n", encoding="utf-8")
    n = (head + pictures).count("\n") + 2
    return {f"es/muscle-spasms.md:{n}: warning: reads at about grade 10.4 (Fernández-Huerta "
            "47.8, difícil; Szigriszt-Pazos (INFLESZ) 45.4, algo difícil); aim for grade 8 or "
            "lower and 55 (normal) or more on INFLESZ. the longest sentence, on this line, has "
            "62 words: \"Cuando usted tiene dolor de espalda y también dolor de cabeza es bueno "
            "que hable con su mé…\" (fix: split long sentences, one idea each, and use everyday "
            "words (see docs/AUTHORING.md, plain-language rules))"}


CASES: dict[str, Mistake] = {f.__name__: f for f in (
    dense_spanish,
    curly_quotes, single_quotes, box_text_indented_two, box_text_not_indented, box_text_tab,
    box_title_without_quotes, unknown_box_kind, raw_html_div, raw_html_span_and_font,
    space_before_link, misspelt_link, link_in_other_capitals, picture_in_other_capitals,
    text_file_named_png, word_file_as_tile_picture, html_file_named_svg,
    language_folder_named_spanish, language_folder_in_capitals, spanish_points_changed,
    spanish_red_flag_added, spanish_question_removed, unclosed_quote_in_title,
    english_page_fails, comment_in_title)}


@pytest.mark.parametrize("name", list(CASES))
def test_each_mistake_gets_exactly_its_message(name: str, tmp_path: Path,
                                               baseline: set[str]) -> None:
    root = copy_of_bundled(tmp_path / "content")
    expected = CASES[name](root)
    got = findings(root)
    assert got - baseline == expected
    gone = baseline - got
    if name.startswith("language_folder"):  # the skipped folder's own findings go with it
        assert all(line.startswith("es/") for line in gone), gone
    elif name == "dense_spanish":  # its old text went, with whatever was said about it
        assert all(line.startswith("es/muscle-spasms.md:") for line in gone), gone
    elif name in ("unclosed_quote_in_title", "english_page_fails"):
        # Only the broken page's own findings go; its Spanish twin and the pages that link
        # to it are right and get no message.
        assert all(line.startswith("en/jaw-and-tmj.md:") for line in gone), gone
    elif name == "text_file_named_png" or name == "picture_in_other_capitals":
        assert gone <= {line for line in baseline if line.startswith("en/jaw-and-tmj.md:")}
    else:
        assert gone == set() or name == "word_file_as_tile_picture", gone


def test_a_mistake_is_printed_once_with_its_line(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from kiosk.__main__ import main

    root = copy_of_bundled(tmp_path / "content")
    (expected,) = english_page_fails(root)
    assert main(["check", str(root)]) == 1
    out, err = capsys.readouterr()
    mentions = [line for line in (out + err).splitlines() if "'order' must be" in line
                or line.startswith("WARNING")]
    assert mentions == [f"{root}/{expected}"]
    assert "5 topics in en, 6 in es, 6 in fa;" in err and "1 error(s)" in err


def test_the_bundled_content_has_no_errors(baseline: set[str]) -> None:
    assert [line for line in baseline if ": warning: " not in line] == []
