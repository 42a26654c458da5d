"""The bundled pages as a clinician would check them: danger signs and what to do about them,
honest claims, pictures, reading level, and honest review dates (issues 14 and 18)."""

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
from kiosk.selfcheck import says_no

# The signs a spine clinic needs a patient in its waiting room to report at once, worded so
# that nobody has to judge what "very bad" or "numbness" means (issue 18).
EMERGENCY_SIGNS = {
    "en": ["in the last few days", "worst headache of your life",
           "at full strength within a minute", "in your face, an arm, or a leg",
           "new trouble walking", "new trouble seeing or speaking", "unlike your usual migraine",
           "confusion", "fainted", "bladder or bowels", "you cannot pee",
           "groin, buttocks, or inner thighs", '"saddle" area',
           "fever with a stiff neck or back pain", "worse when you sit or stand",
           "spinal tap, an epidural, or spine surgery in the last 2 weeks"],
    "es": ["en los últimos días", "el peor dolor de cabeza de su vida",
           "a toda su fuerza en menos de un minuto", "en la cara, un brazo o una pierna",
           "problemas nuevos para caminar", "problemas nuevos para ver o hablar",
           "distintos a los de su migraña de siempre", "confusión", "se desmayó",
           "la orina o el excremento", "no puede orinar",
           "la ingle, las nalgas o la parte de adentro de los muslos", '"silla de montar"',
           "fiebre con el cuello rígido o con dolor de espalda",
           "empeora al sentarse o ponerse de pie",
           "punción lumbar, una epidural o una cirugía de la columna en las últimas 2 semanas"],
    "fa": ["در چند روز گذشته", "بدترین سردرد عمرتان", "در کمتر از یک دقیقه به اوج شدت می‌رسد",
           "در صورت، یک دست یا یک پا", "مشکل جدید در راه رفتن",
           "مشکل جدید در دیدن یا حرف زدن", "با میگرن همیشگی شما فرق دارد", "سردرگمی",
           "غش کرده‌اید", "ادرار یا مدفوع", "نمی‌توانید ادرار کنید",
           "کشاله ران، باسن یا قسمت داخلی ران‌ها", "ناحیه «زین‌اسبی»",
           "تب همراه با سفتی گردن یا کمردرد", "وقتی می‌نشینید یا می‌ایستید بدتر می‌شود",
           "کشیدن آب نخاع، اپیدورال یا جراحی ستون فقرات در ۲ هفته گذشته"],
}
# Signs that need a doctor the same day, not 911.
TODAY_SIGNS = {
    "en": ["recent fall, car crash, or blow to your head, neck, or back", "cancer",
           "weight loss without trying", "over 50, and this is a new kind of headache",
           "over 50, with a new headache and jaw pain when you chew",
           "fever after spine surgery, a spine injection, or an epidural", "inject drugs",
           "weak immune system"],
    "es": ["una caída, un choque de carro o un golpe reciente en la cabeza, el cuello o la "
           "espalda", "cáncer", "bajó de peso sin querer",
           "más de 50 años, y es un tipo de dolor de cabeza nuevo",
           "más de 50 años, con un dolor de cabeza nuevo y dolor de mandíbula al masticar",
           "fiebre después de una cirugía de la columna, una inyección en la columna o una "
           "epidural", "se inyecta drogas", "defensas bajas"],
    "fa": ["به‌تازگی زمین خورده‌اید، تصادف ماشین داشته‌اید، یا ضربه‌ای به سر، گردن یا کمرتان "
           "خورده است", "سرطان", "بدون اینکه بخواهید، وزن کم کرده‌اید",
           "بالای ۵۰ سال دارید، و این نوع سردرد برای شما جدید است",
           "بالای ۵۰ سال دارید، و سردرد جدید و درد فک موقع جویدن دارید",
           "تب بعد از جراحی ستون فقرات، تزریق در ستون فقرات، یا اپیدورال",
           "مواد مخدر تزریق می‌کنید", "سیستم ایمنی بدنتان ضعیف است"],
}
# What to do, in the order of action, for a patient already in the waiting room.
STEPS = {
    "en": ["tell the front desk now.", "if no one is there, ask someone near you for help.",
           "if you feel very ill, or no one can help, call 911."],
    "es": ["avise en la recepción ahora mismo.",
           "si no hay nadie, pida ayuda a alguien cerca de usted.",
           "si se siente muy mal, o nadie le puede ayudar, llame al 911."],
    "fa": ["همین حالا به پذیرش بگویید.",
           "اگر کسی آنجا نیست، از کسی که نزدیک شماست کمک بخواهید.",
           "اگر حالتان خیلی بد است، یا کسی نمی‌تواند کمک کند، با 911 تماس بگیرید."],
}
TODAY = {"en": "tell a doctor or nurse today", "es": "avísele hoy a un médico o a una enfermera",
         "fa": "امروز به پزشک یا پرستار بگویید"}
