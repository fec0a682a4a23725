/* Benchmark of statistics and export (issue 4). Generates one shop with N work orders (default
 * 1,000,000) in a temporary SQLite database by direct store inserts in big transactions, with
 * orders, notes and the statistics rollups (rebuilt from the work orders, as `gongdan stats
 * rebuild` does), then measures:
 *   - `gongdan export` to CSV and to XLSX in a child process: rows/s and peak RSS (ru_maxrss);
 *   - `sqlite3 -csv` dumping the same rows (the same join) from the same database: the CSV
 *     ceiling; libxlsxwriter writing the same cells from memory: the XLSX one (ceilings.c);
 *   - gd_svc_stats for the shop: p50/p99 latency over BENCH_STATS_RUNS calls, for 30 days and
 *     the whole year, beside the bare aggregate SQL over the rollups and the bare read of the
 *     same rows (ceilings.c).
 * Each measurement prints the load average it ran at (the machine may be shared).
 * Usage: bench_reports GONGDAN_BIN [N] [DIR]   (prints figures; keeps DIR when given)
 * With BENCH_STATS_ONLY=1 and a DIR holding the database of an earlier run, only the statistics
 * are measured again, on the same rows (a change to the statistics measured before and after,
 * without generating 1,000,000 work orders and exporting them each time). */
#include <malloc.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/secret.h"
#include "ceilings.h"
#include "service/svc.h"

#define DAY (86400 * 1000LL)
#define HOUR (3600 * 1000LL)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rnd_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

static int die(const char *what, const struct gd_err *err)
{
    fprintf(stderr, "error: %s: %s\n", what, err ? err->msg : "");
    return 1;
}

