# Sourced by bench/load.sh and bench/forward-auth.sh: stopping a process, starting the published server, running wrk.
# Expects $work (the run's folder); start_server sets $server_pid and $url.

# Stops process $1 if it runs: TERM, up to 5 s to exit, then KILL.
stop_pid() {
  local pid=$1
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
}

# Starts the server published in folder $1 (Production), with the environment assignments that follow, on a port
# Kestrel picks and logs (port 0: no race for a port); its log is $work/server.log. Sets server_pid and url.
start_server() {
  local folder=$1
  shift
  (
    cd "$folder"
    exec env ASPNETCORE_ENVIRONMENT=Production "$@" dotnet Latchkey.Server.dll --urls http://127.0.0.1:0
  ) >"$work/server.log" 2>&1 &
  server_pid=$!

  url=""
  for _ in $(seq 300); do
    url=$(grep -o 'Now listening on: http://127\.0\.0\.1:[0-9]*' "$work/server.log" | head -n 1 | sed 's/Now listening on: //' || true)
    [[ -n "$url" ]] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
      cat "$work/server.log" >&2
      echo "The server exited before listening." >&2
      exit 1
    fi
    sleep 0.1
  done
  if [[ -z "$url" ]]; then
    echo "The server did not start listening within 30 s." >&2
    exit 1
  fi
  # Ready once the store answers and the administrator exists (it is created just after the server listens).
  for _ in $(seq 300); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$url/health/ready") == 200 ]] && break
    sleep 0.1
  done
  echo "server pid $server_pid at $url"
}

# Runs wrk with the arguments given and prints "requests/s p50 p99" (the latencies need --latency); wrk's own report
# goes to stderr. Fails when any response was not 2xx.
measure() {
  local out
  out=$(wrk "$@")
  echo "$out" >&2
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "wrk saw non-2xx responses." >&2
    exit 1
  fi
  awk '/Requests\/sec:/ { rps = $2 } $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 } END { print rps, p50, p99 }' <<<"$out"
}
