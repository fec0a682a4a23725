/* bench_deadlines: the deadline engine under a burst. N timers (default 1,000,000) due at the
 * same instant in a temporary SQLite database, each on its own work order so the firing
 * re-checks a real row; the engine fires them in batches (one transaction per batch), and the
 * program reports the time until all fired, firings per second, exactly-once (counters and a
 * sample of timelines), the lateness of a timer due under that load, and the lateness of a
 * single timer with nothing else queued, fired by the real scheduler thread.
 *
 * usage: bench_deadlines [N] [--kind overdue|reply_due] [--db URL] [--fill-only] [--ceiling]
 *                       [--fire DUE]
 *   reply_due: collaborative work orders, the seller timeout path (state change,
 *   auto-assignment, next timer).
 *   --db: an empty PostgreSQL database instead of a temporary SQLite file.
 *   --fill-only: insert, print "due T shop S", stop (the PostgreSQL ceiling's database).
 *   --fire DUE: no insert; fire what is due at DUE in the database of --db, print "fired N",
 *   stop (the PostgreSQL ceiling's capture: bench/run.sh).
 *   --ceiling (SQLite): also the ceiling of the burst, the engine's own statements without the
 *   engine: the burst fired again on a copy of the database with every statement recorded, then
 *   those statements (the same SQL text, values, batches and transactions, synchronous=FULL)
 *   run from a plain loop on a second copy (bench/sqlite_replay.c); prints the engine's
 *   firings/s as a share of the ceiling's. */
#include <unistd.h>
#include "base/clock.h"
#include "base/id.h"
#include "sched/sched.h"
#include "sqlite_replay.h"

#define CHUNK 50000

static double secs(int64_t ms) { return (double)ms / 1000.0; }

static int die(const char *what, const struct gd_err *err)
{
    fprintf(stderr, "bench_deadlines: %s: %s\n", what, err->msg);
    return 1;
}

static void remove_db(const char *path)
{
    static const char *const sides[] = {"-wal", "-shm", "-search", "-search-wal", "-search-shm"};
    char side[300];
    unlink(path);
    for (size_t i = 0; i < sizeof(sides) / sizeof(*sides); i++) {
        snprintf(side, sizeof(side), "%s%s", path, sides[i]);
        unlink(side);
    }
}

/* Inserts n work orders, each with one timer of `kind` due at `due` and the statistics
 * contribution its creation would have left (the shop's zone: 480 minutes east of UTC), so a
 * firing meets a work order as the service leaves it. */
static int64_t number_base;
#define BENCH_TZ_MIN 480

static int fill(struct gd_svc *svc, int64_t shop, int64_t uid, int n, const char *kind, int64_t due,
                int64_t rule_version, int64_t *first_wo, struct gd_err *err)
{
    bool collab = strcmp(kind, "reply_due") == 0;
    for (int done = 0; done < n;) {
        if (GD_STORE(svc->store, begin, shop, err)) {
            return 1;
        }
        for (int i = 0; i < CHUNK && done < n; i++, done++) {
            struct gd_workorder wo = {.id = gd_id_new(),
                                      .shop_id = shop,
                                      .number = number_base + done + 1,
                                      .type = collab ? GD_TYPE_COLLAB : GD_TYPE_AFTER_SALES,
                                      .state = collab ? GD_STATE_AWAITING_SELLER : GD_STATE_OPEN,
                                      .priority = GD_PRIO_NORMAL,
                                      .title = "bench",
                                      .content = "",
                                      .handler_id = uid,
                                      .creator_id = uid,
                                      .deadline_at = due,
                                      .created_at = due - 86400000,
                                      .updated_at = due - 86400000,
                                      .version = 1,
                                      .custom = "{}"};
            struct gd_deadline d = {.id = gd_id_new(),
                                    .shop_id = shop,
                                    .workorder_id = wo.id,
                                    .kind = kind,
                                    .due_at = due,
                                    .version = 1};
            struct gd_collab c = {.workorder_id = wo.id,
                                  .shop_id = shop,
                                  .rule_version = rule_version,
                                  .category = "bench",
                                  .complaint = "bench",
                                  .remedy = "refund",
                                  .reply_due_at = due};
            struct gd_stats_contrib contrib;
            gd_stats_contrib_of(&wo, BENCH_TZ_MIN, NULL, &contrib);
            if (!*first_wo) {
                *first_wo = wo.id;
            }
            if (GD_STORE(svc->store, workorder_insert, &wo, err) ||
                GD_STORE(svc->store, deadline_insert, &d, err) ||
                GD_STORE(svc->store, stats_contrib_put, shop, wo.id, &contrib, err) ||
                (collab && GD_STORE(svc->store, collab_insert, &c, err))) {
                GD_STORE0(svc->store, rollback);
                return 1;
            }
        }
        if (GD_STORE(svc->store, commit, err)) {
            return 1;
        }
    }
    number_base += n;
    return 0;
}

