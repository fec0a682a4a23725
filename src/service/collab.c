/* Collaborative work orders (协同工单): the platform opens a case about a shop's order, the seller
 * replies within the window, the platform verifies or intervenes and judges, the seller may
 * appeal, and a supervisor other than the judge decides. Each step is one transaction that
 * writes the work order, its collab row, a timeline event, the counter moves, linked evidence
 * and the step's timers; the timers fire through gd_svc__collab_fire, which re-checks the state
 * inside the firing transaction, so a reply that commits first always wins over the timeout. */
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "service/svc_int.h"

#define K_REPLY_DUE "reply_due"
#define K_REMIND "remind"
#define K_APPEAL_WINDOW "appeal_window"
#define K_PLATFORM_DUE "platform_due"
#define CATEGORY_MAX 64

/* The platform user of `role` with the fewest open cases ("pa:<uid>" counters), lowest id on a
 * tie; `except` is never chosen (the judge of an appealed case). 0 when there is none. */
static int least_loaded(struct gd_svc *svc, int role, int64_t except, struct gd_arena *a,
                        int64_t *id, const char **name, struct gd_err *err)
{
    struct gd_user *users;
    int n, ret;
    int64_t best = -1;

    *id = 0;
    *name = NULL;
    if ((ret = GD_STORE(svc->store, users_list, 0, a, &users, &n, err))) {
        return ret;
    }
    for (int i = 0; i < n; i++) {
        char key[GD_COUNTER_KEY];
        int64_t load;
        if (users[i].role != role || users[i].id == except) {
            continue;
        }
        snprintf(key, sizeof(key), "pa:%lld", (long long)users[i].id);
        if ((ret = GD_STORE(svc->store, counter_get, 0, key, &load, err))) {
            return ret;
        }
        load += gd_svc__batch_pending(svc, 0, key); /* moves of this batch not yet written */
        if (best < 0 || load < best) {
            best = load;
            *id = users[i].id;
            *name = users[i].display_name;
        }
    }
    return GD_OK;
}

/* Sets the timers of the step `wo` has just entered (its deadline_at is already set). */
static int step_timers(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_err *err)
{
    if (!wo->deadline_at) {
        return GD_OK;
    }
    if (wo->state == GD_STATE_JUDGED) {
        return gd_svc__timer(svc, wo, K_APPEAL_WINDOW, wo->deadline_at, err);
    }
    if (gd_collab_is_platform_step(wo->state)) {
        return gd_svc__timer(svc, wo, K_PLATFORM_DUE, wo->deadline_at, err);
    }
    return GD_OK;
}

/* Moves `wo` into `next`: deadline, handler, finish time. Called with the collab row's
 * bookkeeping already done by the caller. */
static int enter(struct gd_svc *svc, const struct gd_collab_rules *rules, struct gd_workorder *wo,
                 int next, int64_t judge_id, int64_t now, struct gd_arena *a,
                 struct gd_strbuf *data, struct gd_err *err)
{
    int ret;
    int64_t id = 0;
    const char *name = NULL;

    gd_svc__kv_str(data, "from", gd_state_name(wo->state));
    gd_svc__kv_str(data, "to", gd_state_name(next));
    bool was_platform = gd_collab_is_platform_step(wo->state);
    wo->state = next;
    wo->overdue = false;
    wo->deadline_at = gd_collab_step_due(rules, next, now);
    if (gd_state_is_finished(next)) {
        wo->done_at = now;
    }
    /* reaching the platform: the least-loaded agent takes it; an appeal goes to a supervisor
     * who is not the judge */
    int team = -1;
    if ((next == GD_STATE_INTERVENTION || next == GD_STATE_PLATFORM_VERIFY) && !was_platform) {
        team = GD_ROLE_PLATFORM_AGENT;
    } else if (next == GD_STATE_APPEAL_REVIEW) {
        team = GD_ROLE_PLATFORM_SUPERVISOR;
    }
    if (team >= 0) {
        ret = least_loaded(svc, team, team == GD_ROLE_PLATFORM_SUPERVISOR ? judge_id : 0, a, &id,
                           &name, err);
        if (ret) {
            return ret;
        }
        wo->handler_id = id;
        wo->handler_name = name;
        gd_svc__kv_id(data, "handler", id);
        gd_svc__kv_str(data, "handler_name", name);
    }
    if (wo->deadline_at) {
        gd_svc__kv_id(data, "due_at_ms", wo->deadline_at);
    }
    return GD_OK;
}

