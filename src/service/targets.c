/* Time targets (docs/targets.md): a shop's policies per work order type; each work order's
 * first-response and resolution targets, set when it is made, paused while it waits for the
 * buyer, met by a response or by completion; and their timers (a reminder to the handler
 * before each target, an escalation to the lead when one is missed), fired exactly once by the
 * deadline engine like every other timer. */
#include "base/clock.h"
#include "core/worktime.h"
#include "service/svc_int.h"

#define MIN_MS 60000LL
#define K_FR_REMIND "fr_remind"
#define K_FR_MISSED "fr_missed"
#define K_RES_REMIND "res_remind"
#define K_RES_MISSED "res_missed"

bool gd_svc__is_target_timer(const char *kind)
{
    return strncmp(kind, "fr_", 3) == 0 || strncmp(kind, "res_", 4) == 0;
}

static int shop_staff(const struct gd_actor *actor, bool manage, struct gd_err *err)
{
    if (gd_role_is_platform(actor->role) || !actor->shop_id) {
        return gd_err_set(err, GD_EPERM, "time targets are a shop's, for its users");
    }
    if (manage && !gd_role_is_shop_lead(actor->role)) {
        return gd_err_set(err, GD_EPERM, "time targets are set by the shop owner and leads");
    }
    return GD_OK;
}

int gd_svc_targets_get(struct gd_svc *svc, const struct gd_actor *actor,
                       struct gd_target_settings *out, struct gd_err *err)
{
    int ret = shop_staff(actor, false, err);
    return ret ? ret : GD_STORE(svc->store, targets_get, actor->shop_id, out, err);
}

/* policies[i] of `in`, on its own and against the ones before it; a shop type's existence is
 * checked later, in the unit of work (shop_types_check). */
static int check_policy(const struct gd_target_settings *in, int i, struct gd_err *err)
{
    const struct gd_target_policy *p = &in->policies[i];
    char field[64];
    int smallest = p->first_response_min;

    if (p->type < 0 || (p->type >= GD_TYPE_COLLAB && !gd_type_is_shop(p->type))) {
        snprintf(field, sizeof(field), "types[%d].type", i);
        return gd_err_field(err, GD_EINVAL, field,
                            "%s: a type of the shop's work orders (the collaborative flow keeps "
                            "the platform's deadlines)",
                            field);
    }
    for (int j = 0; j < i; j++) {
        if (in->policies[j].type == p->type) {
            snprintf(field, sizeof(field), "types[%d].type", i);
            return gd_err_field(err, GD_EINVAL, field, "%s: %s is listed twice", field,
                                gd_type_name(p->type));
        }
    }
    const struct {
        const char *name;
        int v;
    } mins[] = {{"first_response_minutes", p->first_response_min},
                {"resolution_minutes", p->resolution_min},
                {"remind_before_minutes", p->remind_before_min}};
    for (int k = 0; k < 3; k++) {
        if (mins[k].v < 0 || mins[k].v > GD_TARGET_MAX_MIN) {
            snprintf(field, sizeof(field), "types[%d].%s", i, mins[k].name);
            return gd_err_field(err, GD_EINVAL, field, "%s: from 0 to %d working minutes", field,
                                GD_TARGET_MAX_MIN);
        }
    }
    if (!p->first_response_min && !p->resolution_min) {
        snprintf(field, sizeof(field), "types[%d]", i);
        return gd_err_field(err, GD_EINVAL, field,
                            "%s: set a first-response or a resolution target (or leave the "
                            "type out)",
                            field);
    }
    if (!smallest || (p->resolution_min && p->resolution_min < smallest)) {
        smallest = p->resolution_min;
    }
    if (p->remind_before_min && p->remind_before_min >= smallest) {
        snprintf(field, sizeof(field), "types[%d].remind_before_minutes", i);
        return gd_err_field(err, GD_EINVAL, field,
                            "%s: a reminder comes before the target, so it is less than %d "
                            "minutes",
                            field, smallest);
    }
    return GD_OK;
}

struct targets_put {
    int64_t shop_id;
    const struct gd_target_settings *in;
    struct gd_target_settings *out;
};

/* Has `set` a policy for `type`? */
static bool has_policy(const struct gd_target_settings *set, int type)
{
    for (int i = 0; i < set->n; i++) {
        if (set->policies[i].type == type) {
            return true;
        }
    }
    return false;
}

