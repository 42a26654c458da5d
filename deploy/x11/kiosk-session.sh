#!/bin/sh
# kiosk-session.sh: run the clinic kiosk in an X11 session and keep it running.
#
# Use it as the last line of ~/.xinitrc ("exec /opt/clinic-kiosk/kiosk-session.sh"),
# as the program of a display manager's autologin session, or from the XDG
# autostart entry clinic-kiosk.desktop. See deploy/README.md.
#
# It turns off the X screen saver and display power saving, then starts the
# kiosk. If the kiosk exits with an error (or is killed) it is started again
# after 2 seconds; if it exits normally (staff chose "Exit the kiosk") this
# script exits too. Everything it says goes to stderr with a timestamp.
#
# Settings (environment variables, all optional):
#   KIOSK_BIN     the kiosk command (default /opt/clinic-kiosk/venv/bin/kiosk)
#   KIOSK_CONFIG  config file (default /etc/clinic-kiosk/config.toml;
#                 set it to an empty value to use the kiosk's own default)
# Any arguments given to this script are passed on to the kiosk.

set -u

KIOSK_BIN=${KIOSK_BIN:-/opt/clinic-kiosk/venv/bin/kiosk}
KIOSK_CONFIG=${KIOSK_CONFIG-/etc/clinic-kiosk/config.toml}
RESTART_DELAY=2

log() {
    printf '%s kiosk-session: %s\n' "$(date '+%Y-%m-%d %H:%M:%S')" "$*" >&2
}

if [ ! -x "$KIOSK_BIN" ]; then
    log "cannot run $KIOSK_BIN (not installed, or not executable); giving up"
    exit 1
fi

if [ -n "$KIOSK_CONFIG" ]; then
    set -- --config "$KIOSK_CONFIG" "$@"
fi

# This is an X11 session: make Qt use its X11 (xcb) plugin unless told otherwise.
QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-xcb}
export QT_QPA_PLATFORM

# Keep the screen on: no screen saver, no blanking, no display power saving.
if command -v xset >/dev/null 2>&1; then
    xset s off || log "xset s off failed (is DISPLAY set?)"
    xset s noblank || log "xset s noblank failed"
    xset -dpms || log "xset -dpms failed (the X server may have no DPMS)"
else
    log "xset not found (install x11-xserver-utils); the screen may blank"
fi

# Pass a stop request (logout, shutdown) on to the kiosk, then stop.
child=""
stop() {
    log "stop requested; stopping the kiosk"
    if [ -n "$child" ]; then
        kill -TERM "$child" 2>/dev/null
        wait "$child" 2>/dev/null
    fi
    exit 0
}
trap stop HUP INT TERM

while :; do
    log "starting $KIOSK_BIN $*"
    "$KIOSK_BIN" "$@" &
    child=$!
    wait "$child"
    status=$?
    child=""
    if [ "$status" -eq 0 ]; then
        log "the kiosk exited normally (staff exit); not restarting"
        exit 0
    fi
    log "the kiosk exited with status $status; restarting in ${RESTART_DELAY} s"
    sleep "$RESTART_DELAY"
done
