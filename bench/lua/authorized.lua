-- POST /api/v1/inquiries/authorized as the bank: each request an authorization drawn at random.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
local ids, headers

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  ids = common.lines(os.getenv("BENCH_TARGETS"))
  headers = {
    ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
    ["Content-Type"] = "application/json",
  }
end

function request()
  return wrk.format("POST", "/api/v1/inquiries/authorized", headers,
    '{"authorization_id": ' .. common.pick(ids) .. '}')
end

done = common.report
