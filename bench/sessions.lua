-- GET SESSION_PATH (default /api/auth/session) with a different signed-in session per request: every thread reads
-- SESSION_COOKIES (one cookie value a line), takes its own slice and cycles through it, so with N sessions and R
-- requests/s each session is checked about once every N/R seconds. Prints the achieved period.
-- Requests are formatted once in init: building one per call held wrk (one thread on the same two cores) to half
-- the rate the service could answer.
-- REQUEST_DELAY_MS (bench/soak.sh): each connection waits that long between requests, for a fixed moderate rate.
local delay_ms = tonumber(os.getenv("REQUEST_DELAY_MS") or "0")
if delay_ms > 0 then
  delay = function() return delay_ms end
end
local requests_ = {}
local threads = {}
local thread_id = 0
local next_index = 1
local path = os.getenv("SESSION_PATH") or "/api/auth/session"

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads - 1)
end

function init(args)
  local thread_count = tonumber(os.getenv("WRK_THREADS") or "1")
  local i = 0
  for line in io.lines(os.getenv("SESSION_COOKIES")) do
    if i % thread_count == thread_id and #line > 0 then
      table.insert(requests_, wrk.format("GET", path, { ["Cookie"] = "__Host-pwl-session=" .. line }))
    end
    i = i + 1
  end
  sessions = #requests_
end

request = function()
  local prepared = requests_[next_index]
  next_index = next_index % #requests_ + 1
  return prepared
end

-- No response callback: one would make wrk hand every answer to Lua, and the client's own cost is what holds the rate
-- on two shared cores; wrk counts non-2xx answers itself.
function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do total = total + thread:get("sessions") end
  local rate = summary.requests / (summary.duration / 1e6)
  io.write(string.format("sessions: %d, each session checked every %.2f s\n", total, total / rate))
end
