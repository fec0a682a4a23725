-- The timers stored in the order the firing engine claims them: clustered on (state, due_at, id)
-- (WITHOUT ROWID), so a batch's claim reads a contiguous run of the pending timers and deletes
-- that run as one range: one entry per timer in the table and one in deadlines_wo, where the
-- rowid table deleted a row and two index entries found one by one (docs/PERFORMANCE.md, "The
-- claim deletes a run"). deadlines_due goes: the table is that order. A timer is found by its
-- id only with its due time (deadline_take), which never changes: a moved deadline is a new
-- timer. SQLite only; PostgreSQL keeps its table (the claim there is one statement anyway).
CREATE TABLE deadlines_claim_order (
    id INTEGER NOT NULL,
    shop_id INTEGER NOT NULL,
    workorder_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending', -- pending | cancelled (fired: older rows, till the janitor)
    version INTEGER NOT NULL, -- the work order version the timer was set at
    PRIMARY KEY (state, due_at, id)
) WITHOUT ROWID, STRICT;
INSERT INTO deadlines_claim_order (id, shop_id, workorder_id, kind, due_at, state, version)
    SELECT id, shop_id, workorder_id, kind, due_at, state, version FROM deadlines;
DROP TABLE deadlines;
ALTER TABLE deadlines_claim_order RENAME TO deadlines;
CREATE INDEX deadlines_wo ON deadlines(workorder_id, state);
