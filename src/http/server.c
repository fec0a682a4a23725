/* The server: libmicrohttpd with the epoll thread pool (4 threads per core on SQLite, 2 on
 * PostgreSQL, unless --threads), fed by one accepting thread that spreads the connections over
 * it (acceptor.h); the access handler that collects the body, routes, authenticates and renders;
 * static files of the workbench; one log line per request; metrics; graceful shutdown (stop
 * accepting, let in-flight requests finish, then stop). Each pool thread opens its own store on
 * first use. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <strings.h>
#include <sys/time.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "http/acceptor.h"
#include "http/compress.h"
#include "http/connlimit.h"
#include "http/http.h"
#include "http/req.h"
#include "http/rowcache.h"
#include "http/viewcache.h"
#include "http/writepool.h"
#include "sched/sched.h"
#include "service/cluster.h"
#include "webhook/deliver.h"

struct gd_server {
    const struct gd_http_opts *opts;
    struct gd_svc_shared shared;
    struct gd_cluster cluster; /* this node among several on one database */
    struct gd_sched sched;
    struct gd_export_worker exports; /* reports: runs queued export jobs */
    struct gd_webhook_deliverer webhooks;
    pthread_mutex_t stores_lock;
    struct gd_svc *svcs[128]; /* one per server and write pool thread, closed at shutdown */
    int nsvcs;
    _Atomic long inflight;
    _Atomic long requests[6]; /* by status class 1xx..5xx */
    _Atomic long latency_us_sum;
    _Atomic long latency_buckets[8];
    _Atomic long limit_hits[GD_LIMIT_COUNT];
    bool gen_async; /* the database's generation is read remotely: wait for it suspended */
    _Atomic long gen_waiting;         /* requests suspended until the fence calls them back */
    _Atomic bool draining;            /* shutting down: no request is suspended any more */
    struct gd_writepool *writes;      /* GD_R_WRITE_WAITS requests' handlers (writepool.h) */
    struct gd_writepool *long_writes; /* GD_R_LONG_WRITE requests' handlers, apart from creates */
    _Atomic long write_waiting;       /* requests suspended until a pool thread resumes them */
    struct gd_acceptor acceptor;      /* the listening socket and its thread (acceptor.h) */
};

/* Each limit of the server's own, by its name in messages and in /metrics. */
static const char *const limit_names[GD_LIMIT_COUNT] = {
    [GD_LIMIT_BODY] = "body_size",
    [GD_LIMIT_CONNS_PER_ADDR] = "connections_per_address",
};

void gd_server_limit_hit(struct gd_server *srv, enum gd_limit limit)
{
    atomic_fetch_add(&srv->limit_hits[limit], 1);
}

static const struct gd_route *const tables[] = {
    gd_routes_center,  gd_routes_ops,          gd_routes_collab,     gd_routes_attachments,
    gd_routes_reports, gd_routes_stream,       gd_routes_webhooks,   gd_routes_people,
    gd_routes_buyer,   gd_routes_quickreplies, gd_routes_types,      gd_routes_savedfilters,
    gd_routes_panel,   gd_routes_bulk,         gd_routes_assignment, gd_routes_targets,
    gd_routes_notify,
};

static _Thread_local struct gd_svc *tl_svc;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

struct gd_svc *gd_http__thread_svc(struct gd_server *srv)
{
    struct gd_err err = {0};
    if (tl_svc) {
        return tl_svc;
    }
    struct gd_svc *svc = xcalloc(1, sizeof(*svc));
    if (gd_svc_open(svc, srv->opts->db_url, false, &err)) {
        gd_log(GD_LOG_ERROR, "cannot open store: %s", err.msg);
        free(svc);
        return NULL;
    }
    svc->shared = &srv->shared;
    pthread_mutex_lock(&srv->stores_lock);
    if (srv->nsvcs < (int)(sizeof(srv->svcs) / sizeof(*srv->svcs))) {
        srv->svcs[srv->nsvcs++] = svc;
    }
    pthread_mutex_unlock(&srv->stores_lock);
    tl_svc = svc;
    return svc;
}

struct gd_svc *gd_http__thread_svc_if_open(void) { return tl_svc; }

/* Matches path against pattern; {} captures one segment. */
static bool match(const char *pattern, const char *path, struct gd_req *r)
{
    int n = 0;
    while (*pattern && *path) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            const char *end = strchr(path, '/');
            size_t len = end ? (size_t)(end - path) : strlen(path);
            if (len == 0 || n >= 4) {
                return false;
            }
            r->params[n++] = gd_arena_strndup(&r->a, path, len);
            path += len;
            pattern += 2;
            continue;
        }
        if (*pattern != *path) {
            return false;
        }
        pattern++;
        path++;
    }
    if (*pattern || *path) {
        return false;
    }
    r->nparams = n;
    return true;
}

