"""The kiosk's one configuration file (TOML): every option declared once, checked strictly.

An unknown key or a value of the wrong type is an error that names the file, line and key.
Build the config once in ``main()`` and pass it down; nothing here runs at import time.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar, cast, overload

if TYPE_CHECKING:
    from kiosk.alert import Settings

APP_NAME = "clinic-kiosk"
CONFIG_FILE = "config.toml"


T = TypeVar("T")


@dataclass(frozen=True)
class Option(Generic[T]):
    """One option: its key, type, default and help. Read on an ``Options`` it gives the value,
    typed: ``config.options.idle_timeout`` is an int."""

    key: str  # dotted: "clinic.phone" is key "phone" in table [clinic]
    kind: type[T] | tuple[type, ...]
    default: T
    help: str
    low: int | None = None  # smallest allowed whole number
    high: int | None = None
    # What else is wrong with a value of the right type (words after the key), None if fine.
    problem: Callable[[Any], str | None] | None = None

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> Option[T]: ...
    @overload
    def __get__(self, obj: Options, owner: type | None = None) -> T: ...
    def __get__(self, obj: Options | None, owner: type | None = None) -> Option[T] | T:
        if obj is None:
            return self
        return cast(T, obj.values[self.key])


def _phone_problem(value: str) -> str | None:
    from kiosk.phone import problem  # only when a config file names a phone

    return problem(value)


def _alert_url_problem(value: str) -> str | None:
    from kiosk.alert import url_problem  # only when a config names an alert address

    return url_problem(value)


def _alert_format_problem(value: str) -> str | None:
    return None if value in ("json", "text") else "must be \"json\" or \"text\" (ntfy)"


def _keys_problem(value: str) -> str | None:
    if not value:
        return None  # the action's own keys
    from kiosk.keypad import key_problem  # only when a config names keypad keys

    return key_problem(value)


def _metrics_problem(value: str) -> str | None:
    if value in ("", "off") or value.endswith(".prom"):
        return None
    return ("must end in .prom (node_exporter's textfile collector reads only those), or be "
            "\"off\"")


class Options:
    """Every option of the config file, declared once. An attribute is the option's key with
    '_' for '.': ``options.clinic_phone`` is ``[clinic] phone``."""

    def __init__(self, values: Mapping[str, Any] | None = None) -> None:
        self.values: Mapping[str, Any] = values if values is not None else defaults()

    content = Option("content", str, "", "Content folder. Empty: the content bundled with "
                     "the kiosk. A relative path is read from the config file's folder.")
    content_store = Option("content_store", str, "", "Folder for content staff import (from "
                           "a USB stick, or 'kiosk import'): each imported version, and the "
                           "ones 'undo' goes back to. While it holds an imported version, "
                           "patients see that instead of 'content'. Empty: a folder for each "
                           "content folder in the platform's data folder (on Linux "
                           "~/.local/share/clinic-kiosk/content-versions/).")
    usb_folders = Option("usb_folders", str, "", "Where USB sticks appear when plugged in "
                         "(the staff panel's import and export look there), several separated "
                         "by ':'; a folder holding clinic-kiosk-content itself (a network "
                         "share) works too. Empty: /media/USER and /run/media/USER, where "
                         "udisks2 mounts sticks.")
    fullscreen = Option("fullscreen", bool, True, "Run full-screen (true) or in a window "
                        "(false).")
    language = Option("language", str, "en", "Language the kiosk starts in and returns to at "
                      "every reset.")
    idle_timeout = Option("idle_timeout", int, 90, "Seconds without a touch before the kiosk "
                          "asks \"Are you still there?\".", 1, 86400)
    end_timeout = Option("end_timeout", int, 45, "The same, on the self-check result and the "
                         "call panel.", 1, 86400)
    idle_countdown = Option("idle_countdown", int, 15, "Seconds the \"Are you still there?\" "
                            "question waits before starting over for the next patient.", 1, 600)
    screen_width_mm = Option("screen_width_mm", int, 0, "The width of the panel's picture "
                             "in millimetres (the Raspberry Pi 7-inch display: 154). 0: what "
                             "the screen reports. With it known, the smallest text size is "
                             "raised to 4.8 mm capitals where the screen holds that; the staff "
                             "panel and the log say how tall the letters are.", 0, 5000)
    hide_cursor = Option("hide_cursor", bool, True, "Hide the mouse pointer when full-screen "
                         "(set false for kiosks with a mouse).")
    speech = Option("speech", bool, True, "Offer \"Listen\" on pages when a speech engine with "
                    "a voice for the page's language is installed (the speech extra: from the "
                    "kiosk's folder, .venv/bin/pip install '.[speech]').")
    speech_engine = Option("speech_engine", str, "", "Which speech engine to use: "
                           "\"speechd\" (speech-dispatcher), or a QtTextToSpeech engine "
                           "(sapi, winrt, flite...). Empty: speech-dispatcher on Linux where "
                           "it is installed, else the first QtTextToSpeech engine that works.")
    speech_voice: Option[str | dict[str, str]] = Option(
        "speech_voice", (str, dict), "", "Read-aloud voice: a voice name or a locale such as "
        "\"es_MX\", or a table by language code (en = \"en_GB\", es = \"es_MX\"). Empty: en_US "
        "and US or Latin American Spanish when the engine has them.")
    headphone_jack = Option("headphone_jack", str, "auto", "Headphones plugged in switch the "
                            "keypad path's speech on, and pulled out stop it: \"auto\" "
                            "watches the first sound card that reports its jack (most PC "
                            "codecs do; the Raspberry Pi's jack does not), \"off\" none, or "
                            "a device path such as /dev/input/by-path/...-event.")
    watch_content = Option("watch_content", bool, True, "Reload the content by itself when a "
                           "file changes.")
    staff_pin_hash = Option("staff_pin_hash", str, "", "Salted hash of the staff PIN; write it "
                            "with 'kiosk set-pin'. Empty: no staff panel when full-screen.")
    record_usage = Option("record_usage", bool, True, "Keep privacy-safe usage counts (screens "
                          "shown, never answers) for 'kiosk stats'.")
    usage_write_minutes = Option("usage_write_minutes", int, 30, "Minutes the usage counts "
                                 "gather in memory before they are written (each write is "
                                 "about 24 KiB on the card: at 30, a busy day writes well "
                                 "under 1 MB). A power cut loses at most this many minutes of "
                                 "counts; a clean stop loses none.", 1, 1440)
    usage_retention_days = Option("usage_retention_days", int, 365, "Days of usage counts to "
                                  "keep.", 1, 3650)
    pin_attempts = Option("pin_attempts", int, 5, "Wrong PINs in a row before the PIN pad "
                          "locks.", 1, 100)
    pin_lockout_minutes = Option("pin_lockout_minutes", int, 5, "How long the PIN pad stays "
                                 "locked the first time; each lockout after that lasts twice "
                                 "as long as the one before (up to a day).", 1, 1440)
    review_months = Option("review_months", int, 12, "A page not reviewed by a clinician "
                           "within this many months is listed by 'kiosk check' and on the "
                           "staff panel.", 1, 120)
    clinic_name = Option("clinic.name", str, "The Spine Institute", "Clinic name, on the home "
                         "screen and the call panel.")
    clinic_doctor = Option("clinic.doctor", str, "Hyun Bae", "Doctor named on the call "
                           "panel, without a title: each language's labels put theirs before "
                           "it (call.doctor_title: Dr., Dra.). Empty: none.")
    clinic_phone = Option("clinic.phone", str, "310-828-7757", "Phone number patients call to "
                          "schedule, shown as written: a US number with its area code, or + "
                          "and the country code; an extension as 'ext. 12'. Digits only, no "
                          "letters.", problem=_phone_problem)
    clinic_hours: Option[str | dict[str, str]] = Option(
        "clinic.hours", (str, dict), "", "Opening hours on the call panel: text, or a table of "
        "text by language code (en = \"...\", es = \"...\"). Empty: a general line.")
    kiosk_id = Option("kiosk_id", str, "", "This kiosk's name in usage exports ('kiosk "
                      "stats --export'), to merge many kiosks' counts. Empty: the computer's "
                      "host name.")
    metrics_file = Option("metrics_file", str, "", "Where the kiosk writes its Prometheus "
                          "metrics for node_exporter's textfile collector (a .prom file). "
                          "Empty: /var/lib/prometheus/node-exporter/clinic_kiosk.prom when "
                          "that folder exists, else none; \"off\": none.",
                          problem=_metrics_problem)
    alert_url = Option("alert.url", str, "", "Where the kiosk tells the front desk that a "
                       "patient's self-check ended at a danger sign: an http(s) address on "
                       "the clinic's own network (a Home Assistant webhook, an ntfy topic, a "
                       "small receiver). Empty: no alerts, and no network use at all.",
                       problem=_alert_url_problem)
    alert_token_file = Option("alert.token_file", str, "", "A file holding a bearer token "
                              "for the alert address, readable only by the kiosk's user "
                              "(chmod 600). Empty: no token.")
    alert_kiosk_name = Option("alert.kiosk_name", str, "", "This kiosk's name in an alert. "
                              "Empty: the computer's host name.")
    alert_place = Option("alert.place", str, "", "Where this kiosk stands, in an alert "
                         "(\"Waiting room, by the window\").")
    alert_retry_minutes = Option("alert.retry_minutes", int, 10, "How long an alert that "
                                 "was not delivered is tried again, with growing waits, "
                                 "before it counts as failed on the staff panel.", 1, 1440)
    alert_format = Option("alert.format", str, "json", "\"json\" (Home Assistant webhooks, "
                          "most receivers) or \"text\" (ntfy's publish API).",
                          problem=_alert_format_problem)


def _add_keypad_options() -> None:
    """One option for each keypad action, from the key map's own table (kiosk.keypad), so
    the actions, their words and their default keys are written once."""
    from kiosk import keypad  # plain Python, no Qt

    for action, (what, keys) in keypad.ACTIONS.items():
        setattr(Options, f"keypad_{action}", Option(
            f"keypad.{action}", str, "", f"Keypad keys that {what}: Qt's key names, comma "
            f"between. Empty: {', '.join(keys)}.", problem=_keys_problem))


_add_keypad_options()

OPTIONS: tuple[Option[Any], ...] = tuple(v for v in vars(Options).values()
                                         if isinstance(v, Option))


def defaults() -> dict[str, Any]:
    """Every option's default, by key."""
    return {o.key: o.default for o in OPTIONS}


