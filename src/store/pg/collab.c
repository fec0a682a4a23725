/* Collaborative work orders in PostgreSQL: the versioned platform rules, the collab row of each
 * collaborative work order, and evidence attachments. */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

int gd_pg__rules_insert(struct gd_store *s, const char *body, int64_t created_by, int64_t now,
                        int64_t *version, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO platform_rules (version, body, created_by, created_at) VALUES ((SELECT "
        "coalesce(max(version), 0) + 1 FROM platform_rules), $1, $2, $3) RETURNING version",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_text(st, 1, body);
    bind_i64_nz(st, 2, created_by);
    bind_i64(st, 3, now);
    if (pg_step(st) != PG_ROW) {
        return pg_fail(PG(s), st, err);
    }
    *version = col_i64(st, 0);
    pg_done(st);
    return GD_OK;
}

int gd_pg__rules_get(struct gd_store *s, int64_t version, struct gd_arena *a, int64_t *version_out,
                     const char **body, int64_t *created_at, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        version
            ? "SELECT version, body, created_at FROM platform_rules WHERE version = $1"
            : "SELECT version, body, created_at FROM platform_rules ORDER BY version DESC LIMIT 1",
        err);
    if (!st) {
        return GD_EDB;
    }
    if (version) {
        bind_i64(st, 1, version);
    }
    int rc = pg_step(st);
    if (rc == PG_ROW) {
        *version_out = col_i64(st, 0);
        *body = col_str(a, st, 1);
        *created_at = col_i64(st, 2);
        pg_done(st);
        return GD_OK;
    }
    if (rc != PG_DONE) {
        return pg_fail(PG(s), st, err);
    }
    pg_done(st);
    return gd_err_set(err, GD_ENOTFOUND, "no platform rules version %lld", (long long)version);
}

#define COLLAB_COLS                                                                             \
    "c.workorder_id, c.shop_id, c.rule_version, c.category, c.complaint, c.remedy, "            \
    "c.reply_due_at, c.reply_option, c.reply_description, c.contact_at, c.replied_at, "         \
    "c.replier_id, c.verify_result, c.verify_remark, c.verifier_id, c.verified_at, "            \
    "c.intervened_at, c.intervention_reason, c.outcome, c.judged_remedy, c.liable_party, "      \
    "c.reasoning, c.rule_article, c.judge_id, c.judged_at, c.judged_against, c.appeal_reason, " \
    "c.appealed_at, c.decision, c.decision_remark, c.decider_id, c.decided_at, c.overturned, "  \
    "c.finalized_at, j.display_name"

/* $1..$34 in the order of COLLAB_COLS (without the judge's name). */
static void bind_collab(struct gd_pg_stmt *st, const struct gd_collab *c)
{
    bind_i64(st, 1, c->workorder_id);
    bind_i64(st, 2, c->shop_id);
    bind_i64(st, 3, c->rule_version);
    bind_text(st, 4, c->category);
    bind_text(st, 5, c->complaint);
    bind_text(st, 6, c->remedy);
    bind_i64(st, 7, c->reply_due_at);
    bind_text(st, 8, c->reply_option);
    bind_text(st, 9, c->reply_description);
    bind_i64_nz(st, 10, c->contact_at);
    bind_i64_nz(st, 11, c->replied_at);
    bind_i64_nz(st, 12, c->replier_id);
    bind_text(st, 13, c->verify_result);
    bind_text(st, 14, c->verify_remark);
    bind_i64_nz(st, 15, c->verifier_id);
    bind_i64_nz(st, 16, c->verified_at);
    bind_i64_nz(st, 17, c->intervened_at);
    bind_text(st, 18, c->intervention_reason);
    bind_text(st, 19, c->outcome);
    bind_text(st, 20, c->judged_remedy);
    bind_text(st, 21, c->liable_party);
    bind_text(st, 22, c->reasoning);
    bind_text(st, 23, c->rule_article);
    bind_i64_nz(st, 24, c->judge_id);
    bind_i64_nz(st, 25, c->judged_at);
    bind_i64(st, 26, c->judged_against);
    bind_text(st, 27, c->appeal_reason);
    bind_i64_nz(st, 28, c->appealed_at);
    bind_text(st, 29, c->decision);
    bind_text(st, 30, c->decision_remark);
    bind_i64_nz(st, 31, c->decider_id);
    bind_i64_nz(st, 32, c->decided_at);
    bind_i64(st, 33, c->overturned);
    bind_i64_nz(st, 34, c->finalized_at);
}

int gd_pg__collab_insert(struct gd_store *s, const struct gd_collab *c, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "INSERT INTO collab (workorder_id, shop_id, rule_version, category, complaint, remedy, "
        "reply_due_at, reply_option, reply_description, contact_at, replied_at, replier_id, "
        "verify_result, verify_remark, verifier_id, verified_at, intervened_at, "
        "intervention_reason, outcome, judged_remedy, liable_party, reasoning, rule_article, "
        "judge_id, judged_at, judged_against, appeal_reason, appealed_at, decision, "
        "decision_remark, decider_id, decided_at, overturned, finalized_at) VALUES ($1, $2, $3, "
        "$4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, "
        "$22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33, $34)",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_collab(st, c);
    return pg_exec(PG(s), st, err);
}

int gd_pg__collab_update(struct gd_store *s, const struct gd_collab *c, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "UPDATE collab SET rule_version = $3, category = $4, complaint = $5, remedy = $6, "
        "reply_due_at = $7, reply_option = $8, reply_description = $9, contact_at = $10, "
        "replied_at = $11, replier_id = $12, verify_result = $13, verify_remark = $14, "
        "verifier_id = $15, verified_at = $16, intervened_at = $17, intervention_reason = $18, "
        "outcome = $19, judged_remedy = $20, liable_party = $21, reasoning = $22, "
        "rule_article = $23, judge_id = $24, judged_at = $25, judged_against = $26, "
        "appeal_reason = $27, appealed_at = $28, decision = $29, decision_remark = $30, "
        "decider_id = $31, decided_at = $32, overturned = $33, finalized_at = $34 "
        "WHERE workorder_id = $1 AND shop_id = $2",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_collab(st, c);
    int ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_set(err, GD_ENOTFOUND, "no collaborative work order %lld",
                          (long long)c->workorder_id);
    }
    return ret;
}