/* Each shop type of a policy is one of this shop's types (docs/types.md), read in the unit of
 * work: an active one, or a retired one that keeps the policy it had (so the page can save the
 * others without first removing it). */
static int shop_types_check(struct gd_svc *svc, const struct targets_put *x, struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_shop_type own;
    char field[64];
    int ret = GD_STORE(svc->store, targets_get, x->shop_id, x->out, err);

    for (int i = 0; i < x->in->n && !ret; i++) {
        int type = x->in->policies[i].type;
        if (!gd_type_is_shop(type)) {
            continue;
        }
        ret = GD_STORE(svc->store, wo_type_get, x->shop_id, type, &a, &own, err);
        if (ret == GD_ENOTFOUND || (!ret && own.retired && !has_policy(x->out, type))) {
            gd_err_clear(err);
            snprintf(field, sizeof(field), "types[%d].type", i);
            ret = gd_err_field(err, GD_EINVAL, field,
                               "%s: no active work order type '%s' in this shop", field,
                               gd_type_name(type));
        }
    }
    gd_arena_release(&a);
    return ret;
}

/* The hours and every policy replaced together, and read back as stored. */
static int targets_put_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct targets_put *x = ctx;
    int ret = shop_types_check(svc, x, err);
    ret = ret ? ret : GD_STORE(svc->store, targets_put, x->shop_id, x->in, gd_clock_now_ms(), err);
    return ret ? ret : GD_STORE(svc->store, targets_get, x->shop_id, x->out, err);
}

int gd_svc_targets_put(struct gd_svc *svc, const struct gd_actor *actor,
                       const struct gd_target_settings *in, struct gd_target_settings *out,
                       struct gd_err *err)
{
    struct gd_work_hours h = {in->start_min, in->end_min};
    int ret;

    if ((ret = shop_staff(actor, true, err))) {
        return ret;
    }
    if (!gd_worktime_hours_valid(&h)) {
        return gd_err_field(err, GD_EINVAL, "hours",
                            "hours: the day starts before it ends, within 00:00-24:00");
    }
    for (int i = 0; i < in->n; i++) {
        if ((ret = check_policy(in, i, err))) {
            return ret;
        }
    }
    struct targets_put x = {actor->shop_id, in, out};
    return gd_svc__uow_run(svc, actor->shop_id, targets_put_unit, &x, err);
}

/* The calendar of the platform rules in force, in the zone the work order's targets keep. */
static int calendar_of(struct gd_svc *svc, const struct gd_wo_target *t, struct gd_calendar *cal,
                       struct gd_work_hours *h, struct gd_err *err)
{
    const struct gd_collab_rules *rules;
    int ret = gd_svc_rules_load(svc, 0, &rules, err);
    if (ret) {
        return ret;
    }
    *cal = rules->calendar;
    cal->tz_offset_min = t->tz_offset_min;
    *h = (struct gd_work_hours){t->start_min, t->end_min};
    return GD_OK;
}

/* Sets a target's reminder and its escalation: `work_ms` of working time from `from` leads to
 * `due`; the reminder comes when remind_before of it is left (none when that is not ahead). */
static int arm(struct gd_svc *svc, const struct gd_workorder *wo, const struct gd_wo_target *t,
               const struct gd_calendar *cal, const struct gd_work_hours *h, bool fr, int64_t from,
               int64_t work_ms, int64_t due, struct gd_err *err)
{
    int64_t before = (int64_t)t->policy.remind_before_min * MIN_MS;
    int ret;

    if (due == INT64_MAX) {
        return GD_OK; /* a calendar without working days: never due */
    }
    if (before && work_ms > before) {
        int64_t at = gd_worktime_add(cal, h, from, work_ms - before);
        if ((ret = gd_svc__timer(svc, wo, fr ? K_FR_REMIND : K_RES_REMIND, at, err))) {
            return ret;
        }
        gd_svc__timer_set(svc, at);
    }
    if ((ret = gd_svc__timer(svc, wo, fr ? K_FR_MISSED : K_RES_MISSED, due, err))) {
        return ret;
    }
    gd_svc__timer_set(svc, due);
    return GD_OK;
}

