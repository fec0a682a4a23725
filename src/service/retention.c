/* Retention: the janitor pass the scheduler runs (sched.c), removing what nobody can use any
 * more, each kind by its rule:
 *   sessions           at their expiry (a session past it is refused anyway)
 *   idempotency keys   24 h after the request (a retry comes within minutes)
 *   unlinked uploads   24 h after the upload: the row, and the file unless another attachment
 *                      has the same content (files are stored by content)
 *   export files       7 days after the job finished: the file goes, the job stays, marked
 *                      'expired', so a download answers 410 saying why
 *   finished timers    30 days after they were due, once fired or cancelled (every deadline
 *                      change leaves one; pending timers always stay)
 * Rows go in batches of RETENTION_BATCH, one unit of work each, so other writers go between. */
#include <errno.h>
#include <unistd.h>
#include "base/log.h"
#include "service/svc_int.h"

#define RETENTION_BATCH 500

enum { K_SESSIONS, K_IDEM, K_UPLOADS, K_EXPORTS, K_TIMERS, K_COUNT };
static const char *const kind_names[K_COUNT] = {"session", "idempotency_key", "unlinked_upload",
                                                "export_file", "finished_timer"};
static _Atomic long removed_total[K_COUNT];

/* Runs a store op removing up to a batch per unit of work until fewer come back. Each batch
 * spans shops: a platform-wide unit, short (RETENTION_BATCH rows), so shops' writers wait
 * little. */
typedef int (*expire_fn)(struct gd_store *s, int64_t at, int limit, int *removed,
                         struct gd_err *err);

struct expire {
    expire_fn fn;
    int64_t at;
    int n;
};

static int expire_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct expire *x = ctx;
    x->n = 0;
    return x->fn(svc->store, x->at, RETENTION_BATCH, &x->n, err);
}

static int expire_rows(struct gd_svc *svc, expire_fn fn, int64_t at, int kind, int *total,
                       struct gd_err *err)
{
    struct expire x = {fn, at, 0};
    do {
        int ret = gd_svc__uow_run(svc, 0, expire_unit, &x, err);
        if (ret) {
            return ret;
        }
        removed_total[kind] += x.n;
        *total += x.n;
    } while (x.n == RETENTION_BATCH);
    return GD_OK;
}

static void remove_file(const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT) {
        gd_log(GD_LOG_WARN, "retention: cannot remove '%s': %s", path, strerror(errno));
    }
}

/* Stored bytes no row names any more (a failure is logged: the next pass does not see them
 * again, so they stay until removed by hand, which costs space, never data). */
static void remove_blob(struct gd_svc *svc, const char *data_dir, const char *folder,
                        const char *key)
{
    struct gd_err err = {0};
    if (GD_STORE(svc->store, blob_delete, data_dir, folder, key, &err)) {
        gd_log(GD_LOG_WARN, "retention: cannot remove %s/%s: %s", folder, key, err.msg);
    }
}

/* A batch of unlinked uploads: the rows go (unless linked since they were listed: their id is
 * then 0); gone[i] says the content is used by no other attachment. */
struct uploads {
    struct gd_attachment *rows;
    bool *gone;
    int n;
};

static int uploads_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct uploads *x = ctx;
    int ret = GD_OK;
    for (int i = 0; i < x->n && !ret; i++) {
        bool used = true;
        x->gone[i] = false;
        if (!x->rows[i].id) {
            continue;
        }
        ret = GD_STORE(svc->store, attachment_delete_unlinked, x->rows[i].shop_id, x->rows[i].id,
                       x->rows[i].sha256, &used, err);
        if (ret == GD_ENOTFOUND) {
            gd_err_clear(err);
            ret = GD_OK; /* linked since it was listed: it stays */
            x->rows[i].id = 0;
            continue;
        }
        x->gone[i] = !used;
    }
    return ret;
}

static int expire_uploads(struct gd_svc *svc, const char *data_dir, int64_t before, int *total,
                          struct gd_err *err)
{
    int n, ret;
    do {
        struct gd_arena a = GD_ARENA_INIT;
        struct uploads x = {0};
        ret = GD_STORE(svc->store, attachments_unlinked, before, RETENTION_BATCH, &a, &x.rows, &n,
                       err);
        if (ret || n == 0) {
            gd_arena_release(&a);
            return ret;
        }
        x.n = n;
        x.gone = gd_arena_zalloc(&a, sizeof(*x.gone) * (size_t)n);
        if ((ret = gd_svc__uow_run(svc, 0, uploads_unit, &x, err))) {
            gd_arena_release(&a);
            return ret;
        }
        /* bytes only once their rows are gone for good */
        for (int i = 0; i < n; i++) {
            if (x.gone[i] && data_dir) {
                const char *sha = x.rows[i].sha256;
                remove_blob(svc, data_dir, "attachments", sha);
                /* its thumbnail (or the refusal kept instead of one), if it was asked for */
                remove_blob(svc, data_dir, "thumbnails", gd_arena_printf(&a, "%s.webp", sha));
                remove_blob(svc, data_dir, "thumbnails", gd_arena_printf(&a, "%s.refused", sha));
            }
            if (x.rows[i].id) {
                removed_total[K_UPLOADS]++;
                (*total)++;
            }
        }
        gd_arena_release(&a);
    } while (n == RETENTION_BATCH);
    return GD_OK;
}

