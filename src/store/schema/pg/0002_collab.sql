-- Collaborative work orders (协同工单): versioned platform rules, the collaborative part of a
-- work order (complaint, reply, verification, judgement, appeal), and evidence attachments.
-- Times are UTC milliseconds; ids are application-made.
CREATE TABLE platform_rules (
    version BIGINT PRIMARY KEY,
    body TEXT NOT NULL, -- the whole rule set as a JSON object (docs/collab.md)
    created_by BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE collab (
    workorder_id BIGINT PRIMARY KEY REFERENCES workorders(id),
    shop_id BIGINT NOT NULL REFERENCES shops(id),
    rule_version BIGINT NOT NULL REFERENCES platform_rules(version),
    category TEXT NOT NULL,
    complaint TEXT NOT NULL,
    remedy TEXT NOT NULL,
    reply_due_at BIGINT NOT NULL,
    -- the seller's reply, written once
    reply_option TEXT,
    reply_description TEXT,
    contact_at BIGINT,
    replied_at BIGINT,
    replier_id BIGINT,
    -- platform verification of unreachable / other replies
    verify_result TEXT,
    verify_remark TEXT,
    verifier_id BIGINT,
    verified_at BIGINT,
    -- intervention and judgement
    intervened_at BIGINT,
    intervention_reason TEXT, -- seller_timeout | not_agreed | verify_rejected
    outcome TEXT,
    judged_remedy TEXT,
    liable_party TEXT,
    reasoning TEXT,
    rule_article TEXT,
    judge_id BIGINT,
    judged_at BIGINT,
    judged_against BIGINT NOT NULL DEFAULT 0, -- 1 while a judgement against the seller counts
    -- appeal
    appeal_reason TEXT,
    appealed_at BIGINT,
    decision TEXT, -- upheld | overturned
    decision_remark TEXT,
    decider_id BIGINT,
    decided_at BIGINT,
    overturned BIGINT NOT NULL DEFAULT 0,
    finalized_at BIGINT
);
CREATE INDEX collab_shop ON collab(shop_id, workorder_id);
CREATE INDEX collab_judged ON collab(shop_id, judged_at) WHERE judged_at IS NOT NULL;

CREATE TABLE attachments (
    id BIGINT PRIMARY KEY,
    shop_id BIGINT NOT NULL, -- 0 until a platform upload is linked to a work order
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    filename TEXT NOT NULL, -- sanitised display name; never part of a path
    uploader_id BIGINT NOT NULL REFERENCES users(id),
    party TEXT NOT NULL, -- shop | platform
    created_at BIGINT NOT NULL,
    workorder_id BIGINT REFERENCES workorders(id),
    purpose TEXT -- reply | evidence | appeal, once linked
);
CREATE INDEX attachments_wo ON attachments(workorder_id, id) WHERE workorder_id IS NOT NULL;
