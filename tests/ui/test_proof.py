"""The sign-off proof (issue 19): one PDF with every page and the whole self-check, read back
with pdftotext as a reviewer's tools would."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import bidi
from kiosk.__main__ import main
from kiosk.config import bundled_content
from kiosk.model import load_content
from kiosk.page import plain_text
from kiosk.render import render_topic

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                reason="needs pdftotext (poppler-utils, .ci/apt-packages)")


def pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, timeout=120, check=True)
    return words(done.stdout)


def words(text: str) -> str:
    """Plain words: ligatures, line breaks and a space before punctuation (where a bold word
    ended) as a PDF or plain_text leaves them, made alike."""
    text = " ".join(unicodedata.normalize("NFKC", text).split())  # "ﬀ" is "ff"
    return re.sub(r"\s+([.,;:!?)])", r"\1", text)


def test_the_proof_holds_every_page_question_answer_tier_and_a_signature_line(
        qtbot: QtBot, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "proof.pdf"
    assert main(["proof", str(bundled_content()), "-o", str(out)]) == 0
    assert "pages, every page and the self-check" in capsys.readouterr().out
    text = pdf_text(out)
    content = load_content(bundled_content()).content
    assert content is not None
    signed = 0
    # pdftotext gives right-to-left lines in the order it finds them and drops the
    # non-joiner: a Persian phrase counts as there when its words are.
    pdf_words = set(re.findall(r"\w+", bidi.strip_controls(text).replace("\u200c", "")))
    for code in content.codes:
        language = content.language(code)

        def has(phrase: str, rtl: bool = language.rtl) -> bool:
            if not rtl:
                return words(phrase) in text
            wanted = set(re.findall(r"\w+", words(phrase).replace("\u200c", "")))
            # (pdftotext runs a right-to-left word into its neighbour at some line ends)
            return len(wanted & pdf_words) >= 0.85 * len(wanted)

        for topic in language.topics:
            assert has(topic.title) and has(topic.summary), topic.summary  # no empty boxes
            body = plain_text(render_topic(topic, language, content.root).html)
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", words(body)) if len(s) > 30]
            for sentence in sentences[:3] + sentences[-3:]:  # its start and its end
                assert has(sentence), sentence
            signed += 1
        check = language.selfcheck
        assert check is not None
        for question in check.questions:
            assert has(question.text)
            for sign in question.signs:
                assert has(sign)
        for band in check.bands:
            assert has(band.message)
        for tier in ("now", "today"):
            assert has(check.tiers[tier].title)
        assert has(check.not_diagnosis)
        signed += 1
    assert text.count("DANGER SIGN, emergency: tell the front desk now") == 9  # 3 per language
    assert text.count("DANGER SIGN, same day: tell a doctor or nurse today") == 9  # + result
    assert text.count("Reading level: about grade") == 12
    assert text.count("Signature") == signed == 21
    assert "No earlier version to compare with" in text and "CHANGED" not in text


def test_the_proof_marks_what_changed_since_an_earlier_version(
        qtbot: QtBot, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(bundled_content(), new)
    page = new / "es" / "muscle-spasms.md"
    page.write_text(page.read_text("utf-8") + "\nUna frase nueva para revisar.\n", "utf-8")
    out = tmp_path / "proof.pdf"
    assert main(["proof", str(new), "-o", str(out), "--since", str(bundled_content())]) == 0
    text = pdf_text(out)
    assert text.count("CHANGED since the earlier version") == 1
    assert "Español: Espasmos, artritis y dolor de cabeza (changed)" in text
    assert "Una frase nueva para revisar." in text


def test_after_an_import_the_proof_marks_what_it_changed(qtbot: QtBot, tmp_path: Path) -> None:
    """Without a folder or --since: what patients see now, against what undo goes back to."""
    from kiosk.store import Store
    from kiosk.transfer import EXPORT_NAME, export, stage

    installed = tmp_path / "installed"
    shutil.copytree(bundled_content(), installed)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'content = "{installed}"\ncontent_store = "store"\n', "utf-8")
    stick = tmp_path / "stick"
    stick.mkdir()
    export(installed, stick)
    page = stick / EXPORT_NAME / "en" / "spine-injuries.md"
    page.write_text(page.read_text("utf-8") + "\nA new sentence to review.\n", "utf-8")
    store = Store(tmp_path / "store")
    with store.staging() as folder:
        store.commit(folder, stage(stick, folder, installed).changes.summary(), str(stick))
    out = tmp_path / "proof.pdf"
    assert main(["proof", "-o", str(out), "--config", str(config)]) == 0
    text = pdf_text(out)
    assert text.count("CHANGED since the earlier version") == 1
    assert "English: Spine injuries and headaches (changed)" in text
    assert "A new sentence to review." in text and "Version 20" in text
