/* The tables of a whole installation as `gongdan migrate` copies them (store.h, "bulk copy"):
 * every table of both schemas is either here or left out on purpose by its backend's
 * bulk_uncovered, so a table added by a new migration stops migrate (and the contract suite,
 * tests/contract/test_bulk.c) until it is listed here or there. Backend-neutral: names and
 * columns only, each backend turns them into its own SQL. */
#include "store/store.h"

#define T(name, key, ncols, cols) {name, cols, ncols, key}

const struct gd_bulk_table gd_bulk_tables[] = {
    T("shops", "id", 7,
      "id, name, tz, tz_offset_min, aftersales_handler_id, created_at, active"),
    T("users", "id", 9,
      "id, shop_id, username, display_name, role, pwhash, created_at, active, "
      "must_change_password"),
    T("audit_events", "id", 8,
      "id, shop_id, actor_id, action, target_user_id, target_shop_id, data, at"),
    T("platform_rules", "version", 4, "version, body, created_by, created_at"),
    T("orders", "shop_id, order_no", 8,
      "shop_id, order_no, buyer_nick, status, paid_amount, items, created_at, updated_at"),
    T("workorders", "id", 23,
      "id, shop_id, number, type, state, active, priority, title, content, handler_id, "
      "creator_id, order_no, buyer_nick, deadline_at, due_key, overdue, created_at, updated_at, "
      "first_action_at, done_at, transfers, version, custom"),
    T("events", "id", 7, "id, shop_id, workorder_id, kind, actor_id, at, data"),
    T("collab", "workorder_id", 34,
      "workorder_id, shop_id, rule_version, category, complaint, remedy, reply_due_at, "
      "reply_option, reply_description, contact_at, replied_at, replier_id, verify_result, "
      "verify_remark, verifier_id, verified_at, intervened_at, intervention_reason, outcome, "
      "judged_remedy, liable_party, reasoning, rule_article, judge_id, judged_at, "
      "judged_against, appeal_reason, appealed_at, decision, decision_remark, decider_id, "
      "decided_at, overturned, finalized_at"),
    T("attachments", "id", 11,
      "id, shop_id, sha256, mime, size, filename, uploader_id, party, created_at, workorder_id, "
      "purpose"),
    T("counters", "shop_id, key", 3, "shop_id, key, n"),
    T("idempotency", "user_id, key", 6, "user_id, key, status, body, created_at, request_digest"),
    T("deadlines", "id", 7, "id, shop_id, workorder_id, kind, due_at, state, version"),
    T("search", "piece", 4, "piece, workorder_id, base, body"),
    T("stats_daily", "shop_id, day, type, handler_id", 21,
      "shop_id, day, type, handler_id, created, done, open, overdue, transferred, within, "
      "collab, settled, replied, intervened, judged, against, appeals, overturned, disputes, "
      "fa_hist, done_hist"),
    T("stats_wo", "workorder_id", 8,
      "workorder_id, shop_id, day, type, handler_id, counts, fa_bucket, done_bucket"),
    T("stats_orders", "shop_id, day", 3, "shop_id, day, n"),
    T("exports", "id", 13,
      "id, shop_id, user_id, params, format, state, rows_done, rows_total, file_name, path, "
      "error, created_at, finished_at"),
    T("webhooks", "id", 18,
      "id, shop_id, url, secret, description, events, created_by, created_at, cursor, "
      "delivered, failures, next_attempt_at, last_attempt_at, last_status, last_error, "
      "lease_node, lease_until, format"),
    T("outbox", "shop_id, seq", 3, "shop_id, seq, event_id"),
    T("login_attempts", "key", 5, "key, window_start, failures, locked_until, admitted"),
    T("quick_replies", "id", 7,
      "id, shop_id, owner_user_id, title, body, created_at, updated_at"),
    T("panel_settings", "shop_id", 4, "shop_id, origins, secret, updated_at"),
    T("notifications", "id", 12,
      "id, user_id, shop_id, kind, workorder_id, wo_number, title, actor_id, actor_name, text, "
      "created_at, read_at"),
    T("notify_prefs", "user_id", 3, "user_id, muted, updated_at"),
    {0},
};

