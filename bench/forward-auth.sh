#!/usr/bin/env bash
# What forward-auth costs, in one run: wrk against one nginx serving one small static file
#   1. alone (location /open/), and
#   2. behind auth_request -> Latchkey's /auth/verify with a valid personal access token (location /protected/,
#      the same file), the token's validation cached by a warm-up,
# with the same duration, threads and connections; prints requests/s, latency p50/p99 of both and the ratio. For
# scale, also Latchkey's /auth/verify asked directly (no nginx), with the headers nginx would send, and Latchkey's
# /health/live (no credential), so the check's own cost shows next to Kestrel's handling of any request.
# nginx asks Latchkey the way docs/integrations.md's nginx recipe does (keep-alive upstream, no request body).
# Loopback only; nginx and the server are always stopped at the end.
#
# Needs: dotnet, nginx (/usr/sbin/nginx, Debian package `nginx`), wrk (Debian package `wrk`), curl. Installs nothing.
# Settings (environment): DURATION (15s), THREADS (2), CONNECTIONS (64), KEEP=1 keeps the work folder.
set -euo pipefail

DURATION=${DURATION:-15s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-64}
NGINX=${NGINX:-/usr/sbin/nginx}

for tool in dotnet wrk curl "$NGINX"; do
  if ! command -v "$tool" >/dev/null; then
    echo "forward-auth.sh needs '$tool' (apt-get install nginx wrk curl)." >&2
    exit 2
  fi
done

repo=$(cd "$(dirname "$0")/.." && pwd)
load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)
work=$(mktemp -d "${TMPDIR:-/tmp}/latchkey-forward-auth.XXXXXX")
server_pid=""
nginx_pid=""
# shellcheck source=common.sh
source "$repo/bench/common.sh"

cleanup() {
  stop_pid "$nginx_pid"
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

echo "== start the server"
admin_password="forward-auth-bench-$RANDOM$RANDOM"
mkdir -p "$work/data"
# nginx on 127.0.0.1 is the trusted proxy.
start_server "$work/server" \
  Latchkey__DataDirectory="$work/data" \
  Latchkey__Server__KnownProxies=127.0.0.1 \
  LATCHKEY_ADMIN_PASSWORD="$admin_password"

# The administrator signs in and creates a PAT (the secret stays in this shell; nothing logs it).
json_field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/"; }
session=$(curl -sf -X POST "$url/api/session" -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$admin_password\"}" | json_field token)
pat=$(curl -sf -X POST "$url/api/tokens" -H "Authorization: Bearer $session" -H 'Content-Type: application/json' \
  -d '{"name":"forward-auth bench","scopes":["read_api"]}' | json_field token)

echo "== start nginx"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
  || shuf -i 20000-60000 -n 1)
mkdir -p "$work/www" "$work/nginx-temp"
printf 'Hello from behind Latchkey.\n' >"$work/www/hello.txt"
latchkey_address=${url#http://}
cat >"$work/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events {
    worker_connections 1024;
}
http {
    access_log off;
    client_body_temp_path $work/nginx-temp/client-body;
    proxy_temp_path $work/nginx-temp/proxy;
    fastcgi_temp_path $work/nginx-temp/fastcgi;
    uwsgi_temp_path $work/nginx-temp/uwsgi;
    scgi_temp_path $work/nginx-temp/scgi;
    default_type text/plain;

    upstream latchkey {
        server $latchkey_address;
        keepalive 32;
    }

    server {
        listen 127.0.0.1:$port;

        location /open/ {
            alias $work/www/;
        }

        location /protected/ {
            auth_request /_latchkey/verify;
            auth_request_set \$latchkey_user \$upstream_http_x_latchkey_user;
            add_header X-Latchkey-User \$latchkey_user;
            alias $work/www/;
        }

        location = /_latchkey/verify {
            internal;
            proxy_pass http://latchkey/auth/verify;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Original-Method \$request_method;
            proxy_set_header X-Original-URI \$request_uri;
            proxy_set_header X-Forwarded-Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;
        }
    }
}
EOF
"$NGINX" -p "$work" -e "$work/nginx-error.log" -c "$work/nginx.conf" >"$work/nginx.out" 2>&1 &
nginx_pid=$!
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$port/open/hello.txt" && break
  if ! kill -0 "$nginx_pid" 2>/dev/null; then
    cat "$work/nginx.out" "$work/nginx-error.log" >&2
    echo "nginx exited before listening." >&2
    exit 1
  fi
  sleep 0.1
