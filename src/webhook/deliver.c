/* The webhook deliverer (deliver.h): finds endpoints owed events, posts a batch to each with
 * libcurl's multi interface, many at once, and records each outcome as it comes. An endpoint that
 * fails backs off and holds back only itself; one that hangs holds a transfer slot for at most
 * TIMEOUT_MS per attempt, and endpoints in retry take at most RETRY_TRANSFERS_MAX of the slots, so
 * endpoints that answer always find one.
 *
 * A backlog drains in a chain: when a full batch is acknowledged, the endpoint's next batch is
 * read and posted at once on the same slot, without looking for due endpoints or taking the lease
 * again (while at least half of it is left), and the acknowledgements are recorded together, at
 * least every RECORD_MS and when the chain ends: a crash re-sends at most that much (at least
 * once, the same ids). */
#include "webhook/deliver.h"
#include <curl/curl.h>
#include "base/arena.h"
#include "base/clock.h"
#include "base/log.h"
#include "base/netaddr.h"
#include "base/secret.h"
#include "base/strbuf.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "service/event_data.h"
#include "webhook/robot.h"

#define POLL_MS 1000            /* look for due retries at least this often */
#define LINGER_MS 100           /* after a nudge, wait this long for more changes */
#define TRIM_MS 60000           /* forget acknowledged outbox rows this often */
#define BACKLOG_MS 5000         /* look at the whole backlog (for /metrics) this often */
#define BACKLOG_ENDPOINTS 10000 /* endpoints that look counts at most */
#define RETRY_TRANSFERS_MAX (GD_WEBHOOK_TRANSFERS_MAX / 2)
#define TIMEOUT_MS 10000 /* a receiver must answer within this (the attempt's time budget) */
#define CONNECT_TIMEOUT_MS 5000
#define ANSWER_MAX 16384 /* bytes of a receiver's answer (headers and body) read at most */
#define RECORD_MS 100    /* a chain records its acknowledged batches at least this often */

/* the lease outlasts any attempt started under it: a holder never loses it mid-attempt */
_Static_assert(GD_WEBHOOK_LEASE_MS >= 2 * TIMEOUT_MS, "the lease must outlast an attempt");

enum { DELIVERING, BACKING_OFF };

/* One POST in flight to one endpoint; its memory lives until the outcome is recorded. */
struct gd_webhook_transfer {
    struct gd_webhook_deliverer *d;
    CURL *easy;
    bool busy;
    struct gd_arena a; /* the endpoint's row and its events */
    struct gd_webhook w;
    struct gd_strbuf body;
    struct curl_slist *headers;
    int64_t upto; /* the last outbox seq of the batch: the cursor once it is acknowledged */
    int sent;     /* events in the body */
    size_t answer_len;
    bool cut;     /* the answer went past ANSWER_MAX and was no longer read */
    bool refused; /* a connection was refused: the address is not public */
    char refused_addr[64];
    char error[CURL_ERROR_SIZE];
    bool robot;      /* a group robot (robot.h): its answer's body says whether it took it */
    char reply[512]; /* the start of the answer's body (a robot's {"errcode":...}) */
    size_t reply_len;
    struct gd_strbuf url; /* a robot's: DingTalk's is signed per attempt */
    int read;             /* outbox rows the batch was read from */
    int64_t lease_until;  /* this node holds the endpoint until then (monotonic ms, at least) */
    /* acknowledged in this chain and not yet recorded: up to acked_upto, `acked` events, the
     * first at acked_since (monotonic ms), the last answered acked_status */
    int64_t acked_upto, acked_since;
    int acked, acked_status;
};

static void add_time(struct gd_strbuf *sb, int64_t ms)
{
    char buf[40];
    gd_time_format(ms, GD_TZ_DEFAULT_MIN, buf, sizeof(buf));
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
    gd_strbuf_adds(sb, "},\"data\":");
    gd_svc_event_data_render(sb, ev->data);
    gd_strbuf_addch(sb, '}');
}

