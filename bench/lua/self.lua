-- GET /api/v1/me/records as a signed-in subject: each request a session drawn at random.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
local tokens

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  tokens = common.lines(os.getenv("BENCH_TARGETS"))
end

function request()
  return wrk.format("GET", "/api/v1/me/records",
    {["Authorization"] = "Bearer " .. common.pick(tokens)})
end

done = common.report