done
echo "nginx pid $nginx_pid at http://127.0.0.1:$port"

open_url="http://127.0.0.1:$port/open/hello.txt"
protected_url="http://127.0.0.1:$port/protected/hello.txt"
status=$(curl -s -o /dev/null -w '%{http_code}' "$protected_url")
if [[ "$status" != 401 ]]; then
  echo "The protected file answered $status without a token instead of 401." >&2
  exit 1
fi
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $pat" "$protected_url")
if [[ "$status" != 200 ]]; then
  echo "The protected file answered $status with a valid token instead of 200." >&2
  exit 1
fi

echo "== warm-up (JIT tiering, the token in the validated-token cache, keep-alive connections): 5 s each"
measure -t "$THREADS" -c "$CONNECTIONS" -d 5s "$open_url" >/dev/null 2>&1
measure -t "$THREADS" -c "$CONNECTIONS" -d 5s -H "Authorization: Bearer $pat" "$protected_url" >/dev/null 2>&1

echo "== nginx alone: GET /open/hello.txt, $DURATION, $THREADS threads, $CONNECTIONS connections"
figures=$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "$open_url")
read -r open_rps open_p50 open_p99 <<<"$figures"

echo "== nginx + forward-auth: GET /protected/hello.txt with a bearer PAT, $DURATION, $THREADS threads, $CONNECTIONS connections"
figures=$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -H "Authorization: Bearer $pat" "$protected_url")
read -r auth_rps auth_p50 auth_p99 <<<"$figures"

echo "== Latchkey alone: GET /auth/verify as nginx asks it, $DURATION, $THREADS threads, $CONNECTIONS connections"
figures=$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency \
  -H "Authorization: Bearer $pat" -H 'X-Original-Method: GET' -H 'X-Original-URI: /protected/hello.txt' "$url/auth/verify")
read -r verify_rps verify_p50 verify_p99 <<<"$figures"

echo "== Latchkey alone: GET /health/live (no credential, no check), $DURATION, $THREADS threads, $CONNECTIONS connections"
figures=$(measure -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency "$url/health/live")
read -r live_rps live_p50 live_p99 <<<"$figures"

load_after=$(cut -d ' ' -f 1-3 /proc/loadavg)
ratio=$(awk -v a="$auth_rps" -v o="$open_rps" 'BEGIN { printf "%.2f", a / o }')
check_ratio=$(awk -v a="$verify_rps" -v o="$live_rps" 'BEGIN { printf "%.2f", a / o }')

cat <<EOF

== Latchkey forward-auth benchmark: $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), load average before $load_before, after $load_after
nginx alone              GET /open/hello.txt              $open_rps requests/s   p50 $open_p50   p99 $open_p99
nginx + /auth/verify     GET /protected/hello.txt + PAT   $auth_rps requests/s   p50 $auth_p50   p99 $auth_p99
ratio                    forward-auth / alone = $ratio
Latchkey directly        GET /auth/verify + PAT           $verify_rps requests/s   p50 $verify_p50   p99 $verify_p99
Latchkey directly        GET /health/live, no credential  $live_rps requests/s   p50 $live_p50   p99 $live_p99
ratio                    /auth/verify / /health/live = $check_ratio   (what the check costs next to Kestrel's own request handling)
EOF
