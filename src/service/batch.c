/* Deferred counter and rollup moves for a batch of changes in one transaction (the deadline
 * engine fires thousands of timers per transaction). Instead of one upsert per change, the
 * deltas are summed per key and written once per key before the commit, so a burst of 2,000
 * overdue marks in a shop costs a handful of counter writes, not 4,000. The results are the same
 * as writing each change at once: counters are sums. The work orders' statistics contributions
 * (stats_wo) are read for the whole batch at once and written back together before the commit:
 * the batch's copy is what every read in the batch sees. While the firing engine defers rows (a
 * timer whose writes nothing later in the batch reads back), a work order's overdue mark, its
 * event with its place in the webhooks' outbox and its notification are queued and written a
 * statement per kind for the batch (rows_write), not a statement each. */
#include "base/xalloc.h"
#include "service/svc_int.h"

#define SLOTS 1024
#define CONTRIBS 8192       /* work orders' contributions, at most half full */
#define PEOPLE 64           /* people told in the batch (notify.c), remembered */
#define CONTRIBS_WRITE 1000 /* contributions per write at the flush */
#define ROWS_WRITE 2000     /* queued rows per statement */

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

/* The rows queued while deferring, in the order they were made; strings in the batch's arena. */
struct queued_rows {
    struct gd_workorder *marks; /* the overdue marks: id, shop, overdue, version, updated_at */
    int nmarks, capmarks;
    struct gd_event *events;
    bool *owed; /* queued for the shop's webhooks too */
    int nevents, capevents;
    struct gd_notification *notes;
    int nnotes, capnotes;
};

