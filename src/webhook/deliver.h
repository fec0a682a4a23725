/* The webhook deliverer: one thread that posts each shop's outbox to its endpoints, in order,
 * in batches, signed with the endpoint's secret (HMAC-SHA256), and backs off on failure. An
 * endpoint's cursor moves only when it answers 2xx, so an event is delivered at least once and a
 * receiver deduplicates by event id; the outbox is in the database, so a restart loses nothing.
 *
 * What a receiver gets (docs/webhooks.md): POST with a JSON body {"webhook_id", "events": [...]},
 * headers X-Gongdan-Webhook, X-Gongdan-Delivery (first-last seq) and
 * X-Gongdan-Signature: t=UNIX_SECONDS,v1=hex(HMAC-SHA256(secret, "t." + body)).
 * Thread safety: gd_webhook_nudge may be called from any thread. */
#ifndef GD_WEBHOOK_DELIVER_H
#define GD_WEBHOOK_DELIVER_H
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "base/waker.h"
#include "service/svc.h"

#define GD_WEBHOOK_BATCH 100 /* events per POST */

struct gd_webhook_deliverer {
    pthread_t thread;
    struct gd_waker waker;
    bool running;
    struct gd_svc svc;
    atomic_llong delivered_total, failed_total; /* read by /metrics */
    /* endpoints on loopback, private or link-local addresses are refused unless allowed: a shop
     * must not reach the operator's internal network through its webhooks */
    bool allow_private;
    bool refused;            /* the last connection attempt was refused for that */
    char refused_addr[64];
};

/* Opens its own store on `db_url` and starts the thread. */
int gd_webhook_start(struct gd_webhook_deliverer *d, const char *db_url, bool allow_private,
                     struct gd_svc_shared *shared, struct gd_err *err);
void gd_webhook_nudge(struct gd_webhook_deliverer *d);
void gd_webhook_stop(struct gd_webhook_deliverer *d);

#endif
