/* Exports (导出): the permission check, the row source that walks the matching work orders in
 * keyset pages through the store and turns them into typed cells, the job table, and the worker
 * thread that runs queued jobs with its own store handle. Every matching row is exported: the
 * row set is fixed at the largest id when the job starts, and pages continue until it is read. */
#include <errno.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/timefmt.h"
#include "export/csv.h"
#include "export/xlsx.h"
#include "service/svc_int.h"

#define PAGE 1000

static const char *const state_en[GD_STATE_COUNT] = {
    "Open",         "In progress",     "Done",
    "Cancelled",    "Awaiting seller", "Platform verify",
    "Intervention", "Judged",          "Appeal review",
    "Resolved",     "Final",           "Waiting for the buyer",
};
static const char *const prio_label[2][GD_PRIO_COUNT] = {
    {"低", "普通", "高", "紧急"},
    {"Low", "Normal", "High", "Urgent"},
};

int gd_svc_export_check(struct gd_svc *svc, const struct gd_actor *actor,
                        struct gd_export_params *p, struct gd_err *err)
{
    (void)svc;
    if (gd_role_is_platform(actor->role) || !actor->shop_id) {
        return gd_err_set(err, GD_EPERM, "exports are of a shop's work orders, for its users");
    }
    if (p->filter.view < 0) {
        p->filter.view = gd_perm_sees_whole_shop(actor) ? GD_VIEW_SHOP : GD_VIEW_TODO;
    }
    if (!gd_perm_can_use_view(actor, p->filter.view)) {
        return gd_err_field(
            err, GD_EPERM, "view", "the %s view is for %s", gd_view_name(p->filter.view),
            p->filter.view == GD_VIEW_SHOP ? "shop leads and owners" : "platform staff");
    }
    p->filter.user_id = actor->user_id;
    p->filter.whole_shop = p->filter.view == GD_VIEW_OVERDUE && gd_perm_sees_whole_shop(actor);
    return GD_OK;
}

/* ---- the row source ---- */

struct source {
    struct gd_svc *svc;
    int64_t shop_id;
    const struct gd_wo_filter *f;
    int lang;
    int64_t after_id, max_id, total;
    struct gd_arena page;
    struct gd_export_row *rows;
    int n, i;
    bool end;
    char number[32], id[32];
    struct gd_strbuf note;
    struct gd_svc__export_fields custom; /* the shop's types and their field columns */
    void (*progress)(void *ctx, int64_t done, int64_t total);
    void *progress_ctx;
    const volatile bool *stop;
};

static int hexval(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

static void put_utf8(struct gd_strbuf *sb, uint32_t cp)
{
    char b[4];
    if (cp < 0x80) {
        gd_strbuf_addch(sb, (char)cp);
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        gd_strbuf_add(sb, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        gd_strbuf_add(sb, b, 3);
    } else {
        b[0] = (char)(0xF0 | cp >> 18);
        b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        gd_strbuf_add(sb, b, 4);
    }
}

static uint32_t hex4(const char *p)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0) {
            return 0xFFFD;
        }
        v = v << 4 | (uint32_t)h;
    }
    return v;
}

/* The "text" member of a note event's data (a JSON object the service wrote). */
static const char *note_text(const char *json, struct gd_strbuf *sb)
{
    const char *p = json ? strstr(json, "\"text\":\"") : NULL;

    gd_strbuf_reset(sb);
    if (!p) {
        return NULL;
    }
    for (p += 8; *p && *p != '"'; p++) {
        if (*p != '\\') {
            gd_strbuf_addch(sb, *p);
            continue;
        }
        p++;
        switch (*p) {
        case 'n':
            gd_strbuf_addch(sb, '\n');
            break;
        case 'r':
            gd_strbuf_addch(sb, '\r');
            break;
        case 't':
            gd_strbuf_addch(sb, '\t');
            break;
        case 'b':
            gd_strbuf_addch(sb, '\b');
            break;
        case 'f':
            gd_strbuf_addch(sb, '\f');
            break;
        case 'u': {
            uint32_t cp;
            if (strlen(p) < 5) {
                return sb->buf;
            }
            cp = hex4(p + 1);
            p += 4;
            if (cp >= 0xD800 && cp < 0xDC00 && p[1] == '\\' && p[2] == 'u' && strlen(p) >= 7) {
                uint32_t lo = hex4(p + 3);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    p += 6;
                }
            }
            put_utf8(sb, cp);
            break;
        }
        case 0:
            return sb->buf;
        default: /* \" \\ \/ */
            gd_strbuf_addch(sb, *p);
        }
    }
    return sb->buf;
}

