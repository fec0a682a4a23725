/* The WHERE clause of the work order views and their filters, shared by the list views
 * (workorders.c) and exports (reports.c), so both mean the same by "view=todo&q=退款". */
#include "store/pg/ops_decl.h"
#include "store/pg/pg_int.h"

int gd_pg__qb_i64(struct gd_pg_qb *b, int64_t v)
{
    b->p[b->n].is_text = false;
    b->p[b->n].i = v;
    return ++b->n;
}

int gd_pg__qb_text(struct gd_pg_qb *b, const char *v)
{
    b->p[b->n].is_text = true;
    b->p[b->n].t = v;
    return ++b->n;
}

void gd_pg__qb_bind(struct gd_pg_stmt *st, const struct gd_pg_qb *b)
{
    for (int i = 0; i < b->n; i++) {
        if (b->p[i].is_text) {
            bind_text(st, i + 1, b->p[i].t);
        } else {
            bind_i64(st, i + 1, b->p[i].i);
        }
    }
}

void gd_pg__qb_where(struct gd_pg_qb *b, int64_t shop_id, const struct gd_wo_filter *f)
{
    struct gd_strbuf *sql = &b->sql;

    /* the shop's parameter comes first ($1: a caller's own SQL may name it) */
    int sp = shop_id ? gd_pg__qb_i64(b, shop_id) : 0;
    /* custom fields (docs/types.md): a join per filter on the (shop, field, value) key of
     * wo_field_values, which holds a value once per work order, so no row repeats. A join,
     * not IN (subquery): the list is ordered by v0's columns (store/list_order.h), so the
     * planner reads the page from the value's range in order, or probes the values from the
     * view's own index, and never builds the whole list of matches first. */
    for (int i = 0; i < f->nfields && shop_id; i++) {
        int fp = gd_pg__qb_i64(b, f->fields[i].field_id);
        int vp = gd_pg__qb_text(b, f->fields[i].value);
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
                       gd_pg__qb_i64(b, f->user_id));
        break;
    case GD_VIEW_CREATED:
        gd_strbuf_addf(sql, " AND w.creator_id = $%d", gd_pg__qb_i64(b, f->user_id));
        break;
    case GD_VIEW_ASSIGNED:
        gd_strbuf_addf(sql, " AND w.handler_id = $%d", gd_pg__qb_i64(b, f->user_id));
        break;
    case GD_VIEW_OVERDUE:
        gd_strbuf_adds(sql, " AND w.overdue = 1 AND w.active = 1");
        if (!f->whole_shop) {
            gd_strbuf_addf(sql, " AND w.handler_id = $%d", gd_pg__qb_i64(b, f->user_id));
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
        gd_strbuf_addf(sql, " AND w.type = $%d", gd_pg__qb_text(b, gd_type_name(f->type)));
    }
    if (f->state >= 0) {
        gd_strbuf_addf(sql, " AND w.state = $%d", gd_pg__qb_text(b, gd_state_name(f->state)));
    }
    if (f->handler_id) {
        gd_strbuf_addf(sql, " AND w.handler_id = $%d", gd_pg__qb_i64(b, f->handler_id));
    }
    if (f->creator_id) {
        gd_strbuf_addf(sql, " AND w.creator_id = $%d", gd_pg__qb_i64(b, f->creator_id));
    }
    if (f->shop_id) {
        gd_strbuf_addf(sql, " AND w.shop_id = $%d", gd_pg__qb_i64(b, f->shop_id));
    }
    if (f->order_no) {
        gd_strbuf_addf(sql, " AND w.order_no = $%d", gd_pg__qb_text(b, f->order_no));
    }
    if (f->buyer) {
        gd_strbuf_addf(sql, " AND w.buyer_nick = $%d", gd_pg__qb_text(b, f->buyer));
    }
    if (f->created_from) {
        gd_strbuf_addf(sql, " AND w.created_at >= $%d", gd_pg__qb_i64(b, f->created_from));
    }
    if (f->created_to) {
        gd_strbuf_addf(sql, " AND w.created_at < $%d", gd_pg__qb_i64(b, f->created_to));
    }
    if (f->deadline_from) {
        gd_strbuf_addf(sql, " AND w.deadline_at >= $%d", gd_pg__qb_i64(b, f->deadline_from));
    }
    if (f->deadline_to) {
        gd_strbuf_addf(sql, " AND w.deadline_at < $%d", gd_pg__qb_i64(b, f->deadline_to));
    }
    if (f->q && gd_pg__query(f->q, &b->grams, &b->terms)) {
        /* for each term, the GIN index finds the pieces holding its tokens (element k of the
         * tokens parameter: term k's tokens joined by chr(31), search.c) and the shop's token,
         * so only the shop's pieces (the caller's shop, or the one a platform user filters on;
         * none: every shop's collaborative work orders), confirmed by substring; every term
         * must be in some piece of the work order */
        int64_t search_shop = shop_id ? shop_id : f->shop_id;
        int g = gd_pg__qb_text(b, b->grams.buf), t = gd_pg__qb_text(b, b->terms.buf);
        gd_strbuf_addf(sql,
                       " AND w.id IN (SELECT s.workorder_id FROM unnest($%d::text[], "
                       "$%d::text[]) WITH ORDINALITY AS q(g, term, k) JOIN wo_search s ON "
                       "s.grams @> ",
                       g, t);
        if (search_shop) {
            gd_pg__shop_gram(b->shop_gram, search_shop);
            gd_strbuf_addf(sql, "(string_to_array(q.g, chr(31)) || $%d::text)",
                           gd_pg__qb_text(b, b->shop_gram));
        } else {
            gd_strbuf_adds(sql, "string_to_array(q.g, chr(31))");
        }
        gd_strbuf_addf(sql,
                       " AND strpos(s.body, q.term) > 0 GROUP BY s.workorder_id HAVING "
                       "count(DISTINCT q.k) = cardinality($%d::text[]))",
                       t);
    }
}

void gd_pg__qb_release(struct gd_pg_qb *b)
{
    gd_strbuf_release(&b->sql);
    gd_strbuf_release(&b->grams);
    gd_strbuf_release(&b->terms);
}
