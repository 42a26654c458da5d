"""Deploying many kiosks: the content sync (script, service, timer) and the Ansible example.

Plain tests, no Qt. The content sync script is run for real, end to end: a bare git
repository in a temporary folder plays the clinic's content repository, and the script's
``kiosk check`` runs this checkout's ``python -m kiosk``. It needs ``git``, ``rsync`` and a
POSIX ``sh``; without them that test is skipped with the reason. ``systemd-analyze verify``
runs only where systemd-analyze is installed.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kiosk.config import OPTIONS

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
SYNC = DEPLOY / "content-sync"
SCRIPT = SYNC / "clinic-kiosk-content-sync.sh"
SERVICE = SYNC / "clinic-kiosk-content-sync.service"
TIMER = SYNC / "clinic-kiosk-content-sync.timer"
ANSIBLE = DEPLOY / "ansible"
ROLE = ANSIBLE / "roles" / "kiosk"
BUNDLED_CONTENT = ROOT / "kiosk" / "content"
TOPIC = "content/en/jaw-and-tmj.md"  # a topic file, as the content repository names it


def _read_unit(path: Path) -> configparser.ConfigParser:
    # strict=False: systemd allows a key more than once; keys are case-sensitive.
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


# --- The systemd units ------------------------------------------------------------------


def test_service_is_a_oneshot_run_with_the_env_file() -> None:
    unit = _read_unit(SERVICE)
    assert {"Unit", "Service"} <= set(unit.sections())
    service = unit["Service"]
    assert service["Type"] == "oneshot"
    assert service["EnvironmentFile"] == "/etc/clinic-kiosk/content-sync.env"
    assert Path(service["ExecStart"].split()[0]).name == SCRIPT.name
    assert service["User"] not in ("", "root")
    assert "network-online.target" in unit["Unit"]["After"]


def test_timer_runs_every_few_minutes_and_catches_up() -> None:
    unit = _read_unit(TIMER)
    timer = unit["Timer"]
    assert "OnCalendar" in timer or "OnUnitActiveSec" in timer
    assert timer.get("OnCalendar") == "*:0/5" or timer.get("OnUnitActiveSec") == "5min"
    assert timer["Persistent"] == "true"
    assert timer["RandomizedDelaySec"]
    assert unit["Install"]["WantedBy"] == "timers.target"
    # No Unit= line: it starts the service of the same name.
    assert "Unit" not in timer


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed (not a systemd machine)")
    # verify checks that ExecStart's program exists: point it at a copy of the script
    # in tmp_path instead of the installed path.
    script = tmp_path / SCRIPT.name
    shutil.copy2(SCRIPT, script)
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    service_text = SERVICE.read_text(encoding="utf-8")
    installed = _read_unit(SERVICE)["Service"]["ExecStart"].split()[0]
    assert installed in service_text
    service = tmp_path / SERVICE.name
    service.write_text(service_text.replace(installed, str(script)), encoding="utf-8")
    timer = tmp_path / TIMER.name
    timer.write_text(TIMER.read_text(encoding="utf-8"), encoding="utf-8")
    # --man=no: a minimal system has no man pages to check Documentation= against.
    result = subprocess.run([analyze, "verify", "--man=no", str(service), str(timer)],
                            capture_output=True, text=True, timeout=120, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    # verify exits 0 even for a misspelt key; it only says so.
    assert "Unknown key" not in output and "Unknown section" not in output, output


# --- The script ---------------------------------------------------------------------------


def test_sync_script_is_valid_posix_shell() -> None:
    sh = shutil.which("sh")
    if sh is None:
        pytest.skip("no POSIX sh on this machine")
    assert SCRIPT.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
    result = subprocess.run([sh, "-n", str(SCRIPT)], capture_output=True, text=True,
                            timeout=30, check=False)
    assert result.returncode == 0, result.stderr


def test_sync_script_is_shellcheck_clean() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run([shellcheck, "--shell=sh", str(SCRIPT)], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


class ContentRepo:
    """A clinic's content repository (bare, as on a git server) and a clone staff edit."""

    def __init__(self, base: Path, env: dict[str, str], subdir: str) -> None:
        self.env = env
        self.bare = base / "kiosk-content.git"
        self.work = base / "work"
        self.subdir = subdir
        self.git("init", "--quiet", "--bare", "--initial-branch=main", str(self.bare))
        self.git("init", "--quiet", "--initial-branch=main", str(self.work))
        content = self.work / subdir if subdir else self.work
        shutil.copytree(BUNDLED_CONTENT, content, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        (self.work / "README.md").write_text("The clinic's kiosk content.\n", encoding="utf-8")

    def git(self, *args: str) -> str:
        result = subprocess.run(["git", *args], capture_output=True, text=True,
                                env=self.env, timeout=60, check=False)
        assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stderr}"
        return result.stdout.strip()

    def commit(self, message: str) -> str:
        """Commit everything in the clone and push it to the bare repository; its id."""
        self.git("-C", str(self.work), "add", "--all")
        self.git("-C", str(self.work), "commit", "--quiet", "-m", message)
        self.git("-C", str(self.work), "push", "--quiet", str(self.bare), "HEAD:main")
        return self.git("-C", str(self.work), "rev-parse", "HEAD")

    def path(self, rel: str) -> Path:
        return self.work / rel


