/* The tables of a whole installation as `gongdan migrate` copies them (store.h, "bulk copy"):
 * every table of both schemas is either here or left out on purpose by its backend's
 * bulk_uncovered, so a table added by a new migration stops migrate (and the contract suite,
 * tests/contract/test_bulk.c) until it is listed here or there. Backend-neutral: names and
 * columns only, each backend turns them into its own SQL. */
#include "store/rollup_sql.h"
#include "store/store.h"

#define T(name, key, ncols, cols) \
    {                             \
        name, cols, ncols, key    \
    }

const struct gd_bulk_table gd_bulk_tables[] = {
    T("shops", "id", 7, "id, name, tz, tz_offset_min, aftersales_handler_id, created_at, active"),
    T("users", "id", 9,
      "id, shop_id, username, display_name, role, pwhash, created_at, active, "
      "must_change_password"),
    T("audit_events", "id", 8,
      "id, shop_id, actor_id, action, target_user_id, target_shop_id, data, at"),
    T("platform_rules", "version", 4, "version, body, created_by, created_at"),
    T("orders", "shop_id, order_no", 8,
      "shop_id, order_no, buyer_nick, status, paid_amount, items, created_at, updated_at"),
    T("wo_types", "shop_id, code", 10,
      "shop_id, code, name_zh, name_en, deadline_ms, handler_id, color, retired, created_at, "
      "updated_at"),
    T("wo_fields", "id", 13,
      "id, shop_id, type_code, key, label_zh, label_en, kind, required, options, position, "
      "retired, created_at, updated_at"),
    T("workorders", "id", 24,
      "id, shop_id, number, type, state, active, priority, title, content, handler_id, "
      "creator_id, order_no, buyer_nick, deadline_at, due_key, overdue, created_at, updated_at, "
      "first_action_at, done_at, transfers, version, custom, fields"),
    T("wo_field_values", "shop_id, field_id, value, workorder_id", 5,
      "shop_id, field_id, value, workorder_id, due_key"),
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
    T("search", "piece", 5, "piece, workorder_id, base, body, shop_id"),
    T("stats_daily", "shop_id, day, type, handler_id", 21, GD_ROLLUP_COLS("day")),
    /* the summaries are copied, not rebuilt: they are exactly the sums of the copied days, and
     * the copy is verified row by row as every table is (docs/migrate.md) */
    T("stats_monthly", "shop_id, month, type, handler_id", 21, GD_ROLLUP_COLS("month")),
    T("stats_type_daily", "shop_id, day, type, handler_id", 21, GD_ROLLUP_COLS("day")),
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
    T("quick_replies", "id", 7, "id, shop_id, owner_user_id, title, body, created_at, updated_at"),
    T("panel_settings", "shop_id", 4, "shop_id, origins, secret, updated_at"),
    T("notifications", "id", 12,
      "id, user_id, shop_id, kind, workorder_id, wo_number, title, actor_id, actor_name, text, "
      "created_at, read_at"),
    T("notify_prefs", "user_id", 3, "user_id, muted, updated_at"),
    T("target_hours", "shop_id", 4, "shop_id, start_min, end_min, updated_at"),
    T("target_policies", "shop_id, type", 6,
      "shop_id, type, first_response_min, resolution_min, remind_before_min, escalate_to_queue"),
    T("wo_targets", "workorder_id", 19,
      "workorder_id, shop_id, start_min, end_min, tz_offset_min, first_response_min, "
      "resolution_min, remind_before_min, escalate_to_queue, fr_due, fr_at, fr_by, fr_outcome, "
      "res_due, res_left_ms, res_outcome, paused_since, paused_ms, handler_id"),
    T("assign_rules", "shop_id, type_key", 7,
      "shop_id, type_key, kind, members, reassign, cursor_user_id, updated_at"),
    T("agent_status", "user_id", 5, "user_id, shop_id, status, workbench_only, updated_at"),
    T("saved_filters", "id", 8,
      "id, shop_id, owner_user_id, name, view, query, created_at, updated_at"),
    {0},
};
