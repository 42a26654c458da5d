"""Command line: ``kiosk`` runs the kiosk; ``kiosk check`` and ``kiosk shots`` help staff."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from kiosk import __version__
from kiosk.config import Config, ConfigError, Options, bundled_content, load_config
from kiosk.logsetup import setup_logging


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size like 800x480") from None
    if not (200 <= w <= 8000 and 200 <= h <= 8000):
        raise argparse.ArgumentTypeError(f"'{text}' is not a screen size")
    return w, h


_RUN_VALUES = ("--content", "--config")  # the plain run's options that take a value


def plain_run(argv: Sequence[str]) -> bool:
    """Whether ``argv`` only starts the kiosk (``kiosk [--config F] [--content D]
    [--windowed]``), as its service does at every boot: then the parser is made without
    its eleven commands, whose arguments cost a start about 25 M CPU instructions."""
    i = 0
    while i < len(argv):
        word = argv[i]
        if word in _RUN_VALUES and i + 1 < len(argv):
            i += 2
        elif word == "--windowed" or word.startswith(tuple(f"{v}=" for v in _RUN_VALUES)):
            i += 1
        else:
            return False
    return True


def parser(commands: bool = True) -> argparse.ArgumentParser:
    """The command line; ``commands=False``: the plain run's options alone (plain_run)."""
    p = argparse.ArgumentParser(prog="kiosk", description="A touch-screen patient-education "
                                "kiosk for clinic waiting rooms.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--content", type=Path, help="content folder (default: the bundled one, "
                   "or the config's 'content')")
    p.add_argument("--config", type=Path, help="config file (TOML)")
    p.add_argument("--windowed", action="store_true", help="run in a window, not full-screen")
    if not commands:
        p.set_defaults(command=None)
        return p
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    c = sub.add_parser("check", help="check a content folder and print every problem")
    c.add_argument("folder", nargs="?", type=Path, help="content folder (default: bundled)")
    c.add_argument("--language", help="default language code (default: the config's "
                   "'language', en)")
    c.add_argument("--max-grade", type=float, default=8.0,
                   help="warn when a page reads above this school grade (default: 8)")
    c.add_argument("--review-months", type=int, metavar="N",
                   help="warn for a page a clinician has not reviewed in N months (default: "
                   "the config's review_months, 12)")
    c.add_argument("--format", choices=["text", "json"], default="text",
                   help="text lines (default) or one JSON object for scripts")
    s = sub.add_parser("shots", help="render every screen to PNG files, without a display")
    s.add_argument("outdir", type=Path)
    s.add_argument("--size", type=_size, default=(1920, 1080), help="WxH (default 1920x1080)")
    s.add_argument("--content", dest="shots_content", type=Path, help="content folder")
    s.add_argument("--config", dest="shots_config", type=Path, help="config file (TOML)")
    s.add_argument("--text-size", choices=["normal", "larger", "largest"], default="normal",
                   help="the patient's text size to render with")
    s.add_argument("--high-contrast", action="store_true", help="render the high-contrast theme")
    pv = sub.add_parser("preview", help="a desktop window showing content as patients see "
                        "it, updating on every save, with problems in a banner")
    pv.add_argument("folder", nargs="?", type=Path, help="content folder (default: bundled)")
    st = sub.add_parser("stats", help="usage counts: most-read topics, self-check "
                        "completion, call panel views (never anything a patient answered)")
    st.add_argument("--since", type=int, metavar="DAYS", help="only the last DAYS days")
    st.add_argument("--csv", action="store_true", help="CSV for a spreadsheet")
    st.add_argument("--database", type=Path, help="usage database (default: the platform's "
                    "data folder)")
    st.add_argument("--wait", type=float, default=5.0, metavar="SECONDS",
                    help="how long to wait for a lock another program holds (default 5)")
    st.add_argument("--export", dest="export_csv", type=Path, metavar="FILE.csv",
                    help="write the per-day counts with this kiosk's id (kiosk_id), small "
                    "self-check result counts suppressed, to merge with other kiosks'")
    st.add_argument("--merge", nargs="+", type=Path, metavar="EXPORT.csv",
                    help="merge exports from many kiosks (the same export twice counts once)")
    st.add_argument("-o", "--output", dest="stats_output", type=Path, metavar="FILE.csv",
                    help="where --merge writes (default: standard output)")
    st.add_argument("--config", dest="stats_config", type=Path, help="config file (TOML)")
    cf = sub.add_parser("config", help="print an example config file with every option, "
                        "or check one (--check FILE)")
    cf.add_argument("--check", dest="check_config", type=Path, metavar="FILE",
                    help="check a config file as the kiosk reads it: every problem as "
                    "file:line: message, exit 2 if there is one (Ansible's validate uses it)")
    ex = sub.add_parser("export", help="copy the live content to a folder (a USB stick) as "
                        "clinic-kiosk-content/, with a SHA256SUMS list written last")
    ex.add_argument("destination", type=Path, help="the folder to write into (the stick)")
    ex.add_argument("--config", dest="transfer_config", type=Path, help="config file (TOML)")
    im = sub.add_parser("import", help="check content from a folder (a USB stick) against the "
                        "live content; --apply to show it to patients, --undo to go back")
    im.add_argument("source", nargs="?", type=Path, help="the stick, or its "
                    "clinic-kiosk-content folder")
    im.add_argument("--apply", action="store_true", help="apply it if it has no errors")
    im.add_argument("--undo", action="store_true", help="go back to the content before the "
                    "last import")
    im.add_argument("--config", dest="transfer_config", type=Path, help="config file (TOML)")
    pf = sub.add_parser("proof", help="a PDF of every page and the self-check, as patients "
                        "see them, for a clinician to read and sign")
    pf.add_argument("folder", nargs="?", type=Path, help="content folder (default: what "
                    "patients see now)")
    pf.add_argument("-o", "--output", type=Path, default=Path("proof.pdf"),
                    help="the PDF to write (default: proof.pdf)")
    pf.add_argument("--since", type=Path, metavar="FOLDER", help="an earlier content folder: "
                    "pages that differ are marked changed (default: the version before the "
                    "last import, if any)")
    pf.add_argument("--config", dest="transfer_config", type=Path, help="config file (TOML)")
    rp = sub.add_parser("report", help="usage charts with their numbers: one HTML file (or "
                        "PDF) from this kiosk's counts or from merged exports")
    rp.add_argument("exports", nargs="*", type=Path, metavar="EXPORT.csv",
                    help="exports to report on (default: this kiosk's own counts)")
    rp.add_argument("-o", "--output", dest="report_output", type=Path, required=True,
                    help="report.html or report.pdf")
    rp.add_argument("--database", dest="report_database", type=Path,
                    help="usage database (default: the platform's data folder)")
    rp.add_argument("--config", dest="report_config", type=Path, help="config file (TOML)")
    al = sub.add_parser("alert", help="the front-desk alert: --test sends a test alert to "
                        "the config's [alert] url")
    al.add_argument("--test", action="store_true", help="send one test alert now")
    al.add_argument("--config", dest="transfer_config", type=Path, help="config file (TOML)")
    sp = sub.add_parser("set-pin", help="set the staff PIN (stored as a salted hash)")
    sp.add_argument("--config", dest="pin_config", type=Path,
                    help="config file to write (default: the platform's config folder)")
    sp.add_argument("--pin-stdin", action="store_true",
                    help="read the PIN from standard input instead of asking twice")
    return p


