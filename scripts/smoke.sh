#!/usr/bin/env bash
# smoke.sh APP_BINARY — starts the real app under Xvfb with a fresh data
# folder, waits for its window, takes a screenshot, and fails if the window
# never appears, the picture is blank, or the log shows an error.
# Prints the cold start to first frame and the RSS after start.
set -euo pipefail
bin=$(realpath "$1")
out=${SMOKE_OUT:-build/smoke}
mkdir -p "$out"
work=$(mktemp -d)
xvfb="" app=""
cleanup() {
  [ -n "$app" ] && kill "$app" 2>/dev/null || true
  [ -n "$xvfb" ] && { kill "$xvfb" 2>/dev/null; wait "$xvfb" 2>/dev/null; } || true
  rm -rf "$work"
}
trap cleanup EXIT
# start_display starts Xvfb, which picks a free display number and writes
# it to fd 3, and waits until a client can connect: once a CI run's app
# found no display on the number Xvfb had written (the server gone, its
# log lost), so the server is checked and its log kept. -noreset: without
# it the server resets when its last client leaves, here the check's, and
# an app that connects during the reset finds no display (2 runs in 40 of
# this script, "X11: Failed to open display :0"; none in 60 with it).
start_display() {
  : >"$work/display"
  Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp -noreset 3>"$work/display" >"$work/xvfb.log" 2>&1 &
  xvfb=$!
  for i in $(seq 1 300); do [ -s "$work/display" ] && break; sleep 0.1; done
  [ -s "$work/display" ] || return 1
  display=":$(tr -d '[:space:]' <"$work/display")"
  for i in $(seq 1 50); do
    DISPLAY=$display xdotool getdisplaygeometry >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  return 1
}
if ! start_display; then
  echo "smoke: Xvfb did not take clients; starting another:"; cat "$work/xvfb.log"
  kill "$xvfb" 2>/dev/null || true
  start_display || { echo "smoke: Xvfb did not start:"; cat "$work/xvfb.log"; exit 1; }
fi

# No OS keyring here: the app keeps its secrets in the PIN-sealed file.
export DISPLAY=$display VIENREIZ_DATA_DIR="$work/data" HOME="$work/home" VIENREIZ_APP_PIN=smoke-test-pin
start=$(date +%s%N)
env LANG=en_US.UTF-8 "$bin" >"$work/app.log" 2>&1 &
app=$!
win=""
for i in $(seq 1 600); do
  win=$(xdotool search --onlyvisible --name '^Vienreiz$' 2>/dev/null | head -1 || true)
  [ -n "$win" ] && break
  kill -0 "$app" 2>/dev/null || { echo "smoke: the app exited before showing a window:"; cat "$work/app.log"; exit 1; }
  sleep 0.05
done
[ -n "$win" ] || { echo "smoke: no window after 30 s"; cat "$work/app.log"; exit 1; }
mapped=$(date +%s%N)
# Wait until the catalogue has been drawn: the app logs when its UI started; then give the first search a moment.
for i in $(seq 1 100); do grep -q 'app started' "$work/app.log" && break; sleep 0.05; done
sleep 2
import -window root "$out/screenshot.png"
rss=$(awk '/VmRSS/{print $2}' /proc/$app/status)
kill -TERM "$app"
for i in $(seq 1 100); do kill -0 "$app" 2>/dev/null || break; sleep 0.05; done
if kill -0 "$app" 2>/dev/null; then echo "smoke: the app did not exit on SIGTERM"; exit 1; fi
app=""
cp "$work/app.log" "$out/app.log"

colours=$(convert "$out/screenshot.png" -format '%k' info:)
deviation=$(convert "$out/screenshot.png" -colorspace Gray -format '%[fx:standard_deviation]' info:)
echo "smoke: window after $(( (mapped - start) / 1000000 )) ms; $(grep -o 'since_launch=[^ ]*' "$out/app.log"); RSS after start ${rss} KiB; screenshot ${colours} colours, deviation ${deviation}"
if [ "$colours" -lt 16 ] || awk "BEGIN{exit !($deviation < 0.02)}"; then
  echo "smoke: the screenshot is blank"; exit 1
fi
# The development sign-in provider says so as a warning, by design.
if grep -E 'level=(ERROR|WARN)|panic' "$out/app.log" | grep -v 'DEVELOPMENT ONLY identity provider'; then
  echo "smoke: the app logged an error"; exit 1
fi
grep -q 'exchange service stopped' "$out/app.log" || { echo "smoke: no clean shutdown in the log"; cat "$out/app.log"; exit 1; }
echo "smoke: ok ($out/screenshot.png)"
