/* The unit-of-work runner (service/uow.c). On SQLite, with the runner's test hook answering
 * GD_ERETRY right before a commit: the unit runs again, nothing of the failed attempt is written
 * (one work order number taken, one event, counters moved once), its after-commit callbacks fire
 * exactly once, an Idempotency-Key still answers with the first response, and a unit that keeps
 * failing gives up with GD_ERETRY having written and told nothing. With "pg URL": two shops'
 * writers that deadlock for real on the platform's counters in PostgreSQL; the one PostgreSQL
 * picks is rolled back and run again, and each delta lands exactly once. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/secret.h"
#include "check.h"
#include "scratch_db.h"
#include "service/svc_int.h"

static int changed_calls, timer_calls;
static int64_t changed_id;

static void on_change(void *ctx, const struct gd_workorder *wo)
{
    (void)ctx;
    changed_calls++;
    changed_id = wo->id;
}

static void on_deadline(void *ctx, int64_t due_at)
{
    (void)ctx;
    (void)due_at;
    timer_calls++;
}

static char *render(void *ctx, const void *made)
{
    const struct gd_workorder *wo = made;
    (void)ctx;
    char *s = malloc(64);
    snprintf(s, 64, "{\"id\":\"%lld\",\"version\":%lld}", (long long)wo->id,
             (long long)wo->version);
    return s;
}

static int64_t counter(struct gd_svc *svc, int64_t shop, const char *key)
{
    int64_t n = -1;
    GD_STORE(svc->store, counter_get, shop, key, &n, NULL);
    return n;
}

static void retried_on_sqlite(void)
{
    char path[] = "/tmp/gd-uow-XXXXXX", url[64];
    struct gd_svc_shared shared;
    struct gd_svc svc = {0};
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    int64_t shop_id, uid;

    CHECK(scratch_db_make(path, url, sizeof(url)) == 0);
    gd_svc_shared_init(&shared);
    shared.on_change = on_change;
    shared.on_deadline = on_deadline;
    svc.shared = &shared;
    CHECK_EQ_INT(gd_store_open(url, true, &svc.store, &err), GD_OK);
    CHECK_EQ_INT(gd_svc_shop_add(&svc, "重试店", &shop_id, &err), GD_OK);
    CHECK_EQ_INT(gd_svc_user_add(&svc, shop_id, "uow-lead", "主管", GD_ROLE_SHOP_LEAD, "password-1",
                                 &uid, &err),
                 GD_OK);
    struct gd_actor lead = {.user_id = uid,
                            .shop_id = shop_id,
                            .role = GD_ROLE_SHOP_LEAD,
                            .username = "uow-lead",
                            .display_name = "主管"};
    char created_key[64];
    snprintf(created_key, sizeof(created_key), "created:%lld", (long long)uid);

    /* the first attempt writes everything, then the database asks to run it again */
    struct gd_wo_input in = {.type = GD_TYPE_AFTER_SALES,
                             .title = "退款重试",
                             .priority = -1,
                             .idem_key = "POST /api/v1/workorders k1",
                             .idem_digest = "d1"};
    struct gd_workorder wo;
    const char *replay = NULL;
    gd_svc_uow_inject_retry(1);
    CHECK_EQ_INT(gd_svc_workorder_create(&svc, &lead, &in, render, NULL, &a, &wo, &replay, &err),
                 GD_OK);
    CHECK(replay == NULL);
    CHECK_EQ_INT(wo.number, 1);     /* the failed attempt's number went with its rollback */
    CHECK_EQ_INT(changed_calls, 1); /* told once, after the commit that made it true */
    CHECK_EQ_INT(changed_id, wo.id);
    CHECK_EQ_INT(timer_calls, 1); /* its overdue timer: once */
    CHECK_EQ_INT(counter(&svc, shop_id, created_key), 1);
    struct gd_event *evs;
    int n;
    CHECK_EQ_INT(GD_STORE(svc.store, events_list, shop_id, wo.id, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 1);
    struct gd_wo_filter shop_view = {
        .view = GD_VIEW_SHOP, .type = -1, .state = -1, .sort = GD_SORT_CREATED, .limit = 10};
    struct gd_workorder *rows;
    CHECK_EQ_INT(GD_STORE(svc.store, workorders_list, shop_id, &shop_view, &a, &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 1);

    /* the key answers with the first response, decided in its own unit: nothing new, no call */
    CHECK_EQ_INT(gd_svc_workorder_create(&svc, &lead, &in, render, NULL, &a, &wo, &replay, &err),
                 GD_OK);
    CHECK(replay != NULL && strstr(replay, "\"version\":1") != NULL);
    CHECK_EQ_INT(changed_calls, 1);
    in.idem_digest = "d2";
    CHECK_EQ_INT(gd_svc_workorder_create(&svc, &lead, &in, render, NULL, &a, &wo, &replay, &err),
                 GD_EREUSED);

    /* an action retried: one version step, one event */
    int64_t id = rows[0].id;
    struct gd_act_input note = {
        .action = GD_ACT_NOTE, .if_match = 1, .text = "买家已回电", .priority = -1};
    gd_svc_uow_inject_retry(2);
    CHECK_EQ_INT(gd_svc_workorder_act(&svc, &lead, id, &note, &a, &wo, &err), GD_OK);
    CHECK_EQ_INT(wo.version, 2);
    CHECK_EQ_INT(changed_calls, 2);
    CHECK_EQ_INT(GD_STORE(svc.store, events_list, shop_id, id, &a, &evs, &n, NULL), GD_OK);
    CHECK_EQ_INT(n, 2);

    /* a unit that keeps failing gives up after its attempts: GD_ERETRY, nothing written or told */
    struct gd_wo_input again = {.type = GD_TYPE_AFTER_SALES, .title = "放弃", .priority = -1};
    gd_svc_uow_inject_retry(100);
    CHECK_EQ_INT(gd_svc_workorder_create(&svc, &lead, &again, NULL, NULL, &a, &wo, &replay, &err),
                 GD_ERETRY);
    CHECK(strstr(err.msg, "5 attempts") != NULL); /* the 503 names the limit */
    gd_svc_uow_inject_retry(0);
    CHECK_EQ_INT(changed_calls, 2);
    CHECK_EQ_INT(counter(&svc, shop_id, created_key), 1);
    CHECK_EQ_INT(GD_STORE(svc.store, workorders_list, shop_id, &shop_view, &a, &rows, &n, NULL),
                 GD_OK);
    CHECK_EQ_INT(n, 1);
    struct gd_strbuf m = GD_STRBUF_INIT;
    gd_svc_uow_metrics(&m);
    CHECK(strstr(m.buf, "gongdan_uow_gave_up_total 1\n") != NULL);
    CHECK(strstr(m.buf, "gongdan_uow_retries_total 7\n") != NULL); /* 1 + 2 + 4 */
    gd_strbuf_release(&m);

    gd_store_close(svc.store);
    gd_arena_release(&a);
    scratch_db_remove(path);
}

/* ---- PostgreSQL: a real deadlock between two shops' units ---- */

static const char *pg_url;
static pthread_barrier_t both_hold_one;

struct writer {
    int64_t shop_id;
    const char *first, *second; /* the platform counters it moves, in this order */
    int attempts;
    int ret;
};

static int crossing_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct writer *w = ctx;
    bool first = ++w->attempts == 1;
    int ret = GD_STORE(svc->store, counter_add, 0, w->first, 1, err);
    if (first) {
        /* each holds its first row's lock and now asks for the other's: a cycle */
        pthread_barrier_wait(&both_hold_one);
    }
    return ret ? ret : GD_STORE(svc->store, counter_add, 0, w->second, 1, err);
}

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    struct gd_svc svc = {0};
    struct gd_err err = {0};
    if (gd_store_open(pg_url, false, &svc.store, &err)) {
        w->ret = err.code;
        return NULL;
    }
    w->ret = gd_svc__uow_run(&svc, w->shop_id, crossing_unit, w, &err);
    gd_store_close(svc.store);
    return NULL;
}

