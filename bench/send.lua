-- Every request a fresh address, so the per-address limit (2 per minute) never answers instead of the store.
local counter = 0
local thread_id = 0
local threads = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

request = function()
  counter = counter + 1
  local body = string.format('{"email":"bench-%d-%d-%d@example.com"}', thread_id, counter, math.random(1, 1000000000))
  return wrk.format("POST", "/api/auth/send", { ["Content-Type"] = "application/json", ["X-CSRF"] = "1" }, body)
end
