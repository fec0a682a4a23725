/* gongdan migrate (service/migrate.h): one pass over the source copies and sums each table,
 * one pass over the target after the commit sums it again. The source is read in one snapshot,
 * so what is copied and what is summed is one moment of it. */
#include "service/migrate.h"
#include <sodium.h>
#include "base/clock.h"
#include "base/secret.h"
#include "base/xalloc.h"
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
    /* on the source, with a data directory: attachments' id, sha256 and size columns, and
     * exports' state and path (-1 in other tables); the contents they name */
    int c_id, c_sha, c_size, c_state_x, c_path;
    struct gd_store *from;
    struct contents *contents;
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

/* A stored content to carry: an attachment's (key = its SHA-256, checked by hashing) or a
 * done export's file (key = "<id>.<format>", checked by size). */
struct content {
    char folder[16];
    char key[80];
    int64_t size;
};

struct contents {
    struct content *v;
    int n, cap;
};

static void want_content(struct contents *c, const char *folder, const char *key, int64_t size)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        c->v = xrealloc(c->v, sizeof(*c->v) * (size_t)c->cap);
    }
    struct content *x = &c->v[c->n++];
    snprintf(x->folder, sizeof(x->folder), "%s", folder);
    snprintf(x->key, sizeof(x->key), "%s", key);
    x->size = size;
}

static int check_attachment(struct reader *r, const struct gd_bulk_cell *cells, struct gd_err *err)
{
    const struct gd_bulk_cell *sha = &cells[r->c_sha], *size = &cells[r->c_size];
    const char *key = sha->type == GD_BULK_TEXT ? sha->p : "";
    int64_t stored = -1;
    if (GD_STORE(r->from, blob_size, r->o->data_dir, "attachments", key, &stored, NULL) ||
        stored != size->i) {
        return gd_err_field(err, GD_ENOTFOUND, "data-dir",
                            "attachment %lld: its content "
                            "(attachments/%.2s/%.70s under the data directory) is %s",
                            (long long)cells[r->c_id].i, key, key + (key[0] ? 2 : 0),
                            stored < 0 ? "missing" : "not of the recorded size");
    }
    want_content(r->contents, "attachments", key, size->i);
    return GD_OK;
}

/* A done export's file comes along when the source still has it (an export is made again
 * when its file is gone: the download says so). */
static void note_export(struct reader *r, const struct gd_bulk_cell *cells)
{
    const struct gd_bulk_cell *state = &cells[r->c_state_x], *path = &cells[r->c_path];
    int64_t stored;
    if (state->type != GD_BULK_TEXT || strcmp(state->p, "done") != 0 ||
        path->type != GD_BULK_TEXT) {
        return;
    }
    const char *slash = strrchr(path->p, '/');
    const char *key = slash ? slash + 1 : path->p;
    if (GD_STORE(r->from, blob_size, r->o->data_dir, "exports", key, &stored, NULL) == GD_OK) {
        want_content(r->contents, "exports", key, stored);
    }
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
    if (r->c_path >= 0) {
        note_export(r, cells);
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
                     struct contents *contents, struct gd_err *err)
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
        /* stored bytes come along from SQLite's data directory, or from PostgreSQL's blobs */
        bool carry = side == 0 && (o->data_dir || strcmp(s->ops->backend, "sqlite") != 0);
        bool files = carry && strcmp(t->name, "attachments") == 0;
        bool exports = carry && strcmp(t->name, "exports") == 0;
        /* the source is read to copy it, or (verify-only) to compare it */
        const char *phase = side ? "verify" : to ? "copy" : "read";
        struct reader r = {.t = t,
                           .o = o,
                           .phase = phase,
                           .sum = side ? &mt->target : &mt->source,
                           .row = GD_STRBUF_INIT,
                           .c_state = timers ? gd_bulk_col_index(t->cols, "state") : -1,
                           .c_due = gd_bulk_col_index(t->cols, "due_at"),
                           .pending = &out->pending[side],
                           .earliest = &out->earliest_due[side],
                           .c_id = gd_bulk_col_index(t->cols, "id"),
                           .c_sha = files ? gd_bulk_col_index(t->cols, "sha256") : -1,
                           .c_size = gd_bulk_col_index(t->cols, "size"),
                           .c_state_x = exports ? gd_bulk_col_index(t->cols, "state") : -1,
                           .c_path = exports ? gd_bulk_col_index(t->cols, "path") : -1,
                           .from = s,
                           .contents = contents,
                           .to = to};
        if ((ret = GD_STORE(s, bulk_count, t, &r.total, err))) {
            ret =
                about(err, ret, side ? "counting the target's" : "counting the source's", t->name);
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
        ret = gd_err_field(err, GD_EINVAL, field,
                           "the %s database has %.120s, which migrate "
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
            return gd_err_field(err, GD_ECONFLICT, "to",
                                "the target database is not empty: "
                                "table %s has %lld rows (migrate copies into an empty database "
                                "only)",
                                t->name, (long long)n);
        }
    }
    return GD_OK;
}

