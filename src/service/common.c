/* Shared service helpers. */
#include <jansson.h>
#include <stdatomic.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/timefmt.h"
#include "base/utf8.h"
#include "service/svc_int.h"

void gd_svc_shared_init(struct gd_svc_shared *sh)
{
    memset(sh, 0, sizeof(*sh));
    pthread_mutex_init(&sh->lock, NULL);
    sh->node_slot = -1;
}

/* The first answer to the key in *replay (GD_OK), GD_ENOTFOUND when the key is new. */
static int idem_replay(struct gd_svc *svc, int64_t user_id, const char *key, const char *digest,
                       struct gd_arena *a, const char **replay, struct gd_err *err)
{
    const char *first_digest = NULL;
    int status;
    int ret = GD_STORE(svc->store, idem_get, user_id, key, a, &status, replay, &first_digest, err);

    /* a record older than digests has none: it is replayed as before */
    if (ret == GD_OK && first_digest && digest && strcmp(first_digest, digest) != 0) {
        *replay = NULL;
        return gd_err_field(err, GD_EREUSED, "Idempotency-Key",
                            "this Idempotency-Key was already used for a different request "
                            "(method, path or body); send a new key for a new request");
    }
    return ret;
}

static int idem_record(struct gd_svc *svc, int64_t user_id, const char *key, const char *digest,
                       int status, const char *body, struct gd_err *err)
{
    int ret =
        GD_STORE(svc->store, idem_put, user_id, key, digest, status, body, gd_clock_now_ms(), err);
    if (ret == GD_ECONFLICT) {
        /* a request with this key committed after this unit read the key as new (a platform
         * user's creates in two shops run side by side): run again, to answer from its record */
        return gd_err_set(err, GD_ERETRY,
                          "a request with this Idempotency-Key was answered "
                          "meanwhile");
    }
    return ret;
}

int gd_svc__idem_check(struct gd_svc *svc, int64_t user_id, struct gd_idem *idem,
                       struct gd_arena *a, struct gd_err *err)
{
    if (!idem || !idem->key) {
        return GD_OK;
    }
    idem->replay = NULL;
    int ret = idem_replay(svc, user_id, idem->key, idem->digest, a, &idem->replay, err);
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        return GD_OK;
    }
    return ret;
}

int gd_svc__idem_keep(struct gd_svc *svc, int64_t user_id, const struct gd_idem *idem,
                      const void *made, struct gd_err *err)
{
    if (!idem || !idem->key || !idem->render) {
        return GD_OK;
    }
    char *body = idem->render(idem->ctx, made);
    if (!body) {
        return gd_err_set(err, GD_EDB,
                          "the answer to keep for the Idempotency-Key could not be "
                          "rendered");
    }
    int ret = idem_record(svc, user_id, idem->key, idem->digest, idem->status, body, err);
    free(body);
    return ret;
}

int gd_svc__event(struct gd_svc *svc, const struct gd_workorder *wo, int64_t actor_id,
                  const char *kind, const char *data, int64_t at, struct gd_err *err)
{
    struct gd_event ev = {
        .id = gd_id_new(),
        .shop_id = wo->shop_id,
        .workorder_id = wo->id,
        .kind = kind,
        .actor_id = actor_id,
        .at = at,
        .data = data,
    };
    /* owed to the shop's webhooks, unless only the platform may see it */
    bool owed = !gd_event_is_internal(data);
    int ret = GD_OK;
    /* (queued when the firing engine's batch defers its rows: written together before commit) */
    if (!gd_svc__batch_event(svc, &ev, owed)) {
        ret = GD_STORE(svc->store, event_append, &ev, err);
        if (!ret && owed) {
            ret = GD_STORE(svc->store, outbox_add, ev.shop_id, ev.id, err);
        }
    }
    /* the people it concerns are told in the same transaction (notify.c) */
    if (!ret) {
        ret = gd_svc__notify_event(svc, wo, actor_id, kind, data, at, err);
    }
    /* the other nodes' live streams hear of it once this transaction commits (cluster.c) */
    if (!ret) {
        ret = GD_STORE(svc->store, change_notify, wo->shop_id, wo->id,
                       svc->shared ? svc->shared->node_slot : -1, err);
    }
    return ret;
}

/* Did `user_id` take part in the work order before? They acted on it (an event of theirs on its
 * timeline: a shop agent's reply moves a collaborative case to the platform's handler), or were
 * handed it and handed it on (the "from" of an assigned or transferred event). */
static int handled_before(struct gd_svc *svc, const struct gd_workorder *wo, int64_t user_id,
                          struct gd_arena *a, bool *out, struct gd_err *err)
{
    struct gd_event *evs;
    int n, ret = GD_STORE(svc->store, events_list, wo->shop_id, wo->id, a, &evs, &n, err);

    *out = false;
    for (int i = 0; !ret && !*out && i < n; i++) {
        if (evs[i].actor_id == user_id) {
            *out = true;
            break;
        }
        if (strcmp(evs[i].kind, "assigned") != 0 && strcmp(evs[i].kind, "transferred") != 0) {
            continue;
        }
        json_t *data = json_loads(evs[i].data, 0, NULL);
        const char *from = json_string_value(json_object_get(data, "from"));
        *out = from && gd_id_parse(from) == user_id;
        json_decref(data);
    }
    return ret;
}

int gd_svc__can_open(struct gd_svc *svc, const struct gd_actor *actor,
                     const struct gd_workorder *wo, struct gd_arena *a, bool *out,
                     struct gd_err *err)
{
    bool before = false;
    int ret = GD_OK;

