/* Which shops have webhook endpoints, as far as one write transaction has looked (outbox_add of
 * both backends): a transaction that writes many events (the deadline engine fires 2,000 timers
 * in one) looks once per shop, not once per event. A store handle holds one, cleared when a
 * transaction begins or ends and when the handle adds or removes an endpoint; outside a
 * transaction nothing is kept. An endpoint another connection adds while the transaction runs
 * counts from the next transaction on, as if it had been added after this one (on SQLite no other
 * writer runs meanwhile). Per handle, so no locking. */
#ifndef GD_STORE_HOOK_CACHE_H
#define GD_STORE_HOOK_CACHE_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define GD_HOOK_CACHE 16 /* shops remembered, by id modulo this */

struct gd_hook_cache {
    int64_t shop[GD_HOOK_CACHE]; /* 0 = empty */
    bool has[GD_HOOK_CACHE];
};

static inline void gd_hook_cache_clear(struct gd_hook_cache *c) { memset(c, 0, sizeof(*c)); }

/* 1: the shop has an endpoint, 0: it has none, -1: not looked at yet */
static inline int gd_hook_cache_get(const struct gd_hook_cache *c, int64_t shop_id)
{
    int i = (int)((uint64_t)shop_id % GD_HOOK_CACHE);
    return c->shop[i] == shop_id ? c->has[i] : -1;
}

static inline void gd_hook_cache_put(struct gd_hook_cache *c, int64_t shop_id, bool has)
{
    int i = (int)((uint64_t)shop_id % GD_HOOK_CACHE);
    c->shop[i] = shop_id;
    c->has[i] = has;
}

#endif
