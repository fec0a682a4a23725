/* Outgoing webhooks: a shop lead's endpoints, and what the deliverer (src/webhook) asks of the
 * database. Events reach the outbox in gd_svc__event, inside the transaction that writes them. */
#include <stdatomic.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/secret.h"
#include "service/svc_int.h"

/* Requests refused at each limit a shop meets here, for /metrics. */
enum limit { LIMIT_URL_LENGTH, LIMIT_EVENT_KINDS, LIMIT_ENDPOINTS, NLIMITS };
static const char *const limit_names[NLIMITS] = {"url_length", "event_kinds", "endpoints"};
static _Atomic long limit_refusals[NLIMITS];

static int refuse_at(enum limit which, int ret)
{
    atomic_fetch_add(&limit_refusals[which], 1);
    return ret;
}

void gd_svc_webhook_metrics(struct gd_strbuf *sb)
{
    gd_svc__limit_refusals_metric(
        sb, "gongdan_webhook_limit_refusals_total",
        "Webhook requests refused at a limit (url_length, event_kinds, endpoints per shop).",
        limit_names, limit_refusals, NLIMITS);
}

static int need_lead(const struct gd_actor *actor, struct gd_err *err)
{
    if (!gd_role_is_shop_lead(actor->role)) {
        return gd_err_set(err, GD_EPERM, "webhooks are managed by the shop's owner or lead");
    }
    return GD_OK;
}

/* http:// or https://, a host, and nothing a URL may not hold (spaces, controls, non-ASCII). */
static int check_url(const char *url, struct gd_err *err)
{
    const char *host;
    size_t n;

    if (!url || !*url) {
        return gd_err_field(err, GD_EINVAL, "url", "url is required");
    }
    n = strlen(url);
    if (n > GD_WEBHOOK_URL_MAX) {
        return refuse_at(LIMIT_URL_LENGTH,
                         gd_err_field(err, GD_EINVAL, "url", "url is longer than %d characters",
                                      GD_WEBHOOK_URL_MAX));
    }
    if (strncmp(url, "https://", 8) == 0) {
        host = url + 8;
    } else if (strncmp(url, "http://", 7) == 0) {
        host = url + 7;
    } else {
        return gd_err_field(err, GD_EINVAL, "url", "url must start with http:// or https://");
    }
    if (!*host || *host == '/' || *host == ':' || *host == '?' || *host == '#') {
        return gd_err_field(err, GD_EINVAL, "url", "url has no host");
    }
    for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
        if (*p <= ' ' || *p >= 0x7f) {
            return gd_err_field(err, GD_EINVAL, "url",
                                "url may hold only printable ASCII without spaces "
                                "(percent-encode the rest)");
        }
    }
    return GD_OK;
}

/* The kinds asked for, each known, as one comma-separated list in the canonical order. */
static int events_list(const char *const *events, int nevents, struct gd_arena *a, const char **out,
                       struct gd_err *err)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;

    if (nevents > GD_WEBHOOK_EVENTS_MAX) {
        return refuse_at(LIMIT_EVENT_KINDS, gd_err_field(err, GD_EINVAL, "events",
                                                         "events must be an array of at "
                                                         "most %d event kinds",
                                                         GD_WEBHOOK_EVENTS_MAX));
    }
    for (int i = 0; i < nevents; i++) {
        if (!gd_event_kind_known(events[i])) {
            return gd_err_field(err, GD_EINVAL, "events",
                                "events[%d] is not an event kind; the "
                                "kinds are those of the timeline (docs/webhooks.md)",
                                i);
        }
    }
    for (int k = 0; gd_event_kinds[k]; k++) {
        for (int i = 0; i < nevents; i++) {
            if (strcmp(events[i], gd_event_kinds[k]) == 0) {
                if (sb.len) {
                    gd_strbuf_addch(&sb, ',');
                }
                gd_strbuf_adds(&sb, gd_event_kinds[k]);
                break;
            }
        }
    }
    *out = gd_arena_strdup(a, sb.len ? sb.buf : "");
    gd_strbuf_release(&sb);
    return GD_OK;
}

bool gd_svc_webhook_wants(const struct gd_webhook *w, const char *kind)
{
    size_t n = strlen(kind);

    if (!w->events || !*w->events) {
        return true;
    }
    for (const char *p = w->events; (p = strstr(p, kind)) != NULL; p += n) {
        if ((p == w->events || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) {
            return true;
        }
    }
    return false;
}

struct create {
    const struct gd_actor *actor;
    struct gd_idem *idem;
    struct gd_arena *a;
    const struct gd_webhook *hook;
};

static int create_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct create *x = ctx;
    struct gd_webhook *have;
    int n, ret = gd_svc__idem_check(svc, x->actor->user_id, x->idem, x->a, err);

    if (ret || (x->idem && x->idem->replay)) {
        return ret;
    }
    /* counted and inserted in one unit of the shop: two creates cannot both pass the limit */
    if ((ret = GD_STORE(svc->store, webhooks_list, x->actor->shop_id, x->a, &have, &n, err))) {
        return ret;
    }
    if (n >= GD_WEBHOOKS_MAX) {
        return refuse_at(LIMIT_ENDPOINTS, gd_err_field(err, GD_EINVAL, "url",
                                                       "a shop has at most %d webhooks; "
                                                       "delete one first",
                                                       GD_WEBHOOKS_MAX));
    }
    return (ret = GD_STORE(svc->store, webhook_insert, x->hook, err))
               ? ret
               : gd_svc__idem_keep(svc, x->actor->user_id, x->idem, x->hook, err);
}

