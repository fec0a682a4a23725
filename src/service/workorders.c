/* Work order use cases: create, read, act (assign, transfer, note, chase, start, complete,
 * reopen, cancel, edit), list the views, count the badges. Each mutation is one transaction that
 * writes the work order, a timeline event, the counter moves, the search text and the timers. */
#include <jansson.h>
#include "base/clock.h"
#include "base/id.h"
#include "service/svc_int.h"

#define OVERDUE_TIMER "overdue"

/* A handler must be a user of the work order's shop. */
static int check_handler(struct gd_svc *svc, int64_t shop_id, int64_t user_id, const char *field,
                         struct gd_arena *a, const char **name, struct gd_err *err)
{
    struct gd_user u;
    int ret = GD_STORE(svc->store, user_get, user_id, a, &u, NULL);
    if (ret && ret != GD_ENOTFOUND) {
        /* GD_ERETRY (a connection lost before COMMIT) runs the unit again, never a 422 */
        return gd_err_set(err, ret, "database error");
    }
    if (ret || u.shop_id != shop_id) {
        return gd_err_field(
            err, GD_EINVAL, field,
            shop_id ? "%s must be a user of this shop" : "%s must be a platform user", field);
    }
    if (!u.active) {
        return gd_err_field(err, GD_EINVAL, field,
                            "%s is deactivated: choose someone who can "
                            "act",
                            field);
    }
    *name = u.display_name;
    return GD_OK;
}

static void set_deadline_fields(struct gd_workorder *wo, int64_t deadline_at, int64_t now)
{
    wo->deadline_at = deadline_at;
    wo->overdue = gd_workorder_is_past_due(wo, now);
}

/* What a shop user's create is made of (gd_svc__create's ctx). */
/* A shop user's create: what they sent, its custom field values (checked by build), and what
 * the type's assignment rule did. */
struct create_ctx {
    const struct gd_wo_input *in;
    struct gd_svc__fields fields;
    struct gd_svc__placement rule;
};

/* A shop's own type takes new work orders until it is retired; read inside the create's unit,
 * so a type retired meanwhile refuses it. Its default deadline and handler apply. */
static int shop_type(struct gd_svc *svc, int64_t shop_id, int type, struct gd_arena *a,
                     struct gd_shop_type *out, struct gd_err *err)
{
    int ret = GD_STORE(svc->store, wo_type_get, shop_id, type, a, out, err);
    if (ret == GD_ENOTFOUND) {
        return gd_err_field(err, GD_EINVAL, "type", "this shop has no type %s", gd_type_name(type));
    }
    if (!ret && out->retired) {
        return gd_err_field(err, GD_EINVAL, "type",
                            "type %s (%s) is retired: it takes no new "
                            "work orders",
                            gd_type_name(type), out->name_zh);
    }
    return ret;
}

/* The work order of a shop user's create (gd_svc__create's build; ctx: a create_ctx). */
static int build(struct gd_svc *svc, struct gd_svc__create *c, struct gd_workorder *wo,
                 struct gd_strbuf *data, const char **search_piece, struct gd_err *err)
{
    const struct gd_actor *actor = c->actor;
    struct create_ctx *x = c->ctx;
    const struct gd_wo_input *in = x->in;
    struct gd_order order;
    struct gd_shop_type own = {0};
    const char *handler_name = NULL;
    int64_t now = c->now, handler_id = in->handler_id;
    int64_t default_deadline = gd_type_default_deadline_ms(in->type);
    int ret;

    if (gd_type_is_shop(in->type)) {
        if ((ret = shop_type(svc, actor->shop_id, in->type, c->a, &own, err))) {
            return ret;
        }
        default_deadline = own.deadline_ms;
    }
    if ((ret = gd_svc__fields_apply(svc, actor->shop_id, in->type, in->fields, NULL, c->a,
                                    &x->fields, err))) {
        return ret;
    }
    wo->fields = x->fields.json;

