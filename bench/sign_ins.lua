-- wrk script for the sign-in run (scripts/bench): every request signs the same staff account
-- in (POST /login with the right password), so each one costs a full Argon2id verification
-- and opens a session. Environment: VG_EMAIL, VG_PASSWORD (URL-encoded by the caller),
-- VG_CSRF (a token also sent as the vg_csrf cookie, as a browser's form would).
-- Statuses are counted per thread and summed in done(): 303 is a sign-in, 429 a lock.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

c303, c429, cother = 0, 0, 0

function init(args)
   local csrf = os.getenv("VG_CSRF")
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   wrk.headers["Cookie"] = "vg_csrf=" .. csrf
   wrk.body = "csrf=" .. csrf .. "&email=" .. os.getenv("VG_EMAIL") .. "&password=" ..
      os.getenv("VG_PASSWORD")
end

function response(status, headers, body)
   if status == 303 then
      c303 = c303 + 1
   elseif status == 429 then
      c429 = c429 + 1
   else
      cother = cother + 1
   end
end

function done(summary, latency, requests)
   local a, b, c = 0, 0, 0
   for _, t in ipairs(threads) do
      a = a + t:get("c303")
      b = b + t:get("c429")
      c = c + t:get("cother")
   end
   io.write(string.format("sign-ins: %d signed in (303), %d locked (429), %d other\n", a, b, c))
end
