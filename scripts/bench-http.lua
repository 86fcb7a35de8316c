-- bench-http.lua - wrk script for scripts/bench: the connections of each
-- thread send the lines of a file in turn, as the q parameter of one API
-- path, each thread from its own share of the file (so that no line is sent
-- twice before the file is used up), and the run ends with one
-- machine-readable line of figures.
--   wrk -t THREADS -c CONNECTIONS -s bench-http.lua URL -- QUERIES PATH THREADS [RATE CONNECTIONS]
--     QUERIES  one query a line, URL-encoded (encoding 400,000 lines here
--              would cost wrk more CPU than it leaves to the server)
--     PATH     /api/search or /api/suggest
--     THREADS  wrk's -t
--     RATE     requests a second in all (CONNECTIONS: wrk's -c): each
--              connection waits between its requests, a random time (of an
--              exponential distribution) of mean CONNECTIONS / RATE seconds,
--              as independent users do; without it, every connection sends
--              its next request as soon as it has the answer (the most the
--              server can take)

local paths = {}
local next_path = 1
local threads = {}
local mean_wait_ms = 0

function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  local file, path = args[1], args[2]
  local f = assert(io.open(file, "r"), "cannot read " .. tostring(file))
  for line in f:lines() do
    if #line > 0 then paths[#paths + 1] = path .. "?q=" .. line end
  end
  f:close()
  assert(#paths > 0, "no queries in " .. file)
  -- Thread k of n starts k/n of the way into the file.
  local n = tonumber(args[3]) or 1
  next_path = math.floor(id * #paths / n) % #paths + 1
  local rate, connections = tonumber(args[4]), tonumber(args[5])
  if rate and connections and rate > 0 then
    mean_wait_ms = 1000.0 * connections / rate
    math.randomseed(os.time() + id)
  end
end

function delay()
  if mean_wait_ms == 0 then return 0 end
  return math.floor(-mean_wait_ms * math.log(1.0 - math.random()))
end

function request()
  local p = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", p)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "figures: requests %d seconds %.3f p50_us %d p99_us %d max_us %d " ..
    "errors_connect %d errors_read %d errors_write %d errors_status %d errors_timeout %d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    latency.max, e.connect, e.read, e.write, e.status, e.timeout))
end