def cmd_set_pin(path: Path | None, from_stdin: bool) -> int:
    import getpass

    from kiosk.config import default_config_path, set_value
    from kiosk.pin import MAX_LENGTH, MIN_LENGTH, hash_pin

    target = path or default_config_path()
    if from_stdin:
        pin = sys.stdin.readline().strip()
    else:
        pin = getpass.getpass(f"New staff PIN ({MIN_LENGTH}-{MAX_LENGTH} digits): ").strip()
        if getpass.getpass("The same PIN again: ").strip() != pin:
            print("The two PINs differ; nothing was changed.", file=sys.stderr)
            return 1
    try:
        stored = hash_pin(pin)
    except ValueError as exc:
        print(f"{exc}; nothing was changed.", file=sys.stderr)
        return 1
    try:
        set_value(target, "staff_pin_hash", stored)
    except ConfigError as exc:
        print("\n".join(exc.problems) + "\nNothing was changed.", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{target}: cannot be written: {exc.strerror or exc}; nothing was changed.",
              file=sys.stderr)
        return 1
    try:
        load_config(target)
    except ConfigError as exc:
        print(f"The staff PIN is set in {target}, but the config has errors; the kiosk does "
              "not start until they are fixed:\n" + "\n".join(exc.problems), file=sys.stderr)
        return 1
    print(f"The staff PIN is set in {target}. Restart the kiosk to use it.")
    return 0