_BY_KEY = {o.key: o for o in OPTIONS}
_TYPE_WORDS = {str: "text in quotes", bool: "true or false", int: "a whole number",
               dict: "a table"}


class ConfigError(Exception):
    """The config file is wrong; ``problems`` are ``path:line: message`` lines.

    ``config`` is what the file says where it is right (the defaults where it is wrong), and
    ``wrong`` the keys it is wrong about (a misspelt key counts for the key it most likely
    meant); both are None when the file could not be read at all."""

    def __init__(self, problems: list[str], config: Config | None = None,
                 wrong: frozenset[str] | None = None) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.config = config
        self.wrong = wrong

    def is_wrong(self, key: str) -> bool:
        """Whether the file is wrong about ``key`` (or could not be read at all)."""
        return self.wrong is None or key in self.wrong


class Clinic(NamedTuple):  # (cheaper to make than a dataclass: issue 24)
    """The clinic the kiosk is in: its name, phone number and doctor, from the config."""

    name: str
    doctor: str
    phone: str
    hours: Mapping[str, str] | str = ""

    def hours_for(self, language: str, default_language: str = "en") -> str:
        if isinstance(self.hours, str):
            return self.hours
        return self.hours.get(language) or self.hours.get(default_language, "")

    @property
    def tel_uri(self) -> str:
        """What a phone dials: ``tel:+13108287757`` (``;ext=12``). Raises ValueError for a
        number a phone cannot dial (a config's is checked when it is read)."""
        from kiosk.phone import tel_uri

        return tel_uri(self.phone)


