/* Assignment rules and agent availability (docs/assignment.md): a shop's rule per work order
 * type places a new work order without a handler, and (where the rule opts in) the open work of
 * a handler who is deactivated or goes offline, among the rule's members who are available. The
 * pick is core/assign.c's; this file reads what it needs inside the caller's unit of work, so
 * round robin's cursor and the open-work counts are those of the shop's serialised writes, on
 * one node or several. */
#include <jansson.h>
#include "base/clock.h"
#include "core/assign.h"
#include "core/counters.h"
#include "service/svc_int.h"

/* A workbench counts as open while a node renewed its presence this recently (the streams'
 * heartbeat is 20 s). */
#define PRESENCE_FRESH_MS 60000
#define REASSIGN_PAGE 200

static int need_manager(const struct gd_actor *actor, struct gd_err *err)
{
    if (gd_role_is_platform(actor->role) || !gd_role_is_shop_lead(actor->role)) {
        return gd_err_set(err, GD_EPERM, "assignment rules are kept by the shop's owner and leads");
    }
    return GD_OK;
}

static int need_shop_user(const struct gd_actor *actor, struct gd_err *err)
{
    if (gd_role_is_platform(actor->role) || !actor->shop_id) {
        return gd_err_set(err, GD_EPERM, "availability is for a shop's people");
    }
    return GD_OK;
}

/* The key a work order's rule is stored under: its type's name (a shop type's key once those
 * exist, docs/assignment.md). */
static const char *type_key_of(const struct gd_workorder *wo) { return gd_type_name(wo->type); }

/* May `key` have a rule? A type a shop's people create: a built-in one (not the platform's
 * collaborative one) or one of the shop's own (docs/types.md), read in the rule's transaction. */
static int type_key_check(struct gd_svc *svc, int64_t shop_id, const char *key, struct gd_arena *a,
                          struct gd_err *err)
{
    int t = gd_type_parse(key), ret = GD_OK;
    struct gd_shop_type own;

    if (t >= 0 && gd_type_is_shop(t)) {
        ret = GD_STORE(svc->store, wo_type_get, shop_id, t, a, &own, err);
    }
    if (t < 0 || t == GD_TYPE_COLLAB || ret == GD_ENOTFOUND) {
        return gd_err_field(err, GD_EINVAL, "type", "no work order type '%s' in this shop", key);
    }
    return ret;
}

/* The member ids of a stored rule (a JSON array of numbers), into `ids` (at most max). */
static int members_parse(const char *text, int64_t *ids, int max)
{
    json_t *arr = json_loads(text ? text : "[]", 0, NULL), *x;
    size_t i;
    int n = 0;

    json_array_foreach (arr, i, x) {
        if (json_is_integer(x) && n < max) {
            ids[n++] = (int64_t)json_integer_value(x);
        }
    }
    json_decref(arr);
    return n;
}

/* ---- who is available ---- */

struct people {
    struct gd_user *users;
    int nusers;
    struct gd_agent_status *st;
    int nst;
};

static int people_read(struct gd_svc *svc, int64_t shop_id, int64_t now, struct gd_arena *a,
                       struct people *p, struct gd_err *err)
{
    int ret = GD_STORE(svc->store, users_list, shop_id, a, &p->users, &p->nusers, err);
    return ret ? ret
               : GD_STORE(svc->store, agent_statuses_list, shop_id, now - PRESENCE_FRESH_MS, a,
                          &p->st, &p->nst, err);
}

static const struct gd_user *people_user(const struct people *p, int64_t id)
{
    for (int i = 0; i < p->nusers; i++) {
        if (p->users[i].id == id) {
            return &p->users[i];
        }
    }
    return NULL;
}

/* A person's status as they set it; someone who never set one is online (docs/assignment.md). */
static struct gd_agent_status people_status(const struct people *p, int64_t user_id,
                                            int64_t shop_id)
{
    for (int i = 0; i < p->nst; i++) {
        if (p->st[i].user_id == user_id) {
            return p->st[i];
        }
    }
    return (struct gd_agent_status){.user_id = user_id, .shop_id = shop_id, .status = "online"};
}

