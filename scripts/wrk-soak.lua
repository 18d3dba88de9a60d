-- wrk script for scripts/soak.sh: the queries of scripts/wrk-search.lua
-- (VANBAN_QUERIES), plus a count of responses by status, of the error
-- codes of non-2xx answers ({"error": {"code": ...}}) and of 503s without
-- Retry-After, across all threads. DELAY_MS (default 0) makes each
-- connection wait that long between requests (wrk's delay() hook).
dofile("scripts/wrk-search.lua")

local pause = tonumber(os.getenv("DELAY_MS") or "0") or 0
if pause > 0 then
  function delay()
    return pause
  end
end

local search_setup = setup
local search_done = done
local all_threads = {}

function setup(thread)
  search_setup(thread)
  all_threads[#all_threads + 1] = thread
end

statuses = {}
codes = {}
no_retry_after = 0

function response(status, headers, body)
  local k = tostring(status)
  statuses[k] = (statuses[k] or 0) + 1
  if status >= 300 then
    local code = body and body:match('"code"%s*:%s*"([%w_]+)"') or "none"
    local c = k .. "_" .. code
    codes[c] = (codes[c] or 0) + 1
    if status == 503 and not (headers["Retry-After"] or headers["retry-after"]) then
      no_retry_after = no_retry_after + 1
    end
  end
end

function done(summary, latency, requests)
  search_done(summary, latency, requests)
  local total, by_code = {}, {}
  local no_retry = 0
  for _, t in ipairs(all_threads) do
    for k, v in pairs(t:get("statuses") or {}) do
      total[k] = (total[k] or 0) + v
    end
    for k, v in pairs(t:get("codes") or {}) do
      by_code[k] = (by_code[k] or 0) + v
    end
    no_retry = no_retry + (t:get("no_retry_after") or 0)
  end
  local parts = {}
  for k, v in pairs(total) do
    parts[#parts + 1] = "status_" .. k .. "=" .. v
  end
  for k, v in pairs(by_code) do
    parts[#parts + 1] = "code_" .. k .. "=" .. v
  end
  table.sort(parts)
  local e = summary.errors
  io.write(string.format("result connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    e.connect, e.read, e.write, e.timeout))
  io.write("result " .. table.concat(parts, " ") .. "\n")
  io.write(string.format("result unavailable_without_retry_after=%d\n", no_retry))
end
