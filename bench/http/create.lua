-- (d) POST a new secret with a name never used before: new-RUN-THREAD-COUNTER, a 40-byte value.
-- Usage: wrk -s bench/http/create.lua -H 'Authorization: Bearer TOKEN' URL -- SECRET_COUNT RUN_ID
-- RUN_ID (letters, digits, '-') must differ between runs against the same store, e.g. warmup and measured.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local prefix
local counter = 0
local alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
setup = number_thread

function init(args)
   secret_count(args)
   local run = args[2]
   if run == nil or not run:match("^[%w%-]+$") then error("pass a run id after the count, e.g. -- 100000 run1") end
   prefix = "new-" .. run .. "-" .. tostring(id) .. "-"
   seed_random()
   wrk.headers["Content-Type"] = "application/json"
end

local function token()
   local chars = {}
   for i = 1, 36 do
      local k = math.random(#alphabet)
      chars[i] = alphabet:sub(k, k)
   end
   return "tok_" .. table.concat(chars)
end

function request()
   counter = counter + 1
   local body = string.format('{"name":"%s%d","value":"%s","description":"http-load"}', prefix, counter, token())
   return wrk.format("POST", "/apis/secrets/v2/workspaces/default/secrets", nil, body)
end