@dataclass(frozen=True)
class Config:
    """The whole configuration: the config file's values, checked, and where they came from."""

    content_dir: Path
    fullscreen: bool
    language: str
    clinic: Clinic
    source: Path | None = None
    values: Mapping[str, Any] = field(default_factory=defaults)
    # False when a folder was named on the command line (preview, shots, --content): that
    # folder is shown as it is, whatever staff imported.
    use_store: bool = True

    @property
    def store_dir(self) -> Path:
        """Where imported content versions are kept (kiosk/store.py)."""
        named = str(self.values.get("content_store") or "")
        if not named:  # one store for each installed folder: imports are made over it
            from kiosk.digests import sha256
            from kiosk.store import default_store

            folder = self.content_dir.expanduser().absolute()
            key = sha256(str(folder).encode("utf-8", "surrogateescape")).hexdigest()
            return default_store() / f"{folder.name or 'content'}-{key[:10]}"
        return beside(self.source, named)

    def alert_settings(self) -> Settings | None:
        """The front-desk alert (kiosk/alert.py), or None when no address is configured."""
        o = self.options
        if not o.alert_url:
            return None
        import socket

        from kiosk.alert import Settings

        token = o.alert_token_file
        return Settings(o.alert_url, o.alert_kiosk_name or socket.gethostname(),
                        o.alert_place, str(beside(self.source, token)) if token else "",
                        60.0 * o.alert_retry_minutes, o.alert_format)

    @property
    def kiosk_id(self) -> str:
        import socket

        return self.options.kiosk_id or socket.gethostname()

    def metrics_path(self) -> Path | None:
        """The metrics file (kiosk/metrics.py), or None for none."""
        named = self.options.metrics_file
        if named == "off":
            return None
        if not named:
            from kiosk.metrics import default_path

            return default_path()
        return beside(self.source, named)

    @property
    def stick_roots(self) -> list[Path]:
        """Folders where USB sticks appear (kiosk/transfer.py)."""
        named = str(self.values.get("usb_folders") or "")
        if not named:
            from kiosk.transfer import default_stick_roots

            return default_stick_roots()
        return [Path(p).expanduser() for p in named.split(os.pathsep) if p]

    def live_content(self) -> Path:
        """The folder patients see: the latest imported version, else ``content_dir``."""
        if not self.use_store:
            return self.content_dir
        from kiosk.store import Store

        return Store(self.store_dir).live(self.content_dir)

    def keys(self) -> dict[str, str]:
        """Keypad key name -> action (kiosk.keypad), the config's choices over the defaults."""
        from kiosk import keypad

        return keypad.key_map({action: str(self.values.get(f"keypad.{action}", ""))
                               for action in keypad.ACTIONS})

    def __getitem__(self, key: str) -> Any:
        """Any declared option by its key, e.g. ``config["idle_timeout"]`` (untyped; prefer
        ``config.options.idle_timeout``)."""
        return self.values[key]

    @property
    def options(self) -> Options:
        """Every option, typed: ``config.options.idle_timeout`` is an int."""
        return Options(self.values)


