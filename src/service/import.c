/* CSV import of orders (RFC 4180: quoted fields, doubled quotes, CRLF or LF). Good rows are
 * stored in transactions of IMPORT_CHUNK rows, so other shops' writes go between them (there is
 * one writer per database), each chunk's rows with one store call (on PostgreSQL one statement:
 * a round trip per row made 100,000 lines take minutes); bad rows are reported with their line number and the reason. A
 * database failure stops the import: the chunks committed before it stay, the report says from
 * which line nothing was stored. One import per shop at a time (in this process, and across the
 * nodes of a shared database through the store's import lock), at most IMPORT_MAX_LINES lines.
 * Columns, by header name: order_no, buyer_nick, status, paid_amount (minor units), created_at
 * (RFC 3339, optional), items (JSON array, optional). */
#include <errno.h>
#include <pthread.h>
#include "base/clock.h"
#include "base/timefmt.h"
#include "base/utf8.h"
#include "base/xalloc.h"
#include "service/csv_read.h"
#include "service/svc_int.h"

#define IMPORT_CHUNK 500 /* rows per transaction */
#define IMPORT_SEEN 1024 /* hash slots for a chunk's order numbers (twice IMPORT_CHUNK) */
#define IMPORTS_MAX 64   /* imports running at once in the process (one per shop) */

/* The shops importing now: a second import of one shop waits for nothing, it is refused. */
static pthread_mutex_t importing_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t importing[IMPORTS_MAX];
static _Atomic long refused_busy, refused_lines;

static int shop_busy(struct gd_err *err)
{
    return gd_err_field(err, GD_ELIMIT, "file",
                        "an import of this shop is running; one import "
                        "per shop at a time: try again when it has finished");
}

/* The slot holding `shop_id` (0: a free one), or -1; under importing_lock. */
static int slot_of(int64_t shop_id)
{
    for (int i = 0; i < IMPORTS_MAX; i++) {
        if (importing[i] == shop_id) {
            return i;
        }
    }
    return -1;
}

static int import_claim(int64_t shop_id, struct gd_err *err)
{
    int ret = GD_OK, free_slot = -1;
    pthread_mutex_lock(&importing_lock);
    if (slot_of(shop_id) >= 0) {
        ret = shop_busy(err);
    } else if ((free_slot = slot_of(0)) < 0) {
        ret = gd_err_field(err, GD_ELIMIT, "file",
                           "%d imports are running, the most at once: "
                           "try again shortly",
                           IMPORTS_MAX);
    }
    if (!ret) {
        importing[free_slot] = shop_id;
    } else {
        refused_busy++;
    }
    pthread_mutex_unlock(&importing_lock);
    return ret;
}

int gd_svc_import_admits(int64_t shop_id, struct gd_err *err)
{
    pthread_mutex_lock(&importing_lock);
    int ret = slot_of(shop_id) >= 0 ? shop_busy(err) : GD_OK;
    if (ret) {
        refused_busy++;
    }
    pthread_mutex_unlock(&importing_lock);
    return ret;
}

static void import_release(int64_t shop_id)
{
    pthread_mutex_lock(&importing_lock);
    int i = slot_of(shop_id);
    if (i >= 0) {
        importing[i] = 0;
    }
    pthread_mutex_unlock(&importing_lock);
}

void gd_svc_import_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_addf(sb,
                   "# HELP gongdan_import_refused_total Order imports refused by a limit.\n"
                   "# TYPE gongdan_import_refused_total counter\n"
                   "gongdan_import_refused_total{limit=\"one_per_shop\"} %ld\n"
                   "gongdan_import_refused_total{limit=\"lines\"} %ld\n",
                   (long)refused_busy, (long)refused_lines);
}

enum { C_ORDER_NO, C_BUYER, C_STATUS, C_AMOUNT, C_CREATED, C_ITEMS, C_COUNT };
static const char *const col_names[C_COUNT] = {"order_no",    "buyer_nick", "status",
                                               "paid_amount", "created_at", "items"};

static void reject(struct gd_import_report *rep, int line, const char *why)
{
    rep->rejected++;
    if (rep->rejected <= (int)(sizeof(rep->errors) / sizeof(rep->errors[0]))) {
        rep->errors[rep->rejected - 1].line = line;
        snprintf(rep->errors[rep->rejected - 1].reason, sizeof(rep->errors[0].reason), "%s", why);
    }
}

static bool parse_amount(const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (!*s || *end || errno) {
        return false;
    }
    *out = v;
    return true;
}

/* One chunk of the file, one unit of work: reads rows from `start` until IMPORT_CHUNK are
 * good or the file ends, and stores the good ones with one store call (orders_upsert). An
 * attempt run again starts over from `start` with the report as it was (`saved`); the work
 * orders a row completes are told to live views after the commit. */
