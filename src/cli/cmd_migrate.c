/* gongdan migrate --from URL --to URL [--verify-only] [--data-dir DIR]: copies a whole
 * installation into an empty database and verifies it (service/migrate.h). A progress bar on a
 * terminal, one line per table otherwise. */
#include <unistd.h>
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "cli/cli.h"
#include "service/migrate.h"

struct progress {
    bool tty;
    bool open;     /* a bar is drawn on the current line */
    char last[96]; /* the phase and table last reported as finished */
};

static void on_progress(void *ctx, const char *phase, const char *table, int64_t done,
                        int64_t total)
{
    struct progress *p = ctx;
    char key[96];
    snprintf(key, sizeof(key), "%s %s", phase, table);
    if (p->tty) {
        enum { WIDTH = 30 };
        int fill = total > 0 ? (int)(done * WIDTH / total) : WIDTH;
        char bar[WIDTH + 1];
        for (int i = 0; i < WIDTH; i++) {
            bar[i] = i < fill ? '#' : '.';
        }
        bar[WIDTH] = 0;
        fprintf(stderr, "\r%-6s %-16s [%s] %3d%% %lld/%lld\033[K", phase, table, bar,
                total > 0 ? (int)(done * 100 / total) : 100, (long long)done, (long long)total);
        p->open = true;
        if (done >= total && strcmp(p->last, key) != 0) {
            fputc('\n', stderr);
            p->open = false;
            snprintf(p->last, sizeof(p->last), "%s", key);
        }
        return;
    }
    if (done >= total && strcmp(p->last, key) != 0) {
        fprintf(stderr, "%s %s: %lld rows\n", phase, table, (long long)done);
        snprintf(p->last, sizeof(p->last), "%s", key);
    }
}

static bool is_pg(const char *url)
{
    return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

static void report(const struct gd_migrate_report *r, const struct gd_migrate_opts *o)
{
    char due[40] = "-";
    if (!o->verify_only) {
        double s = (double)r->copy_ms / 1000.0;
        printf("copied %lld rows of %d tables in %.1f s (%.0f rows/s)\n", (long long)r->rows,
               r->ntables, s, s > 0 ? (double)r->rows / s : 0.0);
    }
    printf("verified in %.1f s: every table's row count and checksum match\n",
           (double)r->verify_ms / 1000.0);
    for (int i = 0; i < r->ntables; i++) {
        const struct gd_migrate_table *t = &r->tables[i];
        printf("  %-16s %10lld rows  %016llx%016llx\n", t->name, (long long)t->target.rows,
               (unsigned long long)t->target.sum[0], (unsigned long long)t->target.sum[1]);
    }
    if (r->earliest_due[1]) {
        gd_time_format(r->earliest_due[1], 0, due, sizeof(due));
    }
    printf("pending timers: %lld in both, the first due at %s\n", (long long)r->pending[1], due);
    if (o->data_dir || r->attachments_checked || r->exports_checked) {
        printf("attachments: %lld contents in the target's storage, each hashing to its "
               "SHA-256; export files: %lld (from %s)\n",
               (long long)r->attachments_checked, (long long)r->exports_checked,
               o->data_dir ? o->data_dir : "the source database");
    }
}

int gd_cmd_migrate(int argc, char **argv)
{
    const char *from_url = gd_cli_opt(argc, argv, "--from"),
               *to_url = gd_cli_opt(argc, argv, "--to");
    struct gd_err err = {0};
    if (!from_url || !to_url) {
        fprintf(stderr, "usage: gongdan migrate --from sqlite:PATH --to postgresql://... "
                        "[--verify-only] [--data-dir DIR]\n");
        return 2;
    }
    /* PostgreSQL numbers a shop's webhook outbox per shop, SQLite across every shop: rows of
     * two shops would clash (and their cursors with them) */
    if (is_pg(from_url) && !is_pg(to_url)) {
        gd_err_field(&err, GD_EINVAL, "to",
                     "migrate copies from SQLite to PostgreSQL (or "
                     "between two databases of the same kind), not from PostgreSQL to SQLite");
        return gd_cli_fail(&err);
    }
    struct gd_store *from = NULL, *to = NULL;
    if (gd_store_open(from_url, false, &from, &err)) {
        snprintf(err.field, sizeof(err.field), "from");
        return gd_cli_fail(&err);
    }
    /* an older source is brought up to this version's schema first, as serve would */
    if (GD_STORE(from, migrate, &err)) {
        gd_store_close(from);
        return gd_cli_fail(&err);
    }
    if (gd_store_open(to_url, true, &to, &err)) {
        snprintf(err.field, sizeof(err.field), "to");
        gd_store_close(from);
        return gd_cli_fail(&err);
    }
    struct progress p = {.tty = isatty(2)};
    struct gd_migrate_opts o = {.verify_only = gd_cli_flag(argc, argv, "--verify-only"),
                                .data_dir = gd_cli_opt(argc, argv, "--data-dir"),
                                .progress = on_progress,
                                .ctx = &p};
    struct gd_migrate_report *r = xcalloc(1, sizeof(*r));
    int ret = gd_svc_migrate(from, to, &o, r, &err);
    if (p.open) {
        fputc('\n', stderr);
    }
    if (ret) {
        gd_cli_fail(&err);
    } else {
        report(r, &o);
    }
    free(r);
    gd_store_close(to);
    gd_store_close(from);
    return ret ? 1 : 0;
}
