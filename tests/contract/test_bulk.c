/* The store contract for the bulk copy of `gongdan migrate` (store.h, "bulk copy"), run against
 * every backend like test_store.c: `contract_test_bulk sqlite` or `contract_test_bulk pg URL`.
 * Every table of the database is covered by the copy (a table or column added by a new
 * migration fails here until gd_bulk_tables, or the backend's list of what it leaves out, says
 * what becomes of it); rows written with bulk_load read back cell for cell; and after
 * bulk_finish the backend's own numbering continues past the copied rows. */
#include <stdlib.h>
#include <unistd.h>
#include "../unit/check.h"
#include "store/store.h"

static struct gd_store *st;
static struct gd_arena a;

static const struct gd_bulk_table *table(const char *name)
{
    for (const struct gd_bulk_table *t = gd_bulk_tables; t->name; t++) {
        if (strcmp(t->name, name) == 0) {
            return t;
        }
    }
    fprintf(stderr, "no bulk table %s\n", name);
    exit(1);
}

static struct gd_bulk_cell I(int64_t v) {
    return (struct gd_bulk_cell){.type = GD_BULK_INT, .i = v};
} static struct gd_bulk_cell S(const char *v) {
    return (struct gd_bulk_cell){.type = GD_BULK_TEXT, .p = v, .len = strlen(v)};
} static struct gd_bulk_cell B(const char *v, size_t len) {
    return (struct gd_bulk_cell){.type = GD_BULK_BLOB, .p = v, .len = len};
} static const struct gd_bulk_cell N = {.type = GD_BULK_NULL};

/* `ncells` is the array's length: a table that gains a column fails here, not past the array */
static void load_cells(const char *name, const struct gd_bulk_cell *cells, size_t ncells, int nrows)
{
    struct gd_err err = {0};
    if (ncells != (size_t)table(name)->ncols * (size_t)nrows) {
        fprintf(stderr, "%s: %zu cells for %d rows of %d columns\n", name, ncells, nrows,
                table(name)->ncols);
        exit(1);
    }
    int ret = GD_STORE(st, bulk_load, table(name), cells, nrows, &err);
    if (ret) {
        fprintf(stderr, "loading %s: %s\n", name, err.msg);
    }
    CHECK_EQ_INT(ret, GD_OK);
}
#define load(name, cells, nrows) load_cells(name, cells, sizeof(cells) / sizeof(cells[0]), nrows)

/* Rows read back by bulk_dump, each cell copied. */
struct dumped {
    int ncols, n;
    struct gd_bulk_cell rows[16][32];
};

static int keep(void *ctx, const struct gd_bulk_cell *cells, struct gd_err *err)
{
    (void)err;
    struct dumped *d = ctx;
    if (d->n < 16) {
        for (int c = 0; c < d->ncols; c++) {
            struct gd_bulk_cell x = cells[c];
            if (x.type == GD_BULK_TEXT || x.type == GD_BULK_BLOB) {
                char *p = gd_arena_alloc(&a, x.len + 1);
                memcpy(p, x.p, x.len);
                p[x.len] = 0;
                x.p = p;
            }
            d->rows[d->n][c] = x;
        }
    }
    d->n++;
    return GD_OK;
}

static struct dumped *dump(const char *name)
{
    struct dumped *d = gd_arena_zalloc(&a, sizeof(*d));
    d->ncols = table(name)->ncols;
    CHECK_EQ_INT(GD_STORE(st, bulk_dump, table(name), keep, d, NULL), GD_OK);
    int64_t n = -1;
    CHECK_EQ_INT(GD_STORE(st, bulk_count, table(name), &n, NULL), GD_OK);
    CHECK_EQ_INT(n, d->n);
    return d;
}

static void every_table_covered(void)
{
    const char *what = "?";
    CHECK_EQ_INT(GD_STORE(st, bulk_uncovered, gd_bulk_tables, &a, &what, NULL), GD_OK);
    if (what) {
        fprintf(stderr, "not covered by gongdan migrate: %s\n", what);
    }
    CHECK(what == NULL);
}