DESK = {"en": "front desk", "es": "recepción", "fa": "پذیرش"}
# Words in a page's own text that name an emergency sign, or a same-day sign.
NAMES_EMERGENCY = {
    "en": ["trouble seeing or speaking", "weakness or numbness", "cannot pee", "last 2 weeks",
           "stiff neck", "confusion", "worst headache", "groin", "bladder"],
    "es": ["para ver o hablar", "debilidad o entumecimiento", "no puede orinar",
           "últimas 2 semanas", "cuello rígido", "confusión", "peor dolor de cabeza", "ingle",
           "orina o"],
    "fa": ["دیدن یا حرف زدن", "ضعف یا بی‌حسی", "نمی‌توانید ادرار کنید", "۲ هفته گذشته",
           "سفتی گردن", "سردرگمی", "بدترین سردرد", "کشاله ران", "ادرار یا مدفوع"],
}
NAMES_TODAY = {
    "en": ["over 50", "last few weeks", "recent", "fever after", "a fever after", "cancer",
           "weight loss", "inject", "immune", "a headache like this"],
    "es": ["más de 50", "últimas semanas", "reciente", "fiebre después", "cáncer",
           "bajó de peso", "inyecta drogas", "defensas", "un dolor de cabeza así"],
    "fa": ["بالای ۵۰", "چند هفته گذشته", "به‌تازگی", "تب بعد از", "تب دارید", "سرطان",
           "وزن کم", "مواد مخدر تزریق", "ایمنی", "چنین سردردی"],
}
MIGRAINE = {"en": "migraine", "es": "migraña", "fa": "میگرن"}
# The word for the spine, which a result for a "yes" to one headache question never names.
SPINE = {"en": "spine", "es": "columna", "fa": "ستون فقرات"}
CODES = ["en", "es", "fa"]


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

@pytest.mark.parametrize("code", CODES)
def test_the_self_check_asks_every_danger_sign_in_its_tier_first(code: str) -> None:
    check = CONTENT.language(code).selfcheck
    assert check is not None
    now = [q for q in check.questions if q.tier == "now"]
    today = [q for q in check.questions if q.tier == "today"]
    assert len(now) == 2 and len(today) == 2
    assert list(check.questions[:4]) == now + today  # asked first, emergencies before today
    for questions, signs in ((now, EMERGENCY_SIGNS[code]), (today, TODAY_SIGNS[code])):
        words = " ".join([q.text for q in questions] + [s for q in questions for s in q.signs])
        missing = [sign for sign in signs if sign.lower() not in words.lower()]
        assert missing == []
    for question in now + today:
        assert 1 <= len(question.signs) <= 4  # one screen each
        # "Yes, one or more" is the red flag of its tier; "No, none of these" scores nothing.
        assert [(a.tier, a.points) for a in question.answers] == [(question.tier, 0), ("", 0)]
        assert says_no(question.answers[1].text) and not says_no(question.answers[0].text)
    assert not any(q.signs for q in check.questions[4:])


@pytest.mark.parametrize("code", CODES)
def test_each_tier_says_what_to_do_in_the_order_of_action(code: str) -> None:
    check = CONTENT.language(code).selfcheck
    assert check is not None
    message = check.tiers["now"].message.lower()
    at = [message.find(step) for step in STEPS[code]]
    assert -1 not in at and at == sorted(at)  # front desk, then someone near, then 911
    assert "911" not in check.tiers["now"].title
    today = check.tiers["today"]
    assert TODAY[code] in today.title.lower() and "911" not in today.message
    assert DESK[code] in today.message  # in a waiting room: the desk finds the nurse