static bool status_available(const struct gd_agent_status *s)
{
    return gd_agent_available(gd_agent_state_parse(s->status), s->workbench_only, s->present);
}

/* ---- placing a work order by its type's rule ---- */

static int open_work(struct gd_svc *svc, int64_t shop_id, int64_t user_id, int64_t *out,
                     struct gd_err *err)
{
    char key[GD_COUNTER_KEY];
    snprintf(key, sizeof(key), "todo:%lld", (long long)user_id);
    int ret = GD_STORE(svc->store, counter_get, shop_id, key, out, err);
    *out += gd_svc__batch_pending(svc, shop_id, key);
    return ret;
}

/* Applies `rule` to a work order of shop `shop_id` (never to `exclude`): fills p. */
static int place(struct gd_svc *svc, const struct gd_assign_rule *rule, int64_t exclude,
                 const struct people *people, struct gd_arena *a, struct gd_svc__placement *p,
                 struct gd_err *err)
{
    int64_t ids[GD_ASSIGN_MEMBERS_MAX];
    struct gd_assign_member m[GD_ASSIGN_MEMBERS_MAX];
    int kind = gd_assign_kind_parse(rule->kind), n, pick, ret;

    n = members_parse(rule->members, ids, GD_ASSIGN_MEMBERS_MAX);
    for (int i = 0; i < n; i++) {
        const struct gd_user *u = people_user(people, ids[i]);
        struct gd_agent_status s = people_status(people, ids[i], rule->shop_id);
        m[i] = (struct gd_assign_member){ids[i], u && u->active, status_available(&s), 0};
        if (kind == GD_ASSIGN_LEAST_OPEN && m[i].active && m[i].available &&
            (ret = open_work(svc, rule->shop_id, ids[i], &m[i].open, err))) {
            return ret;
        }
    }
    pick = gd_assign_pick(kind, m, n, rule->cursor_user_id, exclude, &p->miss);
    p->ruled = true;
    p->rule = rule->type_key;
    p->kind = rule->kind;
    if (pick < 0) {
        return GD_OK;
    }
    p->user_id = ids[pick];
    p->name = gd_arena_strdup(a, people_user(people, ids[pick])->display_name);
    /* the round goes on from here for every node: the cursor moves in this transaction */
    return kind == GD_ASSIGN_ROUND_ROBIN ? GD_STORE(svc->store, assign_rule_cursor, rule->shop_id,
                                                    rule->type_key, p->user_id, err)
                                         : GD_OK;
}

int gd_svc__assign_place(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                         struct gd_svc__placement *p, struct gd_err *err)
{
    struct gd_assign_rule rule;
    struct people people = {0};
    int ret;

    memset(p, 0, sizeof(*p));
    ret = GD_STORE(svc->store, assign_rule_get, wo->shop_id, type_key_of(wo), a, &rule, NULL);
    if (ret == GD_ENOTFOUND) {
        return GD_OK; /* the type has no rule: the work order waits for someone to assign it */
    }
    if (ret) {
        return gd_err_set(err, ret, "cannot read the assignment rule of %s", type_key_of(wo));
    }
    return (ret = people_read(svc, wo->shop_id, wo->created_at, a, &people, err))
               ? ret
               : place(svc, &rule, 0, &people, a, p, err);
}

int gd_svc__placement_event(struct gd_svc *svc, const struct gd_workorder *wo, int64_t actor_id,
                            const struct gd_workorder *before, const struct gd_svc__placement *p,
                            int64_t now, struct gd_err *err)
{
    struct gd_strbuf data = GD_STRBUF_INIT;
    int ret;

    if (p->user_id) {
        gd_svc__kv_id(&data, "from", before ? before->handler_id : 0);
        gd_svc__kv_str(&data, "from_name", before ? before->handler_name : NULL);
        gd_svc__kv_id(&data, "to", p->user_id);
        gd_svc__kv_str(&data, "to_name", p->name);
    } else {
        gd_svc__kv_str(&data, "reason", gd_assign_miss_name(p->miss));
    }
    gd_svc__kv_str(&data, "rule", p->rule);
    gd_svc__kv_str(&data, "rule_kind", p->kind);
    gd_svc__kv_close(&data);
    ret = gd_svc__event(svc, wo, actor_id, p->user_id ? "assigned" : "assignment_failed", data.buf,
                        now, err);
    gd_strbuf_release(&data);
    return ret;
}

