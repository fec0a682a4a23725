/* The rendered rows of the list views by id and what else their rendering depends on (see
 * rowcache.h). One entry per work order: a newer version replaces the older. The rows are spread
 * over shards by id, each a hash table with its own lock and its own least-recently-used list
 * and its share of the bound, so threads rendering different pages rarely wait for each other
 * and a shard's lock is held only for a look-up and a copy of a few hundred bytes. */
#include "http/rowcache.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "base/xalloc.h"

#define SHARDS 16
#define BUCKETS 4096 /* per shard: 65,536 chains for the ~90,000 rows of the default bound */
#define DEFAULT_MB 64
#define MAX_MB 4096
/* How long before its deadline a row rendered not overdue stops being served: the engine that
 * marks it may run on another node, whose clock may be ahead of this one's. */
#define CLOCK_MARGIN_MS 60000

/* A place in a shard's use order (first in struct row, so a link is its row). */
struct use {
    struct use *newer, *older;
};

struct row {
    struct use use;
    struct row *chain; /* the next in its bucket */
    int64_t id, shop_id, version, handler_id, creator_id;
    bool overdue;                            /* the flag it was rendered with */
    const char *handler_name, *creator_name; /* in text[], after the JSON; NULL as read */
    size_t len;                              /* of the JSON */
    size_t bytes;                            /* what the row counts against the bound */
    char text[];
};

struct shard {
    pthread_mutex_t lock;
    struct row *buckets[BUCKETS];
    struct use used; /* used.older is the most recent row, used.newer the least */
    size_t bytes;
};

static struct shard *shards;
static size_t shard_bound; /* bytes per shard */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static _Atomic long hits, misses, rows_kept, bytes_kept; /* for /metrics */

static void setup(void)
{
    const char *e = getenv("GONGDAN_ROW_CACHE_MB");
    char *end = NULL;
    long mb = e && *e ? strtol(e, &end, 10) : DEFAULT_MB;
    if (e && *e && (*end || mb < 0 || mb > MAX_MB)) {
        mb = DEFAULT_MB;
    }
    if (mb == 0) {
        return;
    }
    shard_bound = (size_t)mb * 1024 * 1024 / SHARDS;
    shards = xcalloc(SHARDS, sizeof(*shards));
    for (int i = 0; i < SHARDS; i++) {
        pthread_mutex_init(&shards[i].lock, NULL);
        shards[i].used.newer = shards[i].used.older = &shards[i].used;
    }
}

bool gd_rowcache_enabled(void)
{
    pthread_once(&once, setup);
    return shards != NULL;
}

