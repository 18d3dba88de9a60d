-- wrk script for scripts/bench-load.sh: GET /api/search, cycling through
-- the queries of a file (one a line; VANBAN_QUERIES, default the shared
-- corpus' 50 short queries), each thread from its own starting point.
-- Prints the latency percentiles and error counts in a parseable form.
local path = os.getenv("VANBAN_QUERIES") or "../shared/corpus/queries/short.txt"
local gzip = os.getenv("GZIP") == "1"

local queries = {}
for line in io.lines(path) do
  line = line:gsub("^%s+", ""):gsub("%s+$", "")
  if line ~= "" then
    queries[#queries + 1] = line
  end
end
assert(#queries > 0, "no queries in " .. path)

local function encode(s)
  return (s:gsub("[^%w%-%._~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local paths = {}
for n, q in ipairs(queries) do
  paths[n] = "/api/search?q=" .. encode(q) .. "&limit=10"
end

local threads = 0
function setup(thread)
  thread:set("first", threads * 17)
  threads = threads + 1
end

local i = 0
function init(args)
  i = first or 0
end

function request()
  i = i % #paths + 1
  local headers = nil
  if gzip then
    headers = { ["Accept-Encoding"] = "gzip" }
  end
  return wrk.format("GET", paths[i], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("result requests=%d duration_s=%.2f rps=%.1f\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6)))
  io.write(string.format("result p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("result socket_errors=%d non2xx=%d\n",
    e.connect + e.read + e.write + e.timeout, e.status))
end