/* The burst's ceiling (--ceiling): `fired_copy` was copied before the burst, `replay_copy` too.
 * The engine fires the burst again on fired_copy with its statements recorded; they run again
 * from a plain loop on replay_copy. Prints the ceiling and the engine's share of it. */
static int ceiling(const char *fired_copy, const char *replay_copy, int64_t due, int n,
                   int64_t engine_ms)
{
    struct gd_svc svc = {0};
    struct gd_svc_shared shared;
    struct gd_err err = {0};
    char url[600];
    int64_t ms = 0;
    long statements = 0;
    int commits = 0;

    gd_svc_shared_init(&shared);
    svc.shared = &shared;
    snprintf(url, sizeof(url), "sqlite:%s", fired_copy);
    gd_bench_trace_record(true); /* from the connections' settings on */
    if (gd_store_open(url, false, &svc.store, &err)) {
        gd_bench_trace_record(false);
        return die("open the copy", &err);
    }
    gd_bench_trace_mark();
    int fired = gd_sched_run_once(&svc, due, GD_SCHED_BATCH, &err);
    gd_bench_trace_record(false);
    gd_store_close(svc.store);
    if (fired != n) {
        return die("fire the copy", &err);
    }
    if (gd_bench_replay(replay_copy, &ms, &statements, &commits)) {
        return 1;
    }
    double rate = ms ? n * 1000.0 / (double)ms : 0.0, engine = n * 1000.0 / (double)engine_ms;
    printf("  %-44s %10.2f s\n", "ceiling: the same statements, plain loop", secs(ms));
    printf("  %-44s %10ld (%.1f per timer, %d transactions)\n", "ceiling: statements run",
           statements, (double)statements / n, commits);
    printf("  %-44s %10.0f /s\n", "ceiling firings", rate);
    printf("  %-44s %9.0f%%\n", "engine as a share of the ceiling", rate ? 100 * engine / rate : 0);
    return 0;
}

