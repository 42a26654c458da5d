"""Pages are rendered while the content loads, bounded in nesting and in time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import render as render_mod
from kiosk.checker import check_folder
from kiosk.model import Language, Topic, load_content
from kiosk.pages import load_rendered
from kiosk.render import Page, render_topic, too_complex
from tests.conftest import topic_text

NESTED_BRACKETS = "[" * 17_000
DEEP_LIST = "".join("    " * level + "- item\n" for level in range(300))
DEEP_QUOTES = "".join(">" * level + " words\n" for level in range(1, 300))
UNCLOSED_TAGS = "<a " * 5_000


def test_every_page_is_rendered_at_load_time(make_content: Callable[..., Path]) -> None:
    loaded = load_rendered(make_content())
    assert loaded.content is not None
    assert set(loaded.pages) == {("en", "back-pain"), ("en", "jaw")}
    language = loaded.content.language()
    for (code, topic_id), page in loaded.pages.items():
        topic = language.topic(topic_id)
        assert code == "en" and topic is not None
        assert page.html == render_topic(topic, language, loaded.content.root).html
    assert 'href="topic:jaw"' in loaded.pages[("en", "back-pain")].html


def _open_brackets_one_by_one(body: str) -> int | None:
    """The plain reading of the bracket rule, a character at a time: the first line where
    more than MAX_BRACKET_DEPTH '[' or '(' are open in one paragraph (a backslash escapes
    the character after it; a blank line closes everything)."""
    from kiosk.render import MAX_BRACKET_DEPTH

    depth = {"[": 0, "(": 0}
    for number, line in enumerate(body.split("\n")):
        if not line.strip():
            depth = {"[": 0, "(": 0}
            continue
        escaped = False
        for ch in line:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch in depth:
                depth[ch] += 1
                if depth[ch] > MAX_BRACKET_DEPTH:
                    return number
            elif ch in "])":
                opener = "[" if ch == "]" else "("
                depth[opener] = max(0, depth[opener] - 1)
    return None


def test_brackets_are_counted_as_a_character_by_character_reading_counts_them() -> None:
    import random

    rng = random.Random(24)
    for _ in range(5_000):
        body = "".join(rng.choice("[[[((\\])x \n") for _ in range(rng.randint(0, 300)))
        found = too_complex(body)
        line = found[0] if found is not None and "open at once" in found[1] else None
        assert line == _open_brackets_one_by_one(body), repr(body)


def test_a_converter_used_again_renders_exactly_what_a_new_one_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Markdown converters are kept and used again (building one costs a third of a page):
    nothing of one page (links, pictures, refusals, footnote-like state) reaches the next."""
    from kiosk.config import bundled_content

    loaded = load_content(bundled_content())
    assert loaded.content is not None
    pages = [(t, loaded.content.language(code)) for code in loaded.content.codes
             for t in loaded.content.language(code).topics]
    assert len(pages) == 18

    def fresh(topic: Topic, language: Language) -> Page:
        monkeypatch.setattr(render_mod, "_IDLE", [])  # a new converter for this page alone
        return render_topic(topic, language, bundled_content())

    alone = [fresh(t, lang) for t, lang in pages]
    monkeypatch.setattr(render_mod, "_IDLE", [])
    for order in (pages, pages[::-1]):  # one converter, used again and again, both ways
        again = {t.path: render_topic(t, lang, bundled_content()) for t, lang in order}
        assert [again[t.path] for t, _lang in pages] == alone
        assert len(render_mod._IDLE) == 1


@pytest.mark.parametrize(("body", "words"), [
    (NESTED_BRACKETS, "'[' are open at once"),
    ("(" * 3_000 + "[a](" * 4_000, "'(' are open at once"),
    (DEEP_LIST, "indented more than"),
    (DEEP_QUOTES, "quotes ('>') are nested"),
    (UNCLOSED_TAGS, "never closed"),
    ("Fine words.\n\n" + "[a " * 5_000, "'[' are open at once"),
])
def test_pathological_pages_are_left_out_fast_in_the_kiosk_and_in_check(
        make_content: Callable[..., Path], body: str, words: str) -> None:
    root = make_content()
    check_folder(root)  # warm up: the word lists load once, on first use
    root = make_content(**{"en/bad.md": topic_text("Bad page", "s", 3, body)})
    bad = root / "en" / "bad.md"
    # CPU time, so a machine busy with other work cannot fail the test; in wall time this
    # takes about 0.05 s (was 29 s for the brackets, RecursionError for the list).
    started = time.process_time()
    loaded = load_rendered(root)
    took = time.process_time() - started
    assert took < 1.0, took
    assert loaded.content is not None
    assert [t.id for t in loaded.content.language().topics] == ["back-pain", "jaw"]
    assert ("en", "bad") not in loaded.pages
    found = [p for p in loaded.problems if p.path == bad]
    assert len(found) == 1 and found[0].is_error and words in found[0].message
    assert found[0].line >= 7  # a line of the page body, not the front matter

    started = time.process_time()
    _loaded, problems = check_folder(root)
    took = time.process_time() - started
    assert took < 1.0, took
    assert any(p.path == bad and p.is_error and words in p.message for p in problems)


def test_the_line_named_is_where_the_nesting_goes_too_deep() -> None:
    body = "Fine.\n\n" + "".join("    " * level + "- x\n" for level in range(20))
    found = too_complex(body)
    assert found is not None and found[0] == 2 + 11  # the 12th item (indent 44 columns)


