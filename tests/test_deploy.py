"""The deployment files in deploy/: the systemd unit, the X11 autostart entry and session script.

Plain tests, no Qt. The ``systemd-analyze verify`` check runs only where systemd and cage
are installed (a Debian or Raspberry Pi OS machine with the ``cage`` package); elsewhere it
is skipped with the reason.
"""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
SERVICE = DEPLOY / "systemd" / "clinic-kiosk.service"
DESKTOP = DEPLOY / "x11" / "clinic-kiosk.desktop"
SESSION = DEPLOY / "x11" / "kiosk-session.sh"
CAGE = Path("/usr/bin/cage")


def _read_ini(path: Path) -> configparser.ConfigParser:
    # strict=False: systemd allows a key more than once (Environment=, After=, ...).
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def _exec_start(unit: configparser.ConfigParser) -> list[str]:
    return shlex.split(unit["Service"]["ExecStart"])


def test_service_parses_and_runs_the_kiosk_under_cage_on_tty1() -> None:
    unit = _read_ini(SERVICE)
    assert {"Unit", "Service", "Install"} <= set(unit.sections())
    service = unit["Service"]
    assert service["Restart"] == "always"
    assert service["TTYPath"] == "/dev/tty1"
    argv = _exec_start(unit)
    assert Path(argv[0]).name == "cage"
    assert "--" in argv, "cage's own options must end with -- before the kiosk command"
    kiosk = argv[argv.index("--") + 1:]
    assert Path(kiosk[0]).name == "kiosk"
    assert kiosk[1] == "--config" and kiosk[2].endswith(".toml")
    assert service["User"] == "kiosk"
    assert unit["Install"]["WantedBy"] == "graphical.target"
    assert "getty@tty1.service" in unit["Unit"]["Conflicts"]