def main_check(args: argparse.Namespace) -> int:
    """``kiosk check``: the folder named on the command line, else the one the config names.

    A config with errors is reported first and makes the exit status 2 (the kiosk would not
    start with it); the folder it names is still checked, unless its 'content' key is the
    one that is wrong: then nothing is checked (the bundled pages are never checked in its
    place)."""
    config: Config | None
    try:
        config, config_problems, error = load_config(args.config), [], None
    except ConfigError as exc:
        config, config_problems, error = exc.config, exc.problems, exc
    folder = args.folder or args.content
    if folder is None:
        if config is None or (error is not None and error.is_wrong("content")):
            why = "the config cannot be read" if config is None else \
                "the config's 'content' is wrong or misspelt"
            return _refuse_check(config_problems, why, args.format)
        folder = config.content_dir

    # Where the config is wrong, its defaults (ConfigError.config has them there).
    options = config.options if config is not None else Options()
    language = args.language or options.language
    months = args.review_months if args.review_months is not None else options.review_months
    return cmd_check(folder, language, args.max_grade, args.format, months, config_problems)


def _refuse_check(config_problems: Sequence[str], why: str, fmt: str) -> int:
    if fmt == "json":
        import json

        print(json.dumps({"folder": None, "ok": False, "errors": len(config_problems),
                          "warnings": 0, "languages": [], "topics": 0,
                          "topics_by_language": {}, "config_problems": list(config_problems),
                          "problems": []}, indent=2, ensure_ascii=False))
    else:
        for line in config_problems:
            print(line)
    print(f"kiosk check: nothing was checked: {why} (see above), so the folder to check is "
          "not known; fix the config, or name the folder: kiosk check FOLDER", file=sys.stderr)
    return 2