static void text_cell(struct gd_cell *c, const char *s)
{
    c->null = s == NULL;
    c->text = s;
}

static void time_cell(struct gd_cell *c, int64_t ms)
{
    c->null = ms == 0;
    c->num = ms;
}

static int source_next(void *ctx, struct gd_cell *cells, struct gd_err *err)
{
    struct source *s = ctx;
    const struct gd_export_row *r;
    const struct gd_workorder *w;
    int ret;

    if (s->stop && *s->stop) {
        return gd_err_set(err, GD_EIO, "the export was interrupted by a shutdown");
    }
    if (s->i == s->n) {
        if (s->end) {
            return 0;
        }
        gd_arena_release(&s->page);
        ret = GD_STORE(s->svc->store, export_rows, s->shop_id, s->f, s->after_id, s->max_id, PAGE,
                       &s->page, &s->rows, &s->n, err);
        if (ret) {
            return ret;
        }
        s->i = 0;
        s->end = s->n < PAGE;
        if (s->n == 0) {
            return 0;
        }
        s->after_id = s->rows[s->n - 1].wo.id;
    }
    r = &s->rows[s->i++];
    w = &r->wo;
    memset(cells, 0, sizeof(*cells) * GD_EXPORT_NCOLS);
    gd_svc__export_field_cells(&s->custom, w->fields, &s->page, cells + GD_EXPORT_NCOLS);
    snprintf(s->number, sizeof(s->number), "GD-%06lld", (long long)w->number);
    snprintf(s->id, sizeof(s->id), "%lld", (long long)w->id);
    text_cell(&cells[0], s->number);
    text_cell(&cells[1], gd_svc__export_type_label(&s->custom, w->type, s->lang));
    text_cell(&cells[2], s->lang == GD_LANG_EN ? state_en[w->state] : gd_state_label_zh(w->state));
    text_cell(&cells[3], w->title);
    text_cell(&cells[4], w->content);
    text_cell(&cells[5], prio_label[s->lang == GD_LANG_EN][w->priority]);
    text_cell(&cells[6], w->handler_id ? w->handler_name : NULL);
    text_cell(&cells[7], w->creator_name);
    time_cell(&cells[8], w->created_at);
    time_cell(&cells[9], w->deadline_at);
    cells[10].flag = w->overdue;
    time_cell(&cells[11], w->done_at);
    text_cell(&cells[12], w->order_no);
    text_cell(&cells[13], w->buyer_nick);
    cells[14].null = !r->has_paid;
    cells[14].num = r->paid_amount;
    text_cell(&cells[15], note_text(r->latest_note, &s->note));
    text_cell(&cells[16], s->id);
    text_cell(&cells[17], r->attachments);
    return 1;
}

static void source_progress(void *ctx, int64_t rows)
{
    struct source *s = ctx;
    if (s->progress) {
        s->progress(s->progress_ctx, rows, s->total);
    }
}

