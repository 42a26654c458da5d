#!/bin/sh
# clinic-kiosk-content-sync.sh: bring this kiosk's content up to date from the clinic's
# content git repository, but only with content that passes "kiosk check".
#
# Run by clinic-kiosk-content-sync.service (started every 5 minutes by the .timer), as the
# dedicated user "kiosk-sync" that owns the staging checkout and the live content folder.
# docs/DEPLOY.md explains the whole set-up.
#
# What one run does:
#   1. fetch BRANCH from REPO_URL into the staging checkout STAGING (a plain git work tree
#      that this script owns; local edits there are thrown away);
#   2. if that commit is the one already in the live folder, stop: nothing to do;
#   3. run "KIOSK_BIN check" on the commit's content (STAGING/SUBDIR);
#   4. errors: REJECT the commit. Its id and the check's "path:line: message" lines are
#      logged, the live folder is not touched, and the script exits 1 (systemd shows the
#      unit as failed until a good commit arrives);
#      no errors (warnings are fine): copy the content into the live folder LIVE.
#
# How the live folder is updated, and why this way: rsync --delay-updates --delete-delay.
# rsync first writes every new or changed file into hidden ".~tmp~" folders, then renames
# them all into place in rapid succession, and only then deletes files that are gone. The
# kiosk watches the folder named by "content" in its config, waits until the files have
# stopped changing, reads them, and compares before and after; so it reads the content
# only once the update is complete, and a mixed state never reaches the screen (if it ever
# were broken, the kiosk keeps its last good content anyway). LIVE stays a plain folder at
# a fixed path, so the kiosk's config and watcher need nothing special. (A symlink swap
# would be atomic on disk, but the kiosk's file watcher follows the link once and keeps
# watching the old folder, so it would not notice the swap.)
#
# Settings: environment variables, normally from /etc/clinic-kiosk/content-sync.env
# (systemd's EnvironmentFile=). For a manual run, name the file as the first argument;
# without an argument and without REPO_URL set, /etc/clinic-kiosk/content-sync.env is read.
#   REPO_URL          the content repository (git@host:clinic/kiosk-content.git, https://...)
#   BRANCH            branch to follow (default: main)
#   STAGING           staging checkout (e.g. /var/lib/clinic-kiosk/content-staging)
#   LIVE              live content folder, the config's "content" (e.g. /srv/kiosk-content)
#   KIOSK_BIN         the kiosk command (default: /opt/clinic-kiosk/venv/bin/kiosk)
#   SUBDIR            optional: the content folder inside the repository (e.g. content);
#                     empty: the repository's top folder is the content folder
#   DEFAULT_LANGUAGE  optional: the config's "language" (default: en), for "kiosk check"
#   GIT_SSH_COMMAND   optional, passed to git: e.g. a read-only deploy key, see DEPLOY.md
#
# Exit status: 0 live folder up to date (updated now, or already at this commit);
# 1 the commit was rejected: "kiosk check" found errors; 2 a setting is wrong; 3 fetching
# failed; 4 updating the live folder failed; 5 "kiosk check" itself failed to run (the
# commit is not used either). In every case but 0 the live folder is as it was.

set -eu

PROG=clinic-kiosk-content-sync
DEFAULT_ENV=/etc/clinic-kiosk/content-sync.env

# Under systemd (JOURNAL_STREAM is set), mark problems with the journal's "error" level,
# so "journalctl -p err" and "systemctl status" show them; plain text when run by hand.
ERR=
if [ -n "${JOURNAL_STREAM:-}" ]; then
    ERR='<3>'
fi

log() {
    printf '%s\n' "$*"
}

err() {
    printf '%s%s: %s\n' "$ERR" "$PROG" "$*" >&2
}

die() {
    # die STATUS MESSAGE...
    status=$1
    shift
    err "$*"
    exit "$status"
}