/* The answer's status decides; what follows it is read up to ANSWER_MAX and dropped, so a
 * receiver that talks without end does not hold the transfer until its time budget runs out. */
static size_t read_answer(char *p, size_t size, size_t n, void *ctx)
{
    struct gd_webhook_transfer *t = ctx;

    (void)p;
    if (t->answer_len + size * n > ANSWER_MAX) {
        t->cut = true;
        return 0; /* libcurl stops the transfer (CURLE_WRITE_ERROR) */
    }
    t->answer_len += size * n;
    return size * n;
}

/* The body of the answer: counted like the headers, its start kept for a robot's errcode. */
static size_t read_body(char *p, size_t size, size_t n, void *ctx)
{
    struct gd_webhook_transfer *t = ctx;
    size_t room = sizeof(t->reply) - 1 - t->reply_len, k = size * n < room ? size * n : room;

    memcpy(t->reply + t->reply_len, p, k);
    t->reply_len += k;
    t->reply[t->reply_len] = '\0';
    return read_answer(p, size, n, ctx);
}

/* libcurl asks for each new connection's socket: the resolved address is checked here, after
 * DNS, so a name that resolves to an internal address is refused too. */
static curl_socket_t open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *a)
{
    struct gd_webhook_transfer *t = ctx;

    (void)purpose;
    if (!t->d->allow_private && !gd_addr_is_public(&a->addr)) {
        t->refused = true;
        gd_addr_format(&a->addr, t->refused_addr, sizeof(t->refused_addr));
        atomic_fetch_add(&t->d->refused_total, 1);
        return CURL_SOCKET_BAD;
    }
    return socket(a->family, a->socktype, a->protocol);
}

static CURL *client(struct gd_webhook_transfer *t)
{
    CURL *c = curl_easy_init();
    if (!c) {
        return NULL;
    }
    curl_easy_setopt(c, CURLOPT_PRIVATE, t);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, t);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    /* never a proxy: libcurl would take one from http_proxy, HTTPS_PROXY or ALL_PROXY in the
     * server's environment, and the address check would then see the proxy, not the endpoint */
    curl_easy_setopt(c, CURLOPT_PROXY, "");
    curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "gongdan-webhook/1");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, read_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, read_answer);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, t->error);
    if (t->d->ca_file) {
        curl_easy_setopt(c, CURLOPT_CAINFO, t->d->ca_file);
    }
    return c;
}

static void copy_hook(struct gd_arena *a, struct gd_webhook *to, const struct gd_webhook *from)
{
    *to = *from;
    to->url = gd_arena_strdup(a, from->url);
    to->secret = gd_arena_strdup(a, from->secret);
    to->description = "";
    to->events = gd_arena_strdup(a, from->events ? from->events : "");
    to->last_error = "";
    to->format = gd_arena_strdup(a, from->format ? from->format : "gongdan");
}

static void release(struct gd_webhook_transfer *t)
{
    curl_slist_free_all(t->headers);
    t->headers = NULL;
    gd_strbuf_release(&t->body);
    gd_strbuf_release(&t->url);
    gd_arena_release(&t->a);
    t->busy = false;
}

/* A delivery state that could not be written; GD_ESTALE: another node took the endpoint over
 * (this node stalled past its lease) and sends the batch again, as a restart would. */
static void log_unrecorded(const struct gd_webhook *w, const char *what, const struct gd_err *err)
{
    gd_log(err->code == GD_ESTALE ? GD_LOG_WARN : GD_LOG_ERROR, "webhook %lld: cannot %s: %s",
           (long long)w->id, what, err->msg);
}

enum start_outcome { STARTED, NOTHING_OWED, STEPPED_OVER, HELD_ELSEWHERE, FAILED };

/* The gongdan body of the events among evs[0..n) the endpoint takes (t->sent of them), and the
 * first and last seq it holds. */