static int write_file(struct gd_svc *svc, const struct gd_actor *actor,
                      const struct gd_export_params *p, const char *path,
                      void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx,
                      const volatile bool *stop, int64_t *rows, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_shop shop;
    struct source src = {.svc = svc,
                         .shop_id = actor->shop_id,
                         .f = &p->filter,
                         .lang = p->lang,
                         .progress = progress,
                         .progress_ctx = ctx,
                         .stop = stop,
                         .note = GD_STRBUF_INIT};
    struct gd_row_source rs = {
        .next = source_next, .progress = source_progress, .ctx = &src, .lang = p->lang};
    FILE *f = NULL;
    int ret;

    *rows = 0;
    if ((ret = GD_STORE(svc->store, shop_get, actor->shop_id, &a, &shop, err)) ||
        (ret = GD_STORE(svc->store, export_count, actor->shop_id, &p->filter, &src.total,
                        &src.max_id, err))) {
        goto out;
    }
    if ((ret = gd_svc__export_fields_load(svc, actor->shop_id, p->filter.type, &a, &src.custom,
                                          err))) {
        goto out;
    }
    rs.extra = src.custom.cols;
    rs.nextra = src.custom.nfields;
    rs.tz_offset_min = shop.tz_offset_min;
    if (progress) {
        progress(ctx, 0, src.total);
    }
    if (p->format == 1) {
        ret = gd_export_xlsx(path, &rs, rows, err);
        goto out;
    }
    f = fopen(path, "wb");
    if (!f) {
        ret = gd_err_set(err, GD_EIO, "cannot create '%s': %s", path, strerror(errno));
        goto out;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 20);
    ret = gd_export_csv(f, &rs, rows, err);
out:
    if (f && fclose(f) != 0 && !ret) {
        ret = gd_err_set(err, GD_EIO, "cannot write '%s': %s", path, strerror(errno));
    }
    gd_arena_release(&src.page);
    gd_strbuf_release(&src.note);
    gd_arena_release(&a);
    return ret;
}

int gd_svc_export_write(struct gd_svc *svc, const struct gd_actor *actor,
                        const struct gd_export_params *p, const char *path,
                        void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx,
                        int64_t *rows, struct gd_err *err)
{
    struct gd_export_params q = *p;
    int ret = gd_svc_export_check(svc, actor, &q, err);
    if (!ret) {
        ret = write_file(svc, actor, &q, path, progress, ctx, NULL, rows, err);
    }
    return ret;
}

/* ---- jobs ---- */

static const char *params_json(const struct gd_export_params *p, struct gd_arena *a)
{
    const struct gd_wo_filter *f = &p->filter;
    json_t *o = json_object();
    char *text;
    const char *out;

    json_object_set_new(o, "format", json_string(p->format == 1 ? "xlsx" : "csv"));
    json_object_set_new(o, "headers", json_string(p->lang == GD_LANG_EN ? "en" : "zh"));
    json_object_set_new(o, "view", json_string(gd_view_name(f->view)));
    if (f->type >= 0) {
        json_object_set_new(o, "type", json_string(gd_type_name(f->type)));
    }
    if (f->state >= 0) {
        json_object_set_new(o, "state", json_string(gd_state_name(f->state)));
    }
#define SET_I(name, v)                                 \
    if (v) {                                           \
        json_object_set_new(o, name, json_integer(v)); \
    }
#define SET_S(name, v)                                \
    if (v) {                                          \
        json_object_set_new(o, name, json_string(v)); \
    }
    SET_I("handler", f->handler_id);
    SET_I("creator", f->creator_id);
    SET_S("order_no", f->order_no);
    SET_S("buyer", f->buyer);
    SET_S("q", f->q);
    SET_I("created_from", f->created_from);
    SET_I("created_to", f->created_to);
    SET_I("deadline_from", f->deadline_from);
    SET_I("deadline_to", f->deadline_to);
#undef SET_I
#undef SET_S
    text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
    out = gd_arena_strdup(a, text);
    free(text);
    json_decref(o);
    return out;
}

/* Parses a stored job's params (written by params_json) into `p`; strings live in `a`. */
static int params_parse(const char *text, struct gd_arena *a, struct gd_export_params *p,
                        struct gd_err *err)
{
    json_t *o = json_loads(text, 0, NULL);
    json_t *v;

