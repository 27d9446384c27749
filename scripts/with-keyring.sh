#!/usr/bin/env bash
# Runs CMD... inside a private D-Bus session bus with an unlocked gnome-keyring (Secret Service),
# so code that uses the OS keyring works headless, in CI and in tests.
#
# The keyring files live in a throw-away directory (never the user's own keyrings), removed
# afterwards. Whatever the session started and left running (the keyring daemon, D-Bus-activated
# services such as xdg-desktop-portal, which GTK apps ask for) is ended afterwards too, so no
# process outlives the run holding its output open. The command's exit status is passed through.
#
# Under Xvfb, put this inside xvfb-run (xvfb-run ... scripts/with-keyring.sh CMD) so that the
# services the bus starts see DISPLAY.
#
# Usage: scripts/with-keyring.sh CMD [ARGS...]
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: $tool not found; run scripts/setup.sh test" >&2
    exit 127
  fi
done

KEYRING_HOME="$(mktemp -d "${TMPDIR:-/tmp}/kanaal-keyring.XXXXXX")"

# Every process of this session but the command carries KANAAL_KEYRING_SESSION=<our dir>:
# the keyring daemon, the bus and what the bus starts. Afterwards, end those still running.
# shellcheck disable=SC2317 # called from the EXIT trap
end_session_processes() {
  local envf pid _
  export -n KANAAL_KEYRING_SESSION # keep it out of grep's own environment
  for _ in 1 2; do
    while IFS= read -r envf; do
      pid="${envf#/proc/}"
      pid="${pid%/environ}"
      if [ "$pid" != "$$" ]; then kill "$pid" 2>/dev/null || true; fi
    done < <(grep -lzxF "KANAAL_KEYRING_SESSION=$KEYRING_HOME" /proc/[0-9]*/environ 2>/dev/null || true)
    sleep 0.2
  done
}
# shellcheck disable=SC2317 # called from the EXIT trap
cleanup() {
  end_session_processes
  rm -rf "$KEYRING_HOME"
}
trap cleanup EXIT

export KANAAL_KEYRING_SESSION="$KEYRING_HOME"
status=0
# shellcheck disable=SC2016 # the inner script expands its own variables
dbus-run-session -- sh -c '
  printf pw | XDG_DATA_HOME="$KANAAL_KEYRING_SESSION" gnome-keyring-daemon \
    --components=secrets --daemonize --unlock >/dev/null
  unset KANAAL_KEYRING_SESSION
  exec "$@"
' with-keyring "$@" || status=$?
exit "$status"
