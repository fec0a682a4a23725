/* Deferred counter and rollup moves for a batch of changes in one transaction (the deadline
 * engine fires thousands of timers per transaction). Instead of one upsert per change, the
 * deltas are summed per key and written once per key before the commit, so a burst of 2,000
 * overdue marks in a shop costs a handful of counter writes, not 4,000. The results are the same
 * as writing each change at once: counters are sums. */
#include "base/xalloc.h"
#include "service/svc_int.h"

#define SLOTS 1024

struct counter_slot {
    bool used;
    int64_t shop_id;
    char key[GD_COUNTER_KEY];
    int64_t delta;
};

struct rollup_slot {
    bool used;
    int64_t shop_id;
    struct gd_stats_key key;
    struct gd_stats_counts delta;
};

struct gd_svc_batch {
    struct counter_slot counters[SLOTS];
    struct rollup_slot rollups[SLOTS];
    int ncounters, nrollups;
};

void gd_svc__batch_start(struct gd_svc *svc) { svc->batch = xcalloc(1, sizeof(*svc->batch)); }

void gd_svc__batch_discard(struct gd_svc *svc)
{
    free(svc->batch);
    svc->batch = NULL;
}

static uint32_t hash(const void *p, size_t n, uint32_t h)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ c[i]) * 16777619u;
    }
    return h;
}

bool gd_svc__batch_counter(struct gd_svc *svc, int64_t shop_id, const char *key, int delta)
{
    struct gd_svc_batch *b = svc->batch;
    if (!b || b->ncounters >= SLOTS / 2) {
        return false; /* not batching, or full: the caller writes it now */
    }
    uint32_t h = hash(key, strlen(key), hash(&shop_id, sizeof(shop_id), 2166136261u));
    for (uint32_t i = 0;; i++) {
        struct counter_slot *s = &b->counters[(h + i) % SLOTS];
        if (!s->used) {
            s->used = true;
            s->shop_id = shop_id;
            snprintf(s->key, sizeof(s->key), "%s", key);
            s->delta = delta;
            b->ncounters++;
            return true;
        }
        if (s->shop_id == shop_id && strcmp(s->key, key) == 0) {
            s->delta += delta;
            return true;
        }
    }
}

int64_t gd_svc__batch_pending(struct gd_svc *svc, int64_t shop_id, const char *key)
{
    struct gd_svc_batch *b = svc->batch;
    if (!b) {
        return 0;
    }
    uint32_t h = hash(key, strlen(key), hash(&shop_id, sizeof(shop_id), 2166136261u));
    for (uint32_t i = 0;; i++) {
        struct counter_slot *s = &b->counters[(h + i) % SLOTS];
        if (!s->used) {
            return 0;
        }
        if (s->shop_id == shop_id && strcmp(s->key, key) == 0) {
            return s->delta;
        }
    }
}

bool gd_svc__batch_rollup(struct gd_svc *svc, int64_t shop_id, const struct gd_stats_key *key,
                          const struct gd_stats_counts *delta, int sign)
{
    struct gd_svc_batch *b = svc->batch;
    if (!b || b->nrollups >= SLOTS / 2) {
        return false;
    }
    uint32_t h = hash(&key->day, sizeof(key->day), hash(&shop_id, sizeof(shop_id), 2166136261u));
    h = hash(&key->handler_id, sizeof(key->handler_id), hash(&key->type, sizeof(key->type), h));
    for (uint32_t i = 0;; i++) {
        struct rollup_slot *s = &b->rollups[(h + i) % SLOTS];
        if (!s->used) {
            s->used = true;
            s->shop_id = shop_id;
            s->key = *key;
            b->nrollups++;
        } else if (s->shop_id != shop_id || s->key.day != key->day || s->key.type != key->type ||
                   s->key.handler_id != key->handler_id) {
            continue;
        }
        gd_stats_counts_add(&s->delta, delta, sign);
        return true;
    }
}

int gd_svc__batch_flush(struct gd_svc *svc, struct gd_err *err)
{
    struct gd_svc_batch *b = svc->batch;
    int ret = GD_OK;

    svc->batch = NULL; /* the writes below go straight to the store */
    for (int i = 0; b && !ret && i < SLOTS; i++) {
        struct counter_slot *s = &b->counters[i];
        if (s->used && s->delta) {
            ret = GD_STORE(svc->store, counter_add, s->shop_id, s->key, (int)s->delta, err);
        }
    }
    for (int i = 0; b && !ret && i < SLOTS; i++) {
        struct rollup_slot *s = &b->rollups[i];
        if (s->used && !gd_stats_counts_is_zero(&s->delta)) {
            ret = GD_STORE(svc->store, stats_rollup_add, s->shop_id, &s->key, &s->delta, -1, -1, 1,
                           err);
        }
    }
    free(b);
    return ret;
}