    memset(p, 0, sizeof(*p));
    p->filter.type = p->filter.state = -1;
    if (!o) {
        return gd_err_set(err, GD_EINVAL, "the export's parameters are damaged");
    }
    v = json_object_get(o, "format");
    p->format = json_is_string(v) && strcmp(json_string_value(v), "xlsx") == 0;
    v = json_object_get(o, "headers");
    p->lang = json_is_string(v) && strcmp(json_string_value(v), "en") == 0;
    p->filter.view = gd_view_parse(json_string_value(json_object_get(o, "view")));
    if ((v = json_object_get(o, "type"))) {
        p->filter.type = gd_type_parse(json_string_value(v));
    }
    if ((v = json_object_get(o, "state"))) {
        p->filter.state = gd_state_parse(json_string_value(v));
    }
#define GET_I(name, field) p->filter.field = json_integer_value(json_object_get(o, name))
#define GET_S(name, field)                                          \
    if ((v = json_object_get(o, name))) {                           \
        p->filter.field = gd_arena_strdup(a, json_string_value(v)); \
    }
    GET_I("handler", handler_id);
    GET_I("creator", creator_id);
    GET_I("created_from", created_from);
    GET_I("created_to", created_to);
    GET_I("deadline_from", deadline_from);
    GET_I("deadline_to", deadline_to);
    GET_S("order_no", order_no);
    GET_S("buyer", buyer);
    GET_S("q", q);
#undef GET_I
#undef GET_S
    json_decref(o);
    return GD_OK;
}

struct create {
    const struct gd_actor *actor;
    struct gd_idem *idem;
    struct gd_arena *a;
    const struct gd_export_job *job;
};

static int create_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct create *x = ctx;
    int ret = gd_svc__idem_check(svc, x->actor->user_id, x->idem, x->a, err);
    if (ret || (x->idem && x->idem->replay)) {
        return ret;
    }
    return (ret = GD_STORE(svc->store, export_insert, x->job, err))
               ? ret
               : gd_svc__idem_keep(svc, x->actor->user_id, x->idem, x->job, err);
}

int gd_svc_export_create(struct gd_svc *svc, const struct gd_actor *actor,
                         const struct gd_export_params *p, struct gd_idem *idem, struct gd_arena *a,
                         struct gd_export_job *out, struct gd_err *err)
{
    struct gd_export_params q = *p;
    struct gd_shop shop;
    char stamp[40];
    int64_t now = gd_clock_now_ms();
    int ret;

    if ((ret = gd_svc_export_check(svc, actor, &q, err)) ||
        (ret = GD_STORE(svc->store, shop_get, actor->shop_id, a, &shop, err))) {
        return ret;
    }
    gd_time_format(now, shop.tz_offset_min, stamp, sizeof(stamp));
    memset(out, 0, sizeof(*out));
    out->id = gd_id_new();
    out->shop_id = actor->shop_id;
    out->user_id = actor->user_id;
    out->params = params_json(&q, a);
    out->format = q.format == 1 ? "xlsx" : "csv";
    out->state = "queued";
    /* workorders-20260102-150405.csv: the shop's local time, digits only */
    out->file_name = gd_arena_printf(a, "workorders-%.4s%.2s%.2s-%.2s%.2s%.2s.%s", stamp, stamp + 5,
                                     stamp + 8, stamp + 11, stamp + 14, stamp + 17, out->format);
    out->created_at = now;
    struct create x = {actor, idem, a, out};
    return gd_svc__uow_run(svc, actor->shop_id, create_unit, &x, err);
}

int gd_svc_export_get(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                      struct gd_arena *a, struct gd_export_job *out, struct gd_err *err)
{
    int ret;

    if (!actor->shop_id) {
        return gd_err_set(err, GD_ENOTFOUND, "no export %lld", (long long)id);
    }
    ret = GD_STORE(svc->store, export_get, actor->shop_id, id, a, out, err);
    /* a job carries its creator's view (a lead's 全店 export): it is the creator's alone, and
     * anyone else, of this shop or another, is told it does not exist */
    if (ret == GD_OK && out->user_id != actor->user_id) {
        ret = gd_err_set(err, GD_ENOTFOUND, "no export %lld", (long long)id);
    }
    return ret;
}

