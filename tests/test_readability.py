"""Reading level: the corrected Fernández-Huerta, Szigriszt-Pazos on the INFLESZ scale, bands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk import readability
from kiosk.checker import check_folder, render_all
from kiosk.model import load_content
from kiosk.readability import (
    analyse,
    fernandez_huerta,
    fh_band,
    fh_to_grade,
    inflesz_band,
    szigriszt_pazos,
    too_hard,
)
from kiosk.render import plain_text
from tests.conftest import topic_text

BUNDLED = Path(readability.__file__).parent / "content"

# One 60-word sentence of everyday words, four times: nothing rare, only too long.
DENSE_ES = ("Cuando usted tiene dolor de espalda y también dolor de cabeza es bueno que hable con "
            "su médico y que le cuente todo lo que siente en la casa y en el trabajo porque así "
            "el médico puede saber qué pasa con su cuerpo y qué puede hacer para que usted se "
            "sienta mejor cada día de la semana con su familia. ") * 4
# The same words, cut into short sentences.
SHORT_ES = ("Usted tiene dolor de espalda. También tiene dolor de cabeza. Hable con su médico. "
            "Cuéntele lo que siente en la casa. Cuéntele lo que siente en el trabajo. Así el "
            "médico puede saber qué pasa. Él puede ayudarle a sentirse mejor. ") * 3


def test_formulas_match_their_published_forms() -> None:
    # 100 words, 5 sentences, 200 syllables.
    assert fernandez_huerta(100, 5, 200) == pytest.approx(206.84 - 120 - 1.02 * 20)
    assert szigriszt_pazos(100, 5, 200) == pytest.approx(206.835 - 124.6 - 20)


def test_longer_sentences_score_harder_not_easier() -> None:
    # The old form used sentences per 100 words, so fewer, longer sentences scored easier.
    assert fernandez_huerta(100, 2, 200) < fernandez_huerta(100, 10, 200)
    assert szigriszt_pazos(100, 2, 200) < szigriszt_pazos(100, 10, 200)


@pytest.mark.parametrize(("score", "band"), [
    (95, "muy fácil"), (85, "fácil"), (75, "algo fácil"), (65, "normal"), (55, "algo difícil"),
    (40, "difícil"), (10, "muy difícil")])
def test_fernandez_huerta_bands(score: float, band: str) -> None:
    assert fh_band(score) == band


@pytest.mark.parametrize(("score", "band"), [
    (85, "muy fácil"), (80, "muy fácil"), (70, "bastante fácil"), (60, "normal"),
    (55, "normal"), (45, "algo difícil"), (39.9, "muy difícil")])
def test_inflesz_bands(score: float, band: str) -> None:
    assert inflesz_band(score) == band


def test_dense_spanish_of_everyday_words_is_too_hard_and_short_sentences_are_not() -> None:
    dense = analyse(DENSE_ES, "es")
    assert dense is not None
    assert dense.words / dense.sentences == 62
    assert dense.grade > 8 and too_hard(dense, 8)
    assert dense.scores["Fernández-Huerta"] < 60
    assert dense.bands["Szigriszt-Pazos (INFLESZ)"] in ("algo difícil", "muy difícil")
    assert dense.rare_words == []  # everyday words: only the length of the sentences
    short = analyse(SHORT_ES, "es")
    assert short is not None and not too_hard(short, 8)
    assert short.bands["Szigriszt-Pazos (INFLESZ)"] in ("bastante fácil", "muy fácil")


def test_bundled_spanish_pages_pass_both_measures() -> None:
    content = load_content(BUNDLED).content
    assert content is not None
    pages = render_all(content)
    spanish = [(topic_id, analyse(plain_text(page.html), "es"))
               for (code, topic_id), page in pages.items() if code == "es"]
    assert len(spanish) >= 6
    for topic_id, reading in spanish:
        assert reading is not None, topic_id
        assert not too_hard(reading, 8), (topic_id, reading.scores)
        assert reading.scores["Szigriszt-Pazos (INFLESZ)"] >= 65, (topic_id, reading.scores)


def test_grade_table() -> None:
    assert fh_to_grade(60) == 8 and fh_to_grade(95) == 4 and fh_to_grade(10) == 16
    assert fh_to_grade(62.5) == pytest.approx(7.5)


def test_rare_words_are_rare_not_just_the_least_common_of_a_page() -> None:
    hard = analyse("The craniomandibular complex and cervicogenic cephalalgia are named here. "
                   "Your jaw and your neck work as a team every day of the week. " * 3, "en")
    assert hard is not None
    assert hard.rare_words[:2] == ["craniomandibular", "cervicogenic"]
    assert "together" not in hard.rare_words and "everyday" not in hard.rare_words


FA_TEXT = ("درد کمر و سردرد گاهی با هم می‌آیند. " * 6 + "آیا گردن شما درد می‌کند؟ "
           + "این یک جمله بلند است که " + "و " * 30 + "تمام می‌شود.")


def test_a_language_with_no_formula_gets_lengths_and_no_grade() -> None:
    reading = readability.analyse(FA_TEXT, "fa")
    assert reading is not None and reading.grade is None
    assert reading.sentences == 8  # "؟" ends a sentence too
    assert reading.scores["longest sentence (words)"] == 38
    assert "می‌آیند" in readability.words_of(FA_TEXT)  # a non-joiner is inside a word
    assert readability.too_hard(reading, 8)  # one sentence of 38 words
    assert readability.described(reading).startswith(
        "no validated reading-level formula for 'fa', so no grade: words per sentence ")
    short = readability.analyse("درد کمر و سردرد گاهی با هم می‌آیند. " * 10, "fa")
    assert short is not None and not readability.too_hard(short, 8)


def test_the_checker_asks_a_reader_of_the_language_to_review_an_ungraded_page(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{
        "fa/back-pain.md": topic_text("کمر درد", "درباره کمر درد.", 1, FA_TEXT),
        "fa/jaw.md": topic_text("فک", "درباره فک.", 2, FA_TEXT).replace(
            "---\n\n", "reviewed_by: Dr. Sara Ahmadi\nreviewed_on: 2026-11-30\n---\n\n", 1)})
    _loaded, problems = check_folder(root)
    asked = [p for p in problems if "someone who reads 'fa' well" in p.message]
    assert [p.path.name for p in asked] == ["back-pain.md"]
    long_ones = [p for p in problems if "aim for at most 15 words per sentence" in p.message]
    assert sorted(p.path.name for p in long_ones) == ["back-pain.md", "jaw.md"]