/* ---- moving a handler's open work by the rules that opt in ---- */

/* One work order of the handler: placed by its rule (when it has one that reassigns), told on
 * its timeline either way. */
static int reassign_one(struct gd_svc *svc, struct gd_workorder *wo, int64_t actor_id,
                        const struct gd_assign_rule *rules, int nrules, const struct people *people,
                        struct gd_arena *a, int64_t now, struct gd_err *err)
{
    const struct gd_assign_rule *rule = NULL;
    struct gd_svc__placement p = {0};
    struct gd_workorder before = *wo;
    int ret;

    for (int i = 0; i < nrules; i++) {
        if (rules[i].reassign && strcmp(rules[i].type_key, type_key_of(wo)) == 0) {
            rule = &rules[i];
        }
    }
    if (!rule) {
        return GD_OK; /* no rule moves it: a deactivated handler's work waits in 待重新分配 */
    }
    if ((ret = place(svc, rule, wo->handler_id, people, a, &p, err))) {
        return ret;
    }
    if (!p.user_id) {
        return gd_svc__placement_event(svc, wo, actor_id, &before, &p, now, err);
    }
    wo->handler_id = p.user_id;
    wo->handler_name = p.name;
    wo->transfers++;
    wo->version = before.version + 1;
    wo->updated_at = now;
    if ((ret = GD_STORE(svc->store, workorder_update, wo, before.version, err)) ||
        (ret = gd_svc__placement_event(svc, wo, actor_id, &before, &p, now, err)) ||
        (ret = gd_svc__counters(svc, &before, wo, err))) {
        return ret;
    }
    gd_svc__changed(svc, wo);
    return GD_OK;
}

int gd_svc__reassign_open_work(struct gd_svc *svc, int64_t shop_id, int64_t handler_id,
                               int64_t actor_id, struct gd_arena *a, struct gd_err *err)
{
    struct gd_assign_rule *rules;
    struct people people = {0};
    struct gd_workorder *wos;
    int nrules, n, ret;
    int64_t now = gd_clock_now_ms();
    struct gd_wo_filter f = {.view = GD_VIEW_TODO,
                             .user_id = handler_id,
                             .type = -1,
                             .state = -1,
                             .sort = GD_SORT_CREATED,
                             .limit = REASSIGN_PAGE};

    if ((ret = GD_STORE(svc->store, assign_rules_list, shop_id, a, &rules, &nrules, err))) {
        return ret;
    }
    bool any = false;
    for (int i = 0; i < nrules; i++) {
        any |= rules[i].reassign;
    }
    if (!any || (ret = people_read(svc, shop_id, now, a, &people, err))) {
        return ret;
    }
    /* a page at a time, on after the last one read: the moved ones leave the handler's view */
    do {
        if ((ret = GD_STORE(svc->store, workorders_list, shop_id, &f, a, &wos, &n, err))) {
            return ret;
        }
        for (int i = 0; i < n; i++) {
            if ((ret = reassign_one(svc, &wos[i], actor_id, rules, nrules, &people, a, now, err))) {
                return ret;
            }
        }
        if (n) {
            f.has_cursor = true;
            f.cursor_key = wos[n - 1].created_at;
            f.cursor_id = wos[n - 1].id;
        }
    } while (n == REASSIGN_PAGE);
    return GD_OK;
}

/* ---- the rules ---- */

int gd_svc_assign_rules_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                             struct gd_assign_rule **out, int *count, struct gd_err *err)
{
    int ret = need_manager(actor, err);
    return ret ? ret : GD_STORE(svc->store, assign_rules_list, actor->shop_id, a, out, count, err);
}