/* Writes the changed work order, its collab row, the event and the counters. */
static int save(struct gd_svc *svc, const struct gd_workorder *before, struct gd_workorder *wo,
                const struct gd_collab *c, int64_t actor_id, const char *kind,
                struct gd_strbuf *data, int64_t now, bool state_changed, struct gd_err *err)
{
    int ret;

    gd_svc__kv_close(data);
    wo->version = before->version + 1;
    wo->updated_at = now;
    if (!wo->first_action_at && actor_id) {
        wo->first_action_at = now;
    }
    if ((ret = GD_STORE(svc->store, workorder_update, wo, before->version, err)) ||
        (ret = GD_STORE(svc->store, collab_update, c, err)) ||
        (ret = gd_svc__event(svc, wo, actor_id, kind, data->buf, now, err)) ||
        (ret = gd_svc__counters(svc, before, wo, err))) {
        return ret;
    }
    if (state_changed) {
        if ((ret = GD_STORE(svc->store, deadline_cancel, wo->shop_id, wo->id, NULL, err)) ||
            (ret = step_timers(svc, wo, err))) {
            return ret;
        }
    }
    return GD_OK;
}

/* ---- create ---- */

/* The inputs of a case's create (gd_svc__create's ctx). */
struct create {
    const struct gd_collab_input *in;
    const struct gd_collab_rules *rules;
};

/* The case's work order: the shop's, about its order, awaiting the seller's reply (gd_svc__create's
 * build). */
static int build(struct gd_svc *svc, struct gd_svc__create *c, struct gd_workorder *wo,
                 struct gd_strbuf *data, const char **search_piece, struct gd_err *err)
{
    const struct create *x = c->ctx;
    const struct gd_collab_input *in = x->in;
    const struct gd_collab_rules *rules = x->rules;
    struct gd_arena *a = c->a;
    struct gd_shop shop;
    struct gd_order order;
    struct gd_user handler;
    int ret;

    ret = GD_STORE(svc->store, shop_get, in->shop_id, a, &shop, err);
    if (ret) {
        return ret == GD_ENOTFOUND
                   ? gd_err_field(err, GD_EINVAL, "shop_id", "no shop %lld", (long long)in->shop_id)
                   : ret;
    }
    ret = GD_STORE(svc->store, order_get, shop.id, in->order_no, a, &order, err);
    if (ret) {
        return ret == GD_ENOTFOUND ? gd_err_field(err, GD_EINVAL, "order_no",
                                                  "the shop has no "
                                                  "order %s",
                                                  in->order_no)
                                   : ret;
    }
    wo->id = gd_id_new();
    wo->shop_id = shop.id;
    wo->type = GD_TYPE_COLLAB;
    wo->state = GD_STATE_AWAITING_SELLER;
    wo->priority = GD_PRIO_HIGH;
    wo->title =
        in->title && *in->title ? in->title : gd_arena_printf(a, "协同工单：%s", in->category);
    wo->content = in->content && *in->content ? in->content : in->complaint;
    wo->creator_id = c->actor->user_id;
    wo->creator_name = c->actor->display_name;
    wo->order_no = order.order_no;
    wo->buyer_nick = order.buyer_nick;
    wo->custom = "{}";
    wo->created_at = wo->updated_at = c->now;
    wo->version = 1;
    wo->deadline_at = gd_collab_step_due(rules, GD_STATE_AWAITING_SELLER, c->now);
    if (shop.aftersales_handler_id &&
        GD_STORE(svc->store, user_get, shop.aftersales_handler_id, a, &handler, NULL) == GD_OK &&
        handler.shop_id == shop.id) {
        wo->handler_id = handler.id;
        wo->handler_name = handler.display_name;
    }
    gd_svc__kv_str(data, "collab", "opened");
    gd_svc__kv_str(data, "category", in->category);
    gd_svc__kv_str(data, "remedy", in->remedy);
    gd_svc__kv_id(data, "rule_version", rules->version);
    gd_svc__kv_id(data, "reply_due_ms", wo->deadline_at);
    if (wo->handler_id) {
        gd_svc__kv_id(data, "handler", wo->handler_id);
        gd_svc__kv_str(data, "handler_name", wo->handler_name);
    }
    /* the complaint is a search piece of its own: an edit of the work order's fields keeps it */
    *search_piece = gd_arena_printf(a, "%s\n%s", in->category, in->complaint);
    return GD_OK;
}