# --- Settings ---------------------------------------------------------------------------
env_file=${1:-}
if [ -z "$env_file" ] && [ -z "${REPO_URL:-}" ] && [ -r "$DEFAULT_ENV" ]; then
    env_file=$DEFAULT_ENV
fi
if [ -n "$env_file" ]; then
    [ -r "$env_file" ] || die 2 "cannot read the settings file $env_file"
    case $env_file in
        */*) ;;
        *) env_file=./$env_file ;; # "." would search PATH for a bare name
    esac
    # KEY=value lines, as in systemd's EnvironmentFile=; export them all (GIT_SSH_COMMAND).
    set -a
    # shellcheck source=/dev/null
    . "$env_file"
    set +a
fi

REPO_URL=${REPO_URL:-}
BRANCH=${BRANCH:-main}
STAGING=${STAGING:-}
LIVE=${LIVE:-}
KIOSK_BIN=${KIOSK_BIN:-/opt/clinic-kiosk/venv/bin/kiosk}
SUBDIR=${SUBDIR:-}
DEFAULT_LANGUAGE=${DEFAULT_LANGUAGE:-en}

[ -n "$REPO_URL" ] || die 2 "REPO_URL is not set (in $DEFAULT_ENV or the named file)"
[ -n "$BRANCH" ] || die 2 "BRANCH is empty"
case $BRANCH in
    -* | *..* | *' '*) die 2 "BRANCH '$BRANCH' is not a branch name" ;;
esac
case $STAGING in
    /?*) ;;
    *) die 2 "STAGING must be an absolute path, not '$STAGING'" ;;
esac
case $LIVE in
    /?*) ;;
    *) die 2 "LIVE must be an absolute path, not '$LIVE'" ;;
esac
STAGING=${STAGING%/}
LIVE=${LIVE%/}
# rsync --delete empties whatever LIVE names: refuse anything that is clearly not a content
# folder of its own.
case $LIVE in
    / | /bin | /boot | /dev | /etc | /home | /lib | /lib64 | /media | /mnt | /opt | /proc | \
        /root | /run | /sbin | /srv | /sys | /tmp | /usr | /usr/* | /var | /var/lib)
        die 2 "LIVE=$LIVE is a system folder; name a folder of its own (e.g. /srv/kiosk-content)" ;;
esac
case $LIVE/ in
    "$STAGING"/*) die 2 "LIVE must not be inside STAGING" ;;
esac
case $STAGING/ in
    "$LIVE"/*) die 2 "STAGING must not be inside LIVE" ;;
esac
SUBDIR=${SUBDIR#/}
SUBDIR=${SUBDIR%/}
case /$SUBDIR/ in
    */../* | */./*) die 2 "SUBDIR '$SUBDIR' must be a plain folder path inside the repository" ;;
esac
case $KIOSK_BIN in
    */*) ;;
    *) KIOSK_BIN=$(command -v "$KIOSK_BIN" || printf '%s' "$KIOSK_BIN") ;;
