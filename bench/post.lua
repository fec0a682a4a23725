-- wrk script: POSTs the body in $BODY_FILE (the webhook ceiling: a receiver taking batches).
local f = assert(io.open(os.getenv("BODY_FILE"), "rb"))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = f:read("*a")
f:close()
