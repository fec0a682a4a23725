/* In-app notifications (docs/notifications.md): who is told of what, written in the unit of work
 * of the change that causes it, and each user's list, marks and choices. The bell rings through
 * the live stream: a notification always comes with a change of its work order, which reaches
 * every node's streams after the commit (http/stream.c re-reads the unread count). */
#include <jansson.h>
#include "base/clock.h"
#include "base/id.h"
#include "service/svc_int.h"

#define MENTIONS_MAX 20 /* users one note may notify by @name */

const char *const gd_notify_kinds[] = {
    "assigned",        "chased",        "mentioned",
    "target_due_soon", "target_missed", "collab_arrived",
    "collab_platform", "collab_judged", NULL,
};

bool gd_notify_kind_known(const char *kind)
{
    for (int i = 0; kind && gd_notify_kinds[i]; i++) {
        if (strcmp(kind, gd_notify_kinds[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Is `kind` in the comma-separated list `muted`? */
static bool listed(const char *muted, const char *kind)
{
    size_t n = strlen(kind);
    for (const char *p = muted; (p = strstr(p, kind)) != NULL; p += n) {
        if ((p == muted || p[-1] == ',') && (p[n] == ',' || p[n] == '\0')) {
            return true;
        }
    }
    return false;
}

/* The first GD_NOTIFY_TEXT_MAX characters of s (valid UTF-8), in `a`. */
static const char *excerpt(struct gd_arena *a, const char *s)
{
    size_t chars = 0, i = 0;
    if (!s) {
        return "";
    }
    while (s[i] && chars < GD_NOTIFY_TEXT_MAX) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80) {
            i++;
        }
        chars++;
    }
    return gd_arena_printf(a, "%.*s%s", (int)i, s, s[i] ? "…" : "");
}

/* One recipient: told unless it is the actor, inactive, unable to open the work order or has
 * turned the kind off. */
static int tell(struct gd_svc *svc, const struct gd_workorder *wo, const char *kind, int64_t uid,
                int64_t actor_id, const char *actor_name, const char *text, struct gd_arena *a,
                struct gd_err *err)
{
    struct gd_user u;
    const char *muted = "";
    bool may = false;
    int ret;

    if (!uid || uid == actor_id) {
        return GD_OK;
    }
    /* a batch of firings tells the same few people again and again: read each once */
    bool known = gd_svc__batch_person(svc, uid, &u, &muted);
    ret = known ? GD_OK : GD_STORE(svc->store, user_get, uid, a, &u, err);
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        return GD_OK;
    }
    if (ret || !u.active) {
        return ret;
    }
    struct gd_actor who = {.user_id = u.id,
                           .shop_id = u.shop_id,
                           .role = u.role,
                           .username = u.username,
                           .display_name = u.display_name};
    if ((ret = gd_svc__can_open(svc, &who, wo, a, &may, err)) || !may ||
        (!known && (ret = GD_STORE(svc->store, notify_prefs_get, uid, a, &muted, err)))) {
        return ret;
    }
    if (!known) {
        gd_svc__batch_person_put(svc, &u, muted);
    }
    if (listed(muted, kind)) {
        return GD_OK;
    }
    struct gd_notification n = {
        .id = gd_id_new(),
        .user_id = uid,
        .shop_id = wo->shop_id,
        .kind = kind,
        .workorder_id = wo->id,
        .wo_number = wo->number,
        .title = wo->title ? wo->title : "",
        .actor_id = actor_id,
        .actor_name = actor_name,
        .text = excerpt(a, text),
        .created_at = gd_clock_now_ms(),
    };
    if (gd_svc__batch_notification(svc, &n)) {
        return GD_OK; /* the firing engine's batch writes it with the others */
    }
    return GD_STORE(svc->store, notification_insert, &n, err);
}

static int notify_in(struct gd_svc *svc, const struct gd_workorder *wo, const char *kind,
                     const int64_t *users, int n, int64_t actor_id, const char *text,
                     struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    const char *actor_name = "";
    struct gd_user actor;
    int ret = GD_OK;

    if (!gd_notify_kind_known(kind)) {
        return gd_err_set(err, GD_EINVAL, "'%s' is not a notification kind", kind);
    }
    if (n > 0 && actor_id && GD_STORE(svc->store, user_get, actor_id, &a, &actor, NULL) == GD_OK) {
        actor_name = actor.display_name;
    }
    for (int i = 0; i < n && !ret; i++) {
        bool seen = false; /* a user named twice is told once */
        for (int j = 0; j < i && !seen; j++) {
            seen = users[j] == users[i];
        }
        if (!seen) {
            ret = tell(svc, wo, kind, users[i], actor_id, actor_name, text, &a, err);
        }
    }
    gd_arena_release(&a);
    return ret;
}

struct notify_unit {
    const struct gd_workorder *wo;
    const char *kind;
    const int64_t *users;
    int n;
    int64_t actor_id;
    const char *text;
};

static int notify_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct notify_unit *x = ctx;
    int ret = notify_in(svc, x->wo, x->kind, x->users, x->n, x->actor_id, x->text, err);
    /* the bells ring with the work order's change, here and on the other nodes */
    if (!ret) {
        ret = GD_STORE(svc->store, change_notify, x->wo->shop_id, x->wo->id,
                       svc->shared ? svc->shared->node_slot : -1, err);
    }
    if (!ret) {
        gd_svc__changed(svc, x->wo);
    }
    return ret;
}

int gd_svc_notify(struct gd_svc *svc, const struct gd_workorder *wo, const char *kind,
                  const int64_t *users, int n, int64_t actor_id, const char *text,
                  struct gd_err *err)
{
    struct notify_unit x = {wo, kind, users, n, actor_id, text};
    return gd_svc__uow_run(svc, wo->shop_id, notify_unit, &x, err);
}

/* The shop's active owners and leads (a collaborative case arriving without a handler, a
 * judgement on the shop's case). */
static int shop_leads(struct gd_svc *svc, int64_t shop_id, struct gd_arena *a, int64_t **out,
                      int *n, struct gd_err *err)
{
    struct gd_user *us;
    int count, ret = GD_STORE(svc->store, users_list, shop_id, a, &us, &count, err);

    *n = 0;
    *out = gd_arena_alloc(a, sizeof(**out) * (size_t)(count ? count : 1));
    for (int i = 0; !ret && i < count; i++) {
        if (us[i].active && gd_role_is_shop_lead(us[i].role)) {
            (*out)[(*n)++] = us[i].id;
        }
    }
    return ret;
}

/* Does `text` name `name` as "@name", not followed by more of a Latin name? */
static bool mentions(const char *text, const char *name)
{
    size_t n = strlen(name);
    if (!n) {
        return false;
    }
    for (const char *p = text; (p = strchr(p, '@')) != NULL; p++) {
        if (strncmp(p + 1, name, n) == 0) {
            unsigned char c = (unsigned char)p[1 + n];
            if (!(c == '_' || c == '.' || c == '-' || (c >= '0' && c <= '9') ||
                  (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                return true;
            }
        }
    }
    return false;
}

/* The users a note names with @username or @display name: the work order's shop's users (and
 * platform staff on a collaborative case); a name of another shop stays plain text. */
static int mentioned(struct gd_svc *svc, const struct gd_workorder *wo, const char *text,
                     bool internal, struct gd_arena *a, int64_t **out, int *n, struct gd_err *err)
{
    int64_t shops[2] = {wo->shop_id, 0};
    int nshops = 0, ret = GD_OK;

    *n = 0;
    *out = gd_arena_alloc(a, sizeof(**out) * MENTIONS_MAX);
    if (!strchr(text, '@')) {
        return GD_OK;
    }
    if (!internal) { /* an internal note is the platform's own: the shop is never told of it */
        shops[nshops++] = wo->shop_id;
    }
    if (wo->type == GD_TYPE_COLLAB) {
        shops[nshops++] = 0;
    }
    for (int s = 0; s < nshops && !ret; s++) {
        struct gd_user *us;
        int count;
        ret = GD_STORE(svc->store, users_list, shops[s], a, &us, &count, err);
        for (int i = 0; !ret && i < count && *n < MENTIONS_MAX; i++) {
            if (mentions(text, us[i].username) || mentions(text, us[i].display_name)) {
                (*out)[(*n)++] = us[i].id;
            }
        }
    }
    return ret;
}

/* Is the work order's handler platform staff (a collaborative case at the platform's step)? */
static int handler_is_platform(struct gd_svc *svc, const struct gd_workorder *wo,
                               struct gd_arena *a, bool *out, struct gd_err *err)
{
    struct gd_user u;
    int ret =
        wo->handler_id ? GD_STORE(svc->store, user_get, wo->handler_id, a, &u, err) : GD_ENOTFOUND;
    *out = ret == GD_OK && gd_role_is_platform(u.role);
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        ret = GD_OK;
    }
    return ret;
}

int gd_svc__notify_event(struct gd_svc *svc, const struct gd_workorder *wo, int64_t actor_id,
                         const char *kind, const char *data, int64_t at, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    json_t *d = NULL;
    const char *tell = NULL, *text = NULL;
    int64_t one = 0, *users = &one;
    int n = 0, ret = GD_OK;
    bool collab = wo->type == GD_TYPE_COLLAB, internal = gd_event_is_internal(data), plat;

    (void)at;
    if (!strcmp(kind, "assigned") || !strcmp(kind, "transferred") || !strcmp(kind, "chased") ||
        !strcmp(kind, "noted")) {
        d = json_loads(data ? data : "{}", 0, NULL);
        text = json_string_value(json_object_get(
            d, !strcmp(kind, "noted") || !strcmp(kind, "chased") ? "text" : "reason"));
    }
    if (!strcmp(kind, "assigned") || !strcmp(kind, "transferred")) {
        tell = "assigned";
        one = gd_id_parse(json_string_value(json_object_get(d, "to")));
        n = 1;
    } else if (!strcmp(kind, "chased")) {
        tell = "chased";
        one = wo->handler_id;
        n = 1;
    } else if (!strcmp(kind, "noted") && text) {
        tell = "mentioned";
        ret = mentioned(svc, wo, text, internal, &a, &users, &n, err);
    } else if (!strcmp(kind, "target_reminded") || !strcmp(kind, "target_missed")) {
        /* a time target (service/targets.c): its handler, and the leads when it was escalated
         * to their queue or nobody handles it */
        d = json_loads(data ? data : "{}", 0, NULL);
        tell = !strcmp(kind, "target_reminded") ? "target_due_soon" : "target_missed";
        one = gd_id_parse(json_string_value(json_object_get(d, "handler")));
        n = one ? 1 : 0;
        if (!strcmp(kind, "target_missed") && (!one || json_object_get(d, "moved_to"))) {
            int64_t *leads;
            int nleads;
            if (!(ret = shop_leads(svc, wo->shop_id, &a, &leads, &nleads, err))) {
                users = gd_arena_alloc(&a, sizeof(*users) * (size_t)(nleads + 1));
                users[0] = one;
                memcpy(users + 1, leads, sizeof(*users) * (size_t)nleads);
                n = nleads + 1;
            }
        }
    } else if (!strcmp(kind, "reminded") || (!strcmp(kind, "overdue") && !internal)) {
        tell = !strcmp(kind, "reminded") ? "target_due_soon" : "target_missed";
        one = wo->handler_id;
        n = 1;
    } else if (!collab && !strcmp(kind, "created")) {
        tell = "assigned"; /* made for someone else: handed to them */
        one = wo->handler_id;
        n = 1;
    } else if (collab && !strcmp(kind, "created")) {
        tell = "collab_arrived";
        if (wo->handler_id) {
            one = wo->handler_id;
            n = 1;
        } else {
            ret = shop_leads(svc, wo->shop_id, &a, &users, &n, err);
        }
    } else if (collab && (!strcmp(kind, "replied") || !strcmp(kind, "seller_timeout") ||
                          !strcmp(kind, "verified") || !strcmp(kind, "appealed"))) {
        /* the case moved to the platform's step when its handler is now platform staff */
        if (!(ret = handler_is_platform(svc, wo, &a, &plat, err)) && plat) {
            tell = "collab_platform";
            one = wo->handler_id;
            n = 1;
        }
    } else if (collab && (!strcmp(kind, "judged") || !strcmp(kind, "appeal_decided"))) {
        tell = "collab_judged";
        ret = shop_leads(svc, wo->shop_id, &a, &users, &n, err);
    }
    if (!ret && tell && n) {
        ret = notify_in(svc, wo, tell, users, n, actor_id, text, err);
    }
    json_decref(d);
    gd_arena_release(&a);
    return ret;
}

int gd_svc_notifications_unread(struct gd_svc *svc, const struct gd_actor *actor, int64_t *out,
                                struct gd_err *err)
{
    return GD_STORE(svc->store, notifications_unread, actor->user_id, out, err);
}

int gd_svc_notifications_list(struct gd_svc *svc, const struct gd_actor *actor, int64_t before,
                              int limit, bool unread_only, struct gd_arena *a,
                              struct gd_notification **out, int *count, int64_t *unread,
                              struct gd_err *err)
{
    if (limit < 1 || limit > GD_NOTIFY_PAGE_MAX) {
        return gd_err_field(err, GD_EINVAL, "limit", "limit must be 1 to %d", GD_NOTIFY_PAGE_MAX);
    }
    int ret = GD_STORE(svc->store, notifications_list, actor->user_id, before, limit, unread_only,
                       a, out, count, err);
    return ret ? ret : gd_svc_notifications_unread(svc, actor, unread, err);
}

struct read_unit {
    const struct gd_actor *actor;
    const int64_t *ids;
    int n;
    int64_t at;
};

static int read_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct read_unit *x = ctx;
    int changed, ret = GD_OK;

    if (!x->n) {
        return GD_STORE(svc->store, notifications_mark_read, x->actor->user_id, 0, x->at, &changed,
                        err);
    }
    for (int i = 0; i < x->n && !ret; i++) {
        ret = GD_STORE(svc->store, notifications_mark_read, x->actor->user_id, x->ids[i], x->at,
                       &changed, err);
    }
    return ret;
}

int gd_svc_notifications_read(struct gd_svc *svc, const struct gd_actor *actor, const int64_t *ids,
                              int n, int64_t *unread, struct gd_err *err)
{
    if (n > GD_NOTIFY_READ_MAX) {
        return gd_err_field(err, GD_EINVAL, "ids", "ids must be an array of at most %d ids",
                            GD_NOTIFY_READ_MAX);
    }
    struct read_unit x = {actor, ids, n, gd_clock_now_ms()};
    int ret = gd_svc__uow_run(svc, actor->shop_id, read_unit, &x, err);
    return ret ? ret : gd_svc_notifications_unread(svc, actor, unread, err);
}

int gd_svc_notify_prefs_get(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                            const char **muted, struct gd_err *err)
{
    return GD_STORE(svc->store, notify_prefs_get, actor->user_id, a, muted, err);
}

struct prefs_unit {
    int64_t user_id;
    const char *muted;
};

static int prefs_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct prefs_unit *x = ctx;
    return GD_STORE(svc->store, notify_prefs_set, x->user_id, x->muted, gd_clock_now_ms(), err);
}

int gd_svc_notify_prefs_set(struct gd_svc *svc, const struct gd_actor *actor,
                            const char *const *muted, int n, struct gd_arena *a, const char **out,
                            struct gd_err *err)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;

    for (int i = 0; i < n; i++) {
        if (!gd_notify_kind_known(muted[i])) {
            return gd_err_field(err, GD_EINVAL, "muted",
                                "muted[%d] is not a notification "
                                "kind; the kinds are those of docs/notifications.md",
                                i);
        }
    }
    for (int k = 0; gd_notify_kinds[k]; k++) { /* canonical order, each once */
        for (int i = 0; i < n; i++) {
            if (!strcmp(muted[i], gd_notify_kinds[k])) {
                gd_strbuf_addf(&sb, "%s%s", sb.len ? "," : "", gd_notify_kinds[k]);
                break;
            }
        }
    }
    *out = gd_arena_strdup(a, sb.len ? sb.buf : "");
    gd_strbuf_release(&sb);
    struct prefs_unit x = {actor->user_id, *out};
    return gd_svc__uow_run(svc, actor->shop_id, prefs_unit, &x, err);
}
