#!/usr/bin/env bash
# The README's two commands on a fresh minimal Debian 12, timed step by step (docs/packaging.md).
#
#   sudo packaging/linux/readme-on-fresh-debian.sh [WORKDIR]
#
# Needs root, debootstrap and the network (Debian's archive and PyPI). Makes a new
# `debootstrap --variant=minbase bookworm` root (no python3, no uv, no Qt libraries), copies this
# checkout into it as a newcomer's clone, then, inside it:
#   1. as a user without sudo: `./run qwen-desktop` must print the one apt line and stop;
#   2. as root: `./run qwen-desktop` (installs the system packages and uv, builds the environment,
#      starts the app offscreen), stopped once its database exists and it ran 5 s more;
#   3. as root: the README's keyring line (`apt-get install gnome-keyring`, plus dbus-daemon for a
#      session bus), then `./run qwen-desktop --smoke-test URL` (stores a key in gnome-keyring,
#      sends a message through the window, gets the simulator's reply);
#   4. as root: `./run pytest`.
# The simulator runs on this machine (the root shares its network). Times go to WORKDIR/times.txt.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${1:-/var/tmp/qwen-desktop-readme-run}"
root="$work/root"
times="$work/times.txt"
mirror="${QWEN_DESKTOP_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
port="${QWEN_DESKTOP_SIMULATOR_PORT:-8799}"

[ "$(id -u)" -eq 0 ] || { echo "run this as root (debootstrap, chroot)" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
: >"$times"

step() {  # step NAME COMMAND...: run, time, log
    local name="$1" start end status
    shift
    start=$(date +%s.%N)
    set +e
    "$@" >"$work/$name.log" 2>&1
    status=$?
    set -e
    end=$(date +%s.%N)
    printf '%-28s %7.1f s  exit %s\n' "$name" "$(awk "BEGIN { print $end - $start }")" "$status" | tee -a "$times"
    return 0
}

# This machine reaches PyPI through a TLS-intercepting proxy whose CA only the host trusts; give
# the root the host's CA bundle (a normal machine needs nothing of the sort).
tls=()
if [ -n "${SSL_CERT_FILE:-}" ] && [ -f "$SSL_CERT_FILE" ]; then
    tls=(SSL_CERT_FILE=/etc/host-ca.crt PIP_CERT=/etc/host-ca.crt)
fi

in_root() {
    chroot "$root" env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 \
        HOME=/root TERM=dumb "${tls[@]}" "$@"
}

cleanup() {
    umount --lazy "$root/proc" 2>/dev/null || true
    [ -n "${sim_pid:-}" ] && kill "$sim_pid" 2>/dev/null || true
}
trap cleanup EXIT

step debootstrap debootstrap --variant=minbase bookworm "$root" "$mirror"
cp /etc/resolv.conf "$root/etc/resolv.conf"
[ "${#tls[@]}" -eq 0 ] || cp "$SSL_CERT_FILE" "$root/etc/host-ca.crt"
mount -t proc proc "$root/proc"
mkdir -p "$root/home/newcomer"
git -C "$here" archive --format=tar --prefix=qwen-desktop/ HEAD | tar -C "$root/home/newcomer" -x
in_root useradd --home-dir /home/newcomer --shell /bin/bash newcomer
in_root chown -R newcomer: /home/newcomer
in_root sh -c 'command -v python3 uv || echo "no python3, no uv"' >"$work/before.log" 2>&1 || true

# The simulator, on this machine.
uv_bin="$(command -v uv || echo "$HOME/.local/bin/uv")"
(cd "$here" && exec "$uv_bin" run python -m tests.simulator --port $port >"$work/simulator.log" 2>&1) &
sim_pid=$!
for _ in $(seq 60); do grep -q "sk-sim-intl" "$work/simulator.log" 2>/dev/null && break; sleep 1; done
key=$(grep -o 'sk-sim-intl-[0-9a-zA-Z]*' "$work/simulator.log" | head -1 || true)
[ -n "$key" ] || { echo "the simulator did not start: see $work/simulator.log" >&2; exit 1; }

app=/home/newcomer/qwen-desktop
step "user-without-sudo" in_root su newcomer -c "cd $app && ./run qwen-desktop </dev/null"
# The first command from nothing: set-up, then the app runs until its database exists and 5 s more.
step "run-app-from-nothing" in_root sh -c "cd $app && { QT_QPA_PLATFORM=offscreen ./run qwen-desktop \
    --data-dir /tmp/app & pid=\$!; for i in \$(seq 900); do test -s /tmp/app/conversations.sqlite3 && break; \
    kill -0 \$pid || exit 1; sleep 1; done; sleep 5; kill -0 \$pid || exit 1; kill \$pid; wait \$pid; exit 0; }"
# The README's keyring line (a Secret Service to store keys in); dbus-daemon for a session bus here.
step "apt-install-keyring" in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnome-keyring dbus-daemon
step "run-smoke-test" in_root sh -c "cd $app && mkdir -p -m 700 /tmp/xdg && XDG_RUNTIME_DIR=/tmp/xdg \
    QT_QPA_PLATFORM=offscreen QWEN_DESKTOP_SMOKE_KEY=$key dbus-run-session -- sh -c \
    'printf x | gnome-keyring-daemon --unlock --components=secrets >/dev/null && \
     exec ./run qwen-desktop --smoke-test http://127.0.0.1:$port/r/intl --data-dir /tmp/smoke'"
step "run-pytest" in_root sh -c "cd $app && QT_QPA_PLATFORM=offscreen ./run pytest -q -p no:cacheprovider"
tail -n 3 "$work/run-pytest.log" | tee -a "$times"
echo "logs in $work" >&2
