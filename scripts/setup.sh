#!/usr/bin/env bash
# Installs what building, running and testing Kanaal needs, and only what is missing.
# Idempotent, and fast (a second or two) when everything is already present.
#
# Usage: scripts/setup.sh [run|test|all]   (default: all)
#   run   build dependencies (Debian -dev packages) and the UI's npm packages
#   test  everything: also Xvfb, WebKitWebDriver, the keyring tools, tauri-driver, e2e npm packages
#   all   same as test
#
# Environment switches (set to 1 to skip that part):
#   SETUP_SKIP_APT     don't check or install Debian packages
#   SETUP_SKIP_DRIVER  don't install tauri-driver
#   SETUP_SKIP_NPM     don't run npm ci
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:-all}"
case "$MODE" in
  run | test | all) ;;
  -h | --help)
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "setup.sh: unknown mode '$MODE' (expected run, test or all)" >&2
    exit 2
    ;;
esac

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
case ":$PATH:" in
  *":$CARGO_BIN:"*) ;;
  *) export PATH="$CARGO_BIN:$PATH" ;;
esac

log() { echo "setup: $*" >&2; }

# Packages needed to build the app (Tauri 2 on Linux).
BUILD_PKGS=(
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev
  libssl-dev pkg-config
)
# Packages the tests need: a virtual display, the WebKit WebDriver, a D-Bus session with
# gnome-keyring (the OS keyring the app uses), X tools and ImageMagick for screenshots, and
# locales (the e2e tests compile nl_NL.UTF-8 with localedef to run the app on a Dutch system).
TEST_PKGS=(
  xvfb webkit2gtk-driver gnome-keyring dbus dbus-x11 libsecret-tools xauth x11-utils
  imagemagick locales
)

apt_missing() {
  local pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [ "$status" != "install ok installed" ]; then
      echo "$pkg"
    fi
  done
}

install_apt() {
  local pkgs=("${BUILD_PKGS[@]}")
  if [ "$MODE" != run ]; then
    pkgs+=("${TEST_PKGS[@]}")
  fi
  local missing
  mapfile -t missing < <(apt_missing "${pkgs[@]}")
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  log "installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" </dev/null
}

install_tauri_driver() {
  if command -v tauri-driver >/dev/null 2>&1; then
    return 0
  fi
  log "installing tauri-driver (cargo install, about a minute)"
  cargo install tauri-driver --version '^2' --locked
}

# npm ci in DIR when node_modules is missing or older than package-lock.json / package.json.
npm_ci() {
  local dir="$1"
  local stamp="$dir/node_modules/.kanaal-setup-stamp"
  if [ ! -f "$dir/package.json" ]; then
    log "skipping npm in $dir: no package.json"
    return 0
  fi
  if [ -f "$stamp" ] && [ ! "$dir/package.json" -nt "$stamp" ] &&
    { [ ! -f "$dir/package-lock.json" ] || [ ! "$dir/package-lock.json" -nt "$stamp" ]; }; then
    return 0
  fi
  if [ -f "$dir/package-lock.json" ]; then
    log "npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null)
  else
    log "WARNING: ${dir#"$ROOT"/} has no package-lock.json; running npm install (commit the lock file)"
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error </dev/null)
  fi
  touch "$stamp"
}

# Rust and Node come from the machine (rustup, Debian/NodeSource): say so clearly if missing.
check_toolchains() {
  command -v cargo >/dev/null 2>&1 ||
    { log "cargo not found: install Rust with rustup (https://rustup.rs)"; exit 1; }
  command -v npm >/dev/null 2>&1 ||
    { log "npm not found: install Node.js 20.19+ with npm"; exit 1; }
  if [ "$MODE" != run ]; then
    local missing=()
    cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
    cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
    if [ "${#missing[@]}" -gt 0 ]; then
      log "adding Rust components: ${missing[*]}"
      rustup component add "${missing[@]}"
    fi
  fi
}

check_toolchains
if [ "${SETUP_SKIP_APT:-0}" != 1 ]; then
  install_apt
fi
if [ "$MODE" != run ] && [ "${SETUP_SKIP_DRIVER:-0}" != 1 ]; then
  install_tauri_driver
fi
if [ "${SETUP_SKIP_NPM:-0}" != 1 ]; then
  npm_ci "$ROOT/ui"
  if [ "$MODE" != run ]; then
    npm_ci "$ROOT/tests/e2e"
  fi
fi
