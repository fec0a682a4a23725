/* Rendered list views by (user, query), valid for one generation of the user's shop. Small and
 * direct-mapped: an agent's few views stay warm between changes; a change of the shop (or of the
 * platform, or one from outside the process) moves the generation and so invalidates them.
 * A view big enough to compress is kept gzipped too, compressed once when it is stored. A hit
 * is sent from the entry's bytes without a copy (r->shared): each body is counted by its users,
 * the entry and the responses still sending it, so an entry replaced meanwhile does not free
 * bytes a response is sending. */
#include "http/viewcache.h"
#include <pthread.h>
#include <stdatomic.h>
#include "base/xalloc.h"
#include "http/compress.h"

#define SLOTS 64
#define MAX_BODY (256 * 1024)

struct body { /* bytes of a view, freed by their last user */
    _Atomic long users;
    size_t len;
    char bytes[];
};

struct entry {
    char *key;
    struct body *body;
    struct body *gz; /* the body gzipped; NULL when it is under GD_COMPRESS_MIN */
    int64_t generation;
};

static struct body *body_new(const char *bytes, size_t len)
{
    struct body *b = xmalloc(sizeof(*b) + len);
    atomic_init(&b->users, 1);
    b->len = len;
    memcpy(b->bytes, bytes, len);
    return b;
}

static void body_drop(void *p) /* also the response's free callback */
{
    struct body *b = p;
    if (b && atomic_fetch_sub_explicit(&b->users, 1, memory_order_acq_rel) == 1) {
        free(b);
    }
}

static void entry_clear(struct entry *e)
{
    free(e->key);
    body_drop(e->body);
    body_drop(e->gz);
    e->key = NULL;
    e->body = e->gz = NULL;
}

/* Each thread's table is freed when the thread ends (pthread key destructor). */
static pthread_key_t key_tables;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int enabled = -1;
static _Atomic long hits, misses; /* for /metrics */

static void free_table(void *p)
{
    struct entry *t = p;
    for (int i = 0; i < SLOTS; i++) {
        entry_clear(&t[i]);
    }
    free(t);
}

static void make_key(void) { pthread_key_create(&key_tables, free_table); }

static struct entry *table(void)
{
    pthread_once(&key_once, make_key);
    struct entry *t = pthread_getspecific(key_tables);
    if (!t) {
        t = xcalloc(SLOTS, sizeof(*t));
        pthread_setspecific(key_tables, t);
    }
    return t;
}

bool gd_viewcache_enabled(void)
{
    if (enabled < 0) {
        const char *e = getenv("GONGDAN_VIEW_CACHE");
        enabled = !(e && strcmp(e, "0") == 0);
    }
    return enabled;
}

/* MHD gives names and values decoded: buyer=a%26state%3Ddone is the value "a&state=done", which
 * written as is would make the key of buyer=a&state=done and be answered with that view.
 * Separators inside a name or value are therefore escaped again. */
static void add_part(struct gd_strbuf *sb, const char *s)
{
    for (; *s; s++) {
        if (*s == '&' || *s == '=' || *s == '%') {
            gd_strbuf_addf(sb, "%%%02X", (unsigned char)*s);
        } else {
            gd_strbuf_addch(sb, *s);
        }
    }
}

static enum MHD_Result add_arg(void *cls, enum MHD_ValueKind kind, const char *k, const char *v)
{
    (void)kind;
    struct gd_strbuf *sb = cls;
    add_part(sb, k);
    gd_strbuf_addch(sb, '=');
    add_part(sb, v ? v : "");
    gd_strbuf_addch(sb, '&');
    return MHD_YES;
}

void gd_viewcache_key(struct gd_req *r, struct gd_strbuf *key)
{
    gd_strbuf_add_i64(key, r->actor.user_id);
    gd_strbuf_addch(key, '.'); /* generations are per shop: one number never serves two shops */
    gd_strbuf_add_i64(key, r->actor.shop_id);
    gd_strbuf_addch(key, '?');
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, add_arg, key);
}

static struct entry *slot(const char *key)
{
    uint32_t h = 2166136261u;
    for (const char *p = key; *p; p++) {
        h = (h ^ (unsigned char)*p) * 16777619u;
    }
    return &table()[h % SLOTS];
}

/* The entry's body as r's, gzipped when there is a gzip copy and the client takes it. */
static void answer(struct gd_req *r, const struct entry *e)
{
    struct body *b = e->gz && gd_http_takes_gzip(r) ? e->gz : e->body;
    gd_strbuf_reset(&r->out);
    gd_http_shared_release(r);
    atomic_fetch_add_explicit(&b->users, 1, memory_order_relaxed);
    r->shared.buf = b->bytes;
    r->shared.len = b->len;
    r->shared.release = body_drop;
    r->shared.cls = b;
    r->content_encoding = b == e->gz ? "gzip" : NULL;
}

bool gd_viewcache_get(struct gd_req *r, const char *key, int64_t generation)
{
    struct entry *e = slot(key);
    if (!e->key || e->generation != generation || strcmp(e->key, key) != 0) {
        atomic_fetch_add_explicit(&misses, 1, memory_order_relaxed);
        return false;
    }
    atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
    answer(r, e);
    return true;
}

void gd_viewcache_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_addf(sb,
                   "# HELP gongdan_view_cache_requests_total List views asked of the view "
                   "cache, by result.\n# TYPE gongdan_view_cache_requests_total counter\n"
                   "gongdan_view_cache_requests_total{result=\"hit\"} %ld\n"
                   "gongdan_view_cache_requests_total{result=\"miss\"} %ld\n",
                   atomic_load(&hits), atomic_load(&misses));
}

void gd_viewcache_put(struct gd_req *r, const char *key, int64_t generation)
{
    struct entry *e = slot(key);
    if (r->out.len > MAX_BODY) {
        return;
    }
    entry_clear(e);
    e->key = xstrdup(key);
    e->body = body_new(r->out.buf, r->out.len);
    e->generation = generation;
    struct gd_strbuf gz = GD_STRBUF_INIT;
    if (e->body->len >= GD_COMPRESS_MIN && gd_http_gzip(e->body->bytes, e->body->len, &gz)) {
        e->gz = body_new(gz.buf, gz.len);
    }
    gd_strbuf_release(&gz);
    answer(r, e);
}
