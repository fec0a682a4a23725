/* Operational routes: health, Prometheus metrics, the OpenAPI document, and the test clock
 * (only with --test-clock). */
#include "base/clock.h"
#include "http/req.h"

extern const unsigned char gd_asset_openapi[];
extern const unsigned long gd_asset_openapi_len;

static void healthz(struct gd_req *r)
{
    int64_t n;
    struct gd_err err = {0};
    /* a trivial read proves the database answers */
    if (GD_STORE(r->svc->store, counter_get, 0, "healthz", &n, &err)) {
        gd_http_fail(r, 503, "unavailable", NULL, "the database does not answer");
        return;
    }
    gd_strbuf_adds(&r->out, "{\"status\":\"ok\"}");
    gd_http_json(r, 200);
}

static void metrics(struct gd_req *r)
{
    gd_server_metrics(r->srv, &r->out);
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
        gd_http_fail(r, 404, "not_found", NULL, "no route %s", r->path);
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
