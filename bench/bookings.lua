-- wrk script for the booking run (scripts/bench): each request POSTs one distinct slot.
-- Environment: VG_BODIES (one JSON body per line, bench/booking_bodies.py), VG_ORG (slug),
-- VG_WRK_THREADS (must equal wrk -t). Thread k takes bodies k, k+T, k+2T... so the threads
-- never send the same body. Statuses are counted per thread and summed in done().

local threads = {}
local counter = 0

function setup(thread)
   thread:set("offset", counter)
   table.insert(threads, thread)
   counter = counter + 1
end

local bodies = {}
local next_index = 1
local path = "/api/v1/orgs/" .. (os.getenv("VG_ORG") or "dept") .. "/appointments"
local headers = { ["Content-Type"] = "application/json" }
c201, c409, c4xx, c5xx, cother, exhausted = 0, 0, 0, 0, 0, 0

function init(args)
   local stride = tonumber(os.getenv("VG_WRK_THREADS") or "1")
   local n = 0
   for line in io.lines(os.getenv("VG_BODIES")) do
      if n % stride == offset then bodies[#bodies + 1] = line end
      n = n + 1
   end
end

function request()
   if next_index > #bodies then
      -- Out of distinct slots: stop this thread rather than send a duplicate.
      exhausted = 1
      wrk.thread:stop()
      return wrk.format("GET", "/healthz")
   end
   local body = bodies[next_index]
   next_index = next_index + 1
   return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
   if status == 201 then c201 = c201 + 1
   elseif status == 409 then c409 = c409 + 1
   elseif status >= 500 then c5xx = c5xx + 1
   elseif status >= 400 then c4xx = c4xx + 1
   elseif exhausted == 0 then cother = cother + 1
   end
end

function done(summary, latency, requests)
   local t = { c201 = 0, c409 = 0, c4xx = 0, c5xx = 0, cother = 0, exhausted = 0 }
   for _, thread in ipairs(threads) do
      for k, _ in pairs(t) do t[k] = t[k] + (thread:get(k) or 0) end
   end
   io.write(string.format(
      "BOOKINGS status201=%d status409=%d status4xx=%d status5xx=%d other=%d " ..
      "threads_exhausted=%d duration_s=%.3f requests=%d errors_connect=%d errors_read=%d " ..
      "errors_write=%d errors_status=%d errors_timeout=%d p50_ms=%.2f p90_ms=%.2f " ..
      "p99_ms=%.2f max_ms=%.2f\n",
      t.c201, t.c409, t.c4xx, t.c5xx, t.cother, t.exhausted, summary.duration / 1e6,
      summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write,
      summary.errors.status, summary.errors.timeout, latency:percentile(50) / 1000,
      latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
