/* The WHERE clause of the work order views and their filters, shared by the list views
 * (workorders.c) and exports (reports.c), so both mean the same by "view=todo&q=退款". */
#include "store/sqlite/sqlite_int.h"

int gd_sq__qb_i64(struct gd_sq_qb *b, int64_t v)
{
    b->p[b->n].is_text = false;
    b->p[b->n].i = v;
    return ++b->n;
}

int gd_sq__qb_text(struct gd_sq_qb *b, const char *v)
{
    b->p[b->n].is_text = true;
    b->p[b->n].t = v;
    return ++b->n;
}

void gd_sq__qb_bind(sqlite3_stmt *st, const struct gd_sq_qb *b)
{
    for (int i = 0; i < b->n; i++) {
        if (b->p[i].is_text) {
            bind_text(st, i + 1, b->p[i].t);
        } else {
            bind_i64(st, i + 1, b->p[i].i);
        }
    }
}

static bool is_space(char c) { return (unsigned char)c <= ' '; }

/* Each term of free text (split at bytes <= ' ', as bigram.c splits runs) becomes a quoted FTS5
 * phrase (see bigram.c), ANDed with the shop's token (the `shop` column) when there is a shop:
 * the index then gives only that shop's rows, not the term's rows in every shop. The same term,
 * its ASCII letters folded as bigram.c folds them, goes to `terms` for the pieces not indexed yet
 * (search.c), which a substring test matches as the phrase of its bigrams matches. Each list is
 * a JSON array, so any number of terms is one parameter. Returns the count. */
static int fts_terms(struct gd_strbuf *sb, struct gd_strbuf *terms, const char *q, int64_t shop_id)
{
    struct gd_strbuf match = GD_STRBUF_INIT, term = GD_STRBUF_INIT;
    const char *p = q;
    int n = 0;

    while (*p) {
        while (*p && is_space(*p)) {
            p++;
        }
        if (!*p) {
            break;
        }
        gd_strbuf_reset(&match);
        gd_strbuf_reset(&term);
        if (shop_id) {
            gd_strbuf_addf(&match, "shop : \"%c%lld\" AND ", GD_SQ_SHOP_TOKEN, (long long)shop_id);
        }
        gd_strbuf_addch(&match, '"');
        for (; *p && !is_space(*p); p++) {
            if (*p == '"') {
                gd_strbuf_addch(&match, '"');
            }
            gd_strbuf_addch(&match, *p);
            gd_strbuf_addch(&term, *p >= 'A' && *p <= 'Z' ? (char)(*p + 32) : *p);
        }
        gd_strbuf_addch(&match, '"');
        gd_strbuf_adds(sb, n ? "," : "[");
        gd_strbuf_add_json_str(sb, match.buf);
        gd_strbuf_adds(terms, n++ ? "," : "[");
        gd_strbuf_add_json_str(terms, term.buf);
    }
    if (n) {
        gd_strbuf_addch(sb, ']');
        gd_strbuf_addch(terms, ']');
    }
    gd_strbuf_release(&match);
    gd_strbuf_release(&term);
    return n;
}

