#!/usr/bin/env bash
# Load test of the real server (Release) with many stored tokens, in one run:
#   1. throughput of an unauthenticated endpoint (/health/live) and of an authenticated GET
#      (/api/tokens/self with a bearer PAT) on the same server, with wrk, and their ratio; also /health/live
#      with the bearer PAT, which runs the authentication handler (Latchkey is the default scheme) but not the
#      token endpoint's own store read, so it isolates what authenticating costs;
#   2. cold validation latency over distinct stored tokens: in process (TokenValidator against the same SQLite
#      file) and over HTTP (one request at a time, each with a token the server has not cached);
#   3. the server's resident memory after all that, with every token stored.
# Loopback only, fixed durations, and the server is always stopped at the end.
#
# Needs: dotnet, wrk (Debian package `wrk`), curl. Installs nothing.
# Settings (environment): TOKENS (1000000), DURATION (15s), THREADS (2), CONNECTIONS (64), COLD (10000),
# WARMUP (1000), KEEP=1 keeps the work folder.
set -euo pipefail

TOKENS=${TOKENS:-1000000}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
COLD=${COLD:-10000}
WARMUP=${WARMUP:-1000}

for tool in dotnet wrk curl; do
  if ! command -v "$tool" >/dev/null; then
    echo "load.sh needs '$tool' on PATH (wrk: apt-get install wrk)." >&2
    exit 2
  fi
done

repo=$(cd "$(dirname "$0")/.." && pwd)
load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-load.XXXXXX")
server_pid=""
# shellcheck source=common.sh
source "$repo/bench/common.sh"

cleanup() {
  stop_pid "$server_pid"
  if [[ "${KEEP:-0}" == 1 ]]; then
    echo "Work folder kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT INT TERM

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== build (Release)"
dotnet publish "$repo/src/Latchkey.Server" -c Release -o "$work/server" --nologo -v quiet
dotnet publish "$repo/bench/Latchkey.Benchmarks" -c Release -o "$work/bench" --nologo -v quiet

echo "== seed $TOKENS tokens"
dotnet "$work/bench/Latchkey.Benchmarks.dll" seed --data "$work/data" --count "$TOKENS" --sample $((WARMUP + COLD + 1))
tokens_file="$work/data/tokens.txt"
pat=$(tail -n 1 "$tokens_file")

echo "== start the server"
start_server "$work/server" \
  ConnectionStrings__Latchkey="Data Source=$work/data/latchkey.db" \
  Latchkey__Hashing__KeyFile="$work/data/hashing-keys.json" \
  LATCHKEY_ADMIN_PASSWORD="load-test-admin-password"

status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $pat" "$url/api/tokens/self")
if [[ "$status" != 200 ]]; then
  echo "A seeded token answered $status instead of 200." >&2
  exit 1
fi

echo "== warm-up (JIT tiering, connection pools): 5 s each"
measure -t "$THREADS" -c "$CONNECTIONS" -d 5s "$url/health/live" >/dev/null 2>&1
measure -t "$THREADS" -c "$CONNECTIONS" -d 5s -H "Authorization: Bearer $pat" "$url/api/tokens/self" >/dev/null 2>&1

echo "== unauthenticated: GET /health/live, $DURATION, $THREADS threads, $CONNECTIONS connections"
figures=$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "$url/health/live")
read -r unauthenticated _ <<<"$figures"

echo "== authenticated: GET /api/tokens/self with a bearer PAT, $DURATION, $THREADS threads, $CONNECTIONS connections"
figures=$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -H "Authorization: Bearer $pat" "$url/api/tokens/self")
read -r authenticated _ <<<"$figures"

echo "== authentication alone: GET /health/live with a bearer PAT, $DURATION, $THREADS threads, $CONNECTIONS connections"
figures=$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -H "Authorization: Bearer $pat" "$url/health/live")
read -r health_bearer _ <<<"$figures"

echo "== cold validation in process: $COLD distinct tokens of $TOKENS, one at a time"
cold_engine=$(dotnet "$work/bench/Latchkey.Benchmarks.dll" cold --data "$work/data" --count "$COLD" --warmup "$WARMUP")
echo "$cold_engine"

echo "== cold validation over HTTP: $COLD distinct tokens, one request at a time"
LK_TOKENS="$tokens_file" LK_FIRST=1 LK_COUNT="$WARMUP" wrk -t 1 -c 1 -d 60s -s "$repo/bench/cold.lua" "$url" >/dev/null
cold_http=$(LK_TOKENS="$tokens_file" LK_FIRST=$((WARMUP + 1)) LK_COUNT="$COLD" wrk -t 1 -c 1 -d 60s -s "$repo/bench/cold.lua" "$url" | grep '^cold http:')
echo "$cold_http"

rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$server_pid/status")
hwm_kb=$(awk '/^VmHWM:/ { print $2 }' "/proc/$server_pid/status")
stop_pid "$server_pid"
server_pid=""

ratio=$(awk -v a="$authenticated" -v u="$unauthenticated" 'BEGIN { printf "%.2f", a / u }')
ratio_bearer=$(awk -v a="$health_bearer" -v u="$unauthenticated" 'BEGIN { printf "%.2f", a / u }')
p99_engine=$(head -n 1 <<<"$cold_engine" | sed -E 's/.* p99=([0-9.]+) .*/\1/')
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo MISSED; fi; }

cat <<EOF

== Latchkey load test: $TOKENS tokens stored, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average before the run: $load_before
unauthenticated  GET /health/live        $unauthenticated requests/s
authenticated    GET /api/tokens/self    $authenticated requests/s
ratio            authenticated / unauthenticated = $ratio   (target >= 0.85: $(verdict "$ratio >= 0.85"))
authentication   GET /health/live + PAT  $health_bearer requests/s, ratio $ratio_bearer to the same endpoint without it
$(head -n 1 <<<"$cold_engine")   (target p99 < 1000 µs: $(verdict "$p99_engine < 1000"))
$(tail -n +2 <<<"$cold_engine")
$cold_http
server RSS after load: $((rss_kb * 1024 / 1000000)) MB (VmRSS $rss_kb kB; peak VmHWM $hwm_kb kB)   (target <= 150 MB: $(verdict "$rss_kb * 1024 <= 150000000"))
EOF