static void gongdan_body(struct gd_webhook_transfer *t, const struct gd_outbox_event *evs, int n,
                         int64_t *first, int64_t *last)
{
    gd_strbuf_addf(&t->body, "{\"webhook_id\":\"%lld\",\"events\":[", (long long)t->w.id);
    for (int i = 0; i < n; i++) {
        if (!gd_svc_webhook_wants(&t->w, evs[i].ev.kind)) {
            continue;
        }
        if (t->sent++) {
            gd_strbuf_addch(&t->body, ',');
        } else {
            *first = evs[i].seq;
        }
        *last = evs[i].seq;
        add_event(&t->body, &evs[i]);
    }
    gd_strbuf_adds(&t->body, "]}");
}

/* Records the batches the chain on `t` had acknowledged (one write for all of them); false when
 * it could not (the lease was lost: the chain ends, the next holder sends them again). */
static bool record_acked(struct gd_webhook_deliverer *d, struct gd_webhook_transfer *t)
{
    struct gd_err err = {0};
    bool ok = true;

    if (t->acked && gd_svc_webhook_attempted(&d->svc, &t->w, true, t->acked_upto, t->acked,
                                             t->acked_status, "", &err)) {
        log_unrecorded(&t->w, "record the attempt", &err);
        ok = false;
    }
    t->acked = 0;
    t->acked_since = 0;
    return ok;
}

/* Ends the slot's chain: what it had acknowledged is recorded, the slot is free. */
static void end_chain(struct gd_webhook_deliverer *d, struct gd_webhook_transfer *t)
{
    record_acked(d, t);
    release(t);
}

static enum start_outcome post_next(struct gd_webhook_deliverer *d, struct gd_webhook_transfer *t);

/* Starts posting the next batch owed to `row` on the free slot `t`, once this node holds the
 * endpoint's lease (renewed with each chain); the events of kinds it does not take are stepped
 * over without a request. */
static enum start_outcome start(struct gd_webhook_deliverer *d, struct gd_webhook_transfer *t,
                                const struct gd_webhook *row)
{
    struct gd_err err = {0};
    int64_t asked = gd_clock_mono_ms();

    t->a = (struct gd_arena)GD_ARENA_INIT;
    gd_strbuf_init(&t->body, 0);
    gd_strbuf_init(&t->url, 0);
    copy_hook(&t->a, &t->w, row);
    t->acked = 0;
    t->acked_since = 0;
    bool held = false;
    if (gd_svc_webhook_lease(&d->svc, &t->w, &held, &err) || !held) {
        if (err.code) {
            gd_log(GD_LOG_ERROR, "webhook %lld: cannot take its lease: %s", (long long)t->w.id,
                   err.msg);
        }
        release(t);
        return err.code ? FAILED : HELD_ELSEWHERE;
    }
    /* the database counts the lease from when it ran the statement, after `asked` */
    t->lease_until = asked + GD_WEBHOOK_LEASE_MS;
    return post_next(d, t);
}

/* Reads the batch owed after t->w.cursor and posts it on `t` (which holds the lease); anything
 * else ends the slot's chain. */
static enum start_outcome post_next(struct gd_webhook_deliverer *d, struct gd_webhook_transfer *t)
{
    struct gd_outbox_event *evs;
    struct gd_err err = {0};
    char sig[GD_DIGEST_HEX], line[160];
    int64_t first = 0, last = 0;
    long now_s = (long)(gd_clock_now_ms() / 1000);
    int n;