void gd_sq__qb_where(struct gd_sq_qb *b, int64_t shop_id, const struct gd_wo_filter *f)
{
    struct gd_strbuf *sql = &b->sql;

    /* the shop's parameter comes first ($1: a caller's own SQL may name it) */
    int sp = shop_id ? gd_sq__qb_i64(b, shop_id) : 0;
    /* custom fields (docs/types.md): a join per filter on the (shop, field, value) key of
     * wo_field_values, which holds a value once per work order, so no row repeats. A join,
     * not IN (subquery): the list is ordered by v0's columns (store/list_order.h), so the
     * planner reads the page from the value's range in order, or probes the values from the
     * view's own index, and never builds the whole list of matches first. */
    for (int i = 0; i < f->nfields && shop_id; i++) {
        int fp = gd_sq__qb_i64(b, f->fields[i].field_id);
        int vp = gd_sq__qb_text(b, f->fields[i].value);
        gd_strbuf_addf(sql,
                       " JOIN wo_field_values v%d ON v%d.workorder_id = w.id AND "
                       "v%d.shop_id = $%d AND v%d.field_id = $%d AND v%d.value = $%d",
                       i, i, i, sp, i, fp, i, vp);
    }
    if (shop_id) {
        gd_strbuf_addf(sql, " WHERE w.shop_id = $%d", sp);
    } else {
        gd_strbuf_adds(sql, " WHERE w.type = 'collab'"); /* platform staff: across shops */
    }
    switch (f->view) {
    case GD_VIEW_TODO:
        gd_strbuf_addf(sql, " AND w.handler_id = $%d AND w.active = 1",
                       gd_sq__qb_i64(b, f->user_id));
        break;
    case GD_VIEW_CREATED:
        gd_strbuf_addf(sql, " AND w.creator_id = $%d", gd_sq__qb_i64(b, f->user_id));
        break;
    case GD_VIEW_ASSIGNED:
        gd_strbuf_addf(sql, " AND w.handler_id = $%d", gd_sq__qb_i64(b, f->user_id));
        break;
    case GD_VIEW_OVERDUE:
        gd_strbuf_adds(sql, " AND w.overdue = 1 AND w.active = 1");
        if (!f->whole_shop) {
            gd_strbuf_addf(sql, " AND w.handler_id = $%d", gd_sq__qb_i64(b, f->user_id));
        }
        break;
    case GD_VIEW_REASSIGN:
        /* the lead's list of open work whose handler can no longer act (docs/people.md), or
         * that its type's assignment rule could give nobody (docs/assignment.md) */
        gd_strbuf_adds(sql, " AND w.active = 1 AND (w.handler_id IN (SELECT id FROM users "
                            "WHERE active = 0) OR (w.handler_id IS NULL AND w.type IN (SELECT "
                            "type_key FROM assign_rules r WHERE r.shop_id = w.shop_id)))");
        break;
    case GD_VIEW_PLATFORM_VERIFY:
        gd_strbuf_adds(sql, " AND w.state = 'platform_verify'");
        break;
    case GD_VIEW_INTERVENTION:
        gd_strbuf_adds(sql, " AND w.state = 'intervention'");
        break;
    case GD_VIEW_APPEAL_REVIEW:
        gd_strbuf_adds(sql, " AND w.state = 'appeal_review'");
        break;
    default:
        break;
    }
    if (f->type >= 0) {
        gd_strbuf_addf(sql, " AND w.type = $%d", gd_sq__qb_text(b, gd_type_name(f->type)));
    }
    if (f->state >= 0) {
        gd_strbuf_addf(sql, " AND w.state = $%d", gd_sq__qb_text(b, gd_state_name(f->state)));
    }
    if (f->handler_id) {
        gd_strbuf_addf(sql, " AND w.handler_id = $%d", gd_sq__qb_i64(b, f->handler_id));
    }
    if (f->creator_id) {
        gd_strbuf_addf(sql, " AND w.creator_id = $%d", gd_sq__qb_i64(b, f->creator_id));
    }
    if (f->shop_id) {
        gd_strbuf_addf(sql, " AND w.shop_id = $%d", gd_sq__qb_i64(b, f->shop_id));
    }
    if (f->order_no) {
        gd_strbuf_addf(sql, " AND w.order_no = $%d", gd_sq__qb_text(b, f->order_no));
    }
    if (f->buyer) {
        gd_strbuf_addf(sql, " AND w.buyer_nick = $%d", gd_sq__qb_text(b, f->buyer));
    }
    if (f->created_from) {
        gd_strbuf_addf(sql, " AND w.created_at >= $%d", gd_sq__qb_i64(b, f->created_from));
    }
    if (f->created_to) {
        gd_strbuf_addf(sql, " AND w.created_at < $%d", gd_sq__qb_i64(b, f->created_to));
    }
    if (f->deadline_from) {
        gd_strbuf_addf(sql, " AND w.deadline_at >= $%d", gd_sq__qb_i64(b, f->deadline_from));
    }
    if (f->deadline_to) {
        gd_strbuf_addf(sql, " AND w.deadline_at < $%d", gd_sq__qb_i64(b, f->deadline_to));
    }
    /* the shop whose rows the search index reads: the caller's, or the one a platform user
     * filters on (none: every shop's collaborative work orders) */
    int64_t search_shop = shop_id ? shop_id : f->shop_id;
    if (f->q && fts_terms(&b->fts, &b->terms, f->q, search_shop) > 0) {
        /* every term in some piece of the work order's text (a term never spans pieces), the
         * piece indexed (and not replaced since) or still waiting, or both for a moment
         * (search.c, search_mover.c; lower() folds ASCII only, as bigram.c) */
        int t = gd_sq__qb_text(b, b->fts.buf);
        int u = gd_sq__qb_text(b, b->terms.buf);
        gd_strbuf_addf(sql,
                       " AND w.id IN (SELECT m.workorder_id FROM (SELECT s.workorder_id, t.key "
                       "FROM json_each($%d) t JOIN wo_search_text s ON wo_search_text MATCH "
                       "t.value WHERE s.rowid NOT IN (SELECT piece FROM wo_search_gone) "
                       "UNION ALL SELECT p.workorder_id, t.key FROM json_each($%d) t "
                       "JOIN wo_search_pending p ON instr(lower(p.body), t.value) > 0",
                       t, u);
        if (search_shop) {
            gd_strbuf_addf(sql, " AND p.shop_id = $%d", gd_sq__qb_i64(b, search_shop));
        }
        gd_strbuf_addf(sql,
                       ") m GROUP BY m.workorder_id HAVING count(DISTINCT m.key) = "
                       "json_array_length($%d))",
                       t);
    }
}

void gd_sq__qb_release(struct gd_sq_qb *b)
{
    gd_strbuf_release(&b->sql);
    gd_strbuf_release(&b->fts);
    gd_strbuf_release(&b->terms);
}