static int disarm(struct gd_svc *svc, const struct gd_workorder *wo, bool fr, struct gd_err *err)
{
    int ret = GD_STORE(svc->store, deadline_cancel, wo->shop_id, wo->id,
                       fr ? K_FR_REMIND : K_RES_REMIND, err);
    return ret ? ret
               : GD_STORE(svc->store, deadline_cancel, wo->shop_id, wo->id,
                          fr ? K_FR_MISSED : K_RES_MISSED, err);
}

int gd_svc__targets_start(struct gd_svc *svc, const struct gd_workorder *wo, int64_t now,
                          struct gd_err *err)
{
    struct gd_target_settings set;
    struct gd_shop shop;
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_calendar cal;
    struct gd_work_hours h;
    const struct gd_target_policy *p = NULL;
    int ret;

    if (wo->type == GD_TYPE_COLLAB) {
        return GD_OK;
    }
    if ((ret = GD_STORE(svc->store, targets_get, wo->shop_id, &set, err))) {
        return ret;
    }
    for (int i = 0; i < set.n && !p; i++) {
        p = set.policies[i].type == wo->type ? &set.policies[i] : NULL;
    }
    if (!p) {
        return GD_OK; /* no targets for this type */
    }
    ret = GD_STORE(svc->store, shop_get, wo->shop_id, &a, &shop, err);
    gd_arena_release(&a); /* only the shop's zone is kept */
    if (ret) {
        return ret;
    }
    struct gd_wo_target t = {.workorder_id = wo->id,
                             .shop_id = wo->shop_id,
                             .start_min = set.start_min,
                             .end_min = set.end_min,
                             .tz_offset_min = shop.tz_offset_min,
                             .policy = *p,
                             .fr_outcome = GD_TARGET_PENDING,
                             .res_outcome = GD_TARGET_PENDING};
    if ((ret = calendar_of(svc, &t, &cal, &h, err))) {
        return ret;
    }
    if (p->first_response_min) {
        int64_t ms = p->first_response_min * MIN_MS;
        t.fr_due = gd_worktime_add(&cal, &h, now, ms);
        if ((ret = arm(svc, wo, &t, &cal, &h, true, now, ms, t.fr_due, err))) {
            return ret;
        }
    }
    if (p->resolution_min) {
        int64_t ms = p->resolution_min * MIN_MS;
        t.res_due = gd_worktime_add(&cal, &h, now, ms);
        if ((ret = arm(svc, wo, &t, &cal, &h, false, now, ms, t.res_due, err))) {
            return ret;
        }
    }
    return GD_STORE(svc->store, wo_target_put, &t, err);
}

/* A first response: the first action of someone other than the creator that is a response. */
static int first_response(struct gd_svc *svc, const struct gd_actor *actor,
                          const struct gd_workorder *wo, int action, int64_t now,
                          struct gd_wo_target *t, bool *dirty, struct gd_err *err)
{
    if (t->fr_at || !actor->user_id || actor->user_id == wo->creator_id ||
        !gd_target_is_response(action)) {
        return GD_OK;
    }
    t->fr_at = now;
    t->fr_by = actor->user_id;
    *dirty = true;
    if (t->fr_outcome != GD_TARGET_PENDING || !t->fr_due) {
        return GD_OK;
    }
    t->fr_outcome = now <= t->fr_due ? GD_TARGET_MET : GD_TARGET_MISSED;
    t->handler_id = wo->handler_id;
    return disarm(svc, wo, true, err);
}