/* Runs argv with stdout to `out` (NULL = inherit); *secs wall time, *rss_kib peak RSS. */
static int run_child(char *const argv[], const char *out, double *secs, long *rss_kib)
{
    struct rusage ru;
    int status;
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        if (out && !freopen(out, "w", stdout)) {
            _exit(127);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
        return -1;
    }
    *secs = now_s() - t0;
    *rss_kib = ru.ru_maxrss;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int generate(const char *url, long n, int64_t *shop_id, struct gd_err *err)
{
    struct gd_svc svc = {0};
    struct gd_svc_shared sh;
    struct gd_arena a = GD_ARENA_INIT;
    int64_t users[20], lead = 0, count;
    int64_t t_end = gd_clock_now_ms(), t_start = t_end - 365 * DAY;
    double t0 = now_s();
    long norders = n / 5;

    gd_svc_shared_init(&sh);
    svc.shared = &sh;
    if (gd_store_open(url, true, &svc.store, err) ||
        gd_svc_shop_add(&svc, "压测旗舰店", shop_id, err)) {
        return -1;
    }
    for (int i = 0; i < 20; i++) {
        char name[32], disp[32];
        snprintf(name, sizeof(name), "bench_u%d", i);
        snprintf(disp, sizeof(disp), "客服%02d", i);
        /* the first is the lead who exports; passwords hash once each */
        if (gd_svc_user_add(&svc, *shop_id, name, disp, i ? GD_ROLE_SHOP_AGENT : GD_ROLE_SHOP_LEAD,
                            "bench-password", &users[i], err)) {
            return -1;
        }
    }
    lead = users[0];
    /* orders, in big transactions */
    for (long i = 0; i < norders; i++) {
        if (i % 50000 == 0 && GD_STORE(svc.store, begin, *shop_id, err)) {
            return -1;
        }
        char no[32];
        const char *old;
        snprintf(no, sizeof(no), "BN%010ld", i);
        struct gd_order o = {.shop_id = *shop_id,
                             .order_no = no,
                             .buyer_nick = "压测买家",
                             .status = "paid",
                             .paid_amount = 1000 + (int64_t)(rnd() % 100000),
                             .items = "[]",
                             .created_at = t_start + (int64_t)(rnd() % (uint64_t)(365 * DAY)),
                             .updated_at = t_end};
        if (GD_STORE(svc.store, orders_upsert, o.shop_id, &o, 1, &a, &old, err)) {
            return -1;
        }
        if (i % 50000 == 49999 || i == norders - 1) {
            if (GD_STORE(svc.store, commit, err)) {
                return -1;
            }
            gd_arena_release(&a);
        }
    }
    for (long i = 0; i < n; i++) {
        if (i % 50000 == 0 && GD_STORE(svc.store, begin, *shop_id, err)) {
            return -1;
        }
        struct gd_workorder w = {0};
        char no[32], title[64];
        int64_t created = t_start + (int64_t)((double)i / (double)n * (double)(365 * DAY));
        w.id = gd_id_new();
        w.shop_id = *shop_id;
        w.number = i + 1;
        w.type = (int)(rnd() % 7);
        w.priority = (int)(rnd() % 4);
        snprintf(title, sizeof(title), "压测工单 %ld: 退款, \"加急\"", i);
        w.title = title;
        w.content = "买家反映商品破损，申请退款，请核实照片后处理。";
        w.handler_id = users[1 + rnd() % 19];
        w.creator_id = lead;
        if (rnd() % 2) {
            snprintf(no, sizeof(no), "BN%010ld", (long)(rnd() % (uint64_t)norders));
            w.order_no = no;
            w.buyer_nick = "压测买家";
        }
        w.created_at = created;
        w.deadline_at = created + 24 * HOUR;
        uint64_t r = rnd() % 10;
        w.first_action_at = r ? created + (int64_t)(rnd() % (uint64_t)(8 * HOUR)) : 0;
        w.state = r >= 3   ? GD_STATE_DONE
                  : r == 2 ? GD_STATE_CANCELLED
                  : r == 1 ? GD_STATE_IN_PROGRESS
                           : GD_STATE_OPEN;
        if (w.state == GD_STATE_DONE) {
            w.done_at = w.first_action_at + (int64_t)(rnd() % (uint64_t)(40 * HOUR));
        }
        w.overdue = !gd_state_is_finished(w.state) && w.deadline_at < t_end;
        w.transfers = rnd() % 8 == 0;
        w.updated_at = w.done_at ? w.done_at : created;
        w.version = 1;
        w.custom = "{}";
        if (GD_STORE(svc.store, workorder_insert, &w, err)) {
            return -1;
        }
        if (i % 3 == 0) {
            struct gd_event ev = {.id = gd_id_new(),
                                  .shop_id = *shop_id,
                                  .workorder_id = w.id,
                                  .kind = "noted",
                                  .actor_id = w.handler_id,
                                  .at = created + HOUR,
                                  .data = "{\"text\":\"已联系买家，等待回复。\"}"};
            if (GD_STORE(svc.store, event_append, &ev, err)) {
                return -1;
            }
        }
        if (i % 50000 == 49999 || i == n - 1) {
            if (GD_STORE(svc.store, commit, err)) {
                return -1;
            }
            fprintf(stderr, "\rgenerated %ld/%ld work orders", i + 1, n);
        }
    }
    fprintf(stderr, "\n");
    printf("generate: %ld work orders, %ld orders in %.1f s\n", n, norders, now_s() - t0);
    t0 = now_s();
    if (gd_svc_stats_rebuild(&svc, *shop_id, NULL, &count, err)) {
        return -1;
    }
    printf("stats rebuild (rollups from the work orders): %.1f s\n", now_s() - t0);
    gd_arena_release(&a);
    gd_store_close(svc.store);
    return 0;
}

static const char *loadavg(void)
{
    static char buf[64];
    FILE *f = fopen("/proc/loadavg", "r");
    buf[0] = 0;
    if (f) {
        if (fgets(buf, sizeof(buf), f)) {
            buf[strcspn(buf, " ")] = 0; /* the 1-minute average */
        }
        fclose(f);
    }
    return buf;
}

static void bench_stats(const char *db, int64_t shop_id, int days, int group)
{
    char url[620];
    struct gd_svc svc = {0};
    struct gd_svc_shared sh;
    struct gd_err err = {0};
    struct gd_actor admin = {.role = GD_ROLE_PLATFORM_ADMIN, .username = "bench"};
    double t[BENCH_STATS_RUNS];
    int64_t created = 0;

    gd_svc_shared_init(&sh);
    svc.shared = &sh;
    snprintf(url, sizeof(url), "sqlite:%s", db);
    if (gd_store_open(url, false, &svc.store, &err)) {
        die("open", &err);
        return;
    }
    int64_t today = gd_stats_day(gd_clock_now_ms(), 480);
    struct gd_stats_query q = {.shop_id = shop_id,
                               .day_from = today - days + 1,
                               .day_to = today,
                               .group = group,
                               .type = -1,
                               .handler_id = -1};
    for (int i = 0; i < BENCH_STATS_RUNS; i++) {
        struct gd_arena a = GD_ARENA_INIT;
        struct gd_stats_result res;
        double t0 = now_s();
        if (gd_svc_stats(&svc, &admin, &q, &a, &res, &err)) {
            die("stats", &err);
        }
        t[i] = (now_s() - t0) * 1000;
        created = res.totals.n.created;
        gd_arena_release(&a);
    }
    qsort(t, BENCH_STATS_RUNS, sizeof(double), cmp_double);
    printf("stats %3d days by %-7s (%lld work orders): p50 %.2f ms, p99 %.2f ms", days,
           group == GD_STATS_BY_TYPE      ? "type"
           : group == GD_STATS_BY_HANDLER ? "handler"
                                          : "day",
           (long long)created, t[BENCH_STATS_RUNS / 2 - 1], t[BENCH_STATS_RUNS * 99 / 100 - 1]);
    struct bench_stats_ceiling c;
    if (group != GD_STATS_BY_HANDLER &&
        !bench_stats_ceiling(db, shop_id, q.day_from, q.day_to, group == GD_STATS_BY_DAY, &c)) {
        printf("; ceiling (bare SQL over the rollups) p50 %.2f ms, p99 %.2f ms; its rows alone "
               "p50 %.2f ms, p99 %.2f ms",
               c.sum_p50, c.sum_p99, c.rows_p50, c.rows_p99);
    }
    printf(" [load %s]\n", loadavg());
    gd_store_close(svc.store);
}

/* The shop of an earlier run's database (the one shop generate() made). */
static int find_shop(const char *url, int64_t *shop_id, struct gd_err *err)
{
    struct gd_svc svc = {0};
    struct gd_svc_shared sh;
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor admin = {.role = GD_ROLE_PLATFORM_ADMIN, .username = "bench"};
    struct gd_shop *shops;
    int n = 0;

    gd_svc_shared_init(&sh);
    svc.shared = &sh;
    if (gd_store_open(url, false, &svc.store, err)) {
        return -1;
    }
    int ret = gd_svc_shops_list(&svc, &admin, &a, &shops, &n, err);
    *shop_id = 0;
    for (int i = 0; !ret && i < n; i++) {
        if (strcmp(shops[i].name, "压测旗舰店") == 0) {
            *shop_id = shops[i].id;
        }
    }
    gd_arena_release(&a);
    gd_store_close(svc.store);
    return ret || !*shop_id ? -1 : 0;
}

/* The exports against their ceilings: sqlite3 -csv, then gongdan export CSV and XLSX, then
 * libxlsxwriter from memory. */
static int bench_exports(const char *bin, const char *dir, const char *db, const char *url, long n,
                         int64_t shop_id)
{
    char out[600], sql[1500], shop[32];
    double secs, sq_secs;
    long rss, sq_rss;

    snprintf(shop, sizeof(shop), "%lld", (long long)shop_id);
    /* the ceiling: sqlite3 dumping the same rows with the same join */
    snprintf(sql, sizeof(sql),
             "SELECT w.id, w.number, w.type, w.state, w.priority, w.title, w.content, "
             "h.display_name, c.display_name, w.created_at, w.deadline_at, w.overdue, w.done_at, "
             "w.order_no, w.buyer_nick, o.paid_amount, (SELECT e.data FROM events e WHERE "
             "e.workorder_id = w.id AND e.kind = 'noted' ORDER BY e.id DESC LIMIT 1) FROM "
             "workorders w LEFT JOIN users h ON h.id = w.handler_id JOIN users c ON c.id = "
             "w.creator_id LEFT JOIN orders o ON o.shop_id = w.shop_id AND o.order_no = "
             "w.order_no WHERE w.shop_id = %s ORDER BY w.id",
             shop);
    snprintf(out, sizeof(out), "%s/sqlite3.csv", dir);
    char *sq_argv[] = {"sqlite3", "-csv", (char *)db, sql, NULL};
    if (run_child(sq_argv, out, &sq_secs, &sq_rss)) {
        return die("sqlite3 -csv", NULL);
    }
    printf("sqlite3 -csv:   %ld rows in %.2f s = %.0f rows/s, peak RSS %.1f MiB [load %s]\n", n,
           sq_secs, (double)n / sq_secs, (double)sq_rss / 1024, loadavg());
    for (int x = 0; x < 2; x++) {
        const char *fmt = x ? "xlsx" : "csv";
        snprintf(out, sizeof(out), "%s/export.%s", dir, fmt);
        char *ex_argv[] = {(char *)bin,  "export", "--db",     (char *)url, "--shop",
                           "压测旗舰店", "--user", "bench_u0", "--format",  (char *)fmt,
                           "--view",     "shop",   "--out",    out,         NULL};
        if (run_child(ex_argv, NULL, &secs, &rss)) {
            return die("gongdan export", NULL);
        }
        struct stat st;
        stat(out, &st);
        printf("gongdan export %-4s: %ld rows in %.2f s = %.0f rows/s (%.0f%% of sqlite3), peak "
               "RSS %.1f MiB, file %.1f MiB [load %s]\n",
               fmt, n, secs, (double)n / secs, 100.0 * sq_secs / secs, (double)rss / 1024,
               (double)st.st_size / 1048576, loadavg());
    }
    /* the XLSX ceiling: the CSV export's cells from memory (secs: the XLSX export's) */
    char csv[620], ceil_out[620];
    double ceil_secs;
    snprintf(csv, sizeof(csv), "%s/export.csv", dir);
    snprintf(ceil_out, sizeof(ceil_out), "%s/ceiling.xlsx", dir);
    if (!bench_xlsx_ceiling(csv, ceil_out, n, &ceil_secs)) {
        printf("libxlsxwriter from memory (XLSX ceiling): %ld rows in %.2f s = %.0f rows/s; "
               "gongdan export xlsx = %.0f%% of it [load %s]\n",
               n, ceil_secs, (double)n / ceil_secs, 100.0 * ceil_secs / secs, loadavg());
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct gd_err err = {0};
    char dir[512], db[600], url[620];
    long n = argc > 2 ? strtol(argv[2], NULL, 10) : 1000000;
    int64_t shop_id = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: bench_reports GONGDAN_BIN [N] [DIR]\n");
        return 2;
    }
    gd_secret_init();
    if (argc > 3) {
        snprintf(dir, sizeof(dir), "%s", argv[3]);
        mkdir(dir, 0755);
    } else {
        snprintf(dir, sizeof(dir), "/tmp/gd-bench-reports-XXXXXX");
        if (!mkdtemp(dir)) {
            return die("mkdtemp", NULL);
        }
    }
    snprintf(db, sizeof(db), "%s/bench.db", dir);
    snprintf(url, sizeof(url), "sqlite:%s", db);
    const char *stats_only = getenv("BENCH_STATS_ONLY");
    if (argc > 3 && stats_only && strcmp(stats_only, "1") == 0 && access(db, R_OK) == 0) {
        if (find_shop(url, &shop_id, &err)) {
            return die("the shop of the earlier run", &err);
        }
    } else {
        unlink(db);
        if (generate(url, n, &shop_id, &err)) {
            return die("generate", &err);
        }
        /* a forked child's peak RSS counts the parent's pages until it execs: give them back */
        malloc_trim(0);
        if (bench_exports(argv[1], dir, db, url, n, shop_id)) {
            return 1;
        }
    }
    bench_stats(db, shop_id, 30, GD_STATS_BY_TYPE);
    bench_stats(db, shop_id, 30, GD_STATS_BY_HANDLER);
    bench_stats(db, shop_id, 30, GD_STATS_BY_DAY);
    bench_stats(db, shop_id, 365, GD_STATS_BY_TYPE);
    bench_stats(db, shop_id, 365, GD_STATS_BY_DAY);
    printf("database: %s\n", db);
    return 0;
}