static void load_and_read_back(void)
{
    const int64_t shop = 1001, user = 2001, wo = 3001, ev = 4001, hook = 5001;
    static const char hist[] = {0, 1, (char)0xff};
    struct gd_bulk_cell shops[] = {I(shop), S("bulk-shop"), S("Asia/Shanghai"), I(480), N, I(5),
                                   I(1)};
    struct gd_bulk_cell users[] = {
        I(user), I(shop), S("bulk-lead"), S("主管\t\"一\"\\n"), S("shop_lead"), S("x"), I(5),
        I(1),    I(0)};
    struct gd_bulk_cell wos[] = {I(wo),
                                 I(shop),
                                 I(7),
                                 S("after_sales"),
                                 S("open"),
                                 I(1),
                                 S("normal"),
                                 S("Refund 退款 request"),
                                 S("line1\nline2"),
                                 N,
                                 I(user),
                                 N,
                                 N,
                                 I(9000),
                                 I(9000),
                                 I(0),
                                 I(5),
                                 I(5),
                                 N,
                                 N,
                                 I(0),
                                 I(1),
                                 S("{}"),
                                 S("{\"batch\":\"B-1\"}")};
    struct gd_bulk_cell events[] = {I(ev), I(shop), I(wo), S("created"), I(user), I(5), S("{}")};
    struct gd_bulk_cell search[] = {I(7),      I(wo),  I(1),  S("refund 退款 request"),
                                    I(shop),   I(9),   I(wo), I(0),
                                    S("缺货"), I(shop)};
    struct gd_bulk_cell daily[21] = {I(shop), I(20000), S("after_sales"), I(0)};
    for (int c = 4; c < 19; c++) {
        daily[c] = I(c);
    }
    daily[19] = B(hist, sizeof(hist));
    daily[20] = B("", 0);
    struct gd_bulk_cell timers[] = {I(6001),  I(shop),      I(wo), S("overdue"),
                                    I(12345), S("pending"), I(1)};
    /* a cursor past the shop's rows: SQLite numbers the outbox across every shop */
    struct gd_bulk_cell hooks[] = {I(hook),     I(shop), S("http://127.0.0.1:9/h"),
                                   S("secret"), S(""),   S(""),
                                   I(user),     I(5),    I(50),
                                   I(3),        I(0),    I(0),
                                   I(0),        I(0),    S(""),
                                   I(-1),       I(0),    S("dingtalk")};
    struct gd_bulk_cell outbox[] = {I(shop), I(41), I(ev)};
    /* two notifications, the older one read: the bell counts and lists them as they were */
    struct gd_bulk_cell notes[] = {I(7001), I(user), I(shop), S("assigned"), I(wo), I(7),
                                   S("t"),  I(0),    S(""),   S(""),         I(5),  I(0),
                                   I(7000), I(user), I(shop), S("assigned"), I(wo), I(7),
                                   S("t"),  I(0),    S(""),   S(""),         I(4),  I(6)};

    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, bulk_start, gd_bulk_tables, NULL), GD_OK);
    load("shops", shops, 1);
    load("users", users, 1);
    load("workorders", wos, 1);
    load("events", events, 1);
    load("search", search, 2);
    load("stats_daily", daily, 1);
    load("deadlines", timers, 1);
    load("webhooks", hooks, 1);
    load("outbox", outbox, 1);
    load("notifications", notes, 2);
    CHECK_EQ_INT(GD_STORE(st, bulk_finish, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);

    /* cell for cell: text with tabs, quotes and backslashes, NULLs, blobs (empty too) */
    struct dumped *d = dump("users");
    CHECK_EQ_INT(d->n, 1);
    CHECK_EQ_STR(d->rows[0][3].p, "主管\t\"一\"\\n");
    d = dump("workorders");
    CHECK_EQ_INT(d->rows[0][9].type, GD_BULK_NULL);
    CHECK_EQ_STR(d->rows[0][8].p, "line1\nline2");
    CHECK_EQ_INT(d->rows[0][13].i, 9000);
    CHECK_EQ_STR(d->rows[0][23].p, "{\"batch\":\"B-1\"}");
    d = dump("stats_daily");
    CHECK_EQ_INT(d->rows[0][19].type, GD_BULK_BLOB);
    CHECK_EQ_INT(d->rows[0][19].len, 3);
    CHECK(memcmp(d->rows[0][19].p, hist, 3) == 0);
    CHECK_EQ_INT(d->rows[0][20].type, GD_BULK_BLOB);
    CHECK_EQ_INT(d->rows[0][20].len, 0);
    CHECK_EQ_INT(d->rows[0][18].i, 18);
    /* search pieces keep their numbers, which is the work order's own, and folded text */
    d = dump("search");
    CHECK_EQ_INT(d->n, 2);
    CHECK_EQ_INT(d->rows[0][0].i, 7);
    CHECK_EQ_INT(d->rows[0][2].i, 1);
    CHECK_EQ_STR(d->rows[0][3].p, "refund 退款 request");
    CHECK_EQ_INT(d->rows[0][4].i, shop);
    CHECK_EQ_INT(d->rows[1][0].i, 9);
    CHECK_EQ_INT(d->rows[1][2].i, 0);
    CHECK_EQ_INT(d->rows[1][4].i, shop);
    d = dump("webhooks");
    CHECK_EQ_STR(d->rows[0][17].p, "dingtalk");
    d = dump("counters");
    CHECK_EQ_INT(d->n, 0); /* PostgreSQL's outbox numbering is its own, not a copied counter */

    /* the loaded search rows are searchable: one and two characters, and either piece */
    const char *terms[] = {"退", "退款", "REFUND", "缺货"};
    for (int i = 0; i < 4; i++) {
        struct gd_wo_filter f = {.view = GD_VIEW_SHOP,
                                 .type = -1,
                                 .state = -1,
                                 .sort = GD_SORT_CREATED,
                                 .limit = 10,
                                 .q = terms[i]};
        struct gd_workorder *rows;
        int n = 0;
        CHECK_EQ_INT(GD_STORE(st, workorders_list, shop, &f, &a, &rows, &n, NULL), GD_OK);
        CHECK_EQ_INT(n, 1);
    }
    int64_t due = 0;
    CHECK_EQ_INT(GD_STORE(st, deadline_next_due, &due, NULL), GD_OK);
    CHECK_EQ_INT(due, 12345);
    int64_t unread = -1;
    struct gd_notification *bell;
    int nb = 0;
    CHECK_EQ_INT(GD_STORE(st, notifications_unread, user, &unread, NULL), GD_OK);
    CHECK_EQ_INT(unread, 1);
    CHECK_EQ_INT(GD_STORE(st, notifications_list, user, 0, 10, false, &a, &bell, &nb, NULL), GD_OK);
    CHECK_EQ_INT(nb, 2);
    CHECK(nb == 2 && bell[0].id == 7001 && bell[0].read_at == 0 && bell[1].id == 7000 &&
          bell[1].read_at == 6);

    /* the next outbox row comes after the endpoint's cursor, so it is delivered */
    CHECK_EQ_INT(GD_STORE(st, begin, 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add, shop, ev, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    struct gd_outbox_event *ob;
    int n = 0;
    CHECK_EQ_INT(GD_STORE(st, outbox_list, shop, 50, 10, &a, &ob, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    CHECK(n == 1 && ob[0].seq > 50);
}

/* Between snapshot_begin and snapshot_end, counts and dumps see one moment: a shop that another
 * handle adds meanwhile appears only after snapshot_end. */
static void snapshot_is_one_moment(const char *url)
{
    struct gd_store *other;
    int64_t before = -1, during = -1, after = -1;

    CHECK_EQ_INT(gd_store_open(url, false, &other, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, snapshot_begin, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, bulk_count, table("shops"), &before, NULL), GD_OK);
    struct gd_shop s = {.id = 1002, .name = "added-during-snapshot", .created_at = 1};
    CHECK_EQ_INT(GD_STORE(other, shop_insert, &s, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, bulk_count, table("shops"), &during, NULL), GD_OK);
    GD_STORE0(st, snapshot_end);
    CHECK_EQ_INT(GD_STORE(st, bulk_count, table("shops"), &after, NULL), GD_OK);
    CHECK_EQ_INT(during, before);
    CHECK_EQ_INT(after, before + 1);
    gd_store_close(other);
}

int main(int argc, char **argv)
{
    char path[512];
    struct gd_err err = {0};
    const char *backend = argc > 1 ? argv[1] : "sqlite";
    bool sqlite = strcmp(backend, "sqlite") == 0;

    if (sqlite) {
        snprintf(path, sizeof(path), "sqlite:/tmp/gd-contract-bulk-%d.db", (int)getpid());
    } else if (strcmp(backend, "pg") == 0 && argc > 2) {
        snprintf(path, sizeof(path), "%s", argv[2]);
    } else {
        fprintf(stderr, "usage: %s sqlite | pg POSTGRES_URL\n", argv[0]);
        return 2;
    }
    if (gd_store_open(path, true, &st, &err)) {
        fprintf(stderr, "cannot open: %s\n", err.msg);
        return 1;
    }
    every_table_covered();
    load_and_read_back();
    snapshot_is_one_moment(path);
    gd_store_close(st);
    gd_arena_release(&a);
    if (sqlite) {
        const char *sfx[] = {"", "-wal", "-shm", "-search", "-search-wal", "-search-shm"};
        for (size_t i = 0; i < sizeof(sfx) / sizeof(*sfx); i++) {
            char f[600];
            snprintf(f, sizeof(f), "%s%s", path + 7, sfx[i]);
            unlink(f);
        }
    }
    return check_report(backend);
}
