#!/usr/bin/env bash
# Renders the README's screenshots from the demo capture under a private Xvfb:
#   assets/screenshots/render.sh            (needs xvfb and imagemagick's import)
# Each shot starts the real app with BPFSCOPE_UI_SHOW steps (see StartupActions).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
demo="$root/assets/demo.bscap"
size=1360x860

display=:${RENDER_DISPLAY:-$((90 + RANDOM % 9))}   # RENDER_DISPLAY: a display number of your own
Xvfb "$display" -screen 0 ${size}x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1

# shot NAME STEPS: opens the demo, runs the steps, waits, and grabs the screen.
shot() {
    local name="$1" steps="$2"
    local config; config="$(mktemp -d)"   # fresh settings: light theme, no history; the user's stay untouched
    XDG_CONFIG_HOME="$config" DISPLAY="$display" BPFSCOPE_UI_GEOMETRY="$size" BPFSCOPE_UI_SHOW="$steps" \
        "$root/bpfscope" gui "$demo" >/dev/null 2>&1 &
    local app=$!
    sleep "${WAIT:-9}"
    DISPLAY="$display" import -window root "$here/$name.png"
    kill "$app" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
    rm -rf "$config"
    echo "wrote assets/screenshots/$name.png"
}

WAIT=16 shot main "select=151;find=Host"  # the first start also fills caches
shot filter "filter=probe == tls && comm == \"curl\";select=151"
shot follow "select=151;follow"
shot statistics "stats"
shot dark "dark;select=156"

# live: only as root. Attaches exec and tls, then curls an openssl s_server on loopback.
if [ "$(id -u)" = 0 ] && command -v openssl >/dev/null && command -v curl >/dev/null; then
    tls="$(mktemp -d)"
    openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=localhost -days 1 \
        -keyout "$tls/key.pem" -out "$tls/cert.pem" >/dev/null 2>&1
    openssl s_server -quiet -www -accept 127.0.0.1:9445 -key "$tls/key.pem" -cert "$tls/cert.pem" >/dev/null 2>&1 &
    server=$!
    config="$(mktemp -d)"
    XDG_CONFIG_HOME="$config" DISPLAY="$display" BPFSCOPE_UI_GEOMETRY="$size" BPFSCOPE_UI_SHOW="attach=exec,tls" \
        "$root/bpfscope" >/dev/null 2>&1 &
    app=$!
    sleep 16
    for path in /index.html /api/items /login; do
        curl -sk --http1.1 "https://127.0.0.1:9445$path" >/dev/null || true
        sleep 0.7
    done
    sleep 2
    DISPLAY="$display" import -window root "$here/live.png"
    kill "$app" "$server" 2>/dev/null || true
    wait "$app" 2>/dev/null || true
    rm -rf "$config" "$tls"
    echo "wrote assets/screenshots/live.png"
fi
