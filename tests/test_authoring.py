"""docs/AUTHORING.md quotes only what ``kiosk check`` really says.

Every message the guide shows (the example lines indented as code, and the messages in
its tables' "message" and "what the checker says" columns) must come out of the checker
when the mistake the guide describes is made. The mistakes are made here, in small content
folders written by each scenario below; the guide's own self-check example and its "before"
text are taken from the guide itself.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.checker import check_folder

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "AUTHORING.md"
MESSAGE_COLUMNS = {"message", "what the checker says"}


def guide() -> str:
    return GUIDE.read_text("utf-8")


def guide_self_check() -> str:
    text = guide()
    start = text.index("```yaml\ntitle: Neck pain self-check")
    return text[start + len("```yaml\n"):text.index("```", start + 8)]


def guide_before_text() -> str:
    text = guide()
    start = text.index("**Before**")
    lines = text[start:].split("\n")[2:]
    quoted = []
    for line in lines:
        if not line.startswith(">"):
            break
        quoted.append(line[2:])
    return " ".join(quoted)


def page(title: str, order: int, body: str, *front: str) -> str:
    extra = "".join(f"{line}\n" for line in front)
    return f"---\ntitle: {title}\nsummary: About {title.lower()}.\norder: {order}\n{extra}---\n\n" \
           f"{body}\n"


def png(width: int, height: int, stored: bool = False) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + bytes((x * 7 + y) % 251 for x in range(width * 3))
                   for y in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 0 if stored else 9)) + chunk(b"IEND", b""))


# The content folder every scenario starts from: three English topics, one Spanish, the
# guide's own self-check in both (so the checker has something right to compare with).
BASE: dict[str, str | bytes] = {
    "en/jaw-and-tmj.md": page("Your jaw, TMJ, and headaches", 2,
                              "Your jaw joint is called the **TMJ**. It sits in front of each "
                              "ear.\n\nRead about [spine injuries](spine-injuries.md)."),
    "en/spine-injuries.md": page("Spine injuries and headaches", 3,
                                 "A fall or a sports hit can hurt your spine.\n\n"
                                 "Read about [muscle spasms](muscle-spasms.md)."),
    "en/muscle-spasms.md": page("Muscle spasms", 4, "Tight muscles can pull on your neck."),
    "es/jaw-and-tmj.md": page("Su mandíbula", 2, "Su mandíbula le ayuda a comer."),
    "es/spine-injuries.md": page("Lesiones de la columna", 3, "Una caída puede doler."),
    "es/muscle-spasms.md": page("Espasmos musculares", 4, "Los músculos tensos duelen."),
}


def write(root: Path, files: dict[str, str | bytes | None]) -> None:
    for name, data in files.items():
        path = root / name
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        path = root / name
        text = path.read_text("utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return change


def remove(name: str) -> Callable[[Path], None]:
    return lambda root: (root / name).unlink()


def add(name: str, data: str | bytes) -> Callable[[Path], None]:
    return lambda root: write(root, {name: data})


def front(name: str, field: str, value: str) -> Callable[[Path], None]:
    """Set a front-matter field (replacing it, or adding it before the closing ---)."""
    def change(root: Path) -> None:
        path = root / name
        text = path.read_text("utf-8")
        head, sep, body = text[4:].partition("\n---\n")
        lines = [line for line in head.split("\n") if not line.startswith(f"{field}:")]
        if field in ("title", "summary", "order"):
            index = ["title", "summary", "order"].index(field)
            lines.insert(index, f"{field}: {value}")
        else:
            lines.append(f"{field}: {value}")
        path.write_text("---\n" + "\n".join(lines) + sep + body, encoding="utf-8")
    return change


CHECK = "en/self-check.yaml"
ES_CHECK = "es/self-check.yaml"
TEST_PAGE = """---
title: Test page
summary: A page to try things on.
order: 9
more_info: https://www.example.org/tmj
---

A page to try things on.

Our e-mail is [desk@example.com](mailto:desk@example.com).

Some words.

More words.

Read the [handout](handout.pdf).

Some words.

More words.

A picture from the web:

![a](https://example.com/a.png)
"""
DENSE_ES = ("Cuando usted tiene dolor de espalda y también dolor de cabeza es bueno que hable "
            "con su médico y que le cuente todo lo que siente en la casa y en el trabajo porque "
            "así el médico puede saber qué pasa con su cuerpo y qué puede hacer para que usted "
            "se sienta mejor cada día de la semana con su familia. ") * 3
LABELS_ES = """language.name: Español
nav.back: Atrás
nav.bak: Atrás
nav.home: Inicio
topic.take_check: Haga el cuestionario
topic.call: Llame para una cita
check.progress: Pregunta {número} de {total}
"""


def jaw_line_9(text: str) -> Callable[[Path], None]:
    """Put something on line 9 of the English jaw page (a paragraph of its own)."""
    def change(root: Path) -> None:
        path = root / "en" / "jaw-and-tmj.md"
        lines = path.read_text("utf-8").split("\n")
        lines[8] = text
        path.write_text("\n".join(lines), encoding="utf-8")
    return change


def rename(old: str, new: str) -> Callable[[Path], None]:
    def change(root: Path) -> None:
        (root / old).rename(root / new)
    return change


def remove_all(root: Path) -> None:
    for path in sorted(root.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


def pt_folder(root: Path) -> None:
    from kiosk.labels import DEFAULTS

    labels = "".join(f"{key}: \"{value}\"\n" for key, value in DEFAULTS.items()
                     if key not in ("nav.back", "check.progress", "language.name"))
    write(root, {"pt/labels.yaml": "language.name: Português\n" + labels,
                 "pt/jaw-and-tmj.md": page("Sua mandíbula", 2, "Palavras."),
                 "pt/spine-injuries.md": page("Lesões", 3, "Palavras.")})


def check_edit(old: str, new: str, name: str = CHECK) -> Callable[[Path], None]:
    return edit(name, old, new)


def drop_lines(name: str, first: str, stop: str) -> Callable[[Path], None]:
    """Delete the lines from the one starting with ``first`` up to the one starting ``stop``."""
    def change(root: Path) -> None:
        path = root / name
        lines = path.read_text("utf-8").split("\n")
        start = next(i for i, line in enumerate(lines) if line.startswith(first))
        end = next(i for i, line in enumerate(lines) if i > start and line.startswith(stop))
        path.write_text("\n".join(lines[:start] + lines[end:]), encoding="utf-8")
    return change


def page_with(front_matter: str, body: str = "Some words.") -> str:
    return f"---\n{front_matter}---\n\n{body}\n"


# Ten levels of ten <use> each, one level a line: a few KB that would draw 10^10 shapes.
NESTED_USE = "\n".join(
    ['<svg xmlns="http://www.w3.org/2000/svg">', "<defs>", '<rect id="l0" width="1" height="1"/>']
    + [f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>" for n in range(1, 11)]
    + ["</defs>", '<use href="#l10"/>', "</svg>"]) + "\n"

SCENARIOS: dict[str, list[Callable[[Path], None]]] = {
    "clean": [],
    "topic removed": [remove("en/muscle-spasms.md")],
    "english twin removed": [remove("en/jaw-and-tmj.md")],
    "title too long": [front("en/jaw-and-tmj.md", "title",
                             "Your jaw, TMJ, and headaches - what you should know today!!")],
    "order as a word": [front("en/jaw-and-tmj.md", "order", "three")],
    "comment in title": [front("en/jaw-and-tmj.md", "title", "Back pain #1 cause")],
    "missing tile picture": [edit("en/spine-injuries.md", "title: Spine injuries and headaches\n",
                                  "title: Spine injuries and headaches\nimage: images/nope.png\n")],
    "test page": [add("en/test-page.md", TEST_PAGE)],
    "more_info without https": [add("en/test-page.md", TEST_PAGE.replace(
        "https://www.example.org/tmj", "www.example.com"))],
    "picture from another language": [edit("es/jaw-and-tmj.md", "order: 2\n",
                                           "order: 2\nimage: ../en/images/jaw.png\n"),
                                      add("en/images/jaw.png", png(8, 8))],
    "large and unused pictures": [add("en/images/photo.png", png(600, 600, stored=True)),
                                  add("en/images/old.png", png(8, 8)),
                                  jaw_line_9("![A photo](images/photo.png)")],
    "text file named png": [add("en/images/jaw.png", "a drawing\n"),
                            jaw_line_9("![The jaw joint](images/jaw.png)")],
    "picture name in other capitals": [add("en/images/jaw.png", png(8, 8)),
                                       jaw_line_9("![The jaw joint](images/Jaw.png)")],
    "missing page picture": [jaw_line_9("![The spine](images/spine.png)")],
    "svg drawing too much": [add("en/images/spine.svg", NESTED_USE),
                             jaw_line_9("![The spine](images/spine.svg)")],
    "utf-16 svg loading a file outside": [
        add("en/images/spine.svg", '<svg xmlns="http://www.w3.org/2000/svg">\n<image '
            'href="../../outside.png"/>\n</svg>\n'.encode("utf-16")),
        jaw_line_9("![The spine](images/spine.svg)")],
    "lists too deep": [jaw_line_9("- " * 20 + "x")],
    "curly quotes": [jaw_line_9("!!! urgent “Get help right away”\n    Call 911.")],
    "box text by 2 spaces": [jaw_line_9('!!! urgent "Get help right away"\n  Call 911.')],
    "box text not indented": [jaw_line_9('!!! urgent "Get help right away"\nCall 911.')],
    "box text by a tab": [jaw_line_9('!!! urgent "Get help right away"\n\tCall 911.')],
    "box in single quotes": [jaw_line_9("!!! urgent 'Get help'\n    Call 911.")],
    "box title without quotes": [jaw_line_9("!!! note Good to know\n    Tell us.")],
    "unknown box": [jaw_line_9('!!! warning "Careful"\n    Tell us.')],
    "raw html": [jaw_line_9('<div style="color:red">Call 911 now.</div>')],
    "space before link": [jaw_line_9("Read about [spine injuries] (spine-injuries.md).")],
    "misspelt link": [jaw_line_9("Read about [spine injuries](spine-injury.md).")],
    "folder named Spanish": [rename("es", "Spanish")],
    "spanish points drift": [check_edit("      - text: Most days\n        points: 2",
                                        "      - text: Most days\n        points: 1", ES_CHECK)],
    "dense spanish": [edit("es/jaw-and-tmj.md", "Su mandíbula le ayuda a comer.", DENSE_ES)],
    "before text": [add("en/tmj-before.md", "---\ntitle: TMJ before\nsummary: Dense.\n"
                        "order: 8\n---\n\n" + "\n".join(
                            line[2:] for line in guide().split("\n")
                            if line.startswith("> ")) + "\n")],
    "missing top result": [drop_lines(CHECK, "  - from: 4", "now:")],
    "languages and labels": [pt_folder, add("es/labels.yaml", LABELS_ES)],
    "front matter mistakes": [
        add("en/a-no-dashes.md", "title: x\nsummary: y\norder: 1\n\nWords.\n"),
        add("en/b-missing.md", page_with("title: B\norder: 11\n")),
        add("en/c-misspelt.md", page_with("title: C\nsumary: s\norder: 12\n")),
        add("en/d-hash.md", page_with("title: #1 jaw problem\nsummary: s\norder: 13\n")),
        add("en/e-bang.md", page_with("title: !Important\nsummary: s\norder: 14\n")),
        add("en/f-colon.md", page_with("title: Good to know: jaw pain\nsummary: s\norder: 15\n")),
        add("en/g-tab.md", page_with("title: G\n\tsummary: s\norder: 16\n")),
        add("en/h-quote.md", page_with('title: "Jaw pain\nsummary: s\norder: 17\n')),
        add("en/i-quote-then.md", page_with('title: "Jaw" pain\nsummary: s\norder: 18\n')),
        add("en/j-anchor.md", page_with("title: &more jaw tips\nsummary: s\norder: 19\n")),
        add("en/k-star.md", page_with("title: *New* jaw tips\nsummary: s\norder: 20\n")),
        add("en/l-latin1.md", page_with("title: L\nsummary: s\norder: 21\n",
                                        "Mandíbula").encode("latin-1")),
        add("en/m-colour.md", page_with("title: M\nsummary: s\norder: 22\ncolour: red\n")),
        add("en/n-twice.md", page_with("title: N\nsummary: s\norder: 23\norder: 24\n")),
        add("en/o-empty.md", "---\ntitle: O\nsummary: s\norder: 25\n---\n"),
        add("en/migraines-and-back-pain.md", page("Migraines and back pain", 4, "Words.")),
    ],
    "self-check: too many answers": [check_edit(
        "      - text: Hardly ever\n        points: 0\n",
        "      - text: Hardly ever\n        points: 0\n      - text: Other\n        points: 0\n"
        "      - text: Not sure\n        points: 0\n")],
    "self-check: two questions": [drop_lines(CHECK, "  - text: Does your neck", "results:")],
    "self-check: points as a word": [check_edit("points: 2", "points: two")],
    "self-check: points below 0": [check_edit("points: 2", "points: -1")],
    "self-check: red_flag maybe": [check_edit("red_flag: now", "red_flag: maybe")],
    "self-check: red-flag misspelt": [check_edit("red_flag: now", "red-flag: now")],
    "self-check: red flag on none": [check_edit(
        "      - text: No, none of these\n        points: 0",
        "      - text: No, none of these\n        red_flag: now")],
    "self-check: five signs": [check_edit(
        "      - New weakness or numbness in your face, an arm, or a leg\n",
        "      - New weakness or numbness in your face, an arm, or a leg\n"
        "      - New trouble walking\n      - New confusion\n      - You fainted\n")],
    "self-check: no today section": [drop_lines(CHECK, "today:", "not_diagnosis:")],
    "self-check: today unused": [check_edit("red_flag: today", "points: 0")],
    "self-check: urgent and now": [check_edit("now:\n",
                                              "urgent:\n  title: Old\n  message: Old.\nnow:\n")],
    "self-check: overlap": [check_edit("  - from: 2\n    to: 3", "  - from: 1\n    to: 3")],
    "self-check: back to front": [check_edit("  - from: 2\n    to: 3", "  - from: 3\n    to: 2")],
    "self-check: no urgent": [check_edit("now:\n", "nw:\n")],
    "self-check: no red flag": [check_edit("red_flag: now", "points: 0")],
    "right-to-left override": [add("fa/jaw-and-tmj.md", page(
        "فک و سردرد", 2, "فک شما به سر وصل است.\n\nیک \u202eخط که برعکس دیده می‌شود."))],
    "a language with no formula": [add("fa/jaw-and-tmj.md", page("فک و سردرد", 2, (
        "مفصل فک شما جلوی گوش است. وقتی غذا می‌خورید این مفصل کار می‌کند. "
        "گاهی فک درد می‌کند. درد فک ممکن است به سر و گردن برسد. "
        "اگر فکتان صدا می‌دهد به پزشک بگویید. اگر دندان‌هایتان را روی هم فشار می‌دهید "
        "به پزشک بگویید.")))],
    "no topics": [remove_all, add("notes.txt", "nothing here")],
    "no folder": [remove_all, lambda root: root.rmdir()],
}


def produced(root: Path) -> set[str]:
    return {str(p).replace(f"{root.parent}/", "", 1) for p in check_folder(root)[1]}


@pytest.fixture(scope="module")
def all_messages(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    out: set[str] = set()
    for name, steps in SCENARIOS.items():
        root = tmp_path_factory.mktemp(re.sub(r"\W+", "-", name)) / "content"
        write(root, {**BASE, CHECK: guide_self_check(),
                     "es/self-check.yaml": guide_self_check()})
        for step in steps:
            step(root)
        out |= produced(root)
    return out


def example_lines() -> list[str]:
    """Checker output the guide shows as indented example lines, as 'content/...' paths."""
    lines = []
    for line in guide().split("\n"):
        match = re.match(r"^ {4,}(?:/srv/kiosk-)?(content/\S+?:\d+: .+)$", line)
        if match:
            lines.append(match.group(1))
    return lines


def table_messages() -> list[str]:
    """Messages in the guide's tables, from their "message" / "what the checker says" columns."""
    found = []
    columns: list[int] = []
    for line in guide().split("\n"):
        if not line.startswith("|"):
            columns = []
            continue
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if not columns and not set(cells) & MESSAGE_COLUMNS and cells[0] != "---":
            columns = [-1]  # a table without a message column
            continue
        if not columns:
            columns = [i for i, c in enumerate(cells) if c in MESSAGE_COLUMNS]
            continue
        for i in columns:
            if 0 <= i < len(cells):
                found += [m.replace("\\|", "|") for m in re.findall(r"`([^`]+)`", cells[i])]
    return found


def pattern(message: str) -> re.Pattern[str]:
    """A guide's message as a pattern: '...' stands for words the guide leaves out."""
    return re.compile(".*?".join(re.escape(part) for part in message.split("...")))


def test_the_guide_quotes_some_messages() -> None:
    assert len(example_lines()) >= 10
    assert len(table_messages()) >= 30


@pytest.mark.parametrize("line", example_lines())
def test_every_example_line_is_real_checker_output(line: str, all_messages: set[str]) -> None:
    assert line in all_messages, sorted(m for m in all_messages if m.split(":")[0] ==
                                        line.split(":")[0])


@pytest.mark.parametrize("message", table_messages())
def test_every_message_in_a_table_is_real_checker_output(message: str,
                                                         all_messages: set[str]) -> None:
    assert len(message.replace("...", "").strip()) >= 15, "too little to check"
    wanted = pattern(message)
    assert any(wanted.search(m) for m in all_messages), message