struct chunk {
    int64_t shop_id;
    struct gd_csv_reader *c;
    struct gd_csv_reader start;
    const int *colmap;
    int total;
    struct gd_import_report *rep, *saved;
    void (*progress)(int done, int total);
    int first_line; /* of the chunk's first stored row */
    int stored;
    bool more; /* stopped at IMPORT_CHUNK rows, not at the end of the file */
    /* the good rows waiting to be stored: their copies live in `a` until the unit ends */
    struct gd_order orders[IMPORT_CHUNK];
    bool created[IMPORT_CHUNK];
    int npending;
    uint32_t seen[IMPORT_SEEN]; /* order numbers pending: 1 + their place, by hash */
};

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 16777619u;
    }
    return h;
}

/* Whether `order_no` is among the pending rows; if not, it is noted as the next one. A file
 * may name an order twice: the store takes distinct numbers in one call, so the second waits
 * for the next call and updates what the first stored, as it would one row at a time. */
static bool pending_has(struct chunk *k, const char *order_no)
{
    for (uint32_t h = hash_str(order_no);; h++) {
        uint32_t *slot = &k->seen[h % IMPORT_SEEN];
        if (!*slot) {
            *slot = (uint32_t)k->npending + 1;
            return false;
        }
        if (strcmp(k->orders[*slot - 1].order_no, order_no) == 0) {
            return true;
        }
    }
}

/* Stores the pending rows (one store call) and empties the list. */
static int store_pending(struct gd_svc *svc, struct chunk *k, struct gd_arena *a,
                         struct gd_err *err)
{
    int ret = k->npending ? gd_svc__orders_upsert_tx(svc, k->shop_id, k->orders, k->npending, a,
                                                     k->created, err)
                          : GD_OK;
    k->stored += k->npending;
    k->npending = 0;
    memset(k->seen, 0, sizeof(k->seen));
    return ret;
}

/* Copies what the order keeps of its row into the chunk's arena. */
static void keep(struct gd_arena *a, struct gd_order *o)
{
    o->order_no = gd_arena_strdup(a, o->order_no);
    o->buyer_nick = gd_arena_strdup(a, o->buyer_nick);
    o->status = gd_arena_strdup(a, o->status);
    o->items = gd_arena_strdup(a, o->items);
}

static int chunk_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct chunk *k = ctx;
    struct gd_csv_reader *c = k->c;
    struct gd_import_report *rep = k->rep;
    struct gd_arena a = GD_ARENA_INIT;
    char *fields[GD_CSV_MAX_FIELDS];
    const char *why = NULL;
    int n, ret = GD_OK, good = 0;

    *c = k->start;
    memcpy(rep, k->saved, sizeof(*rep));
    k->first_line = k->stored = k->npending = 0;
    memset(k->seen, 0, sizeof(k->seen));
    k->more = false;
    for (;;) {
        struct gd_arena row = GD_ARENA_INIT;
        n = gd_csv_record(c, &row, fields, &why);
        if (n == 0) {
            gd_arena_release(&row);
            break;
        }
        rep->rows++;
        if (k->progress && rep->rows % 1000 == 0) {
            k->progress(rep->rows, k->total);
        }
        if (n < 0) {
            reject(rep, c->line, why);
            gd_arena_release(&row);
            continue;
        }
        if (n == 1 && !fields[0][0]) { /* blank line */
            rep->rows--;
            gd_arena_release(&row);
            continue;
        }
        struct gd_order o = {.shop_id = k->shop_id, .items = "[]"};
        struct gd_err rowerr = {0};
        const char *v[C_COUNT];
        for (int i = 0; i < C_COUNT; i++) {
            v[i] = k->colmap[i] >= 0 && k->colmap[i] < n ? fields[k->colmap[i]] : NULL;
        }
        o.order_no = v[C_ORDER_NO];
        o.buyer_nick = v[C_BUYER];
        o.status = v[C_STATUS];
        if (!v[C_AMOUNT] || !parse_amount(v[C_AMOUNT], &o.paid_amount)) {
            reject(rep, c->line, "paid_amount is not a whole number of minor units");
            gd_arena_release(&row);
            continue;
        }
        if (v[C_CREATED] && *v[C_CREATED] &&
            !gd_time_parse(v[C_CREATED], GD_TZ_DEFAULT_MIN, &o.created_at)) {
            reject(rep, c->line, "created_at is not an RFC 3339 time");
            gd_arena_release(&row);
            continue;
        }
        if (v[C_ITEMS] && *v[C_ITEMS]) {
            o.items = v[C_ITEMS];
            if (!gd_svc__items_valid(o.items)) {
                reject(rep, c->line, "items must be a JSON array of {title, sku, quantity, price}");
                gd_arena_release(&row);
                continue;
            }
        }
        if (gd_svc_order_validate(&o, &rowerr)) {
            reject(rep, c->line, rowerr.msg);
            gd_arena_release(&row);
            continue;
        }
        if (!k->first_line) {
            k->first_line = c->line;
        }
        keep(&a, &o);
        gd_arena_release(&row);
        if (pending_has(k, o.order_no)) {
            if ((ret = store_pending(svc, k, &a, err))) {
                break;
            }
            pending_has(k, o.order_no); /* noted in the emptied list */
        }
        k->orders[k->npending++] = o;
        if (++good == IMPORT_CHUNK) {
            k->more = true; /* the writer is free for other writers between chunks */
            break;
        }
    }
    if (!ret) {
        ret = store_pending(svc, k, &a, err);
    }
    gd_arena_release(&a);
    return ret;
}

