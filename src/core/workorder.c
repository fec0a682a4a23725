/* Names, labels and the transition table of work orders. */
#include "core/workorder.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct type_info {
    const char *name, *zh, *en;
    int64_t deadline_ms;
};

#define H (3600 * 1000LL)
static const struct type_info types[GD_TYPE_COUNT] = {
    [GD_TYPE_ORDER_REVIEW] = {"order_review", "审单", "Order review", 2 * H},
    [GD_TYPE_SHIPPING] = {"shipping", "发货", "Shipping", 24 * H},
    [GD_TYPE_WAYBILL] = {"waybill", "打单", "Waybill", 4 * H},
    [GD_TYPE_OUT_OF_STOCK] = {"out_of_stock", "缺货通知", "Out of stock", 24 * H},
    [GD_TYPE_AFTER_SALES] = {"after_sales", "售后处理", "After-sales", 48 * H},
    [GD_TYPE_CUSTOMER_MEMO] = {"customer_memo", "客户沟通备忘", "Customer memo", 0},
    [GD_TYPE_TASK_MEMO] = {"task_memo", "任务备忘", "Task memo", 72 * H},
    [GD_TYPE_COLLAB] = {"collab", "协同工单", "Collaborative", 24 * H},
};

static const char *const state_names[GD_STATE_COUNT][2] = {
    [GD_STATE_OPEN] = {"open", "待处理"},
    [GD_STATE_IN_PROGRESS] = {"in_progress", "处理中"},
    [GD_STATE_DONE] = {"done", "已完结"},
    [GD_STATE_CANCELLED] = {"cancelled", "已取消"},
    [GD_STATE_AWAITING_SELLER] = {"awaiting_seller", "待商家处理"},
    [GD_STATE_PLATFORM_VERIFY] = {"platform_verify", "平台核实"},
    [GD_STATE_INTERVENTION] = {"intervention", "平台介入"},
    [GD_STATE_JUDGED] = {"judged", "已判责"},
    [GD_STATE_APPEAL_REVIEW] = {"appeal_review", "申诉审核"},
    [GD_STATE_RESOLVED] = {"resolved", "已完结"},
    [GD_STATE_FINAL] = {"final", "已结案"},
    [GD_STATE_WAITING_BUYER] = {"waiting_buyer", "等待买家"},
};

static const char *const action_names[GD_ACT_COUNT] = {
    "assign", "transfer",   "note",  "chase",    "start",  "complete", "reopen", "cancel",
    "edit",   "wait_buyer", "reply", "evidence", "verify", "judge",    "appeal", "decide_appeal",
};

static const char *const prio_names[GD_PRIO_COUNT] = {"low", "normal", "high", "urgent"};

#define SAME -2 /* the action keeps the state */
#define NO -1

/* The ordinary work order: rows are states, columns actions. Waiting for the buyer is left by
 * start (the buyer answered: back to work), complete or cancel. */
static const signed char plain[GD_STATE_COUNT][GD_ACT_WAIT_BUYER + 1] = {
    /*                 assign transfer note chase start complete reopen cancel edit wait_buyer */
    [GD_STATE_OPEN] = {SAME, SAME, SAME, SAME, GD_STATE_IN_PROGRESS, GD_STATE_DONE, NO,
                       GD_STATE_CANCELLED, SAME, GD_STATE_WAITING_BUYER},
    [GD_STATE_IN_PROGRESS] = {SAME, SAME, SAME, SAME, NO, GD_STATE_DONE, NO, GD_STATE_CANCELLED,
                              SAME, GD_STATE_WAITING_BUYER},
    [GD_STATE_DONE] = {NO, NO, SAME, NO, NO, NO, GD_STATE_OPEN, NO, NO, NO},
    [GD_STATE_CANCELLED] = {NO, NO, SAME, NO, NO, NO, NO, NO, NO, NO},
    [GD_STATE_WAITING_BUYER] = {SAME, SAME, SAME, SAME, GD_STATE_IN_PROGRESS, GD_STATE_DONE, NO,
                                GD_STATE_CANCELLED, SAME, NO},
};