esac
case $KIOSK_BIN in
    /*) ;;
    *) die 2 "KIOSK_BIN must be an absolute path, not '$KIOSK_BIN'" ;;
esac
[ -x "$KIOSK_BIN" ] || die 2 "KIOSK_BIN=$KIOSK_BIN is not an executable file"
command -v git >/dev/null 2>&1 || die 2 "git is not installed"
command -v rsync >/dev/null 2>&1 || die 2 "rsync is not installed"

# --- One run at a time (a manual run next to the timer's) ----------------------------------
mkdir -p "$(dirname "$STAGING")"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$STAGING.lock"
    if ! flock -n 9; then
        log "another content sync is running; leaving it to finish"
        exit 0
    fi
fi

# --- 1. Fetch into the staging checkout ---------------------------------------------------
if [ ! -d "$STAGING/.git" ]; then
    log "creating the staging checkout $STAGING"
    mkdir -p "$STAGING"
    git -C "$STAGING" init --quiet
    # Keep no history of old checkouts: the staging checkout only ever needs the newest.
    git -C "$STAGING" config core.logAllRefUpdates false
fi
if ! git -C "$STAGING" fetch --quiet --no-tags --depth=1 "$REPO_URL" \
        "refs/heads/$BRANCH"; then
    die 3 "cannot fetch branch '$BRANCH' from $REPO_URL; the live folder $LIVE is unchanged"
fi
new=$(git -C "$STAGING" rev-parse --verify --quiet 'FETCH_HEAD^{commit}') ||
    die 3 "fetched nothing usable from $REPO_URL branch '$BRANCH'"
subject=$(git -C "$STAGING" log -1 --format='%s (%an, %cd)' --date=short "$new")
deployed=$(git -C "$STAGING" rev-parse --verify --quiet 'refs/kiosk/deployed^{commit}' ||
    true)

if [ "$new" = "$deployed" ] && [ -d "$LIVE" ]; then
    log "up to date: $LIVE has commit $new ($BRANCH)"
    exit 0
fi

git -C "$STAGING" checkout --quiet --force --detach "$new"
git -C "$STAGING" clean --quiet -d --force -x

src=$STAGING
if [ -n "$SUBDIR" ]; then
    src=$STAGING/$SUBDIR
fi
if [ ! -d "$src" ]; then
    err "REJECTED commit $new on $BRANCH: $subject"
    die 1 "the repository has no folder '$SUBDIR' (SUBDIR); the live folder $LIVE is unchanged"
fi

# --- 2. Check it --------------------------------------------------------------------------
# Run from the checkout with a relative folder, so problems are named as in the repository
# (content/en/jaw-and-tmj.md:4: ...). stdout and stderr both go to the journal.
log "checking commit $new on $BRANCH: $subject"
if report=$(cd "$STAGING" && "$KIOSK_BIN" check --language "$DEFAULT_LANGUAGE" \
        "${SUBDIR:-.}" 2>&1); then
    checked=0
else
    checked=$?
fi

if [ "$checked" -ne 0 ]; then
    err "REJECTED commit $new on $BRANCH: $subject"
    if [ "$checked" -eq 1 ]; then
        err "kiosk check found errors:"
    else
        err "kiosk check did not finish (exit status $checked):"
    fi
    printf '%s\n' "$report" | sed "s/^/$ERR/" >&2
    if [ -n "$deployed" ]; then
        err "the live folder $LIVE is unchanged; it still has commit $deployed"
    else
        err "the live folder $LIVE is unchanged"
    fi
    if [ "$checked" -eq 1 ]; then
        err "fix the files above in the content repository (or git revert the commit)"
        exit 1
    fi
    err "is the kiosk app ($KIOSK_BIN) installed and working? Try: $KIOSK_BIN check"
    exit 5
fi
if [ -n "$report" ]; then
    printf '%s\n' "$report"
fi

# --- 3. Update the live folder ------------------------------------------------------------
# -r -t: files and folders with their times; --safe-links: copy only symlinks that stay
# inside the content (never one to a file elsewhere on the kiosk); --checksum: files whose
# content did not change are left alone, so the kiosk reloads only for real changes;
# --delay-updates + --delete-delay: see the top of this file. Git's own files stay out.
mkdir -p "$LIVE"
if ! rsync -rlt --safe-links --checksum --perms --chmod=D0755,F0644 \
        --delay-updates --delete --delete-delay --delete-excluded \
        --exclude='/.git' --exclude='/.gitignore' --exclude='/.gitattributes' \
        --exclude='/.github' --exclude='/.gitlab-ci.yml' \
        "$src/" "$LIVE/"; then
    die 4 "copying commit $new into $LIVE failed; run again, or see the messages above"
fi
git -C "$STAGING" update-ref refs/kiosk/deployed "$new"
log "updated $LIVE to commit $new on $BRANCH: $subject"
