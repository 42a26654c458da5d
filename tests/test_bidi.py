"""Right-to-left languages without Qt: direction and digits per language, phone numbers kept
in dialling order, direction controls checked at file, line and column, and pages that carry
their direction on every block."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import bidi
from kiosk.checker import check_folder
from kiosk.model import load_content, parse_labels
from kiosk.render import plain_text, render_topic, sanitize
from tests.conftest import topic_text

FA_PAGE = """MRI یک عکس از داخل بدن است.

## سردرد

- درد گردن
- درد کمر

1. به میز پذیرش بگویید.
2. با 310-828-7757 تماس بگیرید.

| علامت | چه کنید |
|---|---|
| تب | به پرستار بگویید |

!!! urgent "همین حالا"
    اگر حالتان بد است، با 911 تماس بگیرید.
"""


@pytest.mark.parametrize(("code", "direction", "digits"), [
    ("fa", "rtl", "persian"), ("fa-IR", "rtl", "persian"), ("ar", "rtl", "latin"),
    ("he", "rtl", "latin"), ("ur", "rtl", "latin"), ("en", "ltr", "latin"),
    ("es", "ltr", "latin"), ("ko", "ltr", "latin"), ("hy", "ltr", "latin"),
])
def test_each_language_has_a_direction_and_digits_by_default(
        code: str, direction: str, digits: str) -> None:
    assert bidi.default_direction(code) == direction
    assert bidi.default_digits(code) == digits


def test_the_kiosk_writes_its_own_numbers_in_the_languages_digits() -> None:
    assert bidi.digits("Question 2 of 19", "persian") == "Question ۲ of ۱۹"
    assert bidi.digits("Question 2 of 19", "arabic") == "Question ٢ of ١٩"
    assert bidi.digits("Question 2 of 19", "latin") == "Question 2 of 19"


@pytest.mark.parametrize(("text", "numbers"), [
    ("با 310-828-7757 تماس بگیرید", ["310-828-7757"]),
    ("با (310) 828-7757 یا +44 20 7946 0000", ["(310) 828-7757", "+44 20 7946 0000"]),
    ("با 911 تماس بگیرید", ["911"]),
    ("شماره ۳۱۰-۸۲۸-۷۷۵۷ است", ["۳۱۰-۸۲۸-۷۷۵۷"]),
])
def test_phone_numbers_are_isolated_left_to_right(text: str, numbers: list[str]) -> None:
    isolated = bidi.isolate_numbers(text)
    assert re.findall(f"{bidi.LRI}(.*?){bidi.PDI}", isolated) == numbers
    assert bidi.strip_controls(isolated) == text
    assert bidi.isolate_numbers(isolated) == isolated  # never wrapped twice


@pytest.mark.parametrize("text", ["بالای ۵۰ سال", "۲ هفته", "سال 2024", "1. اول",
                                  "9110 و 1911", "ext-911", "3.5 درصد"])
def test_counts_years_and_short_numbers_are_left_alone(text: str) -> None:
    assert bidi.isolate_numbers(text) == text


@pytest.mark.parametrize(("line", "column", "word"), [
    ("abc\u202eevil", 4, "RIGHT-TO-LEFT OVERRIDE"),
    ("\u202aabc", 1, "LEFT-TO-RIGHT EMBEDDING"),
    ("abc\u202c", 4, "POP DIRECTIONAL FORMATTING"),
    ("ab\u2066cd", 3, "never closed"),
    ("ab\u2069cd", 3, "closes nothing"),
])
def test_overrides_embeddings_and_unbalanced_isolates_are_named_by_column(
        line: str, column: int, word: str) -> None:
    problem = bidi.control_problem(line)
    assert problem is not None
    assert problem[0] == column and word in problem[1] and problem[2]


@pytest.mark.parametrize("line", ["a\u200eb", "a\u200fb", "\u061cab",
                                  "x \u2066310-828-7757\u2069 y", "\u2067a\u2068b\u2069\u2069"])
def test_marks_and_closed_isolates_are_fine(line: str) -> None:
    assert bidi.control_problem(line) is None


def test_the_checker_names_the_file_line_and_column_of_an_override(
        make_content: Callable[..., Path]) -> None:
    body = "First line.\n\nSecond \u202eline, shown backwards.\n"
    root = make_content(**{
        "en/jaw.md": topic_text("Your jaw", "About the jaw.", 2, body),
        "en/labels.yaml": "home.heading: Tap \u202dhere\n",
    })
    _loaded, problems = check_folder(root)
    found = sorted(str(p) for p in problems if "OVERRIDE" in p.message)
    body_line = (root / "en" / "jaw.md").read_text().split("\n").index(
        "Second \u202eline, shown backwards.") + 1
    assert found == [
        f"{root / 'en' / 'jaw.md'}:{body_line}: column 8 has an invisible "
        "RIGHT-TO-LEFT OVERRIDE (U+202E), which can make the line show in a different order "
        "from the file (fix: delete it (retype the line without copying and pasting); to keep a"
        " number or an English word in order, the kiosk needs nothing, or use a mark (U+200E "
        "or U+200F))",
        f"{root / 'en' / 'labels.yaml'}:1: column 19 has an invisible LEFT-TO-RIGHT "
        "OVERRIDE (U+202D), which can make the line show in a different order from the file "
        "(fix: delete it (retype the line without copying and pasting); to keep a number or an"
        " English word in order, the kiosk needs nothing, or use a mark (U+200E or U+200F))",
    ]


def test_a_language_sets_its_direction_and_digits_in_its_labels(tmp_path: Path) -> None:
    path = tmp_path / "labels.yaml"
    path.write_text("language.name: کوردی\nlanguage.direction: RTL\nlanguage.digits: arabic\n",
                    encoding="utf-8")
    words, problems = parse_labels(path)
    assert problems == []
    assert words["language.direction"] == "rtl" and words["language.digits"] == "arabic"
    path.write_text("language.direction: right\nlanguage.digits: roman\n", encoding="utf-8")
    words, problems = parse_labels(path)
    assert [(p.line, p.message) for p in problems] == [
        (1, "'language.direction' must be ltr or rtl, not 'right'"),
        (2, "'language.digits' must be latin or persian or arabic, not 'roman'"),
    ]
    assert all(p.is_error for p in problems) and "language.direction" not in words


def test_a_language_needs_not_translate_its_settings(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"fa/back-pain.md": topic_text("کمر درد", "درباره کمر درد.", 1),
                           "fa/jaw.md": topic_text("فک", "درباره فک.", 2)})
    content = load_content(root).content
    assert content is not None
    fa, en = content.language("fa"), content.language("en")
    assert fa.rtl and fa.digits == "persian"
    assert not en.rtl and en.digits == "latin"
    _loaded, problems = check_folder(root)
    assert not [p for p in problems if "language.direction" in p.message
                or "language.digits" in p.message]


def _fa_page(make_content: Callable[..., Path], body: str = FA_PAGE) -> str:
    root = make_content(**{"fa/back-pain.md": topic_text("کمر درد", "درباره کمر درد.", 1, body)})
    content = load_content(root).content
    assert content is not None
    language = content.language("fa")
    topic = language.topic("back-pain")
    assert topic is not None
    return render_topic(topic, language, root).html


def test_every_block_of_a_right_to_left_page_carries_its_direction(
        make_content: Callable[..., Path]) -> None:
    page = _fa_page(make_content)
    blocks = re.findall(r"<(p|h[1-4]|ul|ol|li|table|td|th)\b([^>]*)>", page)
    assert len(blocks) >= 12
    assert [tag for tag, attrs in blocks if 'dir="rtl"' not in attrs] == []
    assert '<p dir="rtl">MRI' in page  # a paragraph that starts in English reads right to left
    assert re.search(r'<table[^>]*align="right"', page)  # the table sits on the right
    assert re.search(r'<th[^>]*align="right"', page)


def test_phone_numbers_on_a_right_to_left_page_keep_their_dialling_order(
        make_content: Callable[..., Path]) -> None:
    page = _fa_page(make_content)
    assert f"{bidi.LRI}310-828-7757{bidi.PDI}" in page
    assert f"{bidi.LRI}911{bidi.PDI}" in page
    assert bidi.LRI not in plain_text(page)  # speech and the reading check get plain words


def test_a_left_to_right_page_is_unchanged(make_content: Callable[..., Path]) -> None:
    root = make_content(**{"en/jaw.md": topic_text("Your jaw", "About the jaw.", 2,
                                                  "Call 310-828-7757.\n\n| a |\n|---|\n| b |\n")})
    content = load_content(root).content
    assert content is not None
    language = content.language("en")
    topic = language.topic("jaw")
    assert topic is not None
    page = render_topic(topic, language, root).html
    assert "dir=" not in page and bidi.LRI not in page
    assert '<th align="left">a</th>' in page


def test_overrides_never_reach_the_screen(make_content: Callable[..., Path]) -> None:
    page = _fa_page(make_content, "یک \u202eخط\u202c و \u202bدو\n")
    assert not set(page) & set(bidi.REFUSED)


@pytest.mark.parametrize(("raw", "kept"), [
    ('<p dir="ltr">English quote</p>', '<p dir="ltr">English quote</p>'),
    ('<p dir="RTL">x</p>', '<p dir="rtl">x</p>'),
    ('<p dir="evil">x</p>', "<p>x</p>"),
    ('<span dir="rtl">x</span>', "<span>x</span>"),
    ('<table align="javascript:x"><tr><td>x</td></tr></table>',
     "<table><tbody><tr><td>x</td></tr></tbody></table>"),
])
def test_the_sanitizer_keeps_only_a_real_direction_on_a_block(raw: str, kept: str) -> None:
    assert sanitize(raw) == kept


def test_a_numbered_list_counts_in_the_languages_digits(
        make_content: Callable[..., Path]) -> None:
    page = _fa_page(make_content, "1. اول\n2. دوم\n\nمتن.\n\n5. پنجم\n\n6. ششم\n")
    assert page.count('class="own-numbers"') == 2  # Qt's own 1. 2. 3. are hidden
    items = re.findall(r"<li[^>]*>\s*(?:<p[^>]*>)?([^<]*)<", page)
    assert items == ["۱. اول", "۲. دوم", "۵. پنجم", "۶. ششم"]  # a loose list's too


def test_a_page_that_mixes_digits_is_named_at_its_line(
        make_content: Callable[..., Path]) -> None:
    body = "اگر بالای ۵۰ سال دارید.\n\nبا 310-828-7757 یا 911 تماس بگیرید.\n\nبالای 50 سال.\n"
    root = make_content(**{
        "fa/back-pain.md": topic_text("کمر درد", "درباره کمر درد.", 1, body),
        "en/jaw.md": topic_text("Your jaw", "About the jaw.", 2, "Over ۵۰ years old.")})
    _loaded, problems = check_folder(root)
    mixed = sorted((p.path.relative_to(root).as_posix(), p.line, p.message)
                   for p in problems if "digits this language uses" in p.message)
    fa_line = 1 + (root / "fa" / "back-pain.md").read_text().split("\n").index("بالای 50 سال.")
    assert mixed == [
        ("en/jaw.md", 7, "the number ۵۰ is not in the digits this language uses (0-9)"),
        ("fa/back-pain.md", fa_line,
         "the number 50 is not in the digits this language uses (Persian ۰-۹)"),
    ]


def test_emphasis_in_a_right_to_left_page_is_bold_not_italic(
        make_content: Callable[..., Path]) -> None:
    """Persian type has no italics, and DejaVu Sans Oblique has no Arabic letters: an
    italic Persian word would show as empty boxes."""
    page = _fa_page(make_content, "این *مهم* است و _این_ هم.\n")
    assert "<em>" not in page and "<i>" not in page
    assert page.count("<strong>") == 2