def bundled_content() -> Path:
    """The default content shipped inside the package."""
    return Path(__file__).resolve().parent / "content"  # package data, installed beside it


def default_config_path() -> Path:
    """Where the config is looked for when none is named: the platform's config folder."""
    import platformdirs  # only when no config file is named

    return platformdirs.user_config_path(APP_NAME, appauthor=False) / CONFIG_FILE


def _flatten(table: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in table.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict) and dotted not in _BY_KEY:
            out.update(_flatten(value, dotted + "."))
        else:
            out[dotted] = value
    return out


_BARE = r"[A-Za-z0-9_-]+"
_PART = rf"(?:\"[^\"]*\"|'[^']*'|{_BARE})"


@cache
def _line_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """A table header, a key, an inline table's key: compiled when a config has a problem to
    place, not at every start (about 4 M CPU instructions, issue 24)."""
    return (re.compile(rf"^\s*\[\[?\s*({_PART}(?:\s*\.\s*{_PART})*)\s*\]\]?\s*(?:#.*)?$"),
            re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=(.*)$"),
            re.compile(rf"[{{,]\s*({_PART})\s*="))


def _parts(dotted: str) -> list[str]:
    return [a or b or c for a, b, c in re.findall(rf"\"([^\"]*)\"|'([^']*)'|({_BARE})", dotted)]


