-- (c) GET the value of a random stored secret: /apis/secrets/v2/workspaces/default/secrets/NAME/access.
-- Usage: wrk -s bench/http/access.lua -H 'Authorization: Bearer PLATFORM_ADMIN_TOKEN' URL -- SECRET_COUNT
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")

local count
setup = number_thread

function init(args)
   count = secret_count(args)
   seed_random()
end

function request()
   return wrk.format("GET", "/apis/secrets/v2/workspaces/default/secrets/" .. secret_name(math.random(count)) .. "/access")
end