static int compare(const struct gd_migrate_report *out, int64_t next_due[2], struct gd_err *err)
{
    for (int i = 0; i < out->ntables; i++) {
        const struct gd_migrate_table *t = &out->tables[i];
        if (t->source.rows != t->target.rows || t->source.sum[0] != t->target.sum[0] ||
            t->source.sum[1] != t->target.sum[1]) {
            return gd_err_field(
                err, GD_ECONFLICT, "to",
                "verify failed: table %s differs: "
                "%lld rows in the source, %lld in the target; checksum "
                "%016llx%016llx against %016llx%016llx",
                t->name, (long long)t->source.rows, (long long)t->target.rows,
                (unsigned long long)t->source.sum[0], (unsigned long long)t->source.sum[1],
                (unsigned long long)t->target.sum[0], (unsigned long long)t->target.sum[1]);
        }
    }
    if (out->pending[0] != out->pending[1] || out->earliest_due[0] != out->earliest_due[1] ||
        next_due[0] != next_due[1] || next_due[1] != out->earliest_due[1]) {
        return gd_err_field(err, GD_ECONFLICT, "to",
                            "verify failed: pending timers differ: "
                            "%lld due first at %lld in the source, %lld due first at %lld (the "
                            "engine's next: %lld) in the target",
                            (long long)out->pending[0], (long long)out->earliest_due[0],
                            (long long)out->pending[1], (long long)out->earliest_due[1],
                            (long long)next_due[1]);
    }
    return GD_OK;
}

/* Carries each content into the target's storage (unless it is there already: the same data
 * directory, or a key stored before) and reads it back: an attachment's bytes must hash to its
 * SHA-256, an export file must have its size. One content at a time, read a chunk at a time
 * (at most attachments.max_file_bytes held: blob_put takes it whole). */
static int carry_contents(struct gd_store *from, struct gd_store *to,
                          const struct gd_migrate_opts *o, const struct contents *c,
                          struct gd_migrate_report *out, struct gd_err *err)
{
    char *buf = NULL;
    int ret = GD_OK;
    for (int i = 0; i < c->n && !ret; i++) {
        const struct content *x = &c->v[i];
        int64_t have = -1, off = 0;
        size_t n;
        crypto_hash_sha256_state h;
        unsigned char d[crypto_hash_sha256_BYTES];
        char hex[2 * crypto_hash_sha256_BYTES + 1];

        buf = xrealloc(buf, x->size > 0 ? (size_t)x->size : 1);
        if (!o->verify_only &&
            (GD_STORE(to, blob_size, o->data_dir, x->folder, x->key, &have, NULL) ||
             have != x->size)) {
            for (off = 0; off < x->size && !ret; off += (int64_t)n) {
                ret = GD_STORE(from, blob_read, o->data_dir, x->folder, x->key, off, buf + off,
                               (size_t)(x->size - off), &n, err);
                if (!ret && n == 0) {
                    ret = gd_err_field(err, GD_ECONFLICT, "data-dir",
                                       "%s/%s is shorter than "
                                       "recorded",
                                       x->folder, x->key);
                }
            }
            if (!ret) {
                ret = GD_STORE(to, blob_put, o->data_dir, x->folder, x->key, buf, (size_t)x->size,
                               err);
            }
        }
        crypto_hash_sha256_init(&h);
        for (off = 0; !ret;) {
            ret = GD_STORE(to, blob_read, o->data_dir, x->folder, x->key, off, buf,
                           x->size > 0 ? (size_t)x->size : 1, &n, err);
            if (ret || n == 0) {
                break;
            }
            crypto_hash_sha256_update(&h, (const unsigned char *)buf, n);
            off += (int64_t)n;
        }
        crypto_hash_sha256_final(&h, d);
        sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
        if (!ret && (off != x->size ||
                     (strcmp(x->folder, "attachments") == 0 && strcmp(hex, x->key) != 0))) {
            ret = gd_err_field(err, GD_ECONFLICT, "to",
                               "verify failed: the target's %s/%.70s "
                               "is %lld bytes%s (%lld recorded)",
                               x->folder, x->key, (long long)off,
                               off == x->size ? " of another SHA-256" : "", (long long)x->size);
        }
        if (!ret) {
            out->attachments_checked += strcmp(x->folder, "attachments") == 0;
            out->exports_checked += strcmp(x->folder, "exports") == 0;
        }
    }
    free(buf);
    return ret;
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
    /* PostgreSQL loads faster without its secondary indexes, built again by bulk_finish */
    if (!o->verify_only && (ret = GD_STORE(to, bulk_start, gd_bulk_tables, err))) {
        GD_STORE0(to, rollback);
        GD_STORE0(from, snapshot_end);
        return ret;
    }
    struct contents contents = {0};
    ret = read_side(from, 0, o->verify_only ? NULL : to, o, out, &contents, err);
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
    /* the stored bytes, outside the rows' transaction (blob_put commits each alone) */
    if (!ret) {
        ret = carry_contents(from, to, o, &contents, out, err);
    }
    free(contents.v);
    out->copy_ms = gd_clock_mono_ms() - t0;
    if (ret) {
        return ret;
    }

    /* the read-back: everything the target now holds, in a snapshot of its own */
    t0 = gd_clock_mono_ms();
    if ((ret = GD_STORE(to, snapshot_begin, err))) {
        return ret;
    }
    ret = read_side(to, 1, NULL, o, out, NULL, err);
    if (!ret) {
        ret = GD_STORE(to, deadline_next_due, &next_due[1], err);
    }
    GD_STORE0(to, snapshot_end);
    out->verify_ms = gd_clock_mono_ms() - t0;
    return ret ? ret : compare(out, next_due, err);
}
