/* Store contract: transactions (all or nothing, across every kind of row), the generations that
 * readers cache by (the database's, and a shop's), and the handle's life: migrate,
 * relax_durability, close. */
#include <pthread.h>
#include "harness.h"

static int64_t gen(struct gd_store *h)
{
    int64_t g = 0;
    CHECK_EQ_INT(GD_STORE(h, generation, &g), GD_OK);
    return g;
}

/* One write of each kind a unit of work makes, as a shop's new work order with everything
 * around it. */
struct unit {
    int64_t shop, user, wo, attachment, job, rules_before;
};

static void write_unit(struct unit *u, const char *name)
{
    int64_t version = 0;
    struct gd_shop s = {.id = gd_id_new(), .name = name, .created_at = 1};
    struct gd_user usr = {.id = gd_id_new(),
                          .shop_id = s.id,
                          .username = name,
                          .display_name = name,
                          .role = GD_ROLE_SHOP_LEAD,
                          .pwhash = "x"};
    struct gd_order o = {.shop_id = s.id,
                         .order_no = "TX1",
                         .buyer_nick = "b",
                         .status = "paid",
                         .items = "[]",
                         .created_at = 1,
                         .updated_at = 1};
    struct gd_workorder w = {.id = gd_id_new(),
                             .shop_id = s.id,
                             .type = GD_TYPE_COLLAB,
                             .state = GD_STATE_OPEN,
                             .title = "tx",
                             .content = "",
                             .creator_id = usr.id,
                             .handler_id = usr.id,
                             .created_at = 1,
                             .updated_at = 1,
                             .version = 1};
    struct gd_event ev = {.id = gd_id_new(),
                          .shop_id = s.id,
                          .workorder_id = w.id,
                          .kind = "created",
                          .actor_id = usr.id,
                          .at = 1,
                          .data = "{}"};
    struct gd_deadline d = {.id = gd_id_new(),
                            .shop_id = s.id,
                            .workorder_id = w.id,
                            .kind = "overdue",
                            .due_at = 77,
                            .version = 1};
    struct gd_attachment at = {.id = gd_id_new(),
                               .shop_id = s.id,
                               .sha256 = "tx",
                               .mime = "x",
                               .size = 1,
                               .filename = "f",
                               .uploader_id = usr.id,
                               .party = "shop",
                               .created_at = 1};
    struct gd_export_job job = {.id = gd_id_new(),
                                .shop_id = s.id,
                                .user_id = usr.id,
                                .params = "{}",
                                .format = "csv",
                                .state = "queued",
                                .created_at = 1};
    struct gd_webhook hook = {.id = gd_id_new(),
                              .shop_id = s.id,
                              .url = "https://h.example",
                              .secret = "s",
                              .description = "",
                              .created_by = usr.id,
                              .created_at = 1};
    struct gd_stats_contrib c = {.key = {.day = 1, .type = GD_TYPE_COLLAB},
                                 .n = {.created = 1},
                                 .fa_bucket = -1,
                                 .done_bucket = -1};
    const char *old;

    u->shop = s.id;
    u->user = usr.id;
    u->wo = w.id;
    u->attachment = at.id;
    u->job = job.id;
    CHECK_EQ_INT(GD_STORE(st, shop_insert, &s, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, user_insert, &usr, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, session_insert, name, usr.id, "c", 1, INT64_MAX, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, orders_upsert, o.shop_id, &o, 1, &a, &old, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_next_number, s.id, &w.number, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorder_insert, &w, NULL), GD_OK);
    CHECK_EQ_INT(ct_search_set(s.id, w.id, "事务"), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, webhook_insert, &hook, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, event_append, &ev, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add, s.id, ev.id, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, counter_add, s.id, "todo", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, idem_put, usr.id, name, "d", 201, "{}", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, deadline_insert, &d, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, rules_insert, "{}", usr.id, 1, &version, NULL), GD_OK);
    struct gd_collab co = {.workorder_id = w.id,
                           .shop_id = s.id,
                           .rule_version = version,
                           .category = "c",
                           .complaint = "c",
                           .remedy = "r"};
    CHECK_EQ_INT(GD_STORE(st, collab_insert, &co, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, attachment_insert, &at, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_insert, &job, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_orders_add, s.id, 1, 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, stats_contrib_put, s.id, w.id, &c, NULL), GD_OK);
    CHECK_EQ_INT(ct_rollup_add(s.id, &c.key, &c.n, -1, -1, 1), GD_OK);
}

