/* The work order: types, states, actions, and the transition table that says which action is
 * allowed in which state and where it leads. Pure data and decisions; no I/O.
 *
 * Ownership: string fields of struct gd_workorder are borrowed (usually from a request or
 * batch arena). Thread safety: the tables are constant. */
#ifndef GD_CORE_WORKORDER_H
#define GD_CORE_WORKORDER_H
#include <stdbool.h>
#include <stdint.h>

enum gd_wo_type {
    GD_TYPE_ORDER_REVIEW,
    GD_TYPE_SHIPPING,
    GD_TYPE_WAYBILL,
    GD_TYPE_OUT_OF_STOCK,
    GD_TYPE_AFTER_SALES,
    GD_TYPE_CUSTOMER_MEMO,
    GD_TYPE_TASK_MEMO,
    GD_TYPE_COLLAB,
    GD_TYPE_COUNT
};

enum gd_wo_state {
    GD_STATE_OPEN,
    GD_STATE_IN_PROGRESS,
    GD_STATE_DONE,
    GD_STATE_CANCELLED,
    /* collaborative work orders (协同工单) */
    GD_STATE_AWAITING_SELLER,
    GD_STATE_PLATFORM_VERIFY,
    GD_STATE_INTERVENTION,
    GD_STATE_JUDGED,
    GD_STATE_APPEAL_REVIEW,
    GD_STATE_RESOLVED,
    GD_STATE_FINAL,
    /* an ordinary work order waiting for the buyer (等待买家): its resolution target's clock is
     * paused until the work order moves again (docs/targets.md) */
    GD_STATE_WAITING_BUYER,
    GD_STATE_COUNT
};

enum gd_action {
    GD_ACT_ASSIGN,
    GD_ACT_TRANSFER,
    GD_ACT_NOTE,
    GD_ACT_CHASE,
    GD_ACT_START,
    GD_ACT_COMPLETE,
    GD_ACT_REOPEN,
    GD_ACT_CANCEL,
    GD_ACT_EDIT,
    GD_ACT_WAIT_BUYER, /* the last action of an ordinary work order */
    /* collaborative steps */
    GD_ACT_REPLY,
    GD_ACT_EVIDENCE,
    GD_ACT_VERIFY,
    GD_ACT_JUDGE,
    GD_ACT_APPEAL,
    GD_ACT_DECIDE_APPEAL,
    GD_ACT_COUNT
};

enum gd_priority { GD_PRIO_LOW, GD_PRIO_NORMAL, GD_PRIO_HIGH, GD_PRIO_URGENT, GD_PRIO_COUNT };

struct gd_workorder {
    int64_t id;
    int64_t shop_id;
    int64_t number; /* per-shop number for people: GD-000123 */
    int type;
    int state;
    int priority;
    const char *title;
    const char *content;
    int64_t handler_id; /* 0 = none */
    int64_t creator_id;
    const char *handler_name; /* filled by reads */
    const char *creator_name;
    const char *order_no; /* NULL = standalone */
    const char *buyer_nick;
    int64_t deadline_at; /* UTC ms; 0 = none */
    bool overdue;
    int64_t created_at;
    int64_t updated_at;
    int64_t first_action_at; /* 0 = not yet */
    int64_t done_at;
    int64_t transfers;
    int64_t version;
    const char *custom; /* JSON object text, "{}" when empty */
    const char *fields; /* the shop type's custom field values, JSON object by field key, "{}" */
};

/* A shop's own work order types (docs/types.md) are numbered from GD_TYPE_SHOP_FIRST within the
 * shop; their key is "x-<number>" (x-1000, x-1001 ...). Built-in keys are lowercase letters and
 * '_' only, so a shop's key never collides with one, now or later. They follow the ordinary
 * transition table; their names, deadline and default handler are the shop's (service/types.c). */
#define GD_TYPE_SHOP_FIRST 1000
#define GD_TYPE_SHOP_MAX 200 /* types one shop may define */
bool gd_type_is_shop(int type);

/* The type's key ("shipping", "x-1000"); "?" for a number that is no type. */
const char *gd_type_name(int type);
const char *gd_type_label_zh(int type); /* a built-in type's name ("?" for a shop's) */
const char *gd_type_label_en(int type);
int gd_type_parse(const char *s); /* -1 when unknown; a shop type's key parses to its number */
const char *gd_state_name(int state);
const char *gd_state_label_zh(int state);
int gd_state_parse(const char *s);
const char *gd_action_name(int action);
int gd_action_parse(const char *s);
const char *gd_priority_name(int prio);
int gd_priority_parse(const char *s);
/* The names of types [0, n) and of every state, joined by ", " into buf (the messages that
 * list what a field allows); returns buf. The tables above are the only list of them. */
const char *gd_type_list(char *buf, size_t size, int n);
const char *gd_state_list(char *buf, size_t size);

/* Default deadline after creation for a type, in ms; 0 = no deadline (memos). */
int64_t gd_type_default_deadline_ms(int type);

/* The state after `action` in `state`, or -1 when the action is not allowed there.
 * Actions that do not change the state (note, chase, transfer...) return `state`. */
int gd_transition(int type, int state, int action);
/* Unfinished: it still asks someone to act (open, in progress, awaiting the seller...). */
bool gd_state_is_active(int state);
bool gd_state_is_finished(int state);
/* What a list sorted by deadline orders on: the deadline still to meet; open work without one
 * after every deadline (INT64_MAX - 1), and finished work last (INT64_MAX), so a list by deadline
 * shows all open work (the overdue first) before the finished and cancelled work orders. */
int64_t gd_workorder_due_key(const struct gd_workorder *w);
/* Whether work order w is overdue at `now`: a shop's open work (not a collaborative case, which
 * is never flagged: docs/collab.md) with a deadline that has passed. Every write sets the stored
 * flag to this; between the deadline and its firing the flag is still false. */
bool gd_workorder_is_past_due(const struct gd_workorder *w, int64_t now);

/* The kinds of timeline event (what a webhook endpoint may subscribe to), NULL-terminated. */
extern const char *const gd_event_kinds[];
bool gd_event_kind_known(const char *kind);

#endif