    (void)search_piece;
    wo->id = gd_id_new();
    wo->shop_id = actor->shop_id;
    wo->type = in->type;
    wo->state = GD_STATE_OPEN;
    wo->priority = in->priority >= 0 ? in->priority : GD_PRIO_NORMAL;
    wo->title = in->title;
    wo->content = in->content ? in->content : "";
    wo->creator_id = actor->user_id;
    wo->creator_name = actor->display_name;
    wo->buyer_nick = in->buyer_nick && *in->buyer_nick ? in->buyer_nick : NULL;
    wo->custom = in->custom ? in->custom : "{}";
    wo->created_at = wo->updated_at = now;
    wo->version = 1;
    if (in->order_no) {
        ret = GD_STORE(svc->store, order_get, actor->shop_id, in->order_no, c->a, &order, err);
        if (ret == GD_ENOTFOUND) {
            ret = gd_err_field(err, GD_EINVAL, "order_no", "no order '%s' in this shop",
                               in->order_no);
        }
        if (ret) {
            return ret;
        }
        wo->order_no = order.order_no;
        wo->buyer_nick = order.buyer_nick;
    }
    if (handler_id) {
        ret =
            check_handler(svc, actor->shop_id, handler_id, "handler_id", c->a, &handler_name, err);
        if (ret) {
            return ret;
        }
        wo->handler_id = handler_id;
        wo->handler_name = handler_name;
        gd_svc__kv_id(data, "handler", wo->handler_id);
        gd_svc__kv_str(data, "handler_name", handler_name);
    }
    set_deadline_fields(
        wo, in->has_deadline ? in->deadline_at : (default_deadline ? now + default_deadline : 0),
        now);
    /* without a handler, the type's assignment rule (if any) picks one (docs/assignment.md) */
    if (!wo->handler_id && (ret = gd_svc__assign_place(svc, wo, c->a, &x->rule, err))) {
        return ret;
    }
    wo->handler_id = x->rule.user_id ? x->rule.user_id : wo->handler_id;
    wo->handler_name = x->rule.user_id ? x->rule.name : wo->handler_name;
    /* a shop type without a rule gives its default handler while they can act (docs/types.md) */
    if (!wo->handler_id && !x->rule.ruled && own.handler_id &&
        check_handler(svc, actor->shop_id, own.handler_id, "handler_id", c->a, &handler_name,
                      NULL) == GD_OK) {
        wo->handler_id = own.handler_id;
        wo->handler_name = handler_name;
        gd_svc__kv_id(data, "handler", wo->handler_id);
        gd_svc__kv_str(data, "handler_name", handler_name);
    }
    return GD_OK;
}

/* The files sent with the create and the index of its field values (gd_svc__create's write). */
static int write_files(struct gd_svc *svc, struct gd_svc__create *c, const struct gd_workorder *wo,
                       struct gd_strbuf *data, struct gd_err *err)
{
    const struct create_ctx *x = c->ctx;
    int ret = gd_svc__attachments_link(svc, c->actor, wo, x->in->attachment_ids,
                                       x->in->nattachments, "create", c->a, data, err);
    if (!ret && x->fields.nvalues) {
        ret = GD_STORE(svc->store, wo_field_values_set, wo->shop_id, wo->id, x->fields.values,
                       x->fields.nvalues, err);
    }
    return ret;
}

/* After "created": the rule's "assigned" (or why nobody was), with no actor of its own. */
static int rule_event(struct gd_svc *svc, struct gd_svc__create *c, const struct gd_workorder *wo,
                      struct gd_err *err)
{
    const struct create_ctx *x = c->ctx;
    return x->rule.ruled ? gd_svc__placement_event(svc, wo, 0, NULL, &x->rule, c->now, err) : GD_OK;
}

int gd_svc_workorder_create(struct gd_svc *svc, const struct gd_actor *actor,
                            const struct gd_wo_input *in, gd_render_fn render, void *render_ctx,
                            struct gd_arena *a, struct gd_workorder *out, const char **replay,
                            struct gd_err *err)
{
    struct create_ctx x = {.in = in};
    struct gd_svc__create c = {
        .actor = actor,
        .idem = {in->idem_key, in->idem_digest, 201, render, render_ctx, NULL},
        .a = a,
        .now = gd_clock_now_ms(),
        .timer = OVERDUE_TIMER,
        .ctx = &x,
        .build = build,
        .write = write_files,
        .after = rule_event,
    };

