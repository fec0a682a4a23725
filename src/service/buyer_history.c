/* The buyer's history beside a work order: the buyer's orders in its shop, the work orders about
 * the buyer that the reader may open, and how the buyer's disputes (collaborative cases) ended.
 * Everything is counted over what the reader may open, so a work order an agent may not open
 * does not exist for them here either; platform staff, who read orders only through a case, get
 * no order list. Indexed reads only: orders_buyer and wo_buyer. */
#include "core/perm.h"
#include "service/svc_int.h"

/* Where a case stands, from its state; a judged one (also while it may be appealed, or after
 * the appeal) by its collab row, which says whether the judgement stands against the seller. */
static int count_case(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                      struct gd_buyer_history *h, struct gd_err *err)
{
    struct gd_collab c;
    int ret;

    h->disputes++;
    switch (wo->state) {
    case GD_STATE_JUDGED:
    case GD_STATE_APPEAL_REVIEW:
    case GD_STATE_FINAL:
        if ((ret = GD_STORE(svc->store, collab_get, wo->shop_id, wo->id, a, &c, err))) {
            return ret;
        }
        if (c.judged_against) {
            h->disputes_for_buyer++;
        } else {
            h->disputes_for_seller++;
        }
        return GD_OK;
    case GD_STATE_RESOLVED:
        h->disputes_settled++; /* ended without a judgement: agreed, or verified by the platform */
        return GD_OK;
    default:
        h->disputes_open++;
        return GD_OK;
    }
}

/* The history of buyer `nick` in shop `shop_id`, over what the actor may open. */
static int history_of(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                      const char *nick, struct gd_arena *a, struct gd_buyer_history *out,
                      struct gd_err *err)
{
    struct gd_workorder *rows;
    int n, ret;

    out->buyer_nick = nick;
    /* platform staff read an order only as part of a case about it (docs/permissions.md) */
    if (gd_perm_can_read_orders(actor) &&
        (ret = GD_STORE(svc->store, orders_of_buyer, shop_id, nick, GD_BUYER_HISTORY_ORDERS, a,
                        &out->orders, &out->norders, err))) {
        return ret;
    }
    struct gd_wo_filter f = {.view = GD_VIEW_SHOP,
                             .type = -1,
                             .state = -1,
                             .buyer = nick,
                             .sort = GD_SORT_CREATED_DESC,
                             .limit = GD_BUYER_HISTORY_WORKORDERS};
    if ((ret = GD_STORE(svc->store, workorders_list, shop_id, &f, a, &rows, &n, err))) {
        return ret;
    }
    out->workorders = rows; /* the visible ones, kept in place */
    for (int i = 0; i < n; i++) {
        bool visible;
        if ((ret = gd_svc__can_open(svc, actor, &rows[i], a, &visible, err))) {
            return ret;
        }
        if (!visible) {
            continue;
        }
        out->workorders[out->nworkorders++] = rows[i];
        if (rows[i].type == GD_TYPE_COLLAB && (ret = count_case(svc, &rows[i], a, out, err))) {
            return ret;
        }
    }
    out->more = n == f.limit;
    return GD_OK;
}

int gd_svc_buyer_history(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         struct gd_arena *a, struct gd_buyer_history *out, struct gd_err *err)
{
    struct gd_workorder wo;
    int ret;

    memset(out, 0, sizeof(*out));
    if ((ret = gd_svc__load_visible(svc, actor, id, 0, a, &wo, err))) {
        return ret;
    }
    if (!wo.buyer_nick || !*wo.buyer_nick) {
        return GD_OK; /* a work order about no buyer has no buyer's history */
    }
    return history_of(svc, actor, wo.shop_id, wo.buyer_nick, a, out, err);
}

int gd_svc_buyer_history_of(struct gd_svc *svc, const struct gd_actor *actor, const char *order_no,
                            const char *buyer, struct gd_arena *a, struct gd_buyer_history *out,
                            struct gd_err *err)
{
    struct gd_order o;
    int ret;

    memset(out, 0, sizeof(*out));
    if (!gd_perm_can_read_orders(actor)) {
        return gd_err_set(err, GD_EPERM,
                          "a buyer's history by order or nick is for the shop's "
                          "staff; platform staff open it beside a case");
    }
    if (!order_no == !buyer) {
        return gd_err_field(err, GD_EINVAL, order_no ? "buyer" : "order_no",
                            "give either order_no or buyer");
    }
    if (gd_svc__text("order_no", order_no, false, 64, err) ||
        gd_svc__text("buyer", buyer, false, 64, err)) {
        return GD_EINVAL;
    }
    if (order_no) {
        ret = GD_STORE(svc->store, order_get, actor->shop_id, order_no, a, &o, err);
        if (ret == GD_ENOTFOUND) {
            return gd_err_field(err, GD_ENOTFOUND, "order_no", "no order %s in your shop",
                                order_no);
        }
        if (ret) {
            return ret;
        }
        buyer = o.buyer_nick;
    }
    return history_of(svc, actor, actor->shop_id, buyer, a, out, err);
}
