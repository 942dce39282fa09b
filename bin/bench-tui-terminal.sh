#!/usr/bin/env bash
# Measures the terminal console on a real terminal (tmux, 80x24), with the packaged jar
# (./build package first): the time from launch to the first frame (the entry point's loading
# frame), to the console's own first frame (Lanterna's, its loading footer) and to the frame with
# the applications (JVM start included), on a sandbox served by 'weir sandbox serve' and on one
# started in-process, as 'java -jar' and through ./weir; then the bytes written to the terminal per
# second (tmux pipe-pane) while nobody presses a key: on the attention page, then on storefront's
# rollout view while its canary rolls out. Figures go to docs/benchmarks.md by hand.
#
# usage: bin/bench-tui-terminal.sh [RUNS [SECONDS]]   (default 5 runs, 60 s of bytes)
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
. "$root/bin/find-jdk.sh"
weir_find_jdk
runs="${1:-5}"
seconds="${2:-60}"
jar="$root/app-tui/target/weir.jar"
[ -f "$jar" ] || { echo "no $jar: run ./build package first" >&2; exit 2; }
work="$(mktemp -d)"
sock="weir-bench-$$"
serve=""
cleanup() {
  tmux -L "$sock" kill-server 2>/dev/null || true
  [ -n "$serve" ] && kill "$serve" 2>/dev/null && wait "$serve" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
envs="HOME=$work XDG_DATA_HOME=$work/data XDG_CACHE_HOME=$work/cache"
cds="${WEIR_BENCH_CDS:-1}"
flags=""
[ "$cds" = 1 ] && flags="-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$work/weir.jsa"
weir="$JAVA_HOME/bin/java $flags --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar $jar"
now() { date +%s%N; }

# waits (polling the pane every 10 ms, at most 180 s) until the screen shows $2; prints ms since $1
await() {
  local start="$1" pattern="$2"
  until tmux -L "$sock" capture-pane -p -t tui 2>/dev/null | grep -q -- "$pattern"; do
    if (( $(now) - start > 180000000000 )); then
      echo "no '$pattern' within 180 s; the screen:" >&2
      tmux -L "$sock" capture-pane -p -t tui >&2 || true
      exit 1
    fi
    sleep 0.01
  done
  echo $(( ($(now) - start) / 1000000 ))
}

quit() {
  tmux -L "$sock" send-keys -t tui C-c
  local start; start=$(now)
  while tmux -L "$sock" has-session -t tui 2>/dev/null; do
    (( $(now) - start > 60000000000 )) && { echo "weir tui did not quit" >&2; exit 1; }
    sleep 0.05
  done
}

launch() {
  tmux -L "$sock" -f /dev/null new-session -d -s tui -x 80 -y 24 "env $envs TERM=xterm-256color ${1:-$weir} tui --sandbox --repo $work/shop"
}

first_frames() {
  local label="$1" command="${2:-$weir}" frames=() console=() full=()
  for _ in $(seq "$runs"); do
    local start; start=$(now)
    launch "$command"
    frames+=("$(await "$start" ' weir › ')")
    console+=("$(await "$start" '<:q> quit\|Needs attention\|Applications (')")
    full+=("$(await "$start" 'Applications (7)')")
    quit
  done
  echo "$label: first frame ms: ${frames[*]}; the console's own frame ms: ${console[*]}; applications shown ms: ${full[*]}"
}

echo "class data sharing (as ./weir runs): $cds; nproc: $(nproc); load: $(cut -d' ' -f1-3 /proc/loadavg); java: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
plain="$JAVA_HOME/bin/java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -jar $jar"
env $envs $plain sandbox init "$work/shop" >/dev/null # not archived: the first tui run makes the archive

[ "${WEIR_BENCH_IN_PROCESS:-1}" = 1 ] && first_frames "sandbox in-process"

env $envs $plain sandbox serve --kubeconfig "$work/kubeconfig" >"$work/serve.log" 2>&1 &
serve=$!
start=$(now)
until grep -q '^Ctrl+C' "$work/serve.log"; do
  (( $(now) - start > 180000000000 )) && { echo "the sandbox was not served" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.05
done
first_frames "sandbox served"
first_frames "sandbox served, ./weir" "$root/weir"

# bytes: the console open on the served sandbox (storefront's canary rolling out, live data)
start=$(now)
launch
await "$start" 'Applications (7)' >/dev/null
tmux -L "$sock" pipe-pane -o -t tui "cat > $work/bytes"
sleep "$seconds"
tmux -L "$sock" pipe-pane -t tui
bytes=$(stat -c %s "$work/bytes")
echo "bytes written in ${seconds}s with the screen left alone (storefront rolling out): $bytes ($(( bytes / seconds )) B/s)"
tmux -L "$sock" capture-pane -p -t tui | head -12

# bytes on the rollout view: storefront's (the application filtered, then o opens its rollout)
tmux -L "$sock" send-keys -t tui ':' 'apps' Enter
await "$(now)" 'Applications (7)' >/dev/null
tmux -L "$sock" send-keys -t tui '/' 'storefront' Enter o
await "$(now)" 'Traffic' >/dev/null
tmux -L "$sock" pipe-pane -o -t tui "cat > $work/rollout-bytes"
sleep "$seconds"
tmux -L "$sock" pipe-pane -t tui
bytes=$(stat -c %s "$work/rollout-bytes")
echo "bytes written in ${seconds}s on storefront's rollout view (its canary rolling out): $bytes ($(( bytes / seconds )) B/s)"
tmux -L "$sock" capture-pane -p -t tui
quit