/* States of ordinary work orders (rows of `plain`); the collaborative states have no row. */
static bool is_plain_state(int state)
{
    return state <= GD_STATE_CANCELLED || state == GD_STATE_WAITING_BUYER;
}

/* The collaborative work order. Only the moves a person makes are here; the choice between
 * next states (by reply option, verification result) is made in core/collab. */
static int collab_transition(int state, int action)
{
    switch (action) {
    case GD_ACT_NOTE:
        return state;
    case GD_ACT_ASSIGN:
    case GD_ACT_TRANSFER:
        return state == GD_STATE_AWAITING_SELLER || state == GD_STATE_INTERVENTION ||
                       state == GD_STATE_PLATFORM_VERIFY || state == GD_STATE_APPEAL_REVIEW
                   ? state
                   : NO;
    case GD_ACT_REPLY:
        return state == GD_STATE_AWAITING_SELLER ? SAME : NO;
    case GD_ACT_EVIDENCE:
        return state == GD_STATE_PLATFORM_VERIFY || state == GD_STATE_INTERVENTION ? SAME : NO;
    case GD_ACT_VERIFY:
        return state == GD_STATE_PLATFORM_VERIFY ? SAME : NO;
    case GD_ACT_JUDGE:
        return state == GD_STATE_INTERVENTION ? GD_STATE_JUDGED : NO;
    case GD_ACT_APPEAL:
        return state == GD_STATE_JUDGED ? GD_STATE_APPEAL_REVIEW : NO;
    case GD_ACT_DECIDE_APPEAL:
        return state == GD_STATE_APPEAL_REVIEW ? GD_STATE_FINAL : NO;
    }
    return NO;
}

int gd_transition(int type, int state, int action)
{
    int next;

    if (state < 0 || state >= GD_STATE_COUNT || action < 0 || action >= GD_ACT_COUNT) {
        return -1;
    }
    if (type == GD_TYPE_COLLAB) {
        next = collab_transition(state, action);
    } else if (!is_plain_state(state) || action > GD_ACT_WAIT_BUYER) {
        next = NO;
    } else {
        next = plain[state][action];
    }
    return next == SAME ? state : next;
}

bool gd_state_is_active(int state)
{
    /* the platform's own collaborative steps ask a platform agent to act; waiting for the buyer
     * stays the handler's work (in their 待办) */
    return state == GD_STATE_OPEN || state == GD_STATE_IN_PROGRESS ||
           state == GD_STATE_WAITING_BUYER || state == GD_STATE_AWAITING_SELLER ||
           state == GD_STATE_PLATFORM_VERIFY || state == GD_STATE_INTERVENTION ||
           state == GD_STATE_APPEAL_REVIEW;
}

bool gd_state_is_finished(int state)
{
    return state == GD_STATE_DONE || state == GD_STATE_CANCELLED || state == GD_STATE_RESOLVED ||
           state == GD_STATE_FINAL;
}

int64_t gd_workorder_due_key(const struct gd_workorder *w)
{
    if (gd_state_is_finished(w->state)) {
        return INT64_MAX;
    }
    return w->deadline_at ? w->deadline_at : INT64_MAX - 1;
}

bool gd_workorder_is_past_due(const struct gd_workorder *w, int64_t now)
{
    /* an ordinary work order's: a collaborative case's late step is its own timers' business
     * (the seller's silence moves it on, the platform's lateness is an internal event) */
    return w->deadline_at && w->deadline_at <= now && is_plain_state(w->state) &&
           gd_state_is_active(w->state);
}

static int find(const char *s, const char *const *names, int count, size_t stride)
{
    if (!s) {
        return -1;
    }
    for (int i = 0; i < count; i++) {
        const char *name = *(const char *const *)((const char *)names + (size_t)i * stride);
        if (name && strcmp(s, name) == 0) {
            return i;
        }
    }
    return -1;
}

/* The keys of shop types, written once: gd_type_name hands out pointers that live as long as
 * the process, like the built-in names. */
static char shop_keys[GD_TYPE_SHOP_MAX][8];
static pthread_once_t shop_keys_once = PTHREAD_ONCE_INIT;

