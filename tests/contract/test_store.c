/* The store contract suite: the same cases for every backend behind store.h. Run as
 * `contract_test_store sqlite` (a temporary file) or `contract_test_store pg URL` (a fresh, empty
 * PostgreSQL database: ctest makes one on its throwaway cluster, scripts/pg-test-cluster). Each
 * case states what the service layer relies on. */
#include <time.h>
#include "harness.h"

static void accounts(void)
{
    struct gd_err err = {0};
    int64_t s = shop("一号店");
    struct gd_shop dup = {.id = gd_id_new(), .name = "一号店", .created_at = 1};
    CHECK_EQ_INT(GD_STORE(st, shop_insert, &dup, &err), GD_ECONFLICT);
    int64_t u = user(s, "alice", GD_ROLE_SHOP_AGENT);
    struct gd_user again = {.id = gd_id_new(),
                            .shop_id = s,
                            .username = "alice",
                            .display_name = "x",
                            .role = GD_ROLE_SHOP_AGENT,
                            .pwhash = "x"};
    CHECK_EQ_INT(GD_STORE(st, user_insert, &again, &err), GD_ECONFLICT);
    CHECK_EQ_STR(err.field, "username");
    struct gd_user got;
    CHECK_EQ_INT(GD_STORE(st, user_get_by_username, "alice", &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.id, u);
    CHECK_EQ_INT(got.shop_id, s);
    CHECK_EQ_INT(got.role, GD_ROLE_SHOP_AGENT);
    CHECK_EQ_INT(GD_STORE(st, user_get_by_username, "nobody", &a, &got, NULL), GD_ENOTFOUND);

    const char *csrf;
    CHECK_EQ_INT(GD_STORE(st, session_insert, "d1", u, "c1", 100, 200, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, session_get, "d1", 150, &a, &got, &csrf, NULL, NULL), GD_OK);
    CHECK_EQ_STR(csrf, "c1");
    CHECK_EQ_INT(GD_STORE(st, session_get, "d1", 250, &a, &got, &csrf, NULL, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, session_delete, "d1", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, session_get, "d1", 150, &a, &got, &csrf, NULL, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, token_insert, "t1", gd_id_new(), u, "ci", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, token_get, "t1", &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.id, u);
}

static void orders(void)
{
    int64_t s1 = shop("order-shop-1"), s2 = shop("order-shop-2");
    struct gd_order o = {.shop_id = s1,
                         .order_no = "TB1",
                         .buyer_nick = "小林",
                         .status = "paid",
                         .paid_amount = 1999,
                         .items = "[]",
                         .created_at = 5,
                         .updated_at = 5};
    const char *old;
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, o.shop_id, &o, 1, &a, &old, NULL), GD_OK);
    CHECK(old == NULL);
    o.status = "shipped";
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, o.shop_id, &o, 1, &a, &old, NULL), GD_OK);
    CHECK_EQ_STR(old, "paid");
    struct gd_order got;
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "TB1", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.status, "shipped");
    CHECK_EQ_INT(got.paid_amount, 1999);
    /* the same number in another shop is another order, and invisible from the first */
    CHECK_EQ_INT(GD_STORE(st, order_get, s2, "TB1", &a, &got, NULL), GD_ENOTFOUND);
    struct gd_order *rows;
    int n;
    CHECK_EQ_INT(GD_STORE(st, orders_search, s1, "小", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, orders_search, s2, "", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, orders_search, s1, "%", 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0); /* LIKE wildcards in the query are literal */
    /* bytes that are not UTF-8 find nothing: a client's error, never a database failure */
    int ret = GD_STORE(st, order_get, s1, "TB\xff", &a, &got, NULL);
    CHECK(ret == GD_ENOTFOUND || ret == GD_EINVAL);

    /* a statistics rebuild recounts the shop's orders per day (in the shop's zone) */
    struct gd_order o2 = o;
    o2.order_no = "TB2";
    o2.created_at = 86400000 - 60000; /* 23:59 UTC on day 0: day 1 at +08:00 */
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, o2.shop_id, &o2, 1, &a, &old, NULL), GD_OK);
    int64_t sum;
    CHECK_EQ_INT(GD_STORE(st, stats_reset, s1, 480, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, s1, 0, 0, &sum, NULL), GD_OK);
    CHECK_EQ_INT(sum, 1);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, s1, 0, 1, &sum, NULL), GD_OK);
    CHECK_EQ_INT(sum, 2);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, 0, 0, 1, &sum, NULL), GD_OK);
    CHECK_EQ_INT(sum, 2); /* every shop */
}

/* Many orders in one call (an import's chunk): all new, then again with changes and one new
 * number among them; text that PostgreSQL's array literals must quote survives; the same numbers
 * in another shop are other orders. */
