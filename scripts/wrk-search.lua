-- wrk script for scripts/bench-load.sh: GET /api/search over the queries
-- of a file (one a line; VANBAN_QUERIES, default the shared corpus' 50
-- short queries). Prints the latency percentiles and error counts in a
-- parseable form.
--
-- WALK=0 (default): each thread cycles through the whole file from its own
-- starting point (a small set, repeated: what the facet cache serves).
-- WALK=1: the threads walk the file together, interleaved, from line START
-- (default 0): thread t of WRK_THREADS sends lines START+t, START+t+T, ...
-- so no query repeats within a run until the file is used up; `repeats`
-- says how many requests went past that. The bench passes each run the
-- line where the previous one stopped.
local path = os.getenv("VANBAN_QUERIES") or "../shared/corpus/queries/short.txt"
local gzip = os.getenv("GZIP") == "1"
local walk = os.getenv("WALK") == "1"
local start = tonumber(os.getenv("START") or "0")
local nthreads = tonumber(os.getenv("WRK_THREADS") or "2")

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
  thread:set("id", threads)
  threads = threads + 1
end

local i = 0
local step = 1
function init(args)
  if walk then
    -- 0-based position of this thread's first line.
    i = start + (id or 0)
    step = nthreads
  else
    i = (id or 0) * 17
  end
end

function request()
  local n = i % #paths + 1
  i = i + step
  local headers = nil
  if gzip then
    headers = { ["Accept-Encoding"] = "gzip" }
  end
  return wrk.format("GET", paths[n], headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  local repeats = 0
  if walk and summary.requests > #paths then
    repeats = summary.requests - #paths
  end
  io.write(string.format("result requests=%d duration_s=%.2f rps=%.1f queries=%d repeats=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    #paths, repeats))
  io.write(string.format("result p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("result socket_errors=%d non2xx=%d\n",
    e.connect + e.read + e.write + e.timeout, e.status))
end