static void shop_keys_make(void)
{
    for (int i = 0; i < GD_TYPE_SHOP_MAX; i++) {
        snprintf(shop_keys[i], sizeof(shop_keys[i]), "x-%d", GD_TYPE_SHOP_FIRST + i);
    }
}

bool gd_type_is_shop(int t)
{
    return t >= GD_TYPE_SHOP_FIRST && t < GD_TYPE_SHOP_FIRST + GD_TYPE_SHOP_MAX;
}

const char *gd_type_name(int t)
{
    if (gd_type_is_shop(t)) {
        pthread_once(&shop_keys_once, shop_keys_make);
        return shop_keys[t - GD_TYPE_SHOP_FIRST];
    }
    return t >= 0 && t < GD_TYPE_COUNT ? types[t].name : "?";
}

const char *gd_type_label_zh(int t) { return t >= 0 && t < GD_TYPE_COUNT ? types[t].zh : "?"; }
const char *gd_type_label_en(int t) { return t >= 0 && t < GD_TYPE_COUNT ? types[t].en : "?"; }

int gd_type_parse(const char *s)
{
    if (s && s[0] == 'x' && s[1] == '-' && s[2] >= '1' && s[2] <= '9' && strlen(s) <= 6) {
        char *end;
        long n = strtol(s + 2, &end, 10);
        return !*end && gd_type_is_shop((int)n) ? (int)n : -1;
    }
    return find(s, &types[0].name, GD_TYPE_COUNT, sizeof(types[0]));
}
const char *gd_state_name(int s) { return s >= 0 && s < GD_STATE_COUNT ? state_names[s][0] : "?"; }
const char *gd_state_label_zh(int s)
{
    return s >= 0 && s < GD_STATE_COUNT ? state_names[s][1] : "?";
}
int gd_state_parse(const char *s)
{
    return find(s, &state_names[0][0], GD_STATE_COUNT, sizeof(state_names[0]));
}
const char *gd_action_name(int a) { return a >= 0 && a < GD_ACT_COUNT ? action_names[a] : "?"; }
int gd_action_parse(const char *s) { return find(s, action_names, GD_ACT_COUNT, sizeof(char *)); }
const char *gd_priority_name(int p) { return p >= 0 && p < GD_PRIO_COUNT ? prio_names[p] : "?"; }
int gd_priority_parse(const char *s) { return find(s, prio_names, GD_PRIO_COUNT, sizeof(char *)); }

static const char *join(char *buf, size_t size, const char *(*name)(int), int n)
{
    size_t len = 0;
    buf[0] = 0;
    for (int i = 0; i < n && len < size; i++) {
        int w = snprintf(buf + len, size - len, "%s%s", i ? ", " : "", name(i));
        len += w > 0 ? (size_t)w : 0;
    }
    return buf;
}

const char *gd_type_list(char *buf, size_t size, int n)
{
    return join(buf, size, gd_type_name, n < GD_TYPE_COUNT ? n : GD_TYPE_COUNT);
}

const char *gd_state_list(char *buf, size_t size)
{
    return join(buf, size, gd_state_name, GD_STATE_COUNT);
}

int64_t gd_type_default_deadline_ms(int type)
{
    return type >= 0 && type < GD_TYPE_COUNT ? types[type].deadline_ms : 0;
}

/* Kept in step with docs/webhooks.md and EVENT_KINDS in scripts/openapi.py. */
const char *const gd_event_kinds[] = {
    "created",
    "assigned",
    "transferred",
    "noted",
    "attached",
    "chased",
    "state_changed",
    "edited",
    "deadline_changed",
    "overdue",
    "reminded",
    "replied",
    "evidence_added",
    "verified",
    "judged",
    "appealed",
    "appeal_decided",
    "seller_timeout",
    "finalized",
    "assignment_failed",
    "target_reminded",
    "target_missed",
    NULL,
};

bool gd_event_kind_known(const char *kind)
{
    for (int i = 0; kind && gd_event_kinds[i]; i++) {
        if (strcmp(kind, gd_event_kinds[i]) == 0) {
            return true;
        }
    }
    return false;
}