def cmd_check(folder: Path | None, language: str, max_grade: float = 8.0,
              fmt: str = "text", review_months: int = 12,
              config_problems: Sequence[str] = ()) -> int:
    """Check a content folder and print every problem; exit status 0 (at most warnings),
    1 (errors in the content), 2 (errors in the config: listed first)."""
    import json

    from kiosk.checker import check_folder, topic_counts

    root = folder or bundled_content()
    loaded, problems = check_folder(root, language, max_grade, review_months)
    errors = sum(p.is_error for p in problems)
    bad_config = 2 if config_problems else 0
    if fmt == "json":
        content = loaded.content
        print(json.dumps({
            "folder": str(root),
            "ok": errors == 0 and content is not None and not config_problems,
            "errors": errors + len(config_problems),
            "warnings": len(problems) - errors,
            "languages": content.codes if content else [],
            "topics": sum(len(lang.topics) for lang in content.languages.values())
            if content else 0,
            "topics_by_language": {code: len(content.languages[code].topics)
                                   for code in content.codes} if content else {},
            "config_problems": list(config_problems),
            "problems": [p.as_dict() for p in problems],
        }, indent=2, ensure_ascii=False))
        return bad_config or (0 if errors == 0 and content is not None else 1)
    for line in config_problems:
        print(line)
    for problem in problems:
        print(problem)
    warnings = len(problems) - errors
    if loaded.content is not None:
        from kiosk.selfcheck import describe

        for code in loaded.content.codes:  # what each self-check does, in its asking order
            check = loaded.content.languages[code].selfcheck
            if check is not None:
                print(f"{check.path}: {describe(check)}", file=sys.stderr)
        summary = f"{root}: {topic_counts(loaded.content)}; {errors} error(s), " \
                  f"{warnings} warning(s)"
    else:
        summary = f"{root}: nothing the kiosk can show; {errors} error(s), {warnings} warning(s)"
        errors = max(errors, 1)
    if config_problems:
        summary += f"; and {len(config_problems)} error(s) in the config (listed first): " \
                   "the kiosk does not start until they are fixed"
    print(summary, file=sys.stderr)
    return bad_config or (1 if errors else 0)


def cmd_export(config: Config, destination: Path) -> int:
    from kiosk.transfer import export

    live = config.live_content()
    try:
        done = export(live, destination)
    except OSError as exc:
        print(f"{destination}: the content could not be copied ({exc}); copy it again",
              file=sys.stderr)
        return 1
    print(f"{done.folder}: {done.files} files ({done.size:,} bytes) from {live}, with their "
          "SHA256SUMS list; edit the pages there, then import the folder on the kiosk")
    return 0


def _config(path: Path | None) -> Config | None:
    """The config file read; None after printing its problems (each file:line: message)."""
    try:
        return load_config(path)
    except ConfigError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return None