static void orders_many(void)
{
    enum { N = 300 };
    int64_t s1 = shop("many-shop-1"), s2 = shop("many-shop-2");
    struct gd_order os[N], got;
    const char *old[N];
    for (int i = 0; i < N; i++) {
        os[i] = (struct gd_order){.order_no = gd_arena_printf(&a, "M%d", i),
                                  .buyer_nick = "买家",
                                  .status = "paid",
                                  .paid_amount = i,
                                  .items = "[]",
                                  .created_at = 1000 + i,
                                  .updated_at = 1000 + i};
    }
    os[0].buyer_nick = "q\"uo,te\\ {x} NULL";
    os[1].buyer_nick = "NULL";
    os[2].items = "[{\"title\":\"茶, \\\"新\\\"\",\"sku\":\"T-1\",\"quantity\":2,\"price\":5}]";
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, s1, os, N, &a, old, NULL), GD_OK);
    for (int i = 0; i < N; i++) {
        CHECK(old[i] == NULL);
    }
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "M0", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.buyer_nick, "q\"uo,te\\ {x} NULL");
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "M1", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.buyer_nick, "NULL");
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "M2", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.items, os[2].items);
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "M299", &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.paid_amount, 299);
    CHECK_EQ_INT(got.created_at, 1299);

    /* again: every one changes, the last is a new number; an update keeps created_at */
    for (int i = 0; i < N; i++) {
        os[i].status = i % 2 ? "shipped" : "signed";
        os[i].paid_amount = i + 1;
        os[i].created_at = 9;
        os[i].updated_at = 2000;
    }
    os[N - 1].order_no = "MNEW";
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, s1, os, N, &a, old, NULL), GD_OK);
    for (int i = 0; i < N - 1; i++) {
        CHECK_EQ_STR(old[i], "paid");
    }
    CHECK(old[N - 1] == NULL);
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "M7", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.status, "shipped");
    CHECK_EQ_INT(got.paid_amount, 8);
    CHECK_EQ_INT(got.created_at, 1007);
    CHECK_EQ_INT(got.updated_at, 2000);
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "MNEW", &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.created_at, 9);
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "M299", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.status, "paid"); /* not in the second call */

    /* shop 2: the same numbers are new orders there, and shop 1's stay as they were */
    os[0].status = "closed";
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, s2, os, 2, &a, old, NULL), GD_OK);
    CHECK(old[0] == NULL && old[1] == NULL);
    CHECK_EQ_INT(GD_STORE(st, order_get, s2, "M0", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.status, "closed");
    CHECK_EQ_INT(got.shop_id, s2);
    CHECK_EQ_INT(GD_STORE(st, order_get, s1, "M0", &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.status, "signed");
    struct gd_order *rows;
    int n;
    CHECK_EQ_INT(GD_STORE(st, orders_search, s2, "", 200, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
}

/* workorders_list_keys answers the rows workorders_list does for `f`, in its order, each with
 * its keys (the names included, unless asked without them) and nothing else: the row cache
 * renders the page from them. */
static void list_keys_match(int64_t shop, const struct gd_wo_filter *f, int expect)
{
    struct gd_workorder *rows, *keys;
    int n = -1, k = -1;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, shop, f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorders_list_keys, shop, f, &a, &keys, &k, NULL), GD_OK);
    CHECK_EQ_INT(n, expect);
    CHECK_EQ_INT(k, n);
    for (int i = 0; i < n && i < k; i++) {
        CHECK_EQ_INT(keys[i].id, rows[i].id);
        CHECK_EQ_INT(keys[i].shop_id, rows[i].shop_id);
        CHECK_EQ_INT(keys[i].version, rows[i].version);
        CHECK_EQ_INT(keys[i].state, rows[i].state);
        CHECK_EQ_INT(keys[i].deadline_at, rows[i].deadline_at);
        CHECK_EQ_INT(keys[i].handler_id, rows[i].handler_id);
        CHECK_EQ_INT(keys[i].creator_id, rows[i].creator_id);
        CHECK_EQ_STR(keys[i].handler_name ? keys[i].handler_name : "(none)",
                     rows[i].handler_name ? rows[i].handler_name : "(none)");
        CHECK_EQ_STR(keys[i].creator_name, rows[i].creator_name);
        CHECK(keys[i].title == NULL && keys[i].content == NULL && keys[i].number == 0);
    }
    /* unnamed: the same keys without the names, which users_names answers by id */
    struct gd_wo_filter u = *f;
    u.keys_unnamed = true;
    CHECK_EQ_INT(GD_STORE(st, workorders_list_keys, shop, &u, &a, &keys, &k, NULL), GD_OK);
    CHECK_EQ_INT(k, n);
    for (int i = 0; i < n && i < k; i++) {
        CHECK_EQ_INT(keys[i].id, rows[i].id);
        CHECK_EQ_INT(keys[i].version, rows[i].version);
        CHECK_EQ_INT(keys[i].creator_id, rows[i].creator_id);
        CHECK(keys[i].handler_name == NULL && keys[i].creator_name == NULL);
        int64_t ids[3] = {rows[i].creator_id, 424242424242, rows[i].creator_id};
        const char *names[3] = {"x", "x", "x"};
        CHECK_EQ_INT(GD_STORE(st, users_names, ids, 3, &a, names, NULL), GD_OK);
        CHECK_EQ_STR(names[0], rows[i].creator_name);
        CHECK(names[1] == NULL);
        CHECK_EQ_STR(names[2], rows[i].creator_name);
    }
}

static void workorders(void)
{
    int64_t s1 = shop("wo-shop-1"), s2 = shop("wo-shop-2");
    int64_t u1 = user(s1, "wo-u1", GD_ROLE_SHOP_AGENT), u2 = user(s1, "wo-u2", GD_ROLE_SHOP_AGENT);
    int64_t x = user(s2, "wo-x", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w1 = wo_new(s1, u1, u2, "买家申请退款", 3000);
    struct gd_workorder w2 = wo_new(s1, u1, u2, "缺货通知 SKU-ABC", 1000);
    struct gd_workorder w3 = wo_new(s1, u2, u1, "发货提醒", 0);
    struct gd_workorder w4 = wo_new(s2, x, x, "买家申请退款", 2000);
    CHECK_EQ_INT(w2.number, w1.number + 1);

    struct gd_workorder got;
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w1.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.title, "买家申请退款");
    CHECK_EQ_STR(got.handler_name, "wo-u2");
    CHECK_EQ_INT(GD_STORE(st, workorder_get, s2, w1.id, &a, &got, NULL), GD_ENOTFOUND);

    /* optimistic update */
    struct gd_workorder upd = w1;
    upd.state = GD_STATE_IN_PROGRESS;
    upd.version = 2;
    CHECK_EQ_INT(GD_STORE(st, workorder_update, &upd, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_update, &upd, 1, NULL), GD_ESTALE);

    /* the todo view of u2, by deadline, paged one row at a time */
    struct gd_wo_filter f = {.view = GD_VIEW_TODO,
                             .user_id = u2,
                             .type = -1,
                             .state = -1,
                             .sort = GD_SORT_DEADLINE,
                             .limit = 1};
    struct gd_workorder *rows;
    int n;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(rows[0].id, w2.id);
    f.has_cursor = true;
    f.cursor_key = rows[0].deadline_at;
    f.cursor_id = rows[0].id;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(rows[0].id, w1.id);
    f.cursor_key = rows[0].deadline_at;
    f.cursor_id = rows[0].id;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    /* no deadline sorts last */
    struct gd_wo_filter g = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_DEADLINE, .limit = 10};
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &g, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(rows[2].id, w3.id);
    g.state = GD_STATE_IN_PROGRESS;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &g, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    /* the keys of the same lists: a page, the next, a filter, another shop, the edited row's
     * new version */
    list_keys_match(s1, &g, 1);
    g.state = -1;
    list_keys_match(s1, &g, 3);
    f.has_cursor = false;
    list_keys_match(s1, &f, 1);
    f.limit = 10;
    list_keys_match(s1, &f, 2);
    f.has_cursor = true;
    f.cursor_key = w2.deadline_at;
    f.cursor_id = w2.id;
    list_keys_match(s1, &f, 1);
    list_keys_match(s2, &g, 1);

    /* search: one, two and three characters; ASCII without case; never another shop */
    CHECK_EQ_INT(GD_STORE(st, search_set, s1, w1.id, "买家申请退款\n小林", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, search_set, s1, w2.id, "缺货通知 SKU-ABC", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, search_append, s1, w2.id, "备注：买家同意换货", NULL), GD_OK);
    /* the shop is the tenant boundary: another shop's id writes nothing */
    CHECK_EQ_INT(GD_STORE(st, search_set, s2, w1.id, "别的店 缺货", NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, search_append, s2, w1.id, "别的店 缺货", NULL), GD_ENOTFOUND);
    /* the same words in the other shop, found there only */
    CHECK_EQ_INT(GD_STORE(st, search_set, s2, w4.id, "买家申请退款\n别的店", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, search_append, s2, w4.id, "备注：买家同意换货", NULL), GD_OK);
    static const struct {
        const char *q;
        int n;
    } cases[] = {{"退款", 1},
                 {"退", 1},
                 {"申请退款", 1},
                 {"缺货", 1},
                 {"sku-abc", 1},
                 {"换货", 1},
                 {"款申", 0},
                 {"买家", 2},
                 {"买家 换货", 1},
                 {"\"", 0},
                 /* terms from different pieces (fields and a note) match together; a term
                  * never spans two pieces */
                 {"缺货 换货", 1},
                 {"sku-abc 同意", 1},
                 {"缺货 退款", 0},
                 {"abc备注", 0},
                 {"换货 换货", 1},
                 {"别的店", 0}};
    struct gd_wo_filter h = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_CREATED, .limit = 10};
    for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        h.q = cases[i].q;
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &h, &a, &rows, &n, NULL), GD_OK);
        if (n != cases[i].n) {
            fprintf(stderr, "search '%s'\n", cases[i].q);
        }
        CHECK_EQ_INT(n, cases[i].n);
    }
    /* each shop finds its own pieces of the words both wrote, whoever searches first */
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s2, &h, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(rows[0].id, w4.id);
    const char *both[] = {"退款", "退", "换货", "申请退款 换货", "别的店"};
    for (size_t i = 0; i < sizeof(both) / sizeof(*both); i++) {
        h.q = both[i];
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s2, &h, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(n, 1);
        CHECK(n == 1 && rows[0].id == w4.id);
    }
    /* the index holds each piece's shop as a token no text can produce: typing its spelling on
     * either backend (SQLite's "\x01<id>", PostgreSQL's "shop <id>") finds nothing */
    const char *forged[] = {gd_arena_printf(&a, "\x01%lld", (long long)s1),
                            gd_arena_printf(&a, "shop %lld", (long long)s1),
                            gd_arena_printf(&a, "\"\x01%lld\"", (long long)s1)};
    for (size_t i = 0; i < sizeof(forged) / sizeof(*forged); i++) {
        h.q = forged[i];
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &h, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(n, 0);
    }
    /* new text for the fields replaces theirs alone: the appended note stays found */
    CHECK_EQ_INT(GD_STORE(st, search_set, s1, w2.id, "到货通知 SKU-XYZ", NULL), GD_OK);
    static const struct {
        const char *q;
        int n;
    } after[] = {{"缺货", 0}, {"到货", 1}, {"换货", 1}, {"到货 换货", 1}, {"sku-abc", 0}};
    for (size_t i = 0; i < sizeof(after) / sizeof(*after); i++) {
        h.q = after[i].q;
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &h, &a, &rows, &n, NULL), GD_OK);
        if (n != after[i].n) {
            fprintf(stderr, "search after set '%s'\n", after[i].q);
        }
        CHECK_EQ_INT(n, after[i].n);
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Appending text to a work order's search costs that text, not everything written before:
 * the last hundred notes of six hundred take about as long as the first hundred (within 0.1 s
 * of slack for the index growing). */