int gd_pg__collab_get(struct gd_store *s, int64_t shop_id, int64_t workorder_id, struct gd_arena *a,
                      struct gd_collab *c, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT " COLLAB_COLS " FROM collab c LEFT JOIN users j ON "
                                    "j.id = c.judge_id WHERE c.workorder_id = $1 AND "
                                    "c.shop_id = $2",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    int rc = pg_step(st);
    if (rc != PG_ROW) {
        if (rc != PG_DONE) {
            return pg_fail(PG(s), st, err);
        }
        pg_done(st);
        return gd_err_set(err, GD_ENOTFOUND, "no collaborative work order %lld",
                          (long long)workorder_id);
    }
    c->workorder_id = col_i64(st, 0);
    c->shop_id = col_i64(st, 1);
    c->rule_version = col_i64(st, 2);
    c->category = col_str(a, st, 3);
    c->complaint = col_str(a, st, 4);
    c->remedy = col_str(a, st, 5);
    c->reply_due_at = col_i64(st, 6);
    c->reply_option = col_str(a, st, 7);
    c->reply_description = col_str(a, st, 8);
    c->contact_at = col_i64(st, 9);
    c->replied_at = col_i64(st, 10);
    c->replier_id = col_i64(st, 11);
    c->verify_result = col_str(a, st, 12);
    c->verify_remark = col_str(a, st, 13);
    c->verifier_id = col_i64(st, 14);
    c->verified_at = col_i64(st, 15);
    c->intervened_at = col_i64(st, 16);
    c->intervention_reason = col_str(a, st, 17);
    c->outcome = col_str(a, st, 18);
    c->judged_remedy = col_str(a, st, 19);
    c->liable_party = col_str(a, st, 20);
    c->reasoning = col_str(a, st, 21);
    c->rule_article = col_str(a, st, 22);
    c->judge_id = col_i64(st, 23);
    c->judged_at = col_i64(st, 24);
    c->judged_against = col_i64(st, 25) != 0;
    c->appeal_reason = col_str(a, st, 26);
    c->appealed_at = col_i64(st, 27);
    c->decision = col_str(a, st, 28);
    c->decision_remark = col_str(a, st, 29);
    c->decider_id = col_i64(st, 30);
    c->decided_at = col_i64(st, 31);
    c->overturned = col_i64(st, 32) != 0;
    c->finalized_at = col_i64(st, 33);
    c->judge_name = col_str(a, st, 34);
    pg_done(st);
    return GD_OK;
}