    *replay = NULL;
    if (in->type < 0 || in->type == GD_TYPE_COLLAB) {
        return gd_err_field(err, GD_EINVAL, "type",
                            in->type < 0 ? "unknown type"
                                         : "collaborative work orders are created by the platform "
                                           "(POST /api/v1/collab)");
    }
    if (!gd_perm_can_create(actor, in->type)) {
        return gd_err_set(err, GD_EPERM, "your role cannot create %s work orders",
                          gd_type_name(in->type));
    }
    if (gd_svc__text("title", in->title, true, GD_TITLE_MAX, err) ||
        gd_svc__text("content", in->content, false, GD_CONTENT_MAX, err) ||
        gd_svc__text("buyer_nick", in->buyer_nick, false, GD_NAME_MAX, err)) {
        return GD_EINVAL;
    }
    if (in->has_deadline && in->deadline_at && in->deadline_at <= c.now) {
        return gd_err_field(err, GD_EINVAL, "deadline", "deadline must be in the future");
    }
    return gd_svc__create(svc, actor->shop_id, &c, out, replay, err);
}

int gd_svc_workorder_get(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         struct gd_arena *a, struct gd_workorder *out, struct gd_err *err)
{
    return gd_svc__load_visible(svc, actor, id, 0, a, out, err);
}

int gd_svc_workorder_events(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                            struct gd_event **out, int *count, struct gd_err *err)
{
    return GD_STORE(svc->store, events_list, wo->shop_id, wo->id, a, out, count, err);
}

void gd_svc_allowed_actions(const struct gd_actor *actor, const struct gd_workorder *wo, char *out,
                            int n)
{
    int len = 0;
    out[0] = 0;
    for (int act = 0; act < GD_ACT_COUNT; act++) {
        if (gd_transition(wo->type, wo->state, act) >= 0 && gd_perm_can_act(actor, wo, act)) {
            len += snprintf(out + len, (size_t)(n - len > 0 ? n - len : 0), "%s%s", len ? "," : "",
                            gd_action_name(act));
        }
    }
}

int gd_svc__refuse_action(const struct gd_actor *actor, const struct gd_workorder *wo, int action,
                          struct gd_err *err)
{
    char allowed[256];
    gd_svc_allowed_actions(actor, wo, allowed, sizeof(allowed));
    return gd_err_set(err, GD_ESTATE, "cannot %s a work order that is %s; allowed: %s",
                      gd_action_name(action), gd_state_name(wo->state),
                      allowed[0] ? allowed : "none");
}

/* Notes and chases of platform staff on a collaborative work order are never shown to the shop. */
static bool is_internal_note(const struct gd_actor *actor, const struct gd_workorder *wo)
{
    return wo->type == GD_TYPE_COLLAB && gd_role_is_platform(actor->role);
}

/* Applies an ordinary work order action to `wo` (already checked) and writes its event data. */
static int apply(struct gd_svc *svc, const struct gd_actor *actor, const struct gd_act_input *in,
                 struct gd_workorder *wo, int next, int64_t now, struct gd_arena *a,
                 struct gd_strbuf *data, const char **kind, struct gd_svc__fields *fv,
                 struct gd_err *err)
{
    const char *name = NULL;
    int ret;