int gd_svc_export_file(struct gd_svc *svc, const char *data_dir, const struct gd_export_job *job,
                       struct gd_svc_blob *out, struct gd_err *err)
{
    /* the path is the blob's key ("<id>.<format>"); a job of an older version kept its file's
     * path, whose last part is that key */
    const char *slash = job->path ? strrchr(job->path, '/') : NULL;
    if (!job->path) {
        return gd_err_set(err, GD_ENOTFOUND, "export %lld has no file", (long long)job->id);
    }
    return gd_svc__blob_find(svc, data_dir, "exports", slash ? slash + 1 : job->path, out, err);
}

/* ---- the worker ---- */

struct run_ctx {
    struct gd_export_worker *w;
    struct gd_export_job *job;
    int64_t last_ms, leased_ms;
};

/* The node's lease on the running job, renewed every sixth of it (a write each time); false
 * when another node has taken the job over (this node was thought dead). */
static bool renew_lease(struct run_ctx *r, bool now)
{
    int64_t t = gd_clock_mono_ms();
    if (!now && t - r->leased_ms < GD_EXPORT_LEASE_MS / 6) {
        return true;
    }
    r->leased_ms = t;
    return GD_STORE(r->w->svc.store, export_lease, r->job->id, r->w->svc.shared->node_slot,
                    GD_EXPORT_LEASE_MS, NULL) != GD_ESTALE;
}

/* Job progress goes to the table at most every 200 ms (a write each time). */
static void job_progress(void *ctx, int64_t done, int64_t total)
{
    struct run_ctx *r = ctx;
    int64_t now = gd_clock_mono_ms();
    r->job->rows_done = done;
    r->job->rows_total = total > done ? total : done;
    if (done == 0 || now - r->last_ms >= 200) {
        r->last_ms = now;
        GD_STORE(r->w->svc.store, export_update, r->job, NULL);
        renew_lease(r, false);
    }
}

/* A test's pause before a job's file is written, holding the lease (the environment variable
 * GONGDAN_TEST_EXPORT_PAUSE_MS, for tests only): lets tests/cluster kill a node while it runs
 * a job, however fast the job would be. */
static void test_pause(struct gd_export_worker *w, struct run_ctx *r)
{
    const char *v = getenv("GONGDAN_TEST_EXPORT_PAUSE_MS");
    for (int64_t left = v ? atoll(v) : 0; left > 0 && !gd_worker_is_stopping(&w->worker);
         left -= 1000) {
        gd_worker_pause(&w->worker, left < 1000 ? left : 1000);
        renew_lease(r, false);
    }
}