def _tools_or_skip() -> str:
    missing = [tool for tool in ("git", "rsync", "sh") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the content sync needs {' and '.join(missing)} "
                    "(apt-get install git rsync)")
    sh = shutil.which("sh")
    assert sh is not None
    return sh


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("GIT_") and k not in ("REPO_URL", "BRANCH", "STAGING", "LIVE",
                                                     "KIOSK_BIN", "SUBDIR", "JOURNAL_STREAM")}
    home = tmp_path / "home"
    home.mkdir()
    env.update({
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_AUTHOR_NAME": "Clinic Staff", "GIT_AUTHOR_EMAIL": "staff@example.org",
        "GIT_COMMITTER_NAME": "Clinic Staff", "GIT_COMMITTER_EMAIL": "staff@example.org",
        # The wrapper below runs this interpreter with this checkout's kiosk package.
        "PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
    })
    return env


def _kiosk_wrapper(tmp_path: Path) -> Path:
    wrapper = tmp_path / "bin" / "kiosk"
    wrapper.parent.mkdir()
    wrapper.write_text('#!/bin/sh\nexec "$PYTHON" -m kiosk "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return wrapper


def _env_file(tmp_path: Path, repo: ContentRepo, live: Path, subdir: str) -> Path:
    env_file = tmp_path / "content-sync.env"
    env_file.write_text(
        "# as /etc/clinic-kiosk/content-sync.env\n"
        f"REPO_URL={repo.bare}\n"
        "BRANCH=main\n"
        f"STAGING={tmp_path / 'state' / 'content-staging'}\n"
        f"LIVE={live}\n"
        f"KIOSK_BIN={_kiosk_wrapper(tmp_path)}\n"
        f"SUBDIR={subdir}\n",
        encoding="utf-8")
    return env_file


def _run_sync(sh: str, env_file: Path, env: dict[str, str]) -> tuple[int, str]:
    result = subprocess.run([sh, str(SCRIPT), str(env_file)], capture_output=True, text=True,
                            env=env, cwd=env_file.parent, timeout=300, check=False)
    return result.returncode, result.stdout + result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too) by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_sync_publishes_good_commits_and_rejects_a_broken_one(tmp_path: Path) -> None:
    sh = _tools_or_skip()
    env = _environment(tmp_path)
    repo = ContentRepo(tmp_path / "server", env, subdir="content")
    first = repo.commit("Bundled content")
    live = tmp_path / "srv" / "kiosk-content"
    env_file = _env_file(tmp_path, repo, live, "content")

    # 1. A good commit reaches the live folder, exactly the content folder's files.
    status, output = _run_sync(sh, env_file, env)
    assert status == 0, output
    assert f"updated {live} to commit {first}" in output
    assert _tree(live) == _tree(BUNDLED_CONTENT)
    assert not (live / ".git").exists() and not (live / "README.md").exists()

    # Nothing new: nothing to do.
    status, output = _run_sync(sh, env_file, env)
    assert status == 0, output
    assert "up to date" in output
    good = _tree(live)

    # 2. A broken topic is rejected: named with file and line, the live folder untouched.
    topic = repo.path(TOPIC)
    text = topic.read_text(encoding="utf-8")
    assert re.search(r"^order: 2$", text, re.MULTILINE)
    topic.write_text(re.sub(r"^order: 2$", "order: three", text, flags=re.MULTILINE),
                     encoding="utf-8")
    bad = repo.commit("Jaw page: order as a word")
    status, output = _run_sync(sh, env_file, env)
    assert status == 1, output
    assert f"REJECTED commit {bad}" in output
    assert f"{TOPIC}:4: 'order' must be a whole number" in output
    assert f"still has commit {first}" in output
    assert _tree(live) == good

    # It stays rejected (and the unit failed) until a good commit arrives.
    status, output = _run_sync(sh, env_file, env)
    assert status == 1 and f"REJECTED commit {bad}" in output, output
    assert _tree(live) == good

    # 3. The fix goes live; a removed file is removed (only warnings: still published).
    topic.write_text(text.replace("title: Your jaw joint (TMJ) and headaches",
                                  "title: Your jaw and headaches"), encoding="utf-8")
    repo.git("-C", str(repo.work), "rm", "--quiet", "content/es/muscle-spasms.md")
    fixed = repo.commit("Jaw page: fixed; Spanish muscle spasms page withdrawn")
    status, output = _run_sync(sh, env_file, env)
    assert status == 0, output
    assert "warning" in output
    assert f"updated {live} to commit {fixed}" in output
    assert "title: Your jaw and headaches" in (live / "en" / "jaw-and-tmj.md").read_text(
        encoding="utf-8")
    assert not (live / "es" / "muscle-spasms.md").exists()
    assert (live / "en" / "muscle-spasms.md").is_file()
    assert not [p for p in live.rglob("*") if p.name.startswith(".")], "rsync left temp files"
    assert _tree(live) == _tree(repo.path("content"))


