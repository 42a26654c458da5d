"""Issue 12: a content folder built to hurt the kiosk is named file by file by `kiosk check`,
in a child process with a memory cap, quickly and without a traceback; the kiosk's loader
leaves every such file out and keeps the good ones."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.pages import load_rendered
from tests.conftest import children_cpu, topic_text
from tests.test_yamlio import ALIAS_BOMB

CAPPED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (600 * 2**20, 600 * 2**20))
from kiosk.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def hostile(make_content: Callable[..., Path], tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.md").write_text(topic_text("Outside title", "s", 9))
    (outside / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    root = make_content(**{
        "en/bomb.md": "---\n" + ALIAS_BOMB + "---\n\nBody.\n",
        "en/brackets.md": topic_text("Brackets", "s", 3, "[" * 17_000),
        "en/deep-list.md": topic_text("Deep", "s", 4,
                                      "".join("    " * i + "- x\n" for i in range(300))),
        "en/huge.md": topic_text("Huge", "s", 5, "Plain words. " * 400_000),
        "en/rlo.md": topic_text("Back \u202epain", "s", 6),
        "en/svg.md": topic_text("Svg", "s", 7, "![x](images/p.svg)"),
        # Issue 17: an SVG saved as UTF-16, 2 KB of <use> inside <use>, one line of 10,000
        # list markers (Python-Markdown's parser recurses once per marker).
        "en/utf16.md": topic_text("Utf16", "s", 8, "![x](images/wide.svg)"),
        "en/dashes.md": topic_text("Dashes", "s", 10, "- " * 10_000 + "x"),
    })
    (root / "en" / "leak.md").symlink_to(outside / "secret.md")
    (root / "en" / "images").mkdir()
    (root / "en" / "images" / "p.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{outside / "secret.png"}"/></svg>')
    (root / "en" / "images" / "wide.svg").write_bytes(
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="{outside / "secret.png"}"/></svg>'
        .encode("utf-16"))
    levels = "".join(f'<g id="l{n}">' + f'<use href="#l{n - 1}"/>' * 10 + "</g>"
                     for n in range(1, 11))
    (root / "en" / "images" / "use.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><defs><rect id="l0" width="1" height="1"/>'
        f'{levels}</defs><use href="#l10"/></svg>')
    # The nested <use> is the tile picture of a good page: the page stays, without it.
    (root / "en" / "jaw.md").write_text("---\ntitle: Your jaw\nsummary: s\norder: 2\n"
                                        "image: images/use.svg\n---\n\nThe jaw.\n")
    return root


BAD = ("bomb.md", "brackets.md", "deep-list.md", "huge.md", "rlo.md", "svg.md", "leak.md",
       "utf16.md", "dashes.md", "use.svg")


def test_kiosk_check_names_every_hostile_file_under_a_memory_cap(
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    root = hostile(make_content, tmp_path)
    started = children_cpu()
    done = subprocess.run([sys.executable, "-c", CAPPED, "check", str(root), "--format", "json"],
                          capture_output=True, text=True, timeout=600,
                          cwd=Path(__file__).parent.parent)
    took = children_cpu() - started  # CPU seconds: a busy machine cannot fail this
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    errors = {Path(p["path"]).name for p in report["problems"] if p["severity"] == "error"}
    assert set(BAD) <= errors, errors
    dashes = [p for p in report["problems"] if p["path"].endswith("dashes.md")]
    assert [p["line"] for p in dashes] == [7], dashes  # the line of the markers
    assert report["topics"] == 2  # back-pain and jaw
    assert took < 20, took  # the child's imports are most of it


def test_the_kiosk_loader_leaves_every_hostile_file_out_fast(
        make_content: Callable[..., Path], tmp_path: Path) -> None:
    root = hostile(make_content, tmp_path)
    started = time.process_time()
    loaded = load_rendered(root)
    assert time.process_time() - started < 2.0  # CPU seconds; about 0.25 s on a PC
    assert loaded.content is not None
    assert sorted(t.id for t in loaded.content.language().topics) == ["back-pain", "jaw"]
    assert sorted(loaded.pages) == [("en", "back-pain"), ("en", "jaw")]
    named = {p.path.name for p in loaded.errors}
    assert set(BAD) <= named, named
    assert all("Outside title" not in t.title for t in loaded.content.language().topics)
