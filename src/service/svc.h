/* Use cases: one function per user action. Each opens a transaction, loads, asks core whether
 * the action is allowed and what it changes, writes it all through store.h, commits, then tells
 * the live-update hook and the scheduler.
 *
 * Ownership: results borrow from the arena `a` passed in. Thread safety: a struct gd_svc belongs
 * to one thread (it holds that thread's store handle); struct gd_svc_shared is shared and
 * internally locked. Errors: enum gd_status with a message naming the field. */
#ifndef GD_SERVICE_SVC_H
#define GD_SERVICE_SVC_H
#include <pthread.h>
#include "store/store.h"

#define GD_TITLE_MAX 200   /* characters */
#define GD_CONTENT_MAX 5000
#define GD_NOTE_MAX 2000
#define GD_NAME_MAX 64

/* State shared by every thread's service: throttling and the after-commit hooks. */
struct gd_svc_shared {
    pthread_mutex_t lock;
    struct gd_login_fail {
        char username[GD_NAME_MAX + 1];
        int failures;
        int64_t first_at, locked_until;
    } fails[256];
    /* after a commit that changed work order `wo_id` of `shop_id` (live updates, webhooks) */
    void (*on_change)(void *ctx, int64_t shop_id, int64_t wo_id, int64_t version);
    void *on_change_ctx;
    /* after a commit that wrote a timer due at `due_at` (wakes the scheduler early) */
    void (*on_deadline)(void *ctx, int64_t due_at);
    void *on_deadline_ctx;
};

struct gd_svc {
    struct gd_store *store;
    struct gd_svc_shared *shared;
};

void gd_svc_shared_init(struct gd_svc_shared *sh);

/* ---- accounts ---- */
struct gd_login {
    char session[64]; /* the cookie value: shown once, stored hashed */
    char csrf[64];
    struct gd_user user;
};
int gd_svc_login(struct gd_svc *svc, const char *username, const char *password,
                 struct gd_arena *a, struct gd_login *out, struct gd_err *err);
int gd_svc_logout(struct gd_svc *svc, const char *session);
/* Resolves a session cookie or a bearer token to the acting user. */
int gd_svc_auth_session(struct gd_svc *svc, const char *session, struct gd_arena *a,
                        struct gd_actor *actor, const char **csrf, struct gd_err *err);
int gd_svc_auth_token(struct gd_svc *svc, const char *token, struct gd_arena *a,
                      struct gd_actor *actor, struct gd_err *err);
int gd_svc_shop_add(struct gd_svc *svc, const char *name, int64_t *id, struct gd_err *err);
int gd_svc_user_add(struct gd_svc *svc, int64_t shop_id, const char *username,
                    const char *display_name, int role, const char *password, int64_t *id,
                    struct gd_err *err);
/* Creates an API token for `user_id`; `out` receives the token text (shown once). */
int gd_svc_token_create(struct gd_svc *svc, int64_t user_id, const char *name, char out[64],
                        struct gd_err *err);
int gd_svc_users_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                      struct gd_user **out, int *count, struct gd_err *err);

/* ---- orders ---- */
int gd_svc_order_upsert(struct gd_svc *svc, const struct gd_actor *actor, struct gd_order *o,
                        struct gd_arena *a, bool *created, struct gd_err *err);
int gd_svc_order_get(struct gd_svc *svc, const struct gd_actor *actor, const char *order_no,
                     struct gd_arena *a, struct gd_order *out, struct gd_err *err);
int gd_svc_orders_search(struct gd_svc *svc, const struct gd_actor *actor, const char *q,
                         int limit, struct gd_arena *a, struct gd_order **out, int *count,
                         struct gd_err *err);
/* Validates one order (field limits, status, items JSON); used by the API and the importer. */
int gd_svc_order_validate(const struct gd_order *o, struct gd_err *err);

struct gd_import_report {
    int rows, stored, rejected;
    struct gd_import_error {
        int line;
        char reason[320];
    } errors[100]; /* the first 100 rejected rows */
};
/* Imports CSV text (header: order_no,buyer_nick,status,paid_amount,created_at,items) into a
 * shop: good rows are stored in one transaction, bad rows are reported with line and reason.
 * `progress` (may be NULL) is called every 1000 rows. */
int gd_svc_orders_import_csv(struct gd_svc *svc, int64_t shop_id, const char *csv, size_t len,
                             struct gd_import_report *rep, void (*progress)(int done, int total),
                             struct gd_err *err);

/* ---- work orders ---- */
struct gd_wo_input {
    int type;
    const char *title, *content;
    int64_t handler_id; /* 0 = none / default */
    int priority;       /* -1 = normal */
    int64_t deadline_at;
    bool has_deadline;  /* false = the type's default */
    const char *order_no;
    const char *buyer_nick; /* standalone work orders may name a buyer */
    const char *custom;
    const char *idem_key;
};

struct gd_act_input {
    int action;
    int64_t if_match;   /* 0 = no precondition */
    int64_t to;         /* assign/transfer target */
    const char *reason; /* transfer, reopen, cancel */
    const char *text;   /* note, chase, complete */
    /* edit */
    const char *title, *content;
    int priority;       /* -1 = unchanged */
    bool has_deadline;
    int64_t deadline_at; /* 0 with has_deadline = remove */
};

/* Renders a freshly created work order for the idempotency record (called inside the
 * transaction so a replay returns exactly the first response). */
typedef char *(*gd_render_fn)(void *ctx, const struct gd_workorder *wo);

int gd_svc_workorder_create(struct gd_svc *svc, const struct gd_actor *actor,
                            const struct gd_wo_input *in, gd_render_fn render, void *render_ctx,
                            struct gd_arena *a, struct gd_workorder *out, const char **replay,
                            struct gd_err *err);
int gd_svc_workorder_get(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         struct gd_arena *a, struct gd_workorder *out, struct gd_err *err);
int gd_svc_workorder_events(struct gd_svc *svc, const struct gd_workorder *wo,
                            struct gd_arena *a, struct gd_event **out, int *count,
                            struct gd_err *err);
int gd_svc_workorder_act(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         const struct gd_act_input *in, struct gd_arena *a,
                         struct gd_workorder *out, struct gd_err *err);
int gd_svc_workorders_list(struct gd_svc *svc, const struct gd_actor *actor,
                           struct gd_wo_filter *f, struct gd_arena *a,
                           struct gd_workorder **out, int *count, struct gd_err *err);

struct gd_counts {
    int64_t todo, created, assigned, overdue, due_soon, shop, collab_awaiting;
    bool has_shop;
    int64_t platform_verify, intervention, appeal_review;
};
int gd_svc_counts(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                  struct gd_counts *out, struct gd_err *err);

/* The actions the actor may take on `wo` now (for the UI): comma list into out. */
void gd_svc_allowed_actions(const struct gd_actor *actor, const struct gd_workorder *wo,
                            char *out, int n);

/* ---- deadlines ---- */
/* Fires one claimed timer in its own transaction; re-checks the work order first, so a timer
 * whose reason has gone (completed, replied) does nothing but is still marked fired. */
int gd_svc_deadline_fire(struct gd_svc *svc, const struct gd_deadline *d, struct gd_arena *a,
                         struct gd_err *err);
/* Claims up to `max` timers due at `now` and fires them in one transaction (one commit for the
 * batch); *fired = how many were claimed. */
int gd_svc_deadlines_run(struct gd_svc *svc, int64_t now, int max, int *fired,
                         struct gd_err *err);

#endif