int gd_svc_webhook_create(struct gd_svc *svc, const struct gd_actor *actor, const char *url,
                          const char *description, const char *const *events, int nevents,
                          const char *format, const char *sign_secret, struct gd_idem *idem,
                          struct gd_arena *a, struct gd_webhook *out, struct gd_err *err)
{
    const char *kinds = "";
    char raw[GD_TOKEN_LEN];
    bool robot = gd_svc_robot_format(format);
    int ret;

    if ((ret = need_lead(actor, err))) {
        return ret;
    }
    if (format && !robot && strcmp(format, "gongdan") != 0) {
        return gd_err_field(err, GD_EINVAL, "format",
                            "format must be gongdan, dingtalk or "
                            "wecom");
    }
    if (!robot && sign_secret) {
        return gd_err_field(err, GD_EINVAL, "secret",
                            "a webhook's secret is made by the server; "
                            "only a DingTalk robot takes one");
    }
    if ((ret = check_url(url, err)) ||
        (robot && (ret = gd_svc__robot_check(svc, format, url, sign_secret, err))) ||
        (ret = gd_svc__text("description", description, false, GD_WEBHOOK_DESC_MAX, err)) ||
        (ret = events_list(events, nevents, a, &kinds, err))) {
        return ret;
    }
    gd_secret_token(raw);
    memset(out, 0, sizeof(*out));
    out->id = gd_id_new();
    out->shop_id = actor->shop_id;
    out->url = gd_arena_strdup(a, url);
    /* a DingTalk robot is signed with the secret DingTalk gave; others with one made here */
    out->secret =
        sign_secret ? gd_arena_strdup(a, sign_secret) : gd_arena_printf(a, "whsec_%s", raw);
    out->format = robot ? format : "gongdan";
    out->description = description ? gd_arena_strdup(a, description) : "";
    out->events = kinds;
    out->created_by = actor->user_id;
    out->created_at = gd_clock_now_ms();
    out->last_error = "";

    struct create x = {actor, idem, a, out};
    return gd_svc__uow_run(svc, actor->shop_id, create_unit, &x, err);
}

int gd_svc_webhooks_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                         struct gd_webhook **out, int *count, struct gd_err *err)
{
    int ret = need_lead(actor, err);
    return ret ? ret : GD_STORE(svc->store, webhooks_list, actor->shop_id, a, out, count, err);
}

int gd_svc_webhook_delete(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                          struct gd_err *err)
{
    int ret = need_lead(actor, err);
    return ret ? ret : GD_STORE(svc->store, webhook_delete, actor->shop_id, id, err);
}

int gd_svc_webhooks_due(struct gd_svc *svc, int64_t now, int limit, struct gd_arena *a,
                        struct gd_webhook **out, int *count, struct gd_err *err)
{
    return GD_STORE(svc->store, webhooks_due, now, limit, a, out, count, err);
}

int gd_svc_webhook_owed(struct gd_svc *svc, const struct gd_webhook *w, int limit,
                        struct gd_arena *a, struct gd_outbox_event **out, int *count,
                        struct gd_err *err)
{
    return GD_STORE(svc->store, outbox_list, w->shop_id, w->cursor, limit, a, out, count, err);
}

/* After a failed attempt the next waits 1 s, then 2 s, 4 s ... at most an hour (the store
 * doubles it from the row's count of consecutive failures). */
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS (3600 * 1000LL)

int gd_svc_webhook_attempted(struct gd_svc *svc, struct gd_webhook *w, bool ok, int64_t upto_seq,
                             int delivered, int status, const char *error, struct gd_err *err)
{
    struct gd_webhook_attempt att = {.ok = ok,
                                     .upto_seq = upto_seq,
                                     .delivered = delivered,
                                     .at = gd_clock_now_ms(),
                                     .status = status,
                                     .error = error ? error : "",
                                     .backoff_ms = BACKOFF_FIRST_MS,
                                     .backoff_max_ms = BACKOFF_MAX_MS,
                                     .lease_node = w->lease_node};
    return GD_STORE(svc->store, webhook_attempted, w->shop_id, w->id, &att, err);
}

int gd_svc_webhook_skip(struct gd_svc *svc, struct gd_webhook *w, int64_t upto_seq,
                        struct gd_err *err)
{
    return GD_STORE(svc->store, webhook_skip, w->shop_id, w->id, w->lease_node, upto_seq, err);
}

static int node_slot(const struct gd_svc *svc) { return svc->shared ? svc->shared->node_slot : -1; }

int gd_svc_webhook_lease(struct gd_svc *svc, struct gd_webhook *w, bool *held, struct gd_err *err)
{
    int node = node_slot(svc);
    int ret = GD_STORE(svc->store, webhook_lease, w->shop_id, w->id, node, GD_WEBHOOK_LEASE_MS,
                       held, err);
    if (!ret && *held) {
        w->lease_node = node; /* its outcome is recorded only while this node still holds it */
    }
    return ret;
}

int gd_svc_webhook_leases_release(struct gd_svc *svc, struct gd_err *err)
{
    return GD_STORE(svc->store, webhook_leases_release, node_slot(svc), err);
}

int gd_svc_outbox_trim(struct gd_svc *svc, struct gd_err *err)
{
    return GD_STORE(svc->store, outbox_trim, err);
}