def test_ordinary_nesting_is_fine() -> None:
    body = ("A [link](a.md) (and [another](b.md) (nested) here).\n\n"
            "- one\n    - two\n        - three\n\n> quote\n>> inner\n\n"
            "!!! note \"Tip\"\n    Text with <b>bold</b> and 3 < 4.\n") * 50
    assert too_complex(body) is None


def test_render_topic_itself_never_parses_a_pathological_page() -> None:
    topic = Topic("x", "en", "t", "s", 1, NESTED_BRACKETS + "\n\n<script>x</script>",
                  Path("/c/en/x.md"), 6)
    language = Language("en", Path("/c/en"), (topic,), None, {})
    started = time.process_time()
    page = render_topic(topic, language, Path("/c"))
    assert time.process_time() - started < 0.5
    assert page.refused and page.refused[0].line == 6
    assert "<script>" not in page.html and "&lt;script&gt;" in page.html


def test_a_page_over_its_time_budget_is_stopped_left_out_and_named(
        make_content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    real = render_mod.render_topic

    def slow_jaw(topic: Topic, language: Language, root: Path) -> Page:
        if topic.id == "jaw":
            while True:  # a parser stuck in pure Python
                pass
        return real(topic, language, root)

    monkeypatch.setattr(render_mod, "render_topic", slow_jaw)
    threads = threading.active_count()
    started = time.process_time()
    loaded = load_rendered(make_content(), budget=0.3)
    # CPU seconds (a busy machine cannot fail this): the stuck page costs its budget, no more.
    assert time.process_time() - started < 0.3 + 1.0
    assert loaded.content is not None
    assert [t.id for t in loaded.content.language().topics] == ["back-pain"]
    assert set(loaded.pages) == {("en", "back-pain")}
    found = [p for p in loaded.problems if p.path.name == "jaw.md"]
    assert len(found) == 1 and "takes too long" in found[0].message
    # The link to the left-out page is now plain words; the stuck thread was stopped.
    assert "topic:jaw" not in loaded.pages[("en", "back-pain")].html
    deadline = time.monotonic() + 2
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == threads


def test_the_pages_after_a_stopped_one_are_still_rendered(
        make_content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages render on one thread, one after another; a page stopped past its budget ends
    that thread, and a new one goes on with the pages after it."""
    real = render_mod.render_topic
    seen: list[str] = []

    def stuck_middle(topic: Topic, language: Language, root: Path) -> Page:
        seen.append(threading.current_thread().name + ":" + topic.id)
        if topic.id == "jaw":
            while True:
                pass
        return real(topic, language, root)

    monkeypatch.setattr(render_mod, "render_topic", stuck_middle)
    threads = threading.active_count()
    root = make_content(**{"en/neck.md": topic_text("Neck", "s", 3, "The neck."),
                           "en/hips.md": topic_text("Hips", "s", 4, "The hips.")})
    loaded = load_rendered(root, budget=0.3)
    assert set(loaded.pages) == {("en", "back-pain"), ("en", "neck"), ("en", "hips")}
    # (back-pain again at the end: its link to the left-out page becomes plain words)
    assert [t.split(":")[1] for t in seen] == ["back-pain", "jaw", "neck", "hips", "back-pain"]
    assert len({t.split(":")[0] for t in seen}) == 1  # one name, "render"
    assert [p for p in loaded.problems if "takes too long" in p.message][0].path.name == "jaw.md"
    deadline = time.monotonic() + 2
    while threading.active_count() > threads and time.monotonic() < deadline:
        time.sleep(0.01)
    assert threading.active_count() == threads


def test_a_crash_in_one_page_costs_only_that_page(
        make_content: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    real = render_mod.render_topic

    def broken(topic: Topic, language: Language, root: Path) -> Page:
        if topic.id == "back-pain":
            raise ValueError("boom")
        return real(topic, language, root)

    monkeypatch.setattr(render_mod, "render_topic", broken)
    loaded = load_rendered(make_content())
    assert loaded.content is not None and set(loaded.pages) == {("en", "jaw")}
    assert any("could not be prepared (boom)" in p.message for p in loaded.errors)


def test_when_every_default_page_is_left_out_nothing_is_shown(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/back-pain.md": topic_text("A", "s", 1, NESTED_BRACKETS),
                           "en/jaw.md": topic_text("B", "s", 2, DEEP_LIST)})
    loaded = load_rendered(root)
    assert loaded.content is None and len(loaded.errors) == 2


def test_a_five_megabyte_page_is_refused_with_its_size(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/huge.md": topic_text("Huge", "s", 3, "Plain words. " * 400_000)})
    for problems in (load_rendered(root).problems, check_folder(root)[1]):
        found = [p for p in problems if p.path.name == "huge.md"]
        assert len(found) == 1 and "too large (5,200 KB; the limit is 200 KB)" in found[0].message


def test_load_content_alone_still_renders_nothing(make_content: Callable[..., Path]) -> None:
    assert load_content(make_content()).pages == {}


def test_the_preview_loader_keeps_the_rendered_pages(make_content: Callable[..., Path]) -> None:
    from kiosk.checker import checked_load

    loaded = checked_load(make_content(), "en")
    assert set(loaded.pages) == {("en", "back-pain"), ("en", "jaw")}
