/* The order of a work order list and its keyset cursor, as both backends write them, so a page
 * means the same on SQLite and PostgreSQL. For src/store/ only. */
#ifndef GD_STORE_LIST_ORDER_H
#define GD_STORE_LIST_ORDER_H
#include <stdbool.h>
#include <string.h>
#include "base/strbuf.h"
#include "store/store.h"

struct gd_list_order {
    const char *key; /* the sort key's column */
    const char *id;  /* the tie-break's column (the work order's id); the key itself when the
                      * list is in id order */
    bool desc;
};

/* The 全店 list filtered on a custom field is ordered by the first filter's row of
 * wo_field_values (docs/types.md, "Filters and their index"): its index holds the work order's
 * due_key and id after the (shop, field, value) key, so a page is read in order from that
 * value's range and stops after its rows, instead of probing a value for each work order the
 * shop's index walks. The same values as the work order's columns (due_key is kept by the store
 * and a trigger). The other views keep their own order: their indexes (a handler's, a creator's)
 * are narrower than a value's range, so walking them and probing stays the better plan. */
static inline struct gd_list_order gd_store__list_order(int64_t shop_id,
                                                        const struct gd_wo_filter *f)
{
    bool by_due = f->sort == GD_SORT_DEADLINE || f->sort == GD_SORT_DEADLINE_DESC;
    bool by_shop = f->sort == GD_SORT_SHOP || f->sort == GD_SORT_SHOP_DESC;
    /* filters join only within a shop (filter.c) */
    bool by_field = shop_id && f->nfields > 0 && f->view == GD_VIEW_SHOP;
    const char *id = by_field ? "v0.workorder_id" : "w.id";
    struct gd_list_order o = {.id = id,
                              .desc = f->sort == GD_SORT_DEADLINE_DESC ||
                                      f->sort == GD_SORT_CREATED_DESC ||
                                      f->sort == GD_SORT_SHOP_DESC};
    if (by_due) {
        o.key = by_field ? "v0.due_key" : "w.due_key";
    } else if (by_shop) {
        o.key = "w.shop_id";
    } else {
        o.key = id;
    }
    return o;
}

/* Appends the cursor's condition (rows after (key, id) in the list's order; `k` and `i` are
 * the parameters' numbers), then the ORDER BY. */
static inline void gd_store__list_order_sql(struct gd_strbuf *sql, const struct gd_list_order *o,
                                            bool cursor, int k, int i)
{
    const char *cmp = o->desc ? "<" : ">", *dir = o->desc ? "DESC" : "ASC";
    if (cursor) {
        gd_strbuf_addf(sql, " AND (%s %s $%d OR (%s = $%d AND %s %s $%d))", o->key, cmp, k, o->key,
                       k, o->id, cmp, i);
    }
    if (strcmp(o->key, o->id)) {
        gd_strbuf_addf(sql, " ORDER BY %s %s, %s %s", o->key, dir, o->id, dir);
    } else {
        gd_strbuf_addf(sql, " ORDER BY %s %s", o->key, dir);
    }
}

#endif
