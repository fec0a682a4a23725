/* Order use cases: upsert (with shipping work orders completing themselves when their order
 * ships), get, search, and CSV import. */
#include <jansson.h>
#include "base/clock.h"
#include "base/utf8.h"
#include "service/svc_int.h"

static const char *const statuses[] = {"paid", "shipped", "signed", "refunding", "closed"};

int gd_svc_order_validate(const struct gd_order *o, struct gd_err *err)
{
    bool ok = false;

    if (gd_svc__text("order_no", o->order_no, true, GD_NAME_MAX, err) ||
        gd_svc__text("buyer_nick", o->buyer_nick, true, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    for (const char *p = o->order_no; *p; p++) {
        if (*p == '/' || *p == '?' || *p == '#' || *p == '%' || (unsigned char)*p <= ' ') {
            return gd_err_field(err, GD_EINVAL, "order_no",
                                "order_no may not contain spaces, '/', '?', '#' or '%%'");
        }
    }
    for (size_t i = 0; i < sizeof(statuses) / sizeof(*statuses); i++) {
        ok |= o->status && strcmp(o->status, statuses[i]) == 0;
    }
    if (!ok) {
        return gd_err_field(err, GD_EINVAL, "status",
                            "status must be one of paid, shipped, "
                            "signed, refunding, closed");
    }
    if (o->items && !gd_svc__items_valid(o->items)) {
        return gd_err_field(err, GD_EINVAL, "items",
                            "items must be an array of at most 200 {title, sku, quantity, price}");
    }
    if (o->paid_amount < 0 || o->paid_amount > 100000000000LL) {
        return gd_err_field(err, GD_EINVAL, "paid_amount",
                            "paid_amount must be 0 to 100000000000 (minor units)");
    }
    return GD_OK;
}

bool gd_svc__items_valid(const char *text)
{
    json_error_t jerr;
    json_t *arr = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
    size_t i;
    json_t *it;
    bool ok = json_is_array(arr) && json_array_size(arr) <= 200;

    json_array_foreach (ok ? arr : NULL, i, it) {
        json_t *title = json_object_get(it, "title"), *sku = json_object_get(it, "sku");
        json_t *qty = json_object_get(it, "quantity"), *price = json_object_get(it, "price");
        ok = ok && json_is_object(it) && json_object_size(it) == 4 && json_is_string(title) &&
             strlen(json_string_value(title)) <= 400 && json_is_string(sku) &&
             strlen(json_string_value(sku)) <= 100 && json_is_integer(qty) &&
             json_integer_value(qty) > 0 && json_integer_value(qty) <= 100000 &&
             json_is_integer(price) && json_integer_value(price) >= 0;
    }
    json_decref(arr);
    return ok;
}

/* Completes the shipping work orders of an order that has just shipped (told to live views
 * after the commit). */
static int complete_shipping(struct gd_svc *svc, const struct gd_order *o, struct gd_arena *a,
                             int64_t now, struct gd_err *err)
{
    struct gd_workorder *rows;
    int n, ret;

    ret = GD_STORE(svc->store, workorders_by_order, o->shop_id, o->order_no, GD_TYPE_SHIPPING, a,
                   &rows, &n, err);
    /* the order system, not a person: its completion resolves, it does not respond */
    const struct gd_actor nobody = {0};
    for (int i = 0; !ret && i < n; i++) {
        struct gd_workorder before = rows[i];
        struct gd_strbuf data = GD_STRBUF_INIT;
        if (gd_transition(before.type, before.state, GD_ACT_COMPLETE) != GD_STATE_DONE) {
            continue; /* only what a person could complete now completes itself */
        }
        /* the timeline tells the state it left (open or in progress) and why */
        gd_svc__kv_str(&data, "from", gd_state_name(before.state));
        gd_svc__kv_str(&data, "to", gd_state_name(GD_STATE_DONE));
        gd_svc__kv_str(&data, "reason", "order_shipped");
        gd_svc__kv_close(&data);
        rows[i].state = GD_STATE_DONE;
        rows[i].done_at = now;
        rows[i].overdue = false;
        rows[i].first_action_at = rows[i].first_action_at ? rows[i].first_action_at : now;
        rows[i].version++;
        rows[i].updated_at = now;
        if ((ret = GD_STORE(svc->store, workorder_update, &rows[i], before.version, err)) ||
            (ret = gd_svc__event(svc, &rows[i], 0, "state_changed", data.buf, now, err)) ||
            (ret = gd_svc__counters(svc, &before, &rows[i], err)) ||
            (ret = GD_STORE(svc->store, deadline_cancel, rows[i].shop_id, rows[i].id, "overdue",
                            err)) ||
            (ret = gd_svc__targets_on_act(svc, &nobody, &before, &rows[i], GD_ACT_COMPLETE, now,
                                          err))) {
            gd_strbuf_release(&data);
            break;
        }
        gd_strbuf_release(&data);
        gd_svc__changed(svc, &rows[i]);
    }
    return ret;
}

int gd_svc__orders_upsert_tx(struct gd_svc *svc, int64_t shop_id, struct gd_order *orders, int n,
                             struct gd_arena *a, bool *created, struct gd_err *err)
{
    const char **old = gd_arena_zalloc(a, (size_t)n * sizeof(*old));
    int64_t *new_days = gd_arena_alloc(a, (size_t)n * sizeof(*new_days));
    int64_t now = gd_clock_now_ms();
    int nnew = 0, ret;

    for (int i = 0; i < n; i++) {
        orders[i].shop_id = shop_id;
        orders[i].updated_at = now;
        if (!orders[i].created_at) {
            orders[i].created_at = now;
        }
    }
    if ((ret = GD_STORE(svc->store, orders_upsert, shop_id, orders, n, a, old, err))) {
        return ret;
    }
    for (int i = 0; i < n; i++) {
        created[i] = old[i] == NULL;
        if (created[i]) {
            new_days[nnew++] = orders[i].created_at;
        }
    }
    /* the dispute rate's denominator (stats.c) */
    if ((ret = gd_svc__stats_orders(svc, shop_id, new_days, nnew, err))) {
        return ret;
    }
    for (int i = 0; i < n && !ret; i++) {
        if (strcmp(orders[i].status, "shipped") == 0 && (!old[i] || strcmp(old[i], "shipped"))) {
            ret = complete_shipping(svc, &orders[i], a, now, err);
        }
    }
    return ret;
}

struct upsert {
    struct gd_order *o;
    struct gd_order in; /* the order as asked for: each attempt starts from it */
    struct gd_arena *a;
    bool created;
};

static int upsert_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct upsert *x = ctx;
    *x->o = x->in;
    int ret = gd_svc__orders_upsert_tx(svc, x->o->shop_id, x->o, 1, x->a, &x->created, err);
    /* the answer is the stored row: an update keeps the order's created_at */
    return ret ? ret
               : GD_STORE(svc->store, order_get, x->o->shop_id, x->o->order_no, x->a, x->o, err);
}

int gd_svc_order_upsert(struct gd_svc *svc, const struct gd_actor *actor, struct gd_order *o,
                        struct gd_arena *a, bool *created, struct gd_err *err)
{
    int ret;

    if (!gd_perm_can_write_orders(actor)) {
        return gd_err_set(err, GD_EPERM, "%s", GD_ORDERS_WRITERS);
    }
    o->shop_id = actor->shop_id;
    if ((ret = gd_svc_order_validate(o, err))) {
        return ret;
    }
    struct upsert x = {o, *o, a, false};
    if ((ret = gd_svc__uow_run(svc, actor->shop_id, upsert_unit, &x, err))) {
        return ret;
    }
    *created = x.created;
    return GD_OK;
}

int gd_svc_order_get(struct gd_svc *svc, const struct gd_actor *actor, const char *order_no,
                     struct gd_arena *a, struct gd_order *out, struct gd_err *err)
{
    if (!gd_perm_can_read_orders(actor)) {
        return gd_err_set(err, GD_ENOTFOUND, "no order '%s'", order_no);
    }
    /* no stored order number is anything but UTF-8 (every backend answers the same, where
     * PostgreSQL would refuse the text itself) */
    if (!gd_utf8_valid(order_no, strlen(order_no))) {
        return gd_err_set(err, GD_ENOTFOUND, "no order with that number: it is not UTF-8");
    }
    return GD_STORE(svc->store, order_get, actor->shop_id, order_no, a, out, err);
}

int gd_svc_orders_search(struct gd_svc *svc, const struct gd_actor *actor, const char *q, int limit,
                         struct gd_arena *a, struct gd_order **out, int *count, struct gd_err *err)
{
    if (!gd_perm_can_read_orders(actor)) {
        *count = 0;
        *out = NULL;
        return GD_OK;
    }
    if (limit <= 0 || limit > 200) {
        return gd_err_field(err, GD_EINVAL, "limit", "limit must be 1 to 200");
    }
    if (gd_svc__text("q", q, false, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    return GD_STORE(svc->store, orders_search, actor->shop_id, q, limit, a, out, count, err);
}

int gd_svc_workorder_order(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                           struct gd_order *out, struct gd_err *err)
{
    if (!wo->order_no) {
        return gd_err_set(err, GD_ENOTFOUND, "the work order names no order");
    }
    return GD_STORE(svc->store, order_get, wo->shop_id, wo->order_no, a, out, err);
}