/* The case's row and the reminders before its reply is due (gd_svc__create's write). */
static int write_case(struct gd_svc *svc, struct gd_svc__create *c, const struct gd_workorder *wo,
                      struct gd_strbuf *data, struct gd_err *err)
{
    const struct create *x = c->ctx;
    const struct gd_collab_rules *rules = x->rules;
    struct gd_collab row = {.workorder_id = wo->id,
                            .shop_id = wo->shop_id,
                            .rule_version = rules->version,
                            .category = x->in->category,
                            .complaint = x->in->complaint,
                            .remedy = x->in->remedy,
                            .reply_due_at = wo->deadline_at};
    int ret;

    (void)data;
    if ((ret = GD_STORE(svc->store, collab_insert, &row, err))) {
        return ret;
    }
    for (int i = 0; i < rules->nreminders; i++) {
        int64_t at = wo->deadline_at - rules->reminder_ms[i];
        if (at > c->now && (ret = gd_svc__timer(svc, wo, K_REMIND, at, err))) {
            return ret;
        }
    }
    return GD_OK;
}

int gd_svc_collab_create(struct gd_svc *svc, const struct gd_actor *actor,
                         const struct gd_collab_input *in, gd_render_fn render, void *render_ctx,
                         struct gd_arena *a, struct gd_workorder *out, const char **replay,
                         struct gd_err *err)
{
    struct create x = {in, NULL};
    struct gd_svc__create c = {
        .actor = actor,
        .idem = {in->idem_key, in->idem_digest, 201, render, render_ctx, NULL},
        .a = a,
        .now = gd_clock_now_ms(),
        .timer = K_REPLY_DUE,
        .ctx = &x,
        .build = build,
        .write = write_case,
    };
    int ret;

    *replay = NULL;
    if (!gd_perm_can_create(actor, GD_TYPE_COLLAB)) {
        return gd_err_set(err, GD_EPERM, "collaborative work orders are opened by platform staff");
    }
    if (!in->shop_id) {
        return gd_err_field(err, GD_EINVAL, "shop_id", "shop_id is required");
    }
    if ((ret = gd_svc__text("order_no", in->order_no, true, 64, err)) ||
        (ret = gd_svc__text("category", in->category, true, CATEGORY_MAX, err)) ||
        (ret = gd_svc__text("complaint", in->complaint, true, GD_CONTENT_MAX, err)) ||
        (ret = gd_svc__text("title", in->title, false, GD_TITLE_MAX, err)) ||
        (ret = gd_svc__text("content", in->content, false, GD_CONTENT_MAX, err))) {
        return ret;
    }
    if (gd_remedy_parse(in->remedy) < 0) {
        return gd_err_field(err, GD_EINVAL, "remedy",
                            "remedy (what the buyer asks for) must be "
                            "one of refund, return_refund, reship, exchange, repair");
    }
    if ((ret = gd_svc_rules_load(svc, 0, &x.rules, err))) {
        return ret; /* its own unit when the default rules must be stored first */
    }
    /* the case is the shop's: a unit of that shop, beside its own writers' */
    return gd_svc__create(svc, in->shop_id, &c, out, replay, err);
}

