#!/usr/bin/env bash
# The PostgreSQL run: two real server nodes (Release) on one PostgreSQL 15 cluster with many stored tokens, in one run:
#   1. the stored tokens are moved there from a seeded SQLite installation with the server's own copy-from-sqlite
#      command (so the move is measured too);
#   2. throughput of node A: unauthenticated GET /health/live, the same with a bearer PAT (what authenticating
#      costs), and GET /api/tokens/self; ratios to the unauthenticated figure;
#   3. cold validation latency against PostgreSQL: in process and over HTTP, distinct tokens, one at a time;
#   4. token creation throughput through POST /api/tokens (each create: a transaction with a lock on the owner's row,
#      the insert, its audit entry and change row, and the NOTIFY to the other nodes);
#   5. revocation propagation: revoke on A, time until B refuses, over REVOCATIONS tokens, p50/p99.
# The cluster is a throw-away one in a temp folder (initdb as the postgres user when run as root, listening on
# 127.0.0.1 only, default durability settings: fsync on); everything is stopped and deleted at the end.
#
# Needs: dotnet, wrk, curl, jq, PostgreSQL server binaries (Debian `postgresql`). Installs nothing.
# Settings (environment): TOKENS (1000000), DURATION (15s), THREADS (2), CONNECTIONS (64), CREATE_CONNECTIONS (16),
# COLD (10000), WARMUP (1000), REVOCATIONS (1000), KEEP=1 keeps the work folder.
set -euo pipefail

TOKENS=${TOKENS:-1000000}
DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
CREATE_CONNECTIONS=${CREATE_CONNECTIONS:-16}
COLD=${COLD:-10000}
WARMUP=${WARMUP:-1000}
REVOCATIONS=${REVOCATIONS:-1000}

for tool in dotnet wrk curl jq; do
  if ! command -v "$tool" >/dev/null; then
    echo "postgres.sh needs '$tool' on PATH (apt-get install wrk jq)." >&2
    exit 2
  fi
done
pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
  echo "postgres.sh needs PostgreSQL's server binaries (apt-get install postgresql)." >&2
  exit 2
fi

repo=$(cd "$(dirname "$0")/.." && pwd)
load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-pg-bench.XXXXXX")
chmod 755 "$work"
server_pid=""
node_a_pid=""
node_b_pid=""
pg_data="$work/pg"
as_postgres=()
[[ $(id -u) == 0 ]] && as_postgres=(runuser -u postgres --)
# shellcheck source=common.sh
source "$repo/bench/common.sh"