static void deadlock_on_pg(void)
{
    struct gd_svc svc = {0};
    struct gd_err err = {0};
    int64_t s1, s2;

    CHECK_EQ_INT(gd_store_open(pg_url, true, &svc.store, &err), GD_OK);
    CHECK_EQ_INT(gd_svc_shop_add(&svc, "甲店", &s1, &err), GD_OK);
    CHECK_EQ_INT(gd_svc_shop_add(&svc, "乙店", &s2, &err), GD_OK);
    /* the rows exist, so each unit's first move locks one */
    GD_STORE(svc.store, counter_add, 0, "pq:x", 1, NULL);
    GD_STORE(svc.store, counter_add, 0, "pq:y", 1, NULL);

    struct gd_strbuf m = GD_STRBUF_INIT;
    pthread_barrier_init(&both_hold_one, NULL, 2);
    struct writer a = {s1, "pq:x", "pq:y", 0, -1}, b = {s2, "pq:y", "pq:x", 0, -1};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, writer_main, &a);
    pthread_create(&tb, NULL, writer_main, &b);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    pthread_barrier_destroy(&both_hold_one);

    /* different shops write side by side, so they met; PostgreSQL broke the cycle, and the
     * unit it rolled back ran again: both committed, each delta exactly once */
    CHECK_EQ_INT(a.ret, GD_OK);
    CHECK_EQ_INT(b.ret, GD_OK);
    CHECK_EQ_INT(counter(&svc, 0, "pq:x"), 3);
    CHECK_EQ_INT(counter(&svc, 0, "pq:y"), 3);
    /* at least the deadlock's retry, and every retry counted; a retry that starts while the
     * survivor still holds its rows may meet it once more (a serialization failure) under load */
    gd_svc_uow_metrics(&m);
    const char *r = strstr(m.buf, "\ngongdan_uow_retries_total "); /* the sample, not its HELP */
    long retries = r ? atol(r + strlen("\ngongdan_uow_retries_total ")) : -1;
    CHECK(retries >= 1);
    CHECK_EQ_INT(a.attempts + b.attempts, 2 + retries);
    gd_strbuf_release(&m);
    gd_store_close(svc.store);
}

int main(int argc, char **argv)
{
    gd_secret_init();
    if (argc > 2 && strcmp(argv[1], "pg") == 0) {
        pg_url = argv[2];
        deadlock_on_pg();
        return check_report("uow-pg");
    }
    retried_on_sqlite();
    return check_report("uow");
}