/* Finds the route; *method_ok tells a 405 from a 404. */
static const struct gd_route *route(struct gd_req *r, bool *path_ok)
{
    *path_ok = false;
    for (size_t t = 0; t < sizeof(tables) / sizeof(*tables); t++) {
        for (const struct gd_route *rt = tables[t]; rt->method; rt++) {
            if (match(rt->pattern, r->path, r)) {
                *path_ok = true;
                if (strcmp(rt->method, r->method) == 0) {
                    return rt;
                }
            }
        }
    }
    return NULL;
}

static const char *cookie(struct gd_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

static bool authenticate(struct gd_req *r)
{
    struct gd_err err = {0};
    const char *auth = gd_http_header_in(r, "Authorization");
    const char *sess = cookie(r, gd_http_session_cookie_name(r));
    const char *csrf = NULL;

    if (auth) {
        if (strncmp(auth, "Bearer ", 7) != 0 || strlen(auth + 7) > 128 ||
            gd_svc_auth_token(r->svc, auth + 7, &r->a, &r->actor, &r->auth_gen, &err)) {
            if (!err.code) {
                gd_err_set(&err, GD_EAUTH, "Authorization must be 'Bearer <api token>'");
            }
            gd_http_error(r, &err);
            return false;
        }
        return true;
    }
    if (sess && strlen(sess) <= 128) {
        if (gd_svc_auth_session(r->svc, sess, &r->a, &r->actor, &csrf, &r->auth_gen, &err)) {
            gd_http_error(r, &err);
            return false;
        }
        r->via_cookie = true;
        bool mutation = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
        const char *sent = gd_http_header_in(r, "X-CSRF-Token");
        if (mutation && (!sent || !gd_secret_equal(sent, csrf))) {
            gd_http_fail(r, "csrf", "X-CSRF-Token",
                         "cookie sessions must send the X-CSRF-Token header from sign-in");
            return false;
        }
        return true;
    }
    gd_http_fail(r, "unauthenticated", NULL,
                 "sign in (POST /api/v1/session) or send 'Authorization: Bearer <api token>'");
    return false;
}

/* The body limit of r's route. */
static size_t body_limit(const struct gd_req *r)
{
    if (!r->route) {
        return 0; /* a path without a route is answered before any body */
    }
    if (r->route->flags & GD_R_PUBLIC) {
        return GD_PUBLIC_MAX_BODY;
    }
    if (r->route->flags & GD_R_BIG_BODY) {
        return GD_UPLOAD_MAX_BODY;
    }
    if (r->route->flags & GD_R_CSV_BODY) {
        return GD_IMPORT_MAX_BODY;
    }
    return r->srv->opts->max_body;
}

static void fail_too_large(struct gd_req *r)
{
    gd_server_limit_hit(r->srv, GD_LIMIT_BODY);
    gd_http_fail(r, "too_large", NULL,
                 "the request body is larger than this route's limit (body_size) of %zu bytes",
                 body_limit(r));
}

/* Everything that can be decided from the request line and headers, before any body byte is
 * kept: the route (or the workbench, 404, 405), the declared body size, the database, who is
 * asking and, for GD_R_ORDERS_WRITE routes, whether they may, and an import's own checks.
 * Returns false when r is answered. */
static bool prepare(struct gd_req *r, bool path_ok)
{
    /* the route table wins (on_request looked it up): the workbench's files and its index.html
     * fallback only serve paths no route has (/healthz and /metrics must never be answered by
     * index.html) */
    if (!r->route) {
        if (path_ok) {
            gd_http_fail(r, "method_not_allowed", NULL, "%s is not allowed here", r->method);
        } else if (!gd_http__serve_static(r)) {
            gd_http_fail(r, "not_found", NULL, "no route %s", r->path);
        }
        return false;
    }
    r->svc = gd_http__thread_svc(r->srv);
    if (!r->svc) {
        gd_http_fail(r, "unavailable", NULL, "the database is not available");
        return false;
    }
    if (!(r->route->flags & GD_R_PUBLIC) && !authenticate(r)) {
        return false;
    }
    if (!(r->route->flags & (GD_R_PUBLIC | GD_R_PASSWORD_CHANGE)) &&
        r->actor.must_change_password) {
        gd_http_fail(r, "password_change_required", "password",
                     "your password was set by someone else: change it first "
                     "(POST /api/v1/me/password)");
        return false;
    }
    if ((r->route->flags & GD_R_ORDERS_WRITE) && !gd_perm_can_write_orders(&r->actor)) {
        gd_http_fail(r, "forbidden", NULL, "%s", GD_ORDERS_WRITERS);
        return false;
    }
    const char *cl = gd_http_header_in(r, "Content-Length");
    if (cl && strtoull(cl, NULL, 10) > body_limit(r)) {
        fail_too_large(r);
        return false;
    }
    return !(r->route->flags & GD_R_CSV_BODY) || gd_http__import_headers(r);
}

/* What may be read and dropped of a body whose request is already answered: enough that an
 * ordinary client sending somewhat too much still reads the 413; beyond, the connection closes. */
#define DRAIN_MIN (16u << 20)
static size_t drain_limit(const struct gd_req *r)
{
    size_t limit = body_limit(r);
    return limit > DRAIN_MIN ? limit : DRAIN_MIN;
}

/* A request answered from its headers: should its body be read and dropped before the answer
 * goes out? A client that sends the body without waiting would otherwise find the connection
 * reset (closing a socket with unread data) and never see the 401 or 403. Not when the client
 * waits (Expect: 100-continue), sends no body, or declares more than we would drop. */
static bool drain_body(struct gd_req *r)
{
    const char *expect = gd_http_header_in(r, "Expect");
    const char *cl = gd_http_header_in(r, "Content-Length");
    const char *te = gd_http_header_in(r, "Transfer-Encoding");
    if (expect && strcasecmp(expect, "100-continue") == 0) {
        return false;
    }
    if (cl) {
        unsigned long long n = strtoull(cl, NULL, 10);
        return n > 0 && n <= drain_limit(r);
    }
    return te != NULL;
}

/* The whole body arrived: run the handler. */
static void dispatch(struct gd_req *r)
{
    if (!gd_http__body_finish(r)) {
        gd_http_fail(r, "internal", NULL, "the upload could not be stored");
        return;
    }
    r->route->handler(r);
}

static void count(struct gd_server *srv, int status, int64_t us)
{
    static const int64_t bounds[] = {1000, 5000, 10000, 25000, 50000, 100000, 500000};
    int cls = status / 100;
    atomic_fetch_add(&srv->requests[cls >= 1 && cls <= 5 ? cls : 0], 1);
    atomic_fetch_add(&srv->latency_us_sum, us);
    int b = 0;
    while (b < 7 && us > bounds[b]) {
        b++;
    }
    atomic_fetch_add(&srv->latency_buckets[b], 1);
}

void gd_server_metrics(struct gd_server *srv, struct gd_strbuf *sb)
{
    static const char *const le[] = {"0.001", "0.005", "0.01", "0.025",
                                     "0.05",  "0.1",   "0.5",  "+Inf"};
    long cum = 0, total = 0;
    gd_strbuf_adds(sb, "# HELP gongdan_http_requests_total HTTP requests by status class.\n"
                       "# TYPE gongdan_http_requests_total counter\n");
    for (int c = 1; c <= 5; c++) {
        long n = atomic_load(&srv->requests[c]);
        total += n;
        gd_strbuf_addf(sb, "gongdan_http_requests_total{code=\"%dxx\"} %ld\n", c, n);
    }
    gd_strbuf_adds(sb, "# HELP gongdan_http_request_duration_seconds Request latency.\n"
                       "# TYPE gongdan_http_request_duration_seconds histogram\n");
    for (int b = 0; b < 8; b++) {
        cum += atomic_load(&srv->latency_buckets[b]);
        gd_strbuf_addf(sb, "gongdan_http_request_duration_seconds_bucket{le=\"%s\"} %ld\n", le[b],
                       cum);
    }
    gd_strbuf_addf(sb,
                   "gongdan_http_request_duration_seconds_sum %.6f\n"
                   "gongdan_http_request_duration_seconds_count %ld\n",
                   (double)atomic_load(&srv->latency_us_sum) / 1e6, cum);
    gd_strbuf_addf(sb,
                   "# HELP gongdan_http_inflight Requests being handled.\n"
                   "# TYPE gongdan_http_inflight gauge\ngongdan_http_inflight %ld\n",
                   atomic_load(&srv->inflight));
    gd_strbuf_addf(sb,
                   "# HELP gongdan_deadlines_fired_total Timers fired by this process.\n"
                   "# TYPE gongdan_deadlines_fired_total counter\n"
                   "gongdan_deadlines_fired_total %lld\n",
                   (long long)srv->sched.fired_total);
    gd_strbuf_addf(sb,
                   "# HELP gongdan_webhook_events_delivered_total Events webhook endpoints "
                   "acknowledged.\n# TYPE gongdan_webhook_events_delivered_total counter\n"
                   "gongdan_webhook_events_delivered_total %lld\n"
                   "# HELP gongdan_webhook_failures_total Failed webhook deliveries.\n"
                   "# TYPE gongdan_webhook_failures_total counter\n"
                   "gongdan_webhook_failures_total %lld\n",
                   (long long)atomic_load(&srv->webhooks.delivered_total),
                   (long long)atomic_load(&srv->webhooks.failed_total));
    gd_viewcache_metrics(sb);
    gd_rowcache_metrics(sb);
    gd_svc_credcache_metrics(sb);
    gd_http_compress_metrics(sb);
    gd_strbuf_adds(sb, "# HELP gongdan_limit_hits_total Requests or connections refused by a "
                       "limit of the server.\n# TYPE gongdan_limit_hits_total counter\n");
    for (int l = 0; l < GD_LIMIT_COUNT; l++) {
        gd_strbuf_addf(sb, "gongdan_limit_hits_total{limit=\"%s\"} %ld\n", limit_names[l],
                       atomic_load(&srv->limit_hits[l]));
    }
    gd_http_stream_metrics(sb);
    gd_webhook_metrics(&srv->webhooks, sb);
    gd_svc_storage_metrics(sb);
    gd_svc_signin_metrics(sb);
    gd_svc_thumbnail_metrics(sb);
    gd_svc_uow_metrics(sb);
    gd_svc_quickreply_metrics(sb);
    gd_svc_savedfilter_metrics(sb);
    gd_cluster_metrics(sb);
    (void)total;
}

static enum MHD_Result respond(struct gd_req *r)
{
    struct MHD_Response *resp = r->response;
    if (!resp) {
        resp = gd_http_body_response(r);
    }
    MHD_add_response_header(resp, "X-Request-Id", r->request_id);
    for (int i = 0; i < r->nheaders; i++) {
        MHD_add_response_header(resp, r->headers[i].name, r->headers[i].value);
    }
    if (!r->status) {
        r->status = 500;
    }
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    r->response = NULL;
    return ret;
}

/* The request's first step, from its headers: answered now when prepare refuses it. */
static enum MHD_Result begin(struct gd_req *r, bool path_ok)
{
    if (!prepare(r, path_ok)) {
        r->answered = true;
        if (!drain_body(r)) {
            return respond(r); /* libmicrohttpd reads no body and closes afterwards */
        }
    }
    return MHD_YES;
}

/* The fence's read for a suspended request came back: the request goes on (on_request). */
static void generation_read(void *ctx, int status, int64_t value)
{
    struct gd_req *r = ctx;
    struct gd_server *srv = r->srv; /* r may be gone once its connection is resumed */
    r->gen_read = status == GD_OK;
    r->gen = value;
    MHD_resume_connection(r->conn);
    atomic_fetch_sub(&srv->gen_waiting, 1);
}

static void generation_ignored(void *ctx, int status, int64_t value)
{
    (void)ctx;
    (void)status;
    (void)value;
}

/* A signed-in GET on PostgreSQL reads the generation (its principal's, its view's) from the
 * fence, a round trip and a half of waiting on average. Instead of holding one of the server's
 * threads meanwhile, its connection is suspended and the fence's reader resumes it with the
 * value, so the threads serve other requests and one read answers every request that arrived
 * during the previous one (docs/decisions.md, "The generation is waited for with the connection
 * suspended"). Not for requests with a body (their upload would arrive while suspended). */
static bool suspend_for_generation(struct gd_req *r)
{
    if (!r->srv->gen_async || (r->route->flags & GD_R_PUBLIC) ||
        (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) ||
        gd_http_header_in(r, "Content-Length") || gd_http_header_in(r, "Transfer-Encoding") ||
        (!gd_http_header_in(r, "Authorization") && !gd_http_header_in(r, "Cookie"))) {
        return false;
    }
    /* counted before draining is looked at, which shutdown sets before it waits for the count
     * to reach 0: a request either is waited for or waits on its thread */
    atomic_fetch_add(&r->srv->gen_waiting, 1);
    if (atomic_load(&r->srv->draining)) {
        atomic_fetch_sub(&r->srv->gen_waiting, 1);
        return false;
    }
    r->gen_asked = true;
    MHD_suspend_connection(r->conn); /* before asking: the answer may come at once */
    if (!gd_svc_generation_ask(r->srv->opts->db_url, generation_read, r)) {
        generation_read(r, GD_EUNAVAIL, 0);
    }
    return true;
}

/* The generation read for a resumed request answers its reads while fn runs. */
static void with_generation(struct gd_req *r, void (*fn)(struct gd_req *r))
{
    gd_svc_generation_given(r->gen_read ? &r->gen : NULL);
    fn(r);
    gd_svc_generation_given(NULL);
}

static void prepare_resumed(struct gd_req *r)
{
    r->gen_asked = false;
    if (!prepare(r, true)) {
        r->answered = true; /* a GET without a body: answered on the next call */
    }
}

/* On a write pool thread: the handler, with that thread's own store, then the connection
 * resumed; libmicrohttpd calls on_request again on the connection's thread, which answers. */
static void handle_pooled(void *ctx)
{
    struct gd_req *r = ctx;
    struct gd_server *srv = r->srv; /* r may be gone once its connection is resumed */
    r->svc = gd_http__thread_svc(srv);
    if (r->svc) {
        dispatch(r);
    } else {
        gd_http_fail(r, "unavailable", NULL, "the database is not available");
    }
    r->answered = true;
    MHD_resume_connection(r->conn);
    atomic_fetch_sub(&srv->write_waiting, 1);
}

/* A GD_R_WRITE_WAITS (GD_R_LONG_WRITE) request whose body has arrived is handled on the write
 * (long write) pool with its connection suspended, so this thread's other connections do not
 * wait for its commit (its second of work). False: handle it here (no such pool, shutting down). */
static bool suspend_for_write(struct gd_req *r)
{
    struct gd_writepool *pool = r->route->flags & GD_R_WRITE_WAITS  ? r->srv->writes
                                : r->route->flags & GD_R_LONG_WRITE ? r->srv->long_writes
                                                                    : NULL;
    if (!pool) {
        return false;
    }
    /* counted before draining is looked at, as for the generation (suspend_for_generation) */
    atomic_fetch_add(&r->srv->write_waiting, 1);
    if (atomic_load(&r->srv->draining)) {
        atomic_fetch_sub(&r->srv->write_waiting, 1);
        return false;
    }
    MHD_suspend_connection(r->conn); /* before handing over: the pool may resume it at once */
    if (!gd_writepool_submit(pool, handle_pooled, r)) {
        MHD_resume_connection(r->conn);
        atomic_fetch_sub(&r->srv->write_waiting, 1);
        return false;
    }
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct gd_server *srv = cls;
    struct gd_req *r = *con_cls;
    (void)version;

    if (!r) {
        static _Atomic uint64_t seq;
        r = xcalloc(1, sizeof(*r));
        r->conn = conn;
        r->srv = srv;
        r->method = method;
        r->path = url;
        r->started_us = now_us();
        gd_strbuf_init(&r->body, 0);
        gd_strbuf_init(&r->out, 0);
        snprintf(r->request_id, sizeof(r->request_id), "%llx-%llx",
                 (unsigned long long)(gd_clock_mono_ms() & 0xffffffff),
                 (unsigned long long)atomic_fetch_add(&seq, 1));
        r->spool_fd = -1;
        atomic_fetch_add(&srv->inflight, 1);
        *con_cls = r;
        bool path_ok;
        r->route = route(r, &path_ok);
        if (r->route && suspend_for_generation(r)) {
            return MHD_YES;
        }
        return begin(r, path_ok);
    }
    if (r->gen_asked) { /* resumed: on with the request; libmicrohttpd calls again for the rest */
        with_generation(r, prepare_resumed);
        return MHD_YES;
    }
    if (r->answered) {
        if (*upload_size) {
            r->dropped += *upload_size;
            *upload_size = 0;
            return r->dropped > drain_limit(r) ? MHD_NO : MHD_YES;
        }
        return respond(r);
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->body.len + n > body_limit(r)) {
            gd_http__body_release(r);
            fail_too_large(r); /* the rest is dropped as above, then the 413 goes out */
            r->answered = true;
            r->dropped = r->body.len + n;
            return MHD_YES;
        }
        /* no room to keep the upload: close the connection */
        return gd_http__body_add(r, upload_data, n) ? MHD_YES : MHD_NO;
    }
    if (suspend_for_write(r)) {
        return MHD_YES; /* answered once resumed (r->answered) */
    }
    with_generation(r, dispatch);
    return respond(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct gd_server *srv = cls;
    struct gd_req *r = *con_cls;
    (void)conn;
    (void)toe;
    if (!r) {
        return;
    }
    int64_t us = now_us() - r->started_us;
    count(srv, r->status, us);
    if (gd_log_level <= GD_LOG_INFO) {
        char path[600];
        gd_log_value(r->path, path, sizeof(path));
        gd_log(GD_LOG_INFO, "request method=%s path=%s status=%d us=%lld rid=%s user=%lld",
               r->method, path, r->status, (long long)us, r->request_id,
               (long long)r->actor.user_id);
    }
    if (r->json) {
        json_decref(r->json);
    }
    if (r->response) {
        MHD_destroy_response(r->response);
    }
    gd_http__body_release(r);
    gd_http_shared_release(r);
    gd_strbuf_release(&r->out);
    gd_arena_release(&r->a);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

/* Connections open at once; beyond, new ones wait in the listening socket's backlog until one
 * closes (acceptor.h). */
#define WRITE_POOL_MAX 64 /* the write pool's threads at most (each opens a store) */
#define CONN_LIMIT 4000
/* Each connection's memory for the request's headers and the answer's (libmicrohttpd's pool,
 * 32 KiB unless told): the pool is zeroed at every request's end, and at 32 KiB that was 7% of
 * the server's CPU per cached view. 16 KiB still takes about 14 KB of request headers (more than
 * nginx's or Apache's 8 KB a header line); beyond, the answer is 431. Bodies do not live here. */
#define CONN_MEMORY (16u * 1024)
#define CONNS_PER_ADDR_DEFAULT 256

/* Refuses a connection from an address that already holds its share of the connections: with
 * no request read yet there is no HTTP answer to give, so the refusal closes the socket and is
 * counted (and logged once a second at most). An admitted connection is counted here, on the
 * accepting thread, not when its worker takes it a moment later: a burst accepted meanwhile
 * would pass the check uncounted. The acceptor releases it (release_conn) when it closes or
 * when libmicrohttpd refuses it. */
static bool admit_conn(void *cls, const struct sockaddr *addr)
{
    struct gd_server *srv = cls;
    int cap =
        srv->opts->max_conns_per_addr > 0 ? srv->opts->max_conns_per_addr : CONNS_PER_ADDR_DEFAULT;
    if (gd_connlimit_open(addr) <= cap) {
        return true;
    }
    gd_connlimit_close(addr);
    static _Atomic int64_t last_log;
    int64_t now = gd_clock_mono_ms(), prev = atomic_load(&last_log);
    if (now - prev >= 1000 && atomic_compare_exchange_strong(&last_log, &prev, now)) {
        char ip[INET6_ADDRSTRLEN] = "?";
        if (addr->sa_family == AF_INET) {
            inet_ntop(AF_INET, &((const struct sockaddr_in *)addr)->sin_addr, ip, sizeof(ip));
        } else if (addr->sa_family == AF_INET6) {
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)addr)->sin6_addr, ip, sizeof(ip));
        }
        gd_log(GD_LOG_WARN, "limit connections_per_address=%d reached addr=%s", cap, ip);
    }
    gd_server_limit_hit(srv, GD_LIMIT_CONNS_PER_ADDR);
    return false;
}