    t->sent = 0;
    if (gd_svc_webhook_owed(&d->svc, &t->w, GD_WEBHOOK_BATCH, &t->a, &evs, &n, &err)) {
        gd_log(GD_LOG_ERROR, "webhook %lld: cannot read the outbox: %s", (long long)t->w.id,
               err.msg);
        end_chain(d, t);
        return FAILED;
    }
    if (n == 0) {
        end_chain(d, t);
        return NOTHING_OWED;
    }
    t->read = n;
    t->upto = evs[n - 1].seq;
    t->robot = gd_svc_robot_format(t->w.format);
    if (t->robot) {
        t->sent = gd_robot_message(&t->w, evs, n, &t->body, &t->upto);
    } else {
        gongdan_body(t, evs, n, &first, &last);
    }
    if (t->sent == 0) { /* none of the kinds it takes */
        enum start_outcome out = STEPPED_OVER;
        if (!record_acked(d, t) || gd_svc_webhook_skip(&d->svc, &t->w, t->upto, &err)) {
            if (err.code) {
                log_unrecorded(&t->w, "move past events", &err);
            }
            out = FAILED;
        }
        release(t);
        return out;
    }
    t->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (t->robot) {
        gd_robot_url(&t->w, gd_clock_now_ms(), &t->url);
    } else {
        gd_strbuf_adds(&t->url, t->w.url);
        struct gd_strbuf msg = GD_STRBUF_INIT;
        gd_strbuf_addf(&msg, "%ld.", now_s);
        gd_strbuf_add(&msg, t->body.buf, t->body.len);
        gd_secret_hmac_hex(t->w.secret, msg.buf, msg.len, sig);
        gd_strbuf_release(&msg);
        snprintf(line, sizeof(line), "X-Gongdan-Webhook: %lld", (long long)t->w.id);
        t->headers = curl_slist_append(t->headers, line);
        snprintf(line, sizeof(line), "X-Gongdan-Delivery: %lld-%lld", (long long)first,
                 (long long)last);
        t->headers = curl_slist_append(t->headers, line);
        snprintf(line, sizeof(line), "X-Gongdan-Signature: t=%ld,v1=%s", now_s, sig);
        t->headers = curl_slist_append(t->headers, line);
    }
    t->headers = curl_slist_append(t->headers, "Expect:"); /* no 100-continue round trip */

    t->error[0] = '\0';
    t->answer_len = 0;
    t->reply_len = 0;
    t->reply[0] = '\0';
    t->cut = t->refused = false;
    curl_easy_setopt(t->easy, CURLOPT_URL, t->url.buf);
    curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->body.buf);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->body.len);
    if (curl_multi_add_handle(d->multi, t->easy) != CURLM_OK) {
        gd_log(GD_LOG_ERROR, "webhook %lld: libcurl would not take the transfer",
               (long long)t->w.id);
        end_chain(d, t);
        return FAILED;
    }
    t->busy = true;
    atomic_fetch_add(&d->in_flight, 1);
    return STARTED;
}

/* What the shop is told about a failed attempt (its endpoint's last_error). */
static void describe_failure(struct gd_webhook_transfer *t, CURLcode rc, long status, char *out,
                             size_t n)
{
    double connect_s = 0;

    if (status >= 300 && status < 400) {
        snprintf(out, n, "the endpoint answered HTTP %ld (redirects are not followed)", status);
    } else if (status) {
        snprintf(out, n, "the endpoint answered HTTP %ld", status);
    } else if (t->refused || (!t->d->allow_private && rc == CURLE_COULDNT_RESOLVE_HOST)) {
        /* neither the address nor whether the name resolves at all: either would tell the shop
         * what names mean inside the operator's network; the operator's log keeps both */
        snprintf(out, n,
                 "refused to connect: the host does not resolve to a public address "
                 "(loopback, private, link-local and other special-purpose addresses are "
                 "refused); the operator may allow them: gongdan serve --webhook-allow-private");
        if (t->refused) {
            gd_log(GD_LOG_WARN, "webhook %lld: refused to connect to %s (not a public address)",
                   (long long)t->w.id, t->refused_addr);
        } else {
            gd_log(GD_LOG_WARN, "webhook %lld: %s", (long long)t->w.id, t->error);
        }
    } else if (rc == CURLE_OPERATION_TIMEDOUT) {
        curl_easy_getinfo(t->easy, CURLINFO_CONNECT_TIME, &connect_s);
        snprintf(out, n, connect_s > 0 ? "no answer within %d s" : "could not connect within %d s",
                 (connect_s > 0 ? TIMEOUT_MS : CONNECT_TIMEOUT_MS) / 1000);
    } else {
        snprintf(out, n, "%s", t->error[0] ? t->error : curl_easy_strerror(rc));
    }
}