def test_service_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (not a systemd machine)")
    if not CAGE.is_file():
        pytest.skip(f"{CAGE} is not installed (apt-get install cage); verify would reject it")
    # Verify a copy, named like the real unit, so a stray file never touches deploy/.
    # The kiosk itself is only an argument to cage, so verify does not need it installed.
    copy = tmp_path / SERVICE.name
    copy.write_text(SERVICE.read_text(encoding="utf-8"), encoding="utf-8")
    # --man=no: a minimal system has no man pages to check Documentation= against.
    result = subprocess.run([analyze, "verify", "--man=no", str(copy)], capture_output=True,
                            text=True, timeout=120, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # verify exits 0 even for a misspelt key; it only says so.
    assert "Unknown key" not in output and "Unknown section" not in output, output


def test_desktop_entry_is_an_application_that_starts_the_session_script() -> None:
    entry = _read_ini(DESKTOP)["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].strip()
    assert Path(shlex.split(entry["Exec"])[0]).name == SESSION.name


def test_session_script_is_valid_posix_shell() -> None:
    sh = shutil.which("sh")
    if sh is None:
        pytest.skip("no POSIX sh on this machine")
    assert SESSION.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
    result = subprocess.run([sh, "-n", str(SESSION)], capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 0, result.stderr


def _all(unit_text: str, key: str) -> list[str]:
    return [line.split("=", 1)[1] for line in unit_text.splitlines()
            if line.startswith(f"{key}=")]


def test_service_is_notify_with_a_watchdog_the_kiosk_child_may_feed() -> None:
    service = _read_ini(SERVICE)["Service"]
    assert service["Type"] == "notify"
    assert 5 <= int(service["WatchdogSec"]) <= 60
    assert service["NotifyAccess"] == "all"  # the kiosk is cage's child, not the main PID


def test_service_stops_the_kiosk_first_and_waits_for_cage() -> None:
    # cage 0.1.4 aborts on SIGTERM while its client runs (tests/test_deploy_cage.py runs it).
    stops = _all(SERVICE.read_text(encoding="utf-8"), "ExecStop")
    first, wait = (shlex.split(line.lstrip("-")) for line in stops)
    # ${MAINPID}: systemd expands $MAINPID only as a word of its own, ${MAINPID} anywhere.
    assert first[0] == "/usr/bin/pkill" and "--parent" in first and "${MAINPID}" in first
    assert first[-2:] == ["--exact", "kiosk"]
    argv = _exec_start(_read_ini(SERVICE))
    assert Path(argv[argv.index("--") + 1]).name == "kiosk"  # the name pkill matches
    assert wait[:3] == ["/usr/bin/timeout", "10", "/usr/bin/tail"]
    assert "--pid=${MAINPID}" in wait
    assert int(_read_ini(SERVICE)["Service"]["TimeoutStopSec"]) > 10


def test_service_hardening_is_rated_ok_and_each_setting_left_out_is_explained() -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (not a systemd machine)")
    result = subprocess.run([analyze, "security", "--offline=true", "--no-pager",
                             str(SERVICE)], capture_output=True, text=True, timeout=60,
                            check=False)
    if "--offline" in result.stderr:
        pytest.skip("systemd-analyze security --offline needs systemd 250 or newer")
    exposure = float(result.stdout.rsplit("exposure level for", 1)[1].split(":")[1].split()[0])
    assert exposure <= 2.5, result.stdout
    text = SERVICE.read_text(encoding="utf-8")
    for line in result.stdout.splitlines():
        if line.startswith("✗"):
            setting = line.split()[1].split("=")[0]
            assert f"{setting}=" in text, f"{setting}= is neither set nor explained"


def _readme_command(marker: str) -> str:
    lines = (DEPLOY.parent / "README.md").read_text(encoding="utf-8").splitlines()
    after = lines[lines.index(f"<!-- {marker} -->") + 1:]
    return next(line.strip() for line in after if line.strip())


def test_readme_setup_installs_python_and_every_qt_library_then_starts_the_kiosk() -> None:
    command = _readme_command("setup-command")
    ci_list = (DEPLOY.parent / ".ci" / "apt-packages").read_text(encoding="utf-8")
    qt_part = ci_list.split("# For the tests", 1)[0]
    qt_packages = {line.strip() for line in qt_part.splitlines()
                   if line.strip() and not line.startswith("#")}
    install = command.split("&&")[1].split()
    assert install[:4] == ["sudo", "apt-get", "install", "-y"]
    assert set(install[4:]) == qt_packages | {"python3", "python3-venv"}
    assert command.split("&&")[2:] == [" python3 -m venv .venv ", " .venv/bin/pip install . ",
                                       " .venv/bin/kiosk --windowed"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux displays only")
def test_without_a_display_the_kiosk_says_what_to_do_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["HOME"] = str(tmp_path)
    result = subprocess.run([sys.executable, "-m", "kiosk", "--windowed"], env=env,
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kiosk: no display"), result.stderr
    assert "QT_QPA_PLATFORM=offscreen" in lines[0] and "cage" in lines[0]


# -- what a newcomer meets: the README's package list, scripts/fresh-debian.sh -------------

README = DEPLOY.parent / "README.md"
FRESH = DEPLOY.parent / "scripts" / "fresh-debian.sh"


def test_every_package_the_readme_test_table_names_is_in_the_ci_list() -> None:
    """The README says `apt-get install $(grep -v '^#' .ci/apt-packages)` installs them all."""
    import re

    text = README.read_text(encoding="utf-8")
    assert "sudo apt-get install $(grep -v '^#' .ci/apt-packages)" in text
    table = text.split("| tests | need |", 1)[1].split("\n\n", 1)[0]
    named = set()
    for row in table.splitlines()[2:]:
        need = row.rsplit("|", 2)[-2]
        for quoted in re.findall(r"`([^`]+)`", need):
            named |= {word for word in quoted.split() if re.fullmatch(r"[a-z0-9][a-z0-9.+-]+",
                                                                         word)}
    ci = {line.strip() for line in (DEPLOY.parent / ".ci" / "apt-packages").read_text(
        encoding="utf-8").splitlines() if line.strip() and not line.startswith("#")}
    assert {"systemd", "cage", "zbar-tools"} <= named
    assert named <= ci, sorted(named - ci)


def test_fresh_debian_script_is_shellcheck_clean() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run([shellcheck, str(FRESH)], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout


def _fresh_functions(*names: str) -> str:
    """The named shell functions of scripts/fresh-debian.sh, to run on their own."""
    import re

    text = FRESH.read_text(encoding="utf-8")
    found = [re.search(rf"^{name}\(\) \{{ [^\n]*\}}$", text, re.MULTILINE)  # one line
             or re.search(rf"^{name}\(\) \{{\n.*?^\}}$", text, re.MULTILINE | re.DOTALL)
             for name in names]
    assert all(found), names
    return "\n".join(match.group(0) for match in found if match)


def test_fresh_debian_prints_progress_while_a_long_step_runs(tmp_path: Path) -> None:
    script = _fresh_functions("run_logged") + '\nrun_logged "$1" bash -c ' \
        "'echo starting; sleep 2.5; echo still going; exit 3'\n"
    result = subprocess.run(["bash", "-c", script, "fresh", str(tmp_path / "log")],
                            env={**os.environ, "PROGRESS_SECONDS": "1"}, capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 3  # the step's own exit status
    progress = result.stdout.splitlines()
    assert len(progress) >= 2 and progress[0].startswith("    ... 0m01s  "), progress
    assert (tmp_path / "log").read_text() == "starting\nstill going\n"


def _in_own_mounts(script: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a bash script as root in a mount namespace of its own (the host's is untouched)."""
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        pytest.skip("needs root and unshare (util-linux) to mount in a namespace of its own")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a mount namespace here: {probe.stderr.decode().strip()}")
    functions = _fresh_functions("die", "mounts_under", "remove_root")
    return subprocess.run(["unshare", "-m", "--propagation", "private", "bash", "-c",
                           functions + "\n" + script, "fresh", str(tmp_path)],
                          capture_output=True, text=True, timeout=60, check=False)


def test_fresh_debian_unmounts_a_killed_runs_root_before_deleting_it(tmp_path: Path) -> None:
    """A root left with the host's /dev bound in it (a killed run): deleting the root must
    not delete the host's files. Here a folder with one file stands in for the host's /dev."""
    host = tmp_path / "host-dev"
    host.mkdir()
    (host / "sda").write_text("the host's\n")
    result = _in_own_mounts(
        'set -u; root="$1/readme"; mkdir -p "$root/dev" "$root/proc" "$root/etc"\n'
        'mount --bind "$1/host-dev" "$root/dev" && mount -t tmpfs tmp "$root/proc" || exit 9\n'
        'remove_root "$root"; echo "code $?"; [ -e "$root" ] && echo "still there"\n',
        tmp_path)
    assert (host / "sda").read_text() == "the host's\n"  # rm -rf alone deleted it
    assert result.stdout == "code 0\n", result.stdout + result.stderr


def test_fresh_debian_refuses_to_delete_a_root_with_something_still_mounted(
        tmp_path: Path) -> None:
    host = tmp_path / "host-dev"
    host.mkdir()
    (host / "sda").write_text("the host's\n")
    result = _in_own_mounts(
        'set -u; root="$1/readme"; mkdir -p "$root/dev"\n'
        'mount --bind "$1/host-dev" "$root/dev" || exit 9\n'
        'umount() { return 1; }  # a mount that will not go\n'
        'remove_root "$root"; echo "code $?"\n', tmp_path)
    assert result.stdout == "code 1\n", result.stdout + result.stderr
    assert f"still mounted under {tmp_path}/readme, so it is not deleted" in result.stderr
    assert f"{tmp_path}/readme/dev" in result.stderr
    assert (host / "sda").read_text() == "the host's\n"


def test_the_alert_drop_in_allows_one_address_and_the_unit_still_rates_ok(
        tmp_path: Path) -> None:
    """With a front-desk alert configured, the Ansible role adds a drop-in; systemd combines
    its lines with the unit's, as appending them to [Service] does here (issue 20)."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("needs systemd-analyze")
    template = DEPLOY / "ansible" / "roles" / "kiosk" / "templates" / "alert-network.conf.j2"
    body = "\n".join(line for line in template.read_text("utf-8").splitlines()
                     if not line.startswith("#"))
    body = body.replace("{{ kiosk_alert_allow | join(' ') }}", "192.0.2.10")
    assert "IPAddressAllow=192.0.2.10" in body and "{{" not in body
    unit = tmp_path / "clinic-kiosk.service"
    unit.write_text(SERVICE.read_text("utf-8") + "\n" + body + "\n", "utf-8")
    result = subprocess.run([analyze, "security", "--offline=true", "--no-pager", str(unit)],
                            capture_output=True, text=True, timeout=60, check=False)
    if "--offline" in result.stderr:
        pytest.skip("systemd-analyze security --offline needs systemd 250 or newer")
    exposure = float(result.stdout.rsplit("exposure level for", 1)[1].split(":")[1].split()[0])
    assert exposure <= 2.5, result.stdout
    assert "OK" in result.stdout.rsplit("exposure level for", 1)[1]