    switch (in->action) {
    case GD_ACT_ASSIGN:
    case GD_ACT_TRANSFER:
        if (!in->to) {
            return gd_err_field(err, GD_EINVAL, "to", "to is required");
        }
        if (in->action == GD_ACT_TRANSFER &&
            gd_svc__text("reason", in->reason, true, GD_NOTE_MAX, err)) {
            return GD_EINVAL;
        }
        /* platform staff hand a collaborative case to one another; a shop hands it within */
        int64_t team = gd_role_is_platform(actor->role) ? 0 : wo->shop_id;
        if ((ret = check_handler(svc, team, in->to, "to", a, &name, err))) {
            return ret;
        }
        if (in->to == wo->handler_id) {
            return gd_err_field(err, GD_EINVAL, "to", "the work order is already with %s", name);
        }
        gd_svc__kv_id(data, "from", wo->handler_id);
        gd_svc__kv_str(data, "from_name", wo->handler_name);
        gd_svc__kv_id(data, "to", in->to);
        gd_svc__kv_str(data, "to_name", name);
        if (in->reason) {
            gd_svc__kv_str(data, "reason", in->reason);
        }
        if (in->action == GD_ACT_TRANSFER || wo->handler_id) {
            wo->transfers++;
        }
        wo->handler_id = in->to;
        wo->handler_name = name;
        *kind = in->action == GD_ACT_TRANSFER ? "transferred" : "assigned";
        break;
    case GD_ACT_NOTE:
    case GD_ACT_CHASE: {
        /* a note may be files alone (event "attached"); a chase is text */
        bool has_text = in->text && *in->text;
        if (gd_svc__text("text", in->text, in->action == GD_ACT_NOTE && !in->nattachments,
                         GD_NOTE_MAX, err)) {
            return GD_EINVAL;
        }
        if (in->nattachments && wo->type == GD_TYPE_COLLAB) {
            return gd_err_field(err, GD_EINVAL, "attachment_ids",
                                "a collaborative work order "
                                "takes files as evidence (POST /api/v1/workorders/%lld/evidence)",
                                (long long)wo->id);
        }
        if (has_text || !in->nattachments) {
            gd_svc__kv_str(data, "text", in->text ? in->text : "");
        }
        if ((ret = gd_svc__attachments_link(svc, actor, wo, in->attachment_ids, in->nattachments,
                                            has_text ? "note" : "attach", a, data, err))) {
            return ret;
        }
        if (is_internal_note(actor, wo)) {
            gd_strbuf_adds(data, ",\"internal\":true"); /* never shown to the shop */
        }
        *kind = in->action == GD_ACT_CHASE ? "chased" : has_text ? "noted" : "attached";
        break;
    }
    case GD_ACT_EDIT: {
        if (gd_svc__text("title", in->title, in->title != NULL, GD_TITLE_MAX, err) ||
            gd_svc__text("content", in->content, false, GD_CONTENT_MAX, err)) {
            return GD_EINVAL;
        }
        if (in->has_deadline && in->deadline_at && in->deadline_at <= now) {
            return gd_err_field(err, GD_EINVAL, "deadline", "deadline must be in the future");
        }
        if (in->title && strcmp(in->title, wo->title) != 0) {
            gd_svc__kv_str(data, "title_from", wo->title);
            gd_svc__kv_str(data, "title_to", in->title);
            wo->title = in->title;
        }
        if (in->content && strcmp(in->content, wo->content) != 0) {
            gd_svc__kv_str(data, "content_changed", "true");
            wo->content = in->content;
        }
        if (in->priority >= 0 && in->priority != wo->priority) {
            gd_svc__kv_str(data, "priority_from", gd_priority_name(wo->priority));
            gd_svc__kv_str(data, "priority_to", gd_priority_name(in->priority));
            wo->priority = in->priority;
        }
        if (in->fields) {
            if ((ret = gd_svc__fields_apply(svc, wo->shop_id, wo->type, in->fields,
                                            wo->fields ? wo->fields : "{}", a, fv, err))) {
                return ret;
            }
            if (fv->changed) {
                gd_svc__kv_str(data, "fields_changed", fv->changed_keys);
                wo->fields = fv->json;
            }
        }
        bool fields = data->len > 0;
        if (in->has_deadline && in->deadline_at != wo->deadline_at) {
            /* a deadline moved alone is its own event (DOMAIN.md "deadline changed") */
            gd_svc__kv_time(data, fields ? "deadline_from" : "from", wo->deadline_at);
            gd_svc__kv_time(data, fields ? "deadline_to" : "to", in->deadline_at);
            set_deadline_fields(wo, in->deadline_at, now);
        }
        if (!data->len) {
            return gd_err_set(err, GD_EINVAL, "nothing to change");
        }
        *kind = fields ? "edited" : "deadline_changed";
        break;
    }
    default:
        if (gd_svc__text("reason", in->reason, false, GD_NOTE_MAX, err) ||
            gd_svc__text("text", in->text, false, GD_NOTE_MAX, err)) {
            return GD_EINVAL;
        }
        gd_svc__kv_str(data, "from", gd_state_name(wo->state));
        gd_svc__kv_str(data, "to", gd_state_name(next));
        if (in->reason) {
            gd_svc__kv_str(data, "reason", in->reason);
        }
        if (in->text) {
            gd_svc__kv_str(data, "text", in->text);
        }
        *kind = "state_changed";
        wo->state = next;
        if (next == GD_STATE_DONE) {
            wo->done_at = now;
        } else if (in->action == GD_ACT_REOPEN) {
            wo->done_at = 0;
        }
        wo->overdue = gd_workorder_is_past_due(wo, now);
    }
    return GD_OK;
}

