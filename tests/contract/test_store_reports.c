/* Store contract: the statistics rollups (per-work-order contributions, daily rows with their
 * duration histograms, orders per day) and exports (the row pages and the job queue). */
#include "harness.h"

static const struct gd_stats_counts one_open = {.created = 1, .open = 1};
static const struct gd_stats_counts one_done = {.created = 1, .done = 1, .within = 1};

/* A work order's last contribution is kept per work order, replaced whole, and forgotten by a
 * rebuild of its shop (not of another). */
static void contributions(void)
{
    int64_t s1 = shop("贡献一店"), s2 = shop("贡献二店");
    int64_t u = user(s1, "contrib-u", GD_ROLE_SHOP_AGENT);
    int64_t x = user(s2, "contrib-x", GD_ROLE_SHOP_AGENT);
    struct gd_workorder w = wo_new(s1, u, u, "c", 0), wx = wo_new(s2, x, x, "c", 0);
    struct gd_stats_contrib c = {
        .key = {.day = 20000, .type = GD_TYPE_AFTER_SALES, .handler_id = u},
        .n = one_open,
        .fa_bucket = 5,
        .done_bucket = -1};
    struct gd_stats_contrib got;

    CHECK_EQ_INT(ct_stats_contrib_get(s1, w.id, &got), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, stats_contrib_put, s1, w.id, &c, NULL), GD_OK);
    CHECK_EQ_INT(ct_stats_contrib_get(s1, w.id, &got), GD_OK);
    CHECK(gd_stats_contrib_equal(&got, &c));
    c.key.type = GD_TYPE_SHIPPING;
    c.key.handler_id = 0;
    c.n = one_done;
    c.done_bucket = 700;
    CHECK_EQ_INT(GD_STORE(st, stats_contrib_put, s1, w.id, &c, NULL), GD_OK);
    CHECK_EQ_INT(ct_stats_contrib_get(s1, w.id, &got), GD_OK);
    CHECK(gd_stats_contrib_equal(&got, &c));
    CHECK_EQ_INT(got.done_bucket, 700);
    CHECK_EQ_INT(got.key.handler_id, 0);
    if (SHOP_SCOPED) {
        CHECK_EQ_INT(ct_stats_contrib_get(s2, w.id, &got), GD_ENOTFOUND);
    }

    CHECK_EQ_INT(GD_STORE(st, stats_contrib_put, s2, wx.id, &c, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_reset, s1, 480, NULL), GD_OK);
    CHECK_EQ_INT(ct_stats_contrib_get(s1, w.id, &got), GD_ENOTFOUND);
    CHECK_EQ_INT(ct_stats_contrib_get(s2, wx.id, &got), GD_OK);
}

static uint32_t hist_count(const unsigned char *blob, size_t len, int bucket)
{
    static uint32_t dense[GD_STATS_BUCKETS];
    memset(dense, 0, sizeof(dense));
    gd_stats_hist_merge(dense, blob, len);
    return dense[bucket];
}

/* Rollup rows: absent reads as zeros; put writes the row whole and a row of zeros goes away;
 * contributions add and subtract (ct_rollup_add); lists filter by days, shop, type and handler. */
