"""The bundled pages as a clinician would check them: danger signs, urgent boxes, pictures,
reading level, and honest review dates (issue 14)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from kiosk import readability
from kiosk.__main__ import main
from kiosk.checker import check_folder, checked_load, review_problems
from kiosk.config import OPTIONS, bundled_content
from kiosk.model import Content, Language, Topic, load_content
from kiosk.render import plain_text, render_topic
from kiosk.review import add_months, due_for_review, is_due, reviewed_line

# The danger signs a spine clinic most needs a patient to report at once, in each language.
SPINE_RED_FLAGS = {
    "en": ["sudden, very bad headache", "weakness or numbness", "bladder", "bowels",
           "groin", "inner thighs", "fever with a stiff neck or back pain", "spinal tap"],
    "es": ["dolor de cabeza repentino", "debilidad o entumecimiento", "orina", "heces",
           "ingle", "muslos", "fiebre con el cuello rígido o con dolor de espalda",
           "punción lumbar"],
}
TELL_DESK = {"en": "tell the front desk now", "es": "avise en la recepción ahora"}
MIGRAINE = {"en": "migraine", "es": "migraña"}


def bundled() -> Content:
    loaded = load_content(bundled_content())
    assert loaded.content is not None
    return loaded.content


CONTENT = bundled()
PAGES = [(code, topic.id) for code in CONTENT.codes for topic in CONTENT.language(code).topics]


def page_html(code: str, topic_id: str) -> str:
    language = CONTENT.language(code)
    topic = language.topic(topic_id)
    assert topic is not None
    return render_topic(topic, language, CONTENT.root).html


# -- the danger question --------------------------------------------------------------------

@pytest.mark.parametrize("code", ["en", "es"])
def test_the_danger_question_lists_the_spine_red_flags(code: str) -> None:
    check = CONTENT.language(code).selfcheck
    assert check is not None
    danger = [q for q in check.questions if any(a.red_flag for a in q.answers)]
    assert len(danger) == 1
    question = danger[0]
    signs = " ".join(question.signs).lower()
    missing = [flag for flag in SPINE_RED_FLAGS[code] if flag.lower() not in signs]
    assert missing == []
    assert all(len(sign) <= 80 for sign in question.signs)
    # Two answers: "yes, one or more" is the red flag; "no, none of these" scores nothing.
    assert [(a.red_flag, a.points) for a in question.answers] == [(True, 0), (False, 0)]
    assert check.questions[0] is question  # asked first


def test_spanish_self_check_matches_english_by_position() -> None:
    en, es = CONTENT.language("en").selfcheck, CONTENT.language("es").selfcheck
    assert en is not None and es is not None
    assert 3 <= len(en.questions) <= 6
    shape = [[(a.points, a.red_flag) for a in q.answers] for q in en.questions]
    assert shape == [[(a.points, a.red_flag) for a in q.answers] for q in es.questions]
    assert [len(q.signs) for q in en.questions] == [len(q.signs) for q in es.questions]
    for check in (en, es):
        assert "911" in check.urgent_message and "911" not in check.urgent_title


# -- the urgent box ---------------------------------------------------------------------------

_URGENT = re.compile(r'<table [^>]*class="callout urgent"[^>]*>.*?</table>', re.DOTALL)


@pytest.mark.parametrize(("code", "topic_id"), PAGES)
def test_every_page_ends_with_the_urgent_box(code: str, topic_id: str) -> None:
    html = page_html(code, topic_id)
    boxes = list(_URGENT.finditer(html))
    assert boxes, "no urgent box"
    assert html[boxes[-1].end():].strip() == ""  # nothing after it (no reviewer yet)
    words = plain_text(boxes[-1].group(0)).lower()
    assert TELL_DESK[code] in words and "911" in words
    missing = [flag for flag in SPINE_RED_FLAGS[code] if flag.lower() not in words]
    assert missing == []


@pytest.mark.parametrize("code", ["en", "es"])
def test_the_urgent_box_is_the_same_on_every_page(code: str) -> None:
    boxes = {_URGENT.findall(page_html(code, topic.id))[-1]
             for topic in CONTENT.language(code).topics}
    assert len(boxes) == 1


# -- what the pages say -----------------------------------------------------------------------

def prose(html: str) -> str:
    """A page's own words: without its urgent box and without link texts (other pages)."""
    return plain_text(re.sub(r"<a [^>]*>.*?</a>", "", _URGENT.sub("", html))).lower()