static int act_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct gd_svc__act *x = ctx;
    const struct gd_actor *actor = x->actor;
    const struct gd_act_input *in = x->in;
    struct gd_arena *a = x->a;
    int64_t now = x->now;
    struct gd_workorder before, wo;
    struct gd_strbuf data = GD_STRBUF_INIT;
    struct gd_svc__fields fv = {0};
    const char *kind = NULL;
    int ret, next;

    if ((ret = gd_svc__act_begin(svc, x, in->if_match, in->action, false, &before, &next, err))) {
        goto out;
    }
    wo = before;
    if ((ret = apply(svc, actor, in, &wo, next, now, a, &data, &kind, &fv, err))) {
        goto out;
    }
    gd_svc__kv_close(&data);
    if (!wo.first_action_at && in->action != GD_ACT_EDIT && in->action != GD_ACT_CHASE &&
        in->action != GD_ACT_ASSIGN) {
        wo.first_action_at = now;
    }
    wo.version = before.version + 1;
    wo.updated_at = now;
    if ((ret = GD_STORE(svc->store, workorder_update, &wo, before.version, err)) ||
        (ret = gd_svc__event(svc, &wo, actor->user_id, kind, data.buf, now, err)) ||
        (ret = gd_svc__counters(svc, &before, &wo, err)) ||
        (ret = gd_svc__targets_on_act(svc, actor, &before, &wo, in->action, now, err)) ||
        (fv.changed && (ret = GD_STORE(svc->store, wo_field_values_set, wo.shop_id, wo.id,
                                       fv.values, fv.nvalues, err)))) {
        goto out;
    }
    bool remark = strcmp(kind, "state_changed") == 0 && in->text && *in->text;
    if (((in->action == GD_ACT_NOTE && in->text && *in->text) || remark) &&
        !is_internal_note(actor, &wo)) {
        /* the shop searches a note or a remark written with a state change (a tracking number
         * given when completing); a platform-internal one would answer its guesses. Only the new
         * text is indexed. */
        ret = GD_STORE(svc->store, search_append, wo.shop_id, wo.id, in->text, err);
    } else if (in->action == GD_ACT_EDIT &&
               (wo.title != before.title || wo.content != before.content)) {
        /* the work order's own fields are one search piece; its notes stay as they are */
        struct gd_strbuf text = GD_STRBUF_INIT;
        gd_svc__search_text(&wo, &text);
        ret = GD_STORE(svc->store, search_set, wo.shop_id, wo.id, text.buf, err);
        gd_strbuf_release(&text);
    }
    /* timers: an overdue timer lives while the work order is active and has a future deadline */
    bool timer_changed = wo.deadline_at != before.deadline_at ||
                         gd_state_is_active(wo.state) != gd_state_is_active(before.state);
    if (!ret && timer_changed) {
        ret = GD_STORE(svc->store, deadline_cancel, wo.shop_id, wo.id, OVERDUE_TIMER, err);
        if (!ret && gd_state_is_active(wo.state) && wo.deadline_at > now) {
            ret = gd_svc__timer(svc, &wo, OVERDUE_TIMER, wo.deadline_at, err);
        }
    }
    if (ret) {
        goto out;
    }
    x->wo = wo;
    gd_svc__changed(svc, &wo);
    if (timer_changed && wo.deadline_at > now) {
        gd_svc__timer_set(svc, wo.deadline_at);
    }