static void run_job(struct gd_export_worker *w, struct gd_export_job *job, struct gd_arena *a)
{
    struct gd_err err = {0};
    struct gd_export_params p;
    struct gd_user u;
    struct gd_actor actor;
    struct run_ctx ctx = {w, job, 0, gd_clock_mono_ms()};
    char dir[600], *key, *tmp;
    int64_t rows = 0;
    int ret;

    /* written to a local file first (the XLSX writer needs one), then stored as a blob:
     * moved under --data-dir with SQLite, copied into PostgreSQL chunk by chunk */
    snprintf(dir, sizeof(dir), "%s/exports", w->data_dir);
    key = gd_arena_printf(a, "%lld.%s", (long long)job->id, job->format);
    tmp = gd_arena_printf(a, "%s/%s.%d.part", dir, key, (int)getpid());
    ret = GD_STORE(w->svc.store, user_get, job->user_id, a, &u, &err);
    if (!ret) {
        actor = (struct gd_actor){.user_id = u.id,
                                  .shop_id = u.shop_id,
                                  .role = u.role,
                                  .username = u.username,
                                  .display_name = u.display_name};
        ret = params_parse(job->params, a, &p, &err);
    }
    if (!ret && u.shop_id != job->shop_id) {
        ret = gd_err_set(&err, GD_EPERM, "the user no longer belongs to the shop");
    }
    if (!ret && (ret = gd_svc_export_check(&w->svc, &actor, &p, &err)) == GD_OK) {
        if ((mkdir(w->data_dir, 0750) != 0 && errno != EEXIST) ||
            (mkdir(dir, 0750) != 0 && errno != EEXIST)) {
            ret = gd_err_set(&err, GD_EIO, "cannot create '%s': %s", dir, strerror(errno));
        }
    }
    if (!ret) {
        test_pause(w, &ctx);
        ret = write_file(&w->svc, &actor, &p, tmp, job_progress, &ctx,
                         gd_worker_stop_flag(&w->worker), &rows, &err);
    }
    if (!ret && !renew_lease(&ctx, true)) {
        gd_log(GD_LOG_WARN, "export id=%lld was taken over by another node", (long long)job->id);
        unlink(tmp);
        return; /* its new node writes the outcome */
    }
    if (!ret) {
        ret = GD_STORE(w->svc.store, blob_put_file, w->data_dir, "exports", key, tmp, &err);
    } else {
        unlink(tmp);
    }
    if (ret && (gd_worker_is_stopping(&w->worker) || ret == GD_ERETRY || ret == GD_EUNAVAIL)) {
        /* interrupted by a shutdown (runs again on the next start) or by the database going
         * away (runs again once it is back) */
        job->state = "queued";
        job->rows_done = 0;
    } else if (ret) {
        gd_log(GD_LOG_WARN, "export failed id=%lld code=%d msg=%s", (long long)job->id, ret,
               err.msg);
        job->state = "failed";
        job->error = ret == GD_EDB || ret == GD_EIO ? "the export could not be written; the "
                                                      "server log has the details"
                                                    : gd_arena_strdup(a, err.msg);
        job->finished_at = gd_clock_now_ms();
    } else {
        job->state = "done";
        job->rows_done = job->rows_total = rows;
        job->path = key;
        job->finished_at = gd_clock_now_ms();
        gd_log(GD_LOG_INFO, "export done id=%lld rows=%lld", (long long)job->id, (long long)rows);
    }
    /* the outcome is kept even across a database restart: a job left "running" would only run
     * again once its lease expired */
    while ((ret = GD_STORE(w->svc.store, export_update, job, NULL)) != GD_OK &&
           (ret == GD_ERETRY || ret == GD_EUNAVAIL) && !gd_worker_is_stopping(&w->worker)) {
        gd_worker_pause(&w->worker, 1000);
    }
}

/* One round: runs the next queued job, if any. Woken by a new job; the period covers jobs
 * queued by another node, and jobs whose node died (taken once their lease expired). */
static int64_t round_claim(void *arg, bool woken)
{
    struct gd_export_worker *w = arg;
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_export_job job;
    int ret = GD_STORE(w->svc.store, export_claim, w->svc.shared->node_slot, GD_EXPORT_LEASE_MS, &a,
                       &job, NULL);

    (void)woken;
    if (ret == GD_OK) {
        run_job(w, &job, &a);
    }
    gd_arena_release(&a);
    return ret == GD_OK ? 0 : GD_WORKER_IDLE; /* after a job, the next one at once */
}

int gd_svc_export_worker_start(struct gd_export_worker *w, const char *db_url, const char *data_dir,
                               struct gd_svc_shared *shared, struct gd_err *err)
{
    int ret;

    memset(w, 0, sizeof(*w));
    snprintf(w->data_dir, sizeof(w->data_dir), "%s", data_dir ? data_dir : "data");
    w->svc.shared = shared;
    if ((ret = gd_store_open(db_url, false, &w->svc.store, err))) {
        return ret;
    }
    if ((ret = GD_STORE(w->svc.store, exports_requeue, err)) ||
        (ret = gd_worker_start(&w->worker, "export", round_claim, w, GD_EXPORT_POLL_MS, err))) {
        gd_store_close(w->svc.store);
        return ret;
    }
    return GD_OK;
}

void gd_svc_export_worker_nudge(struct gd_export_worker *w) { gd_worker_wake(&w->worker); }

void gd_svc_export_worker_stop(struct gd_export_worker *w)
{
    if (gd_worker_stop(&w->worker)) {
        gd_store_close(w->svc.store);
    }
}
