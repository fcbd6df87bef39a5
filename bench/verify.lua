-- POST /api/auth/verify with the right code for a pending login, each login once: every thread reads
-- VERIFY_LOGINS ("<authRequestId> <code>" lines) and takes its own slice. When a thread has used its slice it stops,
-- so no login is verified twice; the script prints how many logins were consumed.
-- REQUEST_DELAY_MS (bench/soak.sh): each connection waits that long between requests, for a fixed moderate rate.
local delay_ms = tonumber(os.getenv("REQUEST_DELAY_MS") or "0")
if delay_ms > 0 then
  delay = function() return delay_ms end
end
local pairs_ = {}
local threads = {}
local thread_id, thread_count = 0, 1
local next_index = 1

function setup(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads - 1)
end

function init(args)
  local all = {}
  for line in io.lines(os.getenv("VERIFY_LOGINS")) do
    local id, code = line:match("^(%S+) (%d+)$")
    if id then table.insert(all, { id, code }) end
  end
  thread_count = tonumber(os.getenv("WRK_THREADS") or "1")
  for i = thread_id + 1, #all, thread_count do table.insert(pairs_, all[i]) end
  verified, failed = 0, 0
end

request = function()
  local pair = pairs_[next_index]
  if pair == nil then
    wrk.thread:stop()
    pair = pairs_[#pairs_]
  end
  next_index = next_index + 1
  local body = string.format('{"code":"%s","authRequestId":"%s"}', pair[2], pair[1])
  return wrk.format("POST", "/api/auth/verify", { ["Content-Type"] = "application/json", ["X-CSRF"] = "1" }, body)
end

response = function(status, headers, body)
  if status == 200 then verified = verified + 1 else failed = failed + 1 end
end

function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + thread:get("verified")
    bad = bad + thread:get("failed")
  end
  io.write(string.format("verified: %d, refused: %d\n", ok, bad))
end
