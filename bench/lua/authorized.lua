-- POST /api/v1/inquiries/authorized (or BENCH_PATH) as the bank: each request an authorization
-- drawn at random.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
local ids, headers, path

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  ids = common.lines(os.getenv("BENCH_TARGETS"))
  path = os.getenv("BENCH_PATH") or "/api/v1/inquiries/authorized"
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
    ["Content-Type"] = "application/json",
  }
end

function request()
  return wrk.format("POST", path, headers,
    '{"authorization_id": ' .. common.pick(ids) .. '}')
end

done = common.report
