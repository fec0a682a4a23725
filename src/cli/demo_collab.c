/* The collaborative part of `gongdan demo`: cases the platform opened about each shop's orders,
 * played through the real services to every state a person should see: awaiting the seller
 * (with a live countdown, one nearly due), platform verification, intervention (one by seller
 * timeout, fired by the deadline engine at the end of the demo), judged, under appeal, resolved
 * and final. The clock is moved back so each step has believable times. */
#include "base/clock.h"
#include "cli/cli.h"

#define HOUR (3600 * 1000LL)

struct people {
    struct gd_actor agent, agent2, supervisor, lead;
};

static void actor_of(const struct gd_user *u, struct gd_actor *out)
{
    *out = (struct gd_actor){.user_id = u->id,
                             .shop_id = u->shop_id,
                             .role = u->role,
                             .username = u->username,
                             .display_name = u->display_name};
}

static bool find_people(struct gd_svc *svc, int64_t shop_id, struct gd_arena *a, struct people *p)
{
    struct gd_user *users;
    int n;
    bool lead = false, agent = false;

    if (GD_STORE(svc->store, users_list, 0, a, &users, &n, NULL) == GD_OK) {
        for (int i = 0; i < n; i++) {
            if (users[i].role == GD_ROLE_PLATFORM_AGENT && !agent) {
                actor_of(&users[i], &p->agent);
                p->agent2 = p->agent;
                agent = true;
            } else if (users[i].role == GD_ROLE_PLATFORM_AGENT) {
                actor_of(&users[i], &p->agent2);
            } else if (users[i].role == GD_ROLE_PLATFORM_SUPERVISOR) {
                actor_of(&users[i], &p->supervisor);
            }
        }
    }
    if (GD_STORE(svc->store, users_list, shop_id, a, &users, &n, NULL) == GD_OK) {
        for (int i = 0; i < n && !lead; i++) {
            if (users[i].role == GD_ROLE_SHOP_LEAD) {
                actor_of(&users[i], &p->lead);
                lead = true;
            }
        }
    }
    return lead && agent && p->supervisor.user_id;
}

struct demo_case {
    const char *category, *complaint, *remedy;
    int target; /* the state to play to */
    int64_t opened_ago;
};

static const struct demo_case cases[] = {
    {"描述不符", "收到的茶叶包装与详情页图片不一致，买家要求退货退款。", "return_refund",
     GD_STATE_AWAITING_SELLER, 2 * HOUR},
    {"物流问题", "物流显示已签收，买家表示未收到包裹。", "reship", GD_STATE_AWAITING_SELLER,
     21 * HOUR},
    {"质量问题", "买家反映收到的商品有破损，已提供照片。", "refund", GD_STATE_PLATFORM_VERIFY,
     30 * HOUR},
    {"未按约定时间发货", "商家承诺48小时发货，实际超过5天未发。", "refund", GD_STATE_INTERVENTION,
     40 * HOUR},
    {"退款纠纷", "买家已退货，商家迟迟未退款。", "refund", GD_STATE_JUDGED, 70 * HOUR},
    {"假冒商品", "买家质疑商品为仿冒品，要求退一赔三。", "return_refund", GD_STATE_APPEAL_REVIEW,
     90 * HOUR},
    {"描述不符", "商品规格与描述不符，双方协商后同意换货。", "exchange", GD_STATE_RESOLVED,
     100 * HOUR},
    {"发票问题", "买家要求补开发票，商家拒绝。", "refund", GD_STATE_FINAL, 200 * HOUR},
    {"售后服务", "买家多次联系客服无人回复。", "repair", -1 /* seller timeout */, 26 * HOUR},
};

static int step(struct gd_svc *svc, const struct gd_actor *who, int64_t id,
                struct gd_collab_act *in, struct gd_arena *a, int64_t at_offset, struct gd_err *err)
{
    struct gd_workorder wo;
    gd_clock_set_offset_ms(at_offset);
    return gd_svc_collab_act(svc, who, id, in, a, &wo, err);
}

