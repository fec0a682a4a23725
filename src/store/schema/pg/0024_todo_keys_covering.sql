-- The todo list's keys read (workorders_list_keys: id, shop, version, state, deadline, handler,
-- creator) by an Index Only Scan: wo_todo holds them as INCLUDE columns, so the keys no longer
-- visit the 50 rows' heap pages (where the visibility map says a page is all-visible; pages
-- written since the last vacuum are still visited). Replaces wo_todo (docs/PERFORMANCE.md,
-- "A covering todo index").
DROP INDEX wo_todo;
CREATE INDEX wo_todo ON workorders(shop_id, handler_id, active, due_key, id)
    INCLUDE (version, state, deadline_at, creator_id);