def test_sync_refuses_a_self_check_with_a_misspelt_field(tmp_path: Path) -> None:
    """`sign:` for `signs:` would hide the danger signs a "No, none of these" answers for
    (once only a warning, so the commit went live): the commit is rejected, named at its line
    with what was meant, and the last good content stays."""
    sh = _tools_or_skip()
    env = _environment(tmp_path)
    repo = ContentRepo(tmp_path / "server", env, subdir="content")
    first = repo.commit("Bundled content")
    live = tmp_path / "srv" / "kiosk-content"
    env_file = _env_file(tmp_path, repo, live, "content")
    status, output = _run_sync(sh, env_file, env)
    assert status == 0, output
    good = _tree(live)

    check = repo.path("content/es/self-check.yaml")
    lines = check.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.strip() == "signs:")
    lines[number - 1] = lines[number - 1].replace("signs:", "sign:")
    check.write_text("\n".join(lines), encoding="utf-8")
    bad = repo.commit("Spanish self-check: signs misspelt")
    status, output = _run_sync(sh, env_file, env)
    assert status == 1, output
    assert f"REJECTED commit {bad}" in output
    assert (f"content/es/self-check.yaml:{number}: question 1: unknown field 'sign' (did you "
            "mean 'signs'?)") in output
    assert f"still has commit {first}" in output
    assert _tree(live) == good


