"""Content carried on a USB stick (issue 19): export, import with checks, apply, undo.

Plain Python: the store of versions and the import engine, with real files and a real FAT
file system image (made with mkfs.vfat, written and read with mtools, as this machine cannot
mount one), and a power cut simulated by killing the process at each step of an apply.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kiosk.__main__ import main
from kiosk.config import bundled_content
from kiosk.model import load_content
from kiosk.store import KEEP, Store, StoreError
from kiosk.transfer import EXPORT_NAME, INCOMPLETE, MANIFEST, export, stage

JAW_ES = Path("es") / "jaw-and-tmj.md"
NEW_LINE = "\nUna línea nueva para la prueba.\n"


@pytest.fixture
def live(tmp_path: Path) -> Path:
    root = tmp_path / "installed"
    shutil.copytree(bundled_content(), root)
    return root


@pytest.fixture
def stick(tmp_path: Path, live: Path) -> Path:
    """A stick holding an untouched export of the live content."""
    folder = tmp_path / "stick"
    folder.mkdir()
    export(live, folder)
    return folder


def staged(stick: Path, live: Path, tmp_path: Path) -> tuple[Store, object]:
    store = Store(tmp_path / "store")
    with store.staging() as folder:
        return store, stage(stick, folder, live)


def test_an_export_is_one_folder_with_its_manifest_that_sha256sum_accepts(
        stick: Path, live: Path) -> None:
    top = stick / EXPORT_NAME
    assert sorted(p.name for p in stick.iterdir()) == [EXPORT_NAME]
    manifest = (top / MANIFEST).read_text("utf-8").splitlines()
    files = sorted(str(p.relative_to(live)) for p in live.rglob("*") if p.is_file())
    assert sorted(line.split("  ", 1)[1] for line in manifest) == files
    done = subprocess.run(["sha256sum", "-c", "--quiet", MANIFEST], cwd=top,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_edited_page_is_found_checked_applied_and_undone(
        stick: Path, live: Path, tmp_path: Path) -> None:
    page = stick / EXPORT_NAME / JAW_ES
    page.write_text(page.read_text("utf-8") + NEW_LINE, "utf-8")
    (stick / EXPORT_NAME / "._jaw-and-tmj.md").write_bytes(b"\x00\x05\x16\x07 macOS")
    (stick / EXPORT_NAME / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (stick / "System Volume Information").mkdir()
    store = Store(tmp_path / "store")
    with store.staging() as folder:
        result = stage(stick, folder, live)
        assert result.errors == []
        assert (result.changes.added, result.changes.changed, result.changes.removed) == \
            ([], ["es/jaw-and-tmj.md"], [])
        assert result.edited == ["es/jaw-and-tmj.md"] and result.has_manifest
        assert result.changes.summary() == "es: 1 changed"
        assert result.can_apply
        assert store.live(live) == live  # nothing applied yet
        version = store.commit(folder, result.changes.summary(), str(stick))
    shown = store.live(live)
    assert shown != live and NEW_LINE in (shown / JAW_ES).read_text("utf-8")
    assert not (shown / "._jaw-and-tmj.md").exists() and not (shown / ".DS_Store").exists()
    assert store.versions()[0].id == version.id and version.summary == "es: 1 changed"
    loaded = load_content(shown)
    assert loaded.content is not None and not loaded.errors
    assert store.undo() is None  # back to the installed content
    assert store.live(live) == live
    with pytest.raises(StoreError, match="no imported content to undo"):
        store.undo()


def test_versions_are_kept_for_undo_and_old_ones_pruned(live: Path, tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    ids = []
    for n in range(KEEP + 2):
        with store.staging() as folder:
            shutil.copytree(live, folder, dirs_exist_ok=True)
            (folder / "en" / "note.md").write_text(
                f"---\ntitle: Note {n}\nsummary: s\norder: 9\n---\n\nWords {n}.\n", "utf-8")
            ids.append(store.commit(folder, f"version {n}", "test").id)
    assert [v.id for v in store.versions()] == ids[::-1][:KEEP]
    assert len(list((store.root / "versions").glob("*.json"))) == KEEP
    assert store.undo() is not None
    assert "Words 5." in (store.live(live) / "en" / "note.md").read_text("utf-8")


@pytest.mark.parametrize(("damage", "said"), [
    (lambda p: p.write_bytes(p.read_bytes()[:300] + b"\x00" * 4096),
     "has empty (zero) bytes from here on: the file was cut short"),
    (lambda p: p.write_bytes(b""), "is empty (0 bytes)"),
    (lambda p: p.write_bytes(p.read_text("utf-8").encode("utf-16")),
     "is saved as UTF-16 (\"Unicode\" in Notepad); the kiosk reads UTF-8 only"),
    (lambda p: p.write_bytes(p.read_text("utf-8").encode("cp1252", errors="replace")),
     "is not saved as UTF-8 (it looks like Windows-1252"),
    (lambda p: p.write_text("---\ntitle: Mandíbula\nsummary: s\n\nNo end.\n", "utf-8"),
     "the front matter (the lines at the top between ---) never ends"),
])
def test_a_damaged_file_is_named_and_nothing_is_applied(
        stick: Path, live: Path, tmp_path: Path, damage, said: str) -> None:
    page = stick / EXPORT_NAME / JAW_ES
    damage(page)
    _store, result = staged(stick, live, tmp_path)
    assert not result.can_apply
    lines = [str(p) for p in result.errors]
    assert any(line.startswith(f"{page}:") and said in line for line in lines), lines


def test_an_export_that_did_not_finish_or_has_no_manifest(
        stick: Path, live: Path, tmp_path: Path) -> None:
    (stick / EXPORT_NAME).rename(stick / INCOMPLETE)
    _store, result = staged(stick, live, tmp_path)
    assert [str(p) for p in result.errors] == [
        f"{stick / INCOMPLETE}:1: this export did not finish (the stick was removed, or the "
        "kiosk stopped, while it was written) (fix: copy the content to the stick again from "
        "the staff panel)"]
    (stick / INCOMPLETE).rename(stick / EXPORT_NAME)
    (stick / EXPORT_NAME / MANIFEST).unlink()
    page = stick / EXPORT_NAME / JAW_ES
    page.write_text(page.read_text("utf-8") + NEW_LINE, "utf-8")
    _store, result = staged(stick, live, tmp_path)
    assert result.can_apply and not result.has_manifest
    assert len(result.edited) == result.files  # every file shown as edited
    assert any("has no SHA256SUMS list" in str(p) for p in result.problems)


def test_too_many_files_are_refused_before_anything_is_copied(
        stick: Path, live: Path, tmp_path: Path) -> None:
    extra = stick / EXPORT_NAME / "en" / "images" / "many"
    extra.mkdir(parents=True)
    for n in range(5_000):  # tiny files, as a stick full of junk has
        (extra / f"{n}.txt").write_bytes(b"x")
    store = Store(tmp_path / "store")
    with store.staging() as folder:
        result = stage(stick, folder, live)
        assert not result.can_apply and list(folder.iterdir()) == []  # nothing copied
    files = sum(1 for p in (stick / EXPORT_NAME).rglob("*") if p.is_file()) - 1  # manifest
    assert [p.message.split(";")[0] for p in result.errors] == [f"holds {files:,} files"]


def test_a_stick_pulled_out_mid_copy_leaves_nothing_and_the_live_content_whole(
        stick: Path, live: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.transfer as transfer

    real = transfer._copy_one
    copied = []

    def pulled(src: Path, dst: Path, hashes: dict[str, str], rel: str):
        if len(copied) == 10:  # the stick goes: every file not yet read is gone
            shutil.rmtree(stick / EXPORT_NAME)
        copied.append(rel)
        return real(src, dst, hashes, rel)

    monkeypatch.setattr(transfer, "_copy_one", pulled)
    store, result = staged(stick, live, tmp_path)
    assert not result.can_apply
    assert "disappeared while it was copied (was the stick removed?)" in str(result.errors[0])
    assert store.live(live) == live and store.state().current is None
    assert list((store.root / "staging").iterdir()) == []  # the partial copy is gone


def test_a_file_changed_while_it_is_copied_is_named(
        stick: Path, live: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import kiosk.transfer as transfer

    real_stat = Path.stat
    page = stick / EXPORT_NAME / JAW_ES
    calls = {"n": 0}

    def stat(self: Path, *args, **kwargs):  # saved again just after the copy began
        out = real_stat(self, *args, **kwargs)
        if self == page and sys._getframe(1).f_code.co_name == "_copy_one":
            calls["n"] += 1
            if calls["n"] == 1:  # the copy's first look: then an editor saves it
                os.utime(page, ns=(out.st_atime_ns, out.st_mtime_ns + 10**9))
        return out

    monkeypatch.setattr(transfer.Path, "stat", stat)
    _store, result = staged(stick, live, tmp_path)
    monkeypatch.undo()
    assert [str(p).split(" (fix")[0] for p in result.errors] == [
        f"{page}:1: changed while it was copied; nothing was changed on the kiosk"]


def _mtools(*args: str) -> None:
    subprocess.run(list(args), check=True, capture_output=True, timeout=120,
                   env={**os.environ, "MTOOLS_SKIP_CHECK": "1"})


@pytest.mark.skipif(shutil.which("mkfs.vfat") is None or shutil.which("mcopy") is None,
                    reason="needs dosfstools and mtools (.ci/apt-packages)")
def test_content_through_a_real_fat_stick(live: Path, tmp_path: Path) -> None:
    """Exported onto a FAT file system, edited on it as Windows would leave it (a macOS
    '._' twin, a .DS_Store), read back as a folder, imported and applied."""
    image = tmp_path / "stick.img"
    with open(image, "wb") as f:
        f.truncate(64 * 1024 * 1024)
    subprocess.run(["mkfs.vfat", "-n", "KIOSK", str(image)], check=True, capture_output=True,
                   timeout=60)
    exported = tmp_path / "exported"
    exported.mkdir()
    export(live, exported)
    _mtools("mcopy", "-s", "-i", str(image), str(exported / EXPORT_NAME), "::/")
    edited = tmp_path / "edited.md"
    edited.write_text((live / JAW_ES).read_text("utf-8") + NEW_LINE, "utf-8")
    _mtools("mcopy", "-o", "-i", str(image), str(edited), f"::/{EXPORT_NAME}/es/jaw-and-tmj.md")
    junk = tmp_path / "junk"
    junk.write_bytes(b"\x00\x05\x16\x07")
    _mtools("mcopy", "-i", str(image), str(junk), f"::/{EXPORT_NAME}/es/._jaw-and-tmj.md")
    _mtools("mcopy", "-i", str(image), str(junk), f"::/{EXPORT_NAME}/.DS_Store")
    read_back = tmp_path / "read-back"
    read_back.mkdir()
    _mtools("mcopy", "-s", "-n", "-i", str(image), f"::/{EXPORT_NAME}", str(read_back))
    store = Store(tmp_path / "store")
    with store.staging() as folder:
        result = stage(read_back, folder, live)
        assert result.errors == [] and result.changes.changed == ["es/jaw-and-tmj.md"]
        assert result.edited == ["es/jaw-and-tmj.md"]
        store.commit(folder, result.changes.summary(), str(read_back))
    assert NEW_LINE in (store.live(live) / JAW_ES).read_text("utf-8")


# -- a power cut at each step of an apply ---------------------------------------------------

APPLY = textwrap.dedent('''
    import os, sys
    from pathlib import Path
    from kiosk import store as store_module
    from kiosk.store import Store
    from kiosk.transfer import stage
    step = sys.argv[4]
    real = {"replace": os.replace, "write": store_module.write_private}
    def die_at(name):
        def cut(*args, **kwargs):
            state = name == "write" and Path(args[0]).name == "state.json"
            if name == step or (step == "state" and state):
                os.kill(os.getpid(), 9)  # the power goes, right here
            return real[name](*args, **kwargs)
        return cut
    os.replace = die_at("replace")
    store_module.write_private = die_at("write")
    store = Store(Path(sys.argv[1]))
    with store.staging() as folder:
        result = stage(Path(sys.argv[2]), folder, Path(sys.argv[3]))
        store.commit(folder, result.changes.summary(), sys.argv[2])
''')


# replace: moving the copy into the store; write: its description; state: the switch itself.
@pytest.mark.parametrize("step", ["replace", "write", "state", "none"])
def test_a_power_cut_at_any_step_of_an_apply_leaves_old_or_new_content_whole(
        stick: Path, live: Path, tmp_path: Path, step: str) -> None:
    page = stick / EXPORT_NAME / JAW_ES
    page.write_text(page.read_text("utf-8") + NEW_LINE, "utf-8")
    root = tmp_path / "store"
    proc = subprocess.run([sys.executable, "-c", APPLY, str(root), str(stick), str(live), step],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == (-signal.SIGKILL if step != "none" else 0), proc.stderr
    store = Store(root)
    shown = store.live(live)
    text = (shown / JAW_ES).read_text("utf-8")
    if step == "none":
        assert NEW_LINE in text
    else:
        assert shown == live and NEW_LINE not in text  # the old content, whole
    loaded = load_content(shown)
    assert loaded.content is not None and not loaded.errors
    if (root / "live" / "state.json").exists():
        json.loads((root / "live" / "state.json").read_text("utf-8"))
    # The next import cleans up whatever the cut left, and applies.
    with store.staging() as folder:
        result = stage(stick, folder, store.live(live))
        if result.changes:
            store.commit(folder, result.changes.summary(), str(stick))
    assert NEW_LINE in (store.live(live) / JAW_ES).read_text("utf-8")
    assert list((root / "staging").iterdir()) == []


# -- the commands -------------------------------------------------------------------------

def test_the_commands_export_import_apply_and_undo(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "kiosk.toml"
    content = tmp_path / "installed"
    shutil.copytree(bundled_content(), content)
    config.write_text(f'content = "{content}"\ncontent_store = "store"\n', "utf-8")
    usb = tmp_path / "usb"
    usb.mkdir()
    assert main(["export", str(usb), "--config", str(config)]) == 0
    assert main(["import", str(usb), "--config", str(config)]) == 1  # nothing to change
    assert "nothing to apply" in capsys.readouterr().err
    page = usb / EXPORT_NAME / JAW_ES
    page.write_text(page.read_text("utf-8") + NEW_LINE, "utf-8")
    assert main(["import", str(usb), "--config", str(config)]) == 0
    out = capsys.readouterr()
    assert "  changed  es/jaw-and-tmj.md (edited since the export)" in out.out
    assert "it can be applied: run again with --apply" in out.err
    assert Store(tmp_path / "store").state().current is None  # only checked
    assert main(["import", str(usb), "--apply", "--config", str(config)]) == 0
    assert "applied: version " in capsys.readouterr().out
    live = Store(tmp_path / "store").live(content)
    assert NEW_LINE in (live / JAW_ES).read_text("utf-8")
    # An export now carries the imported version.
    again = tmp_path / "usb2"
    again.mkdir()
    assert main(["export", str(again), "--config", str(config)]) == 0
    assert NEW_LINE in (again / EXPORT_NAME / JAW_ES).read_text("utf-8")
    assert main(["import", "--undo", "--config", str(config)]) == 0
    assert "the installed content" in capsys.readouterr().out
    assert Store(tmp_path / "store").live(content) == content
    # A page with an error is never applied.
    page.write_text("---\ntitle: x\n---\n", "utf-8")
    assert main(["import", str(usb), "--apply", "--config", str(config)]) == 1
    out = capsys.readouterr()
    assert f"{page}:" in out.out and "nothing can be applied" in out.err
    assert Store(tmp_path / "store").state().current is None
