-- wrk script: POST /api/tokens, each request with a name of its own. LK_CREDENTIAL: a session or token with `api`.
-- wrk's report counts any answer but a 2xx as "Non-2xx", which bench/common.sh's measure() refuses.
local counter = 0
local credential = os.getenv("LK_CREDENTIAL")

request = function()
  counter = counter + 1
  local body = string.format('{"name":"create-%d-%d","scopes":["read_api"]}', math.random(1, 1000000000), counter)
  return wrk.format("POST", "/api/tokens", {
    ["Authorization"] = "Bearer " .. credential,
    ["Content-Type"] = "application/json",
  }, body)
end
