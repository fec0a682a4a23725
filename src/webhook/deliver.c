/* The webhook deliverer (deliver.h): picks endpoints owed events, posts a batch to each with
 * libcurl, records the outcome. An endpoint that fails backs off and holds back only itself; one
 * that hangs delays the others by at most TIMEOUT_MS per attempt, and its attempts grow rare. */
#include <curl/curl.h>
#include "base/arena.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/netaddr.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/timefmt.h"
#include "webhook/deliver.h"

#define POLL_MS 1000        /* look for due retries at least this often */
#define LINGER_MS 100       /* after a nudge, wait this long for more changes */
#define TRIM_MS 60000       /* forget acknowledged outbox rows this often */
#define ENDPOINTS_PER_PASS 16
#define TIMEOUT_MS 10000    /* a receiver must answer within this */

static void add_time(struct gd_strbuf *sb, int64_t ms)
{
    char buf[40];
    gd_time_format(ms, 480, buf, sizeof(buf));
    gd_strbuf_add_json_str(sb, buf);
}

static void add_event(struct gd_strbuf *sb, const struct gd_outbox_event *o)
{
    const struct gd_event *ev = &o->ev;

    gd_strbuf_addf(sb, "{\"seq\":\"%lld\",\"id\":\"%lld\",\"kind\":", (long long)o->seq,
                   (long long)ev->id);
    gd_strbuf_add_json_str(sb, ev->kind);
    gd_strbuf_adds(sb, ",\"at\":");
    add_time(sb, ev->at);
    if (ev->actor_id) {
        gd_strbuf_addf(sb, ",\"actor\":{\"id\":\"%lld\",\"name\":", (long long)ev->actor_id);
        gd_strbuf_add_json_str(sb, ev->actor_name ? ev->actor_name : "");
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, ",\"actor\":null");
    }
    gd_strbuf_addf(sb, ",\"workorder\":{\"id\":\"%lld\",\"number\":\"GD-%06lld\",\"type\":",
                   (long long)ev->workorder_id, (long long)o->wo_number);
    gd_strbuf_add_json_str(sb, o->wo_type);
    gd_strbuf_addf(sb, "},\"data\":%s}", ev->data && *ev->data ? ev->data : "{}");
}

static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

/* libcurl asks for each new connection's socket: the resolved address is checked here, after
 * DNS, so a name that resolves to an internal address is refused too. */
static curl_socket_t open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct gd_webhook_deliverer *d = ctx;

    (void)purpose;
    if (!d->allow_private && !gd_addr_is_public(&a->addr)) {
        d->refused = true;
        gd_addr_format(&a->addr, d->refused_addr, sizeof(d->refused_addr));
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

/* Posts `body`; returns the HTTP status (0 when there was no answer, with `error` set). */
static long post(struct gd_webhook_deliverer *d, CURL *c, const struct gd_webhook *w,
                 const struct gd_strbuf *body, int64_t first, int64_t last,
                 char error[CURL_ERROR_SIZE])
{
    struct gd_strbuf msg = GD_STRBUF_INIT;
    struct curl_slist *h = NULL;
    char sig[GD_DIGEST_HEX], line[160];
    long t = (long)(gd_clock_now_ms() / 1000), status = 0;
    CURLcode rc;

    gd_strbuf_addf(&msg, "%ld.", t);
    gd_strbuf_add(&msg, body->buf, body->len);
    gd_secret_hmac_hex(w->secret, msg.buf, msg.len, sig);
    gd_strbuf_release(&msg);

    h = curl_slist_append(h, "Content-Type: application/json");
    snprintf(line, sizeof(line), "X-Gongdan-Webhook: %lld", (long long)w->id);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof(line), "X-Gongdan-Delivery: %lld-%lld", (long long)first, (long long)last);
    h = curl_slist_append(h, line);
    snprintf(line, sizeof(line), "X-Gongdan-Signature: t=%ld,v1=%s", t, sig);
    h = curl_slist_append(h, line);
    h = curl_slist_append(h, "Expect:"); /* no 100-continue round trip */

    error[0] = '\0';
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(c, CURLOPT_URL, w->url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body->buf);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body->len);
    d->refused = false;
    rc = curl_easy_perform(c);
    if (rc == CURLE_OK) {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    } else if (d->refused) {
        snprintf(error, CURL_ERROR_SIZE, "refused to connect to %s: a loopback, private or "
                 "link-local address (the operator may allow it: gongdan serve "
                 "--webhook-allow-private)", d->refused_addr);
    } else if (!error[0]) {
        snprintf(error, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, NULL);
    curl_slist_free_all(h);
    return status;
}

/* Delivers one batch to `w` (the events it takes of the next GD_WEBHOOK_BATCH owed); returns how
 * many owed events it got past: 0 after a failure, -1 on a database error. */
static int deliver_one(struct gd_webhook_deliverer *d, CURL *c, struct gd_webhook *w,
                       struct gd_arena *a)
{
    struct gd_outbox_event *evs;
    struct gd_strbuf body = GD_STRBUF_INIT;
    struct gd_err err = {0};
    char error[CURL_ERROR_SIZE];
    int n, sent = 0;
    int64_t first = 0, last = 0, upto;
    long status;