struct put_ctx {
    const struct gd_actor *actor;
    const struct gd_assign_rule_input *in;
    struct gd_arena *a;
    struct gd_assign_rule *out;
};

static int put_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct put_ctx *x = ctx;
    const struct gd_assign_rule_input *in = x->in;
    struct gd_user *users;
    struct gd_strbuf members = GD_STRBUF_INIT;
    int nusers, ret;

    /* the type and the members (active people of this shop), read in the rule's transaction */
    if ((ret = type_key_check(svc, x->actor->shop_id, in->type_key, x->a, err)) ||
        (ret = GD_STORE(svc->store, users_list, x->actor->shop_id, x->a, &users, &nusers, err))) {
        return ret;
    }
    gd_strbuf_addch(&members, '[');
    for (int i = 0; i < in->nmembers; i++) {
        bool found = false;
        for (int k = 0; k < nusers && !found; k++) {
            found = users[k].id == in->members[i] && users[k].active;
        }
        if (!found) {
            gd_strbuf_release(&members);
            return gd_err_field(err, GD_EINVAL, "members",
                                "member %lld is not an active user "
                                "of this shop",
                                (long long)in->members[i]);
        }
        gd_strbuf_addf(&members, "%s%lld", i ? "," : "", (long long)in->members[i]);
    }
    gd_strbuf_addch(&members, ']');
    *x->out = (struct gd_assign_rule){
        .shop_id = x->actor->shop_id,
        .type_key = gd_arena_strdup(x->a, in->type_key),
        .kind = gd_assign_kind_name(in->kind),
        .members = gd_arena_strdup(x->a, members.buf),
        .reassign = in->reassign,
        .updated_at = gd_clock_now_ms(),
    };
    gd_strbuf_release(&members);
    if ((ret = GD_STORE(svc->store, assign_rule_put, x->out, err))) {
        return ret;
    }
    return GD_STORE(svc->store, assign_rule_get, x->out->shop_id, x->out->type_key, x->a, x->out,
                    err);
}

int gd_svc_assign_rule_put(struct gd_svc *svc, const struct gd_actor *actor,
                           const struct gd_assign_rule_input *in, struct gd_arena *a,
                           struct gd_assign_rule *out, struct gd_err *err)
{
    int ret = need_manager(actor, err);
    if (ret) {
        return ret;
    }
    if (in->kind < 0 || in->kind >= GD_ASSIGN_KIND_COUNT) {
        return gd_err_field(err, GD_EINVAL, "kind",
                            "kind must be one of: fixed, round_robin, "
                            "least_open");
    }
    if (in->nmembers < 1 || in->nmembers > GD_ASSIGN_MEMBERS_MAX) {
        return gd_err_field(err, GD_EINVAL, "members", "members must hold 1 to %d people",
                            GD_ASSIGN_MEMBERS_MAX);
    }
    if (in->kind == GD_ASSIGN_FIXED && in->nmembers != 1) {
        return gd_err_field(err, GD_EINVAL, "members", "a fixed rule has exactly one handler");
    }
    struct put_ctx x = {actor, in, a, out};
    return gd_svc__uow_run(svc, actor->shop_id, put_unit, &x, err);
}

struct delete_ctx {
    int64_t shop_id;
    const char *type_key;
};

static int delete_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct delete_ctx *x = ctx;
    return GD_STORE(svc->store, assign_rule_delete, x->shop_id, x->type_key, err);
}

int gd_svc_assign_rule_delete(struct gd_svc *svc, const struct gd_actor *actor,
                              const char *type_key, struct gd_err *err)
{
    int ret = need_manager(actor, err);
    struct delete_ctx x = {actor->shop_id, type_key};
    return ret ? ret : gd_svc__uow_run(svc, actor->shop_id, delete_unit, &x, err);
}

/* ---- availability ---- */

