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
    struct gd_order o = {
        .shop_id = s, .buyer_nick = "Lin小林", .status = "paid", .items = "[]", .created_at = 1};
    static const char *const numbers[] = {"TB-200", "TB-100", "JD-300"};
    struct gd_order *rows;
    const char *old;
    int n;

    for (int i = 0; i < 3; i++) {
        o.order_no = numbers[i];
        o.updated_at = 10 * (i + 1);
        CHECK_EQ_INT(GD_STORE(st, orders_upsert, o.shop_id, &o, 1, &a, &old, NULL), GD_OK);
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

    /* one buyer's orders: the exact nick (not a prefix, not another case), newest created first */
    o.order_no = "TB-400";
    o.buyer_nick = "Lin";
    o.created_at = 5;
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, o.shop_id, &o, 1, &a, &old, NULL), GD_OK);
    o.order_no = "TB-500";
    o.buyer_nick = "Lin小林";
    o.created_at = 6;
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, o.shop_id, &o, 1, &a, &old, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, orders_of_buyer, s, "Lin小林", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_STR(n == 4 ? rows[0].order_no : "", "TB-500");
    CHECK_EQ_INT(GD_STORE(st, orders_of_buyer, s, "Lin小林", 2, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(GD_STORE(st, orders_of_buyer, s, "lin", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, orders_of_buyer, s, "Lin", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(
        GD_STORE(st, orders_of_buyer, shop("order-buyer-other"), "Lin", 10, &a, &rows, &n, NULL),
        GD_OK);
    CHECK_EQ_INT(n, 0); /* another shop's orders are not this buyer's */
}

/* A work order of shop `shop_id` by and for `u`, about an order. */
static struct gd_workorder wo_of(int64_t shop_id, int64_t u, int type, int state,
                                 const char *order_no)
{
    return wo_about(wo_new(shop_id, u, u, order_no, 0), order_no, type, state);
}

static void by_order(void)
{
    int64_t s1 = shop("by-order-1"), s2 = shop("by-order-2");
    int64_t u = user(s1, "bo-u", GD_ROLE_SHOP_AGENT), x = user(s2, "bo-x", GD_ROLE_SHOP_AGENT);
    struct gd_workorder active = wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_IN_PROGRESS, "TB100");
    struct gd_workorder open2 = wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_OPEN, "TB100");
    wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_DONE, "TB100");      /* no longer active */
    wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_CANCELLED, "TB100"); /* no longer active */
    wo_of(s1, u, GD_TYPE_AFTER_SALES, GD_STATE_OPEN, "TB100");   /* another type */
    wo_of(s1, u, GD_TYPE_SHIPPING, GD_STATE_OPEN, "TB101");      /* another order */
    wo_of(s2, x, GD_TYPE_SHIPPING, GD_STATE_OPEN, "TB100");      /* another shop */
    struct gd_workorder *rows;
    int n;

    CHECK_EQ_INT(
        GD_STORE(st, workorders_by_order, s1, "TB100", GD_TYPE_SHIPPING, &a, &rows, &n, NULL),
        GD_OK);
    CHECK_EQ_INT(n, 2);
    for (int i = 0; i < n; i++) {
        CHECK(rows[i].id == active.id || rows[i].id == open2.id);
        CHECK_EQ_INT(rows[i].shop_id, s1);
        CHECK_EQ_STR(rows[i].order_no, "TB100");
        CHECK_EQ_INT(rows[i].type, GD_TYPE_SHIPPING);
    }
    CHECK_EQ_INT(
        GD_STORE(st, workorders_by_order, s1, "TB999", GD_TYPE_SHIPPING, &a, &rows, &n, NULL),
        GD_OK);
    CHECK_EQ_INT(n, 0);
}

/* The firing path sets overdue where the version still holds, and keeps the version (the lists'
 * rendered rows know the mark by the clock, docs/decisions.md): GD_ESTALE otherwise, and never a
 * row of another shop. */