/* ---- the steps ---- */

static int link_all(struct gd_svc *svc, const struct gd_actor *actor, const struct gd_workorder *wo,
                    const struct gd_collab_act *in, const char *purpose, struct gd_err *err)
{
    return gd_svc__attachments_link(svc, actor, wo, in->attachment_ids, in->nattachments, purpose,
                                    NULL, NULL, err);
}

/* Applies the step to wo and c, writing the event kind and data; *next is the new state or -1
 * when the state stays. */
static int apply(struct gd_svc *svc, const struct gd_actor *actor,
                 const struct gd_collab_rules *rules, const struct gd_collab_act *in,
                 struct gd_workorder *wo, struct gd_collab *c, int64_t now, struct gd_arena *a,
                 struct gd_strbuf *data, const char **kind, int *next, struct gd_err *err)
{
    int ret;
    const char *party = gd_role_is_platform(actor->role) ? "platform" : "shop";

    *next = -1;
    if (in->nattachments > rules->max_files) {
        return gd_err_field(err, GD_ETOOBIG, "attachment_ids",
                            "at most %d files per submission "
                            "(attachments.max_files)",
                            rules->max_files);
    }
    switch (in->action) {
    case GD_ACT_REPLY: {
        struct gd_collab_reply r = {in->option, in->description, in->contact_at, in->nattachments};
        if (c->replied_at) {
            return gd_err_set(err, GD_ECONFLICT,
                              "the seller has already replied; a reply is "
                              "never edited (add evidence instead)");
        }
        /* the clock decides, not whether the timeout has fired yet (the scheduler may lag) */
        if (c->reply_due_at && now >= c->reply_due_at) {
            return gd_err_set(err, GD_ESTATE,
                              "the reply window has closed; the case goes to "
                              "platform intervention");
        }
        if ((ret = gd_svc__text("description", in->description, false, GD_NOTE_MAX, err)) ||
            (ret = gd_collab_check_reply(rules, &r, wo->created_at, now, err)) ||
            (ret = link_all(svc, actor, wo, in, "reply", err))) {
            return ret;
        }
        c->reply_option = gd_reply_option_name(in->option);
        c->reply_description = in->description;
        c->contact_at = in->contact_at;
        c->replied_at = now;
        c->replier_id = actor->user_id;
        *next = gd_collab_reply_next(in->option);
        if (*next == GD_STATE_INTERVENTION) {
            c->intervened_at = now;
            c->intervention_reason = "not_agreed";
        }
        gd_svc__kv_str(data, "option", c->reply_option);
        if (in->description) {
            gd_svc__kv_str(data, "description", in->description);
        }
        if (in->contact_at) {
            gd_svc__kv_id(data, "contact_at_ms", in->contact_at);
        }
        gd_svc__kv_id(data, "evidence", in->nattachments);
        *kind = "replied";
        break;
    }
    case GD_ACT_EVIDENCE:
        if (in->nattachments == 0 && (!in->description || !*in->description)) {
            return gd_err_field(err, GD_EINVAL, "attachment_ids",
                                "send attachment_ids or a description");
        }
        if ((ret = gd_svc__text("description", in->description, false, GD_NOTE_MAX, err)) ||
            (ret = link_all(svc, actor, wo, in, "evidence", err))) {
            return ret;
        }
        if (in->description) {
            gd_svc__kv_str(data, "description", in->description);
        }
        gd_svc__kv_id(data, "evidence", in->nattachments);
        gd_svc__kv_str(data, "party", party);
        *kind = "evidence_added";
        break;
    case GD_ACT_VERIFY:
        if ((ret = gd_svc__text("remark", in->remark, false, GD_NOTE_MAX, err))) {
            return ret;
        }
        c->verify_result = in->verified ? "verified" : "rejected";
        c->verify_remark = in->remark;
        c->verifier_id = actor->user_id;
        c->verified_at = now;
        *next = gd_collab_verify_next(in->verified);
        if (*next == GD_STATE_INTERVENTION) {
            c->intervened_at = now;
            c->intervention_reason = "verify_rejected";
        }
        gd_svc__kv_str(data, "result", c->verify_result);
        if (in->remark) {
            gd_svc__kv_str(data, "remark", in->remark);
        }
        *kind = "verified";
        break;
    case GD_ACT_JUDGE:
        if ((ret = gd_collab_check_judgement(rules, in->outcome, in->remedy, err))) {
            return ret;
        }
        if (in->liable < 0 || in->liable >= GD_LIABLE_COUNT) {
            return gd_err_field(err, GD_EINVAL, "liable_party", "liable_party is required");
        }
        if ((ret = gd_svc__text("reasoning", in->reasoning, true, GD_CONTENT_MAX, err)) ||
            (ret = gd_svc__text("rule_article", in->rule_article, true, 200, err))) {
            return ret;
        }
        c->outcome = gd_outcome_name(in->outcome);
        c->judged_remedy = gd_remedy_name(in->remedy);
        c->liable_party = gd_liable_name(in->liable);
        c->reasoning = in->reasoning;
        c->rule_article = in->rule_article;
        c->judge_id = actor->user_id;
        c->judge_name = actor->display_name;
        c->judged_at = now;
        c->judged_against = gd_collab_is_against_seller(in->outcome); /* counts at once */
        *next = GD_STATE_JUDGED;
        gd_svc__kv_str(data, "outcome", c->outcome);
        gd_svc__kv_str(data, "remedy", c->judged_remedy);
        gd_svc__kv_str(data, "liable_party", c->liable_party);
        gd_svc__kv_str(data, "rule_article", c->rule_article);
        *kind = "judged";
        break;
    case GD_ACT_APPEAL:
        if (wo->deadline_at && now >= wo->deadline_at) {
            return gd_err_set(err, GD_ESTATE,
                              "the appeal window has closed; the judgement is "
                              "final");
        }
        if ((ret = gd_svc__text("reason", in->reason, true, GD_NOTE_MAX, err)) ||
            (ret = link_all(svc, actor, wo, in, "appeal", err))) {
            return ret;
        }
        c->appeal_reason = in->reason;
        c->appealed_at = now;
        *next = GD_STATE_APPEAL_REVIEW;
        gd_svc__kv_str(data, "reason", in->reason);
        gd_svc__kv_id(data, "evidence", in->nattachments);
        *kind = "appealed";
        break;
    case GD_ACT_DECIDE_APPEAL:
        if (actor->user_id == c->judge_id) {
            return gd_err_set(err, GD_EPERM,
                              "an appeal is decided by someone other than the "
                              "judge of the case");
        }
        if ((ret = gd_svc__text("remark", in->remark, false, GD_NOTE_MAX, err))) {
            return ret;
        }
        c->decision = in->overturned ? "overturned" : "upheld";
        c->decision_remark = in->remark;
        c->decider_id = actor->user_id;
        c->decided_at = now;
        c->overturned = in->overturned;
        if (in->overturned) {
            c->judged_against = false; /* stops counting toward the dispute rate */
        }
        c->finalized_at = now;
        *next = GD_STATE_FINAL;
        gd_svc__kv_str(data, "decision", c->decision);
        if (in->remark) {
            gd_svc__kv_str(data, "remark", in->remark);
        }
        *kind = "appeal_decided";
        break;
    default:
        return gd_err_set(err, GD_EINVAL, "not a collaborative step");
    }
    (void)a;
    return GD_OK;
}