def _key_lines(text: str) -> dict[str, int]:
    """The line each key (dotted, with its table) is first written on; tomllib does not say."""
    header_line, key_line, inline_key = _line_patterns()
    found: dict[str, int] = {}
    table: list[str] = []
    in_string = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if in_string:  # inside a multi-line string: no keys here
            if line.count(in_string) % 2 == 1:
                in_string = ""
            continue
        header = header_line.match(line)
        if header:
            table = _parts(header[1])
            found.setdefault(".".join(table), number)
            continue
        key = key_line.match(line)
        if not key:
            continue
        full = table + _parts(key[1])
        found.setdefault(".".join(full), number)
        rest = key[2]
        for inner in inline_key.finditer(rest):  # hours = { en = "...", es = "..." }
            found.setdefault(".".join(full + _parts(inner[1])), number)
        for quotes in ('"""', "'''"):
            if rest.count(quotes) % 2 == 1:
                in_string = quotes
    return found


def _line_of(text: str, dotted: str) -> int:
    """The line a key is written on; else the line of its nearest table; else 1."""
    lines = _key_lines(text)
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        line = lines.get(".".join(parts[:end]))
        if line is not None:
            return line
    return 1


def _check(key: str, value: Any) -> tuple[str, str] | None:
    """What is wrong with a value, and the key (maybe a sub-key) it is wrong at."""
    option = _BY_KEY[key]
    kinds = option.kind if isinstance(option.kind, tuple) else (option.kind,)
    if isinstance(value, bool) and bool not in kinds:
        ok = False
    else:
        ok = isinstance(value, kinds)
    if ok and isinstance(value, dict):
        bad = [k for k, v in value.items() if not isinstance(v, str)]
        if bad:
            return f"'{key}.{bad[0]}' must be text in quotes", f"{key}.{bad[0]}"
    if ok and isinstance(value, int) and not isinstance(value, bool):
        if option.low is not None and value < option.low:
            return f"'{key}' must be at least {option.low}, not {value}", key
        if option.high is not None and value > option.high:
            return f"'{key}' must be at most {option.high}, not {value}", key
    if ok and option.problem is not None:
        why = option.problem(value)
        if why:
            return f"'{key}' {why}", key
    if ok:
        return None
    want = " or ".join(_TYPE_WORDS[k] for k in kinds)
    return f"'{key}' must be {want}, not {value!r}", key