struct exports {
    const struct gd_export_job *jobs;
    int n;
};

static int exports_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    const struct exports *x = ctx;
    int ret = GD_OK;
    for (int i = 0; i < x->n && !ret; i++) {
        struct gd_export_job j = x->jobs[i];
        j.state = "expired";
        j.path = NULL;
        ret = GD_STORE(svc->store, export_update, &j, err);
    }
    return ret;
}

static int expire_exports(struct gd_svc *svc, const char *data_dir, int64_t before, int *total,
                          struct gd_err *err)
{
    int n, ret;
    do {
        struct gd_arena a = GD_ARENA_INIT;
        struct gd_export_job *jobs;
        ret = GD_STORE(svc->store, exports_finished, before, RETENTION_BATCH, &a, &jobs, &n, err);
        if (ret || n == 0) {
            gd_arena_release(&a);
            return ret;
        }
        struct exports x = {jobs, n};
        if ((ret = gd_svc__uow_run(svc, 0, exports_unit, &x, err))) {
            gd_arena_release(&a);
            return ret;
        }
        for (int i = 0; i < n; i++) {
            const char *slash = jobs[i].path ? strrchr(jobs[i].path, '/') : NULL;
            if (slash) {
                remove_file(jobs[i].path); /* an older version's job: its file's path */
            } else if (jobs[i].path && data_dir) {
                remove_blob(svc, data_dir, "exports", jobs[i].path);
            }
        }
        removed_total[K_EXPORTS] += n;
        *total += n;
        gd_arena_release(&a);
    } while (n == RETENTION_BATCH);
    return GD_OK;
}

int gd_svc_retention_run(struct gd_svc *svc, const char *data_dir, int64_t now, int *removed,
                         struct gd_err *err)
{
    int ret;
    *removed = 0;
    if ((ret = expire_rows(svc, svc->store->ops->sessions_expire, now, K_SESSIONS, removed, err)) ||
        (ret = expire_rows(svc, svc->store->ops->idem_expire, now - GD_RETAIN_IDEM_MS, K_IDEM,
                           removed, err)) ||
        (ret = expire_uploads(svc, data_dir, now - GD_RETAIN_UPLOAD_MS, removed, err)) ||
        (ret = expire_exports(svc, data_dir, now - GD_RETAIN_EXPORT_MS, removed, err)) ||
        (ret = expire_rows(svc, svc->store->ops->timers_expire, now - GD_RETAIN_TIMER_MS, K_TIMERS,
                           removed, err))) {
        return ret;
    }
    return GD_OK;
}

void gd_svc_storage_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_adds(sb, "# HELP gongdan_retention_removed_total Things the janitor pass removed "
                       "by their retention rule.\n"
                       "# TYPE gongdan_retention_removed_total counter\n");
    for (int k = 0; k < K_COUNT; k++) {
        gd_strbuf_addf(sb, "gongdan_retention_removed_total{kind=\"%s\"} %ld\n", kind_names[k],
                       (long)removed_total[k]);
    }
    gd_strbuf_addf(sb,
                   "# HELP gongdan_store_statements_evicted_total Prepared statements the "
                   "bounded statement caches finalised.\n"
                   "# TYPE gongdan_store_statements_evicted_total counter\n"
                   "gongdan_store_statements_evicted_total %ld\n",
                   gd_store_statements_evicted());
    gd_strbuf_addf(sb,
                   "# HELP gongdan_store_connections_lost_total Database connections found "
                   "broken (the database restarted or the network dropped).\n"
                   "# TYPE gongdan_store_connections_lost_total counter\n"
                   "gongdan_store_connections_lost_total %ld\n"
                   "# HELP gongdan_store_reconnects_total Broken database connections opened "
                   "again.\n# TYPE gongdan_store_reconnects_total counter\n"
                   "gongdan_store_reconnects_total %ld\n",
                   gd_store_connections_lost(), gd_store_reconnects());
    int64_t used, peak;
    gd_store_sqlite_memory(&used, &peak);
    gd_strbuf_addf(sb,
                   "# HELP gongdan_sqlite_memory_bytes Memory SQLite holds (page caches of every "
                   "connection, statements), now and at its peak.\n"
                   "# TYPE gongdan_sqlite_memory_bytes gauge\n"
                   "gongdan_sqlite_memory_bytes{at=\"now\"} %lld\n"
                   "gongdan_sqlite_memory_bytes{at=\"peak\"} %lld\n",
                   (long long)used, (long long)peak);
    gd_strbuf_addf(sb,
                   "# HELP gongdan_store_generation_reads_total Reads of the database generation "
                   "(the view cache's check) sent to PostgreSQL; requests asking at once share "
                   "one.\n# TYPE gongdan_store_generation_reads_total counter\n"
                   "gongdan_store_generation_reads_total %ld\n"
                   "# HELP gongdan_store_generation_answers_total Callers those reads answered.\n"
                   "# TYPE gongdan_store_generation_answers_total counter\n"
                   "gongdan_store_generation_answers_total %ld\n",
                   gd_store_generation_reads(), gd_store_generation_answers());
    gd_svc_import_metrics(sb);
}