static void search_append_cost(void)
{
    int64_t s1 = shop("sa-shop");
    int64_t u = user(s1, "sa-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "很多备注", 0);
    char note[1024];
    int len = 0;
    for (int i = 0; i < 300; i++) {
        len += snprintf(note + len, sizeof(note) - (size_t)len, "%s", i % 2 ? "货" : "款");
    }
    CHECK_EQ_INT(GD_STORE(st, search_set, s1, w.id, "很多备注", NULL), GD_OK);
    double first = 0, last = 0;
    CHECK_EQ_INT(GD_STORE(st, begin, s1, NULL), GD_OK); /* one transaction: no syncs in times */
    for (int i = 0; i < 600; i++) {
        double t0 = now_s();
        CHECK_EQ_INT(GD_STORE(st, search_append, s1, w.id, note, NULL), GD_OK);
        double t = now_s() - t0;
        first += i < 100 ? t : 0;
        last += i >= 500 ? t : 0;
    }
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    if (last > 4 * first + 0.1) {
        fprintf(stderr, "first 100 appends %.3fs, last 100 %.3fs\n", first, last);
    }
    CHECK(last <= 4 * first + 0.1); /* re-tokenising everything: 10x and seconds */
    struct gd_wo_filter f = {.view = GD_VIEW_SHOP,
                             .type = -1,
                             .state = -1,
                             .sort = GD_SORT_CREATED,
                             .limit = 10,
                             .q = "很多 款货"};
    struct gd_workorder *rows;
    int n;
    CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    list_keys_match(s1, &f, 1); /* and its keys, through the search */
}

static void timeline_counters_idem(void)
{
    int64_t s1 = shop("tl-shop-1"), s2 = shop("tl-shop-2");
    int64_t u = user(s1, "tl-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "t", 0);
    struct gd_event ev = {.id = gd_id_new(),
                          .shop_id = s1,
                          .workorder_id = w.id,
                          .kind = "noted",
                          .actor_id = u,
                          .at = 5,
                          .data = "{\"text\":\"你好\"}"};
    CHECK_EQ_INT(GD_STORE(st, event_append, &ev, NULL), GD_OK);
    struct gd_event *evs;
    int n;
    CHECK_EQ_INT(GD_STORE(st, events_list, s1, w.id, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(evs[0].actor_name, "tl-u");
    CHECK_EQ_INT(GD_STORE(st, events_list, s2, w.id, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    int64_t c;
    CHECK_EQ_INT(GD_STORE(st, counter_get, s1, "todo:1", &c, NULL), GD_OK);
    CHECK_EQ_INT(c, 0);
    GD_STORE(st, counter_add, s1, "todo:1", 1, NULL);
    GD_STORE(st, counter_add, s1, "todo:1", 1, NULL);
    GD_STORE(st, counter_add, s1, "todo:1", -1, NULL);
    CHECK_EQ_INT(GD_STORE(st, counter_get, s1, "todo:1", &c, NULL), GD_OK);
    CHECK_EQ_INT(c, 1);
    CHECK_EQ_INT(GD_STORE(st, counter_get, s2, "todo:1", &c, NULL), GD_OK);
    CHECK_EQ_INT(c, 0);

    int status;
    const char *body, *digest;
    CHECK_EQ_INT(GD_STORE(st, idem_get, u, "k1", &a, &status, &body, &digest, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "k1", "d1", 201, "{}", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "k1", "d2", 201, "{}", 1, NULL), GD_ECONFLICT);
    CHECK_EQ_INT(GD_STORE(st, idem_get, u, "k1", &a, &status, &body, &digest, NULL), GD_OK);
    CHECK_EQ_INT(status, 201);
    CHECK(digest && strcmp(digest, "d1") == 0);
    CHECK(strcmp(body, "{}") == 0); /* the first answer stays */
}

/* Sign-in attempts are counted per exact key, atomically, and lock at the limit. */
static void login_attempts(void)
{
    bool admitted;
    int64_t until;
    const int64_t w = 900000, lock = 300000;

    for (int i = 1; i <= 3; i++) {
        CHECK_EQ_INT(GD_STORE(st, login_attempt_reserve, "user:la", 1000, w, 3, lock, &admitted,
                              &until, NULL),
                     GD_OK);
        CHECK(admitted);
        CHECK_EQ_INT(until, i < 3 ? 0 : 1000 + lock);
    }
    /* locked: refused, and the lock does not move */
    CHECK_EQ_INT(
        GD_STORE(st, login_attempt_reserve, "user:la", 2000, w, 3, lock, &admitted, &until, NULL),
        GD_OK);
    CHECK(!admitted);
    CHECK_EQ_INT(until, 1000 + lock);
    /* another key is its own count */
    CHECK_EQ_INT(
        GD_STORE(st, login_attempt_reserve, "user:lb", 2000, w, 3, lock, &admitted, &until, NULL),
        GD_OK);
    CHECK(admitted);
    /* lock over, window not: the next attempt is let through and locks again */
    CHECK_EQ_INT(GD_STORE(st, login_attempt_reserve, "user:la", 1000 + lock, w, 3, lock, &admitted,
                          &until, NULL),
                 GD_OK);
    CHECK(admitted);
    CHECK_EQ_INT(until, 1000 + 2 * lock);
    /* both over: afresh */
    CHECK_EQ_INT(GD_STORE(st, login_attempt_reserve, "user:la", 1000 + w + 2 * lock, w, 3, lock,
                          &admitted, &until, NULL),
                 GD_OK);
    CHECK(admitted);
    CHECK_EQ_INT(until, 0);
    /* a taken-back attempt lifts the lock it set */
    GD_STORE(st, login_attempt_reserve, "user:lb", 2000, w, 3, lock, &admitted, &until, NULL);
    GD_STORE(st, login_attempt_reserve, "user:lb", 2000, w, 3, lock, &admitted, &until, NULL);
    CHECK_EQ_INT(until, 2000 + lock);
    CHECK_EQ_INT(GD_STORE(st, login_attempt_release, "user:lb", 3, NULL), GD_OK);
    CHECK_EQ_INT(
        GD_STORE(st, login_attempt_reserve, "user:lb", 2001, w, 3, lock, &admitted, &until, NULL),
        GD_OK);
    CHECK(admitted);
    CHECK_EQ_INT(GD_STORE(st, login_attempt_forget, "user:lb", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, login_attempts_prune, 1000 + w + 2 * lock + w, w, NULL), GD_OK);
}

/* The rows of the timers' table, whatever their state. */
static int64_t timer_rows(void)
{
    int64_t n = -1;
    for (const struct gd_bulk_table *t = gd_bulk_tables; t->name; t++) {
        if (strcmp(t->name, "deadlines") == 0) {
            CHECK_EQ_INT(GD_STORE(st, bulk_count, t, &n, NULL), GD_OK);
        }
    }
    return n;
}

static void deadlines(void)
{
    int64_t s = shop("dl-shop");
    int64_t u = user(s, "dl-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s, u, u, "t", 0);
    struct gd_deadline d1 = {.id = gd_id_new(),
                             .shop_id = s,
                             .workorder_id = w.id,
                             .kind = "overdue",
                             .due_at = 100,
                             .version = 1};
    struct gd_deadline d2 = d1, d3 = d1;
    d2.id = gd_id_new();
    d2.due_at = 200;
    d3.id = gd_id_new();
    d3.kind = "remind";
    d3.due_at = 50;
    GD_STORE(st, deadline_insert, &d1, NULL);
    GD_STORE(st, deadline_insert, &d2, NULL);
    GD_STORE(st, deadline_insert, &d3, NULL);
    int64_t next;
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 50);
    int64_t other = shop("dl-other");
    CHECK_EQ_INT(GD_STORE(st, deadline_cancel, other, w.id, "remind", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 50); /* another shop's cancel touches nothing */
    CHECK_EQ_INT(GD_STORE(st, deadline_cancel, s, w.id, "remind", NULL), GD_OK);
    struct gd_deadline *due;
    int n;
    int64_t rows = timer_rows(), after = 0;
    /* taking happens once: a second take finds the timer gone (stale); it leaves no row */
    CHECK_EQ_INT(ct_deadline_take(other, d1), GD_ESTALE);
    CHECK_EQ_INT(ct_deadline_take(s, d1), GD_OK);
    CHECK_EQ_INT(ct_deadline_take(s, d1), GD_ESTALE); /* exactly once */
    CHECK_EQ_INT(timer_rows(), rows - 1);
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 200);

    /* take: claims and deletes in one step, inside a transaction that a rollback undoes */
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadlines_take, 250, 10, &a, &due, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(due[0].id, d2.id);
    GD_STORE0(st, rollback);
    CHECK_EQ_INT(timer_rows(), rows - 1); /* the rollback put it back */
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadlines_take, 250, 10, &a, &due, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK(n == 1 && due[0].id == d2.id && due[0].shop_id == s && due[0].workorder_id == w.id &&
          strcmp(due[0].kind, "overdue") == 0 && due[0].due_at == 200 && due[0].version == 1);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    after = timer_rows();
    CHECK_EQ_INT(after, rows - 2); /* taken timers leave no row; the cancelled one stays */
    CHECK_EQ_INT(GD_STORE(st, deadlines_take, 250, 10, &a, &due, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0); /* exactly once */
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &next, NULL), GD_OK);
    CHECK_EQ_INT(next, 0);
}

/* Webhooks: the outbox is written only for shops with an endpoint, read per shop in commit
 * order after a cursor; a new endpoint is owed only what follows it; due endpoints are those
 * owed events whose next attempt has come; trimming keeps what any endpoint still needs. */
static void event_for(const struct gd_workorder *w, const char *kind, int64_t *id)
{
    struct gd_event ev = {.id = gd_id_new(),
                          .shop_id = w->shop_id,
                          .workorder_id = w->id,
                          .kind = kind,
                          .at = 5,
                          .data = "{\"k\":1}"};
    CHECK_EQ_INT(GD_STORE(st, event_append, &ev, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add, w->shop_id, ev.id, NULL), GD_OK);
    *id = ev.id;
}

static void webhooks(void)
{
    int64_t s1 = shop("钩子一店"), s2 = shop("钩子二店");
    int64_t u1 = user(s1, "hook-u1", GD_ROLE_SHOP_LEAD),
            u2 = user(s2, "hook-u2", GD_ROLE_SHOP_LEAD);
    struct gd_workorder w1 = wo_new(s1, u1, u1, "钩子", 0), w2 = wo_new(s2, u2, u2, "别店", 0);
    struct gd_webhook h = {.id = gd_id_new(),
                           .shop_id = s1,
                           .url = "https://a.example/h",
                           .secret = "whsec_x",
                           .description = "ERP",
                           .created_by = u1,
                           .created_at = 1};
    struct gd_webhook *hooks;
    struct gd_outbox_event *evs;
    int64_t before, e1, e2, e3, other;
    int n;

    event_for(&w1, "created", &before); /* no endpoint yet: nothing queued */
    CHECK_EQ_INT(GD_STORE(st, webhook_insert, &h, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(hooks[0].url, "https://a.example/h");
    CHECK_EQ_STR(hooks[0].secret, "whsec_x");
    CHECK_EQ_INT(hooks[0].pending, 0);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s2, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, webhooks_due, 10, 10, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0); /* owed nothing */

    event_for(&w1, "noted", &e1);
    event_for(&w2, "noted", &other); /* shop 2 has no endpoint */
    event_for(&w1, "transferred", &e2);
    event_for(&w1, "state_changed", &e3);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(hooks[0].pending, 3);
    CHECK_EQ_INT(GD_STORE(st, outbox_list, s1, hooks[0].cursor, 2, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(evs[0].ev.id, e1);
    CHECK_EQ_INT(evs[1].ev.id, e2);
    CHECK(evs[0].seq < evs[1].seq);
    CHECK_EQ_STR(evs[0].ev.kind, "noted");
    CHECK_EQ_STR(evs[0].ev.data, "{\"k\":1}");
    CHECK_EQ_INT(evs[0].wo_number, w1.number);
    CHECK_EQ_STR(evs[0].wo_type, "after_sales");
    CHECK_EQ_INT(GD_STORE(st, outbox_list, s2, 0, 10, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    /* a failed attempt: not due until its next attempt */
    CHECK_EQ_INT(GD_STORE(st, webhooks_due, 10, 10, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    struct gd_webhook_attempt failed = {.at = 10,
                                        .status = 500,
                                        .error = "HTTP 500",
                                        .backoff_ms = 990,
                                        .backoff_max_ms = 3000,
                                        .lease_node = -1 /* never leased */};
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s1, hooks[0].id, &failed, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhooks_due, 999, 10, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, webhooks_due, 1000, 10, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(hooks[0].failures, 1);
    CHECK_EQ_INT(hooks[0].next_attempt_at, 1000); /* at + backoff_ms */
    CHECK_EQ_INT(hooks[0].last_attempt_at, 10);
    CHECK_EQ_INT(hooks[0].last_status, 500);
    CHECK_EQ_STR(hooks[0].last_error, "HTTP 500");
    /* each further failure doubles the wait from the row's own count, up to backoff_max_ms;
     * another shop's id is not there and changes nothing */
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s2, hooks[0].id, &failed, NULL), GD_ESTALE);
    failed.at = 1000;
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s1, hooks[0].id, &failed, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(hooks[0].failures, 2);
    CHECK_EQ_INT(hooks[0].next_attempt_at, 1000 + 2 * 990);
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s1, hooks[0].id, &failed, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(hooks[0].failures, 3);
    CHECK_EQ_INT(hooks[0].next_attempt_at, 1000 + 3000);

    /* acknowledged up to e2: one left; trimming keeps it */
    CHECK_EQ_INT(GD_STORE(st, outbox_list, s1, hooks[0].cursor, 2, &a, &evs, &n, NULL), GD_OK);
    struct gd_webhook_attempt ok = {.ok = true,
                                    .upto_seq = evs[1].seq,
                                    .delivered = 2,
                                    .at = 2000,
                                    .status = 200,
                                    .lease_node = -1};
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s1, hooks[0].id, &ok, NULL), GD_OK);
    /* a cursor never moves back: a late skip or success for an older seq keeps it */
    CHECK_EQ_INT(GD_STORE(st, webhook_skip, s1, hooks[0].id, -1, evs[0].seq, NULL), GD_OK);
    ok.upto_seq = evs[0].seq;
    ok.delivered = 0;
    CHECK_EQ_INT(GD_STORE(st, webhook_attempted, s1, hooks[0].id, &ok, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(hooks[0].cursor, evs[1].seq);
    CHECK_EQ_INT(hooks[0].failures, 0);
    CHECK_EQ_INT(hooks[0].next_attempt_at, 0);
    CHECK_EQ_INT(hooks[0].last_status, 200);
    CHECK_EQ_STR(hooks[0].last_error, "");
    CHECK_EQ_INT(GD_STORE(st, outbox_trim, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_list, s1, 0, 10, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(evs[0].ev.id, e3);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(hooks[0].pending, 1);
    CHECK_EQ_INT(hooks[0].delivered, 2);

    /* a second endpoint is owed only what follows it */
    struct gd_webhook h2 = h;
    h2.id = gd_id_new();
    h2.events = "noted,transferred";
    CHECK_EQ_INT(GD_STORE(st, webhook_insert, &h2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhooks_list, s1, &a, &hooks, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(hooks[1].pending, 0);
    CHECK_EQ_STR(hooks[1].events, "noted,transferred");
    CHECK_EQ_STR(hooks[0].events, "");

    /* removal is by shop; with no endpoint left, trimming empties the shop's queue */
    CHECK_EQ_INT(GD_STORE(st, webhook_delete, s2, h.id, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, webhook_delete, s1, h.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhook_delete, s1, h2.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_trim, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_list, s1, 0, 10, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
}

/* Transactions: an expected clash (idem_put) leaves the transaction usable; a rollback writes
 * nothing; the generation moves when another handle commits. */
static void transactions(void)
{
    int64_t s = shop("tx-shop");
    int64_t u = user(s, "tx-u", GD_ROLE_SHOP_AGENT);
    struct gd_err err = {0};
    int status;
    const char *body, *digest;
    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "tx-k", "d", 201, "{}", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, begin, s, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "tx-k", "d", 201, "{}", 1, &err), GD_ECONFLICT);
    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "tx-k2", "d", 201, "{\"a\":1}", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, idem_get, u, "tx-k2", &a, &status, &body, &digest, NULL), GD_OK);
    CHECK_EQ_STR(body, "{\"a\":1}");

    CHECK_EQ_INT(GD_STORE(st, begin, s, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, idem_put, u, "tx-k3", "d", 201, "{}", 1, NULL), GD_OK);
    GD_STORE0(st, rollback);
    CHECK_EQ_INT(GD_STORE(st, idem_get, u, "tx-k3", &a, &status, &body, &digest, NULL),
                 GD_ENOTFOUND);

    struct gd_store *other;
    struct gd_err oerr = {0};
    int64_t g1, g2, g3;
    CHECK_EQ_INT(gd_store_open(url, false, &other, &oerr), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, generation, &g1), GD_OK);
    int64_t c;
    CHECK_EQ_INT(GD_STORE(st, counter_get, s, "k", &c, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, generation, &g2), GD_OK);
    /* that a read leaves it alone is checked by test_store_generation.c, in a way other tests'
     * commits on the same PostgreSQL cluster (it is cluster-wide there) cannot fail */
    CHECK_EQ_INT(GD_STORE(other, counter_add, s, "k", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, generation, &g3), GD_OK);
    CHECK(g3 != g2); /* another connection's commit moves it */
    CHECK_EQ_INT(GD_STORE(st, begin, s, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, counter_add, s, "k", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, generation, &g1), GD_OK);
    CHECK(g1 != g3); /* and so does this handle's own transaction */
    gd_store_close(other);
}

/* /metrics reads the operator's gauges: export jobs by state and the oldest queued one's age (a
 * claimed job no longer waits); timers due but not fired and the oldest due time. */
static void ops_gauges(void)
{
    int64_t s1 = shop("导出店"), u = user(s1, "exporter", GD_ROLE_SHOP_LEAD);
    struct gd_export_job j1 = {.id = gd_id_new(),
                               .shop_id = s1,
                               .user_id = u,
                               .params = "{}",
                               .format = "csv",
                               .state = "queued",
                               .created_at = 5000};
    struct gd_export_job j2 = j1, claimed;
    struct gd_ops_gauges g;

    CHECK_EQ_INT(GD_STORE(st, ops_gauges, 10000, &g, NULL), GD_OK);
    CHECK_EQ_INT(g.exports[0], 0);
    CHECK_EQ_INT(g.oldest_queued_export_at, 0);
    j2.id = gd_id_new();
    j2.created_at = 7000;
    CHECK_EQ_INT(GD_STORE(st, export_insert, &j1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_insert, &j2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, ops_gauges, 10000, &g, NULL), GD_OK);
    CHECK_EQ_INT(g.exports[0], 2);
    CHECK_EQ_INT(g.oldest_queued_export_at, 5000);
    CHECK_EQ_INT(GD_STORE(st, export_claim, 0, 60000, &a, &claimed, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, ops_gauges, 10000, &g, NULL), GD_OK);
    CHECK_EQ_INT(g.exports[0], 1);
    CHECK_EQ_INT(g.exports[1], 1);
    CHECK_EQ_INT(g.oldest_queued_export_at, 7000);

    /* timers: due ones not fired yet are counted with the oldest due time; future ones are not */
    int64_t before = g.deadlines_due;
    struct gd_deadline d1 = {.id = gd_id_new(),
                             .shop_id = s1,
                             .workorder_id = gd_id_new(),
                             .kind = "gauge",
                             .due_at = 3000,
                             .version = 1};
    struct gd_deadline d2 = d1;
    d2.id = gd_id_new();
    d2.due_at = 20000;
    CHECK_EQ_INT(GD_STORE(st, deadline_insert, &d1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_insert, &d2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, ops_gauges, 10000, &g, NULL), GD_OK);
    CHECK_EQ_INT(g.deadlines_due, before + 1);
    CHECK(g.oldest_due_at > 0 && g.oldest_due_at <= 3000);
    CHECK_EQ_INT(GD_STORE(st, deadline_cancel, s1, d1.workorder_id, NULL, NULL), GD_OK); /* none */
}

/* Every new filter combination is new SQL: the handle keeps a bounded number of prepared
 * statements however many it has run (the cache finalises the least recently used). */
static void statement_cache(void)
{
    int64_t s1 = shop("sc-shop");
    int64_t u = user(s1, "sc-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "statement cache", 0);
    struct gd_workorder *rows;
    int n, before = 0, after = 0;

    CHECK_EQ_INT(GD_STORE(st, statements_prepared, &before), GD_OK);
    for (int i = 0; i < 2048; i++) {
        /* 2048 distinct texts: which filters are set changes the SQL, not just its values */
        struct gd_wo_filter f = {
            .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = (i >> 8) & 3, .limit = 5};
        f.handler_id = i & 1 ? u : 0;
        f.creator_id = i & 2 ? u : 0;
        f.created_from = i & 4 ? 1 : 0;
        f.created_to = i & 8 ? INT64_MAX : 0;
        f.deadline_from = i & 16 ? 1 : 0;
        f.deadline_to = i & 32 ? INT64_MAX : 0;
        f.order_no = i & 64 ? "o" : NULL;
        f.buyer = i & 128 ? "b" : NULL;
        f.has_cursor = (i >> 10) & 1;
        CHECK_EQ_INT(GD_STORE(st, workorders_list, s1, &f, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(GD_STORE(st, workorder_get, s1, w.id, &a, &w, NULL), GD_OK);
    }
    CHECK_EQ_INT(GD_STORE(st, statements_prepared, &after), GD_OK);
    if (after > 300) {
        fprintf(stderr, "prepared statements: %d before, %d after\n", before, after);
    }
    CHECK(after <= 300);
    CHECK(after > 0);
}

/* Retention of timers: cancelled ones due before the cut go, a batch at a time (a fired one
 * left no row to remove); pending ones stay whatever their age. */
static void timers_retention(void)
{
    int64_t s = shop("tr-shop");
    int64_t u = user(s, "tr-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s, u, u, "t", 0), w2 = wo_new(s, u, u, "t2", 0);
    const int64_t T = 1000000000000LL;
    struct gd_deadline fired = {.id = gd_id_new(),
                                .shop_id = s,
                                .workorder_id = w.id,
                                .kind = "overdue",
                                .due_at = T,
                                .version = 1};
    struct gd_deadline cancelled = fired, pending = fired, recent = fired;
    cancelled.id = gd_id_new();
    cancelled.kind = "remind";
    pending.id = gd_id_new();
    pending.workorder_id = w2.id;
    recent.id = gd_id_new();
    recent.kind = "judge_due";
    recent.due_at = 3 * T;
    CHECK_EQ_INT(GD_STORE(st, deadline_insert, &fired, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_insert, &cancelled, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_insert, &pending, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_insert, &recent, NULL), GD_OK);
    int64_t rows = timer_rows();
    CHECK_EQ_INT(ct_deadline_take(s, fired), GD_OK);
    CHECK_EQ_INT(timer_rows(), rows - 1); /* fired: gone at once */
    CHECK_EQ_INT(GD_STORE(st, deadline_cancel, s, w.id, "judge_due", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_cancel, s, w.id, "remind", NULL), GD_OK);
    int removed = 0, total = 0;
    do {
        CHECK_EQ_INT(GD_STORE(st, timers_expire, 2 * T, 1, &removed, NULL), GD_OK);
        CHECK(removed <= 1);
        total += removed;
    } while (removed == 1 && total < 100);
    CHECK(total >= 1); /* the cancelled one, and the cancelled timers of the cases before */
    CHECK_EQ_INT(timer_rows(), rows - 1 - total);
    struct gd_deadline *due;
    int n;
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadlines_take, 2 * T, 10, &a, &due, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n ? due[0].id : 0, pending.id);
    GD_STORE0(st, rollback);
    /* the recent one goes once the cut passes it */
    CHECK_EQ_INT(GD_STORE(st, timers_expire, 4 * T, 10, &removed, NULL), GD_OK);
    CHECK_EQ_INT(removed, 1);
}

/* Rollups change by deltas the store applies to the row it reads and writes itself: counts
 * and one duration per histogram added and taken back; a row whose counts reach zero goes. */
static void rollup_deltas(void)
{
    int64_t s1 = shop("rd-shop");
    struct gd_stats_key k = {.day = 20000, .type = GD_TYPE_AFTER_SALES, .handler_id = 7};
    struct gd_stats_counts one = {.created = 1, .open = 1};
    struct gd_stats_row row;
    struct gd_stats_row *rows;
    int n;
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_add, s1, &k, &one, 3, -1, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_add, s1, &k, &one, 5, 4, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_get, s1, &k, &a, &row, NULL), GD_OK);
    CHECK_EQ_INT(row.n.created, 2);
    CHECK_EQ_INT(row.n.open, 2);
    CHECK_EQ_INT(row.fa_len, 12);  /* buckets 3 and 5, one each (6 bytes a bucket) */
    CHECK_EQ_INT(row.done_len, 6); /* bucket 4 */
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_add, s1, &k, &one, 5, 4, -1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_get, s1, &k, &a, &row, NULL), GD_OK);
    CHECK_EQ_INT(row.n.created, 1);
    CHECK_EQ_INT(row.fa_len, 6);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_add, s1, &k, &one, 3, -1, -1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_list, s1, 19999, 20001, -1, -1, &a, &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 0);
}

/* The shop is the tenant boundary of the operations that name a row by its own id. */
static void tenancy(void)
{
    int64_t s1 = shop("tn-shop"), s2 = shop("tn-other");
    int64_t u = user(s1, "tn-u", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "租户", 0);
    struct gd_stats_contrib c = {.key = {.day = 1, .type = GD_TYPE_AFTER_SALES},
                                 .n = {.created = 1},
                                 .fa_bucket = -1,
                                 .done_bucket = -1};
    struct gd_stats_contrib got;
    CHECK_EQ_INT(GD_STORE(st, stats_contrib_put, s1, w.id, &c, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_contrib_get, s2, w.id, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, stats_contrib_get, s1, w.id, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.n.created, 1);

    struct gd_attachment at = {.id = gd_id_new(),
                               .shop_id = s1,
                               .sha256 = "ab12",
                               .mime = "image/png",
                               .size = 1,
                               .filename = "a.png",
                               .uploader_id = u,
                               .party = "shop",
                               .created_at = 1};
    struct gd_attachment out;
    bool used;
    CHECK_EQ_INT(GD_STORE(st, attachment_insert, &at, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, attachment_get, s2, at.id, &a, &out, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, attachment_get, s1, at.id, &a, &out, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, attachment_get, 0, at.id, &a, &out, NULL), GD_OK); /* any shop */
    /* not an unlinked upload of this uploader: absent for them */
    CHECK_EQ_INT(GD_STORE(st, attachment_link, at.id, u + 1, s1, w.id, "reply", NULL),
                 GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, attachment_delete_unlinked, s2, at.id, "ab12", &used, NULL),
                 GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, attachment_delete_unlinked, s1, at.id, "ab12", &used, NULL), GD_OK);
    CHECK(!used);

    struct gd_export_job j = {.id = gd_id_new(),
                              .shop_id = s1,
                              .user_id = u,
                              .params = "{}",
                              .format = "csv",
                              .state = "queued",
                              .created_at = 1};
    struct gd_export_job jo;
    CHECK_EQ_INT(GD_STORE(st, export_insert, &j, NULL), GD_OK);
    struct gd_export_job theirs = j;
    theirs.shop_id = s2;
    theirs.state = "failed";
    CHECK_EQ_INT(GD_STORE(st, export_update, &theirs, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, j.id, &a, &jo, NULL), GD_OK);
    CHECK_EQ_STR(jo.state, "queued"); /* another shop's update changed nothing */
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    accounts();
    orders();
    orders_many();
    workorders();
    timeline_counters_idem();
    login_attempts();
    deadlines();
    webhooks();
    transactions();
    ops_gauges();
    statement_cache();
    search_append_cost();
    rollup_deltas();
    tenancy();
    timers_retention();
    return contract_finish("store contract");
}
