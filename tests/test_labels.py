"""Interface words per language: a language's own words, else the built-in English ones, never
another language's; the doctor's title as a label of its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from kiosk.config import bundled_content
from kiosk.labels import DEFAULTS, doctor_line
from kiosk.model import load_content, parse_labels
from tests.conftest import topic_text

SPANISH = ("language.name: Español\nnav.back: Atrás\nnav.home: Inicio\n"
           "topic.take_check: Hacer el cuestionario\nresult.desk: Voy a avisar ahora en la "
           "recepción\n")


@pytest.mark.parametrize("default", ["en", "es"])
def test_english_never_shows_another_languages_words(make_content: Callable[..., Path],
                                                      default: str) -> None:
    """The kiosk starting in Spanish leaves the English screens in English."""
    root = make_content(**{"en/labels.yaml": "attract.line: Touch to learn more\n",
                           "es/back-pain.md": topic_text("Dolor de espalda", "s", 1),
                           "es/labels.yaml": SPANISH})
    loaded = load_content(root, default)
    assert loaded.content is not None and loaded.content.default_language == default
    en = loaded.content.languages["en"].labels
    assert (en["nav.back"], en["nav.home"], en["topic.take_check"], en["result.desk"]) == (
        "Back", "Home", "Take the self-check", "I will tell the front desk now")
    assert en["attract.line"] == "Touch to learn more"  # its own file's words
    assert en["language.name"] == "English"
    spanish = set(yaml.safe_load(SPANISH).values())
    assert not spanish & set(en.values())
    es = loaded.content.languages["es"].labels
    assert (es["nav.back"], es["language.name"]) == ("Atrás", "Español")


@pytest.mark.parametrize("default", ["en", "es"])
def test_a_language_missing_keys_gets_english_and_a_warning_naming_them(
        make_content: Callable[..., Path], default: str) -> None:
    root = make_content(**{"es/back-pain.md": topic_text("Dolor de espalda", "s", 1),
                           "es/labels.yaml": SPANISH,
                           "fr/back-pain.md": topic_text("Mal de dos", "s", 1),
                           "fr/labels.yaml": "language.name: Français\nnav.back: Retour\n"})
    loaded = load_content(root, default)
    assert loaded.content is not None
    fr = loaded.content.languages["fr"].labels
    # A key French leaves out is in English, whichever language the kiosk starts in.
    assert (fr["nav.back"], fr["nav.home"], fr["result.desk"]) == (
        "Retour", "Home", "I will tell the front desk now")
    said = {str(p) for p in loaded.problems if p.path.name == "labels.yaml"}
    fr_said = [s for s in said if s.startswith(f"{root}/fr/labels.yaml:1: warning: ")]
    assert len(fr_said) == 1, said
    named = fr_said[0].split("so patients see the built-in English words for them: ")[1]
    assert {"nav.home", "result.desk", "call.doctor_title"} <= set(named.split(", "))
    assert "nav.back" not in named and "language.name" not in named
    es_said = [s for s in said if "/es/labels.yaml" in s]
    assert len(es_said) == 1 and "nav.text" in es_said[0] and "nav.home" not in es_said[0]
    # English leaves keys out freely: the built-in words are English.
    assert not [s for s in said if "/en/" in s]


def test_a_language_without_a_labels_file_is_english_with_a_warning(
        make_content: Callable[..., Path]) -> None:
    root = make_content(**{"es/back-pain.md": topic_text("Dolor de espalda", "s", 1),
                           "es/labels.yaml": SPANISH,
                           "pt/back-pain.md": topic_text("Dor nas costas", "s", 1)})
    loaded = load_content(root, "es")
    assert loaded.content is not None
    pt = loaded.content.languages["pt"].labels
    assert (pt["nav.back"], pt["language.name"]) == ("Back", "pt")
    assert any(str(p).startswith(f"{root}/pt/labels.yaml:1: warning: {len(DEFAULTS)} "
                                 "interface label(s) are not in 'pt'") for p in loaded.problems)


def test_the_bundled_languages_have_every_key() -> None:
    for code in ("en", "es"):
        path = bundled_content() / code / "labels.yaml"
        words, problems = parse_labels(path)
        assert [str(p) for p in problems] == []
        assert sorted(words) == sorted(DEFAULTS), code
    loaded = load_content(bundled_content(), "es")
    assert not [str(p) for p in loaded.problems if p.path.name == "labels.yaml"]


@pytest.mark.parametrize(("words", "name", "shown"), [
    ({"call.with": "With {title} {doctor}", "call.doctor_title": "Dr."}, "Hyun Bae",
     "With Dr. Hyun Bae"),
    # An older config with the title in the name: said once, in the label's words.
    ({"call.with": "With {title} {doctor}", "call.doctor_title": "Dr."}, "Dr. Hyun Bae",
     "With Dr. Hyun Bae"),
    ({"call.with": "{title} {doctor}", "call.doctor_title": "Dra."}, "Dra. Ana Ruiz",
     "Dra. Ana Ruiz"),
    ({"call.with": "{title} {doctor}", "call.doctor_title": "Dra."}, "dr Ana Ruiz",
     "Dra. Ana Ruiz"),
    ({"call.with": "{title} {doctor}", "call.doctor_title": "Dr."}, "Drake Hollis",
     "Dr. Drake Hollis"),
])
def test_the_doctors_title_is_a_label(words: dict[str, str], name: str, shown: str) -> None:
    assert doctor_line(words, name) == shown


def test_a_woman_doctor_is_named_without_a_wrong_article() -> None:
    """Spanish staff change the title alone; no article in the phrase says "el"."""
    path = bundled_content() / "es" / "labels.yaml"
    words, _ = parse_labels(path)
    spanish = {**DEFAULTS, **words, "call.doctor_title": "Dra."}
    line = doctor_line(spanish, "Ana Ruiz")
    assert line.endswith("Dra. Ana Ruiz")
    assert " el " not in f" {line} " and " la " not in f" {line} "