SPINE_CLAIMS = {"en": ["spine-related", "linked to your spine", "caused by", "comes from"],
                "es": ["relacionad", "vienen de la columna", "causad", "indica"],
                "fa": ["مربوط به ستون فقرات", "به ستون فقرات ربط", "ناشی از", "باعث",
                       "از ستون فقرات", "نشان می‌دهد"]}
AT_THE_VISIT = {"en": "at your visit", "es": "en su cita", "fa": "در ویزیت"}


@pytest.mark.parametrize("code", CODES)
def test_results_never_diagnose_and_fit_a_patient_in_the_waiting_room(code: str) -> None:
    check = CONTENT.language(code).selfcheck
    assert check is not None
    for band in check.bands:
        words = f"{band.title} {band.message}".lower()
        assert [c for c in SPINE_CLAIMS[code] if c in words] == []
        assert AT_THE_VISIT[code] in words  # they are here today: say it at the visit
    # A "yes" to one headache question alone (2 points) gets no spine link at all.
    outcome = check.score([1, 1, 1, 1, 1, 0, 1, 1, 1])
    assert outcome.band == 2 and SPINE[code] not in outcome.message.lower()


def test_the_spanish_self_check_reads_as_people_speak() -> None:
    text = (CONTENT.root / "es" / "self-check.yaml").read_text("utf-8")
    for formal in ("heces", "estar sentado", "indica", "pasa rápido", "un problema más grande"):
        assert formal not in text
    assert "no puede orinar" in text


@pytest.mark.parametrize("code", ["es", "fa"])
def test_a_translated_self_check_matches_english_by_position(code: str) -> None:
    en, other = CONTENT.language("en").selfcheck, CONTENT.language(code).selfcheck
    assert en is not None and other is not None
    assert len(en.questions) == 9
    shape = [[(a.points, a.tier) for a in q.answers] for q in en.questions]
    assert shape == [[(a.points, a.tier) for a in q.answers] for q in other.questions]
    assert [len(q.signs) for q in en.questions] == [len(q.signs) for q in other.questions]
    for check in (en, other):
        assert "911" in check.urgent_message and "911" not in check.urgent_title


# -- the danger boxes at the end of every page --------------------------------------------

_BOX = re.compile(r'<table [^>]*class="callout (urgent|note)"[^>]*>.*?</table>', re.DOTALL)


def end_boxes(html: str) -> tuple[str, str]:
    """The page's last two boxes, as words: "get help now", then "tell a doctor today"."""
    boxes = list(_BOX.finditer(html))
    assert len(boxes) >= 2, "no danger boxes"
    urgent, today = boxes[-2], boxes[-1]
    assert (urgent.group(1), today.group(1)) == ("urgent", "note")
    assert html[urgent.end():today.start()].strip() == ""
    assert html[today.end():].strip() == ""  # nothing after them (no reviewer yet)
    return plain_text(urgent.group(0)).lower(), plain_text(today.group(0)).lower()


def in_order(words: str, steps: list[str]) -> bool:
    """Whether every step is in ``words``, each after the one before."""
    at = -1
    for step in steps:
        at = words.find(step, at + 1)
        if at < 0:
            return False
    return True


@pytest.mark.parametrize(("code", "topic_id"), PAGES)
def test_every_page_ends_with_what_to_do_now_and_today(code: str, topic_id: str) -> None:
    urgent, today = end_boxes(page_html(code, topic_id))
    assert [sign for sign in EMERGENCY_SIGNS[code] if sign.lower() not in urgent] == []
    # The steps come after the signs, front desk first, 911 last.
    last_sign = max(urgent.index(sign.lower()) for sign in EMERGENCY_SIGNS[code])
    assert in_order(urgent[last_sign:], STEPS[code])
    assert urgent.count("911") == 1  # only as the last step, never as the first thing to do
    assert [sign for sign in TODAY_SIGNS[code] if sign.lower() not in today] == []
    assert TODAY[code] in today and DESK[code] in today and "911" not in today


@pytest.mark.parametrize("code", CODES)
def test_the_danger_boxes_are_the_same_on_every_page(code: str) -> None:
    boxes = {end_boxes(page_html(code, topic.id)) for topic in CONTENT.language(code).topics}
    assert len(boxes) == 1


