/* gongdan migrate (service/migrate.h): one pass over the source copies and sums each table,
 * one pass over the target after the commit sums it again. The source is read in one snapshot,
 * so what is copied and what is summed is one moment of it. */
#include <sys/stat.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "service/migrate.h"
#include "service/svc_int.h"

/* One side's reading of one table. */
struct reader {
    const struct gd_bulk_table *t;
    const struct gd_migrate_opts *o;
    const char *phase;
    struct gd_migrate_sum *sum;
    struct gd_strbuf row; /* a row's canonical bytes, reused */
    int64_t total;
    /* deadlines: the state and due_at columns (-1 in other tables) */
    int c_state, c_due;
    int64_t *pending, *earliest;
    /* attachments on the source, with a data directory: id, sha256 and size columns */
    int c_id, c_sha, c_size;
    int64_t *checked;
    /* copying: the target and the batch being filled */
    struct gd_store *to;
    struct gd_bulk_cell *batch;
    int nbatch;
    size_t bytes;
    struct gd_arena arena;
};

/* Adds the row to the sum: its cells as type, then the integer or the length and bytes. */
static void sum_row(struct reader *r, const struct gd_bulk_cell *cells)
{
    gd_strbuf_reset(&r->row);
    for (int c = 0; c < r->t->ncols; c++) {
        const struct gd_bulk_cell *x = &cells[c];
        gd_strbuf_addch(&r->row, (char)x->type);
        if (x->type == GD_BULK_INT) {
            gd_strbuf_add(&r->row, &x->i, sizeof(x->i));
        } else if (x->type == GD_BULK_TEXT || x->type == GD_BULK_BLOB) {
            uint64_t len = x->len;
            gd_strbuf_add(&r->row, &len, sizeof(len));
            gd_strbuf_add(&r->row, x->p, x->len);
        }
    }
    unsigned char d[16];
    uint64_t h[2];
    gd_secret_digest128(r->row.buf, r->row.len, d);
    memcpy(h, d, sizeof(h));
    r->sum->sum[0] += h[0];
    r->sum->sum[1] += h[1];
    r->sum->rows++;
}

static int flush(struct reader *r, struct gd_err *err)
{
    int ret = r->nbatch ? GD_STORE(r->to, bulk_load, r->t, r->batch, r->nbatch, err) : GD_OK;
    gd_arena_release(&r->arena);
    r->nbatch = 0;
    r->bytes = 0;
    if (!ret && r->o->progress) {
        r->o->progress(r->o->ctx, r->phase, r->t->name, r->sum->rows, r->total);
    }
    return ret;
}

static int check_attachment(struct reader *r, const struct gd_bulk_cell *cells,
                            struct gd_err *err)
{
    const struct gd_bulk_cell *sha = &cells[r->c_sha], *size = &cells[r->c_size];
    struct gd_arena a = GD_ARENA_INIT;
    const char *path = gd_svc__attachment_path(&a, r->o->data_dir,
                                               sha->type == GD_BULK_TEXT ? sha->p : "");
    struct stat st;
    int ret = GD_OK;
    if (stat(path, &st) || (int64_t)st.st_size != size->i) {
        ret = gd_err_field(err, GD_ENOTFOUND, "data-dir", "attachment %lld: its content file "
                           "%.160s is %s (the server on the target reads the same data "
                           "directory: copy its attachments/ along)", (long long)cells[r->c_id].i,
                           path, access(path, F_OK) ? "missing" : "not of the recorded size");
    } else {
        (*r->checked)++;
    }
    gd_arena_release(&a);
    return ret;
}