static int act_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct gd_svc__act *x = ctx;
    const struct gd_actor *actor = x->actor;
    const struct gd_collab_act *in = x->in;
    struct gd_arena *a = x->a;
    int64_t now = x->now;
    const struct gd_collab_rules *rules;
    struct gd_workorder before, wo;
    struct gd_collab c;
    struct gd_strbuf data = GD_STRBUF_INIT;
    const char *kind = NULL;
    int ret, next;

    if ((ret = gd_svc__act_begin(svc, x, in->if_match, in->action, true, &before, &next, err))) {
        goto out;
    }
    if ((ret = GD_STORE(svc->store, collab_get, before.shop_id, before.id, a, &c, err)) ||
        (ret = gd_svc_rules_load(svc, c.rule_version, &rules, err))) {
        goto out;
    }
    wo = before;
    /* the step decides its own next state (-1: it stays); the table only said it is allowed */
    if ((ret = apply(svc, actor, rules, in, &wo, &c, now, a, &data, &kind, &next, err))) {
        goto out;
    }
    if (next >= 0 && (ret = enter(svc, rules, &wo, next, c.judge_id, now, a, &data, err))) {
        goto out;
    }
    if ((ret = save(svc, &before, &wo, &c, actor->user_id, kind, &data, now, next >= 0, err))) {
        goto out;
    }
    x->wo = wo;
    gd_svc__changed(svc, &wo);
    if (next >= 0 && wo.deadline_at) {
        gd_svc__timer_set(svc, wo.deadline_at);
    }