# -- what to do, where a sign is described --------------------------------------------------

def sections(html: str) -> list[list[str]]:
    """A page's own text (without its end boxes) as sections under each heading, each a list
    of blocks (paragraphs, lists, boxes) in lowercase words."""
    boxes = list(_BOX.finditer(html))
    body = html[:boxes[-2].start()]
    out: list[list[str]] = []
    for part in re.split(r"<h[1-6][^>]*>.*?</h[1-6]>", body, flags=re.DOTALL):
        blocks = re.findall(r"<table .*?</table>|<p[ >].*?</p>|<ul\b[^>]*>.*?</ul>"
                            r"|<ol\b[^>]*>.*?</ol>", part, flags=re.DOTALL)
        out.append([plain_text(block).lower() for block in blocks])
    return out


def named(words: str, names: list[str]) -> list[str]:
    return [name for name in names if name in words]


@pytest.mark.parametrize(("code", "topic_id"), PAGES)
def test_where_a_page_names_a_danger_sign_it_says_what_to_do_in_order(
        code: str, topic_id: str) -> None:
    """Not "see the red box at the end": the front desk, someone near you, then 911, in the
    section that names the sign; "a doctor or nurse today" for a sign that can wait a day."""
    for blocks in sections(page_html(code, topic_id)):
        for n, block in enumerate(blocks):
            here = " ".join(blocks[n:n + 2])  # the sign's own paragraph and the next one
            if named(block, NAMES_EMERGENCY[code]):
                assert in_order(here, STEPS[code]), block
            if named(block, NAMES_TODAY[code]):
                assert TODAY[code] in here and DESK[code] in here, block


@pytest.mark.parametrize(("code", "topic_id"), PAGES)
def test_pages_send_no_one_to_a_box_at_the_end(code: str, topic_id: str) -> None:
    words = plain_text(page_html(code, topic_id)).lower()
    for phrase in ("red box", "box at the end", "cuadro rojo", "al final de esta página",
                   "in an emergency", "si es una emergencia", "کادر قرمز", "جعبه قرمز",
                   "آخر این صفحه", "انتهای این صفحه", "پایین این صفحه", "در مواقع اضطراری",
                   "در صورت اضطرار", "اگر اورژانسی است"):
        assert phrase not in words


@pytest.mark.parametrize(("code", "topic_id"), PAGES)
def test_every_911_comes_after_the_front_desk_and_someone_near_you(
        code: str, topic_id: str) -> None:
    words = plain_text(page_html(code, topic_id)).lower()
    for match in re.finditer("911", words):
        before = words[:match.start()]
        assert in_order(before[-400:], STEPS[code][:2]), before[-200:]


# -- what the pages say -----------------------------------------------------------------------

def prose(html: str) -> str:
    """A page's own words: without its boxes at the end and without link texts (other pages)."""
    boxes = list(_BOX.finditer(html))
    return plain_text(re.sub(r"<a [^>]*>.*?</a>", "", html[:boxes[-2].start()])).lower()


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("topic_id", ["spinal-fluid-leaks", "spine-injuries"])
def test_leak_and_injury_headaches_are_not_called_migraines(code: str, topic_id: str) -> None:
    assert MIGRAINE[code] not in prose(page_html(code, topic_id))


@pytest.mark.parametrize("code", CODES)
def test_the_specialist_page_does_not_offer_surgery_for_headaches(code: str) -> None:
    words = prose(page_html(code, "see-a-specialist"))
    for word in ("fusion", "mobi-c", "artificial", "fusión", "disco", "فیوژن", "جوش دادن",
                 "مصنوعی", "دیسک"):
        assert word not in words
    # Surgery is named only as something a patient may have had (a fever after it).
    past = {"en": "after spine surgery", "es": "después de una cirugía de la columna",
            "fa": "بعد از جراحی ستون فقرات"}[code]
    surgery = words.count("surgery") + words.count("cirugía") + words.count("جراحی")
    assert surgery == words.count(past) == 1


