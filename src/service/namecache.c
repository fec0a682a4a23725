/* People's display names for a list's keys, per thread, each valid for one generation of the
 * viewer's shop (store.h shop_generation), as the signed-in principals are (credcache.c).
 *
 * A list's keys carry the names of each row's handler and creator, which change without the
 * row's version (a rename). On PostgreSQL joining them in the keys statement is two thirds of
 * its server time (50 look-ups of the creators in users); here a name is answered from memory
 * while the generation the request's authentication read (after the request arrived) is the one
 * read before the name was looked up. A rename is a commit of the user's shop (or of the
 * platform, for platform staff): it moves the generation of every view that can show the name,
 * so the first list after it reads the names again. The names a thread lacks are read in one
 * statement (store.h users_names). The first list of a shop at a new generation on a thread
 * still joins the names in its keys statement and keeps them, so no view takes more statements
 * than before: on PostgreSQL every commit moves the generation, and a thread's first view after
 * it would otherwise read its keys and then every name. docs/decisions.md, "Rendered list rows
 * are kept by version".
 *
 * Thread safety: each thread has its own table (thread-local), freed when the thread ends.
 * GONGDAN_NAME_CACHE=0 turns it off (the names are then joined in the keys statement). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "base/xalloc.h"
#include "service/svc_int.h"

#define SLOTS 256
#define SHOP_SLOTS 64

struct entry {
    const struct gd_store *store; /* NULL: empty */
    int64_t user_id, shop_id, generation;
    char *name;
};

/* a shop whose names this thread kept at `generation` (a list's joined names) */
struct warm {
    const struct gd_store *store;
    int64_t shop_id, generation;
};

struct table {
    struct entry names[SLOTS];
    struct warm shops[SHOP_SLOTS];
};

static pthread_key_t key_tables;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int enabled = -1;

static void free_table(void *p)
{
    struct table *t = p;
    for (int i = 0; i < SLOTS; i++) {
        free(t->names[i].name);
    }
    free(t);
}

static void make_key(void) { pthread_key_create(&key_tables, free_table); }

bool gd_svc__namecache_usable(const struct gd_actor *actor, const struct gd_svc_gen *known)
{
    if (enabled < 0) {
        const char *e = getenv("GONGDAN_NAME_CACHE");
        enabled = !(e && strcmp(e, "0") == 0);
    }
    return enabled && known && known->set && known->shop_id == actor->shop_id;
}

static struct table *table(void)
{
    pthread_once(&key_once, make_key);
    struct table *t = pthread_getspecific(key_tables);
    if (!t) {
        t = xcalloc(1, sizeof(*t));
        pthread_setspecific(key_tables, t);
    }
    return t;
}

/* ids are sparse: mixed, then the top bits */
static uint64_t mix(int64_t id) { return (uint64_t)id * 0x9E3779B97F4A7C15u; }

static struct entry *slot(int64_t user_id) { return &table()->names[mix(user_id) >> 56]; }

static struct warm *shop_slot(int64_t shop_id) { return &table()->shops[mix(shop_id) >> 58]; }

bool gd_svc__namecache_warm(const struct gd_svc *svc, const struct gd_svc_gen *gen)
{
    const struct warm *w = shop_slot(gen->shop_id);
    return w->store == svc->store && w->shop_id == gen->shop_id && w->generation == gen->value;
}

static const char *cached(const struct gd_svc *svc, int64_t shop_id, int64_t generation,
                          int64_t user_id)
{
    const struct entry *e = slot(user_id);
    bool hit = e->store == svc->store && e->user_id == user_id && e->shop_id == shop_id &&
               e->generation == generation;
    return hit ? e->name : NULL;
}

static void put(const struct gd_svc *svc, int64_t shop_id, int64_t generation, int64_t user_id,
                const char *name)
{
    struct entry *e = slot(user_id);
    free(e->name);
    *e = (struct entry){svc->store, user_id, shop_id, generation, xstrdup(name)};
}

/* The name of `id` copied into *dst (the table's copy may be freed by a later put), or the id
 * added to the ones to read. */
static void want(struct gd_svc *svc, const struct gd_svc_gen *gen, struct gd_arena *a, int64_t id,
                 const char **dst, int64_t *missing, int *nmissing)
{
    const char *name = cached(svc, gen->shop_id, gen->value, id);
    if (name) {
        *dst = gd_arena_strdup(a, name);
        return;
    }
    for (int i = 0; i < *nmissing; i++) {
        if (missing[i] == id) {
            return;
        }
    }
    missing[(*nmissing)++] = id;
}

void gd_svc__names_keep(struct gd_svc *svc, const struct gd_svc_gen *gen,
                        const struct gd_workorder *rows, int n)
{
    for (int i = 0; i < n; i++) {
        const char *h = rows[i].handler_name, *c = rows[i].creator_name;
        if (rows[i].handler_id && h && !cached(svc, gen->shop_id, gen->value, rows[i].handler_id)) {
            put(svc, gen->shop_id, gen->value, rows[i].handler_id, h);
        }
        if (c && !cached(svc, gen->shop_id, gen->value, rows[i].creator_id)) {
            put(svc, gen->shop_id, gen->value, rows[i].creator_id, c);
        }
    }
    *shop_slot(gen->shop_id) = (struct warm){svc->store, gen->shop_id, gen->value};
}

int gd_svc__names_fill(struct gd_svc *svc, const struct gd_svc_gen *gen, struct gd_arena *a,
                       struct gd_workorder *rows, int n, struct gd_err *err)
{
    int64_t *missing = gd_arena_alloc(a, sizeof(*missing) * 2 * (size_t)(n > 0 ? n : 1));
    int nmissing = 0;

    for (int i = 0; i < n; i++) {
        if (rows[i].handler_id) {
            want(svc, gen, a, rows[i].handler_id, &rows[i].handler_name, missing, &nmissing);
        }
        want(svc, gen, a, rows[i].creator_id, &rows[i].creator_name, missing, &nmissing);
    }
    if (nmissing) {
        const char **names = gd_arena_alloc(a, sizeof(*names) * (size_t)nmissing);
        int ret = GD_STORE(svc->store, users_names, missing, nmissing, a, names, err);
        if (ret) {
            return ret;
        }
        for (int j = 0; j < nmissing; j++) {
            for (int i = 0; i < n; i++) {
                if (rows[i].handler_id == missing[j] && rows[i].handler_id) {
                    rows[i].handler_name = names[j];
                }
                if (rows[i].creator_id == missing[j]) {
                    rows[i].creator_name = names[j];
                }
            }
            if (names[j]) {
                put(svc, gen->shop_id, gen->value, missing[j], names[j]);
            }
        }
    }
    return GD_OK;
}
