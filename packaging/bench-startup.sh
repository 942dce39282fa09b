#!/usr/bin/env bash
# Start-up of the packaged launchers, with their AOT cache and without it, side by side in one run
# (./build dist first): `weir --version`, `weir status --sandbox`, the terminal console's first
# frame in tmux (80x24), and the desktop's first window under Xvfb (when Xvfb is installed): each
# measured from launch, by this script's clock.
# "Without" is a copy of the same image whose launcher does not name the cache. Prints one table
# (milliseconds, median of RUNS, JVM start included) for docs/benchmarks.md.
#
# usage: packaging/bench-startup.sh [RUNS]   (default 5)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
target="$root/packaging/target"
runs="${1:-5}"
[ -x "$target/weir/bin/weir" ] || { echo "no $target/weir: run ./build dist first" >&2; exit 2; }
work="$(mktemp -d)"
sock="weir-startup-$$"
cleanup() { tmux -L "$sock" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
now() { date +%s%N; }
ms() { echo $(( ($(now) - $1) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# two copies (times kept, as the cache checks them): with the cache, and without it
cp -a "$target/weir" "$work/with"
cp -a "$target/weir" "$work/without"
# the launchers are scripts written from lib/app/*.cfg (decision 0047): edit the scripts
sed -i 's| "-XX:AOTCache=[^"]*"||' "$work/without/bin/weir"
! grep -q AOTCache "$work/without/bin/weir" || { echo "could not take the cache out of the launcher" >&2; exit 2; }
if [ -x "$target/weir-desktop/bin/weir-desktop" ]; then
  cp -a "$target/weir-desktop" "$work/desktop-with"
  cp -a "$target/weir-desktop" "$work/desktop-without"
  sed -i 's| "-XX:AOTCache=[^"]*"||' "$work/desktop-without/bin/weir-desktop"
  for d in with without; do
    sed -i 's|^exec "\$app/lib/runtime/bin/java"|& "-Dweir.desktop.timing=true"|' "$work/desktop-$d/bin/weir-desktop"
  done
fi
home="$work/home"
mkdir -p "$home"
envs=(HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache")
env "${envs[@]}" "$work/with/bin/weir" sandbox init "$home/shop" >/dev/null

version() { local s; s=$(now); env "${envs[@]}" "$1/bin/weir" --version >/dev/null; ms "$s"; }
status() { local s; s=$(now); env "${envs[@]}" "$1/bin/weir" status --sandbox --repo "$home/shop" >/dev/null || true; ms "$s"; }
frame() { # the terminal console's first frame, and the frame with the applications
  local s
  s=$(now)
  tmux -L "$sock" -f /dev/null new-session -d -s tui -x 80 -y 24 \
    "env ${envs[*]} TERM=xterm-256color $1/bin/weir tui --sandbox --repo $home/shop"
  until tmux -L "$sock" capture-pane -p -t tui 2>/dev/null | grep -q ' weir › \|<:q> quit'; do sleep 0.01; done
  local first; first=$(ms "$s")
  until tmux -L "$sock" capture-pane -p -t tui 2>/dev/null | grep -q 'Applications ('; do sleep 0.05; done
  local full; full=$(ms "$s")
  tmux -L "$sock" send-keys -t tui C-c
  while tmux -L "$sock" has-session -t tui 2>/dev/null; do sleep 0.05; done
  echo "$first $full"
}
window() { # the desktop's first window: from launch to the instant the window reports it shown
  local log="$work/desktop.log" s shown
  s=$(now)
  env "${envs[@]}" DISPLAY=":$display" WEIR_DESKTOP_QUIT_WHEN_SHOWN=storefront timeout 300 \
    "$1/bin/weir-desktop" --sandbox --repo "$home/shop" >"$log" 2>&1 || true
  shown=$(sed -n 's/.*first window shown at \([0-9]*\) (epoch ms).*/\1/p' "$log" | head -n1)
  [ -n "$shown" ] && echo $(( shown - s / 1000000 ))
}
# one X server for every desktop launch, started before the clock runs (xvfb-run would start one
# per launch, inside the measure)
display=""
if [ -d "$target/weir-desktop" ] && command -v Xvfb >/dev/null; then
  Xvfb -displayfd 5 -screen 0 1600x1000x24 -nolisten tcp 5>"$work/display" 2>/dev/null &
  xvfb=$!
  trap 'kill $xvfb 2>/dev/null || true; cleanup' EXIT
  until [ -s "$work/display" ]; do sleep 0.05; done
  display=$(cat "$work/display")
fi

declare -A result
for kind in with without; do
  v=(); st=(); f=(); a=(); w=()
  for _ in $(seq "$runs"); do
    v+=("$(version "$work/$kind")")
    st+=("$(status "$work/$kind")")
    read -r first full < <(frame "$work/$kind")
    f+=("$first"); a+=("$full")
    if [ -d "$work/desktop-$kind" ] && [ -n "$display" ]; then
      w+=("$(window "$work/desktop-$kind")")
    fi
  done
  result[$kind]="$(median "${v[@]}") | $(median "${st[@]}") | $(median "${f[@]}") | $(median "${a[@]}") | $([ ${#w[@]} -gt 0 ] && median "${w[@]}" || echo '—')"
done
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), median of $runs runs, ms"
echo "| AOT cache | weir --version | weir status --sandbox | tui first frame | tui applications | desktop first window |"
echo "|---|---|---|---|---|---|"
echo "| with | ${result[with]} |"
echo "| without | ${result[without]} |"