static void release_conn(void *cls, const struct sockaddr *addr)
{
    (void)cls;
    gd_connlimit_close(addr);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code)
{
    struct gd_server *srv = cls;
    (void)socket_ctx;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci) {
        return;
    }
    if (code == MHD_CONNECTION_NOTIFY_CLOSED) { /* counted by admit_conn */
        gd_acceptor_closed(&srv->acceptor, ci->client_addr);
    }
}

static void nudge_sched(void *ctx, int64_t due_at) { gd_sched_nudge_at(ctx, due_at); }

void gd_server_nudge_scheduler(struct gd_server *srv) { gd_sched_nudge(&srv->sched); }

bool gd_server_test_clock(struct gd_server *srv) { return srv->opts->test_clock; }

const char *gd_server_web_root(struct gd_server *srv) { return srv->opts->web_root; }

const struct gd_http_opts *gd_server_opts(struct gd_server *srv) { return srv->opts; }

const char *gd_server_data_dir(struct gd_server *srv) { return srv->opts->data_dir; }

void gd_server_nudge_exports(struct gd_server *srv) { gd_svc_export_worker_nudge(&srv->exports); }

/* Hook point for live updates (SSE) and webhooks; set by stream.c. */
void (*gd_http__on_change)(const struct gd_workorder *wo);

