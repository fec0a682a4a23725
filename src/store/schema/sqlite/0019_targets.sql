-- Time targets (docs/targets.md). A shop's daily working hours, in minutes after local midnight.
CREATE TABLE target_hours (
    shop_id INTEGER PRIMARY KEY REFERENCES shops(id),
    start_min INTEGER NOT NULL,
    end_min INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- Per work order type: the first-response and resolution targets in working minutes (0 = none),
-- the reminder before each (0 = none) and whether a missed one moves the work order to the
-- lead's queue (its handler is cleared).
CREATE TABLE target_policies (
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    type TEXT NOT NULL,
    first_response_min INTEGER NOT NULL,
    resolution_min INTEGER NOT NULL,
    remind_before_min INTEGER NOT NULL,
    escalate_to_queue INTEGER NOT NULL,
    PRIMARY KEY (shop_id, type)
);
-- One work order's targets, fixed when it was made (a policy change never moves them): the
-- policy and hours in force, each target's due time and outcome (pending | met | missed |
-- cancelled), the first response (who, when), and the resolution clock's pause: while the work
-- order waits for the buyer res_due is 0 and res_left_ms keeps the working time left. A
-- decided outcome counts for the handler of that moment (handler_id), in statistics by handler.
CREATE TABLE wo_targets (
    workorder_id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL,
    start_min INTEGER NOT NULL,
    end_min INTEGER NOT NULL,
    tz_offset_min INTEGER NOT NULL,
    first_response_min INTEGER NOT NULL,
    resolution_min INTEGER NOT NULL,
    remind_before_min INTEGER NOT NULL,
    escalate_to_queue INTEGER NOT NULL,
    fr_due INTEGER NOT NULL,
    fr_at INTEGER NOT NULL,
    fr_by INTEGER NOT NULL,
    fr_outcome TEXT NOT NULL,
    res_due INTEGER NOT NULL,
    res_left_ms INTEGER NOT NULL,
    res_outcome TEXT NOT NULL,
    paused_since INTEGER NOT NULL,
    paused_ms INTEGER NOT NULL,
    handler_id INTEGER NOT NULL -- whom the latest outcome counts for (0: the current handler)
);
CREATE INDEX wo_targets_shop ON wo_targets(shop_id);
