/* bench_view_ceiling: the uncached todo view (GET /api/v1/workorders?view=todo&limit=50, the view
 * cache off) taken apart without HTTP (issue 12), each level on THREADS threads (default 2, the
 * machine's cores) for SECONDS, each thread with its own connection as a server thread has:
 *   sqlite   the list statement the store runs (gd_sq__workorders_list_sql), stepped, every
 *            column read in place: SQLite's own part, the ceiling no code of ours can pass;
 *   index    the same WHERE, order and limit reading only the ids from the index: what the 50
 *            rows' look-ups in the table and their columns add to it;
 *   service  the token's look-up and gd_svc_workorders_list: the rows copied into structs;
 *   render   the same, then the answer's JSON written as the route writes it (gd_render_array
 *            of gd_render_workorder_item into one buffer grown once);
 *   keys     the token's look-up and gd_svc_workorders_list_keys: the narrow read of the same
 *            page a view with the row cache (src/http/rowcache.c) starts with, the names from
 *            the per-thread cache valid for the generation the look-up read (namecache.c);
 *   kept     a view after a write of one of its rows, as the route makes it with the row cache:
 *            the keys, 49 rows copied from the cache, the written one read
 *            (gd_svc_workorders_list_rows), rendered and kept, the answer written from them.
 * Per level: views/s and the process's CPU time per view (user + system), which the machine's
 * load moves far less than a rate. The server's own figure comes from bench/views.sh.
 * The SQLite client is used here directly, as a ceiling must: this file is compiled with
 * GD_STORE_BACKEND_SQLITE (bench/CMakeLists.txt).
 *
 * usage: bench_view_ceiling DB TOKEN [SECONDS] [THREADS] */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>
#include "base/clock.h"
#include "http/req.h"
#include "http/rowcache.h"
#include "store/sqlite/sqlite_int.h"

#define MAX_THREADS 16

enum level { SQLITE, INDEX, SERVICE, RENDER, KEYS, KEPT, LEVELS };
static const char *const level_names[LEVELS] = {"sqlite", "index", "service",
                                                "render", "keys",  "kept"};

struct worker {
    const char *path, *url, *token;
    enum level level;
    long views;
    int failed;
};

static atomic_bool stop;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* The todo view's filter as the route and the service make it (gd_http_wo_filter, view_scope). */
static struct gd_wo_filter todo_filter(const struct gd_actor *actor)
{
    return (struct gd_wo_filter){.view = GD_VIEW_TODO,
                                 .type = -1,
                                 .state = -1,
                                 .sort = GD_SORT_DEADLINE,
                                 .limit = 50,
                                 .user_id = actor->user_id};
}

/* The statement alone: SQLITE reads every column of the store's statement, INDEX the ids. */
static void run_sqlite(struct worker *w, const struct gd_actor *actor)
{
    struct gd_wo_filter f = todo_filter(actor);
    struct gd_sq_qb b = GD_SQ_QB_INIT;
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    gd_sq__workorders_list_sql(&b, w->level == INDEX ? "SELECT w.id FROM workorders w" : NULL,
                               actor->shop_id, &f);
    /* $n to ?n, as the store's statement cache does */
    for (char *p = b.sql.buf; (p = strchr(p, '$')) != NULL; p++) {
        *p = '?';
    }
    if (sqlite3_open_v2(w->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) ||
        sqlite3_exec(db, "PRAGMA cache_size=-32000", NULL, NULL, NULL) ||
        sqlite3_prepare_v3(db, b.sql.buf, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL)) {
        fprintf(stderr, "bench_view_ceiling: %s\n", sqlite3_errmsg(db));
        w->failed = 1;
        goto out;
    }
    gd_sq__qb_bind(st, &b);
    while (!atomic_load(&stop)) {
        size_t bytes = 0;
        int rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(st); c++) {
                if (sqlite3_column_type(st, c) == SQLITE_TEXT) {
                    bytes +=
                        (size_t)sqlite3_column_bytes(st, c) + (sqlite3_column_text(st, c)[0] != 0);
                } else {
                    bytes += sqlite3_column_int64(st, c) != 0;
                }
            }
            rows++;
        }
        if (sqlite3_reset(st) != SQLITE_OK || !rows || !bytes) {
            fprintf(stderr, "bench_view_ceiling: no rows (%s)\n", sqlite3_errmsg(db));
            w->failed = 1;
            break;
        }
        w->views++;
    }
out:
    sqlite3_finalize(st);
    sqlite3_close(db);
    gd_sq__qb_release(&b);
}

/* A rendered row of a KEPT view. */
struct piece {
    const char *json;
    size_t len;
};

static void piece_item(struct gd_strbuf *sb, const void *item, void *ctx)
{
    const struct piece *p = item;
    (void)ctx;
    gd_strbuf_add(sb, p->json, p->len);
}

/* KEYS and KEPT: the page's keys and, at KEPT, the page from the row cache with the row
 * w->views picks written (a miss: read, rendered, kept), as wo_list_kept in routes_center.c. */
