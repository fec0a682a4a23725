-- wrk script: durable creates. Each request creates one work order (acknowledged after commit).
-- The body is $CREATE_BODY (bench/run.sh sends the same body when it captures a create's SQL).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GD_TOKEN")
wrk.body = os.getenv("CREATE_BODY")