/* How many of the unit's rows handle `h` finds (each one found counts one). */
static int found(struct gd_store *h, const struct unit *u, const char *name)
{
    struct gd_shop s;
    struct gd_user usr;
    struct gd_order o;
    struct gd_workorder w, *rows;
    struct gd_event *evs;
    struct gd_webhook *hooks;
    struct gd_outbox_event *queued;
    struct gd_collab co;
    struct gd_attachment *atts;
    struct gd_export_job job;
    struct gd_stats_row row;
    struct gd_stats_key k = {.day = 1, .type = GD_TYPE_COLLAB};
    const char *csrf, *body, *digest;
    int64_t x = 0, rv, at;
    int status, n, hits = 0;
    struct gd_wo_filter f = {.view = GD_VIEW_SHOP,
                             .type = -1,
                             .state = -1,
                             .sort = GD_SORT_CREATED,
                             .limit = 10,
                             .q = "事务"};

    hits += GD_STORE(h, shop_get, u->shop, &a, &s, NULL) == GD_OK;
    hits += GD_STORE(h, user_get_by_username, name, &a, &usr, NULL) == GD_OK;
    hits += GD_STORE(h, session_get, name, 2, &a, &usr, &csrf, NULL, NULL) == GD_OK;
    hits += GD_STORE(h, order_get, u->shop, "TX1", &a, &o, NULL) == GD_OK;
    hits += GD_STORE(h, workorder_get, u->shop, u->wo, &a, &w, NULL) == GD_OK;
    hits += GD_STORE(h, workorders_list, u->shop, &f, &a, &rows, &n, NULL) == GD_OK && n == 1;
    hits += GD_STORE(h, webhooks_list, u->shop, &a, &hooks, &n, NULL) == GD_OK && n == 1;
    hits += GD_STORE(h, events_list, u->shop, u->wo, &a, &evs, &n, NULL) == GD_OK && n == 1;
    hits += GD_STORE(h, outbox_list, u->shop, 0, 10, &a, &queued, &n, NULL) == GD_OK && n == 1;
    hits += GD_STORE(h, counter_get, u->shop, "todo", &x, NULL) == GD_OK && x == 1;
    hits += GD_STORE(h, idem_get, u->user, name, &a, &status, &body, &digest, NULL) == GD_OK;
    hits += GD_STORE(h, deadline_next_due, &x, NULL) == GD_OK && x == 77;
    hits += GD_STORE(h, rules_get, 0, &a, &rv, &body, &at, NULL) == GD_OK && rv > u->rules_before;
    hits += GD_STORE(h, collab_get, u->shop, u->wo, &a, &co, NULL) == GD_OK;
    hits += GD_STORE(h, attachments_unlinked, INT64_MAX, 10, &a, &atts, &n, NULL) == GD_OK &&
            n == 1 && atts[0].id == u->attachment;
    hits += GD_STORE(h, export_get, u->shop, u->job, &a, &job, NULL) == GD_OK;
    hits += GD_STORE(h, stats_orders_sum, u->shop, 1, 1, &x, NULL) == GD_OK && x == 1;
    hits +=
        GD_STORE(h, stats_rollup_get, u->shop, &k, &a, &row, NULL) == GD_OK && row.n.created == 1;
    return hits;
}
#define UNIT_ROWS 18

