-- Assignment rules and agent availability (docs/assignment.md).
-- A shop's rule per work order type (type_key: a built-in type's name or a shop type's key):
-- kind fixed (members holds the one handler), round_robin or least_open among members (a JSON
-- array of user ids, in the order the round goes); reassign = 1 also places the open work of a
-- handler who is deactivated or goes offline. cursor_user_id: the member round robin gave the
-- last work order to (0: none yet), moved in the create's transaction so every node shares it.
CREATE TABLE assign_rules (
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    type_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    members TEXT NOT NULL,
    reassign INTEGER NOT NULL,
    cursor_user_id INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (shop_id, type_key)
) STRICT;
-- Each person's own status (online, busy, offline; no row: online) and whether they count as
-- online only while a workbench of theirs is open.
CREATE TABLE agent_status (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    status TEXT NOT NULL,
    workbench_only INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX agent_status_shop ON agent_status(shop_id);
-- Open workbenches: a node's live stream of the user, seen_at renewed at each heartbeat, the row
-- gone when the node's last stream of the user closes (a node that died: its rows grow old).
CREATE TABLE agent_presence (
    user_id INTEGER NOT NULL REFERENCES users(id),
    node INTEGER NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, node)
) STRICT;