out:
    gd_strbuf_release(&data);
    return ret;
}

int gd_svc_collab_act(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                      const struct gd_collab_act *in, struct gd_arena *a, struct gd_workorder *out,
                      struct gd_err *err)
{
    return gd_svc__act_run(svc, actor, id, in, act_unit, a, out, err);
}

int gd_svc_collab_get(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                      struct gd_collab *out, struct gd_attachment **atts, int *natts,
                      struct gd_err *err)
{
    int ret = GD_STORE(svc->store, collab_get, wo->shop_id, wo->id, a, out, err);
    if (!ret) {
        ret = GD_STORE(svc->store, attachments_list, wo->shop_id, wo->id, a, atts, natts, err);
    }
    return ret;
}

/* ---- timers (inside the deadline engine's transaction) ---- */

static int fire_reply_due(struct gd_svc *svc, const struct gd_deadline *d, struct gd_workorder *wo,
                          struct gd_arena *a, bool *changed, struct gd_err *err)
{
    struct gd_workorder before = *wo;
    const struct gd_collab_rules *rules;
    struct gd_collab c;
    struct gd_strbuf data = GD_STRBUF_INIT;
    int64_t now = gd_clock_now_ms();
    int ret;

    if (wo->state != GD_STATE_AWAITING_SELLER) {
        return GD_OK; /* the seller replied first */
    }
    if ((ret = GD_STORE(svc->store, collab_get, wo->shop_id, wo->id, a, &c, err)) ||
        (ret = gd_svc_rules_load(svc, c.rule_version, &rules, err))) {
        return ret;
    }
    if (c.replied_at || c.reply_due_at != d->due_at) {
        return GD_OK;
    }
    c.intervened_at = now;
    c.intervention_reason = "seller_timeout";
    gd_svc__kv_str(&data, "reason", "seller_timeout");
    gd_svc__kv_str(&data, "evidence", "waived"); /* 视为放弃举证 */
    if (!(ret = enter(svc, rules, wo, GD_STATE_INTERVENTION, 0, now, a, &data, err))) {
        ret = save(svc, &before, wo, &c, 0, "seller_timeout", &data, now, true, err);
    }
    gd_strbuf_release(&data);
    *changed = ret == GD_OK;
    return ret;
}

