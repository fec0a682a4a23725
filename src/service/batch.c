/* Deferred counter and rollup moves for a batch of changes in one transaction (the deadline
 * engine fires thousands of timers per transaction). Instead of one upsert per change, the
 * deltas are summed per key and written once per key before the commit, so a burst of 2,000
 * overdue marks in a shop costs a handful of counter writes, not 4,000. The results are the same
 * as writing each change at once: counters are sums. The work orders' statistics contributions
 * (stats_wo) are read for the whole batch at once and written back together before the commit:
 * the batch's copy is what every read in the batch sees. */
#include "base/xalloc.h"
#include "service/svc_int.h"

#define SLOTS 1024
#define CONTRIBS 8192       /* work orders' contributions, at most half full */
#define PEOPLE 64           /* people told in the batch (notify.c), remembered */
#define CONTRIBS_WRITE 1000 /* contributions per write at the flush */

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

struct contrib_slot {
    int64_t workorder_id; /* 0 = free */
    int64_t shop_id;
    bool present; /* the work order has a contribution, c */
    bool dirty;   /* changed in this batch: the flush writes it */
    struct gd_stats_contrib c;
};

struct gd_svc_batch {
    struct counter_slot counters[SLOTS];
    struct rollup_slot rollups[SLOTS];
    int ncounters, nrollups;
    struct contrib_slot *contribs; /* CONTRIBS, allocated on first use */
    int ncontribs;
    struct gd_user people[PEOPLE]; /* their strings, and muted[i], in `arena` */
    const char *muted[PEOPLE];
    int npeople;
    struct gd_arena arena;
};

void gd_svc__batch_start(struct gd_svc *svc)
{
    svc->batch = xcalloc(1, sizeof(*svc->batch));
    svc->batch->arena = (struct gd_arena)GD_ARENA_INIT;
}

void gd_svc__batch_discard(struct gd_svc *svc)
{
    if (svc->batch) {
        free(svc->batch->contribs);
        gd_arena_release(&svc->batch->arena);
    }
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

/* The slot of a work order's contribution; with `add`, a free one is taken (NULL when not
 * batching or the table is half full). */
static struct contrib_slot *contrib_slot(struct gd_svc_batch *b, int64_t workorder_id, bool add)
{
    if (!b || (!b->contribs && !add)) {
        return NULL;
    }
    if (!b->contribs) {
        b->contribs = xcalloc(CONTRIBS, sizeof(*b->contribs));
    }
    uint32_t h = hash(&workorder_id, sizeof(workorder_id), 2166136261u);
    for (uint32_t i = 0;; i++) {
        struct contrib_slot *s = &b->contribs[(h + i) % CONTRIBS];
        if (s->workorder_id == workorder_id) {
            return s;
        }
        if (!s->workorder_id) {
            if (!add || b->ncontribs >= CONTRIBS / 2) {
                return NULL;
            }
            s->workorder_id = workorder_id;
            b->ncontribs++;
            return s;
        }
    }
}

int gd_svc__batch_contribs_load(struct gd_svc *svc, const int64_t *shop_ids, const int64_t *ids,
                                int n, struct gd_err *err)
{
    struct gd_svc_batch *b = svc->batch;
    if (!b || n <= 0 || b->ncontribs + n > CONTRIBS / 2) {
        return GD_OK; /* each is read when it is needed */
    }
    struct gd_stats_contrib *c = xcalloc((size_t)n, sizeof(*c));
    bool *found = xcalloc((size_t)n, sizeof(*found));
    int ret = GD_STORE(svc->store, stats_contribs_get, shop_ids, ids, n, c, found, err);
    for (int i = 0; !ret && i < n; i++) {
        struct contrib_slot *s = contrib_slot(b, ids[i], true);
        if (s && !s->dirty) {
            s->shop_id = shop_ids[i];
            s->present = found[i];
            s->c = c[i];
        }
    }
    free(c);
    free(found);
    return ret;
}

int gd_svc__batch_contrib_get(struct gd_svc *svc, int64_t shop_id, int64_t workorder_id,
                              struct gd_stats_contrib *out)
{
    struct contrib_slot *s = contrib_slot(svc->batch, workorder_id, false);
    if (!s || s->shop_id != shop_id) {
        return -1;
    }
    if (s->present) {
        *out = s->c;
    }
    return s->present;
}

bool gd_svc__batch_contrib_put(struct gd_svc *svc, int64_t shop_id, int64_t workorder_id,
                               const struct gd_stats_contrib *c)
{
    struct contrib_slot *s = contrib_slot(svc->batch, workorder_id, true);
    if (!s || (s->shop_id && s->shop_id != shop_id)) {
        return false;
    }
    s->shop_id = shop_id;
    s->present = true;
    s->dirty = true;
    s->c = *c;
    return true;
}

bool gd_svc__batch_person(struct gd_svc *svc, int64_t user_id, struct gd_user *u,
                          const char **muted)
{
    struct gd_svc_batch *b = svc->batch;
    for (int i = 0; b && i < b->npeople; i++) {
        if (b->people[i].id == user_id) {
            *u = b->people[i];
            *muted = b->muted[i];
            return true;
        }
    }
    return false;
}

void gd_svc__batch_person_put(struct gd_svc *svc, const struct gd_user *u, const char *muted)
{
    struct gd_svc_batch *b = svc->batch;
    if (!b || b->npeople == PEOPLE) {
        return;
    }
    struct gd_user *p = &b->people[b->npeople];
    *p = *u;
    p->username = gd_arena_strdup(&b->arena, u->username ? u->username : "");
    p->display_name = gd_arena_strdup(&b->arena, u->display_name ? u->display_name : "");
    p->pwhash = "";
    b->muted[b->npeople++] = gd_arena_strdup(&b->arena, muted ? muted : "");
}

/* The contributions the batch changed, CONTRIBS_WRITE to a statement. */
static int write_contribs(struct gd_svc *svc, struct gd_svc_batch *b, struct gd_err *err)
{
    int64_t shops[CONTRIBS_WRITE], ids[CONTRIBS_WRITE];
    struct gd_stats_contrib *c = xcalloc(CONTRIBS_WRITE, sizeof(*c));
    int n = 0, ret = GD_OK;

    for (int i = 0; !ret && i <= CONTRIBS; i++) {
        if (i < CONTRIBS && b->contribs[i].dirty) {
            shops[n] = b->contribs[i].shop_id;
            ids[n] = b->contribs[i].workorder_id;
            c[n++] = b->contribs[i].c;
        }
        if (n && (n == CONTRIBS_WRITE || i == CONTRIBS)) {
            ret = GD_STORE(svc->store, stats_contribs_put, shops, ids, c, n, err);
            n = 0;
        }
    }
    free(c);
    return ret;
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
    if (!ret && b && b->contribs) {
        ret = write_contribs(svc, b, err);
    }
    if (b) {
        free(b->contribs);
        gd_arena_release(&b->arena);
    }
    free(b);
    return ret;
}