def test_migraine_page_says_new_or_unlike_your_usual_migraine() -> None:
    assert "unlike your usual migraine" in prose(page_html("en", "migraines-and-back-pain"))
    assert "distintos a los de su migraña de siempre" in prose(
        page_html("es", "migraines-and-back-pain"))
    assert "با میگرن همیشگی شما فرق دارد" in prose(page_html("fa", "migraines-and-back-pain"))


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


def words_of(code: str, topic_id: str) -> str:
    """A page's own text, its front matter's title and summary included."""
    topic = CONTENT.language(code).topic(topic_id)
    assert topic is not None
    words = " ".join([topic.title, topic.summary, prose(page_html(code, topic_id))]).lower()
    return " ".join(re.sub(r" ([.,:?،؛؟])", r"\1", " ".join(words.split())).split())


ALL_WORDS = {code: " ".join(words_of(code, t.id) for t in CONTENT.language(code).topics)
             for code in CODES}


@pytest.mark.parametrize(("code", "claim"), [
    # the source article's overclaims (issue 18)
    ("en", "one thing in common"), ("es", "algo en común"),
    ("en", "can't do"), ("en", "cannot do"), ("es", "no pueden hacer"),
    ("en", "the cause of your headaches"), ("en", "treat that cause"), ("en", "find the cause"),
    ("en", "look for the cause"), ("en", "actual cause"), ("es", "tratar esa causa"),
    ("es", "encontrar la causa"), ("es", "buscar la causa"), ("es", "busca qué causa"),
    ("en", "your spine may play a part in your headaches"),
    ("es", "su columna podría tener algo que ver con sus dolores de cabeza"),
    ("en", "spine-related"), ("en", "tmj syndrome"), ("es", "síndrome de la atm"),
    # Spanish that reads wrong to a Los Angeles reader
    ("es", "pasa rápido"), ("es", "un problema más grande"), ("es", "heces"),
    ("es", "si le duele la columna"), ("es", " indica "),
    # the same overclaims, in Persian
    ("fa", "یک چیز مشترک"), ("fa", "وجه مشترک"), ("fa", "نمی‌توانند کار"), ("fa", "هیچ کاری"),
    ("fa", "علت سردرد"), ("fa", "آن علت را درمان"), ("fa", "درمان علت"), ("fa", "علت را پیدا"),
    ("fa", "دنبال علت"), ("fa", "علت واقعی"), ("fa", "علت اصلی"),
    ("fa", "ستون فقرات شما ممکن است در سردرد"), ("fa", "مربوط به ستون فقرات"), ("fa", "سندرم"),
])
def test_no_page_makes_a_claim_the_evidence_does_not_support(code: str, claim: str) -> None:
    assert claim not in ALL_WORDS[code]


def test_the_link_is_only_a_possible_one() -> None:
    en, es, fa = (CONTENT.language(c).topic("migraines-and-back-pain") for c in CODES)
    assert en is not None and es is not None and fa is not None
    assert "may be linked" in en.title
    assert es.title.startswith("¿") and es.title.endswith("?")  # a question, not a claim
    assert "have trouble doing their usual tasks" in words_of("en", "migraines-and-back-pain")
    assert "tienen dificultad para hacer sus tareas" in words_of("es", "migraines-and-back-pain")
    assert "it only suggests" in words_of("en", "migraines-and-back-pain")
    assert "solo sugiere" in words_of("es", "migraines-and-back-pain")
    assert fa.title.startswith("آیا") and fa.title.endswith("؟")  # a question, not a claim
    assert "در انجام کارهای معمولشان مشکل دارند" in words_of("fa", "migraines-and-back-pain")
    assert "فقط نشان می‌دهد که این دو ممکن است به هم ربط داشته باشند" in words_of(
        "fa", "migraines-and-back-pain")