static void mark_overdue(void)
{
    int64_t s1 = shop("overdue-1"), s2 = shop("overdue-2");
    int64_t u = user(s1, "od-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "超时", 100), got;
    struct gd_workorder mark = w;
    struct gd_wo_filter f = {.view = GD_VIEW_OVERDUE,
                             .whole_shop = true,
                             .type = -1,
                             .state = -1,
                             .sort = GD_SORT_DEADLINE,
                             .limit = 10};
    struct gd_workorder *rows;
    int n;

    mark.overdue = true;
    mark.updated_at = 500;
    /* another shop's id changes nothing */
    mark.shop_id = s2;
    CHECK_EQ_INT(GD_STORE(st, workorder_mark_overdue, &mark, NULL), GD_ESTALE);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK(!got.overdue);
    CHECK_EQ_INT(got.version, 1);
    mark.shop_id = s1;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, workorder_mark_overdue, &mark, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK(got.overdue);
    CHECK_EQ_INT(got.version, 1); /* the mark keeps it */
    CHECK_EQ_INT(got.updated_at, 500);
    CHECK_EQ_STR(got.title, "超时"); /* the other fields stay */
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n ? rows[0].id : 0, w.id);
    /* an edit made since wins: the stale mark is refused, the edit's flag stays */
    struct gd_workorder edit = got;
    edit.title = "改过";
    edit.overdue = false;
    edit.version = 2;
    edit.updated_at = 600;
    CHECK_EQ_INT(GD_STORE(st, workorder_update, &edit, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_mark_overdue, &mark, NULL), GD_ESTALE);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK(!got.overdue);
    CHECK_EQ_INT(got.updated_at, 600);
    /* a write that keeps the version is refused before it is made: the lists' rendered rows
     * are kept by it (docs/decisions.md) */
    edit.title = "同一版本";
    CHECK_EQ_INT(GD_STORE(st, workorder_update, &edit, 2, NULL), GD_EINVAL);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.title, "改过");
    CHECK_EQ_INT(got.version, 2);
}

/* Every field a work order is written with reads back the same (text in any script, emoji
 * included; absent text stays absent). */
static void round_trip(void)
{
    int64_t s = shop("round-trip");
    int64_t u = user(s, "rt-creator", GD_ROLE_SHOP_LEAD);
    int64_t h = user(s, "rt-handler", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = {.id = gd_id_new(),
                             .shop_id = s,
                             .type = GD_TYPE_OUT_OF_STOCK,
                             .state = GD_STATE_IN_PROGRESS,
                             .priority = GD_PRIO_URGENT,
                             .title = "缺货 😀 Ünïcödé",
                             .content = "",
                             .handler_id = h,
                             .creator_id = u,
                             .order_no = "TB-RT",
                             .buyer_nick = "小林",
                             .deadline_at = 1700000000000,
                             .overdue = true,
                             .created_at = 1600000000000,
                             .updated_at = 1650000000000,
                             .first_action_at = 1610000000000,
                             .done_at = 0,
                             .transfers = 3,
                             .version = 9,
                             .custom = "{\"颜色\":\"红\"}"};
    struct gd_workorder got, bare;

    CHECK_EQ_INT(GD_STORE(st, workorder_next_number, s, &w.number, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_insert, &w, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s, w.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.shop_id, s);
    CHECK_EQ_INT(got.number, w.number);
    CHECK_EQ_INT(got.type, GD_TYPE_OUT_OF_STOCK);
    CHECK_EQ_INT(got.state, GD_STATE_IN_PROGRESS);
    CHECK_EQ_INT(got.priority, GD_PRIO_URGENT);
    CHECK_EQ_STR(got.title, "缺货 😀 Ünïcödé");
    CHECK_EQ_STR(got.content, "");
    CHECK_EQ_INT(got.handler_id, h);
    CHECK_EQ_STR(got.handler_name, "rt-handler");
    CHECK_EQ_INT(got.creator_id, u);
    CHECK_EQ_STR(got.creator_name, "rt-creator");
    CHECK_EQ_STR(got.order_no, "TB-RT");
    CHECK_EQ_STR(got.buyer_nick, "小林");
    CHECK_EQ_INT(got.deadline_at, 1700000000000);
    CHECK(got.overdue);
    CHECK_EQ_INT(got.created_at, 1600000000000);
    CHECK_EQ_INT(got.updated_at, 1650000000000);
    CHECK_EQ_INT(got.first_action_at, 1610000000000);
    CHECK_EQ_INT(got.done_at, 0);
    CHECK_EQ_INT(got.transfers, 3);
    CHECK_EQ_INT(got.version, 9);
    CHECK_EQ_STR(got.custom, "{\"颜色\":\"红\"}");

    bare = wo_new(s, u, 0, "无处理人", 0);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, 0, bare.id, &a, &got, NULL), GD_OK); /* any shop */
    CHECK_EQ_INT(got.handler_id, 0);
    CHECK(got.handler_name == NULL && got.order_no == NULL && got.buyer_nick == NULL);
    CHECK_EQ_INT(got.deadline_at, 0);
    CHECK_EQ_INT(got.first_action_at, 0);
    CHECK_EQ_STR(got.custom, "{}");
}

/* Every sort of the lists, paged one row at a time with the keyset cursor, gives the same order
 * as one page: by deadline (none last, or first when descending) or by creation (id), ties by
 * id. */
