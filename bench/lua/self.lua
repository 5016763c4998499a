-- GET /api/v1/me/records (or BENCH_PATH) as a signed-in subject: each request a session drawn
-- at random.
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
local tokens, path

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  tokens = common.lines(os.getenv("BENCH_TARGETS"))
  path = os.getenv("BENCH_PATH") or "/api/v1/me/records"
end

function request()
  return wrk.format("GET", path,
    {["Authorization"] = "Bearer " .. common.pick(tokens)})
end

done = common.report
