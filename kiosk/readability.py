"""Reading level of a page, for ``kiosk check``: how hard it is and what to simplify.

English: Flesch-Kincaid grade and SMOG. Spanish: Fernández-Huerta (0-100, higher is
easier) in the form consistent with Flesch, 206.84 - 0.60 x syllables per 100 words - 1.02 x
words per sentence (as textstat computes it), with its usual school-grade bands; beside it
the Szigriszt-Pazos perspicuity index read on the INFLESZ scale (Barrio-Cantalejo et al.,
Anales Sis San Navarra 2008), the scale Spanish health-literacy work reports. Syllables: a
vowel-group rule for English and
pyphen's Spanish hyphenation dictionary; word rarity: wordfreq's frequency lists. Both ship
their data inside the package, so this works offline. No Qt here.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

# A word: letters, with an apostrophe or a zero-width non-joiner inside (Persian writes
# "می‌شود" as one word with one).
_WORD = re.compile(r"[^\W\d_]+(?:['’\u200c][^\W\d_]+)*", re.UNICODE)
# A sentence ends at . ! ? and their forms in other scripts (Arabic-script ؟ and ۔,
# Armenian ։, CJK 。！？).
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u06d4\u0589])\s+|(?<=[\u3002\uff01\uff1f])\s*"
                           r"|\n{2,}")

# Fernández-Huerta bands (Spanish readability), as the usual table gives them: the lowest
# score for a text a reader of that US school grade reads easily.
_FH_FOR_GRADE = {4: 90, 5: 80, 6: 70, 7: 65, 8: 60, 9: 55, 10: 50, 12: 40, 14: 30}
# Fernández-Huerta's own words for its bands (lowest score of each).
_FH_BANDS = ((90, "muy fácil"), (80, "fácil"), (70, "algo fácil"), (60, "normal"),
             (50, "algo difícil"), (30, "difícil"), (float("-inf"), "muy difícil"))
# INFLESZ scale for the Szigriszt-Pazos index (Barrio-Cantalejo et al. 2008).
_INFLESZ_BANDS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"),
                  (40, "algo difícil"), (float("-inf"), "muy difícil"))
RARE_ZIPF = 3.5  # wordfreq's Zipf scale: below about 1 use per 300,000 words is rare
INFLESZ_NORMAL = 55.0  # below this a Spanish page is "algo difícil" for the general public


MAX_WORDS_PER_SENTENCE = 15.0  # where no formula is validated: the average to stay under
MAX_SENTENCE_WORDS = 25  # and the longest sentence


@dataclass
class Reading:
    language: str
    words: int
    sentences: int
    grade: float | None  # estimated US school grade; None: no formula for this language
    scores: dict[str, float] = field(default_factory=dict)  # each formula's own number
    bands: dict[str, str] = field(default_factory=dict)  # formula -> its band's name
    long_sentences: list[str] = field(default_factory=list)  # longest first
    rare_words: list[str] = field(default_factory=list)  # rarest long words first


def sentences_of(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE_END.split(text)]
    return [p for p in parts if _WORD.search(p)]


def words_of(text: str) -> list[str]:
    return _WORD.findall(text)


_SILENT_END = re.compile(r"(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$")
_VOWELS = re.compile(r"[aeiouy]{1,2}")


def _syllables_en(word: str) -> int:
    w = word.lower()
    if len(w) <= 3:
        return 1
    w = _SILENT_END.sub("", w)
    w = w[1:] if w.startswith("y") else w
    return max(1, len(_VOWELS.findall(w)))


@lru_cache(maxsize=1)
def _spanish_hyphenator() -> object:
    import pyphen  # type: ignore[import-untyped]  # pyphen ships no type hints

    return pyphen.Pyphen(lang="es")


@lru_cache(maxsize=65536)  # a page repeats its words; 1,000 pages repeat them far more
def syllables(word: str, language: str) -> int:
    if language.startswith("es"):
        hyphen = _spanish_hyphenator()
        return str(hyphen.inserted(word.lower())).count("-") + 1  # type: ignore[attr-defined]
    return _syllables_en(word)


def _zipf(word: str, language: str) -> float:
    try:
        from wordfreq import zipf_frequency

        return float(zipf_frequency(word.lower(), language.split("-")[0]))
    except Exception:  # a language wordfreq cannot read alone: rarity by length only
        return 0.0


def fh_to_grade(score: float) -> float:
    """A US grade for a Fernández-Huerta score (interpolated between the table's bands)."""
    bands = sorted(_FH_FOR_GRADE.items())
    if score >= bands[0][1]:
        return float(bands[0][0])
    for (g1, s1), (g2, s2) in zip(bands, bands[1:], strict=False):
        if s2 <= score <= s1:
            return g1 + (s1 - score) / (s1 - s2) * (g2 - g1)
    return 16.0


def _band(score: float, bands: tuple[tuple[float, str], ...]) -> str:
    return next(name for low, name in bands if score >= low)


def fernandez_huerta(n_words: int, n_sentences: int, n_syllables: int) -> float:
    """206.84 - 0.60 x syllables per 100 words - 1.02 x words per sentence."""
    return 206.84 - 0.60 * (100 * n_syllables / n_words) - 1.02 * (n_words / n_sentences)


def szigriszt_pazos(n_words: int, n_sentences: int, n_syllables: int) -> float:
    """Perspicuity: 206.835 - 62.3 x syllables per word - words per sentence."""
    return 206.835 - 62.3 * (n_syllables / n_words) - n_words / n_sentences


def fh_band(score: float) -> str:
    return _band(score, _FH_BANDS)


def inflesz_band(score: float) -> str:
    return _band(score, _INFLESZ_BANDS)


SUPPORTED = ("en", "es")


def analyse(text: str, language: str) -> Reading | None:
    """Reading level of plain text; None when there is too little text to judge, or the
    language has no formula here (English and Spanish do)."""
    sentences = sentences_of(text)
    words = words_of(text)
    if len(words) < 30 or not sentences:
        return None
    if not language.startswith(SUPPORTED):
        return lengths_only(language, words, sentences)
    n_words, n_sent = len(words), len(sentences)
    counts = [syllables(w, language) for w in words]
    n_syll = sum(counts)
    scores: dict[str, float] = {}
    bands: dict[str, str] = {}
    if language.startswith("es"):
        fh = fernandez_huerta(n_words, n_sent, n_syll)
        sp = szigriszt_pazos(n_words, n_sent, n_syll)
        scores["Fernández-Huerta"] = round(fh, 1)
        scores["Szigriszt-Pazos (INFLESZ)"] = round(sp, 1)
        bands["Fernández-Huerta"] = fh_band(fh)
        bands["Szigriszt-Pazos (INFLESZ)"] = inflesz_band(sp)
        grade = fh_to_grade(fh)
    else:
        fk = 0.39 * n_words / n_sent + 11.8 * n_syll / n_words - 15.59
        poly = sum(1 for c in counts if c >= 3)
        smog = 1.0430 * math.sqrt(poly * 30 / n_sent) + 3.1291
        scores["Flesch-Kincaid grade"] = round(fk, 1)
        scores["SMOG"] = round(smog, 1)
        grade = max(fk, smog) if n_sent >= 10 else fk
    lengths = sorted(((len(words_of(s)), s) for s in sentences), key=lambda ls: -ls[0])
    long_ones = [s for n, s in lengths if n > 15][:3]
    seen: set[str] = set()
    candidates = []
    for w, c in zip(words, counts, strict=True):
        low = w.lower()
        if low in seen or (c < 3 and len(w) < 9):
            continue
        seen.add(low)
        candidates.append((_zipf(w, language), -len(w), w))
    rare = [w for z, _len, w in sorted(candidates)[:5] if z < RARE_ZIPF]
    return Reading(language, n_words, n_sent, round(grade, 1), scores, bands, long_ones, rare)


def lengths_only(language: str, words: list[str], sentences: list[str]) -> Reading:
    """For a language with no validated readability formula here (Persian, Korean,
    Armenian...): no grade, only what can be counted in any language: words per sentence,
    the longest sentences and letters per word. A grade from an English formula would be
    a made-up number for them."""
    lengths = sorted(((len(words_of(s)), s) for s in sentences), key=lambda ls: -ls[0])
    scores = {"words per sentence": round(len(words) / len(sentences), 1),
              "longest sentence (words)": float(lengths[0][0]),
              "letters per word": round(sum(len(w.replace("\u200c", "")) for w in words)
                                        / len(words), 1)}
    long_ones = [s for n, s in lengths if n > MAX_WORDS_PER_SENTENCE][:3]
    return Reading(language, len(words), len(sentences), None, scores, {}, long_ones, [])


def too_hard(reading: Reading, max_grade: float) -> bool:
    """Above the grade aimed for; in Spanish also below "normal" on the INFLESZ scale. With
    no formula: sentences longer than plain-language guides allow, on average or at most."""
    if reading.grade is None:
        return (reading.scores["words per sentence"] > MAX_WORDS_PER_SENTENCE
                or reading.scores["longest sentence (words)"] > MAX_SENTENCE_WORDS)
    sp = reading.scores.get("Szigriszt-Pazos (INFLESZ)")
    return reading.grade > max_grade or (sp is not None and sp < INFLESZ_NORMAL)


def described(reading: Reading) -> str:
    """The reading level in words, for the checker and the proof."""
    scores = "; ".join(f"{k} {v:g}" + (f", {reading.bands[k]}" if k in reading.bands else "")
                       for k, v in reading.scores.items())
    if reading.grade is None:
        return (f"no validated reading-level formula for '{reading.language}', so no grade: "
                f"{scores}")
    return f"about grade {reading.grade:g} ({scores})"
