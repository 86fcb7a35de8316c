-- writes.lua - wrk script for searchd_writes.sh: the connections send the
-- lines of a file in turn (paths with URL-encoded queries), each
-- thread from its own share of the file, count the answers that are not
-- 2xx and those that are 5xx, and end with one machine-readable line.
--   wrk -t THREADS -s writes.lua URL -- QUERIES THREADS

local paths = {}
local next_path = 1
local threads = {}
non2xx = 0
status5xx = 0

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  local f = assert(io.open(args[1], "r"), "cannot read " .. tostring(args[1]))
  for line in f:lines() do
    if #line > 0 then paths[#paths + 1] = line end
  end
  f:close()
  assert(#paths > 0, "no queries in " .. args[1])
  local n = tonumber(args[2]) or 1
  next_path = math.floor(id * #paths / n) % #paths + 1
end

function request()
  local p = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", p)
end

function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
  if status >= 500 then status5xx = status5xx + 1 end
end

function done(summary, latency, requests)
  local bad, bad5 = 0, 0
  for _, t in ipairs(threads) do
    bad = bad + (t:get("non2xx") or 0)
    bad5 = bad5 + (t:get("status5xx") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "figures: requests %d seconds %.3f p50_us %d p99_us %d max_us %d non2xx %d status5xx %d " ..
    "errors_connect %d errors_read %d errors_write %d errors_status %d errors_timeout %d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    latency.max, bad, bad5, e.connect, e.read, e.write, e.status, e.timeout))
end