static int import_rows(struct gd_svc *svc, int64_t shop_id, struct gd_csv_reader *c,
                       const int *colmap, int total, struct gd_import_report *rep,
                       void (*progress)(int done, int total), struct gd_err *err)
{
    struct gd_import_report *saved = xcalloc(1, sizeof(*saved));
    struct chunk *k = xcalloc(1, sizeof(*k)); /* tens of KiB: not on a server thread's stack */
    int ret;

    k->shop_id = shop_id;
    k->c = c;
    k->colmap = colmap;
    k->total = total;
    k->rep = rep;
    k->saved = saved;
    k->progress = progress;
    do {
        k->start = *c;
        memcpy(saved, rep, sizeof(*rep));
        ret = gd_svc__uow_run(svc, shop_id, chunk_unit, k, err);
        if (ret) {
            /* this chunk is undone; the ones before it stay */
            rep->stopped_at_line = k->first_line ? k->first_line : c->line;
            break;
        }
        rep->stored += k->stored;
    } while (k->more);
    free(k);
    free(saved);
    return ret;
}

int gd_svc_orders_import_csv(struct gd_svc *svc, int64_t shop_id, const char *text, size_t len,
                             struct gd_import_report *rep, void (*progress)(int done, int total),
                             struct gd_err *err)
{
    struct gd_csv_reader c = {text, text + len, 1, 1};
    struct gd_arena a = GD_ARENA_INIT;
    char *fields[GD_CSV_MAX_FIELDS];
    int colmap[C_COUNT], n, ret, total = 0;
    const char *why = NULL;

    memset(rep, 0, sizeof(*rep));
    if (!gd_utf8_valid(text, len)) {
        return gd_err_field(err, GD_EINVAL, "file", "the file is not UTF-8 text");
    }
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        c.p += 3; /* byte order mark from Excel */
    }
    for (const char *p = c.p; p < c.end; p++) {
        total += *p == '\n';
    }
    total += len && c.end[-1] != '\n'; /* a last line without its line feed */
    if (total > IMPORT_MAX_LINES + 1) {
        refused_lines++;
        return gd_err_field(err, GD_ETOOBIG, "file",
                            "the file has %d lines; an import takes at "
                            "most %d lines after the header: split the file",
                            total, IMPORT_MAX_LINES);
    }
    n = gd_csv_record(&c, &a, fields, &why);
    if (n <= 0) {
        gd_arena_release(&a);
        return gd_err_field(err, GD_EINVAL, "file", "the file has no header line");
    }
    for (int k = 0; k < C_COUNT; k++) {
        colmap[k] = -1;
        for (int i = 0; i < n; i++) {
            if (strcmp(fields[i], col_names[k]) == 0) {
                colmap[k] = i;
            }
        }
        if (colmap[k] < 0 && k <= C_AMOUNT) {
            gd_arena_release(&a);
            return gd_err_field(err, GD_EINVAL, "file", "the header line has no '%s' column",
                                col_names[k]);
        }
    }
    gd_arena_release(&a);
    if ((ret = import_claim(shop_id, err))) {
        return ret;
    }
    /* and across the nodes of a shared database: the shop's lock on this thread's connection */
    bool held = false;
    if ((ret = GD_STORE(svc->store, import_lock, shop_id, &held, err)) || !held) {
        import_release(shop_id);
        if (ret) {
            return ret;
        }
        refused_busy++;
        return shop_busy(err);
    }
    ret = import_rows(svc, shop_id, &c, colmap, total, rep, progress, err);
    GD_STORE(svc->store, import_unlock, shop_id);
    import_release(shop_id);
    if (progress) {
        progress(rep->rows, rep->rows);
    }
    return ret;
}