static int read_row(void *ctx, const struct gd_bulk_cell *cells, struct gd_err *err)
{
    struct reader *r = ctx;
    sum_row(r, cells);
    if (r->c_state >= 0 && cells[r->c_state].type == GD_BULK_TEXT &&
        strcmp(cells[r->c_state].p, "pending") == 0) {
        int64_t due = cells[r->c_due].i;
        (*r->pending)++;
        if (!*r->earliest || due < *r->earliest) {
            *r->earliest = due;
        }
    }
    if (r->c_sha >= 0) {
        int ret = check_attachment(r, cells, err);
        if (ret) {
            return ret;
        }
    }
    if (!r->to) {
        if (r->o->progress && r->sum->rows % GD_MIGRATE_BATCH_ROWS == 0) {
            r->o->progress(r->o->ctx, r->phase, r->t->name, r->sum->rows, r->total);
        }
        return GD_OK;
    }
    /* the batch keeps its own copy: the cells live only during this call */
    struct gd_bulk_cell *dst = r->batch + (size_t)r->nbatch * (size_t)r->t->ncols;
    for (int c = 0; c < r->t->ncols; c++) {
        dst[c] = cells[c];
        if (cells[c].type == GD_BULK_TEXT || cells[c].type == GD_BULK_BLOB) {
            char *p = gd_arena_alloc(&r->arena, cells[c].len + 1);
            memcpy(p, cells[c].p, cells[c].len);
            p[cells[c].len] = 0;
            dst[c].p = p;
            r->bytes += cells[c].len;
        }
    }
    if (++r->nbatch == GD_MIGRATE_BATCH_ROWS || r->bytes >= GD_MIGRATE_BATCH_BYTES) {
        return flush(r, err);
    }
    return GD_OK;
}

/* Prefixes the message with the table it is about (a store error names none). */
static int about(struct gd_err *err, int ret, const char *what, const char *table)
{
    if (err) {
        char msg[sizeof(err->msg)];
        snprintf(msg, sizeof(msg), "%s table %s: %.240s", what, table, err->msg);
        memcpy(err->msg, msg, sizeof(msg));
    }
    return ret;
}

/* Reads every table of one side: sums into `side` (0 source, 1 target), copying to `to`
 * when given. */
static int read_side(struct gd_store *s, int side, struct gd_store *to,
                     const struct gd_migrate_opts *o, struct gd_migrate_report *out,
                     struct gd_err *err)
{
    int ret = GD_OK;
    int i = 0;
    for (const struct gd_bulk_table *t = gd_bulk_tables; t->name && !ret; t++, i++) {
        if (i == GD_MIGRATE_TABLES) {
            return gd_err_set(err, GD_EINVAL, "more than %d tables to copy", GD_MIGRATE_TABLES);
        }
        struct gd_migrate_table *mt = &out->tables[i];
        mt->name = t->name;
        bool timers = strcmp(t->name, "deadlines") == 0;
        bool files = side == 0 && o->data_dir && strcmp(t->name, "attachments") == 0;
        /* the source is read to copy it, or (verify-only) to compare it */
        const char *phase = side ? "verify" : to ? "copy" : "read";
        struct reader r = {.t = t, .o = o, .phase = phase,
                           .sum = side ? &mt->target : &mt->source, .row = GD_STRBUF_INIT,
                           .c_state = timers ? gd_bulk_col_index(t->cols, "state") : -1,
                           .c_due = gd_bulk_col_index(t->cols, "due_at"),
                           .pending = &out->pending[side], .earliest = &out->earliest_due[side],
                           .c_id = gd_bulk_col_index(t->cols, "id"), .c_sha = files ? gd_bulk_col_index(t->cols, "sha256") : -1,
                           .c_size = gd_bulk_col_index(t->cols, "size"), .checked = &out->attachments_checked,
                           .to = to};
        if ((ret = GD_STORE(s, bulk_count, t, &r.total, err))) {
            ret = about(err, ret, side ? "counting the target's" : "counting the source's",
                        t->name);
            break;
        }
        if (to) {
            r.batch = xmalloc(sizeof(*r.batch) * GD_MIGRATE_BATCH_ROWS * (size_t)t->ncols);
        }
        ret = GD_STORE(s, bulk_dump, t, read_row, &r, err);
        if (!ret && to) {
            ret = flush(&r, err);
        } else if (!ret && o->progress) {
            o->progress(o->ctx, r.phase, t->name, r.sum->rows, r.total);
        }
        if (ret) {
            ret = about(err, ret, to ? "copying" : "reading", t->name);
        }
        gd_arena_release(&r.arena);
        gd_strbuf_release(&r.row);
        free(r.batch);
        if (side == 0) {
            out->rows += mt->source.rows;
        }
    }
    out->ntables = i;
    return ret;
}

