-- Collaborative work orders (协同工单): versioned platform rules, the collaborative part of a
-- work order (complaint, reply, verification, judgement, appeal), and evidence attachments.
-- Times are UTC milliseconds; ids are application-made.
CREATE TABLE platform_rules (
    version INTEGER PRIMARY KEY,
    body TEXT NOT NULL, -- the whole rule set as a JSON object (docs/collab.md)
    created_by INTEGER,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE collab (
    workorder_id INTEGER PRIMARY KEY REFERENCES workorders(id),
    shop_id INTEGER NOT NULL REFERENCES shops(id),
    rule_version INTEGER NOT NULL REFERENCES platform_rules(version),
    category TEXT NOT NULL,
    complaint TEXT NOT NULL,
    remedy TEXT NOT NULL,
    reply_due_at INTEGER NOT NULL,
    -- the seller's reply, written once
    reply_option TEXT,
    reply_description TEXT,
    contact_at INTEGER,
    replied_at INTEGER,
    replier_id INTEGER,
    -- platform verification of unreachable / other replies
    verify_result TEXT,
    verify_remark TEXT,
    verifier_id INTEGER,
    verified_at INTEGER,
    -- intervention and judgement
    intervened_at INTEGER,
    intervention_reason TEXT, -- seller_timeout | not_agreed | verify_rejected
    outcome TEXT,
    judged_remedy TEXT,
    liable_party TEXT,
    reasoning TEXT,
    rule_article TEXT,
    judge_id INTEGER,
    judged_at INTEGER,
    judged_against INTEGER NOT NULL DEFAULT 0, -- 1 while a judgement against the seller counts
    -- appeal
    appeal_reason TEXT,
    appealed_at INTEGER,
    decision TEXT, -- upheld | overturned
    decision_remark TEXT,
    decider_id INTEGER,
    decided_at INTEGER,
    overturned INTEGER NOT NULL DEFAULT 0,
    finalized_at INTEGER
) STRICT;
CREATE INDEX collab_shop ON collab(shop_id, workorder_id);
CREATE INDEX collab_judged ON collab(shop_id, judged_at) WHERE judged_at IS NOT NULL;

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    shop_id INTEGER NOT NULL, -- 0 until a platform upload is linked to a work order
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    filename TEXT NOT NULL, -- sanitised display name; never part of a path
    uploader_id INTEGER NOT NULL REFERENCES users(id),
    party TEXT NOT NULL, -- shop | platform
    created_at INTEGER NOT NULL,
    workorder_id INTEGER REFERENCES workorders(id),
    purpose TEXT -- reply | evidence | appeal, once linked
) STRICT;
CREATE INDEX attachments_wo ON attachments(workorder_id, id) WHERE workorder_id IS NOT NULL;
