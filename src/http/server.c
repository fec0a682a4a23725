/* The server: libmicrohttpd with the epoll thread pool (one thread per core), the access handler
 * that collects the body, routes, authenticates and renders; static files of the workbench; one
 * log line per request; metrics; graceful shutdown (stop accepting, let in-flight requests
 * finish, then stop). Each pool thread opens its own store on first use. */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/time.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/log.h"
#include "base/secret.h"
#include "base/xalloc.h"
#include "http/http.h"
#include "http/req.h"
#include "sched/sched.h"
#include "webhook/deliver.h"

#define BIG_BODY (200u * 1024 * 1024) /* uploads (9 x 20 MiB) and CSV imports */

struct gd_server {
    const struct gd_http_opts *opts;
    struct gd_svc_shared shared;
    struct gd_sched sched;
    struct gd_export_worker exports; /* reports: runs queued export jobs */
    struct gd_webhook_deliverer webhooks;
    pthread_mutex_t stores_lock;
    struct gd_svc *svcs[64]; /* one per server thread, closed at shutdown */
    int nsvcs;
    _Atomic long inflight;
    _Atomic long requests[6]; /* by status class 1xx..5xx */
    _Atomic long latency_us_sum;
    _Atomic long latency_buckets[8];
};

static const struct gd_route *const tables[] = {
    gd_routes_center, gd_routes_ops, gd_routes_collab, gd_routes_reports, gd_routes_stream,
    gd_routes_webhooks,
};

static _Thread_local struct gd_svc *tl_svc;
static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

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
    if (gd_store_open(srv->opts->db_url, false, &svc->store, &err)) {
        gd_log(GD_LOG_ERROR, "cannot open store: %s", err.msg);
        free(svc);
        return NULL;
    }
    svc->shared = &srv->shared;
    pthread_mutex_lock(&srv->stores_lock);
    if (srv->nsvcs < 64) {
        srv->svcs[srv->nsvcs++] = svc;
    }
    pthread_mutex_unlock(&srv->stores_lock);
    tl_svc = svc;
    return svc;
}

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
            gd_svc_auth_token(r->svc, auth + 7, &r->a, &r->actor, &err)) {
            if (!err.code) {
                gd_err_set(&err, GD_EAUTH, "Authorization must be 'Bearer <api token>'");
            }
            gd_http_error(r, &err);
            return false;
        }
        return true;
    }
    if (sess && strlen(sess) <= 128) {
        if (gd_svc_auth_session(r->svc, sess, &r->a, &r->actor, &csrf, &err)) {
            gd_http_error(r, &err);
            return false;
        }
        r->via_cookie = true;
        bool mutation = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
        const char *sent = gd_http_header_in(r, "X-CSRF-Token");
        if (mutation && (!sent || !gd_secret_equal(sent, csrf))) {
            gd_http_fail(r, 403, "csrf", "X-CSRF-Token",
                         "cookie sessions must send the X-CSRF-Token header from sign-in");
            return false;
        }
        return true;
    }
    gd_http_fail(r, 401, "unauthenticated", NULL,
                 "sign in (POST /api/v1/session) or send 'Authorization: Bearer <api token>'");
    return false;
}

static void dispatch(struct gd_req *r)
{
    bool path_ok;

    /* the route table wins: the workbench's files and its index.html fallback only serve paths
     * no route has (/healthz and /metrics must never be answered by index.html) */
    if (!r->route) {
        r->route = route(r, &path_ok);
        if (!r->route) {
            if (path_ok) {
                gd_http_fail(r, 405, "method_not_allowed", NULL, "%s is not allowed here",
                             r->method);
            } else if (!gd_http__serve_static(r)) {
                gd_http_fail(r, 404, "not_found", NULL, "no route %s", r->path);
            }
            return;
        }
    }
    if (r->body_too_big) {
        gd_http_fail(r, 413, "too_large", NULL, "the request body is larger than the limit of "
                     "%zu bytes", (r->route->flags & GD_R_BIG_BODY) ? (size_t)BIG_BODY
                                                                    : r->srv->opts->max_body);
        return;
    }
    r->svc = gd_http__thread_svc(r->srv);
    if (!r->svc) {
        gd_http_fail(r, 503, "unavailable", NULL, "the database is not available");
        return;
    }
    if (!(r->route->flags & GD_R_PUBLIC) && !authenticate(r)) {
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
    static const char *const le[] = {"0.001", "0.005", "0.01", "0.025", "0.05", "0.1", "0.5", "+Inf"};
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
    gd_strbuf_addf(sb, "gongdan_http_request_duration_seconds_sum %.6f\n"
                       "gongdan_http_request_duration_seconds_count %ld\n",
                   (double)atomic_load(&srv->latency_us_sum) / 1e6, cum);
    gd_strbuf_addf(sb, "# HELP gongdan_http_inflight Requests being handled.\n"
                       "# TYPE gongdan_http_inflight gauge\ngongdan_http_inflight %ld\n",
                   atomic_load(&srv->inflight));
    gd_strbuf_addf(sb, "# HELP gongdan_deadlines_fired_total Timers fired by this process.\n"
                       "# TYPE gongdan_deadlines_fired_total counter\n"
                       "gongdan_deadlines_fired_total %lld\n", (long long)srv->sched.fired_total);
    gd_strbuf_addf(sb, "# HELP gongdan_webhook_events_delivered_total Events webhook endpoints "
                       "acknowledged.\n# TYPE gongdan_webhook_events_delivered_total counter\n"
                       "gongdan_webhook_events_delivered_total %lld\n"
                       "# HELP gongdan_webhook_failures_total Failed webhook deliveries.\n"
                       "# TYPE gongdan_webhook_failures_total counter\n"
                       "gongdan_webhook_failures_total %lld\n",
                   (long long)atomic_load(&srv->webhooks.delivered_total),
                   (long long)atomic_load(&srv->webhooks.failed_total));
    gd_svc_signin_metrics(sb);
    (void)total;
}

static enum MHD_Result respond(struct gd_req *r)
{
    struct MHD_Response *resp = r->response;
    if (!resp) {
        size_t len;
        char *body = gd_strbuf_detach(&r->out, &len);
        resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
        MHD_add_response_header(resp, "Content-Type",
                                r->content_type ? r->content_type : "application/json");
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

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
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
        atomic_fetch_add(&srv->inflight, 1);
        *con_cls = r;
        /* route now so the body limit of the route applies while the body arrives */
        bool path_ok;
        r->route = route(r, &path_ok);
        return MHD_YES;
    }
    if (*upload_size) {
        size_t limit = r->route && (r->route->flags & GD_R_BIG_BODY) ? BIG_BODY
                                                                     : srv->opts->max_body;
        if (r->body.len + *upload_size > limit) {
            r->body_too_big = true;
        } else if (!r->body_too_big) {
            gd_strbuf_add(&r->body, upload_data, *upload_size);
        }
        *upload_size = 0;
        return MHD_YES;
    }
    dispatch(r);
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
    gd_log(GD_LOG_INFO, "request method=%s path=%s status=%d us=%lld rid=%s user=%lld",
           r->method, r->path, r->status, (long long)us, r->request_id,
           (long long)r->actor.user_id);
    if (r->json) {
        json_decref(r->json);
    }
    if (r->response) {
        MHD_destroy_response(r->response);
    }
    gd_strbuf_release(&r->body);
    gd_strbuf_release(&r->out);
    gd_arena_release(&r->a);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&srv->inflight, 1);
}

