-- wrk script for benches/serve.sh: each connection sends /api/search requests drawn in
-- turn from a fixed mix (what the page asks while people type and click), starting at a
-- different place for each thread; done() prints one machine-readable summary line.

local function enc(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

-- query, extra parameters, weight (how many times it stands in the mix)
local mix = {
  { "小武器", "", 4 },
  { "妇女", "", 3 },
  { "行动纲领", "", 3 },
  { "国际合作和援助", "", 2 },
  { "国际刑警组织", "", 2 },
  { "裁军", "", 2 },
  { "核武器", "", 2 },
  { "器", "", 1 },
  { "小武器 妇女 行动纲领", "", 2 },
  { "行动纲领 OR 国际追查文书", "", 1 },
  { "小武器 -妇女", "", 1 },
  { "輕武器", "", 1 },
  { "\"2022 年 6 月\"", "", 1 },
  { "小武器", "&kind=operative", 2 },
  { "妇女", "&session=70-78", 2 },
  { "小武器", "&sort=newest", 1 },
  { "行动纲领", "&collapse=true", 2 },
  { "小武器", "&offset=10", 1 },
  { "妇女", "&by=session", 2 },
  { "", "&cites=A/CONF.192/15", 1 },
}

local paths = {}
for _, m in ipairs(mix) do
  for _ = 1, m[3] do
    paths[#paths + 1] = "/api/search?q=" .. enc(m[1]) .. m[2]
  end
end

local threads = {}
local counter = 1

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local i = 0
function init(args)
  i = (id or 1) * 7
end

function request()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f mean_ms=%.2f connect=%d read=%d write=%d status=%d timeout=%d bytes=%d queries=%d\n",
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, latency.mean / 1000,
    e.connect, e.read, e.write, e.status, e.timeout, summary.bytes, #paths))
end