def _decode(source: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError([f"{source}:{line}: not UTF-8 text: this line has a character "
                           "that is not UTF-8; save the file as UTF-8 in your editor (in "
                           "Notepad: Save as, Encoding: UTF-8)"]) from None


def load_config(path: Path | str | None = None) -> Config:
    """Read the config file (or the defaults). Raises ConfigError naming file, line and key."""
    values = {o.key: o.default for o in OPTIONS}
    source: Path | None = None
    if path is None and default_config_path().is_file():
        path = default_config_path()
    if path is not None:
        source = Path(path)
        try:
            text = _decode(source, source.read_bytes())
        except OSError as exc:
            raise ConfigError([f"{source}:1: the config file cannot be read: "
                               f"{exc.strerror or exc}"]) from exc
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line = getattr(exc, "lineno", None) or _lineno_from_message(str(exc))
            raise ConfigError([f"{source}:{line}: this is not valid TOML: {exc}"]) from exc
        problems = []
        wrong: set[str] = set()
        meant: set[str] = set()
        written = _flatten(data)
        for key, value in written.items():
            if key not in _BY_KEY:
                import difflib  # only when there is a mistake to suggest a fix for

                close = difflib.get_close_matches(key, list(_BY_KEY), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(f"{source}:{_line_of(text, key)}: unknown key '{key}'{hint}")
                wrong.add(key)
                meant.update(close)
                last = key.rpartition(".")[2]  # '[paths] content = ...' meant 'content'
                if last in _BY_KEY:
                    meant.add(last)
                continue
            mistake = _check(key, value)
            if mistake:
                message, where = mistake
                problems.append(f"{source}:{_line_of(text, where)}: {message}")
                wrong.add(key)
            else:
                values[key] = value
        if problems:
            # A misspelt key ('contents = ...') counts as wrong for the key it likely meant.
            wrong |= meant - set(written)
            raise ConfigError(problems, _config(values, source), frozenset(wrong))
    return _config(values, source)


def beside(source: Path | None, named: str) -> Path:
    """A path from the config: ``~`` expanded, and a relative one read from the config
    file's folder (as it is written there)."""
    path = Path(named).expanduser()
    if not path.is_absolute() and source is not None:
        path = source.parent / path
    return path


def _config(values: dict[str, Any], source: Path | None) -> Config:
    content = str(values["content"]).strip()
    content_dir = beside(source, content) if content else bundled_content()
    clinic = Clinic(values["clinic.name"], values["clinic.doctor"], values["clinic.phone"],
                    values["clinic.hours"])
    return Config(content_dir, bool(values["fullscreen"]), str(values["language"]), clinic,
                  source, values)


def _lineno_from_message(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 1


def example_config() -> str:
    """A commented config file with every option at its default, for the README and IT."""
    lines = ["# Clinic kiosk configuration", ""]
    tables: dict[str, list[Option[Any]]] = {}
    for option in OPTIONS:
        table = option.key.rpartition(".")[0]
        tables.setdefault(table, []).append(option)
    for table, options in tables.items():
        if table:
            lines += ["", f"[{table}]"]
        for option in options:
            lines.append(f"# {option.help}")
            value = option.default
            if isinstance(value, bool):
                shown = "true" if value else "false"
            elif isinstance(value, int):
                shown = str(value)
            else:
                shown = '"' + str(value) + '"'
            lines.append(f"{option.key.rpartition('.')[2]} = {shown}")
    return "\n".join(lines) + "\n"


def set_value(path: Path, key: str, value: str) -> None:
    """Write one top-level text option into a config file, keeping everything else as it is."""
    text = _decode(path, path.read_bytes()) if path.exists() else ""
    line = f'{key} = "{value}"'
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=.*$", re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(line.replace("\\", "\\\\"), text, count=1)
    else:
        table = re.search(r"^\s*\[", text, re.MULTILINE)
        at = table.start() if table else len(text)
        before = text[:at]
        if before and not before.endswith("\n"):
            before += "\n"
        text = before + line + "\n" + ("\n" if table else "") + text[at:]
    owner = None
    mode = 0o640  # it holds the PIN's hash: not for everyone to read
    if path.exists():  # keep the file's owner (it may be root:kiosk), never a wider mode
        st = path.stat()
        mode = stat.S_IMODE(st.st_mode) & 0o640
        owner = (st.st_uid, st.st_gid)
    from kiosk.durable import write_private  # synced, renamed, folder synced

    write_private(path, text, mode, owner)