/* A rollback leaves nothing of any kind of row; a commit keeps every one, for every handle. */
static void all_or_nothing(void)
{
    struct unit u = {0};
    struct gd_store *other;
    struct gd_err err = {0};
    int64_t at;
    const char *body;

    CHECK_EQ_INT(GD_STORE(st, rules_get, 0, &a, &u.rules_before, &body, &at, NULL),
                 GD_ENOTFOUND); /* the first case: no rules yet */
    CHECK_EQ_INT(gd_store_open(url, false, &other, &err), GD_OK);
    CHECK_EQ_INT(ct_begin(st, 0), GD_OK);
    write_unit(&u, "rolled-back");
    CHECK_EQ_INT(found(st, &u, "rolled-back"), UNIT_ROWS); /* the transaction sees its writes */
    GD_STORE0(st, rollback);
    CHECK_EQ_INT(found(st, &u, "rolled-back"), 0);
    CHECK_EQ_INT(found(other, &u, "rolled-back"), 0);

    CHECK_EQ_INT(ct_begin(st, 0), GD_OK);
    write_unit(&u, "committed");
    CHECK_EQ_INT(found(other, &u, "committed"), 0); /* nothing is seen before the commit */
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK_EQ_INT(found(st, &u, "committed"), UNIT_ROWS);
    CHECK_EQ_INT(found(other, &u, "committed"), UNIT_ROWS);
    /* a unit that fails on a clash and rolls back keeps none of its earlier writes */
    struct gd_shop dup = {.id = gd_id_new(), .name = "committed", .created_at = 1};
    CHECK_EQ_INT(ct_begin(st, 0), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, counter_add, u.shop, "todo", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, shop_insert, &dup, &err), GD_ECONFLICT);
    GD_STORE0(st, rollback);
    CHECK_EQ_INT(found(other, &u, "committed"), UNIT_ROWS); /* the counter is still 1 */
    gd_store_close(other);
}

/* Whether, in one of a few tries, the generation is the same after `op` as before. On
 * PostgreSQL it is cluster-wide: commits of tests running at the same time move it too. */
static bool unmoved_by(void (*op)(void))
{
    for (int i = 0; i < 20; i++) {
        int64_t g = gen(st);
        op();
        if (gen(st) == g) {
            return true;
        }
        usleep(20000);
    }
    return false;
}

static int64_t gen_shop;

static void reads(void)
{
    struct gd_workorder *rows;
    struct gd_wo_filter f = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_CREATED, .limit = 10};
    int64_t c;
    int n;
    CHECK_EQ_INT(GD_STORE(st, counter_get, gen_shop, "k", &c, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, workorders_list, gen_shop, &f, &a, &rows, &n, NULL), GD_OK);
}

static void read_transaction(void)
{
    CHECK_EQ_INT(ct_begin(st, gen_shop), GD_OK);
    reads();
    GD_STORE0(st, rollback);
}

/* The generation moves with every committed write — this handle's, in a transaction or on its
 * own, and any other handle's — and stays put across reads, so a reader may keep what it read
 * until it moves. (A rolled-back write may move it: PostgreSQL spends the aborted transaction's
 * id; that costs a reader one refresh, never a stale answer.) */
