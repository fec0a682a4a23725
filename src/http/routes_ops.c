/* Operational routes: health, Prometheus metrics, the OpenAPI document, and the test clock
 * (only with --test-clock). */
#include "base/clock.h"
#include "http/http.h"
#include "http/req.h"

extern const unsigned char gd_asset_openapi[];
extern const unsigned long gd_asset_openapi_len;

/* 200 {"status":"ok","backend":"postgresql","node":"host:8080"} while the database answers,
 * else 503 (with Retry-After, like every 503): a load balancer takes a server whose database
 * is gone out. */
static void healthz(struct gd_req *r)
{
    struct gd_err err = {0};
    const char *backend;
    if (gd_svc_health(r->svc, &backend, &err)) {
        gd_http_fail(r, "unavailable", NULL, "the database (%s) does not answer", backend);
        return;
    }
    gd_strbuf_adds(&r->out, "{\"status\":\"ok\",\"backend\":");
    gd_strbuf_add_json_str(&r->out, backend);
    /* which node answered: behind a load balancer, the one to look at */
    gd_strbuf_adds(&r->out, ",\"node\":");
    gd_strbuf_add_json_str(&r->out, gd_server_opts(r->srv)->node_id);
    gd_strbuf_addch(&r->out, '}');
    gd_http_json(r, 200);
}

/* The database's side of /metrics: the deadline engine's lag, the export queue, the writes. */
static void metrics_gauges(struct gd_req *r)
{
    static const char *const export_states[] = {"queued", "running", "done", "failed"};
    struct gd_ops_gauges g;
    struct gd_err err = {0};
    int64_t now;
    if (gd_svc_ops_gauges(r->svc, &g, &now, &err)) {
        return; /* /healthz tells that the database is gone; the process counters still help */
    }
    double lag =
        g.deadlines_due > 0 && g.oldest_due_at > 0 ? (double)(now - g.oldest_due_at) / 1e3 : 0;
    gd_strbuf_addf(&r->out,
                   "# HELP gongdan_deadlines_due Timers due but not fired yet.\n"
                   "# TYPE gongdan_deadlines_due gauge\ngongdan_deadlines_due %lld\n"
                   "# HELP gongdan_scheduler_lag_seconds How long the oldest due timer has waited "
                   "(0 when none is due).\n# TYPE gongdan_scheduler_lag_seconds gauge\n"
                   "gongdan_scheduler_lag_seconds %.3f\n"
                   "# HELP gongdan_export_jobs Export jobs by state.\n"
                   "# TYPE gongdan_export_jobs gauge\n",
                   (long long)g.deadlines_due, lag > 0 ? lag : 0);
    for (int i = 0; i < 4; i++) {
        gd_strbuf_addf(&r->out, "gongdan_export_jobs{state=\"%s\"} %lld\n", export_states[i],
                       (long long)g.exports[i]);
    }
    /* a queue that drains and one that is stuck differ in how long the oldest job waits */
    int64_t waited = g.oldest_queued_export_at ? now - g.oldest_queued_export_at : 0;
    gd_strbuf_addf(&r->out,
                   "# HELP gongdan_export_oldest_queued_seconds How long the oldest "
                   "queued export job has waited (0 when none waits).\n"
                   "# TYPE gongdan_export_oldest_queued_seconds gauge\n"
                   "gongdan_export_oldest_queued_seconds %.3f\n",
                   waited > 0 ? (double)waited / 1e3 : 0.0);
    gd_strbuf_addf(&r->out,
                   "# HELP gongdan_db_commit_seconds Time of each (group) commit, fsync included.\n"
                   "# TYPE gongdan_db_commit_seconds summary\n"
                   "gongdan_db_commit_seconds_sum %.6f\ngongdan_db_commit_seconds_count %lld\n"
                   "# HELP gongdan_db_write_wait_seconds Time a write transaction waited for the "
                   "writer.\n# TYPE gongdan_db_write_wait_seconds summary\n"
                   "gongdan_db_write_wait_seconds_sum %.6f\n"
                   "gongdan_db_write_wait_seconds_count %lld\n",
                   g.commit_seconds, (long long)g.commits, g.write_wait_seconds,
                   (long long)g.write_waits);
}

static void metrics(struct gd_req *r)
{
    gd_server_metrics(r->srv, &r->out);
    metrics_gauges(r);
    r->status = 200;
    r->content_type = "text/plain; version=0.0.4";
}

static void openapi(struct gd_req *r)
{
    gd_strbuf_add(&r->out, gd_asset_openapi, gd_asset_openapi_len);
    gd_http_json(r, 200);
}

/* POST /api/v1/_test/clock {"advance_ms": n} or {"set": "RFC 3339"}: moves the server's clock.
 * Registered always, answers 404 unless the server was started with --test-clock. */
static void test_clock(struct gd_req *r)
{
    static const char *const allowed[] = {"advance_ms", "now", NULL};
    int64_t adv = 0, at = 0;
    bool has_adv, has_at;

    if (!gd_server_test_clock(r->srv)) {
        gd_http_fail(r, "not_found", NULL, "no route %s", r->path);
        return;
    }
    json_t *o = gd_http_body_object(r, allowed);
    if (!o || gd_in_int(r, o, "advance_ms", false, 0, 400LL * 86400 * 1000, &adv, &has_adv) ||
        gd_in_time(r, o, "now", &at, &has_at)) {
        return;
    }
    if (has_at) {
        gd_clock_set_offset_ms(at - (gd_clock_now_ms() - gd_clock_offset_ms()));
    } else if (has_adv) {
        gd_clock_set_offset_ms(gd_clock_offset_ms() + adv);
    }
    gd_server_nudge_scheduler(r->srv);
    gd_strbuf_adds(&r->out, "{\"now\":");
    gd_render_time(&r->out, gd_clock_now_ms());
    gd_strbuf_adds(&r->out, "}");
    gd_http_json(r, 200);
}

const struct gd_route gd_routes_ops[] = {
    {"GET", "/healthz", healthz, GD_R_PUBLIC},
    {"GET", "/metrics", metrics, GD_R_PUBLIC},
    {"GET", "/api/v1/openapi.json", openapi, GD_R_PUBLIC},
    {"POST", "/api/v1/_test/clock", test_clock, GD_R_PUBLIC},
    {NULL, NULL, NULL, 0},
};