static int check_covered(struct gd_store *s, const char *field, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    const char *what = NULL;
    int ret = GD_STORE(s, bulk_uncovered, gd_bulk_tables, &a, &what, err);
    if (!ret && what) {
        ret = gd_err_field(err, GD_EINVAL, field, "the %s database has %.120s, which migrate "
                           "does not copy (add it to gd_bulk_tables in src/store/bulk.c, or leave "
                           "it out on purpose in the backend's bulk.c)",
                           strcmp(field, "from") ? "target" : "source", what);
    }
    gd_arena_release(&a);
    return ret;
}

static int check_empty(struct gd_store *to, struct gd_err *err)
{
    for (const struct gd_bulk_table *t = gd_bulk_tables; t->name; t++) {
        int64_t n = 0;
        int ret = GD_STORE(to, bulk_count, t, &n, err);
        if (ret) {
            return about(err, ret, "counting the target's", t->name);
        }
        if (n) {
            return gd_err_field(err, GD_ECONFLICT, "to", "the target database is not empty: "
                                "table %s has %lld rows (migrate copies into an empty database "
                                "only)", t->name, (long long)n);
        }
    }
    return GD_OK;
}

static int compare(const struct gd_migrate_report *out, int64_t next_due[2],
                   struct gd_err *err)
{
    for (int i = 0; i < out->ntables; i++) {
        const struct gd_migrate_table *t = &out->tables[i];
        if (t->source.rows != t->target.rows || t->source.sum[0] != t->target.sum[0] ||
            t->source.sum[1] != t->target.sum[1]) {
            return gd_err_field(err, GD_ECONFLICT, "to", "verify failed: table %s differs: "
                                "%lld rows in the source, %lld in the target; checksum "
                                "%016llx%016llx against %016llx%016llx", t->name,
                                (long long)t->source.rows, (long long)t->target.rows,
                                (unsigned long long)t->source.sum[0],
                                (unsigned long long)t->source.sum[1],
                                (unsigned long long)t->target.sum[0],
                                (unsigned long long)t->target.sum[1]);
        }
    }
    if (out->pending[0] != out->pending[1] || out->earliest_due[0] != out->earliest_due[1] ||
        next_due[0] != next_due[1] || next_due[1] != out->earliest_due[1]) {
        return gd_err_field(err, GD_ECONFLICT, "to", "verify failed: pending timers differ: "
                            "%lld due first at %lld in the source, %lld due first at %lld (the "
                            "engine's next: %lld) in the target", (long long)out->pending[0],
                            (long long)out->earliest_due[0], (long long)out->pending[1],
                            (long long)out->earliest_due[1], (long long)next_due[1]);
    }
    return GD_OK;
}

int gd_svc_migrate(struct gd_store *from, struct gd_store *to, const struct gd_migrate_opts *o,
                   struct gd_migrate_report *out, struct gd_err *err)
{
    int64_t next_due[2] = {0, 0};
    int ret;
    memset(out, 0, sizeof(*out));
    if ((ret = check_covered(from, "from", err)) || (ret = check_covered(to, "to", err)) ||
        (!o->verify_only && (ret = check_empty(to, err)))) {
        return ret;
    }

    int64_t t0 = gd_clock_mono_ms();
    if ((ret = GD_STORE(from, snapshot_begin, err))) {
        return ret;
    }
    if (!o->verify_only && (ret = GD_STORE(to, begin, 0, err))) {
        GD_STORE0(from, snapshot_end);
        return ret;
    }
    ret = read_side(from, 0, o->verify_only ? NULL : to, o, out, err);
    if (!ret) {
        ret = GD_STORE(from, deadline_next_due, &next_due[0], err);
    }
    if (!o->verify_only) {
        if (!ret && !(ret = GD_STORE(to, bulk_finish, err))) {
            ret = GD_STORE(to, commit, err);
        } else {
            GD_STORE0(to, rollback);
        }
    }
    GD_STORE0(from, snapshot_end);
    out->copy_ms = gd_clock_mono_ms() - t0;
    if (ret) {
        return ret;
    }

    /* the read-back: everything the target now holds, in a snapshot of its own */
    t0 = gd_clock_mono_ms();
    if ((ret = GD_STORE(to, snapshot_begin, err))) {
        return ret;
    }
    ret = read_side(to, 1, NULL, o, out, err);
    if (!ret) {
        ret = GD_STORE(to, deadline_next_due, &next_due[1], err);
    }
    GD_STORE0(to, snapshot_end);
    out->verify_ms = gd_clock_mono_ms() - t0;
    return ret ? ret : compare(out, next_due, err);
}
