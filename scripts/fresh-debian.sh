#!/usr/bin/env bash
# fresh-debian.sh: try the README's two commands and the Ansible role on a brand-new Debian 12.
#
# Builds a minimal Debian 12 (bookworm) root with debootstrap, once, and keeps it as a tar
# file; then, each in a fresh copy of that root (chroot):
#   1. the README's set-up command (the line after <!-- setup-command -->), which must
#      install everything and end with the kiosk's one-line "no display" message (exit 2),
#      then the kiosk under QT_QPA_PLATFORM=offscreen until its first paint;
#   2. the README's test command (the line after <!-- test-command -->); run alone
#      (STEPS=tests), the set-up command runs first, as the README says (it installs
#      Python and the libraries Qt needs);
#   3. the Ansible role (deploy/ansible) with "ansible-playbook -c chroot", --check first,
#      then for real, then again (it must report nothing changed).
#
# By hand, as root, not in CI: it needs debootstrap, ansible, network access to
# deb.debian.org and PyPI, about 3 GB and 10-20 minutes.
#
#   sudo apt-get install debootstrap ansible
#   sudo scripts/fresh-debian.sh [WORKDIR]          (default /var/tmp/kiosk-fresh-debian)
#   STEPS="readme role" sudo -E scripts/fresh-debian.sh   (only some steps)
#
# Each long step prints a line every 30 s (time so far and its log's last line). A root left
# mounted by a killed run is unmounted before it is deleted, and never deleted while
# anything is still mounted in it. Prints a summary; the exit status is the number of steps
# that failed.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/var/tmp/kiosk-fresh-debian}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
variant=${VARIANT:-minbase}
steps=${STEPS:-readme tests role}
# HOST_CA: a CA bundle for pip inside the root (e.g. /etc/ssl/certs/ca-certificates.crt
# where a proxy re-signs HTTPS); empty: pip uses its own, as on a normal network.
host_ca=${HOST_CA:-}
base="$work/bookworm-$variant-systemd.tar"
results=()

say() { printf '\n=== %s\n' "$*"; }
die() { echo "fresh-debian.sh: $*" >&2; exit 100; }

[ "$(id -u)" = 0 ] || die "run as root (debootstrap, chroot and mount need it)"
command -v debootstrap >/dev/null || die "needs debootstrap (apt-get install debootstrap)"
case " $steps " in *" role "*)
    # The chroot connection is in the community.general collection (Debian's "ansible").
    ansible-doc -t connection community.general.chroot >/dev/null 2>&1 \
        || die "needs ansible with community.general (apt-get install ansible)";;
esac

# The line after a marker in the README: the command exactly as a reader would copy it.
readme_command() {
    awk -v m="<!-- $1 -->" '$0 == m {found=1; next} found && NF {sub(/^[ \t]+/, ""); print; exit}' \
        "$repo/README.md"
}

# run_logged LOG COMMAND...: COMMAND's output goes to LOG; every 30 s (PROGRESS_SECONDS) a
# line with the time so far and LOG's last line, so a long step is seen to move. Returns
# COMMAND's exit status.
run_logged() {
    local log=$1 pid n=0 last every=${PROGRESS_SECONDS:-30}
    shift
    "$@" >"$log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        sleep 1
        n=$((n + 1))
        if [ $((n % every)) = 0 ]; then
            last=$(tail -n 1 "$log" 2>/dev/null | tr -d '\r' | cut -c 1-100)
            printf '    ... %dm%02ds  %s\n' $((n / 60)) $((n % 60)) "$last"
        fi
    done
    wait "$pid"
}