/* After a full batch was acknowledged on `t`: the endpoint's next batch goes out at once on the
 * same slot (true), while this node holds the lease for at least half of it, so every attempt
 * still starts with more of it left than its time budget. The acknowledgement is recorded with
 * the chain's others (at least every RECORD_MS). False: the chain ends here, the caller records
 * this batch. */
static bool chain(struct gd_webhook_deliverer *d, struct gd_webhook_transfer *t, int status)
{
    int64_t now = gd_clock_mono_ms();

    if (t->robot || t->read < GD_WEBHOOK_BATCH || now + GD_WEBHOOK_LEASE_MS / 2 > t->lease_until) {
        return false; /* a robot's messages, or nothing more owed, or a lease to renew */
    }
    t->acked += t->sent;
    t->acked_upto = t->upto;
    t->acked_status = status;
    t->acked_since = t->acked_since ? t->acked_since : now;
    curl_multi_remove_handle(d->multi, t->easy);
    atomic_fetch_sub(&d->in_flight, 1);
    if (now - t->acked_since >= RECORD_MS && !record_acked(d, t)) {
        release(t);
        return true;
    }
    /* the next batch: the endpoint's row is kept (cursor moved on), the last batch's memory goes */
    struct gd_arena last = t->a;
    struct gd_webhook w = t->w;
    curl_slist_free_all(t->headers);
    t->headers = NULL;
    gd_strbuf_release(&t->body);
    gd_strbuf_release(&t->url);
    t->a = (struct gd_arena)GD_ARENA_INIT;
    copy_hook(&t->a, &t->w, &w);
    t->w.cursor = t->upto;
    t->w.failures = 0;
    gd_arena_release(&last);
    gd_strbuf_init(&t->body, 0);
    gd_strbuf_init(&t->url, 0);
    t->busy = false; /* post_next sets it again when the batch is in flight */
    post_next(d, t);
    return true;
}

/* Records the outcome of the transfer on `t` and frees its slot (true), or goes on with the
 * endpoint's next batch on it (false). */
static bool finish(struct gd_webhook_deliverer *d, struct gd_webhook_transfer *t, CURLcode rc)
{
    struct gd_err err = {0};
    char error[CURL_ERROR_SIZE + 64] = "";
    long status = 0;

    /* an answer cut at ANSWER_MAX still has its status: it is the acknowledgement */
    if (rc == CURLE_OK || (rc == CURLE_WRITE_ERROR && t->cut)) {
        curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    }
    if (t->cut) {
        atomic_fetch_add(&d->cut_total, 1);
    }
    bool ok = status >= 200 && status < 300;
    char why[300] = "";
    if (ok && t->robot && !gd_robot_answer_ok(t->reply, t->reply_len, why, sizeof(why))) {
        ok = false; /* a robot answers 200 to a message it refused (a bad signature...) */
    }
    if (ok) {
        atomic_fetch_add(&d->delivered_total, t->sent);
        if (chain(d, t, (int)status)) {
            return !t->busy; /* the chain may have ended at once: nothing more owed */
        }
    } else {
        if (why[0]) {
            snprintf(error, sizeof(error), "%s", why);
        } else {
            describe_failure(t, rc, status, error, sizeof(error));
        }
        atomic_fetch_add(&d->failed_total, 1);
        gd_log(GD_LOG_WARN, "webhook %lld: delivery failed (attempt %d): %s", (long long)t->w.id,
               t->w.failures + 1, error);
    }
    if (ok) { /* recorded with what the chain had acknowledged before it */
        t->acked += t->sent;
        t->acked_upto = t->upto;
        t->acked_status = (int)status;
        record_acked(d, t);
    } else if (record_acked(d, t) && gd_svc_webhook_attempted(&d->svc, &t->w, false, t->upto, 0,
                                                              (int)status, error, &err)) {
        log_unrecorded(&t->w, "record the attempt", &err);
    }
    curl_multi_remove_handle(d->multi, t->easy);
    atomic_fetch_sub(&d->in_flight, 1);
    release(t);
    return true;
}

