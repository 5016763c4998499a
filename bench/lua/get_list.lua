-- GET <prefix><target>, a target drawn at random from BENCH_TARGETS (one per line).
package.path = os.getenv("BENCH_LUA") .. "/?.lua;" .. package.path
local common = require("common")
setup = common.setup
local targets, prefix, headers

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  targets = common.lines(os.getenv("BENCH_TARGETS"))
  prefix = os.getenv("BENCH_PREFIX") or "/"
  headers = {}
  local token = os.getenv("BENCH_TOKEN")
  if token and token ~= "" then headers["Authorization"] = "Bearer " .. token end
end

function request()
  return wrk.format("GET", prefix .. common.pick(targets), headers)
end

done = common.report