int gd_svc__targets_on_act(struct gd_svc *svc, const struct gd_actor *actor,
                           const struct gd_workorder *before, const struct gd_workorder *wo,
                           int action, int64_t now, struct gd_err *err)
{
    struct gd_wo_target t;
    struct gd_calendar cal;
    struct gd_work_hours h;
    bool dirty = false, was_waiting = before->state == GD_STATE_WAITING_BUYER,
         waiting = wo->state == GD_STATE_WAITING_BUYER;
    int ret = GD_STORE(svc->store, wo_target_get, wo->shop_id, wo->id, &t, err);

    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        return GD_OK; /* no targets */
    }
    if (ret || (ret = calendar_of(svc, &t, &cal, &h, err)) ||
        (ret = first_response(svc, actor, wo, action, now, &t, &dirty, err))) {
        return ret;
    }
    /* already late (its escalation not fired yet): waiting now does not stop the clock, so the
     * escalation still comes */
    if (!was_waiting && waiting && t.res_due > now) {
        /* 等待买家: the resolution clock stops, keeping the working time left */
        t.res_left_ms = gd_worktime_between(&cal, &h, now, t.res_due);
        t.res_due = 0;
        t.paused_since = now;
        dirty = true;
        if ((ret = disarm(svc, wo, false, err))) {
            return ret;
        }
    } else if (was_waiting && !waiting && t.paused_since) {
        /* the work order moves again: the clock goes on from now with what was left */
        t.paused_ms += now - t.paused_since;
        t.paused_since = 0;
        t.res_due = gd_worktime_add(&cal, &h, now, t.res_left_ms);
        dirty = true;
        if (t.res_outcome == GD_TARGET_PENDING && gd_state_is_active(wo->state) &&
            (ret = arm(svc, wo, &t, &cal, &h, false, now, t.res_left_ms, t.res_due, err))) {
            return ret;
        }
        t.res_left_ms = 0;
    }
    if (gd_state_is_finished(wo->state) && !gd_state_is_finished(before->state)) {
        bool done = wo->state == GD_STATE_DONE;
        if (t.res_outcome == GD_TARGET_PENDING && t.policy.resolution_min) {
            t.res_outcome = !done              ? GD_TARGET_CANCELLED
                            : now <= t.res_due ? GD_TARGET_MET
                                               : GD_TARGET_MISSED;
        }
        if (t.fr_outcome == GD_TARGET_PENDING && t.policy.first_response_min) {
            /* finished without anyone else answering: nothing to count */
            t.fr_outcome = GD_TARGET_CANCELLED;
        }
        t.handler_id = wo->handler_id;
        dirty = true;
        if ((ret = disarm(svc, wo, true, err)) || (ret = disarm(svc, wo, false, err))) {
            return ret;
        }
    } else if (gd_state_is_finished(before->state) && gd_state_is_active(wo->state) &&
               t.policy.resolution_min) {
        /* reopened: not resolved after all; the clock it had goes on, or it is late already */
        t.res_outcome = now < t.res_due ? GD_TARGET_PENDING : GD_TARGET_MISSED;
        dirty = true;
        if (t.res_outcome == GD_TARGET_PENDING &&
            (ret = arm(svc, wo, &t, &cal, &h, false, now,
                       gd_worktime_between(&cal, &h, now, t.res_due), t.res_due, err))) {
            return ret;
        }
    }
    return dirty ? GD_STORE(svc->store, wo_target_put, &t, err) : GD_OK;
}

int gd_svc__targets_fire(struct gd_svc *svc, const struct gd_deadline *d, struct gd_workorder *wo,
                         bool *changed, struct gd_err *err)
{
    bool fr = d->kind[0] == 'f', missed = strstr(d->kind, "_missed") != NULL;
    int64_t now = gd_clock_now_ms();
    struct gd_strbuf data = GD_STRBUF_INIT;
    struct gd_workorder before = *wo;
    struct gd_wo_target t;
    int ret = GD_STORE(svc->store, wo_target_get, wo->shop_id, wo->id, &t, err);

    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        return GD_OK;
    }
    if (ret) {
        return ret;
    }
    int outcome = fr ? t.fr_outcome : t.res_outcome;
    int64_t due = fr ? t.fr_due : t.res_due;
    if (!gd_state_is_active(wo->state) || outcome != GD_TARGET_PENDING || !due || (fr && t.fr_at)) {
        return GD_OK; /* met, finished, or paused meanwhile */
    }
    if (missed ? d->due_at != due : d->due_at >= due || now >= due) {
        return GD_OK; /* the target moved; or a reminder so late that the escalation says it */
    }
    gd_svc__kv_str(&data, "target", fr ? "first_response" : "resolution");
    gd_svc__kv_str(&data, "rule", gd_type_name(wo->type));
    gd_svc__kv_id(&data, "minutes", fr ? t.policy.first_response_min : t.policy.resolution_min);
    gd_svc__kv_id(&data, "due_at_ms", due);
    gd_svc__kv_id(&data, "handler", wo->handler_id);
    if (missed) {
        t.handler_id = wo->handler_id;
        if (fr) {
            t.fr_outcome = GD_TARGET_MISSED;
        } else {
            t.res_outcome = GD_TARGET_MISSED;
        }
        if (t.policy.escalate_to_queue && wo->handler_id) {
            /* to the lead's queue: nobody handles it until a lead assigns it again */
            gd_svc__kv_str(&data, "moved_to", "lead_queue");
            wo->handler_id = 0;
            wo->handler_name = NULL;
            wo->version++;
            wo->updated_at = now;
            if ((ret = GD_STORE(svc->store, workorder_update, wo, before.version, err)) ||
                (ret = gd_svc__counters(svc, &before, wo, err))) {
                goto out;
            }
        }
        if ((ret = GD_STORE(svc->store, wo_target_put, &t, err))) {
            goto out;
        }
    }
    gd_svc__kv_close(&data);
    if ((ret = gd_svc__event(svc, wo, 0, missed ? "target_missed" : "target_reminded", data.buf,
                             now, err))) {
        goto out;
    }
    /* the people it concerns are told through this event: the handler, and the leads of an
     * escalation (gd_svc__event -> service/notify.c) */
    *changed = true;