int main(int argc, char **argv)
{
    int n = 1000000;
    const char *kind = "overdue";
    char path[] = "/tmp/gd-bench-deadlines-XXXXXX";
    char url[600];
    const char *db = NULL;
    bool fill_only = false, with_ceiling = false;
    int64_t fire_at = 0;
    struct gd_svc svc = {0};
    struct gd_svc_shared shared;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    int64_t shop = gd_id_new(), uid = gd_id_new(), agent = gd_id_new(), first_wo = 0;
    int fd;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--kind") == 0 && i + 1 < argc) {
            kind = argv[++i];
        } else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
            db = argv[++i];
        } else if (strcmp(argv[i], "--fill-only") == 0) {
            fill_only = true;
        } else if (strcmp(argv[i], "--ceiling") == 0) {
            with_ceiling = true;
        } else if (strcmp(argv[i], "--fire") == 0 && i + 1 < argc) {
            fire_at = strtoll(argv[++i], NULL, 10);
        } else {
            n = (int)strtol(argv[i], NULL, 10);
        }
    }
    if (n <= 0 || (strcmp(kind, "overdue") && strcmp(kind, "reply_due")) || (with_ceiling && db) ||
        (fire_at && !db)) {
        fprintf(stderr, "usage: bench_deadlines [N] [--kind overdue|reply_due] [--db URL] "
                        "[--fill-only] [--ceiling (SQLite only)] [--fire DUE (with --db)]\n");
        return 2;
    }
    if (with_ceiling && gd_bench_trace_install()) {
        fprintf(stderr, "bench_deadlines: cannot install the statement trace\n");
        return 1;
    }
    if (db) {
        snprintf(url, sizeof(url), "%s", db);
    } else {
        fd = mkstemp(path);
        if (fd < 0) {
            perror("mkstemp");
            return 1;
        }
        close(fd);
        snprintf(url, sizeof(url), "sqlite:%s", path);
    }
    gd_svc_shared_init(&shared);
    svc.shared = &shared;
    if (gd_store_open(url, !fire_at, &svc.store, &err)) {
        return die("open", &err);
    }
    if (fire_at) {
        gd_clock_freeze(fire_at);
        int fired = gd_sched_run_once(&svc, fire_at, GD_SCHED_BATCH, &err);
        gd_store_close(svc.store);
        if (fired < 0) {
            return die("fire", &err);
        }
        printf("fired %d\n", fired);
        return 0;
    }
    struct gd_shop s = {.id = shop,
                        .name = "bench",
                        .tz = "Asia/Shanghai",
                        .tz_offset_min = BENCH_TZ_MIN,
                        .created_at = gd_clock_now_ms()};
    struct gd_user u = {.id = uid,
                        .shop_id = shop,
                        .username = "bench",
                        .display_name = "bench",
                        .role = GD_ROLE_SHOP_AGENT,
                        .pwhash = "-",
                        .created_at = s.created_at};
    struct gd_user p = {.id = agent,
                        .shop_id = 0,
                        .username = "agent",
                        .display_name = "agent",
                        .role = GD_ROLE_PLATFORM_AGENT,
                        .pwhash = "-",
                        .created_at = s.created_at};
    const struct gd_collab_rules *rules;
    if (GD_STORE(svc.store, shop_insert, &s, &err) || GD_STORE(svc.store, user_insert, &u, &err) ||
        GD_STORE(svc.store, user_insert, &p, &err) || gd_svc_rules_load(&svc, 0, &rules, &err)) {
        return die("setup", &err);
    }

    int64_t due = gd_clock_now_ms() + 3600000;
    int64_t t = gd_clock_mono_ms();
    if (fill(&svc, shop, uid, n, kind, due, rules->version, &first_wo, &err)) {
        return die("fill", &err);
    }
    if (fill_only) {
        printf("due %lld shop %lld\n", (long long)due, (long long)shop);
        gd_store_close(svc.store);
        return 0;
    }
    printf("deadline engine, %s, %d timers of kind %s due at one instant\n",
           db ? "PostgreSQL (fsync and synchronous_commit on)" : "SQLite (synchronous=FULL, WAL)",
           n, kind);
    printf("  %-44s %10.2f s\n", "insert (work orders + timers)", secs(gd_clock_mono_ms() - t));

    /* the ceiling's two copies of the database as the burst finds it */
    char fired_copy[320], replay_copy[320];
    snprintf(fired_copy, sizeof(fired_copy), "%s-fired", path);
    snprintf(replay_copy, sizeof(replay_copy), "%s-replay", path);
    if (with_ceiling &&
        (gd_bench_sqlite_copy(path, fired_copy) || gd_bench_sqlite_copy(path, replay_copy))) {
        return 1;
    }

    /* the burst: the engine as the scheduler thread runs it, with the clock at the due time */
    gd_clock_freeze(due);
    int64_t start = gd_clock_mono_ms();
    int fired = gd_sched_run_once(&svc, due, GD_SCHED_BATCH, &err);
    int64_t total = gd_clock_mono_ms() - start;
    if (fired < 0) {
        return die("run", &err);
    }
    int again = gd_sched_run_once(&svc, due, GD_SCHED_BATCH, &err);
    int64_t pending = 0, counted = 0;
    GD_STORE(svc.store, deadline_next_due, &pending, &err);
    GD_STORE(svc.store, counter_get, strcmp(kind, "overdue") ? 0 : shop,
             strcmp(kind, "overdue") ? "pq:intervention" : "overdue", &counted, &err);
    /* a sample of timelines: exactly one firing event each */
    int sample_bad = 0, samples = 0;
    const char *ev_kind = strcmp(kind, "overdue") ? "seller_timeout" : "overdue";
    for (int64_t id = first_wo; samples < 200; samples++) {
        struct gd_workorder wo = {.id = id + 0, .shop_id = shop};
        struct gd_workorder *rows;
        struct gd_event *evs;
        int nrows, nev, hits = 0;
        struct gd_wo_filter f = {.view = GD_VIEW_SHOP,
                                 .type = -1,
                                 .state = -1,
                                 .sort = GD_SORT_CREATED,
                                 .limit = 1,
                                 .has_cursor = true,
                                 .cursor_key = id,
                                 .cursor_id = id};
        if (GD_STORE(svc.store, workorders_list, shop, &f, &a, &rows, &nrows, &err) || !nrows) {
            break;
        }
        wo = rows[0];
        GD_STORE(svc.store, events_list, shop, wo.id, &a, &evs, &nev, &err);
        for (int i = 0; i < nev; i++) {
            hits += strcmp(evs[i].kind, ev_kind) == 0;
        }
        sample_bad += hits != 1;
        /* jump ahead through the id space */
        id = wo.id + (int64_t)(n / 200) * 4096 + 1;
    }
    printf("  %-44s %10.2f s\n", "all fired (claim + re-check + act + commit)", secs(total));
    printf("  %-44s %10.0f /s\n", "firings", total ? n * 1000.0 / (double)total : 0.0);
    printf("  %-44s %10d\n", "fired in the pass", fired);
    printf("  %-44s %10d\n", "fired by a second pass (must be 0)", again);
    pending = pending && pending <= due ? pending : 0; /* later steps' timers are fine */
    printf("  %-44s %10lld\n", "still due afterwards (must be 0)", (long long)pending);
    printf("  %-44s %10lld\n", "acted on, by counter (must be N)", (long long)counted);
    printf("  %-44s %6d/%d\n", "sampled timelines with exactly one event", samples - sample_bad,
           samples);
    printf("  %-44s %10.3f s\n", "lateness of a timer due in the burst: worst", secs(total));
    printf("  %-44s %10.3f s\n", "                                   : first batch",
           secs(total) * GD_SCHED_BATCH / n);
    if (with_ceiling) {
        int bad = ceiling(fired_copy, replay_copy, due, n, total ? total : 1);
        remove_db(fired_copy);
        remove_db(replay_copy);
        if (bad) {
            return 1;
        }
    }

    /* a single timer, nothing else queued, fired by the scheduler thread at its due time */
    gd_clock_set_offset_ms(0);
    struct gd_sched sched;
    gd_svc_shared_init(&shared);
    if (gd_sched_start(&sched, url, NULL, 0, &shared, &err)) {
        return die("sched", &err);
    }
    double worst = 0, sum = 0;
    const int singles = 5;
    for (int i = 0; i < singles; i++) {
        int64_t at = gd_clock_now_ms() + 300, before = 0, now_n = 0;
        GD_STORE(svc.store, counter_get, shop, "overdue", &before, &err);
        int64_t wo_first = 0;
        if (fill(&svc, shop, uid, 1, "overdue", at, rules->version, &wo_first, &err)) {
            return die("single", &err);
        }
        gd_sched_nudge(&sched); /* as a service does after its commit */
        do {
            usleep(1000);
            GD_STORE(svc.store, counter_get, shop, "overdue", &now_n, &err);
        } while (now_n == before && gd_clock_now_ms() < at + 5000);
        double late = (double)(gd_clock_now_ms() - at) / 1000.0;
        worst = late > worst ? late : worst;
        sum += late;
    }
    gd_sched_stop(&sched);
    printf("  %-44s %10.3f s (mean of %d, worst %.3f s)\n", "lateness of a single timer, idle",
           sum / singles, singles, worst);

    bool ok = fired == n && again == 0 && pending == 0 && counted == n && sample_bad == 0;
    printf("  %-44s %10s\n", "exactly once", ok ? "yes" : "NO");
    gd_arena_release(&a);
    gd_store_close(svc.store);
    if (!db) {
        remove_db(path);
    }
    return ok ? 0 : 1;
}