static void rollups(void)
{
    int64_t s1 = shop("汇总一店"), s2 = shop("汇总二店");
    struct gd_stats_key k = {.day = 100, .type = GD_TYPE_AFTER_SALES, .handler_id = 7};
    struct gd_stats_row row, *rows;
    struct gd_strbuf fa = GD_STRBUF_INIT, done = GD_STRBUF_INIT;
    int n;

    CHECK_EQ_INT(GD_STORE(st, stats_rollup_get, s1, &k, &a, &row, NULL), GD_OK);
    CHECK(gd_stats_counts_is_zero(&row.n));
    CHECK_EQ_INT(row.shop_id, s1);
    CHECK_EQ_INT(row.key.day, 100);
    CHECK_EQ_INT(row.key.handler_id, 7);
    CHECK_EQ_INT(row.fa_len, 0);
    CHECK_EQ_INT(row.done_len, 0);

    gd_stats_hist_bump(NULL, 0, 3, 2, &fa);
    gd_stats_hist_bump(NULL, 0, 1000, 1, &done);
    row.n = (struct gd_stats_counts){.created = 3, .done = 1, .open = 2, .disputes = 9};
    row.fa_hist = (const unsigned char *)fa.buf;
    row.fa_len = fa.len;
    row.done_hist = (const unsigned char *)done.buf;
    row.done_len = done.len;
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_put, &row, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_get, s1, &k, &a, &row, NULL), GD_OK);
    CHECK_EQ_INT(row.n.created, 3);
    CHECK_EQ_INT(row.n.done, 1);
    CHECK_EQ_INT(row.n.open, 2);
    CHECK_EQ_INT(row.n.disputes, 9);
    CHECK_EQ_INT(hist_count(row.fa_hist, row.fa_len, 3), 2);
    CHECK_EQ_INT(hist_count(row.done_hist, row.done_len, 1000), 1);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_get, s2, &k, &a, &row, NULL), GD_OK);
    CHECK(gd_stats_counts_is_zero(&row.n)); /* the same key in another shop is another row */

    /* contributions add up, histograms too; taking them back to zero removes the row */
    struct gd_stats_key k2 = {.day = 101, .type = GD_TYPE_SHIPPING, .handler_id = 0};
    CHECK_EQ_INT(ct_rollup_add(s1, &k2, &one_open, 4, -1, 1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s1, &k2, &one_done, 4, 900, 1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_get, s1, &k2, &a, &row, NULL), GD_OK);
    CHECK_EQ_INT(row.n.created, 2);
    CHECK_EQ_INT(row.n.open, 1);
    CHECK_EQ_INT(row.n.done, 1);
    CHECK_EQ_INT(hist_count(row.fa_hist, row.fa_len, 4), 2);
    CHECK_EQ_INT(hist_count(row.done_hist, row.done_len, 900), 1);
    CHECK_EQ_INT(ct_rollup_add(s1, &k2, &one_open, 4, -1, -1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_get, s1, &k2, &a, &row, NULL), GD_OK);
    CHECK_EQ_INT(row.n.open, 0);
    CHECK_EQ_INT(hist_count(row.fa_hist, row.fa_len, 4), 1);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_list, s1, 101, 101, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(ct_rollup_add(s1, &k2, &one_done, 4, 900, -1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_list, s1, 101, 101, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    /* counts alone (a create's contribution) add to a row without touching its histograms, and
     * make the row when there is none */
    struct gd_stats_key k3 = {.day = 105, .type = GD_TYPE_SHIPPING, .handler_id = 7};
    CHECK_EQ_INT(ct_rollup_add(s1, &k3, &one_open, -1, -1, 1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s1, &k3, &one_done, 6, 700, 1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s1, &k3, &one_open, -1, -1, 1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_get, s1, &k3, &a, &row, NULL), GD_OK);
    CHECK_EQ_INT(row.n.created, 3);
    CHECK_EQ_INT(row.n.open, 2);
    CHECK_EQ_INT(row.n.done, 1);
    CHECK_EQ_INT(hist_count(row.fa_hist, row.fa_len, 6), 1);
    CHECK_EQ_INT(hist_count(row.done_hist, row.done_len, 700), 1);
    CHECK_EQ_INT(ct_rollup_add(s1, &k3, &one_open, -1, -1, -1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s1, &k3, &one_open, -1, -1, -1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s1, &k3, &one_done, 6, 700, -1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_list, s1, 105, 105, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    /* rows of days 100..103 in both shops, of two types and two handlers */
    struct gd_stats_key keys[] = {
        {102, GD_TYPE_SHIPPING, 7}, {103, GD_TYPE_AFTER_SALES, 0}, {104, GD_TYPE_AFTER_SALES, 7}};
    for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
        CHECK_EQ_INT(ct_rollup_add(s1, &keys[i], &one_open, -1, -1, 1), GD_OK);
    }
    CHECK_EQ_INT(ct_rollup_add(s2, &keys[0], &one_open, -1, -1, 1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_list, s1, 100, 103, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3); /* days 100, 102, 103 of s1; not 104, not s2's */
    for (int i = 0; i < n; i++) {
        CHECK_EQ_INT(rows[i].shop_id, s1);
        CHECK(rows[i].key.day >= 100 && rows[i].key.day <= 103);
    }
    CHECK_EQ_INT(
        GD_STORE(st, stats_rollup_list, s1, 100, 104, GD_TYPE_AFTER_SALES, -1, &a, &rows, &n, NULL),
        GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(
        GD_STORE(st, stats_rollup_list, s1, 100, 104, GD_TYPE_AFTER_SALES, 0, &a, &rows, &n, NULL),
        GD_OK);
    CHECK_EQ_INT(n, 1); /* handler 0 is "no handler", not "any" */
    CHECK_EQ_INT(n ? rows[0].key.day : 0, 103);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_list, s1, 100, 104, -1, 7, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_list, 0, 102, 102, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2); /* every shop */

    /* a zero row put removes it */
    row = (struct gd_stats_row){.shop_id = s1, .key = k};
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_put, &row, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_list, s1, 100, 100, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    gd_strbuf_release(&fa);
    gd_strbuf_release(&done);
}

/* The summaries follow the daily rows: every add moves the day's row, its month's (a month
 * named by its first day) and its day and type's (every handler summed, handler -1); a refresh
 * recomputes a shop's summaries from its days, and a reset forgets them. Days 11,015 and 11,016 are 2000-02-28 and 29 (a leap February), 11,017
 * is 2000-03-01. */
static void months(void)
{
    int64_t s1 = shop("月汇总一店"), s2 = shop("月汇总二店");
    int64_t feb = 10988, mar = 11017; /* 2000-02-01, 2000-03-01 */
    struct gd_stats_key k28 = {11015, GD_TYPE_SHIPPING, 7}, k29 = {11016, GD_TYPE_SHIPPING, 7};
    struct gd_stats_key k1 = {11017, GD_TYPE_SHIPPING, 7}, other = {11016, GD_TYPE_WAYBILL, 0};
    struct gd_stats_row *rows;
    int n;

    CHECK_EQ_INT(ct_rollup_add(s1, &k28, &one_open, 4, -1, 1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s1, &k29, &one_done, 4, 900, 1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s1, &k1, &one_done, 5, 901, 1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s1, &other, &one_open, -1, -1, 1), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s2, &k29, &one_open, 4, -1, 1), GD_OK);
    CHECK_EQ_INT(
        GD_STORE(st, stats_months_list, s1, feb, feb, GD_TYPE_SHIPPING, -1, &a, &rows, &n, NULL),
        GD_OK);
    CHECK_EQ_INT(n, 1); /* the 28th and the 29th in one row; 1 March in the next month's */
    if (n == 1) {
        CHECK_EQ_INT(rows[0].key.day, feb);
        CHECK_EQ_INT(rows[0].shop_id, s1);
        CHECK_EQ_INT(rows[0].n.created, 2);
        CHECK_EQ_INT(rows[0].n.open, 1);
        CHECK_EQ_INT(rows[0].n.done, 1);
        CHECK_EQ_INT(hist_count(rows[0].fa_hist, rows[0].fa_len, 4), 2);
        CHECK_EQ_INT(hist_count(rows[0].done_hist, rows[0].done_len, 900), 1);
    }
    CHECK_EQ_INT(GD_STORE(st, stats_months_list, s1, feb, mar, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 3); /* February's two (two types), March's one */
    CHECK_EQ_INT(GD_STORE(st, stats_months_list, s1, feb, mar, -1, 0, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    /* by day and type: the 29th's shipping row (handler 7's) and waybill row (no handler's) */
    CHECK_EQ_INT(GD_STORE(st, stats_type_days_list, s1, k29.day, k29.day, -1, &a, &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 2);
    for (int i = 0; i < n; i++) {
        CHECK_EQ_INT(rows[i].key.handler_id, -1);
        CHECK_EQ_INT(rows[i].n.created, 1);
    }
    CHECK_EQ_INT(GD_STORE(st, stats_type_days_list, s1, k28.day, k1.day, GD_TYPE_SHIPPING, &a,
                          &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_INT(GD_STORE(st, stats_type_days_list, 0, k29.day, k29.day, GD_TYPE_SHIPPING, &a,
                          &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 2); /* every shop */
    CHECK_EQ_INT(
        GD_STORE(st, stats_months_list, 0, feb, feb, GD_TYPE_SHIPPING, 7, &a, &rows, &n, NULL),
        GD_OK);
    CHECK_EQ_INT(n, 2); /* every shop */

    /* taking a contribution back moves the month too; at zero its row goes */
    CHECK_EQ_INT(ct_rollup_add(s1, &k1, &one_done, 5, 901, -1), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_months_list, s1, mar, mar, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);

    /* a refresh recomputes the months from the days (rows a rebuild put), of that shop only */
    struct gd_strbuf fa = GD_STRBUF_INIT;
    gd_stats_hist_bump(NULL, 0, 6, 3, &fa);
    struct gd_stats_row day = {.shop_id = s1,
                               .key = k1,
                               .n = {.created = 3, .open = 3},
                               .fa_hist = (const unsigned char *)fa.buf,
                               .fa_len = fa.len};
    CHECK_EQ_INT(GD_STORE(st, stats_rollup_put, &day, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_summaries_refresh, s1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_months_list, s1, mar, mar, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK_EQ_INT(rows[0].n.created, 3);
        CHECK_EQ_INT(hist_count(rows[0].fa_hist, rows[0].fa_len, 6), 3);
        CHECK_EQ_INT(rows[0].done_len, 0);
    }
    CHECK_EQ_INT(
        GD_STORE(st, stats_months_list, s1, feb, feb, GD_TYPE_SHIPPING, -1, &a, &rows, &n, NULL),
        GD_OK);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK_EQ_INT(rows[0].n.created, 2);
        CHECK_EQ_INT(hist_count(rows[0].fa_hist, rows[0].fa_len, 4), 2);
        CHECK_EQ_INT(hist_count(rows[0].done_hist, rows[0].done_len, 900), 1);
    }
    CHECK_EQ_INT(GD_STORE(st, stats_type_days_list, s1, k1.day, k1.day, -1, &a, &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 1); /* the put day's row by type, recomputed */
    CHECK_EQ_INT(n ? rows[0].n.created : 0, 3);
    CHECK_EQ_INT(GD_STORE(st, stats_reset, s1, 480, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_months_list, s1, feb, mar, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, stats_type_days_list, s1, k28.day, k1.day, -1, &a, &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, stats_months_list, s2, feb, feb, -1, -1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    gd_strbuf_release(&fa);
}

/* Orders per day add up per shop and day, by delta. */
static void orders_per_day(void)
{
    int64_t s1 = shop("订单一店"), s2 = shop("订单二店"), sum = 0, before = 0;

    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, 0, 500, 501, &before, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_add, s1, 500, 2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_add, s1, 500, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_add, s1, 501, 4, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_add, s1, 501, -1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_add, s2, 500, 10, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, s1, 500, 500, &sum, NULL), GD_OK);
    CHECK_EQ_INT(sum, 3);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, s1, 500, 501, &sum, NULL), GD_OK);
    CHECK_EQ_INT(sum, 6);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, s1, 502, 600, &sum, NULL), GD_OK);
    CHECK_EQ_INT(sum, 0);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, s2, 500, 501, &sum, NULL), GD_OK);
    CHECK_EQ_INT(sum, 10);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_sum, 0, 500, 501, &sum, NULL), GD_OK);
    CHECK_EQ_INT(sum, before + 16);
}

static struct gd_workorder export_wo(int64_t shop_id, int64_t creator, int64_t handler,
                                     const char *title, const char *order_no)
{
    struct gd_workorder w = wo_new(shop_id, creator, handler, title, 0);
    return order_no ? wo_about(w, order_no, w.type, w.state) : w;
}

static void note(const struct gd_workorder *w, int64_t actor, const char *data)
{
    struct gd_event ev = {.id = gd_id_new(),
                          .shop_id = w->shop_id,
                          .workorder_id = w->id,
                          .kind = "noted",
                          .actor_id = actor,
                          .at = 5,
                          .data = data};
    CHECK_EQ_INT(GD_STORE(st, event_append, &ev, NULL), GD_OK);
}

/* Export pages: the shop's matching work orders with id in (after, max], in id order, with the
 * order's paid amount (an order of the same shop) and the newest note that is not internal. */
static void export_rows(void)
{
    int64_t s1 = shop("导出一店"), s2 = shop("导出二店");
    int64_t lead = user(s1, "ex-lead", GD_ROLE_SHOP_LEAD);
    int64_t ag = user(s1, "ex-agent", GD_ROLE_SHOP_AGENT);
    int64_t x = user(s2, "ex-x", GD_ROLE_SHOP_AGENT);
    struct gd_order o = {.shop_id = s1,
                         .order_no = "TB1",
                         .buyer_nick = "小林",
                         .status = "paid",
                         .paid_amount = 1999,
                         .items = "[]",
                         .created_at = 5,
                         .updated_at = 5};
    struct gd_order o2 = {.shop_id = s2,
                          .order_no = "TB2",
                          .buyer_nick = "别人",
                          .status = "paid",
                          .paid_amount = 5,
                          .items = "[]",
                          .created_at = 5,
                          .updated_at = 5};
    const char *old;

    CHECK_EQ_INT(GD_STORE(st, orders_upsert, o.shop_id, &o, 1, &a, &old, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, o2.shop_id, &o2, 1, &a, &old, NULL), GD_OK);
    struct gd_workorder w1 = export_wo(s1, lead, ag, "一", "TB1");
    struct gd_workorder w2 = export_wo(s1, lead, 0, "二", "TB2"); /* TB2 is s2's order */
    struct gd_workorder w3 = export_wo(s1, ag, ag, "三", NULL);
    struct gd_workorder w4 = export_wo(s1, lead, lead, "四", NULL);
    export_wo(s2, x, x, "别店", "TB2");
    note(&w1, lead, "{\"text\":\"first\"}");
    note(&w1, lead, "{\"text\":\"newest\"}");
    note(&w1, lead, "{\"text\":\"secret\",\"internal\":true}");

    struct gd_wo_filter all = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_CREATED, .limit = 10};
    struct gd_wo_filter by_agent = all;
    by_agent.handler_id = ag;
    int64_t count = 0, max_id = 0;
    CHECK_EQ_INT(GD_STORE(st, export_count, s1, &all, &count, &max_id, NULL), GD_OK);
    CHECK_EQ_INT(count, 4);
    CHECK_EQ_INT(max_id, w4.id); /* the shop's largest, not another shop's newer one */
    CHECK_EQ_INT(GD_STORE(st, export_count, s1, &by_agent, &count, &max_id, NULL), GD_OK);
    CHECK_EQ_INT(count, 2);
    CHECK_EQ_INT(max_id, w4.id);

    /* a work order made after the count is not in the export */
    export_wo(s1, lead, ag, "五", NULL);
    struct gd_export_row *rows;
    int n;
    CHECK_EQ_INT(GD_STORE(st, export_rows, s1, &all, 0, w4.id, 2, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_INT(rows[0].wo.id, w1.id);
        CHECK_EQ_INT(rows[0].wo.number, w1.number);
        CHECK_EQ_STR(rows[0].wo.title, "一");
        CHECK_EQ_STR(rows[0].wo.handler_name, "ex-agent");
        CHECK_EQ_STR(rows[0].wo.creator_name, "ex-lead");
        CHECK_EQ_STR(rows[0].wo.order_no, "TB1");
        CHECK_EQ_STR(rows[0].wo.buyer_nick, "小林");
        CHECK(rows[0].has_paid);
        CHECK_EQ_INT(rows[0].paid_amount, 1999);
        CHECK_EQ_STR(rows[0].latest_note, "{\"text\":\"newest\"}");
        CHECK_EQ_INT(rows[1].wo.id, w2.id);
        CHECK(!rows[1].has_paid); /* another shop's order of the same number */
        CHECK(rows[1].wo.handler_name == NULL);
        CHECK(rows[1].latest_note == NULL);
    }
    CHECK_EQ_INT(GD_STORE(st, export_rows, s1, &all, w2.id, w4.id, 2, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(n == 2 ? rows[0].wo.id : 0, w3.id);
    CHECK_EQ_INT(n == 2 ? rows[1].wo.id : 0, w4.id);
    CHECK_EQ_INT(GD_STORE(st, export_rows, s1, &all, w4.id, w4.id, 2, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, export_rows, s1, &by_agent, 0, w4.id, 10, &a, &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(n == 2 ? rows[0].wo.id : 0, w1.id);
    CHECK_EQ_INT(n == 2 ? rows[1].wo.id : 0, w3.id);
    CHECK_EQ_INT(GD_STORE(st, export_rows, s2, &by_agent, 0, INT64_MAX, 10, &a, &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 0);
}

static struct gd_export_job job(int64_t shop_id, int64_t user_id, int64_t created_at)
{
    struct gd_export_job j = {.id = gd_id_new(),
                              .shop_id = shop_id,
                              .user_id = user_id,
                              .params = "{\"view\":\"shop\"}",
                              .format = "csv",
                              .state = "queued",
                              .rows_total = 4,
                              .file_name = "工单.csv",
                              .created_at = created_at};
    CHECK_EQ_INT(GD_STORE(st, export_insert, &j, NULL), GD_OK);
    return j;
}

/* The job queue: a shop reads its own jobs; the worker claims the oldest queued job once, puts
 * running jobs of a stopped process back, records the outcome; finished files age out. */
static void export_jobs(void)
{
    int64_t s1 = shop("任务一店"), s2 = shop("任务二店");
    int64_t u = user(s1, "job-u", GD_ROLE_SHOP_LEAD);
    struct gd_export_job j1 = job(s1, u, 100), j2 = job(s1, u, 200), got, *rows;
    struct gd_err err = {0};
    int n;

    CHECK_EQ_INT(GD_STORE(st, export_insert, &j1, &err), GD_ECONFLICT);
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, j1.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.shop_id, s1);
    CHECK_EQ_INT(got.user_id, u);
    CHECK_EQ_STR(got.params, "{\"view\":\"shop\"}");
    CHECK_EQ_STR(got.format, "csv");
    CHECK_EQ_STR(got.state, "queued");
    CHECK_EQ_INT(got.rows_done, 0);
    CHECK_EQ_INT(got.rows_total, 4);
    CHECK_EQ_STR(got.file_name, "工单.csv");
    CHECK(got.path == NULL && got.error == NULL);
    CHECK_EQ_INT(got.created_at, 100);
    CHECK_EQ_INT(got.finished_at, 0);
    CHECK_EQ_INT(GD_STORE(st, export_get, s2, j1.id, &a, &got, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, export_get, 0, j1.id, &a, &got, NULL), GD_OK); /* the worker */
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, gd_id_new(), &a, &got, NULL), GD_ENOTFOUND);

    struct gd_export_job c1, c2;
    CHECK_EQ_INT(GD_STORE(st, export_claim, 0, 60000, &a, &c1, NULL), GD_OK);
    CHECK_EQ_INT(c1.id, j1.id);
    CHECK_EQ_STR(c1.state, "running");
    CHECK_EQ_INT(GD_STORE(st, export_claim, 0, 60000, &a, &c2, NULL), GD_OK);
    CHECK_EQ_INT(c2.id, j2.id);
    CHECK_EQ_INT(GD_STORE(st, export_claim, 0, 60000, &a, &got, NULL), GD_ENOTFOUND);

    /* progress of a process that stops is started over (once its leases have run out: a
     * lease renewed for 1 ms) */
    c1.rows_done = 3;
    CHECK_EQ_INT(GD_STORE(st, export_update, &c1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_lease, c1.id, 0, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_lease, c2.id, 0, 1, NULL), GD_OK);
    usleep(50 * 1000);
    CHECK_EQ_INT(GD_STORE(st, exports_requeue, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, j1.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.state, "queued");
    CHECK_EQ_INT(got.rows_done, 0);
    CHECK_EQ_INT(GD_STORE(st, export_claim, 0, 60000, &a, &c1, NULL), GD_OK);
    CHECK_EQ_INT(c1.id, j1.id);
    CHECK_EQ_INT(GD_STORE(st, export_claim, 0, 60000, &a, &c2, NULL), GD_OK);
    CHECK_EQ_INT(c2.id, j2.id);

    c1.state = "done";
    c1.rows_done = 4;
    c1.path = "/data/exports/1.csv";
    c1.finished_at = 1000;
    CHECK_EQ_INT(GD_STORE(st, export_update, &c1, NULL), GD_OK);
    c2.state = "failed";
    c2.error = "disk full";
    c2.finished_at = 900;
    CHECK_EQ_INT(GD_STORE(st, export_update, &c2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, j1.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.state, "done");
    CHECK_EQ_INT(got.rows_done, 4);
    CHECK_EQ_STR(got.path, "/data/exports/1.csv");
    CHECK_EQ_INT(got.finished_at, 1000);
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, j2.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.state, "failed");
    CHECK_EQ_STR(got.error, "disk full");
    CHECK_EQ_INT(GD_STORE(st, exports_requeue, NULL), GD_OK); /* finished jobs stay finished */
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, j1.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.state, "done");

    /* done jobs finished before the cut, oldest first; a failed one has no file */
    struct gd_export_job j3 = job(s1, u, 300);
    CHECK_EQ_INT(GD_STORE(st, export_claim, 0, 60000, &a, &c1, NULL), GD_OK);
    CHECK_EQ_INT(c1.id, j3.id);
    c1.state = "done";
    c1.path = "/data/exports/3.csv";
    c1.finished_at = 800;
    CHECK_EQ_INT(GD_STORE(st, export_update, &c1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, exports_finished, 1001, 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(n == 2 ? rows[0].id : 0, j3.id);
    CHECK_EQ_INT(n == 2 ? rows[1].id : 0, j1.id);
    CHECK_EQ_INT(GD_STORE(st, exports_finished, 1000, 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(GD_STORE(st, exports_finished, 1001, 1, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(n ? rows[0].id : 0, j3.id);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    contributions();
    rollups();
    months();
    orders_per_day();
    export_rows();
    export_jobs();
    return contract_finish("store contract: reports");
}