static struct gd_webhook_transfer *in_flight_to(struct gd_webhook_deliverer *d, int64_t id)
{
    for (int i = 0; i < GD_WEBHOOK_TRANSFERS_MAX; i++) {
        if (d->transfers[i].busy && d->transfers[i].w.id == id) {
            return &d->transfers[i];
        }
    }
    return NULL;
}

/* Starts transfers to due endpoints on the free slots; true when it should look again at once
 * (it stepped over events: the endpoint may be owed more). */
static bool fill(struct gd_webhook_deliverer *d)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_webhook *due;
    struct gd_err err = {0};
    int n, busy = 0, retries = 0, free_slot = 0;
    bool again = false;

    for (int i = 0; i < GD_WEBHOOK_TRANSFERS_MAX; i++) {
        busy += d->transfers[i].busy;
        retries += d->transfers[i].busy && d->transfers[i].w.failures > 0;
    }
    if (busy == GD_WEBHOOK_TRANSFERS_MAX) {
        return false; /* a finishing transfer makes it look again */
    }
    /* the endpoints in flight are due too: as many rows as slots leaves one for each free slot
     * (endpoints never tried or acknowledged come first, then the most overdue retries) */
    if (gd_svc_webhooks_due(&d->svc, gd_clock_now_ms(), GD_WEBHOOK_TRANSFERS_MAX, &a, &due, &n,
                            &err)) {
        gd_log(GD_LOG_ERROR, "webhooks: cannot list due endpoints: %s", err.msg);
        n = 0;
    }
    for (int i = 0; i < n && busy < GD_WEBHOOK_TRANSFERS_MAX; i++) {
        if (in_flight_to(d, due[i].id)) {
            continue; /* one batch at a time per endpoint: its order */
        }
        if (due[i].failures > 0 && retries >= RETRY_TRANSFERS_MAX) {
            continue; /* a finishing transfer makes it look again */
        }
        while (d->transfers[free_slot].busy) {
            free_slot++;
        }
        switch (start(d, &d->transfers[free_slot], &due[i])) {
        case STARTED:
            busy++;
            retries += due[i].failures > 0;
            break;
        case STEPPED_OVER:
            again = true;
            break;
        case NOTHING_OWED:
        case HELD_ELSEWHERE:
        case FAILED:
            break;
        }
    }
    gd_arena_release(&a);
    return again;
}

/* Counts the backlog for /metrics: every endpoint owing events (due or not), with how many. */
static void count_backlog(struct gd_webhook_deliverer *d)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_webhook *owing;
    struct gd_err err = {0};
    long long events[2] = {0, 0}, endpoints[2] = {0, 0};
    int n;

    /* "due" by the end of time: every endpoint that is owed anything */
    if (gd_svc_webhooks_due(&d->svc, INT64_MAX, BACKLOG_ENDPOINTS, &a, &owing, &n, &err)) {
        gd_log(GD_LOG_ERROR, "webhooks: cannot count the backlog: %s", err.msg);
        gd_arena_release(&a);
        return;
    }
    for (int i = 0; i < n; i++) {
        int state = owing[i].failures > 0 ? BACKING_OFF : DELIVERING;
        events[state] += owing[i].pending;
        endpoints[state]++;
    }
    for (int s = 0; s < 2; s++) {
        atomic_store(&d->backlog_events[s], events[s]);
        atomic_store(&d->backlog_endpoints[s], endpoints[s]);
    }
    gd_arena_release(&a);
}

/* One round: endpoints owed events get their POSTs, finished ones are recorded, then the
 * thread waits in curl_multi_poll (cut short by a wake: curl_multi_wakeup). */
