/* The webhook deliverer: one thread that posts each shop's outbox to its endpoints, in order,
 * in batches, signed with the endpoint's secret (HMAC-SHA256), and backs off on failure. An
 * endpoint's cursor moves only when it answers 2xx, so an event is delivered at least once and a
 * receiver deduplicates by event id; the outbox is in the database, so a restart loses nothing.
 *
 * Endpoints are delivered to concurrently (libcurl's multi interface, at most
 * GD_WEBHOOK_TRANSFERS_MAX transfers in flight, at most one per endpoint so each keeps its order):
 * an endpoint that hangs holds back only itself, for at most its attempt's time budget.
 *
 * What a receiver gets (docs/webhooks.md): POST with a JSON body {"webhook_id", "events": [...]},
 * headers X-Gongdan-Webhook, X-Gongdan-Delivery (first-last seq) and
 * X-Gongdan-Signature: t=UNIX_SECONDS,v1=hex(HMAC-SHA256(secret, "t." + body)).
 * Ownership: the caller owns the struct (zeroed or not); start fills it, stop releases it.
 * Thread safety: gd_webhook_nudge and gd_webhook_metrics may be called from any thread. */
#ifndef GD_WEBHOOK_DELIVER_H
#define GD_WEBHOOK_DELIVER_H
#include <stdatomic.h>
#include <stdbool.h>
#include "base/strbuf.h"
#include "base/worker.h"
#include "service/svc.h"

#define GD_WEBHOOK_BATCH 100        /* events per POST */
#define GD_WEBHOOK_TRANSFERS_MAX 32 /* POSTs in flight at once */

struct gd_webhook_transfer;

struct gd_webhook_deliverer {
    struct gd_worker worker;
    void *multi; /* CURLM *, woken by nudges (the worker's interrupt); NULL once stopped */
    int64_t look_at, trimmed_at, counted_at; /* the thread's: next look, trim, backlog count */
    struct gd_svc svc;
    struct gd_webhook_transfer *transfers; /* GD_WEBHOOK_TRANSFERS_MAX slots */
    /* endpoints on addresses that are not public are refused unless allowed: a shop must not
     * reach the operator's internal network through its webhooks */
    bool allow_private;
    /* the CAs (a PEM file) https endpoints are checked against instead of the system's: an
     * operator's internal CA, the tests' own (gongdan serve --webhook-ca-file); NULL = system */
    const char *ca_file;
    /* read by /metrics */
    atomic_llong delivered_total, failed_total, refused_total, cut_total;
    atomic_long in_flight;
    /* the backlog, as of the deliverer's last look (every few seconds): events owed and
     * endpoints owing them, by whether the endpoint's last attempt failed (backing off) */
    atomic_llong backlog_events[2], backlog_endpoints[2];
};

/* Opens its own store on `db_url` and starts the thread. */
int gd_webhook_start(struct gd_webhook_deliverer *d, const char *db_url, bool allow_private,
                     const char *ca_file, struct gd_svc_shared *shared, struct gd_err *err);
void gd_webhook_nudge(struct gd_webhook_deliverer *d);
void gd_webhook_stop(struct gd_webhook_deliverer *d);
/* Appends the deliverer's gauges and counters, and the service's limit counters, as Prometheus
 * text (gongdan_webhook_*; the delivered and failure totals are written by server.c). */
void gd_webhook_metrics(struct gd_webhook_deliverer *d, struct gd_strbuf *sb);

#endif
