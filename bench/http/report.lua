-- Shared by the wrk scripts of bench/http-load: one machine-readable line at the end of a run, so the driver
-- never parses wrk's human output. Latencies are in microseconds, as wrk records them.
--   RESULT requests=N duration_us=N rps=N p50_us=N p99_us=N max_us=N non2xx=N socket_errors=N

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d rps=%.1f p50_us=%d p99_us=%d max_us=%d non2xx=%d socket_errors=%d\n",
      summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
      latency:percentile(50), latency:percentile(99), latency.max,
      e.status, e.connect + e.read + e.write + e.timeout))
end

-- Every script's init(args) takes the same first argument: how many secrets the store was filled with.
function secret_count(args)
   local n = tonumber(args[1])
   if n == nil or n < 1 then error("pass the number of stored secrets after --, e.g. -- 100000") end
   return n
end

-- A per-thread seed, so the two wrk threads do not walk the same sequence of names.
function seed_random()
   local seed = os.time() * 1000 + math.floor((os.clock() * 1e6) % 1000)
   seed = seed + (tonumber(id) or 0) * 7919
   math.randomseed(seed)
   math.random(); math.random()
end

-- The name bench/http-load's fill step gave secret i: the prefix and i zero-padded to 7 digits.
function secret_name(i)
   return string.format("load-%07d", i)
end

local thread_count = 0
-- Numbers the wrk threads: setup(thread) runs in the main state and thread:set makes `id` a global of that
-- thread's own state, read by init for seeds and unique names.
function number_thread(thread)
   thread_count = thread_count + 1
   thread:set("id", thread_count)
end