static void availability_of(const struct people *p, const struct gd_user *u,
                            struct gd_agent_availability *out)
{
    struct gd_agent_status s = people_status(p, u->id, u->shop_id);
    *out = (struct gd_agent_availability){
        .user_id = u->id,
        .display_name = u->display_name,
        .status = s.status,
        .workbench_only = s.workbench_only,
        .present = s.present,
        .available = u->active && status_available(&s),
        .updated_at = s.updated_at,
    };
}

static int my_availability(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                           struct gd_agent_availability *out, struct gd_err *err)
{
    struct people p = {0};
    int ret = people_read(svc, actor->shop_id, gd_clock_now_ms(), a, &p, err);
    const struct gd_user *me = ret ? NULL : people_user(&p, actor->user_id);
    if (!ret && !me) {
        return gd_err_set(err, GD_ENOTFOUND, "no such user");
    }
    if (!ret) {
        availability_of(&p, me, out);
    }
    return ret;
}

int gd_svc_my_status(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                     struct gd_agent_availability *out, struct gd_err *err)
{
    int ret = need_shop_user(actor, err);
    return ret ? ret : my_availability(svc, actor, a, out, err);
}

struct status_ctx {
    const struct gd_actor *actor;
    int state;
    int workbench_only; /* -1: keep */
    struct gd_arena *a;
};

static int status_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct status_ctx *x = ctx;
    struct gd_agent_availability before;
    int ret = my_availability(svc, x->actor, x->a, &before, err);
    if (ret) {
        return ret;
    }
    struct gd_agent_status s = {
        .user_id = x->actor->user_id,
        .shop_id = x->actor->shop_id,
        .status = gd_agent_state_name(x->state),
        .workbench_only = x->workbench_only >= 0 ? x->workbench_only != 0 : before.workbench_only,
        .updated_at = gd_clock_now_ms(),
    };
    if ((ret = GD_STORE(svc->store, agent_status_put, &s, err))) {
        return ret;
    }
    /* going offline with open work: the rules that opt in hand it on now */
    bool went_offline = x->state == GD_AGENT_OFFLINE && strcmp(before.status, "offline") != 0;
    return went_offline ? gd_svc__reassign_open_work(svc, x->actor->shop_id, x->actor->user_id,
                                                     x->actor->user_id, x->a, err)
                        : GD_OK;
}

int gd_svc_my_status_set(struct gd_svc *svc, const struct gd_actor *actor, int state,
                         int workbench_only, struct gd_arena *a, struct gd_agent_availability *out,
                         struct gd_err *err)
{
    int ret = need_shop_user(actor, err);
    if (ret) {
        return ret;
    }
    if (state < 0 || state >= GD_AGENT_STATE_COUNT) {
        return gd_err_field(err, GD_EINVAL, "status",
                            "status must be one of: online, busy, "
                            "offline");
    }
    struct status_ctx x = {actor, state, workbench_only, a};
    if ((ret = gd_svc__uow_run(svc, actor->shop_id, status_unit, &x, err))) {
        return ret;
    }
    return my_availability(svc, actor, a, out, err);
}

int gd_svc_agents_status(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                         struct gd_agent_availability **out, int *count, struct gd_err *err)
{
    struct people p = {0};
    int ret = need_manager(actor, err);

    if (ret || (ret = people_read(svc, actor->shop_id, gd_clock_now_ms(), a, &p, err))) {
        return ret;
    }
    *out = gd_arena_zalloc(a, sizeof(**out) * (size_t)(p.nusers ? p.nusers : 1));
    *count = 0;
    for (int i = 0; i < p.nusers; i++) {
        if (p.users[i].active) {
            availability_of(&p, &p.users[i], &(*out)[(*count)++]);
        }
    }
    return GD_OK;
}

void gd_svc_presence(struct gd_svc *svc, int64_t user_id, bool open)
{
    int node = svc->shared && svc->shared->node_slot >= 0 ? svc->shared->node_slot : 0;
    struct gd_err err = {0};
    if (open) {
        GD_STORE(svc->store, agent_presence_touch, user_id, node, gd_clock_now_ms(), &err);
    } else {
        GD_STORE(svc->store, agent_presence_drop, user_id, node, &err);
    }
}