struct gd_svc_batch {
    bool defer; /* queue rows (the firing engine turns it on and off) */
    struct queued_rows rows;
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

static void batch_free(struct gd_svc_batch *b)
{
    if (b) {
        free(b->rows.marks);
        free(b->rows.events);
        free(b->rows.owed);
        free(b->rows.notes);
        free(b->contribs);
        gd_arena_release(&b->arena);
    }
    free(b);
}

void gd_svc__batch_discard(struct gd_svc *svc)
{
    batch_free(svc->batch);
    svc->batch = NULL;
}

void gd_svc__batch_defer(struct gd_svc *svc, bool on)
{
    if (svc->batch) {
        svc->batch->defer = on;
    }
}

/* Is an array of cap items full at n? Then cap grows (the caller reallocates to it). */
static bool full(int n, int *cap)
{
    if (n < *cap) {
        return false;
    }
    *cap = *cap ? 2 * *cap : 256;
    return true;
}
#define RESIZE(p, cap) ((p) = xrealloc((p), sizeof(*(p)) * (size_t)(cap)))

static const char *keep(struct gd_svc_batch *b, const char *s)
{
    return s ? gd_arena_strdup(&b->arena, s) : NULL;
}

bool gd_svc__batch_mark_overdue(struct gd_svc *svc, const struct gd_workorder *wo)
{
    struct gd_svc_batch *b = svc->batch;
    if (!b || !b->defer) {
        return false;
    }
    struct queued_rows *r = &b->rows;
    if (full(r->nmarks, &r->capmarks)) {
        RESIZE(r->marks, r->capmarks);
    }
    r->marks[r->nmarks++] = (struct gd_workorder){.id = wo->id,
                                                  .shop_id = wo->shop_id,
                                                  .overdue = wo->overdue,
                                                  .version = wo->version,
                                                  .updated_at = wo->updated_at};
    return true;
}

bool gd_svc__batch_event(struct gd_svc *svc, const struct gd_event *ev, bool owed)
{
    struct gd_svc_batch *b = svc->batch;
    if (!b || !b->defer) {
        return false;
    }
    struct queued_rows *r = &b->rows;
    if (full(r->nevents, &r->capevents)) {
        RESIZE(r->events, r->capevents);
        RESIZE(r->owed, r->capevents);
    }
    struct gd_event *e = &r->events[r->nevents];
    *e = *ev;
    e->kind = keep(b, ev->kind);
    e->actor_name = NULL;
    e->data = keep(b, ev->data);
    r->owed[r->nevents++] = owed;
    return true;
}

bool gd_svc__batch_notification(struct gd_svc *svc, const struct gd_notification *n)
{
    struct gd_svc_batch *b = svc->batch;
    if (!b || !b->defer) {
        return false;
    }
    struct queued_rows *r = &b->rows;
    if (full(r->nnotes, &r->capnotes)) {
        RESIZE(r->notes, r->capnotes);
    }
    struct gd_notification *x = &r->notes[r->nnotes++];
    *x = *n;
    x->kind = keep(b, n->kind);
    x->title = keep(b, n->title);
    x->actor_name = keep(b, n->actor_name);
    x->text = keep(b, n->text);
    return true;
}

/* Position order within a shop: the outbox of each shop in the order its events were made. */
static int by_shop(const void *x, const void *y)
{
    const int64_t *a = x, *b = y;
    if (a[0] != b[0]) {
        return a[0] < b[0] ? -1 : 1;
    }
    return (a[1] > b[1]) - (a[1] < b[1]);
}

/* The owed events' places in their shops' outboxes: one write per shop. */
static int outbox_write(struct gd_svc *svc, const struct queued_rows *r, struct gd_err *err)
{
    int64_t *order = xmalloc(2 * sizeof(*order) * (size_t)(r->nevents + 1));
    int64_t *ids = xmalloc(sizeof(*ids) * (size_t)(r->nevents + 1));
    int n = 0, ret = GD_OK;

    for (int i = 0; i < r->nevents; i++) {
        if (r->owed[i]) {
            order[2 * n] = r->events[i].shop_id;
            order[2 * n++ + 1] = i;
        }
    }
    qsort(order, (size_t)n, 2 * sizeof(*order), by_shop);
    for (int i = 0, k = 0; !ret && i < n; i++) {
        ids[k++] = r->events[order[2 * i + 1]].id;
        if (k == ROWS_WRITE || i + 1 == n || order[2 * (i + 1)] != order[2 * i]) {
            ret = GD_STORE(svc->store, outbox_add_many, order[2 * i], ids, k, err);
            k = 0;
        }
    }
    free(order);
    free(ids);
    return ret;
}

/* Writes the queued rows, ROWS_WRITE to a statement, and forgets them. */
static int rows_write(struct gd_svc *svc, struct queued_rows *r, struct gd_err *err)
{
    int ret = GD_OK, k;

    for (int i = 0; !ret && i < r->nmarks; i += k) {
        k = r->nmarks - i < ROWS_WRITE ? r->nmarks - i : ROWS_WRITE;
        ret = GD_STORE(svc->store, workorders_mark_overdue_many, r->marks + i, k, err);
    }
    for (int i = 0; !ret && i < r->nevents; i += k) {
        k = r->nevents - i < ROWS_WRITE ? r->nevents - i : ROWS_WRITE;
        ret = GD_STORE(svc->store, events_append_many, r->events + i, k, err);
    }
    if (!ret && r->nevents) {
        ret = outbox_write(svc, r, err);
    }
    for (int i = 0; !ret && i < r->nnotes; i += k) {
        k = r->nnotes - i < ROWS_WRITE ? r->nnotes - i : ROWS_WRITE;
        ret = GD_STORE(svc->store, notifications_insert_many, r->notes + i, k, err);
    }
    r->nmarks = r->nevents = r->nnotes = 0;
    return ret;
}

int gd_svc__batch_rows_flush(struct gd_svc *svc, struct gd_err *err)
{
    return svc->batch ? rows_write(svc, &svc->batch->rows, err) : GD_OK;
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
    if (b) {
        ret = rows_write(svc, &b->rows, err);
    }
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
    batch_free(b);
    return ret;
}
