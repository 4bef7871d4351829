-- wrk script: each request presents a different stored token, so each one misses the server's validated-token
-- cache and goes to the store. Run with one thread and one connection (-t1 -c1) so the latencies are those of
-- requests one at a time. Reads LK_TOKENS (one secret per line) and uses lines LK_FIRST .. LK_FIRST+LK_COUNT-1,
-- then stops; done() prints the latency percentiles in microseconds.
local tokens = {}
local first = tonumber(os.getenv("LK_FIRST") or "1")
local count = tonumber(os.getenv("LK_COUNT") or "10000")
local sent, answered, refused = 0, 0, 0

local n = 0
for line in io.lines(os.getenv("LK_TOKENS")) do
  n = n + 1
  if n >= first and n < first + count then
    tokens[#tokens + 1] = line
  end
end
count = #tokens

request = function()
  sent = sent + 1
  local token = tokens[((sent - 1) % count) + 1]
  return wrk.format("GET", "/api/tokens/self", { ["Authorization"] = "Bearer " .. token })
end

response = function(status, headers, body)
  answered = answered + 1
  if status ~= 200 then
    refused = refused + 1
  end
  if answered >= count then
    wrk.thread:stop()
  end
end

done = function(summary, latency, requests)
  io.write(string.format("cold http: n=%d non200=%d p50=%.1f p90=%.1f p99=%.1f max=%.1f (µs)\n",
    summary.requests, summary.errors.status, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