static void list_orders(void)
{
    int64_t s = shop("orders-of-lists");
    int64_t u = user(s, "lo-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w[5] = {wo_new(s, u, u, "a", 300), wo_new(s, u, u, "b", 0),
                                wo_new(s, u, u, "c", 100), wo_new(s, u, u, "d", 300),
                                wo_new(s, u, u, "e", 0)};
    /* expected positions, by index into w, for each enum gd_sort */
    static const int expect[4][5] = {
        {2, 0, 3, 1, 4}, {4, 1, 3, 0, 2}, {0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}};
    struct gd_workorder *rows;
    int n;

    for (int sort = 0; sort < 4; sort++) {
        struct gd_wo_filter f = {
            .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = sort, .limit = 10};
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(n, 5);
        for (int i = 0; i < n && i < 5; i++) {
            if (rows[i].id != w[expect[sort][i]].id) {
                fprintf(stderr, "sort %d: row %d is '%s'\n", sort, i, rows[i].title);
            }
            CHECK_EQ_INT(rows[i].id, w[expect[sort][i]].id);
        }
        f.limit = 1;
        for (int i = 0; i < 5; i++) {
            CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
            CHECK_EQ_INT(n, 1);
            if (n != 1) {
                break;
            }
            CHECK_EQ_INT(rows[0].id, w[expect[sort][i]].id);
            f.has_cursor = true;
            /* the key the server's cursor carries (core: open without a deadline after every
             * deadline, finished work last) */
            f.cursor_key =
                sort <= GD_SORT_DEADLINE_DESC ? gd_workorder_due_key(&rows[0]) : rows[0].id;
            f.cursor_id = rows[0].id;
        }
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(n, 0);
    }
}

/* Timelines in the order written; due timers taken earliest first, at most `max` at a time (a
 * batch comes in no particular order); endpoints owed events listed the most overdue first. */
