#!/usr/bin/env bash
# Times `weir status --sandbox` beside `kubectl get deploy -A`, both against one `weir sandbox serve`
# (docs/benchmarks.md, decision 0014). The two commands alternate, so load from other work on the
# machine falls on both alike; prints every run, the medians and their ratio.
#   bin/bench-status.sh [RUNS]      RUNS of each, default 5, after five unmeasured runs of weir status
# Uses a sandbox and a sample repository of its own in a temporary directory; yours are not touched.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
runs="${1:-5}"
command -v kubectl >/dev/null || { echo "bench-status: kubectl is not installed" >&2; exit 2; }

work="$(mktemp -d)"
serve=""
cleanup() {
  if [ -n "$serve" ]; then
    kill -TERM "$serve" 2>/dev/null || true # the serve saves its state and stops
    wait "$serve" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
export XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"

"$root/weir" sandbox init "$work/shop" >/dev/null
"$root/weir" sandbox serve >"$work/serve.log" 2>&1 &
serve=$!
for _ in $(seq 1 600); do # up to a minute for the serve to print its kubeconfig
  grep -q '^kubeconfig: ' "$work/serve.log" 2>/dev/null && break
  kill -0 "$serve" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.1
done
kubeconfig="$XDG_DATA_HOME/weir/sandbox/kubeconfig"
[ -f "$kubeconfig" ] || { echo "bench-status: the serve did not start" >&2; cat "$work/serve.log" >&2; exit 1; }

kube=(kubectl --kubeconfig "$kubeconfig" get deploy -A)
weir=("$root/weir" status --repo "$work/shop" --sandbox)

millis() { # runs "$@" silently, prints its wall time in ms
  local start end
  start=$(date +%s%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s%N)
  echo $(((end - start) / 1000000))
}
median() { tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }

. "$root/bin/find-jdk.sh"
weir_find_jdk
echo "machine: nproc $(nproc), load average $(cut -d' ' -f1-3 /proc/loadavg)," \
  "$("$JAVA_HOME/bin/java" -version 2>&1 | head -n1), $(kubectl version --client 2>/dev/null | head -n1)"
# the serve is long-lived: the first commands it answers load and compile its code (reported, not counted)
warm="weir status"
for i in 1 2 3 4 5; do warm="$warm $(millis "${weir[@]}")"; done
echo "warm-up, not counted: $warm ms (the first is the serve's first answer); kubectl $(millis "${kube[@]}") ms"
"${weir[@]}" >"$work/status.txt" 2>&1 || true
k_all="" w_all=""
for i in $(seq 1 "$runs"); do
  k=$(millis "${kube[@]}")
  w=$(millis "${weir[@]}")
  echo "run $i: kubectl $k ms, weir status $w ms"
  k_all="$k_all $k"
  w_all="$w_all $w"
done
km=$(echo "$k_all" | median)
wm=$(echo "$w_all" | median)
echo "median of $runs: kubectl get deploy -A $km ms, weir status --sandbox $wm ms: $(awk -v w="$wm" -v k="$km" 'BEGIN {printf "%.1f", w / k}')×"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "what weir status printed:"
sed 's/^/  /' "$work/status.txt"