static int64_t round_deliver(void *arg, bool nudged)
{
    struct gd_webhook_deliverer *d = arg;
    struct gd_err err = {0};
    int64_t now = gd_clock_mono_ms();
    int running, left, wait_ms;
    CURLMsg *m;

    if (nudged && d->look_at > now + LINGER_MS) {
        /* a change arrived: let the burst it belongs to gather, so that a busy shop's events go
         * out as a few full batches rather than one request and one write per change */
        d->look_at = now + LINGER_MS;
    }
    if (now >= d->look_at) {
        d->look_at = fill(d) ? now : now + POLL_MS;
    }
    if (now - d->trimmed_at >= TRIM_MS) {
        if (gd_svc_outbox_trim(&d->svc, &err)) {
            gd_log(GD_LOG_ERROR, "webhooks: cannot trim the outbox: %s", err.msg);
        }
        d->trimmed_at = now;
    }
    if (now - d->counted_at >= BACKLOG_MS) {
        count_backlog(d);
        d->counted_at = now;
    }
    curl_multi_perform(d->multi, &running);
    while ((m = curl_multi_info_read(d->multi, &left)) != NULL) {
        char *t = NULL;
        if (m->msg != CURLMSG_DONE) {
            continue;
        }
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &t);
        if (finish(d, (struct gd_webhook_transfer *)(void *)t, m->data.result)) {
            d->look_at = now; /* a slot is free, and its endpoint may be owed more */
        }
    }
    wait_ms = (int)(d->look_at - gd_clock_mono_ms());
    wait_ms = wait_ms < 0 ? 0 : wait_ms > POLL_MS ? POLL_MS : wait_ms;
    curl_multi_poll(d->multi, NULL, 0, wait_ms, NULL);
    return 0; /* it waited in curl_multi_poll */
}

/* Stopped: the batches in flight are dropped unacknowledged, and sent again by whichever node
 * takes the endpoints next: this node's leases are handed back now, not left to run out. */
static void hand_back(struct gd_webhook_deliverer *d)
{
    struct gd_err err = {0};

    for (int i = 0; i < GD_WEBHOOK_TRANSFERS_MAX; i++) {
        if (d->transfers[i].busy) {
            curl_multi_remove_handle(d->multi, d->transfers[i].easy);
            atomic_fetch_sub(&d->in_flight, 1);
            end_chain(d, &d->transfers[i]); /* what was acknowledged is not sent again */
        }
    }
    if (gd_svc_webhook_leases_release(&d->svc, &err)) {
        gd_log(GD_LOG_ERROR,
               "webhooks: cannot hand back this node's leases (they run out in "
               "%d s): %s",
               GD_WEBHOOK_LEASE_MS / 1000, err.msg);
    }
}

/* Cuts the deliverer's curl_multi_poll short (called by the worker's wake and stop). */
static void interrupt_poll(void *multi) { curl_multi_wakeup(multi); }

static void free_transfers(struct gd_webhook_deliverer *d)
{
    for (int i = 0; i < GD_WEBHOOK_TRANSFERS_MAX; i++) {
        if (d->transfers[i].easy) {
            curl_easy_cleanup(d->transfers[i].easy);
        }
    }
    free(d->transfers);
    d->transfers = NULL;
}