static void other_orders(void)
{
    int64_t s = shop("other-orders");
    int64_t u = user(s, "oo-u", GD_ROLE_SHOP_LEAD);
    struct gd_workorder w = wo_new(s, u, u, "t", 0);
    static const char *const kinds[] = {"created", "noted", "transferred", "noted"};
    int64_t ids[4];
    struct gd_event *evs;
    struct gd_deadline *due;
    struct gd_webhook *hooks;
    int n;

    for (int i = 0; i < 4; i++) {
        struct gd_event ev = {.id = gd_id_new(),
                              .shop_id = s,
                              .workorder_id = w.id,
                              .kind = kinds[i],
                              .actor_id = i ? u : 0,
                              .at = 10 - i,
                              .data = "{}"};
        CHECK_EQ_INT(GD_STORE(st, event_append, &ev, NULL), GD_OK);
        ids[i] = ev.id;
    }
    CHECK_EQ_INT(GD_STORE(st, events_list, s, w.id, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 4);
    for (int i = 0; i < n && i < 4; i++) {
        CHECK_EQ_INT(evs[i].id, ids[i]);
        CHECK_EQ_STR(evs[i].kind, kinds[i]);
    }
    CHECK(n == 4 && evs[0].actor_name == NULL && evs[0].actor_id == 0); /* the system */

    static const int64_t due_at[] = {500, 100, 400, 200, 300};
    for (int i = 0; i < 5; i++) {
        struct gd_deadline d = {.id = gd_id_new(),
                                .shop_id = s,
                                .workorder_id = w.id,
                                .kind = "remind",
                                .due_at = due_at[i],
                                .version = 4};
        CHECK_EQ_INT(GD_STORE(st, deadline_insert, &d, NULL), GD_OK);
    }
    CHECK_EQ_INT(ct_begin(st, 0), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadlines_take, 450, 2, &a, &due, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(n == 2 ? due[0].due_at + due[1].due_at : 0, 100 + 200); /* in any order */
    CHECK_EQ_INT(n == 2 ? due[0].version : 0, 4);
    CHECK_EQ_STR(n == 2 ? due[0].kind : "", "remind");
    CHECK_EQ_INT(n == 2 ? due[0].workorder_id : 0, w.id);
    CHECK_EQ_INT(n == 2 ? due[0].shop_id : 0, s);
    CHECK_EQ_INT(GD_STORE(st, deadlines_take, 450, 10, &a, &due, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(n == 2 ? due[0].due_at + due[1].due_at : 0, 300 + 400);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK_EQ_INT(ct_deadline_cancel(s, w.id, NULL), GD_OK);

    /* a burst due at one instant, claimed 2 at a time: each pending timer once and none left
     * behind; the cancelled one among them is not taken */
    int64_t burst[5];
    int taken[5] = {0}, claims = 0;
    for (int i = 0; i < 5; i++) {
        struct gd_deadline d = {.id = gd_id_new(),
                                .shop_id = s,
                                .workorder_id = w.id,
                                .kind = i == 2 ? "remind" : "overdue",
                                .due_at = 600,
                                .version = 4};
        CHECK_EQ_INT(GD_STORE(st, deadline_insert, &d, NULL), GD_OK);
        burst[i] = d.id;
    }
    CHECK_EQ_INT(ct_deadline_cancel(s, w.id, "remind"), GD_OK);
    CHECK_EQ_INT(ct_begin(st, 0), GD_OK);
    do {
        CHECK_EQ_INT(GD_STORE(st, deadlines_take, 600, 2, &a, &due, &n, NULL), GD_OK);
        CHECK(n <= 2);
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < 5; i++) {
                taken[i] += due[k].id == burst[i];
            }
        }
    } while (n > 0 && ++claims < 10);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK_EQ_INT(claims, 2);
    for (int i = 0; i < 5; i++) {
        CHECK_EQ_INT(taken[i], i == 2 ? 0 : 1);
    }

    /* three endpoints owed the same event, their next attempts at 30, 10 and 20 */
    int64_t hook_ids[3], ev_id = gd_id_new();
    for (int i = 0; i < 3; i++) {
        struct gd_webhook h = {.id = gd_id_new(),
                               .shop_id = s,
                               .url = "https://h.example/x",
                               .secret = "s",
                               .description = "",
                               .created_by = u,
                               .created_at = 1};
        CHECK_EQ_INT(GD_STORE(st, webhook_insert, &h, NULL), GD_OK);
        hook_ids[i] = h.id;
    }
    struct gd_event ev = {
        .id = ev_id, .shop_id = s, .workorder_id = w.id, .kind = "noted", .at = 1, .data = "{}"};
    CHECK_EQ_INT(GD_STORE(st, event_append, &ev, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add, s, ev.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    for (int i = 0; i < n && i < 3; i++) {
        CHECK_EQ_INT(hooks[i].id, hook_ids[i]); /* in id order */
        struct gd_webhook_attempt failed = {.status = 500,
                                            .error = "HTTP 500",
                                            .backoff_ms = (int64_t[]){30, 10, 20}[i],
                                            .backoff_max_ms = 1000,
                                            .lease_node = -1};
        CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s, hooks[i].id, &failed, NULL), GD_OK);
    }
    CHECK_EQ_INT(GD_STORE(st, webhooks_due, 25, 10, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(n == 2 ? hooks[0].id : 0, hook_ids[1]);
    CHECK_EQ_INT(n == 2 ? hooks[1].id : 0, hook_ids[2]);
    CHECK_EQ_INT(GD_STORE(st, webhooks_due, 100, 1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n ? hooks[0].id : 0, hook_ids[1]);
}

/* Another shop's id reaches neither a work order's search text nor its timers. */
static void tenant_boundary(void)
{
    int64_t s1 = shop("boundary-1"), s2 = shop("boundary-2");
    int64_t u = user(s1, "bd-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "边界", 0);
    struct gd_wo_filter f = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_CREATED, .limit = 10};
    struct gd_deadline d = {.id = gd_id_new(),
                            .shop_id = s1,
                            .workorder_id = w.id,
                            .kind = "overdue",
                            .due_at = 100,
                            .version = 1};
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
        CHECK_EQ_INT(ct_deadline_take(s2, d), TIMER_NOT_PENDING);
    }
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 100);
    CHECK_EQ_INT(ct_deadline_cancel(s1, w.id, "remind"), GD_OK); /* another kind: stays */
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 100);
    CHECK_EQ_INT(ct_deadline_cancel(s1, w.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 0);
    CHECK_EQ_INT(ct_deadline_take(s1, d), TIMER_NOT_PENDING); /* cancelled */
}

/* The firing engine's batch: the work orders of many keys in one read, each at its key's place
 * (a key of another shop, or of no work order, gives id 0); and within one transaction the
 * outbox queues nothing for a shop without endpoints, yet queues what follows an endpoint added
 * in that same transaction. */
static void batch_reads(void)
{
    int64_t s1 = shop("batch-1"), s2 = shop("batch-2");
    int64_t u = user(s1, "batch-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w1 = wo_new(s1, u, u, "第一", 0), w2 = wo_new(s1, u, u, "第二", 0);
    int64_t shops[] = {s1, s2, s1, s1}, ids[] = {w2.id, w1.id, w1.id, gd_id_new()};
    struct gd_workorder got[4];
    struct gd_outbox_event *owed;
    int n;

    CHECK_EQ_INT(GD_STORE(st, workorders_get_many, shops, ids, 4, &a, got, NULL), GD_OK);
    CHECK_EQ_INT(got[0].id, w2.id);
    CHECK_EQ_STR(got[0].title, "第二");
    CHECK_EQ_STR(got[0].creator_name, "batch-u");
    CHECK_EQ_STR(got[0].handler_name, "batch-u");
    CHECK_EQ_INT(got[1].id, 0);
    CHECK_EQ_INT(got[2].id, w1.id);
    CHECK_EQ_INT(got[2].number, w1.number);
    CHECK_EQ_INT(got[2].version, 1);
    CHECK_EQ_INT(got[3].id, 0);
    /* brief: what an overdue firing reads, at the same places; no names, no long text */
    CHECK_EQ_INT(GD_STORE(st, workorders_get_brief, shops, ids, 4, &a, got, NULL), GD_OK);
    CHECK_EQ_INT(got[0].id, w2.id);
    CHECK_EQ_INT(got[0].shop_id, s1);
    CHECK_EQ_STR(got[0].title, "第二");
    CHECK_EQ_INT(got[0].handler_id, u);
    CHECK_EQ_INT(got[0].creator_id, u);
    CHECK_EQ_INT(got[0].state, w2.state);
    CHECK_EQ_INT(got[0].type, w2.type);
    CHECK(got[0].content == NULL && got[0].handler_name == NULL && got[0].custom == NULL);
    CHECK_EQ_INT(got[1].id, 0);
    CHECK_EQ_INT(got[2].id, w1.id);
    CHECK_EQ_INT(got[2].number, w1.number);
    CHECK_EQ_INT(got[2].version, 1);
    CHECK_EQ_INT(got[2].created_at, w1.created_at);
    CHECK_EQ_INT(got[2].deadline_at, w1.deadline_at);
    CHECK_EQ_INT(got[3].id, 0);

    /* their statistics contributions, written and read many at once */
    struct gd_stats_contrib cs[2] = {
        {.key = {.day = 20000, .type = GD_TYPE_AFTER_SALES, .handler_id = u},
         .n = {.created = 1, .open = 1},
         .fa_bucket = -1,
         .done_bucket = -1},
        {.key = {.day = 20001, .type = GD_TYPE_AFTER_SALES, .handler_id = u},
         .n = {.created = 1, .done = 1},
         .fa_bucket = 2,
         .done_bucket = 5}};
    int64_t cshops[] = {s1, s1}, cids[] = {w1.id, w2.id};
    CHECK_EQ_INT(GD_STORE(st, stats_contribs_put, cshops, cids, cs, 2, NULL), GD_OK);
    cs[0].n.overdue = 1;
    cs[0].fa_bucket = 3;
    CHECK_EQ_INT(GD_STORE(st, stats_contribs_put, cshops, cids, cs, 1, NULL), GD_OK); /* again */
    int64_t qshops[] = {s1, s2, s1}, qids[] = {w2.id, w1.id, w1.id};
    struct gd_stats_contrib back[3], one;
    bool found[3];
    CHECK_EQ_INT(GD_STORE(st, stats_contribs_get, qshops, qids, 3, back, found, NULL), GD_OK);
    CHECK(found[0] && !found[1] && found[2]);
    CHECK(gd_stats_contrib_equal(&back[0], &cs[1]));
    CHECK(gd_stats_contrib_equal(&back[2], &cs[0]));
    CHECK_EQ_INT(GD_STORE(st, stats_contrib_get, s1, w1.id, &one, NULL), GD_OK);
    CHECK_EQ_INT(one.n.overdue, 1);

    struct gd_event ev1 = {.id = gd_id_new(),
                           .shop_id = s1,
                           .workorder_id = w1.id,
                           .kind = "noted",
                           .at = 1,
                           .data = "{}"},
                    ev2 = ev1;
    struct gd_webhook h = {.id = gd_id_new(),
                           .shop_id = s1,
                           .url = "https://h.example/batch",
                           .secret = "s",
                           .description = "",
                           .created_by = u,
                           .created_at = 1};
    ev2.id = gd_id_new();
    CHECK_EQ_INT(ct_begin(st, s1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, event_append, &ev1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add, s1, ev1.id, NULL), GD_OK); /* no endpoint yet */
    CHECK_EQ_INT(GD_STORE(st, webhook_insert, &h, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, event_append, &ev2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add, s1, ev2.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_list, s1, 0, 10, &a, &owed, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n == 1 ? owed[0].ev.id : 0, ev2.id);
}

/* The firing engine's batch writes, a statement each for many rows: overdue marks where each
 * version still holds (GD_ESTALE when one does not, or the id is another shop's), events and
 * notifications that read back as written (any text, the system as actor 0), and outbox places
 * for a shop's events in the order given, after those queued before (none without an endpoint). */
static void batch_writes(void)
{
    int64_t s1 = shop("bw-1"), s2 = shop("bw-2");
    int64_t u = user(s1, "bw-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w1 = wo_new(s1, u, u, "甲", 100), w2 = wo_new(s1, u, u, "乙", 100), got;
    struct gd_workorder marks[2] = {w1, w2};

    for (int i = 0; i < 2; i++) {
        marks[i].overdue = true;
        marks[i].updated_at = 700 + i;
    }
    marks[1].shop_id = s2; /* another shop's id: not marked, the whole call is stale */
    CHECK_EQ_INT(ct_begin(st, 0), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorders_mark_overdue_many, marks, 2, NULL), GD_ESTALE);
    GD_STORE0(st, rollback);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w1.id, &a, &got, NULL), GD_OK);
    CHECK(!got.overdue); /* rolled back */
    marks[1].shop_id = s1;
    CHECK_EQ_INT(GD_STORE(st, workorders_mark_overdue_many, marks, 2, NULL), GD_OK);
    for (int i = 0; i < 2; i++) {
        CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, marks[i].id, &a, &got, NULL), GD_OK);
        CHECK(got.overdue);
        CHECK_EQ_INT(got.version, 1);
        CHECK_EQ_INT(got.updated_at, 700 + i);
        CHECK_EQ_STR(got.title, i ? "乙" : "甲");
    }
    marks[0].version = 2; /* a version it never had: stale */
    CHECK_EQ_INT(GD_STORE(st, workorders_mark_overdue_many, marks, 1, NULL), GD_ESTALE);

    struct gd_event evs[3] = {
        {.id = gd_id_new(), .shop_id = s1, .workorder_id = w1.id, .kind = "overdue", .at = 5},
        {.id = gd_id_new(),
         .shop_id = s1,
         .workorder_id = w1.id,
         .kind = "noted",
         .actor_id = u,
         .at = 6,
         .data = "{\"text\":\"引号 \\\" 反斜杠 \\\\ 换行\\n 'x' {a,b} 😀\"}"},
        {.id = gd_id_new(), .shop_id = s1, .workorder_id = w2.id, .kind = "overdue", .at = 7}};
    struct gd_event *tl;
    int n;
    CHECK_EQ_INT(GD_STORE(st, events_append_many, evs, 3, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, events_list, s1, w1.id, &a, &tl, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    for (int i = 0; i < n && i < 2; i++) {
        CHECK_EQ_INT(tl[i].id, evs[i].id);
        CHECK_EQ_STR(tl[i].kind, evs[i].kind);
        CHECK_EQ_INT(tl[i].actor_id, evs[i].actor_id);
        CHECK_EQ_INT(tl[i].at, evs[i].at);
        CHECK_EQ_STR(tl[i].data, evs[i].data ? evs[i].data : "{}");
    }

    /* the outbox: nothing for a shop without an endpoint; with one, in the order given, after
     * what was queued before */
    struct gd_webhook h = {.id = gd_id_new(),
                           .shop_id = s1,
                           .url = "https://h.example/bw",
                           .secret = "s",
                           .description = "",
                           .created_by = u,
                           .created_at = 1};
    struct gd_outbox_event *owed;
    int64_t ids[] = {evs[2].id, evs[0].id};
    CHECK_EQ_INT(GD_STORE(st, outbox_add_many, s1, ids, 2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_list, s1, 0, 10, &a, &owed, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, webhook_insert, &h, NULL), GD_OK);
    CHECK_EQ_INT(ct_begin(st, s1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add, s1, evs[1].id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add_many, s1, ids, 2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_list, s1, 0, 10, &a, &owed, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK_EQ_INT(owed[0].ev.id, evs[1].id);
        CHECK_EQ_INT(owed[1].ev.id, evs[2].id);
        CHECK_EQ_INT(owed[2].ev.id, evs[0].id);
        CHECK(owed[0].seq < owed[1].seq && owed[1].seq < owed[2].seq);
    }

    struct gd_notification ns[2] = {{.id = gd_id_new(),
                                     .user_id = u,
                                     .shop_id = s1,
                                     .kind = "target_missed",
                                     .workorder_id = w1.id,
                                     .wo_number = w1.number,
                                     .title = "甲 \"引号\" 'x' {a,b}",
                                     .actor_name = "",
                                     .text = "",
                                     .created_at = 8},
                                    {.id = gd_id_new(),
                                     .user_id = u,
                                     .shop_id = s1,
                                     .kind = "mentioned",
                                     .workorder_id = w2.id,
                                     .wo_number = w2.number,
                                     .title = "乙",
                                     .actor_id = u,
                                     .actor_name = "bw-u",
                                     .text = "看一下\\ 😀\n",
                                     .created_at = 9}};
    struct gd_notification *list;
    CHECK_EQ_INT(GD_STORE(st, notifications_insert_many, ns, 2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, notifications_list, u, 0, 10, false, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    for (int i = 0; i < n && i < 2; i++) {
        const struct gd_notification *x = &ns[1 - i]; /* newest first */
        CHECK_EQ_INT(list[i].id, x->id);
        CHECK_EQ_STR(list[i].kind, x->kind);
        CHECK_EQ_INT(list[i].workorder_id, x->workorder_id);
        CHECK_EQ_INT(list[i].wo_number, x->wo_number);
        CHECK_EQ_STR(list[i].title, x->title);
        CHECK_EQ_INT(list[i].actor_id, x->actor_id);
        CHECK_EQ_STR(list[i].actor_name, x->actor_name);
        CHECK_EQ_STR(list[i].text, x->text);
        CHECK_EQ_INT(list[i].created_at, x->created_at);
        CHECK_EQ_INT(list[i].read_at, 0);
    }
}

/* A batch's marks, events and notifications beyond a statement's 32 rows (SQLite writes 32 to a
 * statement, the rest one by one): 70 of each, every row with its own values, each read back
 * as written and in its place; one stale mark among 32 (another shop's id) fails the call. */
#define MANY_ROWS 70
static void batch_writes_many(void)
{
    int64_t s1 = shop("batch-many"), s2 = shop("batch-many-2");
    int64_t u = user(s1, "bm-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "多行", 0), got;
    struct gd_workorder marks[MANY_ROWS];
    struct gd_event evs[MANY_ROWS], *tl;
    struct gd_notification ns[MANY_ROWS], *list;
    int n;

    for (int i = 0; i < MANY_ROWS; i++) {
        marks[i] = wo_new(s1, u, u, gd_arena_printf(&a, "标记%d", i), 100 + i);
        marks[i].overdue = true;
        marks[i].updated_at = 5000 + i;
    }
    marks[40].shop_id = s2; /* in the second statement of 32 */
    CHECK_EQ_INT(ct_begin(st, 0), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorders_mark_overdue_many, marks, MANY_ROWS, NULL), GD_ESTALE);
    GD_STORE0(st, rollback);
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, marks[0].id, &a, &got, NULL), GD_OK);
    CHECK(!got.overdue); /* rolled back */
    marks[40].shop_id = s1;
    CHECK_EQ_INT(GD_STORE(st, workorders_mark_overdue_many, marks, MANY_ROWS, NULL), GD_OK);
    for (int i = 0; i < MANY_ROWS; i++) {
        CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, marks[i].id, &a, &got, NULL), GD_OK);
        CHECK(got.overdue);
        CHECK_EQ_INT(got.version, 1);
        CHECK_EQ_INT(got.updated_at, 5000 + i);
        CHECK_EQ_INT(got.deadline_at, 100 + i);
        CHECK_EQ_STR(got.title, marks[i].title);
    }
    /* read back brief, 32 keys to a statement: an unknown id, another shop's key and a key
     * asked for twice among them */
    int64_t shops[MANY_ROWS], ids[MANY_ROWS];
    struct gd_workorder brief[MANY_ROWS];
    for (int i = 0; i < MANY_ROWS; i++) {
        shops[i] = s1;
        ids[i] = marks[i].id;
    }
    ids[5] = gd_id_new();
    shops[10] = s2;
    ids[20] = marks[3].id;
    CHECK_EQ_INT(GD_STORE(st, workorders_get_brief, shops, ids, MANY_ROWS, &a, brief, NULL), GD_OK);
    for (int i = 0; i < MANY_ROWS; i++) {
        const struct gd_workorder *x = i == 20 ? &marks[3] : &marks[i];
        if (i == 5 || i == 10) {
            CHECK_EQ_INT(brief[i].id, 0);
            continue;
        }
        CHECK_EQ_INT(brief[i].id, x->id);
        CHECK_EQ_INT(brief[i].shop_id, s1);
        CHECK(brief[i].overdue);
        CHECK_EQ_INT(brief[i].version, x->version);
        CHECK_EQ_INT(brief[i].deadline_at, x->deadline_at);
        CHECK_EQ_STR(brief[i].title, x->title);
    }

    for (int i = 0; i < MANY_ROWS; i++) {
        evs[i] = (struct gd_event){.id = gd_id_new(),
                                   .shop_id = s1,
                                   .workorder_id = w.id,
                                   .kind = i % 2 ? "noted" : "overdue",
                                   .actor_id = i % 2 ? u : 0,
                                   .at = 1000 + i,
                                   .data = gd_arena_printf(&a, "{\"i\":%d}", i)};
        ns[i] = (struct gd_notification){.id = gd_id_new(),
                                         .user_id = u,
                                         .shop_id = s1,
                                         .kind = i % 2 ? "mentioned" : "chased",
                                         .workorder_id = w.id,
                                         .wo_number = w.number,
                                         .title = gd_arena_printf(&a, "第%d条", i),
                                         .actor_id = i % 3 ? u : 0,
                                         .actor_name = i % 3 ? "bm-u" : "",
                                         .text = gd_arena_printf(&a, "text %d", i),
                                         .created_at = 2000 + i};
    }
    CHECK_EQ_INT(GD_STORE(st, events_append_many, evs, MANY_ROWS, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, events_list, s1, w.id, &a, &tl, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, MANY_ROWS);
    for (int i = 0; i < n && i < MANY_ROWS; i++) {
        CHECK_EQ_INT(tl[i].id, evs[i].id);
        CHECK_EQ_INT(tl[i].shop_id, s1);
        CHECK_EQ_INT(tl[i].workorder_id, w.id);
        CHECK_EQ_STR(tl[i].kind, evs[i].kind);
        CHECK_EQ_INT(tl[i].actor_id, evs[i].actor_id);
        CHECK_EQ_INT(tl[i].at, evs[i].at);
        CHECK_EQ_STR(tl[i].data, evs[i].data);
    }
    CHECK_EQ_INT(GD_STORE(st, notifications_insert_many, ns, MANY_ROWS, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, notifications_list, u, 0, 200, false, &a, &list, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, MANY_ROWS);
    for (int i = 0; i < n && i < MANY_ROWS; i++) {
        const struct gd_notification *x = &ns[MANY_ROWS - 1 - i]; /* newest first */
        CHECK_EQ_INT(list[i].id, x->id);
        CHECK_EQ_INT(list[i].user_id, u);
        CHECK_EQ_INT(list[i].shop_id, s1);
        CHECK_EQ_STR(list[i].kind, x->kind);
        CHECK_EQ_INT(list[i].workorder_id, w.id);
        CHECK_EQ_INT(list[i].wo_number, w.number);
        CHECK_EQ_STR(list[i].title, x->title);
        CHECK_EQ_INT(list[i].actor_id, x->actor_id);
        CHECK_EQ_STR(list[i].actor_name, x->actor_name);
        CHECK_EQ_STR(list[i].text, x->text);
        CHECK_EQ_INT(list[i].created_at, x->created_at);
        CHECK_EQ_INT(list[i].read_at, 0);
    }
}

/* The shop's search finds a piece from the commit that wrote it on, whether the backend has
 * indexed it yet or not (SQLite indexes pieces in batches of 128, src/store/sqlite/search.c:
 * 300 work orders, each its own unit, leave pieces on both sides of a move), and a replaced
 * piece is gone wherever it was. */
static void search_in_batches(void)
{
    int64_t s = shop("search-batches"), other = shop("search-batches-2");
    int64_t u = user(s, "sb-u", GD_ROLE_SHOP_AGENT);
    static struct gd_workorder w[300];
    struct gd_wo_filter f = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_CREATED, .limit = 10};
    const int probe[] = {0, 127, 128, 255, 256, 299};
    struct gd_workorder *rows;
    char text[64], q[64];
    int n;

    for (int i = 0; i < 300; i++) {
        w[i] = wo_new(s, u, u, "批次", 0);
        snprintf(text, sizeof(text), "批次 Piece-%03d号", i);
        CHECK_EQ_INT(ct_begin(st, s), GD_OK);
        CHECK_EQ_INT(ct_search_set(s, w[i].id, text), GD_OK);
        CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    }
    for (size_t i = 0; i < sizeof(probe) / sizeof(*probe); i++) {
        snprintf(q, sizeof(q), "piece-%03d号", probe[i]); /* ASCII in any case */
        f.q = q;
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(n, 1);
        CHECK_EQ_INT(n == 1 ? rows[0].id : 0, w[probe[i]].id);
    }
    /* one term in the first work order's fields, indexed long ago, one in a note added now */
    CHECK_EQ_INT(ct_begin(st, s), GD_OK);
    CHECK_EQ_INT(ct_search_append(s, w[0].id, "后来追加的备注"), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    f.q = "Piece-000号 追加";
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    /* the fields replaced, of the first and of the last: the old text is found no more */
    CHECK_EQ_INT(ct_begin(st, s), GD_OK);
    CHECK_EQ_INT(ct_search_set(s, w[0].id, "换过的文字 甲"), GD_OK);
    CHECK_EQ_INT(ct_search_set(s, w[299].id, "换过的文字 乙"), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    for (int i = 0; i < 2; i++) {
        f.q = i ? "piece-299号" : "piece-000号";
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(n, 0);
    }
    f.q = "换过的文字";
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    f.q = "追加"; /* the note stays */
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n == 1 ? rows[0].id : 0, w[0].id);
    /* one character; and never another shop's */
    f.q = "批";
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 10);
    CHECK_EQ_INT(GD_STORE(st, workorders_list, other, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    orders_search();
    round_trip();
    list_orders();
    other_orders();
    by_order();
    mark_overdue();
    tenant_boundary();
    batch_reads();
    batch_writes();
    batch_writes_many();
    search_in_batches();
    return contract_finish("store contract: work orders");
}
