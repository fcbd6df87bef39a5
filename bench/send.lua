-- Every request a fresh address, so the per-address limit (2 per minute) never answers instead of the store.
-- Prints how many answers had each status, so refusals (429, 503) are not mistaken for throughput.
-- REQUEST_DELAY_MS (bench/soak.sh): each connection waits that long between requests, for a fixed moderate rate.
local delay_ms = tonumber(os.getenv("REQUEST_DELAY_MS") or "0")
if delay_ms > 0 then
  delay = function() return delay_ms end
end
local counter = 0
local thread_id = 0
local threads = {}
statuses = {}

function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end

request = function()
  counter = counter + 1
  local body = string.format('{"email":"bench-%d-%d-%d@example.com"}', thread_id, counter, math.random(1, 1000000000))
  return wrk.format("POST", "/api/auth/send", { ["Content-Type"] = "application/json", ["X-CSRF"] = "1" }, body)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + count end
  end
  local parts = {}
  for status, count in pairs(total) do table.insert(parts, string.format("%s: %d", status, count)) end
  table.sort(parts)
  io.write("statuses: " .. table.concat(parts, ", ") .. "\n")
end
