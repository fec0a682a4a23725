/* Store contract: the reads and writes of work orders and orders test_store.c does not make —
 * finding orders as an agent types, active work orders about an order (shipping
 * auto-completion), the firing path's overdue mark — and the tenant boundary of the search text
 * and the timers. */
#include "harness.h"

/* Orders whose number or buyer starts with what was typed, ASCII letters in either case (as the
 * keyword search of work orders), newest (last updated) first, at most `limit`. */
static void orders_search(void)
{
    int64_t s = shop("order-search");
    struct gd_order o = {.shop_id = s, .buyer_nick = "Lin小林", .status = "paid", .items = "[]",
                         .created_at = 1};
    static const char *const numbers[] = {"TB-200", "TB-100", "JD-300"};
    struct gd_order *rows;
    const char *old;
    int n;

    for (int i = 0; i < 3; i++) {
        o.order_no = numbers[i];
        o.updated_at = 10 * (i + 1);
        CHECK_EQ_INT(GD_STORE(st, order_upsert, &o, &a, &old, NULL), GD_OK);
    }
    CHECK_EQ_INT(GD_STORE(st, orders_search, s, "TB-", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(n == 2 ? rows[0].order_no : "", "TB-100");
    CHECK_EQ_STR(n == 2 ? rows[1].order_no : "", "TB-200");
    CHECK_EQ_INT(GD_STORE(st, orders_search, s, "tb-", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(GD_STORE(st, orders_search, s, "jd", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, orders_search, s, "lin小", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(GD_STORE(st, orders_search, s, "B-", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0); /* a prefix, not a substring */
    CHECK_EQ_INT(GD_STORE(st, orders_search, s, "", 2, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(n == 2 ? rows[0].order_no : "", "JD-300");
    CHECK_EQ_STR(n == 2 ? rows[1].order_no : "", "TB-100");
}

static struct gd_workorder wo_of(int64_t shop_id, int64_t u, int type, int state,
                                 const char *order_no)
{
    struct gd_workorder w = wo_new(shop_id, u, u, order_no, 0);
    struct gd_workorder upd = w;
    upd.type = type;
    upd.state = state;
    upd.order_no = order_no;
    upd.buyer_nick = "小林";
    upd.version = 2;
    CHECK_EQ_INT(GD_STORE(st, workorder_update, &upd, 1, NULL), GD_OK);
    return upd;
}

static void by_order(void)
{
    int64_t s1 = shop("by-order-1"), s2 = shop("by-order-2");
    int64_t u = user(s1, "bo-u", GD_ROLE_SHOP_AGENT), x = user(s2, "bo-x", GD_ROLE_SHOP_AGENT);
    struct gd_workorder active = wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_IN_PROGRESS, "TB100");
    struct gd_workorder open2 = wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_OPEN, "TB100");
    wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_DONE, "TB100");          /* no longer active */
    wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_CANCELLED, "TB100");     /* no longer active */
    wo_of(s1, u, GD_TYPE_AFTER_SALES, GD_STATE_OPEN, "TB100");       /* another type */
    wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_OPEN, "TB101");          /* another order */
    wo_of(s2, x, GD_TYPE_SHIPPING, GD_STATE_OPEN, "TB100");          /* another shop */
    struct gd_workorder *rows;
    int n;

    CHECK_EQ_INT(GD_STORE(st, workorders_by_order, s1, "TB100", GD_TYPE_SHIPPING, &a, &rows, &n,
                          NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    for (int i = 0; i < n; i++) {
        CHECK(rows[i].id == active.id || rows[i].id == open2.id);
        CHECK_EQ_INT(rows[i].shop_id, s1);
        CHECK_EQ_STR(rows[i].order_no, "TB100");
        CHECK_EQ_INT(rows[i].type, GD_TYPE_SHIPPING);
    }
    CHECK_EQ_INT(GD_STORE(st, workorders_by_order, s1, "TB999", GD_TYPE_SHIPPING, &a, &rows, &n,
                          NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
}

/* The firing path sets overdue (and the version) where the version still holds: GD_ESTALE
 * otherwise, and never a row of another shop. */
static void mark_overdue(void)
{
    int64_t s1 = shop("overdue-1"), s2 = shop("overdue-2");
    int64_t u = user(s1, "od-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "超时", 100), got;
    struct gd_workorder mark = w;
    struct gd_wo_filter f = {.view = GD_VIEW_OVERDUE, .whole_shop = true, .type = -1,
                             .state = -1, .sort = GD_SORT_DEADLINE, .limit = 10};
    struct gd_workorder *rows;
    int n;

    mark.overdue = true;
    mark.version = 2;
    mark.updated_at = 500;
    /* another shop's id changes nothing */
    mark.shop_id = s2;
    CHECK_EQ_INT(GD_STORE(st, workorder_mark_overdue, &mark, 1, NULL), GD_ESTALE);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK(!got.overdue);
    CHECK_EQ_INT(got.version, 1);
    mark.shop_id = s1;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, workorder_mark_overdue, &mark, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK(got.overdue);
    CHECK_EQ_INT(got.version, 2);
    CHECK_EQ_INT(got.updated_at, 500);
    CHECK_EQ_STR(got.title, "超时"); /* the other fields stay */
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n ? rows[0].id : 0, w.id);
    /* an edit made meanwhile wins: the stale mark is refused */
    CHECK_EQ_INT(GD_STORE(st, workorder_mark_overdue, &mark, 1, NULL), GD_ESTALE);
    /* and an edit read before the mark is stale now */
    struct gd_workorder edit = w;
    edit.version = 2;
    CHECK_EQ_INT(GD_STORE(st, workorder_update, &edit, 1, NULL), GD_ESTALE);
}

/* Another shop's id reaches neither a work order's search text nor its timers. */
static void tenant_boundary(void)
{
    int64_t s1 = shop("boundary-1"), s2 = shop("boundary-2");
    int64_t u = user(s1, "bd-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "边界", 0);
    struct gd_wo_filter f = {.view = GD_VIEW_SHOP, .type = -1, .state = -1,
                             .sort = GD_SORT_CREATED, .limit = 10};
    struct gd_deadline d = {.id = gd_id_new(), .shop_id = s1, .workorder_id = w.id,
                            .kind = "overdue", .due_at = 100, .version = 1};
    struct gd_workorder *rows;
    int n;
    int64_t next;

    CHECK_EQ_INT(ct_search_set(s1, w.id, "边界 退款"), GD_OK);
    CHECK_EQ_INT(ct_search_append(s1, w.id, "备注 缺货"), GD_OK);
    f.q = "缺货 退款";
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s2, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    CHECK_EQ_INT(GD_STORE(st, deadline_insert, &d, NULL), GD_OK);
    if (SHOP_SCOPED) {
        ct_search_set(s2, w.id, "别的店"); /* GD_ENOTFOUND or nothing done: the text stays */
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(n, 1);
        CHECK_EQ_INT(ct_deadline_cancel(s2, w.id, NULL), GD_OK); /* finds nothing to cancel */
        CHECK_EQ_INT(ct_deadline_mark_fired(s2, d.id), TIMER_NOT_PENDING);
    }
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 100);
    CHECK_EQ_INT(ct_deadline_cancel(s1, w.id, "remind"), GD_OK); /* another kind: stays */
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 100);
    CHECK_EQ_INT(ct_deadline_cancel(s1, w.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 0);
    CHECK_EQ_INT(ct_deadline_mark_fired(s1, d.id), TIMER_NOT_PENDING); /* cancelled */
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    orders_search();
    by_order();
    mark_overdue();
    tenant_boundary();
    return contract_finish("store contract: work orders");
}
