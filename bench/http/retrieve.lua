-- (b) GET the metadata of a random stored secret: /apis/secrets/v2/workspaces/default/secrets/NAME.
-- Usage: wrk -s bench/http/retrieve.lua -H 'Authorization: Bearer TOKEN' URL -- SECRET_COUNT
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local count
setup = number_thread

function init(args)
   count = secret_count(args)
   seed_random()
end

function request()
   return wrk.format("GET", "/apis/secrets/v2/workspaces/default/secrets/" .. secret_name(math.random(count)))
end