@pytest.mark.parametrize(("code", "topic_id", "fact"), [
    ("en", "migraines-and-back-pain", "migraine is a brain disorder"),
    ("es", "migraines-and-back-pain", "la migraña es un trastorno del cerebro"),
    ("en", "migraines-and-back-pain", "women get them more often than men"),
    ("es", "migraines-and-back-pain", "las mujeres las tienen más seguido que los hombres"),
    ("en", "migraines-and-back-pain", "neck pain is often part of the migraine itself"),
    ("es", "migraines-and-back-pain", "el dolor de cuello muchas veces es parte de la migraña"),
    ("en", "muscle-spasms", "neck pain is often part of a migraine itself"),
    ("es", "muscle-spasms", "el dolor de cuello muchas veces es parte de la migraña"),
    ("en", "spinal-fluid-leaks", "gets worse when you sit up or stand"),
    ("en", "spinal-fluid-leaks", "better when you lie down"),
    ("es", "spinal-fluid-leaks", "empeora al sentarse o ponerse de pie"),
    ("es", "spinal-fluid-leaks", "mejora al acostarse"),
    ("en", "spinal-fluid-leaks", "after an epidural or spine surgery"),
    ("es", "spinal-fluid-leaks", "después de una epidural o de una cirugía de la columna"),
    ("en", "jaw-and-tmj", "does your jaw hurt when you chew"),
    ("en", "jaw-and-tmj", "giant cell arteritis"),
    ("es", "jaw-and-tmj", "le duele la mandíbula al masticar"),
    ("es", "jaw-and-tmj", "arteritis de células gigantes"),
    ("en", "spine-injuries", "a car crash"), ("es", "spine-injuries", "un choque de carro"),
    ("es", "spine-injuries", "agudo quiere decir que ocurre de repente"),
    ("en", "jaw-and-tmj", "is called tmd"),
    ("en", "jaw-and-tmj", "tmj disorder"),
    ("es", "jaw-and-tmj", "trastorno de la atm"),
    ("fa", "migraines-and-back-pain", "میگرن یک اختلال مغزی است"),
    ("fa", "migraines-and-back-pain", "زن‌ها بیشتر از مردها میگرن می‌گیرند"),
    ("fa", "migraines-and-back-pain", "درد گردن اغلب بخشی از خود میگرن است"),
    ("fa", "muscle-spasms", "درد گردن اغلب بخشی از خود میگرن است"),
    ("fa", "spinal-fluid-leaks", "وقتی می‌نشینید یا می‌ایستید بدتر می‌شود"),
    ("fa", "spinal-fluid-leaks", "وقتی صاف دراز می‌کشید، بهتر می‌شود"),
    ("fa", "spinal-fluid-leaks", "بعد از اپیدورال یا جراحی ستون فقرات"),
    ("fa", "jaw-and-tmj", "فکتان موقع جویدن درد می‌کند"),
    ("fa", "jaw-and-tmj", "آرتریت سلول غول‌آسا"),
    ("fa", "spine-injuries", "تصادف ماشین"),
    ("fa", "spine-injuries", "حاد یعنی یک‌باره اتفاق می‌افتد"),
    ("fa", "jaw-and-tmj", "tmd می‌گویند"),
    ("fa", "jaw-and-tmj", "اختلال tmj"),
])
def test_pages_say_what_a_clinician_would_add(code: str, topic_id: str, fact: str) -> None:
    assert fact in words_of(code, topic_id)


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("topic_id", ["migraines-and-back-pain", "see-a-specialist"])
def test_migraine_without_back_pain_is_for_primary_care_or_a_neurologist(
        code: str, topic_id: str) -> None:
    words = words_of(code, topic_id)
    doctors = {"en": ["primary care doctor", "neurologist"],
               "es": ["médico de cabecera", "neurólogo"],
               "fa": ["پزشک خانواده", "متخصص مغز و اعصاب"]}[code]
    assert all(doctor in words for doctor in doctors)
    no_back_pain = {"en": "migraines, but have no back or neck pain",
                    "es": "migrañas, pero no le duele la espalda ni el cuello",
                    "fa": "میگرن دارید، اما کمر یا گردنتان درد نمی‌کند"}[code]
    assert no_back_pain in words


def test_tmj_is_the_joint_and_tmd_the_problem() -> None:
    """"TMJ" names the joint; the problem is "TMD" or "TMJ disorder", in every page."""
    joint_only = re.compile(r"(?:the tmj|\(tmj\)|tmj stands for|tmj disorder|say \"tmj\.\"|"
                            r"se llama tmj|le dice \"tmj\" al problema|pero tmj es el nombre de "
                            r"la articulación|منظور از tmj|کلمه tmj یعنی|اختلال tmj|"
                            r"می‌گویند «tmj»|اما tmj خود مفصل است)")
    for code in CODES:
        rest = joint_only.sub("", ALL_WORDS[code])
        assert "tmj" not in rest, rest[max(0, rest.find("tmj") - 80):rest.find("tmj") + 80]