static void nudge_sched(void *ctx, int64_t due_at)
{
    (void)due_at;
    gd_sched_nudge(ctx);
}

void gd_server_nudge_scheduler(struct gd_server *srv)
{
    gd_sched_nudge(&srv->sched);
}

bool gd_server_test_clock(struct gd_server *srv)
{
    return srv->opts->test_clock;
}

const char *gd_server_web_root(struct gd_server *srv)
{
    return srv->opts->web_root;
}

const struct gd_http_opts *gd_server_opts(struct gd_server *srv)
{
    return srv->opts;
}

const char *gd_server_data_dir(struct gd_server *srv)
{
    return srv->opts->data_dir;
}

void gd_server_nudge_exports(struct gd_server *srv)
{
    gd_svc_export_worker_nudge(&srv->exports);
}

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
    /* more threads than cores: a thread whose write waits for its group commit (writer.c) leaves
     * the core to the others */
    int threads = opts->threads > 0 ? opts->threads : 4 * (int)sysconf(_SC_NPROCESSORS_ONLN);

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

    /* a database made by an older version gets the migrations it lacks before anything runs */
    struct gd_store *st = NULL;
    if (gd_store_open(opts->db_url, false, &st, &err) || GD_STORE(st, migrate, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        if (st) {
            gd_store_close(st);
        }
        free(srv);
        return 1;
    }
    gd_store_close(st);

    srv->opts = opts;
    pthread_mutex_init(&srv->stores_lock, NULL);
    gd_svc_shared_init(&srv->shared);
    srv->shared.on_change = on_change;
    srv->shared.on_change_ctx = srv;
    srv->shared.on_deadline = nudge_sched;
    srv->shared.on_deadline_ctx = &srv->sched;
    if (gd_sched_start(&srv->sched, opts->db_url, &srv->shared, &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    if (gd_svc_export_worker_start(&srv->exports, opts->db_url, opts->data_dir, &srv->shared,
                                   &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        gd_sched_stop(&srv->sched);
        return 1;
    }
    if (gd_webhook_start(&srv->webhooks, opts->db_url, opts->webhook_private, &srv->shared,
                         &err)) {
        fprintf(stderr, "error: %s\n", err.msg);
        gd_svc_export_worker_stop(&srv->exports);
        gd_sched_stop(&srv->sched);
        return 1;
    }

    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME, 0, NULL,
        NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
        srv, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)4000, MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "error: cannot listen on %s: %s\n", opts->listen, strerror(errno));
        gd_webhook_stop(&srv->webhooks);
        gd_svc_export_worker_stop(&srv->exports);
        gd_sched_stop(&srv->sched);
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    printf("gongdan listening on http://%s:%u\n", host, info ? info->port : (unsigned)port);
    fflush(stdout);
    gd_log(GD_LOG_INFO, "listening addr=%s:%u threads=%d db=%s test_clock=%d", host,
           info ? info->port : (unsigned)port, threads, opts->db_url, opts->test_clock);

    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    while (!stopping) {
        pause();
    }
    /* graceful: stop accepting, let the requests being handled finish (up to 10 s), stop */
    gd_log(GD_LOG_INFO, "shutting down inflight=%ld", atomic_load(&srv->inflight));
    MHD_quiesce_daemon(d);
    gd_http__stream_close_all();
    int64_t until = gd_clock_mono_ms() + 10000;
    while (atomic_load(&srv->inflight) > 0 && gd_clock_mono_ms() < until) {
        usleep(10000);
    }
    MHD_stop_daemon(d);
    gd_webhook_stop(&srv->webhooks);
    gd_svc_export_worker_stop(&srv->exports);
    gd_sched_stop(&srv->sched);
    for (int i = 0; i < srv->nsvcs; i++) {
        gd_store_close(srv->svcs[i]->store);
        free(srv->svcs[i]);
    }
    gd_log(GD_LOG_INFO, "stopped");
    free(srv);
    return 0;
}