@pytest.mark.parametrize("code", ["en", "es"])
@pytest.mark.parametrize("topic_id", ["spinal-fluid-leaks", "spine-injuries"])
def test_leak_and_injury_headaches_are_not_called_migraines(code: str, topic_id: str) -> None:
    assert MIGRAINE[code] not in prose(page_html(code, topic_id))


@pytest.mark.parametrize("code", ["en", "es"])
def test_the_specialist_page_does_not_offer_surgery_for_headaches(code: str) -> None:
    words = prose(page_html(code, "see-a-specialist"))
    for word in ("surgery", "fusion", "mobi-c", "artificial", "cirugía", "fusión"):
        assert word not in words


def test_migraine_page_says_new_or_unlike_your_usual_migraine() -> None:
    assert "unlike your usual migraine" in prose(page_html("en", "migraines-and-back-pain"))
    assert "distintos a los de su migraña de siempre" in prose(
        page_html("es", "migraines-and-back-pain"))


def test_spanish_wording_fixes() -> None:
    es = CONTENT.language("es")
    # No article before the doctor's name: "el" is wrong for a woman doctor ("Dra.").
    assert es.labels["call.with"] == "{title} {doctor}"
    assert es.labels["call.doctor_title"] == "Dr."
    jaw = prose(page_html("es", "jaw-and-tmj"))
    assert "articulación de la mandíbula" in jaw
    assert "pila de huesos" in prose(page_html("es", "muscle-spasms"))
    everything = " ".join(page_html("es", t.id) for t in es.topics)
    assert "tras punción" not in everything


@pytest.mark.parametrize(("code", "topic_id"), PAGES)
def test_pages_stay_easy_to_read(code: str, topic_id: str) -> None:
    reading = readability.analyse(plain_text(page_html(code, topic_id)), code)
    assert reading is not None
    if code == "en":
        assert reading.scores["Flesch-Kincaid grade"] <= 6
        assert reading.scores["SMOG"] <= 8
    else:
        assert reading.grade <= 6


# -- pictures ---------------------------------------------------------------------------------

_SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(("code", "topic_id"), PAGES)
def test_every_page_and_tile_has_a_picture(code: str, topic_id: str) -> None:
    topic = CONTENT.language(code).topic(topic_id)
    assert topic is not None and topic.image is not None and topic.image.is_file()
    pictures = re.findall(r'<img [^>]*src="kiosk-image:([^"]+)"[^>]*>', page_html(code, topic_id))
    assert pictures
    for rel in pictures:
        assert (CONTENT.root / rel).is_file()
        assert rel.startswith(f"{code}/images/")  # the words in it are in the page's language
    for tag in re.findall(r"<img [^>]*>", page_html(code, topic_id)):
        assert re.search(r'alt="[^"]{20,}"', tag)  # says what it shows


@pytest.mark.parametrize("code", ["en", "es"])
def test_pictures_are_plain_svg_with_large_words(code: str) -> None:
    folder = CONTENT.language(code).folder / "images"
    svgs = sorted(folder.glob("*.svg"))
    assert svgs
    for path in svgs:
        root = ET.parse(path).getroot()
        width = float(root.get("viewBox", "0 0 0 0").split()[2])
        assert width > 0
        for text in root.iter(f"{_SVG}text"):
            # at least 28 px in an 800-wide picture, so about 25 px on an 800x480 screen
            assert float(text.get("font-size", "0")) * 800 / width >= 28, path.name
        raw = path.read_text(encoding="utf-8")
        assert "href" not in raw and "url(" not in raw and "<script" not in raw


def test_each_language_has_the_same_pictures() -> None:
    names = {code: sorted(p.name for p in (CONTENT.language(code).folder / "images").glob("*"))
             for code in CONTENT.codes}
    assert names["en"] == names["es"]


def test_no_picture_is_left_unused() -> None:
    _loaded, problems = check_folder(bundled_content())
    assert [str(p) for p in problems if "picture" in p.message] == []


# -- review dates -----------------------------------------------------------------------------

