/* Signed-in principals by credential, per thread: a session's or API token's user is answered
 * from memory while the generation of that user's shop (store.h shop_generation, read after the
 * request arrived) is the one that was read just before the look-up that filled the entry.
 *
 * Every change that can revoke a credential or change what it stands for (sign-out, a password
 * change or reset, a role change, deactivating the user or the shop, a token removed) is a
 * commit, by this process, another one or another node; it moves that generation, so the first
 * request after it looks the credential up again. A session's expiry is checked here against
 * the clock. On PostgreSQL the generation read is the one the view cache reads anyway (the
 * process's fence, pg/fence.c), so a cached view costs one shared round trip instead of two
 * (docs/decisions.md, "Signed-in principals are cached per generation").
 *
 * A credential nobody has looked up yet on this thread has no generation: its first look-up
 * learns the user's shop, the second (after reading that shop's generation) fills the entry.
 *
 * Thread safety: each thread has its own table (thread-local), freed when the thread ends; the
 * hit and miss counters are atomics. GONGDAN_AUTH_CACHE=0 turns the cache off. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/secret.h"
#include "base/xalloc.h"
#include "service/svc_int.h"

#define SLOTS 256

struct entry {
    const struct gd_store *store; /* NULL: empty */
    int kind;                     /* enum gd_credential_kind */
    char digest[GD_DIGEST_HEX];
    int64_t shop_id;
    bool has_generation;
    int64_t generation;
    int64_t expires_at; /* a session's; 0 for a token */
    int64_t user_id;
    int role;
    bool must_change_password;
    char *username, *display_name, *csrf;
};

static pthread_key_t key_tables;
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static int enabled = -1;
static _Atomic long hits, misses;

static void entry_clear(struct entry *e)
{
    free(e->username);
    free(e->display_name);
    free(e->csrf);
    memset(e, 0, sizeof(*e));
}

static void free_table(void *p)
{
    struct entry *t = p;
    for (int i = 0; i < SLOTS; i++) {
        entry_clear(&t[i]);
    }
    free(t);
}

static void make_key(void) { pthread_key_create(&key_tables, free_table); }

static bool is_enabled(void)
{
    if (enabled < 0) {
        const char *e = getenv("GONGDAN_AUTH_CACHE");
        enabled = !(e && strcmp(e, "0") == 0);
    }
    return enabled;
}

/* The slot of a digest (hex of SHA-256: its first characters are as good as any hash), NULL when
 * the cache is off. */
static struct entry *slot(const char *digest)
{
    if (!is_enabled()) {
        return NULL;
    }
    pthread_once(&key_once, make_key);
    struct entry *t = pthread_getspecific(key_tables);
    if (!t) {
        t = xcalloc(SLOTS, sizeof(*t));
        pthread_setspecific(key_tables, t);
    }
    uint32_t h = 0;
    for (int i = 0; i < 8 && digest[i]; i++) {
        h = h * 16 + (uint32_t)(unsigned char)digest[i];
    }
    return &t[h % SLOTS];
}

static struct entry *find(const struct gd_svc *svc, int kind, const char *digest)
{
    struct entry *e = slot(digest);
    if (!e || e->store != svc->store || e->kind != kind || strcmp(e->digest, digest) != 0) {
        return NULL;
    }
    return e;
}

bool gd_svc__credcache_shop(struct gd_svc *svc, int kind, const char *digest, int64_t *shop_id)
{
    const struct entry *e = find(svc, kind, digest);
    if (e) {
        *shop_id = e->shop_id;
    }
    return e != NULL;
}

bool gd_svc__credcache_get(struct gd_svc *svc, int kind, const char *digest, int64_t generation,
                           int64_t now, struct gd_arena *a, struct gd_actor *actor,
                           const char **csrf)
{
    const struct entry *e = find(svc, kind, digest);
    if (!e || !e->has_generation || e->generation != generation ||
        (e->expires_at && now >= e->expires_at)) {
        return false;
    }
    atomic_fetch_add_explicit(&hits, 1, memory_order_relaxed);
    *actor = (struct gd_actor){
        .user_id = e->user_id,
        .shop_id = e->shop_id,
        .role = e->role,
        .username = gd_arena_strdup(a, e->username),
        .display_name = gd_arena_strdup(a, e->display_name),
        .must_change_password = e->must_change_password,
    };
    if (csrf) {
        *csrf = e->csrf ? gd_arena_strdup(a, e->csrf) : NULL;
    }
    return true;
}

void gd_svc__credcache_put(struct gd_svc *svc, int kind, const char *digest,
                           const struct gd_user *u, const char *csrf, int64_t expires_at,
                           const int64_t *generation)
{
    struct entry *e = slot(digest);
    if (!e) {
        return;
    }
    entry_clear(e);
    e->store = svc->store;
    e->kind = kind;
    snprintf(e->digest, sizeof(e->digest), "%s", digest);
    e->shop_id = u->shop_id;
    e->has_generation = generation != NULL;
    e->generation = generation ? *generation : 0;
    e->expires_at = expires_at;
    e->user_id = u->id;
    e->role = u->role;
    e->must_change_password = u->must_change_password;
    e->username = xstrdup(u->username ? u->username : "");
    e->display_name = xstrdup(u->display_name ? u->display_name : "");
    e->csrf = csrf ? xstrdup(csrf) : NULL;
}

void gd_svc__credcache_missed(void) { atomic_fetch_add_explicit(&misses, 1, memory_order_relaxed); }

void gd_svc__credcache_forget(struct gd_svc *svc, int kind, const char *digest)
{
    struct entry *e = find(svc, kind, digest);
    if (e) {
        entry_clear(e);
    }
}

void gd_svc_credcache_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_addf(sb,
                   "# HELP gongdan_auth_cache_requests_total Sessions and API tokens resolved "
                   "from the per-thread cache of signed-in principals (hit) or looked up in the "
                   "database (miss).\n# TYPE gongdan_auth_cache_requests_total counter\n"
                   "gongdan_auth_cache_requests_total{result=\"hit\"} %ld\n"
                   "gongdan_auth_cache_requests_total{result=\"miss\"} %ld\n",
                   atomic_load(&hits), atomic_load(&misses));
}