def cmd_fleet(args: argparse.Namespace) -> int:
    """``kiosk stats --export`` and ``--merge``: counts that leave the kiosk (kiosk/fleet.py)."""
    from kiosk import fleet

    if args.merge:
        try:
            merged = fleet.merge(fleet.read_csv(path) for path in args.merge)
        except (OSError, fleet.ExportError) as exc:
            print(exc, file=sys.stderr)
            return 1
        text = fleet.to_csv(merged)
        if args.stats_output is None:
            print(text, end="")
        else:
            args.stats_output.write_text(text, "utf-8")
        kiosks = len({c.kiosk for c in merged})
        print(f"merged {len(args.merge)} export(s): {kiosks} kiosk(s), {len(merged)} row(s)",
              file=sys.stderr)
        return 0
    from kiosk.stats import UnreadableError, UsageFile

    config = _config(args.stats_config or args.config)
    if config is None:
        return 2
    try:
        rows = fleet.cells(config.kiosk_id, UsageFile(args.database, wait=args.wait),
                           args.since)
    except UnreadableError as exc:
        print(exc, file=sys.stderr)
        return 1
    args.export_csv.write_text(fleet.to_csv(rows), "utf-8")
    hidden = sum(c.count is None for c in rows)
    print(f"{args.export_csv}: {len(rows)} row(s) for kiosk {config.kiosk_id!r}; {hidden} "
          f"small self-check count(s) suppressed (1 to {fleet.SMALL_CELL})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """``kiosk report``: the usage report as HTML (self-contained) or PDF."""
    from kiosk import fleet

    try:
        if args.exports:
            cells = fleet.merge(fleet.read_csv(path) for path in args.exports)
        else:
            from kiosk.stats import UsageFile

            config = _config(args.report_config or args.config)
            if config is None:
                return 2
            cells = fleet.cells(config.kiosk_id, UsageFile(args.report_database), None)
    except Exception as exc:
        print(exc, file=sys.stderr)
        return 1
    out: Path = args.report_output
    if out.suffix.lower() == ".pdf":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.report_pdf import write_pdf

        app = QApplication.instance() or QApplication(["kiosk"])
        pages = write_pdf(cells, out)
        del app
        print(f"{out}: {pages} page(s)")
        return 0
    from kiosk.report import html_report

    out.write_text(html_report(cells), "utf-8")
    print(f"{out}: one file, no network needed to open it")
    return 0


def cmd_alert(config: Config, test: bool) -> int:
    """Send one test alert (no retries: a person is waiting for the answer)."""
    settings = config.alert_settings()
    if settings is None:
        print("no front-desk alert is configured ([alert] url in the config): the kiosk "
              "sends nothing", file=sys.stderr)
        return 2
    if not test:
        print(f"alerts go to {settings.url} as {settings.where!r} ({settings.fmt}); "
              "'kiosk alert --test' sends a test alert")
        return 0
    from dataclasses import replace as changed

    from kiosk.alert import TEST, deliver

    outcome = deliver(changed(settings, retry_s=0), TEST)
    if outcome.delivered:
        print(f"test alert delivered to {settings.url} (HTTP {outcome.status})")
        return 0
    print(f"test alert NOT delivered to {settings.url}: {outcome.reason}", file=sys.stderr)
    return 1


def cmd_proof(config: Config, folder: Path | None, output: Path, since: Path | None) -> int:
    """Write the sign-off PDF of a content folder (default: what patients see now)."""
    from kiosk.checker import check_folder
    from kiosk.store import Store

    store = Store(config.store_dir)
    current = store.current() if folder is None else None
    root = folder or config.live_content()
    if since is None and folder is None:  # compare with what undo would go back to
        since = store.before(config.content_dir)
    loaded, problems = check_folder(root, config.language)
    errors = [p for p in problems if p.is_error]
    for problem in errors:
        print(problem)
    if loaded.content is None:
        print(f"{root}: nothing to print", file=sys.stderr)
        return 1
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.proof import ProofInfo, changed_files, write_proof

    app = QApplication.instance() or QApplication(["kiosk"])
    version = f"Version {current.describe()}" if current is not None else f"Content in {root}"
    info = ProofInfo(config.clinic.name, version, str(since) if since else "")
    try:
        pages = write_proof(loaded.content, output, info, changed_files(root, since))
    except OSError as exc:
        print(f"{output}: cannot be written ({exc})", file=sys.stderr)
        return 1
    del app
    print(f"{output}: {pages} pages, every page and the self-check of {root}"
          + (f"; {len(errors)} error(s) in the content (listed above)" if errors else ""))
    return 1 if errors else 0


def cmd_import(config: Config, source: Path | None, apply: bool, undo: bool) -> int:
    """Check (and with ``apply``, apply) content from a folder; or undo the last import.
    Exit 0: it can be applied (or was, or was undone); 1: errors or nothing to change."""
    from kiosk.store import Store, StoreError
    from kiosk.transfer import stage

    store = Store(config.store_dir)
    if undo:
        try:
            now = store.undo()
        except StoreError as exc:
            print(f"{store.root}: {exc}", file=sys.stderr)
            return 1
        print("undone; patients now see " + (f"version {now.describe()}" if now
                                              else f"the installed content, {config.content_dir}"))
        return 0
    if source is None:
        print("name the folder to import (the stick), or use --undo", file=sys.stderr)
        return 2
    live = config.live_content()
    with store.staging() as folder:
        try:
            staged = stage(source, folder, live, config.language)
        except OSError as exc:
            print(f"{source}: {exc}", file=sys.stderr)
            return 1
        print(f"{staged.source}: {staged.files} files ({staged.size:,} bytes)")
        for kind, paths in (("added", staged.changes.added),
                            ("changed", staged.changes.changed),
                            ("removed", staged.changes.removed)):
            for rel in paths:
                edited = " (edited since the export)" if rel in staged.edited else ""
                print(f"  {kind:8} {rel}{edited}")
        print(f"changes against the live content: {staged.changes.summary()}")
        shown = staged.worth_showing()
        for problem in shown:
            print(problem)
        if len(shown) < len(staged.problems):
            print(f"({len(staged.problems) - len(shown)} warning(s) about files this import "
                  "does not change are not shown: 'kiosk check' lists them)")
        errors = len(staged.errors)
        if errors:
            print(f"{errors} error(s): nothing can be applied; patients keep seeing the live "
                  "content", file=sys.stderr)
            return 1
        if not staged.changes:
            print("nothing to apply: it is the same as the live content", file=sys.stderr)
            return 1
        if not apply:
            print("it can be applied: run again with --apply", file=sys.stderr)
            return 0
        version = store.commit(folder, staged.changes.summary(), str(staged.source))
    print(f"applied: version {version.describe()}; patients see it at their next home screen")
    return 0


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = parser(commands=not plain_run(words)).parse_args(words)
    if args.command is None:
        setup_logging(later=True)  # the file is opened after the first paint (ui.app.run)
    else:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    if args.command == "set-pin":
        return cmd_set_pin(args.pin_config, args.pin_stdin)
    if args.command == "check":
        return main_check(args)
    if args.command == "report":
        return cmd_report(args)
    if args.command == "stats" and (args.merge or args.export_csv):
        return cmd_fleet(args)
    if args.command == "stats":
        from kiosk.stats import UnreadableError, UsageFile, report, summarise, to_csv

        # Read-only: a running kiosk's file is waited for, never changed or set aside.
        counts = UsageFile(args.database, wait=args.wait)
        try:
            text = (to_csv(counts, args.since) if args.csv
                    else report(summarise(counts, args.since)) + "\n")
        except UnreadableError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(text, end="")
        return 0
    if args.command in ("alert", "proof", "export", "import"):
        config = _config(args.transfer_config or args.config)
        if config is None:
            return 2
        if args.content is not None:  # the folder a kiosk was started on with --content
            config = replace(config, content_dir=args.content)
        if args.command == "alert":
            return cmd_alert(config, args.test)
        if args.command == "proof":
            return cmd_proof(config, args.folder, args.output, args.since)
        return cmd_export(config, args.destination) if args.command == "export" else \
            cmd_import(config, args.source, args.apply, args.undo)
    if args.command == "config" and args.check_config is not None:
        try:
            load_config(args.check_config)
        except ConfigError as exc:
            for line in exc.problems:
                print(line, file=sys.stderr)
            return 2
        print(f"{args.check_config}: no problems")
        return 0
    if args.command == "config":
        from kiosk.config import example_config

        print(example_config(), end="")
        return 0
    config = _config(getattr(args, "shots_config", None) or args.config)
    if config is None:
        return 2
    content = getattr(args, "shots_content", None) or args.content
    if content is not None:
        # The kiosk shows the folder named, or what staff imported over it (each folder has
        # its own imports); shots and preview show a folder named to them as it is.
        config = replace(config, content_dir=content,
                         use_store=args.command not in ("shots", "preview"))
    if args.command == "shots":
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        config = replace(config, values={**config.values, "watch_content": False})
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.shots import take_shots

        app = QApplication.instance() or QApplication(["kiosk"])
        step = ["normal", "larger", "largest"].index(args.text_size)
        written = take_shots(config, args.outdir, args.size, step, args.high_contrast)
        for path in written:
            print(path)
        del app
        return 0
    if args.command == "preview":
        from kiosk.ui.app import run

        # The folder named, else what patients see (an import, the config's, the bundled).
        folder = args.folder or content or config.live_content()
        config = replace(config, content_dir=folder, fullscreen=False, use_store=False)
        return run(config, preview=True)
    if args.windowed:
        config = replace(config, fullscreen=False)
    from kiosk.ui.app import run

    return run(config)


if __name__ == "__main__":
    sys.exit(main())