int gd_webhook_start(struct gd_webhook_deliverer *d, const char *db_url, bool allow_private,
                     const char *ca_file, struct gd_svc_shared *shared, struct gd_err *err)
{
    int ret;

    memset(d, 0, sizeof(*d));
    d->allow_private = allow_private;
    d->ca_file = ca_file;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        return gd_err_set(err, GD_EIO, "cannot initialise libcurl");
    }
    d->transfers = xcalloc(GD_WEBHOOK_TRANSFERS_MAX, sizeof(*d->transfers));
    d->multi = curl_multi_init();
    for (int i = 0; d->multi && i < GD_WEBHOOK_TRANSFERS_MAX; i++) {
        d->transfers[i].d = d;
        if (!(d->transfers[i].easy = client(&d->transfers[i]))) {
            break;
        }
    }
    if (!d->multi || !d->transfers[GD_WEBHOOK_TRANSFERS_MAX - 1].easy) {
        free_transfers(d);
        if (d->multi) {
            curl_multi_cleanup(d->multi);
        }
        curl_global_cleanup();
        return gd_err_set(err, GD_EIO, "cannot start libcurl");
    }
    curl_multi_setopt(d->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)GD_WEBHOOK_TRANSFERS_MAX);
    if (gd_store_open(db_url, false, &d->svc.store, err)) {
        free_transfers(d);
        curl_multi_cleanup(d->multi);
        curl_global_cleanup();
        return GD_EIO;
    }
    GD_STORE0(d->svc.store, relax_durability);
    d->svc.shared = shared;
    d->look_at = d->trimmed_at = gd_clock_mono_ms();
    if ((ret = gd_worker_start(&d->worker, "webhook", round_deliver, d, POLL_MS, err))) {
        gd_store_close(d->svc.store);
        free_transfers(d);
        curl_multi_cleanup(d->multi);
        curl_global_cleanup();
        return ret;
    }
    gd_worker_set_interrupt(&d->worker, interrupt_poll, d->multi);
    return GD_OK;
}

void gd_webhook_nudge(struct gd_webhook_deliverer *d) { gd_worker_wake(&d->worker); }

void gd_webhook_stop(struct gd_webhook_deliverer *d)
{
    /* a nudge after the stop does nothing (the worker's waker), so multi can go */
    if (!gd_worker_stop(&d->worker)) {
        return;
    }
    hand_back(d);
    free_transfers(d);
    curl_multi_cleanup(d->multi);
    d->multi = NULL;
    gd_store_close(d->svc.store);
    curl_global_cleanup();
}

void gd_webhook_metrics(struct gd_webhook_deliverer *d, struct gd_strbuf *sb)
{
    static const char *const state[] = {"delivering", "backing_off"};

    gd_strbuf_adds(sb, "# HELP gongdan_webhook_backlog_events Events owed to webhook endpoints, "
                       "by whether the endpoint's last attempt failed (as of the last look, "
                       "every few seconds).\n# TYPE gongdan_webhook_backlog_events gauge\n");
    for (int s = 0; s < 2; s++) {
        gd_strbuf_addf(sb, "gongdan_webhook_backlog_events{state=\"%s\"} %lld\n", state[s],
                       (long long)atomic_load(&d->backlog_events[s]));
    }
    gd_strbuf_adds(sb, "# HELP gongdan_webhook_endpoints Webhook endpoints owed events, by "
                       "whether their last attempt failed.\n"
                       "# TYPE gongdan_webhook_endpoints gauge\n");
    for (int s = 0; s < 2; s++) {
        gd_strbuf_addf(sb, "gongdan_webhook_endpoints{state=\"%s\"} %lld\n", state[s],
                       (long long)atomic_load(&d->backlog_endpoints[s]));
    }
    gd_strbuf_addf(sb,
                   "# HELP gongdan_webhook_transfers_in_flight Webhook POSTs in flight.\n"
                   "# TYPE gongdan_webhook_transfers_in_flight gauge\n"
                   "gongdan_webhook_transfers_in_flight %ld\n"
                   "# HELP gongdan_webhook_refused_connections_total Connections refused "
                   "because the endpoint's address is not public.\n"
                   "# TYPE gongdan_webhook_refused_connections_total counter\n"
                   "gongdan_webhook_refused_connections_total %lld\n"
                   "# HELP gongdan_webhook_responses_cut_total Receivers' answers no longer "
                   "read past %d bytes.\n"
                   "# TYPE gongdan_webhook_responses_cut_total counter\n"
                   "gongdan_webhook_responses_cut_total %lld\n",
                   atomic_load(&d->in_flight), (long long)atomic_load(&d->refused_total),
                   ANSWER_MAX, (long long)atomic_load(&d->cut_total));
    gd_svc_webhook_metrics(sb);
}