static void on_change(void *ctx, const struct gd_workorder *wo)
{
    struct gd_server *srv = ctx;
    gd_webhook_nudge(&srv->webhooks); /* the change's events may be owed to the shop's webhooks */
    if (gd_http__on_change) {
        gd_http__on_change(wo);
    }
}

int gd_http_serve(const struct gd_http_opts *opts)
{
    struct gd_server *srv = xcalloc(1, sizeof(*srv));
    struct gd_err err = {0};
    char host[256];
    int port = 8080;
    struct sockaddr_in addr = {0};
    const char *colon = strrchr(opts->listen, ':');
    if (!colon || colon == opts->listen || (size_t)(colon - opts->listen) >= sizeof(host)) {
        fprintf(stderr, "error: --listen must be HOST:PORT\n");
        return 2;
    }
    memcpy(host, opts->listen, (size_t)(colon - opts->listen));
    host[colon - opts->listen] = 0;
    char *end;
    port = (int)strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &addr.sin_addr) != 1) {
        fprintf(stderr, "error: --listen must be an IPv4 HOST:PORT, got '%s'\n", opts->listen);
        return 2;
    }
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);

    /* SIGTERM and SIGINT are blocked before any thread starts (threads inherit the mask) and taken
     * by sigwait on this thread: a handler could run on any thread, and pause() here then slept
     * on through a stop request (a server that never exited on SIGTERM, seen in CI) */
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, NULL);

    /* a database made by an older version gets the migrations it lacks before anything runs */
    if (gd_svc_migrate_db(opts->db_url, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        free(srv);
        return 1;
    }

    srv->opts = opts;
    pthread_mutex_init(&srv->stores_lock, NULL);
    gd_svc_shared_init(&srv->shared);
    srv->shared.on_change = on_change;
    srv->shared.on_change_ctx = srv;
    srv->shared.on_deadline = nudge_sched;
    srv->shared.on_deadline_ctx = &srv->sched;
    srv->shared.webhook_private = opts->webhook_private;
    /* first: the node slot is the node part of every id made from here on */
    if (gd_cluster_start(&srv->cluster, opts->db_url, opts->node_id, &srv->shared, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    if (gd_sched_start(&srv->sched, opts->db_url, opts->data_dir, opts->deadline_batch,
                       &srv->shared, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        gd_cluster_stop(&srv->cluster);
        return 1;
    }
    if (gd_svc_export_worker_start(&srv->exports, opts->db_url, opts->data_dir, &srv->shared,
                                   &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        gd_sched_stop(&srv->sched);
        return 1;
    }
    if (gd_webhook_start(&srv->webhooks, opts->db_url, opts->webhook_private, opts->webhook_ca_file,
                         &srv->shared, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        gd_svc_export_worker_stop(&srv->exports);
        gd_sched_stop(&srv->sched);
        gd_cluster_stop(&srv->cluster);
        return 1;
    }

    /* the fence's reader started (and its connection opened) by a first read nobody waits for;
     * GONGDAN_FENCE_SUSPEND=0 makes requests wait for the generation on their thread instead */
    const char *suspend = getenv("GONGDAN_FENCE_SUSPEND");
    srv->gen_async = !(suspend && strcmp(suspend, "0") == 0) &&
                     gd_svc_generation_ask(opts->db_url, generation_ignored, NULL);
    /* more threads than cores, by what holds a thread (docs/decisions.md, "Server threads: 4 per
     * core on SQLite, 2 on PostgreSQL"): on SQLite a durable write other than a create (which
     * waits on the write pool) waits for its group commit (writer.c) on its thread, and 4 per
     * core leave the core to the others meanwhile; where requests wait for
     * the generation suspended (PostgreSQL's fence) each thread more is one more woken by every
     * read, and 2 per core serve the cached view with a fifth less CPU */
    int per_core = srv->gen_async ? 2 : 4;
    int threads = opts->threads > 0 ? opts->threads : per_core * (int)sysconf(_SC_NPROCESSORS_ONLN);

    /* creates are handled on threads of their own while their connection waits suspended,
     * twice as many as the server's (writepool.h: more creates waiting at once make bigger
     * groups), or GONGDAN_WRITE_POOL of them (0: on the connection's thread, as before, and
     * imports and uploads too; also when the pool's threads fail to start) */
    const char *pool = getenv("GONGDAN_WRITE_POOL");
    int pool_threads = pool && *pool ? (int)strtol(pool, NULL, 10) : 2 * threads;
    pool_threads = pool_threads < 0                ? 0
                   : pool_threads < WRITE_POOL_MAX ? pool_threads
                                                   : WRITE_POOL_MAX;
    if (pool_threads > 0 && gd_writepool_start(&srv->writes, pool_threads, &err)) {
        gd_log(GD_LOG_WARN, "%s: creates are handled on the connections' threads", err.msg);
        gd_err_clear(&err);
    }
    /* imports and uploads on threads of their own, one per core (each keeps its core busy for
     * up to a second or more; more wait queued, their connections suspended): on the write pool
     * they would hold its threads from the creates, on the connection's thread its other
     * connections */
    if (pool_threads > 0 &&
        gd_writepool_start(&srv->long_writes, (int)sysconf(_SC_NPROCESSORS_ONLN), &err)) {
        gd_log(GD_LOG_WARN, "%s: imports and uploads are handled on the connections' threads",
               err.msg);
        gd_err_clear(&err);
    }

    /* a port in use is an error (two servers on one database would run two schedulers), unless
     * the operator asks to share it (--reuse-port: SO_REUSEPORT; without it SO_REUSEADDR only: a
     * restart binds despite TIME_WAIT, a second listener fails). The socket is ours and one
     * thread accepts on it, spreading connections evenly over the pool (http/acceptor.h). */
    struct gd_acceptor *acceptor = &srv->acceptor;
    *acceptor = (struct gd_acceptor){
        .fd = -1, .max_open = CONN_LIMIT, .admit = admit_conn, .release = release_conn, .ctx = srv};
    struct MHD_Daemon *d = NULL;
    if (gd_acceptor_listen(acceptor, &addr, opts->reuse_port)) {
        if (errno == EADDRINUSE) {
            fprintf(stderr,
                    "error: cannot listen on %s: the port is in use (another gongdan "
                    "serve?); stop it, choose another --listen, or pass --reuse-port to "
                    "share the port on purpose\n",
                    opts->listen);
        } else {
            fprintf(stderr, "error: cannot listen on %s: %s\n", opts->listen, strerror(errno));
        }
    } else {
        d = MHD_start_daemon(
            MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_USE_ITC |
                MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
            0, NULL, NULL, on_request, srv, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
            MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION,
            on_connection, srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
            MHD_OPTION_CONNECTION_LIMIT, (unsigned)(CONN_LIMIT * threads), /* see acceptor.h */
            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY, MHD_OPTION_END);
        if (!d || gd_acceptor_start(acceptor, d, &err)) {
            fprintf(stderr, "error: cannot start the HTTP server on %s%s%s\n", opts->listen,
                    d ? ": " : "", d ? err.msg : "");
            if (d) {
                MHD_stop_daemon(d);
                d = NULL;
            }
            close(acceptor->fd);
        }
    }
    if (!d) {
        gd_writepool_stop(srv->writes);
        gd_webhook_stop(&srv->webhooks);
        gd_svc_export_worker_stop(&srv->exports);
        gd_sched_stop(&srv->sched);
        gd_cluster_stop(&srv->cluster);
        return 1;
    }
    printf("gongdan listening on http://%s:%u\n", host, gd_acceptor_port(acceptor));
    fflush(stdout);
    gd_log(GD_LOG_INFO, "listening addr=%s:%u threads=%d db=%s test_clock=%d node=%s", host,
           gd_acceptor_port(acceptor), threads, opts->db_url, opts->test_clock, opts->node_id);

    signal(SIGPIPE, SIG_IGN);
    int sig;
    sigwait(&stop_signals, &sig);
    /* graceful: stop accepting, let the requests being handled finish (up to 10 s), stop */
    gd_log(GD_LOG_INFO, "shutting down inflight=%ld", atomic_load(&srv->inflight));
    gd_acceptor_stop(acceptor);
    atomic_store(&srv->draining, true);
    gd_http__stream_close_all();
    int64_t until = gd_clock_mono_ms() + 10000;
    while (atomic_load(&srv->inflight) > 0 && gd_clock_mono_ms() < until) {
        usleep(10000);
    }
    /* libmicrohttpd must not be stopped while a request the fence has yet to call back holds
     * its connection suspended (and srv): the reader's reads end (a broken connection fails
     * them), unless the database hangs for a minute */
    until = gd_clock_mono_ms() + 60000;
    while ((atomic_load(&srv->gen_waiting) > 0 || atomic_load(&srv->write_waiting) > 0) &&
           gd_clock_mono_ms() < until) {
        usleep(10000);
    }
    /* what a pool thread still has runs and resumes its connection before the stop */
    gd_writepool_stop(srv->writes);
    gd_writepool_stop(srv->long_writes);
    MHD_stop_daemon(d);
    gd_webhook_stop(&srv->webhooks);
    gd_svc_export_worker_stop(&srv->exports);
    gd_sched_stop(&srv->sched);
    gd_cluster_stop(&srv->cluster);
    for (int i = 0; i < srv->nsvcs; i++) {
        gd_svc_close(srv->svcs[i]);
        free(srv->svcs[i]);
    }
    gd_log(GD_LOG_INFO, "stopped");
    free(srv);
    return 0;
}