    /* the timeline is read only when the rule needs it (an agent's not-their-own work order) */
    if (gd_perm_open(actor, wo) == GD_OPEN_IF_HANDLED_BEFORE) {
        ret = handled_before(svc, wo, actor->user_id, a, &before, err);
    }
    *out = !ret && gd_perm_can_view(actor, wo, before);
    return ret;
}

int gd_svc__load_visible(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         int64_t if_match, struct gd_arena *a, struct gd_workorder *out,
                         struct gd_err *err)
{
    bool visible;
    int ret = GD_STORE(svc->store, workorder_get, actor->shop_id, id, a, out, err);
    if (!ret) {
        ret = gd_svc__can_open(svc, actor, out, a, &visible, err);
    }
    if (ret) {
        return ret;
    }
    if (!visible) {
        /* the same answer as for an id that does not exist: it is not theirs to know of */
        return gd_err_set(err, GD_ENOTFOUND, "no work order %lld", (long long)id);
    }
    if (if_match && if_match != out->version) {
        return gd_err_set(err, GD_ESTALE,
                          "the work order was changed by someone else (now "
                          "version %lld, you had %lld); reload and try again",
                          (long long)out->version, (long long)if_match);
    }
    return GD_OK;
}

int gd_svc__counters(struct gd_svc *svc, const struct gd_workorder *before,
                     const struct gd_workorder *after, struct gd_err *err)
{
    struct gd_counter_delta d[2 * GD_COUNTER_MAX];
    int n = gd_counter_diff(before, after, d);
    for (int i = 0; i < n; i++) {
        if (gd_svc__batch_counter(svc, d[i].shop_id, d[i].key, d[i].delta)) {
            continue;
        }
        int ret = GD_STORE(svc->store, counter_add, d[i].shop_id, d[i].key, d[i].delta, err);
        if (ret) {
            return ret;
        }
    }
    /* the statistics rollups are counters too: they follow every change that moves these */
    return after ? gd_svc__stats_record(svc, before, after, err) : GD_OK;
}

int gd_svc__timer(struct gd_svc *svc, const struct gd_workorder *wo, const char *kind,
                  int64_t due_at, struct gd_err *err)
{
    struct gd_deadline d = {
        .id = gd_id_new(),
        .shop_id = wo->shop_id,
        .workorder_id = wo->id,
        .kind = kind,
        .due_at = due_at,
        .version = wo->version,
    };
    return GD_STORE(svc->store, deadline_insert, &d, err);
}

int gd_svc__text(const char *field, const char *s, bool required, size_t max, struct gd_err *err)
{
    if (!s || !*s) {
        if (required) {
            return gd_err_field(err, GD_EINVAL, field, "%s is required", field);
        }
        return GD_OK;
    }
    size_t n = strlen(s);
    if (!gd_utf8_valid(s, n)) {
        return gd_err_field(err, GD_EINVAL, field, "%s is not valid UTF-8", field);
    }
    if (gd_utf8_len(s) > max) {
        return gd_err_field(err, GD_EINVAL, field, "%s is longer than %zu characters", field, max);
    }
    if (required) {
        const char *p = s;
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            p++;
        }
        if (!*p) {
            return gd_err_field(err, GD_EINVAL, field, "%s is blank", field);
        }
    }
    return GD_OK;
}

void gd_svc__search_text(const struct gd_workorder *wo, struct gd_strbuf *sb)
{
    gd_strbuf_adds(sb, wo->title);
    gd_strbuf_addch(sb, '\n');
    gd_strbuf_adds(sb, wo->content ? wo->content : "");
    if (wo->buyer_nick) {
        gd_strbuf_addch(sb, '\n');
        gd_strbuf_adds(sb, wo->buyer_nick);
    }
    if (wo->order_no) {
        gd_strbuf_addch(sb, '\n');
        gd_strbuf_adds(sb, wo->order_no);
    }
    char num[32];
    snprintf(num, sizeof(num), "\nGD-%06lld", (long long)wo->number);
    gd_strbuf_adds(sb, num);
}

void gd_svc__kv_str(struct gd_strbuf *sb, const char *k, const char *v)
{
    gd_strbuf_addch(sb, sb->len ? ',' : '{');
    gd_strbuf_add_json_str(sb, k);
    gd_strbuf_addch(sb, ':');
    if (v) {
        gd_strbuf_add_json_str(sb, v);
    } else {
        gd_strbuf_adds(sb, "null");
    }
}

void gd_svc__kv_id(struct gd_strbuf *sb, const char *k, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    gd_svc__kv_str(sb, k, v ? buf : NULL);
}

void gd_svc__kv_time(struct gd_strbuf *sb, const char *k, int64_t ms)
{
    char buf[40];
    if (ms) {
        gd_time_format(ms, GD_TZ_DEFAULT_MIN, buf, sizeof(buf));
    }
    gd_svc__kv_str(sb, k, ms ? buf : NULL);
}

void gd_svc__kv_close(struct gd_strbuf *sb) { gd_strbuf_adds(sb, sb->len ? "}" : "{}"); }

void gd_svc__limit_refusals_metric(struct gd_strbuf *sb, const char *metric, const char *help,
                                   const char *const *names, _Atomic long *counts, int n)
{
    gd_strbuf_addf(sb, "# HELP %s %s\n# TYPE %s counter\n", metric, help, metric);
    for (int i = 0; i < n; i++) {
        gd_strbuf_addf(sb, "%s{limit=\"%s\"} %ld\n", metric, names[i], atomic_load(&counts[i]));
    }
}