static void play(struct gd_svc *svc, const struct people *p, int64_t shop_id, const char *order_no,
                 const struct demo_case *c, struct gd_arena *a)
{
    struct gd_collab_input in = {.shop_id = shop_id,
                                 .order_no = order_no,
                                 .category = c->category,
                                 .complaint = c->complaint,
                                 .remedy = c->remedy};
    struct gd_workorder wo;
    struct gd_err err = {0};
    const char *replay;
    int64_t t = -c->opened_ago; /* clock offset of each step */
    int ret;

    gd_clock_set_offset_ms(t);
    if (gd_svc_collab_create(svc, &p->agent, &in, NULL, NULL, a, &wo, &replay, &err)) {
        fprintf(stderr, "demo collab: %s\n", err.msg);
        return;
    }
    if (c->target == GD_STATE_AWAITING_SELLER || c->target < 0) {
        return; /* the timeout one is fired by the engine at the end of the demo */
    }
    struct gd_collab_act r = {.action = GD_ACT_REPLY,
                              .option = GD_REPLY_NOT_AGREED,
                              .contact_at = gd_clock_now_ms() + HOUR,
                              .description =
                                  "已电话联系买家，买家坚持全额退款，商家认为商品无质量问题。"};
    if (c->target == GD_STATE_PLATFORM_VERIFY) {
        r.option = GD_REPLY_OTHER;
        r.description = "买家留的电话为空号，已通过旺旺留言，请平台协助核实。";
    } else if (c->target == GD_STATE_RESOLVED) {
        r.option = GD_REPLY_AGREED;
        r.description = "已与买家协商一致，换货已寄出。";
    }
    t += 2 * HOUR;
    if ((ret = step(svc, &p->lead, wo.id, &r, a, t, &err)) || c->target == GD_STATE_RESOLVED ||
        c->target == GD_STATE_PLATFORM_VERIFY || c->target == GD_STATE_INTERVENTION) {
        goto out;
    }
    struct gd_collab_act j = {.action = GD_ACT_JUDGE,
                              .outcome = GD_OUTCOME_SUPPORT_BUYER,
                              .remedy = gd_remedy_parse(c->remedy),
                              .liable = GD_LIABLE_SELLER,
                              .reasoning = "商家未能提供有效凭证证明已履约，支持买家诉求。",
                              .rule_article = "《淘宝平台争议处理规则》第十八条"};
    t += 20 * HOUR;
    if ((ret = step(svc, &p->agent, wo.id, &j, a, t, &err)) || c->target == GD_STATE_JUDGED) {
        goto out;
    }
    struct gd_collab_act ap = {.action = GD_ACT_APPEAL,
                               .reason = "已补充发货凭证与聊天记录，请平台重新审核。"};
    t += 10 * HOUR;
    if ((ret = step(svc, &p->lead, wo.id, &ap, a, t, &err)) ||
        c->target == GD_STATE_APPEAL_REVIEW) {
        goto out;
    }
    struct gd_collab_act d = {.action = GD_ACT_DECIDE_APPEAL,
                              .overturned = false,
                              .remark = "申诉材料不足以推翻原判，维持原判。"};
    t += 24 * HOUR;
    ret = step(svc, &p->supervisor, wo.id, &d, a, t, &err);
out:
    if (ret) {
        fprintf(stderr, "demo collab step: %s\n", err.msg);
    }
}

void gd_demo_collab(struct gd_svc *svc, struct gd_arena *a, int64_t shop_ids[2])
{
    const struct gd_collab_rules *rules;
    gd_svc_rules_load(svc, 0, &rules, NULL); /* version 1 is stored now, not in the past */
    for (int s = 0; s < 2; s++) {
        struct people p = {0};
        struct gd_order *orders;
        int n;
        if (!find_people(svc, shop_ids[s], a, &p) ||
            GD_STORE(svc->store, orders_search, shop_ids[s], "", 40, a, &orders, &n, NULL) ||
            n < (int)(sizeof(cases) / sizeof(*cases))) {
            fprintf(stderr, "demo collab: no platform staff or orders\n");
            return;
        }
        for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
            if (s == 1 && i % 2) {
                continue; /* the second shop gets fewer */
            }
            play(svc, &p, shop_ids[s], orders[i].order_no, &cases[i], a);
        }
    }
    gd_clock_set_offset_ms(0);
}