static int fire_remind(struct gd_svc *svc, const struct gd_deadline *d, struct gd_workorder *wo,
                       bool *changed, struct gd_err *err)
{
    struct gd_strbuf data = GD_STRBUF_INIT;
    int ret;

    if (wo->state != GD_STATE_AWAITING_SELLER || gd_clock_now_ms() >= wo->deadline_at) {
        return GD_OK; /* replied, or fired so late (after a restart) that it would announce a
                       * deadline already passed: the timeout says it all */
    }
    gd_svc__kv_id(&data, "reply_due_ms", wo->deadline_at);
    gd_svc__kv_id(&data, "before_ms", wo->deadline_at - d->due_at);
    gd_svc__kv_close(&data);
    ret = gd_svc__event(svc, wo, 0, "reminded", data.buf, gd_clock_now_ms(), err);
    gd_strbuf_release(&data);
    *changed = ret == GD_OK;
    return ret;
}

static int fire_appeal_window(struct gd_svc *svc, const struct gd_deadline *d,
                              struct gd_workorder *wo, struct gd_arena *a, bool *changed,
                              struct gd_err *err)
{
    struct gd_workorder before = *wo;
    struct gd_collab c;
    struct gd_strbuf data = GD_STRBUF_INIT;
    int64_t now = gd_clock_now_ms();
    int ret;

    if (wo->state != GD_STATE_JUDGED || wo->deadline_at != d->due_at) {
        return GD_OK; /* appealed in time */
    }
    if ((ret = GD_STORE(svc->store, collab_get, wo->shop_id, wo->id, a, &c, err))) {
        return ret;
    }
    c.finalized_at = now;
    gd_svc__kv_str(&data, "from", gd_state_name(wo->state));
    gd_svc__kv_str(&data, "to", gd_state_name(GD_STATE_FINAL));
    gd_svc__kv_str(&data, "reason", "appeal_window_passed");
    wo->state = GD_STATE_FINAL;
    wo->deadline_at = 0;
    wo->done_at = now;
    ret = save(svc, &before, wo, &c, 0, "finalized", &data, now, true, err);
    gd_strbuf_release(&data);
    *changed = ret == GD_OK;
    return ret;
}

static int fire_platform_due(struct gd_svc *svc, const struct gd_deadline *d,
                             struct gd_workorder *wo, bool *changed, struct gd_err *err)
{
    struct gd_strbuf data = GD_STRBUF_INIT;
    int ret;

    if (!gd_collab_is_platform_step(wo->state) || wo->deadline_at != d->due_at) {
        return GD_OK;
    }
    /* the platform's own lateness: visible to platform staff only */
    gd_svc__kv_str(&data, "step", gd_state_name(wo->state));
    gd_strbuf_adds(&data, ",\"internal\":true");
    gd_svc__kv_close(&data);
    ret = gd_svc__event(svc, wo, 0, "overdue", data.buf, gd_clock_now_ms(), err);
    gd_strbuf_release(&data);
    *changed = ret == GD_OK;
    return ret;
}

static int collab_fire(struct gd_svc *svc, const struct gd_deadline *d, struct gd_workorder *wo,
                       struct gd_arena *a, bool *changed, struct gd_err *err)
{
    if (wo->type != GD_TYPE_COLLAB) {
        return GD_OK;
    }
    if (strcmp(d->kind, K_REPLY_DUE) == 0) {
        return fire_reply_due(svc, d, wo, a, changed, err);
    }
    if (strcmp(d->kind, K_REMIND) == 0) {
        return fire_remind(svc, d, wo, changed, err);
    }
    if (strcmp(d->kind, K_APPEAL_WINDOW) == 0) {
        return fire_appeal_window(svc, d, wo, a, changed, err);
    }
    if (strcmp(d->kind, K_PLATFORM_DUE) == 0) {
        return fire_platform_due(svc, d, wo, changed, err);
    }
    gd_log(GD_LOG_WARN, "unknown timer kind=%s id=%lld", d->kind, (long long)d->id);
    return GD_OK;
}

/* The engine's handler for the collaborative timer kinds (see svc_int.h). Defined here, so the
 * reference from deadlines.c links this file into every program that fires timers. */
int (*gd_svc__collab_fire)(struct gd_svc *svc, const struct gd_deadline *d, struct gd_workorder *wo,
                           struct gd_arena *a, bool *changed, struct gd_err *err) = collab_fire;