def test_sync_without_subdir_publishes_the_repository_top_folder(tmp_path: Path) -> None:
    sh = _tools_or_skip()
    env = _environment(tmp_path)
    repo = ContentRepo(tmp_path / "server", env, subdir="")
    (repo.work / "README.md").unlink()
    commit = repo.commit("Content at the top")
    live = tmp_path / "live"
    status, output = _run_sync(sh, _env_file(tmp_path, repo, live, ""), env)
    assert status == 0, output
    assert f"commit {commit}" in output
    assert not (live / ".git").exists()
    assert _tree(live) == _tree(BUNDLED_CONTENT)


def test_sync_refuses_a_system_folder_as_live_folder(tmp_path: Path) -> None:
    sh = _tools_or_skip()
    env = _environment(tmp_path)
    env_file = tmp_path / "bad.env"
    env_file.write_text(f"REPO_URL={tmp_path}/none.git\nSTAGING={tmp_path}/staging\n"
                        f"LIVE=/etc\nKIOSK_BIN={sys.executable}\n", encoding="utf-8")
    status, output = _run_sync(sh, env_file, env)
    assert status == 2, output
    assert "LIVE=/etc is a system folder" in output
    # Under systemd, problems carry the journal's "error" level.
    status, output = _run_sync(sh, env_file, {**env, "JOURNAL_STREAM": "8:12345"})
    assert status == 2, output
    assert output.startswith("<3>clinic-kiosk-content-sync: LIVE=/etc"), output


# --- The Ansible example --------------------------------------------------------------------


def _ansible_yaml() -> list[Path]:
    return sorted(p for p in ANSIBLE.rglob("*") if p.suffix in (".yml", ".yaml"))


def test_every_ansible_yaml_file_parses() -> None:
    files = _ansible_yaml()
    assert ANSIBLE / "playbook.yml" in files
    assert ANSIBLE / "group_vars" / "kiosks.yml" in files
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data is not None, f"{path} is empty"


def test_ansible_installs_the_qt_packages_from_the_ci_list() -> None:
    ci_list = (ROOT / ".ci" / "apt-packages").read_text(encoding="utf-8")
    # The list's first part is what Qt needs; from the "For the tests" comment on, tests only.
    qt_part = re.split(r"^#.*\btests?\b.*$", ci_list, maxsplit=1, flags=re.MULTILINE)[0]
    qt_packages = {line.strip() for line in qt_part.splitlines()
                   if line.strip() and not line.startswith("#")}
    assert "libegl1" in qt_packages
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text(encoding="utf-8"))
    role_packages = set(defaults["kiosk_apt_packages"])
    assert qt_packages <= role_packages, sorted(qt_packages - role_packages)
    assert {"cage", "git", "rsync", "python3-venv"} <= role_packages
    assert not {"xvfb", "xdotool", "zbar-tools"} & role_packages


def test_ansible_config_template_covers_every_config_key() -> None:
    template = (ROLE / "templates" / "config.toml.j2").read_text(encoding="utf-8")
    for option in OPTIONS:
        table, _, key = option.key.rpartition(".")
        assert re.search(rf"^{re.escape(key)} = ", template, re.MULTILINE), option.key
        if table:
            assert f"[{table}]" in template


def test_ansible_role_installs_files_that_exist() -> None:
    tasks = yaml.safe_load((ROLE / "tasks" / "main.yml").read_text(encoding="utf-8"))
    sources: list[str] = []
    for task in tasks:
        copy = task.get("ansible.builtin.copy") or {}
        src = copy.get("src", "")
        if "kiosk_deploy_dir" in src:
            for item in task.get("loop", [None]):
                path = src.replace("{{ kiosk_deploy_dir }}", str(DEPLOY))
                sources.append(path.replace("{{ item }}", item) if item else path)
    assert len(sources) >= 4, sources
    for source in sources:
        assert Path(source).is_file(), source
