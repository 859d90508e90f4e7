#!/usr/bin/env bash
# Renders the README's screenshots from the demo capture under a private Xvfb:
#   assets/screenshots/render.sh            (needs xvfb and imagemagick's import)
# Each shot starts the real app with BPFSCOPE_UI_SHOW steps (see StartupActions).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
demo="$root/assets/demo.bscap"
size=1360x860

display=:$((90 + RANDOM % 9))
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