#define ATT_COLS                                                                                \
    "id, shop_id, sha256, mime, size, filename, uploader_id, party, created_at, workorder_id, " \
    "purpose"

static void read_att(struct gd_pg_stmt *st, struct gd_arena *a, void *row)
{
    struct gd_attachment *x = row;

    x->id = col_i64(st, 0);
    x->shop_id = col_i64(st, 1);
    x->sha256 = col_str(a, st, 2);
    x->mime = col_str(a, st, 3);
    x->size = col_i64(st, 4);
    x->filename = col_str(a, st, 5);
    x->uploader_id = col_i64(st, 6);
    x->party = col_str(a, st, 7);
    x->created_at = col_i64(st, 8);
    x->workorder_id = col_i64(st, 9);
    x->purpose = col_str(a, st, 10);
}

int gd_pg__attachment_insert(struct gd_store *s, const struct gd_attachment *x, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "INSERT INTO attachments (" ATT_COLS ") VALUES ($1, $2, $3, "
                                    "$4, $5, $6, $7, $8, $9, $10, $11)",
                                    err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, x->id);
    bind_i64(st, 2, x->shop_id);
    bind_text(st, 3, x->sha256);
    bind_text(st, 4, x->mime);
    bind_i64(st, 5, x->size);
    bind_text(st, 6, x->filename);
    bind_i64(st, 7, x->uploader_id);
    bind_text(st, 8, x->party);
    bind_i64(st, 9, x->created_at);
    bind_i64_nz(st, 10, x->workorder_id);
    bind_text(st, 11, x->purpose);
    return pg_exec(PG(s), st, err);
}

int gd_pg__attachment_get(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                          struct gd_attachment *out, struct gd_err *err)
{
    struct gd_pg_stmt *st =
        pg_prep(PG(s),
                shop_id ? "SELECT " ATT_COLS " FROM attachments WHERE id = $1 AND shop_id = $2"
                        : "SELECT " ATT_COLS " FROM attachments WHERE id = $1",
                err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    if (shop_id) {
        bind_i64(st, 2, shop_id);
    }
    int ret = gd_pg__row(PG(s), st, a, read_att, out, err);
    return ret == GD_ENOTFOUND ? gd_err_set(err, ret, "no attachment %lld", (long long)id) : ret;
}

int gd_pg__attachment_link(struct gd_store *s, int64_t id, int64_t uploader_id, int64_t shop_id,
                           int64_t workorder_id, const char *purpose, struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(
        PG(s),
        "UPDATE attachments SET shop_id = $3, workorder_id = $4, purpose = $5 WHERE id = $1 AND "
        "uploader_id = $2 AND workorder_id IS NULL AND (shop_id = $3 OR shop_id = 0)",
        err);
    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, id);
    bind_i64(st, 2, uploader_id);
    bind_i64(st, 3, shop_id);
    bind_i64(st, 4, workorder_id);
    bind_text(st, 5, purpose);
    int ret = pg_exec(PG(s), st, err);
    if (!ret && pg_changes(st) != 1) {
        return gd_err_field(err, GD_ENOTFOUND, "attachment_ids",
                            "attachment %lld is not an unused upload of yours", (long long)id);
    }
    return ret;
}

int gd_pg__attachments_list(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                            struct gd_arena *a, struct gd_attachment **out, int *count,
                            struct gd_err *err)
{
    struct gd_pg_stmt *st = pg_prep(PG(s),
                                    "SELECT " ATT_COLS " FROM attachments WHERE workorder_id = "
                                    "$1 AND shop_id = $2 ORDER BY id",
                                    err);

    if (!st) {
        return GD_EDB;
    }
    bind_i64(st, 1, workorder_id);
    bind_i64(st, 2, shop_id);
    return gd_pg__rows(PG(s), st, a, sizeof(**out), read_att, (void **)out, count, err);
}
