-- Shared by the benchmark scripts: read a target list, pick targets, report percentiles.
-- wrk runs one Lua state per thread; each reads the lists once in init().
local M = {}

function M.lines(path)
  local out = {}
  local f = assert(io.open(path, "r"), "cannot open " .. path)
  for line in f:lines() do
    if line ~= "" then out[#out + 1] = line end
  end
  f:close()
  assert(#out > 0, path .. " is empty")
  return out
end

function M.pick(list)
  return list[math.random(#list)]
end

-- One JSON line on stdout that bench/http.py parses: requests, errors, latency in microseconds.
function M.report(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
    latency.mean))
end

-- wrk's setup(), in its main Lua state: give each thread an id (it seeds that thread's random
-- numbers, so two threads do not draw the same targets in the same order).
local counter = 0
function M.setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

return M