    if (gd_svc_webhook_owed(&d->svc, w, GD_WEBHOOK_BATCH, a, &evs, &n, &err)) {
        gd_log(GD_LOG_ERROR, "webhook %lld: cannot read the outbox: %s", (long long)w->id, err.msg);
        return -1;
    }
    if (n == 0) {
        return 0;
    }
    upto = evs[n - 1].seq;
    gd_strbuf_addf(&body, "{\"webhook_id\":\"%lld\",\"events\":[", (long long)w->id);
    for (int i = 0; i < n; i++) {
        if (!gd_svc_webhook_wants(w, evs[i].ev.kind)) {
            continue;
        }
        if (sent++) {
            gd_strbuf_addch(&body, ',');
        } else {
            first = evs[i].seq;
        }
        last = evs[i].seq;
        add_event(&body, &evs[i]);
    }
    gd_strbuf_adds(&body, "]}");
    if (sent == 0) { /* none of the kinds it takes: step over them without a request */
        gd_strbuf_release(&body);
        if (gd_svc_webhook_skip(&d->svc, w, upto, &err)) {
            gd_log(GD_LOG_ERROR, "webhook %lld: cannot move past events: %s", (long long)w->id,
                   err.msg);
            return -1;
        }
        return n;
    }

    status = post(d, c, w, &body, first, last, error);
    gd_strbuf_release(&body);
    bool ok = status >= 200 && status < 300;
    if (ok) {
        d->delivered_total += sent;
    } else {
        if (status) {
            snprintf(error, sizeof(error), "the endpoint answered HTTP %ld", status);
        }
        d->failed_total++;
        gd_log(GD_LOG_WARN, "webhook %lld: delivery failed (attempt %d): %s", (long long)w->id,
               w->failures + 1, error);
    }
    if (gd_svc_webhook_attempted(&d->svc, w, ok, upto, sent, (int)status, error, &err)) {
        gd_log(GD_LOG_ERROR, "webhook %lld: cannot record the attempt: %s", (long long)w->id,
               err.msg);
        return -1;
    }
    return ok ? n : 0;
}

/* One pass over the due endpoints; true when one of them may have more to take at once. */
static bool pass(struct gd_webhook_deliverer *d, CURL *c)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_webhook *due;
    struct gd_err err = {0};
    bool more = false;
    int n;

    if (gd_svc_webhooks_due(&d->svc, gd_clock_now_ms(), ENDPOINTS_PER_PASS, &a, &due, &n, &err)) {
        gd_log(GD_LOG_ERROR, "webhooks: cannot list due endpoints: %s", err.msg);
        n = 0;
    }
    for (int i = 0; i < n && !d->waker.stop; i++) {
        if (deliver_one(d, c, &due[i], &a) == GD_WEBHOOK_BATCH) {
            more = true;
        }
    }
    gd_arena_release(&a);
    return more; /* endpoints beyond this pass's share wait for the next poll, at most POLL_MS */
}

static CURL *client(struct gd_webhook_deliverer *d)
{
    CURL *c = curl_easy_init();
    if (!c) {
        return NULL;
    }
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, d);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "gongdan-webhook/1");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
    return c;
}

static void *run(void *arg)
{
    struct gd_webhook_deliverer *d = arg;
    struct gd_err err = {0};
    int64_t trimmed_at = 0;
    CURL *c = client(d);

    if (!c) {
        gd_log(GD_LOG_ERROR, "webhooks: cannot start libcurl; nothing will be delivered");
        return NULL;
    }
    while (gd_waker_begin(&d->waker)) {
        bool more = pass(d, c);
        int64_t now = gd_clock_now_ms();
        if (now - trimmed_at >= TRIM_MS) {
            if (gd_svc_outbox_trim(&d->svc, &err)) {
                gd_log(GD_LOG_ERROR, "webhooks: cannot trim the outbox: %s", err.msg);
            }
            trimmed_at = now;
        }
        if (gd_waker_sleep(&d->waker, more ? 0 : POLL_MS, true)) {
            /* a change arrived: let the burst it belongs to gather, so that a busy shop's events
             * go out as a few full batches rather than one request and one write per change */
            gd_waker_sleep(&d->waker, LINGER_MS, false);
        }
    }
    curl_easy_cleanup(c);
    return NULL;
}

int gd_webhook_start(struct gd_webhook_deliverer *d, const char *db_url, bool allow_private,
                     struct gd_svc_shared *shared, struct gd_err *err)
{
    memset(d, 0, sizeof(*d));
    d->allow_private = allow_private;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        return gd_err_set(err, GD_EIO, "cannot initialise libcurl");
    }
    if (gd_store_open(db_url, false, &d->svc.store, err)) {
        return GD_EIO;
    }
    GD_STORE0(d->svc.store, relax_durability);
    d->svc.shared = shared;
    gd_waker_init(&d->waker);
    if (pthread_create(&d->thread, NULL, run, d)) {
        gd_store_close(d->svc.store);
        return gd_err_set(err, GD_EIO, "cannot start the webhook thread");
    }
    d->running = true;
    return GD_OK;
}

void gd_webhook_nudge(struct gd_webhook_deliverer *d)
{
    if (!d->running) {
        return;
    }
    gd_waker_nudge(&d->waker);
}

void gd_webhook_stop(struct gd_webhook_deliverer *d)
{
    if (!d->running) {
        return;
    }
    gd_waker_stop(&d->waker);
    pthread_join(d->thread, NULL);
    gd_store_close(d->svc.store);
    gd_waker_destroy(&d->waker);
    curl_global_cleanup();
    d->running = false;
}