@pytest.mark.parametrize("code", CODES)
def test_a_patient_in_the_waiting_room_is_sent_to_the_desk_before_the_phone(code: str) -> None:
    words = words_of(code, "see-a-specialist")
    desk = {"en": "ask at the front desk today", "es": "puede preguntar hoy en la recepción",
            "fa": "همین امروز از پذیرش بپرسید"}
    assert words.index(desk[code]) < words.index("310-828-7757")


def test_spanish_pages_speak_to_usted() -> None:
    words = set(re.findall(r"\w+", ALL_WORDS["es"]))
    assert words & {"tú", "tu", "tus", "tienes", "puedes", "eres", "estás", "quieres",
                    "haz", "dile", "avísale", "pregúntale", "llámanos"} == set()


@pytest.mark.parametrize(("code", "topic_id"), PAGES)
def test_pages_stay_easy_to_read(code: str, topic_id: str) -> None:
    reading = readability.analyse(plain_text(page_html(code, topic_id)), code)
    assert reading is not None
    if code == "en":
        assert reading.scores["Flesch-Kincaid grade"] <= 6
        assert reading.scores["SMOG"] <= 8
    elif code == "es":
        assert reading.grade is not None and reading.grade <= 6
    else:  # no validated formula: short sentences, and a named reviewer (the checker asks)
        assert reading.grade is None
        assert reading.scores["words per sentence"] <= 10
        assert reading.scores["longest sentence (words)"] <= readability.MAX_SENTENCE_WORDS


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


@pytest.mark.parametrize("code", CODES)
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
    assert all(names[code] == names["en"] for code in CONTENT.codes)
    assert set(names) >= set(CODES)


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
    """The bundled content with review lines added to some pages' front matter, in every
    language."""
    root = tmp_path / "content"
    shutil.copytree(bundled_content(), root)
    for topic_id, extra in lines.items():
        for code in CODES:
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
    for code, words in (("en", '<p class="reviewed">Reviewed by Dr. Hyun Bae · '),
                        ("es", '<p class="reviewed">Revisado por: Dr. Hyun Bae · '),
                        ("fa", '<p class="reviewed" dir="rtl">بازبینی‌شده توسط Dr. Hyun Bae · ')):
        language = content.language(code)
        topic = language.topic("jaw-and-tmj")
        assert topic is not None
        html = render_topic(topic, language, content.root).html
        assert html.rstrip().endswith("</p>") and words in html
        assert reviewed_line(topic, language) in html
    spanish = content.language("es").topic("jaw-and-tmj")
    assert spanish is not None and spanish.reviewed_on is not None
    month = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"][spanish.reviewed_on.month - 1]
    assert reviewed_line(spanish, content.language("es")).endswith(
        f"{month} de {spanish.reviewed_on.year}")
    persian = content.language("fa").topic("jaw-and-tmj")
    assert persian is not None and persian.reviewed_on is not None
    month = ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر",
             "اکتبر", "نوامبر", "دسامبر"][persian.reviewed_on.month - 1]
    year = str(persian.reviewed_on.year)
    persian_year = year.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert reviewed_line(persian, content.language("fa")).endswith(  # in either digits
        (f"{month} {year}", f"{month} {persian_year}"))
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


@pytest.mark.parametrize("code", ["en", "es"])
def test_the_self_check_reads_easily(code: str) -> None:
    """English at grade 6 or below (Flesch-Kincaid); Spanish "bastante fácil" or easier
    (INFLESZ 65 or more): every line a patient reads, each sign as a sentence."""
    check = CONTENT.language(code).selfcheck
    assert check is not None
    parts = [check.intro, *(q.text for q in check.questions),
             *(f"{s}." for q in check.questions for s in q.signs),
             *(b.message for b in check.bands), *(t.message for t in check.tiers.values()),
             check.not_diagnosis]
    reading = readability.analyse("\n\n".join(parts), code)
    assert reading is not None
    if code == "en":
        assert reading.scores["Flesch-Kincaid grade"] <= 6
    else:
        assert reading.scores["Szigriszt-Pazos (INFLESZ)"] >= 65