# The mount points at or under folder $1 (deepest first).
mounts_under() {
    awk -v r="$1" '$2 == r || index($2, r "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

# Delete folder $1 (a root this script made): first unmount what a killed run left mounted
# in it (its /dev is the host's /dev, bound); refuse if anything is still mounted; and never
# cross into another file system while deleting.
remove_root() {
    local root m left
    [ -e "$1" ] || return 0
    root=$(realpath -e "$1") || return 1
    case $root in /|/dev|/dev/*|/proc|/proc/*|/sys|/sys/*) die "refusing to delete $root";; esac
    while read -r m; do
        [ -n "$m" ] || continue
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
    done < <(mounts_under "$root")
    left=$(mounts_under "$root")
    if [ -n "$left" ]; then
        echo "fresh-debian.sh: still mounted under $root, so it is not deleted:" >&2
        echo "$left" >&2
        return 1
    fi
    rm -rf --one-file-system "$root"
}

mounted=()
# shellcheck disable=SC2317  # run by the EXIT trap
cleanup() {
    local i
    for ((i=${#mounted[@]}-1; i>=0; i--)); do umount -l "${mounted[i]}" 2>/dev/null; done
}
trap cleanup EXIT

# A fresh copy of the pristine root in $1, with /proc, /sys and /dev, and this project
# (its tracked and new, not ignored, files) in /root/clinic-kiosk.
fresh_root() {
    local root=$1 m
    remove_root "$root" && mkdir -p "$root" && tar -C "$root" -xf "$base" || return 1
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    # Behind a proxy that re-signs HTTPS, pip in the root needs this machine's CA bundle.
    if [ -n "$host_ca" ] && [ -f "$host_ca" ]; then cp "$host_ca" "$root/etc/host-ca.crt"; fi
    mount -t proc proc "$root/proc" && mounted+=("$root/proc")
    mount -t sysfs sys "$root/sys" && mounted+=("$root/sys")
    for m in dev dev/pts; do
        mount --bind "/$m" "$root/$m" && mounted+=("$root/$m")
    done
    mkdir -p "$root/root/clinic-kiosk"
    if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
        (cd "$repo" && git ls-files -z --cached --others --exclude-standard \
            | tar --null -T - --ignore-failed-read -cf -)
    else  # an exported copy (git archive): everything but virtual environments
        tar -C "$repo" --exclude='./.venv*' -cf - .
    fi | tar -C "$root/root/clinic-kiosk" -xf -
}

in_root() {  # in_root ROOT COMMAND: a login-like root shell in the project folder
    local ca=()
    if [ -f "$1/etc/host-ca.crt" ]; then ca=(PIP_CERT=/etc/host-ca.crt); fi
    chroot "$1" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb "${ca[@]}" \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        /bin/bash -c "cd /root/clinic-kiosk && $2"
}

record() { results+=("$(printf '%-8s %s' "$1" "$2")"); }

mkdir -p "$work"
if [ ! -f "$base" ]; then
    say "debootstrap --variant=$variant bookworm (once; kept as $base; a few minutes)"
    remove_root "$work/build" || die "could not delete $work/build"
    # minbase, plus systemd as init, as every installed Debian has (a chroot needs none).
    run_logged "$work/debootstrap.log" debootstrap --variant="$variant" \
        --include=systemd-sysv bookworm "$work/build" "$mirror" \
        || die "debootstrap failed; see $work/debootstrap.log"
    tar -C "$work/build" -cf "$base" . && remove_root "$work/build"
fi

# --- 1 and 2: the README's two commands ------------------------------------------------------
case " $steps " in *" readme "*|*" tests "*)
    root="$work/readme"
    say "fresh root for the README: $root"
    fresh_root "$root" || die "could not make $root"
    in_root "$root" "command -v python3 || echo 'no python3 (as expected on a fresh root)'"
    # As root there is no sudo (a minimal Debian has none): the README says to leave it out.
    setup=$(readme_command setup-command | sed 's/sudo //g')
    [ -n "$setup" ] || die "no <!-- setup-command --> in README.md"
    case " $steps " in *" readme "*)
        say "README set-up command (a few minutes): $setup"
        run_logged "$work/readme-setup.log" in_root "$root" "$setup"
        code=$?
        tail -n 3 "$work/readme-setup.log"
        if [ "$code" = 2 ] && grep -q "^kiosk: no display" "$work/readme-setup.log"; then
            record readme "ok: installed, then the one-line no-display message (exit 2)"
        else
            record readme "FAILED (exit $code; see $work/readme-setup.log)"
        fi
        say "the kiosk, offscreen, until its first paint"
        if in_root "$root" "QT_QPA_PLATFORM=offscreen KIOSK_REPORT_READY=1 timeout 60 \
                .venv/bin/kiosk --windowed 2>&1 | grep -m1 KIOSK_READY" >"$work/readme-run.log"
        then
            record paint "ok: $(cat "$work/readme-run.log")"
        else
            record paint "FAILED: no first paint within 60 s"
        fi
    ;; esac
    case " $steps " in *" tests "*)
        case " $steps " in *" readme "*) ;; *)
            # The tests need what the set-up command installs (Python, its venv, Qt's
            # libraries), as the README says: on a fresh root, it runs first.
            say "README set-up command first (the tests need what it installs): $setup"
            run_logged "$work/readme-setup.log" in_root "$root" "$setup"
            code=$?
            if ! { [ "$code" = 2 ] && grep -q "^kiosk: no display" "$work/readme-setup.log"; }
            then
                record setup "FAILED (exit $code; see $work/readme-setup.log)"
            fi
        ;; esac
        tests=$(readme_command test-command)
        say "README test command (several minutes): $tests"
        run_logged "$work/readme-tests.log" in_root "$root" "$tests -q -rs"
        code=$?
        grep -E "^SKIPPED|passed|failed" "$work/readme-tests.log" | tail -n 25
        summary=$(grep -E "[0-9]+ (passed|failed)" "$work/readme-tests.log" | tail -n 1)
        if [ "$code" = 0 ]; then record tests "ok: $summary"
        else record tests "FAILED (exit $code): $summary; see $work/readme-tests.log"; fi
    ;; esac
;; esac

# --- 3: the Ansible role ------------------------------------------------------------------------
case " $steps " in *" role "*)
    root="$work/role"
    say "fresh root for the Ansible role: $root"
    fresh_root "$root" || die "could not make $root"
    # A local content repository inside the root stands in for the clinic's git server.
    mkdir -p "$root/srv/content-repo"
    cp -r "$repo/kiosk/content" "$root/srv/content-repo/content"
    cat >"$work/inventory.ini" <<EOF
[kiosks]
$root ansible_connection=community.general.chroot ansible_python_interpreter=/usr/bin/python3

EOF
    # The app as a wheel, as docs/DEPLOY.md suggests (built with this machine's Python).
    say "building the app's wheel"
    rm -rf "$work/dist" "$work/wheel-venv"
    if ! { python3 -m venv "$work/wheel-venv" \
           && "$work/wheel-venv/bin/pip" wheel -q --no-deps -w "$work/dist" "$repo"; }; then
        die "could not build the wheel (apt-get install python3-venv)"
    fi
    wheel=$(ls "$work"/dist/clinic_kiosk-*.whl)
    # Extra vars beat group_vars/kiosks.yml. Already root in the chroot (no sudo): no become.
    playbook=(ansible-playbook -i "$work/inventory.ini" -e ansible_become=false
              -e kiosk_content_repo_url=file:///srv/content-repo -e kiosk_content_subdir=content
              -e "kiosk_app_wheel=$wheel" "$repo/deploy/ansible/playbook.yml")
    # The chroot connection passes this shell's environment on: none of this machine's pip
    # settings or CA paths (they name files outside the root), only HOST_CA's copy.
    while read -r name; do unset "$name"; done < <(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p')
    unset REQUESTS_CA_BUNDLE CURL_CA_BUNDLE SSL_CERT_FILE SSL_CERT_DIR
    if [ -f "$root/etc/host-ca.crt" ]; then
        export PIP_CERT=/etc/host-ca.crt REQUESTS_CA_BUNDLE=/etc/host-ca.crt
    fi
    export ANSIBLE_NOCOLOR=1 ANSIBLE_HOST_KEY_CHECKING=0 ANSIBLE_RETRY_FILES_ENABLED=0
    say "role, --check --diff on the fresh root"
    run_logged "$work/role-check.log" "${playbook[@]}" --check --diff
    code=$?
    tail -n 4 "$work/role-check.log"
    if [ "$code" = 0 ]; then record check "ok: $(grep -E 'ok=' "$work/role-check.log" | tail -n 1)"
    else record check "FAILED (exit $code; see $work/role-check.log)"; fi
    say "role, for real (several minutes)"
    run_logged "$work/role-run.log" "${playbook[@]}"
    code=$?
    tail -n 4 "$work/role-run.log"
    if [ "$code" = 0 ]; then record role "ok: $(grep -E 'ok=' "$work/role-run.log" | tail -n 1)"
    else record role "FAILED (exit $code; see $work/role-run.log)"; fi
    say "role, again: nothing should change"
    run_logged "$work/role-again.log" "${playbook[@]}"
    code=$?
    line=$(grep -E 'ok=' "$work/role-again.log" | tail -n 1)
    if [ "$code" = 0 ] && echo "$line" | grep -q "changed=0"; then record again "ok: $line"
    else record again "FAILED (exit $code): $line; see $work/role-again.log"; fi
    in_root "$root" "ls -l /etc/systemd/system/clinic-kiosk.service \
        /etc/systemd/system/graphical.target.wants/ 2>&1; dpkg -l cage xwayland procps \
        speech-dispatcher 2>&1 | grep ^ii; /opt/clinic-kiosk/venv/bin/pip list 2>/dev/null \
        | grep -i -E 'clinic|pyside'" >"$work/role-result.txt" 2>&1
    cat "$work/role-result.txt"
;; esac

say "summary ($work)"
failed=0
for line in "${results[@]}"; do
    echo "$line"
    case "$line" in *FAILED*) failed=$((failed + 1));; esac
done
exit "$failed"