out:
    gd_strbuf_release(&data);
    return ret;
}

int gd_svc_workorder_act(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         const struct gd_act_input *in, struct gd_arena *a,
                         struct gd_workorder *out, struct gd_err *err)
{
    return gd_svc__act_run(svc, actor, id, in, act_unit, a, out, err);
}

/* The view's rules on `f` for the actor: who may open it, and whose work it holds. */
static int view_scope(const struct gd_actor *actor, struct gd_wo_filter *f, struct gd_err *err)
{
    if (!gd_perm_can_use_view(actor, f->view)) {
        return gd_err_field(err, GD_EPERM, "view", "the %s view is for %s", gd_view_name(f->view),
                            f->view == GD_VIEW_SHOP || f->view == GD_VIEW_REASSIGN
                                ? "shop leads and owners"
                                : "platform staff");
    }
    f->user_id = actor->user_id;
    f->whole_shop = f->view == GD_VIEW_OVERDUE && gd_perm_sees_whole_shop(actor);
    return GD_OK;
}

int gd_svc_workorders_count(struct gd_svc *svc, const struct gd_actor *actor,
                            struct gd_wo_filter *f, int cap, int64_t *out, struct gd_err *err)
{
    int ret = view_scope(actor, f, err);
    return ret ? ret : GD_STORE(svc->store, workorders_count, actor->shop_id, f, cap, out, err);
}

/* The view's rules and the page's bound, for the list and its keys alike. */
static int list_scope(const struct gd_actor *actor, struct gd_wo_filter *f, struct gd_err *err)
{
    int ret = view_scope(actor, f, err);
    if (ret) {
        return ret;
    }
    if (f->limit <= 0 || f->limit > 200) {
        return gd_err_field(err, GD_EINVAL, "limit", "limit must be 1 to 200");
    }
    return GD_OK;
}

int gd_svc_workorders_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_wo_filter *f,
                           struct gd_arena *a, struct gd_workorder **out, int *count,
                           struct gd_err *err)
{
    int ret = list_scope(actor, f, err);
    return ret ? ret : GD_STORE(svc->store, workorders_list, actor->shop_id, f, a, out, count, err);
}

int gd_svc_workorders_list_keys(struct gd_svc *svc, const struct gd_actor *actor,
                                struct gd_wo_filter *f, const struct gd_svc_gen *known,
                                struct gd_arena *a, struct gd_workorder **out, int *count,
                                struct gd_err *err)
{
    int ret = list_scope(actor, f, err);
    if (ret) {
        return ret;
    }
    /* the names joined and kept by the shop's first list at this generation on this thread,
     * from memory after it (namecache.c) */
    bool usable = gd_svc__namecache_usable(actor, known);
    f->keys_unnamed = usable && gd_svc__namecache_warm(svc, known);
    ret = GD_STORE(svc->store, workorders_list_keys, actor->shop_id, f, a, out, count, err);
    if (!ret && f->keys_unnamed) {
        ret = gd_svc__names_fill(svc, known, a, *out, *count, err);
    } else if (!ret && usable) {
        gd_svc__names_keep(svc, known, *out, *count);
    }
    f->keys_unnamed = false;
    return ret;
}

int gd_svc_workorders_list_rows(struct gd_svc *svc, const struct gd_workorder *const *keys, int n,
                                struct gd_arena *a, struct gd_workorder *out, struct gd_err *err)
{
    int64_t *shops = gd_arena_alloc(a, sizeof(*shops) * (size_t)(n > 0 ? n : 1));
    int64_t *ids = gd_arena_alloc(a, sizeof(*ids) * (size_t)(n > 0 ? n : 1));