out:
    gd_strbuf_release(&data);
    return ret;
}

int gd_svc_workorder_targets(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                             struct gd_arena *a, struct gd_targets_view *out, bool *has,
                             struct gd_err *err)
{
    struct gd_workorder wo;
    struct gd_calendar cal;
    struct gd_work_hours h;
    struct gd_wo_target *t = &out->t;
    int64_t now = gd_clock_now_ms();
    int ret = gd_svc__load_visible(svc, actor, id, 0, a, &wo, err);

    *has = false;
    if (ret) {
        return ret;
    }
    ret = GD_STORE(svc->store, wo_target_get, wo.shop_id, wo.id, t, err);
    if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        return GD_OK;
    }
    if (ret || (ret = calendar_of(svc, t, &cal, &h, err))) {
        return ret;
    }
    *has = true;
    out->type = wo.type;
    out->paused = t->paused_since != 0;
    out->paused_ms = t->paused_ms + (out->paused ? now - t->paused_since : 0);
    out->fr_left_ms = t->fr_outcome == GD_TARGET_PENDING && t->fr_due
                          ? gd_worktime_between(&cal, &h, now, t->fr_due)
                          : 0;
    out->res_left_ms = out->paused ? t->res_left_ms
                       : t->res_outcome == GD_TARGET_PENDING && t->res_due
                           ? gd_worktime_between(&cal, &h, now, t->res_due)
                           : 0;
    return GD_OK;
}

/* Adds `c` to the row of `list` with the same type and handler, or to a new one. */
static void sum_into(struct gd_target_count *list, int *n, int type, int64_t handler,
                     const struct gd_target_count *c)
{
    int i = 0;
    while (i < *n && (list[i].type != type || list[i].handler_id != handler)) {
        i++;
    }
    if (i == *n) {
        list[(*n)++] = (struct gd_target_count){type, handler, 0, 0, 0, 0};
    }
    list[i].fr_met += c->fr_met;
    list[i].fr_missed += c->fr_missed;
    list[i].res_met += c->res_met;
    list[i].res_missed += c->res_missed;
}

int gd_svc_target_stats(struct gd_svc *svc, const struct gd_actor *actor, int64_t from, int64_t to,
                        struct gd_arena *a, struct gd_target_stats *out, struct gd_err *err)
{
    struct gd_target_count *rows;
    int n, ret;

    if (gd_role_is_platform(actor->role) || !gd_role_is_shop_lead(actor->role)) {
        return gd_err_set(err, GD_EPERM, "statistics are for the shop owner and leads");
    }
    if ((ret = GD_STORE(svc->store, target_stats, actor->shop_id, from, to, a, &rows, &n, err))) {
        return ret;
    }
    *out = (struct gd_target_stats){gd_arena_alloc(a, sizeof(*rows) * (size_t)(n + 1)),
                                    gd_arena_alloc(a, sizeof(*rows) * (size_t)(n + 1)), 0, 0};
    for (int i = 0; i < n; i++) {
        sum_into(out->by_type, &out->ntypes, rows[i].type, -1, &rows[i]);
        sum_into(out->by_handler, &out->nhandlers, -1, rows[i].handler_id, &rows[i]);
    }
    return GD_OK;
}