static int view_kept(struct worker *w, struct gd_svc *svc, const struct gd_actor *actor,
                     const struct gd_svc_gen *gen, struct gd_wo_filter *f, struct gd_arena *a,
                     struct gd_strbuf *out, struct gd_err *err)
{
    struct gd_workorder *keys, row;
    int n = 0;
    if (gd_svc_workorders_list_keys(svc, actor, f, gen, a, &keys, &n, err) || !n) {
        fprintf(stderr, "bench_view_ceiling: %s\n", n ? err->msg : "no rows");
        return w->failed = 1;
    }
    if (w->level == KEYS) {
        return 0;
    }
    struct piece *page = gd_arena_alloc(a, sizeof(*page) * (size_t)n);
    int written = (int)(w->views % n);
    int64_t now = gd_clock_now_ms();
    for (int i = 0; i < n; i++) {
        if (i == written || !gd_rowcache_get(&keys[i], now, a, &page[i].json, &page[i].len)) {
            const struct gd_workorder *key = &keys[i];
            struct gd_strbuf one = GD_STRBUF_INIT;
            if (gd_svc_workorders_list_rows(svc, &key, 1, a, &row, err)) {
                fprintf(stderr, "bench_view_ceiling: %s\n", err->msg);
                return w->failed = 1;
            }
            gd_render_workorder(&one, &row);
            gd_rowcache_put(&row, one.buf, one.len);
            page[i].json = gd_arena_strndup(a, one.buf, one.len);
            page[i].len = one.len;
            gd_strbuf_release(&one);
        }
    }
    gd_strbuf_grow(out, (size_t)n * 900 + 64);
    gd_strbuf_adds(out, "{\"items\":");
    gd_render_array(out, page, n, sizeof(*page), piece_item, NULL);
    gd_strbuf_adds(out, ",\"next_cursor\":null}");
    return 0;
}

/* Through the service (and, at RENDER, the route's rendering), as a server thread runs it. */
static void run_service(struct worker *w)
{
    struct gd_svc svc = {0};
    struct gd_svc_shared shared;
    struct gd_err err = {0};

    gd_svc_shared_init(&shared);
    if (gd_svc_open(&svc, w->url, false, &err)) {
        fprintf(stderr, "bench_view_ceiling: %s\n", err.msg);
        w->failed = 1;
        return;
    }
    svc.shared = &shared;
    while (!atomic_load(&stop)) {
        struct gd_arena a = GD_ARENA_INIT;
        struct gd_strbuf out = GD_STRBUF_INIT;
        struct gd_actor actor;
        struct gd_svc_gen gen = {0}; /* the names' cache is valid for it, as in the server */
        struct gd_workorder *rows;
        int n = 0;
        if (gd_svc_auth_token(&svc, w->token, &a, &actor, &gen, &err)) {
            fprintf(stderr, "bench_view_ceiling: %s\n", err.msg);
            w->failed = 1;
            break;
        }
        struct gd_wo_filter f = todo_filter(&actor);
        if (w->level >= KEYS) {
            if (view_kept(w, &svc, &actor, &gen, &f, &a, &out, &err)) {
                break;
            }
        } else if (gd_svc_workorders_list(&svc, &actor, &f, &a, &rows, &n, &err) || !n) {
            fprintf(stderr, "bench_view_ceiling: %s\n", n ? err.msg : "no rows");
            w->failed = 1;
            break;
        }
        if (w->level == RENDER) {
            gd_strbuf_grow(&out, (size_t)n * 900 + 64);
            gd_strbuf_adds(&out, "{\"items\":");
            gd_render_array(&out, rows, n, sizeof(*rows), gd_render_workorder_item, NULL);
            gd_strbuf_adds(&out, ",\"next_cursor\":null}");
        }
        gd_strbuf_release(&out);
        gd_arena_release(&a);
        w->views++;
    }
    gd_svc_close(&svc);
}

static void *run(void *arg)
{
    struct worker *w = arg;
    if (w->level >= SERVICE) {
        run_service(w);
        return NULL;
    }
    struct gd_svc svc = {0};
    struct gd_svc_shared shared;
    struct gd_err err = {0};
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_actor actor;
    gd_svc_shared_init(&shared);
    if (gd_svc_open(&svc, w->url, false, &err) ||
        gd_svc_auth_token(&svc, w->token, &a, &actor, NULL, &err)) {
        fprintf(stderr, "bench_view_ceiling: %s\n", err.msg);
        w->failed = 1;
    } else {
        run_sqlite(w, &actor);
    }
    gd_arena_release(&a);
    gd_svc_close(&svc);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_view_ceiling DB TOKEN [SECONDS] [THREADS]\n");
        return 2;
    }
    char url[600];
    double secs = argc > 3 ? strtod(argv[3], NULL) : 10;
    int threads = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 2;
    if (threads < 1 || threads > MAX_THREADS || secs <= 0) {
        fprintf(stderr, "bench_view_ceiling: THREADS 1 to %d, SECONDS above 0\n", MAX_THREADS);
        return 2;
    }
    snprintf(url, sizeof(url), "sqlite:%s", argv[1]);
    for (int l = 0; l < LEVELS; l++) {
        struct worker w[MAX_THREADS];
        pthread_t t[MAX_THREADS];
        long views = 0;
        int failed = 0;
        atomic_store(&stop, false);
        double t0 = now_s(), c0 = cpu_s();
        for (int i = 0; i < threads; i++) {
            w[i] = (struct worker){argv[1], url, argv[2], (enum level)l, 0, 0};
            pthread_create(&t[i], NULL, run, &w[i]);
        }
        struct timespec nap = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};
        nanosleep(&nap, NULL);
        atomic_store(&stop, true);
        for (int i = 0; i < threads; i++) {
            pthread_join(t[i], NULL);
            views += w[i].views;
            failed |= w[i].failed;
        }
        double wall = now_s() - t0, cpu = cpu_s() - c0;
        if (failed || !views) {
            return 1;
        }
        printf("%-8s %d threads: %.0f views/s, CPU %.1f us per view\n", level_names[l], threads,
               (double)views / wall, cpu * 1e6 / (double)views);
    }
    return 0;
}