    for (int i = 0; i < n; i++) {
        shops[i] = keys[i]->shop_id;
        ids[i] = keys[i]->id;
    }
    return GD_STORE(svc->store, workorders_get_many, shops, ids, n, a, out, err);
}

/* How many work orders the bounded read `f` of shop `shop` finds (at most its limit). */
static int listed(struct gd_svc *svc, int64_t shop, const struct gd_wo_filter *f,
                  struct gd_arena *a, int64_t *out, struct gd_err *err)
{
    struct gd_workorder *rows;
    int n = 0;
    int ret = GD_STORE(svc->store, workorders_list, shop, f, a, &rows, &n, err);
    *out = n;
    return ret;
}

/* Reads the counter "prefix" or, with a user, "prefix:uid" (see core/counters.h). */
static int counter(struct gd_svc *svc, int64_t shop, const char *prefix, int64_t uid, int64_t *out,
                   struct gd_err *err)
{
    char key[GD_COUNTER_KEY];
    if (uid) {
        snprintf(key, sizeof(key), "%s:%lld", prefix, (long long)uid);
    } else {
        snprintf(key, sizeof(key), "%s", prefix);
    }
    return GD_STORE(svc->store, counter_get, shop, key, out, err);
}

#define DUE_SOON_MS (4 * 3600 * 1000LL)

int gd_svc_counts(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                  struct gd_counts *out, struct gd_err *err)
{
    int64_t s = actor->shop_id, u = actor->user_id;
    bool lead = gd_perm_sees_whole_shop(actor);
    int ret;

    memset(out, 0, sizeof(*out));
    if (gd_role_is_platform(actor->role)) {
        if ((ret = counter(svc, 0, "pq:platform_verify", 0, &out->platform_verify, err)) ||
            (ret = counter(svc, 0, "pq:intervention", 0, &out->intervention, err)) ||
            (ret = counter(svc, 0, "pq:appeal_review", 0, &out->appeal_review, err))) {
            return ret;
        }
        return GD_OK;
    }
    if ((ret = counter(svc, s, "todo", u, &out->todo, err)) ||
        (ret = counter(svc, s, "created", u, &out->created, err)) ||
        (ret = counter(svc, s, "assigned", u, &out->assigned, err)) ||
        (ret = counter(svc, s, "overdue", lead ? 0 : u, &out->overdue, err))) {
        return ret;
    }
    if (lead) {
        out->has_shop = true;
        if ((ret = counter(svc, s, "shop", 0, &out->shop, err)) ||
            (ret = counter(svc, s, "collab_awaiting", 0, &out->collab_awaiting, err))) {
            return ret;
        }
    } else {
        /* an agent counts the cases awaiting the shop that are theirs to answer, never the
         * shop's (core/perm: they may not open the others): a bounded read of their todo */
        struct gd_wo_filter f = {.view = GD_VIEW_TODO,
                                 .user_id = u,
                                 .type = GD_TYPE_COLLAB,
                                 .state = GD_STATE_AWAITING_SELLER,
                                 .sort = GD_SORT_DEADLINE,
                                 .limit = 200};
        if ((ret = listed(svc, s, &f, a, &out->collab_awaiting, err))) {
            return ret;
        }
    }
    /* due soon is relative to now, so it cannot be a maintained counter: it is a bounded range
     * read of the handler's active work orders on the (shop, handler, active, due) index */
    int64_t now = gd_clock_now_ms();
    struct gd_wo_filter f = {.view = GD_VIEW_TODO,
                             .user_id = u,
                             .type = -1,
                             .state = -1,
                             .deadline_from = now,
                             .deadline_to = now + DUE_SOON_MS,
                             .sort = GD_SORT_DEADLINE,
                             .limit = 200};
    return listed(svc, s, &f, a, &out->due_soon, err);
}