static void generation(void)
{
    struct gd_store *other;
    struct gd_err err = {0};
    int64_t g;

    gen_shop = shop("generation");
    CHECK_EQ_INT(gd_store_open(url, false, &other, &err), GD_OK);
    CHECK(unmoved_by(reads));
    CHECK(unmoved_by(read_transaction));

    g = gen(st);
    CHECK_EQ_INT(GD_STORE(st, counter_add, gen_shop, "k", 1, NULL), GD_OK); /* on its own */
    CHECK(gen(st) != g);
    g = gen(st);
    CHECK_EQ_INT(ct_begin(st, gen_shop), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, counter_add, gen_shop, "k", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK(gen(st) != g);
    g = gen(st);
    CHECK_EQ_INT(GD_STORE(other, counter_add, gen_shop, "k", 1, NULL), GD_OK);
    CHECK(gen(st) != g);
    CHECK(gen(other) != g);
    g = gen(st);
    CHECK_EQ_INT(ct_begin(other, gen_shop), GD_OK);
    CHECK_EQ_INT(GD_STORE(other, counter_add, gen_shop, "k", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(other, commit, NULL), GD_OK);
    CHECK(gen(st) != g);
    gd_store_close(other);
}

static int64_t shop_gen(struct gd_store *h, int64_t shop_id)
{
    int64_t g = 0;
    /* GD_ERETRY only while a write is being committed: none is here */
    CHECK_EQ_INT(GD_STORE(h, shop_generation, shop_id, &g), GD_OK);
    return g;
}

static void commit_unit(struct gd_store *h, int64_t shop_id)
{
    CHECK_EQ_INT(ct_begin(h, shop_id), GD_OK);
    CHECK_EQ_INT(GD_STORE(h, counter_add, shop_id, "k", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(h, commit, NULL), GD_OK);
}

/* A shop's generation moves with every committed unit of that shop, every platform-wide one and
 * every write the store cannot tell the shop of (outside a transaction, another process); on
 * SQLite a unit of another shop leaves it alone (PostgreSQL gives every shop the database's). */
static void shop_generation(void)
{
    struct gd_store *other;
    struct gd_err err = {0};
    int64_t sa = shop("generation a"), sb = shop("generation b"), ga, gb, gp;
    bool per_shop = strncmp(url, "sqlite:", 7) == 0;

    CHECK_EQ_INT(gd_store_open(url, false, &other, &err), GD_OK);
    ga = shop_gen(st, sa);
    gb = shop_gen(st, sb);
    gp = shop_gen(st, 0);
    commit_unit(other, sa); /* another handle of this process: through the same writer */
    CHECK(shop_gen(st, sa) != ga);
    CHECK(shop_gen(st, 0) != gp); /* the platform's views span every shop */
    if (per_shop) {
        CHECK_EQ_INT(shop_gen(st, sb), gb);
        CHECK_EQ_INT(shop_gen(other, sb), shop_gen(st, sb)); /* one number per process */
    }
    ga = shop_gen(st, sa);
    commit_unit(st, sa); /* and this handle's own */
    CHECK(shop_gen(st, sa) != ga);
    if (per_shop) {
        CHECK_EQ_INT(shop_gen(st, sb), gb);
    }

    gb = shop_gen(st, sb);
    commit_unit(other, 0); /* platform-wide: may touch any shop */
    CHECK(shop_gen(st, sb) != gb);

    /* outside a transaction, by another handle or this one: no shop is known, every one moves */
    gb = shop_gen(st, sb);
    CHECK_EQ_INT(GD_STORE(other, counter_add, sa, "k", 1, NULL), GD_OK);
    CHECK(shop_gen(st, sb) != gb);
    gb = shop_gen(st, sb);
    CHECK_EQ_INT(GD_STORE(st, counter_add, sa, "k", 1, NULL), GD_OK);
    CHECK(shop_gen(st, sb) != gb);

    /* a rolled-back unit of another shop leaves it alone too */
    gb = shop_gen(st, sb);
    CHECK_EQ_INT(ct_begin(other, sa), GD_OK);
    CHECK_EQ_INT(GD_STORE(other, counter_add, sa, "k", 1, NULL), GD_OK);
    GD_STORE0(other, rollback);
    if (per_shop) {
        CHECK_EQ_INT(shop_gen(st, sb), gb);
        /* and reads move nothing */
        gen_shop = sb;
        reads();
        CHECK_EQ_INT(shop_gen(st, sb), gb);
    }
    gd_store_close(other);
}

#define WRITERS 4
#define UNITS 25

struct writer {
    int64_t shop;
    int undo_every; /* every undo_every-th unit rolls back after writing; 0: none */
    int64_t numbers[UNITS];
    int failures;
};

/* One server thread: its own handle, UNITS units of work that each take the shop's next work
 * order number and add to a counter ("units", or "undone" in a unit it rolls back), run again on
 * GD_ERETRY. */
static void *write_units(void *arg)
{
    struct writer *w = arg;
    struct gd_store *h;
    struct gd_err err = {0};

    if (gd_store_open(url, false, &h, &err)) {
        w->failures = UNITS;
        return NULL;
    }
    for (int i = 0; i < UNITS; i++) {
        bool keep = !w->undo_every || i % w->undo_every != 0;
        int ret;
        do {
            if ((ret = ct_begin(h, w->shop)) ||
                (ret = GD_STORE(h, workorder_next_number, w->shop, &w->numbers[i], NULL)) ||
                (ret = GD_STORE(h, counter_add, w->shop, keep ? "units" : "undone", 1, NULL)) ||
                !keep || (ret = GD_STORE(h, commit, NULL))) {
                GD_STORE0(h, rollback);
            }
        } while (ret == GD_ERETRY);
        w->failures += ret != GD_OK;
    }
    gd_store_close(h);
    return NULL;
}

/* Units of work on several handles at once lose no write and never hand out one number twice. */
static void concurrent_units(void)
{
    struct writer w[WRITERS] = {{0}};
    pthread_t t[WRITERS];
    bool seen[WRITERS * UNITS + 1] = {0};
    int64_t s = shop("concurrent"), c = 0;

    for (int i = 0; i < WRITERS; i++) {
        w[i].shop = s;
        CHECK_EQ_INT(pthread_create(&t[i], NULL, write_units, &w[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(w[i].failures, 0);
        for (int j = 0; j < UNITS; j++) {
            int64_t n = w[i].numbers[j];
            CHECK(n >= 1 && n <= WRITERS * UNITS && !seen[n]);
            if (n >= 1 && n <= WRITERS * UNITS) {
                seen[n] = true;
            }
        }
    }
    CHECK_EQ_INT(GD_STORE(st, counter_get, s, "units", &c, NULL), GD_OK);
    CHECK_EQ_INT(c, WRITERS * UNITS);
}

/* Units rolled back while others write at once (on SQLite: inside the others' group commit)
 * undo their own writes only: every unit that committed is kept, none that rolled back. */
static void concurrent_units_rolled_back(void)
{
    struct writer w[WRITERS] = {{0}};
    pthread_t t[WRITERS];
    int64_t s = shop("rolled back"), kept = 0, undone = 0;
    int committed = 0;

    for (int i = 0; i < UNITS; i++) {
        committed += i % 3 != 0; /* as undo_every = 3 below */
    }
    for (int i = 0; i < WRITERS; i++) {
        w[i].shop = s;
        w[i].undo_every = 3;
        CHECK_EQ_INT(pthread_create(&t[i], NULL, write_units, &w[i]), 0);
    }
    for (int i = 0; i < WRITERS; i++) {
        pthread_join(t[i], NULL);
        CHECK_EQ_INT(w[i].failures, 0);
    }
    CHECK_EQ_INT(GD_STORE(st, counter_get, s, "units", &kept, NULL), GD_OK);
    CHECK_EQ_INT(kept, WRITERS * committed);
    CHECK_EQ_INT(GD_STORE(st, counter_get, s, "undone", &undone, NULL), GD_OK);
    CHECK_EQ_INT(undone, 0);
}

struct outbox_writer {
    int64_t shop, wo;
    int ret;
};

/* Another server thread queues an event of the same shop, on its own (committing at once). */
static void *queue_event(void *arg)
{
    struct outbox_writer *o = arg;
    struct gd_store *h = NULL;
    struct gd_err err = {0};
    struct gd_event ev = {.id = gd_id_new(),
                          .shop_id = o->shop,
                          .workorder_id = o->wo,
                          .kind = "noted",
                          .at = 2,
                          .data = "{\"later\":true}"};

    o->ret = gd_store_open(url, false, &h, &err);
    if (!o->ret && !(o->ret = GD_STORE(h, event_append, &ev, NULL))) {
        o->ret = GD_STORE(h, outbox_add, o->shop, ev.id, NULL);
    }
    if (h) {
        gd_store_close(h);
    }
    return NULL;
}

/* A reader of the outbox never sees a row while one before it (a smaller seq) may still
 * commit: it would move its cursor past that row and never deliver it. A transaction holding
 * the shop's next seq keeps a later writer of the shop waiting until it ends. */
static void outbox_prefix(void)
{
    int64_t s = shop("outbox-prefix"), u = user(s, "op-u", GD_ROLE_SHOP_LEAD);
    struct gd_workorder w = wo_new(s, u, u, "outbox", 0);
    struct gd_webhook hook = {.id = gd_id_new(),
                              .shop_id = s,
                              .url = "https://h.example/p",
                              .secret = "s",
                              .description = "",
                              .created_by = u,
                              .created_at = 1};
    struct gd_event ev = {.id = gd_id_new(),
                          .shop_id = s,
                          .workorder_id = w.id,
                          .kind = "noted",
                          .at = 1,
                          .data = "{\"first\":true}"};
    struct outbox_writer later = {.shop = s, .wo = w.id};
    struct gd_outbox_event *rows;
    struct gd_store *reader;
    struct gd_err err = {0};
    pthread_t t;
    int n;

    CHECK_EQ_INT(GD_STORE(st, webhook_insert, &hook, NULL), GD_OK);
    CHECK_EQ_INT(gd_store_open(url, false, &reader, &err), GD_OK);
    CHECK_EQ_INT(ct_begin(st, s), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, event_append, &ev, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, outbox_add, s, ev.id, NULL), GD_OK);
    CHECK_EQ_INT(pthread_create(&t, NULL, queue_event, &later), 0);
    usleep(300000); /* let the later writer try (if it is slower, the check below holds anyway) */
    CHECK_EQ_INT(GD_STORE(reader, outbox_list, s, 0, 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    pthread_join(t, NULL);
    CHECK_EQ_INT(later.ret, GD_OK);
    CHECK_EQ_INT(GD_STORE(reader, outbox_list, s, 0, 10, &a, &rows, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_STR(n == 2 ? rows[0].ev.data : "", "{\"first\":true}");
    CHECK_EQ_STR(n == 2 ? rows[1].ev.data : "", "{\"later\":true}");
    CHECK(n == 2 && rows[0].seq < rows[1].seq);
    gd_store_close(reader);
}

/* Migrating a database that has every migration changes nothing; a relaxed handle's writes are
 * still written and seen by others; closing a handle keeps what it committed and drops its open
 * transaction. */
static void handle_life(void)
{
    struct gd_store *other;
    struct gd_err err = {0};
    struct gd_shop s;
    int64_t c = 0;
    int64_t id = shop("before-migrate");

    CHECK_EQ_INT(GD_STORE(st, migrate, &err), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, migrate, &err), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, shop_get, id, &a, &s, NULL), GD_OK);

    CHECK_EQ_INT(gd_store_open(url, false, &other, &err), GD_OK);
    GD_STORE0(other, relax_durability);
    CHECK_EQ_INT(GD_STORE(other, counter_add, id, "relaxed", 2, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, counter_get, id, "relaxed", &c, NULL), GD_OK);
    CHECK_EQ_INT(c, 2);
    CHECK_EQ_INT(ct_begin(other, id), GD_OK);
    CHECK_EQ_INT(GD_STORE(other, counter_add, id, "relaxed", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(other, commit, NULL), GD_OK);
    CHECK_EQ_INT(ct_begin(other, id), GD_OK);
    CHECK_EQ_INT(GD_STORE(other, counter_add, id, "relaxed", 10, NULL), GD_OK);
    GD_STORE0(other, rollback);
    CHECK_EQ_INT(GD_STORE(st, counter_get, id, "relaxed", &c, NULL), GD_OK);
    CHECK_EQ_INT(c, 3);

    /* closed with a transaction open: nothing of it is written */
    CHECK_EQ_INT(ct_begin(other, id), GD_OK);
    CHECK_EQ_INT(GD_STORE(other, counter_add, id, "relaxed", 100, NULL), GD_OK);
    GD_STORE0(other, close);
    CHECK_EQ_INT(GD_STORE(st, counter_get, id, "relaxed", &c, NULL), GD_OK);
    CHECK_EQ_INT(c, 3);
    /* and the writer it held is free again */
    CHECK_EQ_INT(ct_begin(st, id), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, counter_add, id, "relaxed", 1, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, commit, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, counter_get, id, "relaxed", &c, NULL), GD_OK);
    CHECK_EQ_INT(c, 4);
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    all_or_nothing();
    generation();
    shop_generation();
    concurrent_units();
    concurrent_units_rolled_back();
    outbox_prefix();
    handle_life();
    return contract_finish("store contract: transactions and generation");
}
