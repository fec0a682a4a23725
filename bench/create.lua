-- wrk script: durable creates. Each request creates one work order (acknowledged after commit).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("GD_TOKEN")
wrk.body = '{"type":"after_sales","title":"压测创建工单","content":"买家反馈商品破损，申请退款。","handler_id":"' .. os.getenv("GD_HANDLER") .. '"}'
