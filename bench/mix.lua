-- wrk script: the realistic mix of issue 12. Agents of many shops (one line "TOKEN USER_ID" each
-- in the file $MIX_AGENTS) read their todo view; one request in 21 is instead a durable create
-- in the agent's own shop, handled by the agent, so it changes that agent's todo view (reads 20x
-- writes). Each request picks its agent at random.
local agents = {}
local n = 0

function init(args)
    for line in io.lines(os.getenv("MIX_AGENTS")) do
        local token, id = line:match("^(%S+) (%S+)$")
        if token then
            agents[#agents + 1] = { token = token, id = id }
        end
    end
    -- each wrk thread its own sequence
    math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "1", 16))
end

function request()
    local a = agents[math.random(#agents)]
    n = n + 1
    if n % 21 == 0 then
        return wrk.format("POST", "/api/v1/workorders",
            { ["Authorization"] = "Bearer " .. a.token, ["Content-Type"] = "application/json" },
            '{"type":"after_sales","title":"压测混合写入","content":"买家反馈商品破损，申请退款。","handler_id":"' .. a.id .. '"}')
    end
    return wrk.format("GET", "/api/v1/workorders?view=todo&limit=50",
        { ["Authorization"] = "Bearer " .. a.token })
end