static bool same_name(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

bool gd_rowcache_is_same(const struct gd_workorder *a, const struct gd_workorder *b)
{
    return a->id == b->id && a->shop_id == b->shop_id && a->version == b->version &&
           a->handler_id == b->handler_id && a->creator_id == b->creator_id &&
           same_name(a->handler_name, b->handler_name) &&
           same_name(a->creator_name, b->creator_name);
}

/* The overdue mark sets the flag without moving the version, once the deadline has passed, and
 * no write clears it without moving the version: a row rendered not overdue is served only while
 * its deadline is more than the margin away (then the mark cannot have come yet). */
static bool overdue_holds(const struct row *r, const struct gd_workorder *key, int64_t now)
{
    return r->overdue || !gd_workorder_is_past_due(key, now + CLOCK_MARGIN_MS);
}

static bool row_is(const struct row *r, const struct gd_workorder *w, int64_t now)
{
    return r->id == w->id && r->shop_id == w->shop_id && r->version == w->version &&
           r->handler_id == w->handler_id && r->creator_id == w->creator_id &&
           same_name(r->handler_name, w->handler_name) &&
           same_name(r->creator_name, w->creator_name) && overdue_holds(r, w, now);
}

static uint64_t mix(int64_t id)
{
    uint64_t x = (uint64_t)id * 0x9E3779B97F4A7C15ull;
    return x ^ (x >> 29);
}

static struct shard *shard_of(int64_t id, struct row ***bucket)
{
    uint64_t h = mix(id);
    struct shard *s = &shards[h % SHARDS];
    *bucket = &s->buckets[(h / SHARDS) % BUCKETS];
    return s;
}

static void unlink_use(struct row *r)
{
    r->use.newer->older = r->use.older;
    r->use.older->newer = r->use.newer;
}

static void link_recent(struct shard *s, struct row *r)
{
    r->use.older = s->used.older;
    r->use.newer = &s->used;
    s->used.older->newer = &r->use;
    s->used.older = &r->use;
}

/* Takes the row of work order `id` out of its shard (the caller frees it). */
static struct row *take(struct shard *s, struct row **bucket, int64_t id)
{
    for (struct row **p = bucket; *p; p = &(*p)->chain) {
        struct row *r = *p;
        if (r->id == id) {
            *p = r->chain;
            unlink_use(r);
            s->bytes -= r->bytes;
            atomic_fetch_sub_explicit(&rows_kept, 1, memory_order_relaxed);
            atomic_fetch_sub_explicit(&bytes_kept, (long)r->bytes, memory_order_relaxed);
            return r;
        }
    }
    return NULL;
}

bool gd_rowcache_get(const struct gd_workorder *key, int64_t now, struct gd_arena *a,
                     const char **json, size_t *len)
{
    struct row **bucket;
    bool found = false;

    if (!gd_rowcache_enabled()) {
        return false;
    }
    struct shard *s = shard_of(key->id, &bucket);

    pthread_mutex_lock(&s->lock);
    for (struct row *r = *bucket; r; r = r->chain) {
        if (r->id == key->id) {
            if (row_is(r, key, now)) {
                unlink_use(r);
                link_recent(s, r);
                *json = gd_arena_strndup(a, r->text, r->len);
                *len = r->len;
                found = true;
            }
            break;
        }
    }
    pthread_mutex_unlock(&s->lock);
    atomic_fetch_add_explicit(found ? &hits : &misses, 1, memory_order_relaxed);
    return found;
}

static const char *copy_name(char **at, const char *name)
{
    if (!name) {
        return NULL;
    }
    size_t n = strlen(name) + 1;
    memcpy(*at, name, n);
    *at += n;
    return *at - n;
}

void gd_rowcache_put(const struct gd_workorder *row, const char *json, size_t len)
{
    size_t hn = row->handler_name ? strlen(row->handler_name) + 1 : 0;
    size_t cn = row->creator_name ? strlen(row->creator_name) + 1 : 0;
    /* malloc's own header counted too, so the bound is near what the process holds */
    size_t bytes = sizeof(struct row) + len + hn + cn + 16;
    if (!gd_rowcache_enabled() || bytes > shard_bound) {
        return;
    }
    struct row *r = xmalloc(sizeof(*r) + len + hn + cn);
    char *at = r->text + len;
    memcpy(r->text, json, len);
    r->handler_name = copy_name(&at, row->handler_name);
    r->creator_name = copy_name(&at, row->creator_name);
    r->id = row->id;
    r->shop_id = row->shop_id;
    r->version = row->version;
    r->handler_id = row->handler_id;
    r->creator_id = row->creator_id;
    r->overdue = row->overdue;
    r->len = len;
    r->bytes = bytes;

    struct row **bucket;
    struct shard *s = shard_of(row->id, &bucket);
    struct row *old, *gone = NULL;
    pthread_mutex_lock(&s->lock);
    old = take(s, bucket, row->id);
    while (s->bytes + bytes > shard_bound && s->used.newer != &s->used) {
        struct row *lru = (struct row *)s->used.newer, **b;
        shard_of(lru->id, &b);
        lru = take(s, b, lru->id);
        lru->chain = gone;
        gone = lru;
    }
    r->chain = *bucket;
    *bucket = r;
    link_recent(s, r);
    s->bytes += bytes;
    pthread_mutex_unlock(&s->lock);
    atomic_fetch_add_explicit(&rows_kept, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&bytes_kept, (long)bytes, memory_order_relaxed);
    free(old);
    while (gone) {
        struct row *next = gone->chain;
        free(gone);
        gone = next;
    }
}

void gd_rowcache_metrics(struct gd_strbuf *sb)
{
    gd_rowcache_enabled();
    gd_strbuf_addf(sb,
                   "# HELP gongdan_row_cache_requests_total List rows asked of the rendered "
                   "row cache, by result.\n# TYPE gongdan_row_cache_requests_total counter\n"
                   "gongdan_row_cache_requests_total{result=\"hit\"} %ld\n"
                   "gongdan_row_cache_requests_total{result=\"miss\"} %ld\n"
                   "# HELP gongdan_row_cache_rows Rendered list rows kept.\n"
                   "# TYPE gongdan_row_cache_rows gauge\ngongdan_row_cache_rows %ld\n"
                   "# HELP gongdan_row_cache_bytes Bytes the kept rows count against the "
                   "bound.\n# TYPE gongdan_row_cache_bytes gauge\ngongdan_row_cache_bytes %ld\n"
                   "# HELP gongdan_row_cache_bound_bytes The row cache's bound "
                   "(GONGDAN_ROW_CACHE_MB).\n# TYPE gongdan_row_cache_bound_bytes gauge\n"
                   "gongdan_row_cache_bound_bytes %zu\n",
                   atomic_load(&hits), atomic_load(&misses), atomic_load(&rows_kept),
                   atomic_load(&bytes_kept), shard_bound * SHARDS);
}
