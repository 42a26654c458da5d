"""The clinic's phone number: what the QR code dials, and the numbers a phone cannot dial."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.config import Clinic, ConfigError, load_config
from kiosk.phone import PhoneError, tel_uri
from kiosk.qr import matrix
from kiosk.qr import tel_uri as qr_tel_uri


@pytest.mark.parametrize(("written", "dialled"), [
    ("310-828-7757", "tel:+13108287757"),
    ("(310) 828-7757", "tel:+13108287757"),
    ("310.828.7757", "tel:+13108287757"),
    ("1-310-828-7757", "tel:+13108287757"),
    ("+1 310 828 7757", "tel:+13108287757"),
    ("310-828-7757 ext. 12", "tel:+13108287757;ext=12"),
    ("310-828-7757 x12", "tel:+13108287757;ext=12"),
    ("310-828-7757, Extension 1234", "tel:+13108287757;ext=1234"),
    ("+44 20 7946 0000", "tel:+442079460000"),
    ("+52 55 1234 5678", "tel:+525512345678"),
    ("\u2066310-828-7757\u2069", "tel:+13108287757"),  # isolated for a right-to-left page
    ("\uff13\uff11\uff10-\uff18\uff12\uff18-\uff17\uff17\uff15\uff17", "tel:+13108287757"),
])
def test_a_written_number_becomes_what_a_phone_dials(written: str, dialled: str) -> None:
    assert tel_uri(written) == dialled


@pytest.mark.parametrize(("written", "words"), [
    # A vanity number: the QR code once dialled tel:310828, the letters silently dropped.
    ("310-828-PAIN", "has letters ('PAIN')"),
    ("310-828-775O", "has letters ('O')"),  # a letter O typed for a zero
    ("", "is empty"),
    ("   ", "is empty"),
    ("555-0100", "has 7 digits"),  # no area code
    ("310-828-77570", "has 11 digits"),
    ("+1 310 828 775", "has 9 digits after the +1"),
    ("+0044 20 7946 0000", "a country code never starts with 0"),
    ("+1234567890123456", "has 16 digits after the +"),
    ("110-828-7757", "area code starting with 1"),
    ("310-028-7757", "has 0 as the first digit after the area code"),
    ("tel:310-828-7757", "has 't'"),
    ("310*828*7757", "has '*'"),
])
def test_a_number_a_phone_cannot_dial_is_refused_in_words(written: str, words: str) -> None:
    with pytest.raises(PhoneError) as caught:
        tel_uri(written)
    assert words in str(caught.value)


def test_a_vanity_number_is_refused_with_its_digits_as_the_fix() -> None:
    with pytest.raises(PhoneError, match=r"on a keypad, '310-828-PAIN' is '310-828-7246'"):
        tel_uri("310-828-PAIN")


@pytest.mark.parametrize(("phone", "message"), [
    ("310-828-PAIN", "'clinic.phone' has letters ('PAIN')"),
    ("", "'clinic.phone' is empty"),  # the call panel is always offered: it needs a number
    ("555-0100", "'clinic.phone' has 7 digits"),
])
def test_the_config_refuses_it_naming_file_line_and_key(
        config_file: Callable[[str], Path], phone: str, message: str) -> None:
    path = config_file(f'language = "en"\n\n[clinic]\nname = "x"\nphone = "{phone}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(f"{path}:5: {message}"), caught.value.problems
    assert caught.value.wrong == frozenset({"clinic.phone"})


def test_an_extension_is_dialled_and_the_number_shown_as_written(
        config_file: Callable[[str], Path]) -> None:
    config = load_config(config_file('[clinic]\nphone = "310-828-7757 ext. 12"\n'))
    assert config.clinic.phone == "310-828-7757 ext. 12"  # what patients read
    assert qr_tel_uri(config.clinic) == "tel:+13108287757;ext=12"  # what the QR code dials
    assert matrix(qr_tel_uri(config.clinic))  # segno takes it


def test_the_bundled_number_dials_with_its_country_code() -> None:
    assert qr_tel_uri(load_config().clinic) == "tel:+13108287757"
    with pytest.raises(ValueError, match="has letters"):  # a Clinic made in code, unchecked
        qr_tel_uri(Clinic("x", "", "310-828-PAIN"))
