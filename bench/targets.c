/* bench_targets: time targets (docs/targets.md) under a burst. N work orders (default 100,000)
 * whose resolution targets all fall due within the same minute, each with its reminder
 * (10 working minutes before) and its escalation (which also moves the work order to the lead's
 * queue), in a temporary SQLite database (or --db URL: an empty PostgreSQL database). The
 * deadline engine fires the reminders (the clock at the end of the reminders' minute), then the
 * escalations (the clock at the end of the targets' minute), one transaction per batch as the
 * scheduler does; the program prints firings per second and the lateness of the firings (from
 * the end of the minute, when every one of them was due, to the commit of its batch), and checks
 * exactly once: a second pass fires nothing, and sampled timelines have one reminder and one
 * escalation each.
 *
 * usage: bench_targets [N] [--db URL] */
#include <unistd.h>
#include "base/clock.h"
#include "base/id.h"
#include "sched/sched.h"

#define CHUNK 20000
#define MIN_MS 60000LL

static int die(const char *what, const struct gd_err *err)
{
    fprintf(stderr, "bench_targets: %s: %s\n", what, err->msg);
    return 1;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* N work orders of the shop, target i due at minute + i * 60 s / n, with its two timers. */
static int fill(struct gd_svc *svc, int64_t shop, int64_t uid, int n, int64_t minute, int64_t *ids,
                struct gd_err *err)
{
    for (int done = 0; done < n;) {
        if (GD_STORE(svc->store, begin, shop, err)) {
            return 1;
        }
        for (int i = 0; i < CHUNK && done < n; i++, done++) {
            int64_t due = minute + (int64_t)done * MIN_MS / n;
            struct gd_workorder wo = {.id = gd_id_new(),
                                      .shop_id = shop,
                                      .number = done + 1,
                                      .type = GD_TYPE_AFTER_SALES,
                                      .state = GD_STATE_IN_PROGRESS,
                                      .priority = GD_PRIO_NORMAL,
                                      .title = "bench",
                                      .content = "",
                                      .handler_id = uid,
                                      .creator_id = uid,
                                      .created_at = minute - 86400000,
                                      .updated_at = minute - 86400000,
                                      .version = 1,
                                      .custom = "{}"};
            struct gd_wo_target t = {.workorder_id = wo.id,
                                     .shop_id = shop,
                                     .start_min = 0,
                                     .end_min = 1440,
                                     .tz_offset_min = 480,
                                     .policy = {GD_TYPE_AFTER_SALES, 0, 480, 10, true},
                                     .fr_outcome = GD_TARGET_CANCELLED,
                                     .res_due = due,
                                     .res_outcome = GD_TARGET_PENDING};
            struct gd_deadline remind = {.id = gd_id_new(),
                                         .shop_id = shop,
                                         .workorder_id = wo.id,
                                         .kind = "res_remind",
                                         .due_at = due - 10 * MIN_MS,
                                         .version = 1};
            struct gd_deadline missed = {.id = gd_id_new(),
                                         .shop_id = shop,
                                         .workorder_id = wo.id,
                                         .kind = "res_missed",
                                         .due_at = due,
                                         .version = 1};
            ids[done] = wo.id;
            if (GD_STORE(svc->store, workorder_insert, &wo, err) ||
                GD_STORE(svc->store, wo_target_put, &t, err) ||
                GD_STORE(svc->store, deadline_insert, &remind, err) ||
                GD_STORE(svc->store, deadline_insert, &missed, err)) {
                GD_STORE0(svc->store, rollback);
                return 1;
            }
        }
        if (GD_STORE(svc->store, commit, err)) {
            return 1;
        }
    }
    return 0;
}

/* Fires everything due at `now` batch by batch, as the scheduler does; prints the rate and the
 * lateness (from `now`, when all were due, to each batch's commit). Returns the number fired. */
static int burst(struct gd_svc *svc, const char *what, int n, int64_t now, struct gd_err *err)
{
    int64_t *late = calloc((size_t)n + GD_SCHED_BATCH, sizeof(*late));
    int total = 0, fired;
    int64_t start = gd_clock_mono_ms();

    gd_clock_freeze(now);
    do {
        if (gd_svc_deadlines_run(svc, now, GD_SCHED_BATCH, &fired, err)) {
            free(late);
            return -1;
        }
        int64_t at = gd_clock_mono_ms() - start;
        for (int i = 0; i < fired && total + i < n + GD_SCHED_BATCH; i++) {
            late[total + i] = at;
        }
        total += fired;
    } while (fired > 0 && total < n + GD_SCHED_BATCH);
    int64_t ms = gd_clock_mono_ms() - start;
    int m = total < n + GD_SCHED_BATCH ? total : n + GD_SCHED_BATCH;
    qsort(late, (size_t)m, sizeof(*late), cmp_i64);
    printf("  %-40s %10d in %.2f s: %.0f /s\n", what, total, (double)ms / 1000.0,
           ms ? total * 1000.0 / (double)ms : 0.0);
    if (m) {
        printf("  %-40s p50 %.3f s, p99 %.3f s, max %.3f s\n", "  lateness after the minute",
               (double)late[m / 2] / 1000.0, (double)late[m * 99 / 100] / 1000.0,
               (double)late[m - 1] / 1000.0);
    }
    free(late);
    return total;
}

int main(int argc, char **argv)
{
    int n = 100000;
    char path[] = "/tmp/gd-bench-targets-XXXXXX";
    char url[600];
    const char *db = NULL;
    struct gd_svc svc = {0};
    struct gd_svc_shared shared;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    int64_t shop = gd_id_new(), uid = gd_id_new();

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else {
            n = (int)strtol(argv[i], NULL, 10);
        }
    }
    if (n <= 0) {
        fprintf(stderr, "usage: bench_targets [N] [--db URL]\n");
        return 2;
    }
    if (db) {
        snprintf(url, sizeof(url), "%s", db);
    } else {
        int fd = mkstemp(path);
        if (fd < 0) {
            perror("mkstemp");
            return 1;
        }
        close(fd);
        snprintf(url, sizeof(url), "sqlite:%s", path);
    }
    gd_svc_shared_init(&shared);
    svc.shared = &shared;
    if (gd_store_open(url, true, &svc.store, &err)) {
        return die("open", &err);
    }
    struct gd_shop s = {.id = shop,
                        .name = "bench",
                        .tz = "Asia/Shanghai",
                        .tz_offset_min = 480,
                        .created_at = gd_clock_now_ms()};
    struct gd_user u = {.id = uid,
                        .shop_id = shop,
                        .username = "bench",
                        .display_name = "bench",
                        .role = GD_ROLE_SHOP_AGENT,
                        .pwhash = "-",
                        .created_at = s.created_at};
    if (GD_STORE(svc.store, shop_insert, &s, &err) || GD_STORE(svc.store, user_insert, &u, &err)) {
        return die("setup", &err);
    }
    int64_t *ids = calloc((size_t)n, sizeof(*ids));
    int64_t minute = (gd_clock_now_ms() / MIN_MS + 60) * MIN_MS; /* an hour ahead, on a minute */
    int64_t t = gd_clock_mono_ms();
    if (fill(&svc, shop, uid, n, minute, ids, &err)) {
        return die("fill", &err);
    }
    printf("time targets, %s, %d resolution targets due within one minute\n",
           db ? "PostgreSQL (fsync and synchronous_commit on)" : "SQLite (synchronous=FULL, WAL)",
           n);
    printf("  %-40s %10.2f s\n", "insert (work orders, targets, 2 timers each)",
           (double)(gd_clock_mono_ms() - t) / 1000.0);

    int reminded = burst(&svc, "reminders fired", n, minute - 10 * MIN_MS + MIN_MS, &err);
    int missed = burst(&svc, "escalations fired (to the lead's queue)", n, minute + MIN_MS, &err);
    if (reminded < 0 || missed < 0) {
        return die("fire", &err);
    }
    int again = 0;
    if (gd_svc_deadlines_run(&svc, minute + MIN_MS, GD_SCHED_BATCH, &again, &err)) {
        return die("again", &err);
    }
    int sample_bad = 0, samples = 0;
    for (int i = 0; i<n; i += n / 200> 0 ? n / 200 : 1, samples++) {
        struct gd_event *evs;
        struct gd_workorder wo;
        int nev, r = 0, m = 0;
        if (GD_STORE(svc.store, events_list, shop, ids[i], &a, &evs, &nev, &err) ||
            GD_STORE(svc.store, workorder_get, shop, ids[i], &a, &wo, &err)) {
            return die("sample", &err);
        }
        for (int k = 0; k < nev; k++) {
            r += strcmp(evs[k].kind, "target_reminded") == 0;
            m += strcmp(evs[k].kind, "target_missed") == 0;
        }
        sample_bad += r != 1 || m != 1 || wo.handler_id != 0;
    }
    printf("  %-40s %10d\n", "fired by a second pass (must be 0)", again);
    printf("  %-40s %6d/%d\n", "sampled: one reminder, one escalation, queue", samples - sample_bad,
           samples);
    bool ok = reminded == n && missed == n && again == 0 && sample_bad == 0;
    printf("  %-40s %10s\n", "exactly once", ok ? "yes" : "NO");
    free(ids);
    gd_arena_release(&a);
    gd_store_close(svc.store);
    if (!db) {
        static const char *const sides[] = {"-wal", "-shm", "-search", "-search-wal",
                                            "-search-shm"};
        char side[300];
        unlink(path);
        for (size_t i = 0; i < sizeof(sides) / sizeof(*sides); i++) {
            snprintf(side, sizeof(side), "%s%s", path, sides[i]);
            unlink(side);
        }
    }
    return ok ? 0 : 1;
}
