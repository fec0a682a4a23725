-- One deliverer per webhook endpoint at a time across the nodes of one database
-- (docs/decisions.md, "Several nodes on one PostgreSQL"): the node slot holding the endpoint's
-- delivery lease (-1 = none yet) and when the lease runs out (ms since the epoch by the database's
-- clock; 0 = handed back). A node claims or renews it with each attempt; an attempt's outcome is
-- recorded only while its node still holds the endpoint.
ALTER TABLE webhooks ADD COLUMN lease_node INTEGER NOT NULL DEFAULT -1;
ALTER TABLE webhooks ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