def test_bundled_pages_are_not_reviewed_and_kiosk_check_says_so(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out, _err = capsys.readouterr()
    warned = {line.split(":")[0] for line in out.splitlines()
              if ": warning: no clinician has reviewed this page yet" in line}
    assert warned == {str(topic.path) for code in CONTENT.codes
                      for topic in CONTENT.language(code).topics}
    for code, topic_id in PAGES:  # ...and patients see no reviewer
        assert 'class="reviewed"' not in page_html(code, topic_id)
    assert len(due_for_review(CONTENT, 12, date(2026, 11, 26))) == len(PAGES)


def reviewed_copy(tmp_path: Path, lines: dict[str, str]) -> Path:
    """The bundled content with review lines added to some English pages' front matter."""
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    for topic_id, extra in lines.items():
        for code in ("en", "es"):
            path = root / code / f"{topic_id}.md"
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("\norder:", f"\n{extra}\norder:", 1), encoding="utf-8")
    return root


def test_review_dates_warn_when_old_and_show_small_print_when_recent(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    today = date.today()
    recent = add_months(today, -1).isoformat()
    root = reviewed_copy(tmp_path, {
        "jaw-and-tmj": f"reviewed_by: Dr. Hyun Bae\nreviewed_on: {recent}",
        "muscle-spasms": "reviewed_by: Dr. Hyun Bae\nreviewed_on: 2020-03-15",
        "spine-injuries": "reviewed_by: Dr. Hyun Bae\nreviewed_on: 2026-02-30",
        "see-a-specialist": "reviewed_on: 2025-01-01",
    })
    assert main(["check", str(root)]) == 0
    out = capsys.readouterr()[0]
    jaw, spasms = root / "en" / "jaw-and-tmj.md", root / "en" / "muscle-spasms.md"
    injuries, specialist = root / "en" / "spine-injuries.md", root / "en" / "see-a-specialist.md"
    assert f"{jaw}:" not in out
    assert (f"{spasms}:5: warning: this page was last reviewed on 2020-03-15 by Dr. Hyun Bae, "
            "more than 12 months ago") in out
    assert (f"{injuries}:5: warning: 'reviewed_on' must be a real date written year-month-day"
            ", like 2026-11-26, not '2026-02-30'") in out
    assert f"{specialist}:4: warning: 'reviewed_on' has no 'reviewed_by' name" in out

    # A shorter period makes the recent review due too.
    assert main(["check", str(root), "--review-months", "0"]) == 0
    assert f"{jaw}:5: warning: this page was last reviewed on {recent}" in capsys.readouterr()[0]

    content = load_content(root).content
    assert content is not None
    for code, words in (("en", "Reviewed by Dr. Hyun Bae · "), ("es", "Revisado por: Dr. Hyun "
                                                                       "Bae · ")):
        language = content.language(code)
        topic = language.topic("jaw-and-tmj")
        assert topic is not None
        html = render_topic(topic, language, content.root).html
        assert html.rstrip().endswith("</p>") and f'<p class="reviewed">{words}' in html
        assert reviewed_line(topic, language) in html
    spanish = content.language("es").topic("jaw-and-tmj")
    assert spanish is not None and spanish.reviewed_on is not None
    month = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"][spanish.reviewed_on.month - 1]
    assert reviewed_line(spanish, content.language("es")).endswith(
        f"{month} de {spanish.reviewed_on.year}")
    # The preview's banner is for mistakes in files; review dates are not among them.
    assert not [p for p in checked_load(root, "en").problems if "clinician" in p.message]


def _topic(reviewed_on: date | None, by: str | None = "Dr. A") -> Topic:
    return Topic("t", "en", "T", "s", 1, "", Path("t.md"), 6, reviewed_by=by,
                 reviewed_on=reviewed_on)


def test_due_for_review_counts_whole_months() -> None:
    today = date(2026, 11, 26)
    assert is_due(_topic(None), 12, today)
    assert is_due(_topic(date(2026, 1, 1), None), 12, today)
    assert not is_due(_topic(date(2025, 11, 26)), 12, today)  # exactly 12 months: not yet
    assert is_due(_topic(date(2025, 11, 25)), 12, today)
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    topic = _topic(date(2026, 10, 1))
    content = Content(Path("."), {"en": Language("en", Path("."), (topic,), None, {})}, "en")
    assert due_for_review(content, 12, today) == []
    assert due_for_review(content, 1, today) == [("en", topic)]
    problems = review_problems(content, 1, today)
    assert len(problems) == 1 and problems[0].severity == "warning"


def test_review_months_is_a_config_option_with_default_12() -> None:
    option = next(o for o in OPTIONS if o.key == "review_months")
    assert option.kind is int and option.default == 12
