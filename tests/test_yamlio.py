"""Staff YAML is read bounded: no anchors or aliases, no deep nesting, line numbers kept."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk import yamlio
from tests.conftest import children_cpu

# A "billion laughs": each line doubles the one before; a complex key built from aliases
# makes a naive reader expand them all (gigabytes from 300 bytes).
ALIAS_BOMB = textwrap.dedent("""\
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    ? [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    : x
    """)


def test_the_bomb_is_small() -> None:
    assert len(ALIAS_BOMB.encode()) < 400


@pytest.mark.parametrize(("text", "line"), [
    ("title: &t Back pain\nsummary: *t\n", 1),
    ("title: Back pain\nsummary: *t\n", 2),
    ("a: 1\nb:\n  - &x {c: 1}\n", 3),
    (ALIAS_BOMB, 1),
])
def test_anchors_and_aliases_are_refused_with_their_line(text: str, line: int) -> None:
    with pytest.raises(yamlio.FieldError) as caught:
        yamlio.parse(text, 1)
    assert caught.value.line == line
    assert "anchors and aliases (& and *) are not allowed" in caught.value.message


def test_quoted_ampersand_and_star_are_plain_text() -> None:
    node = yamlio.parse('title: "&1 *2"\nsummary: \'*ok*\'\n', 1)
    fields = yamlio.Fields.of(node, 1, "the front matter")
    assert fields.text("title") == "&1 *2"
    assert fields.text("summary") == "*ok*"


def test_the_line_counts_from_the_files_first_line() -> None:
    with pytest.raises(yamlio.FieldError) as caught:
        yamlio.parse("title: x\nsummary: *s\n", 2)
    assert caught.value.line == 3


def test_deep_nesting_is_refused() -> None:
    deep = "a: " + "[" * (yamlio.MAX_DEPTH + 5) + "1" + "]" * (yamlio.MAX_DEPTH + 5) + "\n"
    with pytest.raises(yamlio.FieldError, match="nested more than"):
        yamlio.parse(deep, 1)
    ok = "a: " + "[" * 3 + "1" + "]" * 3 + "\n"
    assert yamlio.parse(ok, 1) is not None


def test_a_list_as_a_field_name_is_an_error_not_a_huge_string() -> None:
    node = yamlio.parse("? [a, b]\n: x\ntitle: y\n", 1)
    with pytest.raises(yamlio.FieldError, match="field name must be plain words") as caught:
        yamlio.Fields.of(node, 1, "the front matter")
    assert caught.value.line == 1


CHILD = """
import resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (400 * 2**20, 400 * 2**20))
from pathlib import Path
start = time.monotonic()
from kiosk.model import load_content
from kiosk.checker import check_folder
loaded = load_content(Path(sys.argv[1]))
_loaded, problems = check_folder(Path(sys.argv[1]))
for p in problems:
    print(p)
print("SECONDS", time.monotonic() - start)
"""


def test_alias_bomb_in_front_matter_is_named_quickly_under_a_memory_cap(
        tmp_path: Path) -> None:
    root = tmp_path / "content"
    (root / "en").mkdir(parents=True)
    (root / "en" / "ok.md").write_text("---\ntitle: Fine\nsummary: s\norder: 1\n---\n\nHi.\n")
    bomb = root / "en" / "bomb.md"
    bomb.write_text("---\n" + ALIAS_BOMB + "---\n\nBody.\n")
    (root / "en" / "self-check.yaml").write_text(ALIAS_BOMB)
    (root / "en" / "labels.yaml").write_text(ALIAS_BOMB)
    started = children_cpu()
    done = subprocess.run([sys.executable, "-c", CHILD, str(root)], capture_output=True,
                          text=True, timeout=600, cwd=Path(__file__).parent.parent)
    elapsed = children_cpu() - started  # CPU seconds: a busy machine cannot fail this
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert f"{bomb}:2: anchors and aliases (& and *) are not allowed" in done.stdout
    assert f"{root / 'en' / 'self-check.yaml'}:1: anchors and aliases" in done.stdout
    assert f"{root / 'en' / 'labels.yaml'}:1: anchors and aliases" in done.stdout
    assert elapsed < 10, elapsed  # the child's own start-up (imports) is most of it
