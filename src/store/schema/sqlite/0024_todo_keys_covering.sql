-- The todo list's keys read (workorders_list_keys: id, shop, version, state, deadline, handler,
-- creator) from its index alone: wo_todo holds them after its order, so a view after a write no
-- longer looks up each of its 50 rows in the table for its version (docs/PERFORMANCE.md,
-- "A covering todo index"). Replaces wo_todo, not beside it: one index written per change.
-- The index's entry now moves with every write that moves the version.
DROP INDEX wo_todo;
CREATE INDEX wo_todo ON workorders(shop_id, handler_id, active, due_key, id, version, state,
                                   deadline_at, creator_id);