cleanup() {
  stop_pid "$node_a_pid"
  stop_pid "$node_b_pid"
  if [[ -f "$pg_data/postmaster.pid" ]]; then
    "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -m immediate stop >/dev/null 2>&1 || true
  fi
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

echo "== start PostgreSQL ($pg_bin)"
mkdir -p "$pg_data" && chmod 700 "$pg_data"
[[ ${#as_postgres[@]} -gt 0 ]] && chown postgres "$pg_data"
"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust -E UTF8 --locale C >/dev/null
pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $pg_port -c unix_socket_directories=$pg_data -c max_connections=200 -c shared_buffers=256MB" start >/dev/null
"${as_postgres[@]}" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "CREATE DATABASE latchkey" postgres
connection="Host=127.0.0.1;Port=$pg_port;Database=latchkey;Username=postgres"
pg_env=(Latchkey__Storage__Provider=Postgres "ConnectionStrings__Latchkey=$connection"
  Latchkey__Hashing__KeyFile="$work/data/hashing-keys.json" Latchkey__DataDirectory="$work/data")

echo "== a SQLite installation: the server's first start creates admin; then $TOKENS tokens are seeded into it"
start_server "$work/server" Latchkey__DataDirectory="$work/data" LATCHKEY_ADMIN_PASSWORD="load-test-admin-password"
stop_pid "$server_pid"
server_pid=""
dotnet "$work/bench/Latchkey.Benchmarks.dll" seed --data "$work/data" --count "$TOKENS" --sample $((WARMUP + COLD + 1))
echo "== move it to PostgreSQL with copy-from-sqlite"
tokens_file="$work/data/tokens.txt"
pat=$(tail -n 1 "$tokens_file")
copy_started=$(date +%s.%N)
(cd "$work/server" && env "${pg_env[@]}" dotnet Latchkey.Server.dll copy-from-sqlite "$work/data/latchkey.db")
copy_seconds=$(awk -v s="$copy_started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
"${as_postgres[@]}" "$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qc "VACUUM ANALYZE" latchkey

echo "== start node A and node B"
# The propagation run ends each of its revocations with node B refusing the token, from one address: with the
# default failure limit (20 a minute) B would answer 429 from the 21st on, so B's limit is out of the way here.
start_server "$work/server" "${pg_env[@]}" LATCHKEY_ADMIN_PASSWORD="load-test-admin-password"
node_a_pid=$server_pid
url_a=$url
mv "$work/server.log" "$work/node-a.log"
start_server "$work/server" "${pg_env[@]}" LATCHKEY_ADMIN_PASSWORD="load-test-admin-password" Latchkey__FailedAuthentication__Enabled=false
node_b_pid=$server_pid
url_b=$url
mv "$work/server.log" "$work/node-b.log"
server_pid=""

status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $pat" "$url_b/api/tokens/self")
if [[ "$status" != 200 ]]; then
  echo "A seeded token answered $status on node B instead of 200." >&2
  exit 1
fi
session=$(curl -sf -H 'Content-Type: application/json' -d '{"username":"admin","password":"load-test-admin-password"}' "$url_a/api/session" | jq -r .token)

echo "== warm-up (JIT tiering, connection pools): 5 s each"
measure -t "$THREADS" -c "$CONNECTIONS" -d 5s "$url_a/health/live" >/dev/null 2>&1
measure -t "$THREADS" -c "$CONNECTIONS" -d 5s -H "Authorization: Bearer $pat" "$url_a/api/tokens/self" >/dev/null 2>&1

echo "== unauthenticated: GET /health/live on A, $DURATION"
read -r unauthenticated _ <<<"$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "$url_a/health/live")"
echo "== authentication alone: GET /health/live with a bearer PAT on A, $DURATION"
read -r health_bearer _ <<<"$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -H "Authorization: Bearer $pat" "$url_a/health/live")"
echo "== authenticated: GET /api/tokens/self with a bearer PAT on A, $DURATION"
read -r authenticated _ <<<"$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -H "Authorization: Bearer $pat" "$url_a/api/tokens/self")"

echo "== cold validation in process against PostgreSQL: $COLD distinct tokens of $TOKENS, one at a time"
cold_engine=$(dotnet "$work/bench/Latchkey.Benchmarks.dll" cold --data "$work/data" --count "$COLD" --warmup "$WARMUP" --postgres "$connection")
echo "$cold_engine"

echo "== cold validation over HTTP (node B, whose cache never saw them): $COLD distinct tokens, one request at a time"
LK_TOKENS="$tokens_file" LK_FIRST=1 LK_COUNT="$WARMUP" wrk -t 1 -c 1 -d 60s -s "$repo/bench/cold.lua" "$url_b" >/dev/null
cold_http=$(LK_TOKENS="$tokens_file" LK_FIRST=$((WARMUP + 1)) LK_COUNT="$COLD" wrk -t 1 -c 1 -d 60s -s "$repo/bench/cold.lua" "$url_b" | grep '^cold http:')
echo "$cold_http"

echo "== creation: POST /api/tokens on A, $DURATION, $CREATE_CONNECTIONS connections"
read -r creates create_p50 create_p99 <<<"$(LK_CREDENTIAL="$session" measure -t "$THREADS" -c "$CREATE_CONNECTIONS" -d "$DURATION" --latency -s "$repo/bench/create.lua" "$url_a")"

echo "== revocation propagation: $REVOCATIONS tokens created and revoked on A, refused on B"
propagation=$(dotnet "$work/bench/Latchkey.Benchmarks.dll" propagation --a "$url_a" --b "$url_b" --credential "$session" --count "$REVOCATIONS")
echo "$propagation"

rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$node_a_pid/status")

ratio() { awk -v a="$1" -v u="$2" 'BEGIN { printf "%.2f", a / u }'; }
cat <<EOF

== Latchkey on PostgreSQL: $TOKENS tokens stored, two nodes, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average before the run: $load_before
copy-from-sqlite of $TOKENS tokens      $copy_seconds s
unauthenticated  GET /health/live        $unauthenticated requests/s
authentication   GET /health/live + PAT  $health_bearer requests/s, ratio $(ratio "$health_bearer" "$unauthenticated")
authenticated    GET /api/tokens/self    $authenticated requests/s, ratio $(ratio "$authenticated" "$unauthenticated")
$(head -n 1 <<<"$cold_engine")
$cold_http
creation         POST /api/tokens        $creates tokens/s (p50 $create_p50, p99 $create_p99), ratio $(ratio "$creates" "$unauthenticated") to unauthenticated
$propagation
node A RSS after load: VmRSS $rss_kb kB
EOF
