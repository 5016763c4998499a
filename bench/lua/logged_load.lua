-- Load test (issue 23): POST /api/v1/inquiries/authorized as the bank, one connection per
-- thread. Each thread stops itself after its first answer past BENCH_SECONDS, so no request is
-- left in flight when wrk ends: every answered inquiry was counted here, and the inquiry log
-- must hold exactly that many new rows.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
local ids, headers, deadline

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  ids = common.lines(os.getenv("BENCH_TARGETS"))
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
    ["Content-Type"] = "application/json",
  }
  deadline = os.time() + tonumber(os.getenv("BENCH_SECONDS"))
end

function request()
  return wrk.format("POST", "/api/v1/inquiries/authorized", headers,
    '{"authorization_id": ' .. common.pick(ids) .. '}')
end

function response(status, headers, body)
  if os.time() >= deadline then
    wrk.thread:stop()
  end
end

done = common.report
