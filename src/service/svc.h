/* Use cases: one function per user action. Each write is one unit of work (uow.c): it loads,
 * asks core whether the action is allowed and what it changes, writes it all through store.h
 * in one transaction (run again whole when the database asks), and once committed tells the
 * live-update hook and the scheduler.
 *
 * Ownership: results borrow from the arena `a` passed in. Thread safety: a struct gd_svc belongs
 * to one thread (it holds that thread's store handle); struct gd_svc_shared is shared and
 * internally locked. Errors: enum gd_status with a message naming the field. */
#ifndef GD_SERVICE_SVC_H
#define GD_SERVICE_SVC_H
#include <pthread.h>
#include "base/strbuf.h"
#include "base/worker.h"
#include "core/collab.h"
#include "store/store.h"

#define GD_TITLE_MAX 200 /* characters */
#define GD_CONTENT_MAX 5000
#define GD_NOTE_MAX 2000
#define GD_NAME_MAX 64

/* State shared by every thread's service: the after-commit hooks. */
struct gd_svc_shared {
    pthread_mutex_t lock;
    /* after a commit that changed work order `wo` (live updates, webhooks); the whole work order,
     * so a listener can ask core/perm who may learn of it; NULL when another node's changes may
     * have been missed (service/cluster.h): everyone refreshes */
    void (*on_change)(void *ctx, const struct gd_workorder *wo);
    void *on_change_ctx;
    /* after a commit that wrote a timer due at `due_at` (wakes the scheduler early) */
    void (*on_deadline)(void *ctx, int64_t due_at);
    void *on_deadline_ctx;
    /* moves on every revoked credential (sign-out...): live streams then check theirs */
    _Atomic long revocations;
    /* this process's node slot on a shared database (cluster.h), -1 = none: the origin of the
     * change notifications it sends, so it skips its own when they come back */
    int node_slot;
    /* gongdan serve --webhook-allow-private: webhooks and group robots may name addresses that
     * are not public (the operator's own network) */
    bool webhook_private;
};

struct gd_svc {
    struct gd_store *store;
    struct gd_svc_shared *shared;
    /* the last shop whose time zone the statistics looked up: a firing batch or an import
     * touches one shop after another, and its zone does not change under a running process */
    int64_t tz_shop_id;
    int tz_offset_min;
    /* set while a batch of changes shares one transaction: counter moves are summed (batch.c) */
    struct gd_svc_batch *batch;
    /* set while a unit of work runs (uow.c): its after-commit callbacks */
    struct gd_svc_uow *uow;
};

void gd_svc_shared_init(struct gd_svc_shared *sh);

/* Opens the service's own connection to the database at `db_url` (store.h's URLs), with the
 * migrations it lacks applied first when `migrate`; gd_svc_close closes it. */
int gd_svc_open(struct gd_svc *svc, const char *db_url, bool migrate, struct gd_err *err);
void gd_svc_close(struct gd_svc *svc);
/* Brings the existing database at `db_url` up to the current schema (a server's start). */
int gd_svc_migrate_db(const char *db_url, struct gd_err *err);

/* Appends the unit-of-work runner's retry counters (Prometheus text). */
void gd_svc_uow_metrics(struct gd_strbuf *sb);
/* Test hook: the next `attempts` units of work answer GD_ERETRY just before their commit, after
 * their writes (which are then rolled back), as a serialization failure would. */
void gd_svc_uow_inject_retry(int attempts);

/* ---- accounts ---- */
struct gd_login {
    char session[64]; /* the cookie value: shown once, stored hashed */
    char csrf[64];
    struct gd_user user;
    int64_t retry_after_s; /* with GD_ELIMIT: when the lock ends */
};
/* A user and a shop by id, for the caller's own account (GET /me, sign-in) and for what the
 * caller already may see (the shop of a visible work order, of the statistics it reads). */
int gd_svc_user_get(struct gd_svc *svc, int64_t user_id, struct gd_arena *a, struct gd_user *out,
                    struct gd_err *err);
int gd_svc_shop_get(struct gd_svc *svc, int64_t shop_id, struct gd_arena *a, struct gd_shop *out,
                    struct gd_err *err);
/* Signs in, throttled per account and per `client_addr` (accounts.c states the rule). */
int gd_svc_login(struct gd_svc *svc, const char *username, const char *password,
                 const char *client_addr, struct gd_arena *a, struct gd_login *out,
                 struct gd_err *err);
/* Appends the sign-in metrics (Prometheus text). */
void gd_svc_signin_metrics(struct gd_strbuf *sb);
int gd_svc_logout(struct gd_svc *svc, const char *session);
/* The generation an authentication read for its request (the shop_generation of the user's
 * shop, read after the request arrived and before anything about the user): the same request's
 * view cache takes it instead of reading again (gd_svc_view_generation). Lives as long as the
 * request; `set` false when none was read. */
struct gd_svc_gen {
    int64_t shop_id;
    int64_t value;
    bool set;
};
/* Resolves a session cookie or a bearer token to the acting user, from the per-thread cache of
 * principals while the generation of their shop has not moved (credcache.c), else from the
 * database. `gen` (NULL allowed) receives the generation read, if any. */
int gd_svc_auth_session(struct gd_svc *svc, const char *session, struct gd_arena *a,
                        struct gd_actor *actor, const char **csrf, struct gd_svc_gen *gen,
                        struct gd_err *err);
int gd_svc_auth_token(struct gd_svc *svc, const char *token, struct gd_arena *a,
                      struct gd_actor *actor, struct gd_svc_gen *gen, struct gd_err *err);
/* Hits and misses of the principals' cache (Prometheus text). */
void gd_svc_credcache_metrics(struct gd_strbuf *sb);
/* A credential a long-lived connection was opened with: the SHA-256 digest of its session
 * cookie or API token, and the user it stood for. */
enum gd_credential_kind { GD_CRED_SESSION, GD_CRED_TOKEN };
struct gd_credential {
    int kind;
    char digest[65];
    int64_t user_id;
};
/* *live = the credential still stands for its user (not signed out, revoked or expired). */
int gd_svc_credential_check(struct gd_svc *svc, const struct gd_credential *c, bool *live,
                            struct gd_err *err);
/* How many credentials have been revoked in this process (a change means: check yours). */
long gd_svc_revocations(const struct gd_svc_shared *sh);
int gd_svc_shop_add(struct gd_svc *svc, const char *name, int64_t *id, struct gd_err *err);
int gd_svc_user_add(struct gd_svc *svc, int64_t shop_id, const char *username,
                    const char *display_name, int role, const char *password, int64_t *id,
                    struct gd_err *err);
/* Creates an API token for `user_id`; `out` receives the token text (shown once). */
int gd_svc_token_create(struct gd_svc *svc, int64_t user_id, const char *name, char out[64],
                        struct gd_err *err);
/* The shops the actor may name: every shop for platform staff, their own for shop staff. */
int gd_svc_shops_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                      struct gd_shop **out, int *count, struct gd_err *err);
/* The users of the actor's shop; platform staff: `shop_id`'s (0 = platform staff). */
int gd_svc_users_list(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                      struct gd_arena *a, struct gd_user **out, int *count, struct gd_err *err);

/* ---- people (people.c, docs/people.md): each change is one transaction with its audit event;
 * a refused change writes nothing ---- */
/* An owner or lead adds a user to their shop (a lead: agents and leads); a platform admin to
 * shop `shop_id`, or platform staff with 0. The user must change the password at first
 * sign-in. */
int gd_svc_user_create(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                       const char *username, const char *display_name, int role,
                       const char *password, struct gd_arena *a, struct gd_user *out,
                       struct gd_err *err);
/* What a manager changes about a user: NULL / -1 leave a field as it is. */
struct gd_user_change {
    const char *display_name;
    int role;
    int active; /* 0 deactivates (sessions and tokens end at once), 1 reactivates */
};
int gd_svc_user_change(struct gd_svc *svc, const struct gd_actor *actor, int64_t user_id,
                       const struct gd_user_change *c, struct gd_arena *a, struct gd_user *out,
                       struct gd_err *err);
/* Sets a new password the user must change at next sign-in; their sessions and tokens end. */
int gd_svc_user_reset_password(struct gd_svc *svc, const struct gd_actor *actor, int64_t user_id,
                               const char *password, struct gd_err *err);
/* The actor's own display name, and own password (the current one required). */
int gd_svc_me_rename(struct gd_svc *svc, const struct gd_actor *actor, const char *display_name,
                     struct gd_err *err);
int gd_svc_me_password(struct gd_svc *svc, const struct gd_actor *actor, const char *current,
                       const char *password, struct gd_err *err);
/* Platform admins: a new shop; a shop renamed (name != NULL) and/or (de)activated (active
 * 0/1, -1 = leave): a deactivated shop's users cannot sign in and their sessions end. */
int gd_svc_shop_create(struct gd_svc *svc, const struct gd_actor *actor, const char *name,
                       struct gd_arena *a, struct gd_shop *out, struct gd_err *err);
int gd_svc_shop_change(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                       const char *name, int active, struct gd_arena *a, struct gd_shop *out,
                       struct gd_err *err);
/* The audit log, newest first: an owner reads their shop's, a platform admin `shop_id`'s
 * (0 = everything). */
int gd_svc_audit_list(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                      int64_t before_id, int limit, struct gd_arena *a, struct gd_audit_event **out,
                      int *count, struct gd_err *err);

/* ---- orders ---- */
/* Who writes orders (core/perm gd_perm_can_write_orders), as a refusal says it. */
#define GD_ORDERS_WRITERS                                                   \
    "orders come from the shop's order system: the owner, leads and their " \
    "API tokens write them (PUT and CSV import); agents read them"

int gd_svc_order_upsert(struct gd_svc *svc, const struct gd_actor *actor, struct gd_order *o,
                        struct gd_arena *a, bool *created, struct gd_err *err);
int gd_svc_order_get(struct gd_svc *svc, const struct gd_actor *actor, const char *order_no,
                     struct gd_arena *a, struct gd_order *out, struct gd_err *err);
int gd_svc_orders_search(struct gd_svc *svc, const struct gd_actor *actor, const char *q, int limit,
                         struct gd_arena *a, struct gd_order **out, int *count, struct gd_err *err);
/* Validates one order (field limits, status, items JSON); used by the API and the importer. */
int gd_svc_order_validate(const struct gd_order *o, struct gd_err *err);
/* The order a visible work order is about (GD_ENOTFOUND when it has none or it is gone). */
int gd_svc_workorder_order(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                           struct gd_order *out, struct gd_err *err);

struct gd_import_report {
    int rows, stored, rejected;
    int stopped_at_line; /* after a database failure: nothing from this line on was stored */
    struct gd_import_error {
        int line;
        char reason[320];
    } errors[100]; /* the first 100 rejected rows */
};
#define IMPORT_MAX_LINES 100000 /* lines after the header of one import (413 too_large) */
/* Imports CSV text (header: order_no,buyer_nick,status,paid_amount,created_at,items) into a
 * shop: good rows are stored in transactions of 500 rows (other shops write in between), bad
 * rows are reported with line and reason. A database failure stops it with GD_EDB: the rows of
 * the chunks committed before stay (rep->stored), rep->stopped_at_line says from which line
 * nothing was. One import per shop at a time (GD_ELIMIT otherwise); at most IMPORT_MAX_LINES
 * lines (GD_ETOOBIG). `progress` (may be NULL) is called every 1000 rows. */
int gd_svc_orders_import_csv(struct gd_svc *svc, int64_t shop_id, const char *csv, size_t len,
                             struct gd_import_report *rep, void (*progress)(int done, int total),
                             struct gd_err *err);
/* Refuses (GD_ELIMIT, counted like the import's own refusal) an import of a shop that has one
 * running in this process, so that a second one is refused before its file is sent; the import
 * itself still claims the shop (on PostgreSQL across nodes) and may be refused then. */
int gd_svc_import_admits(int64_t shop_id, struct gd_err *err);
/* Appends the import limits' refusal counters (Prometheus text). */
void gd_svc_import_metrics(struct gd_strbuf *sb);

/* ---- retention (retention.c): the janitor pass ---- */
#define GD_RETAIN_IDEM_MS (24 * 3600 * 1000LL)       /* idempotency keys */
#define GD_RETAIN_UPLOAD_MS (24 * 3600 * 1000LL)     /* uploads never linked to a work order */
#define GD_RETAIN_EXPORT_MS (7 * 24 * 3600 * 1000LL) /* export files after the job finished */
#define GD_RETAIN_TIMER_MS (30 * 24 * 3600 * 1000LL) /* fired or cancelled timers after due */
/* Removes what has outlived its rule at `now` (sessions at expiry, the rest by the ages above);
 * files live under `data_dir` (NULL: rows only). *removed counts everything removed. */
int gd_svc_retention_run(struct gd_svc *svc, const char *data_dir, int64_t now, int *removed,
                         struct gd_err *err);
/* Appends the storage hardening metrics (retention, statement cache, import limits). */
void gd_svc_storage_metrics(struct gd_strbuf *sb);

/* ---- work orders ---- */
struct gd_wo_input {
    int type;
    const char *title, *content;
    int64_t handler_id; /* 0 = none / default */
    int priority;       /* -1 = normal */
    int64_t deadline_at;
    bool has_deadline; /* false = the type's default */
    const char *order_no;
    const char *buyer_nick; /* standalone work orders may name a buyer */
    const char *custom;
    const char *fields;            /* custom field values (JSON object by key), NULL = none sent */
    const int64_t *attachment_ids; /* the creator's uploads to link (POST /attachments) */
    int nattachments;
    const char *idem_key;
    const char *idem_digest; /* of the request that carries the key */
};

struct gd_act_input {
    int action;
    int64_t if_match;   /* 0 = no precondition */
    int64_t to;         /* assign/transfer target */
    const char *reason; /* transfer, reopen, cancel */
    const char *text;   /* note, chase, complete */
    /* edit */
    const char *title, *content;
    int priority; /* -1 = unchanged */
    bool has_deadline;
    int64_t deadline_at; /* 0 with has_deadline = remove */
    const char *fields;  /* custom field values to set (null clears one); NULL = unchanged */
    /* note: uploads to link; a note of files alone (no text) is the event "attached" */
    const int64_t *attachment_ids;
    int nattachments;
};

/* Renders what a create made (a work order, an export job, a webhook) as its answer, for the
 * idempotency record (called inside the unit of work, so a replay returns exactly the first
 * answer); the caller frees the text. */
typedef char *(*gd_render_fn)(void *ctx, const void *made);

/* The Idempotency-Key of a create (key NULL: none), decided inside the create's unit of work:
 * the first answer (status, and the body `render` makes of what was created) commits with the
 * create, and a request sending the key again gets it back in `replay` (nothing is created);
 * sent with another request, GD_EREUSED. */
struct gd_idem {
    const char *key, *digest; /* digest: of the request (method, route, body) */
    int status;
    gd_render_fn render;
    void *ctx;
    const char *replay; /* set by the service */
};

int gd_svc_workorder_create(struct gd_svc *svc, const struct gd_actor *actor,
                            const struct gd_wo_input *in, gd_render_fn render, void *render_ctx,
                            struct gd_arena *a, struct gd_workorder *out, const char **replay,
                            struct gd_err *err);
int gd_svc_workorder_get(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         struct gd_arena *a, struct gd_workorder *out, struct gd_err *err);
int gd_svc_workorder_events(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                            struct gd_event **out, int *count, struct gd_err *err);
int gd_svc_workorder_act(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         const struct gd_act_input *in, struct gd_arena *a,
                         struct gd_workorder *out, struct gd_err *err);
int gd_svc_workorders_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_wo_filter *f,
                           struct gd_arena *a, struct gd_workorder **out, int *count,
                           struct gd_err *err);
/* The same list's keys only (store.h, workorders_list_keys: id, shop, version, state, deadline,
 * the two people and their names), for a caller that keeps rendered rows by those keys; then
 * gd_svc_workorders_list_rows reads in full the n of them it has not kept (keys[i] into
 * out[i], out[i].id 0 when the row is gone). The keys must come from the first call: they
 * carry the view's rules (the shop of each row). `known` (NULL allowed): the generation this
 * request's authentication read; with it the names come from a per-thread cache valid for that
 * generation (namecache.c) instead of the keys statement. */
int gd_svc_workorders_list_keys(struct gd_svc *svc, const struct gd_actor *actor,
                                struct gd_wo_filter *f, const struct gd_svc_gen *known,
                                struct gd_arena *a, struct gd_workorder **out, int *count,
                                struct gd_err *err);
int gd_svc_workorders_list_rows(struct gd_svc *svc, const struct gd_workorder *const *keys, int n,
                                struct gd_arena *a, struct gd_workorder *out, struct gd_err *err);
/* How many work orders the list `f` would show the actor (the same view rules as the list),
 * counting at most `cap`. */
int gd_svc_workorders_count(struct gd_svc *svc, const struct gd_actor *actor,
                            struct gd_wo_filter *f, int cap, int64_t *out, struct gd_err *err);

/* Adds the list filter field[<key>]=value (a work order whose custom field `key` of the actor's
 * shop holds `value`, or lists it as one of its options) to `f`: GD_EINVAL naming "field[<key>]"
 * for an unknown key, a value of the wrong kind, a long text field, or more than
 * GD_FIELD_FILTERS_MAX filters. */
int gd_svc_workorders_field_filter(struct gd_svc *svc, const struct gd_actor *actor,
                                   const char *key, const char *value, struct gd_wo_filter *f,
                                   struct gd_arena *a, struct gd_err *err);

/* ---- work order types and custom fields a shop defines (types.c, docs/types.md) ---- */
/* What a create or a change sends; NULL and has_ false = not sent (a change keeps it). */
struct gd_shop_type_input {
    const char *name_zh, *name_en, *color;
    bool has_deadline, has_handler;
    int64_t deadline_hours; /* 0 = none */
    int64_t handler_id;     /* 0 = none */
    int retired;            /* -1 = not sent */
};
struct gd_shop_field_input {
    const char *key, *label_zh, *label_en;
    int kind;            /* -1 = not sent (a change never changes it) */
    int required;        /* -1 = not sent */
    const char *options; /* JSON array text; NULL = not sent */
    bool has_position;
    int position;
    int retired; /* -1 = not sent */
};
/* Every type of the actor's shop (retired ones too) and every field of them; for a shop's
 * users (platform staff: GD_EPERM). */
int gd_svc_wo_types_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                         struct gd_shop_type **types, int *ntypes, struct gd_shop_field **fields,
                         int *nfields, struct gd_err *err);
/* Owners and leads only (GD_EPERM). Names 1 to 30 characters, colour #rrggbb, deadline 0 to
 * 8760 hours, handler an active user of the shop, at most GD_TYPE_SHOP_MAX types: GD_EINVAL
 * naming the field. A type is never deleted: it is retired. */
int gd_svc_wo_type_create(struct gd_svc *svc, const struct gd_actor *actor,
                          const struct gd_shop_type_input *in, struct gd_arena *a,
                          struct gd_shop_type *out, struct gd_err *err);
int gd_svc_wo_type_update(struct gd_svc *svc, const struct gd_actor *actor, int code,
                          const struct gd_shop_type_input *in, struct gd_arena *a,
                          struct gd_shop_type *out, struct gd_err *err);
/* A field of shop type `code`: key [a-z][a-z0-9_]{0,31} unique in the shop (GD_ECONFLICT),
 * labels 1 to 30 characters, options (choice kinds only, and required there) 1 to
 * GD_FIELD_OPTIONS_MAX distinct texts, at most GD_FIELDS_PER_TYPE_MAX fields per type. */
int gd_svc_wo_field_create(struct gd_svc *svc, const struct gd_actor *actor, int code,
                           const struct gd_shop_field_input *in, struct gd_arena *a,
                           struct gd_shop_field *out, struct gd_err *err);
int gd_svc_wo_field_update(struct gd_svc *svc, const struct gd_actor *actor, int code,
                           const char *key, const struct gd_shop_field_input *in,
                           struct gd_arena *a, struct gd_shop_field *out, struct gd_err *err);

/* Bulk work (service/bulk.c, docs/bulk.md): a lead's action on many work orders, each in its
 * own unit of work, so an item is done whole or not at all and one failing item stops no other.
 * `items` name distinct work orders (the route refuses a repeated id before anything is done).
 * Only the first GD_BULK_MAX ids are acted on; the rest fail by name (GD_ETOOBIG), as does one
 * the lead may not open (GD_ENOTFOUND: another shop's). The
 * request fails as a whole only when the actor is not a lead or owner (GD_EPERM) or the action
 * is not one bulk work takes (GD_EINVAL, field action). */
#define GD_BULK_MAX 500
struct gd_bulk_item {
    int64_t id;
    struct gd_err err; /* code GD_OK: done */
    int64_t version;   /* done: the work order's version after it */
};
int gd_svc_workorders_bulk(struct gd_svc *svc, const struct gd_actor *actor,
                           const struct gd_act_input *in, struct gd_bulk_item *items, int n,
                           struct gd_arena *a, struct gd_err *err);

struct gd_counts {
    int64_t todo, created, assigned, overdue, due_soon, shop, collab_awaiting;
    bool has_shop;
    int64_t platform_verify, intervention, appeal_review;
};
int gd_svc_counts(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                  struct gd_counts *out, struct gd_err *err);

/* The actions the actor may take on `wo` now (for the UI): comma list into out. */
void gd_svc_allowed_actions(const struct gd_actor *actor, const struct gd_workorder *wo, char *out,
                            int n);

/* The buyer's history on a work order page (service/buyer_history.c), over what the reader may
 * open: the buyer's newest orders in the shop and newest work orders (more = there are older
 * ones), and how their collaborative cases (disputes) stand; no orders for platform staff. A
 * work order without a buyer has an empty history (buyer_nick NULL). */
#define GD_BUYER_HISTORY_ORDERS 20
#define GD_BUYER_HISTORY_WORKORDERS 50
struct gd_buyer_history {
    const char *buyer_nick;
    struct gd_order *orders;
    int norders;
    struct gd_workorder *workorders;
    int nworkorders;
    bool more;
    int disputes, disputes_open, disputes_settled, disputes_for_buyer, disputes_for_seller;
};
int gd_svc_buyer_history(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         struct gd_arena *a, struct gd_buyer_history *out, struct gd_err *err);
/* The same history keyed by an order of the actor's shop (its buyer) or by a buyer's nick:
 * exactly one of them (the chat-side panel, docs/panel.md); shop staff only. */
int gd_svc_buyer_history_of(struct gd_svc *svc, const struct gd_actor *actor, const char *order_no,
                            const char *buyer, struct gd_arena *a, struct gd_buyer_history *out,
                            struct gd_err *err);

/* ---- time targets (service/targets.c, docs/targets.md) ---- */
/* The actor's shop's hours and policies (its users; platform staff: GD_EPERM). */
int gd_svc_targets_get(struct gd_svc *svc, const struct gd_actor *actor,
                       struct gd_target_settings *out, struct gd_err *err);
/* Replaces them (owner and leads), validated: GD_EINVAL naming the field (hours,
 * types[i].type, types[i].resolution_minutes...); *out is what is stored now. They apply to
 * work orders made from now on. */
int gd_svc_targets_put(struct gd_svc *svc, const struct gd_actor *actor,
                       const struct gd_target_settings *in, struct gd_target_settings *out,
                       struct gd_err *err);
/* A work order's targets as its page shows them now: the row, and the working time left to each
 * pending target (while paused: what the pause keeps), the time paused so far (this pause
 * included) and whether it is paused. */
struct gd_targets_view {
    struct gd_wo_target t;
    int type;
    bool paused;
    int64_t fr_left_ms, res_left_ms, paused_ms;
};
/* The targets of work order `id` if the actor may open it (*has false: it has none). */
int gd_svc_workorder_targets(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                             struct gd_arena *a, struct gd_targets_view *out, bool *has,
                             struct gd_err *err);
/* Targets met and missed of the shop's work orders created in [from, to), summed by type
 * (handler_id -1 in each row) and by handler (type -1; handler 0: nobody), into `a` (owner and
 * leads). */
struct gd_target_stats {
    struct gd_target_count *by_type, *by_handler;
    int ntypes, nhandlers;
};
int gd_svc_target_stats(struct gd_svc *svc, const struct gd_actor *actor, int64_t from, int64_t to,
                        struct gd_arena *a, struct gd_target_stats *out, struct gd_err *err);

/* ---- the chat-side panel (service/panel.c, docs/panel.md) ---- */
#define GD_PANEL_ORIGINS_MAX 10 /* origins one shop lists */
#define GD_PANEL_ORIGIN_MAX 200 /* characters of one */
#define GD_PANEL_LINK_MAX_S 300 /* how far ahead a link's exp may be */
#define GD_PANEL_SECRET_LEN 64
struct gd_panel_settings {
    const char *origins; /* space-separated origins allowed to frame /panel; "" = none */
    bool has_secret;
};
/* A shop's panel settings (its owner and leads). */
int gd_svc_panel_settings_get(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                              struct gd_panel_settings *out, struct gd_err *err);
/* Replaces the origins allowed to frame the shop's panel (at most GD_PANEL_ORIGINS_MAX). */
int gd_svc_panel_origins_set(struct gd_svc *svc, const struct gd_actor *actor,
                             const char *const *origins, int n, struct gd_arena *a,
                             struct gd_panel_settings *out, struct gd_err *err);
/* Makes a new link-signing secret (shown once): links signed with the old one stop working. */
int gd_svc_panel_secret_rotate(struct gd_svc *svc, const struct gd_actor *actor,
                               char out[GD_PANEL_SECRET_LEN], struct gd_err *err);
/* The origins allowed to frame shop `shop_id`'s panel ("" for none, or shop 0). */
int gd_svc_panel_frame_origins(struct gd_svc *svc, int64_t shop_id, struct gd_arena *a,
                               const char **origins, struct gd_err *err);
/* A signed panel link's parameters, as received (NULL when absent). */
struct gd_panel_link {
    const char *shop, *user, *order_no, *buyer, *exp, *sig;
};
/* The text a link's signature is the HMAC-SHA256 of. */
const char *gd_svc_panel_link_message(struct gd_arena *a, int64_t shop_id, const char *user,
                                      const char *order_no, const char *buyer, int64_t exp);
/* Exchanges a signed link for a session of its user (once per link). */
int gd_svc_panel_link_signin(struct gd_svc *svc, const struct gd_panel_link *l, struct gd_arena *a,
                             struct gd_login *out, struct gd_err *err);

/* ---- deadlines ---- */
/* Fires one claimed timer in its own transaction; re-checks the work order first, so a timer
 * whose reason has gone (completed, replied) does nothing but is still taken (deleted). */
int gd_svc_deadline_fire(struct gd_svc *svc, const struct gd_deadline *d, struct gd_arena *a,
                         struct gd_err *err);
/* Claims up to `max` timers due at `now` and fires them in one transaction (one commit for the
 * batch); *fired = how many were claimed. */
int gd_svc_deadlines_run(struct gd_svc *svc, int64_t now, int max, int *fired, struct gd_err *err);

/* ---- collaborative work orders (service/rules.c, collab.c, attachments.c) ---- */

/* A version of the platform rules as the API shows it: the JSON object with version and
 * created_at filled in (from arena `a`). */
struct gd_rules_doc {
    int64_t version;
    int64_t created_at;
    const char *json;
};
/* Version `version` (0 = in force now; the built-in defaults become version 1 on first use). */
int gd_svc_rules_get(struct gd_svc *svc, int64_t version, struct gd_arena *a,
                     struct gd_rules_doc *out, struct gd_err *err);
/* Stores a new version (platform_admin). Fields not in `json` keep their current values;
 * version and created_at in the body are ignored, so a GET body can be edited and sent back. */
int gd_svc_rules_put(struct gd_svc *svc, const struct gd_actor *actor, const char *json, size_t len,
                     struct gd_arena *a, struct gd_rules_doc *out, struct gd_err *err);
/* The parsed rules of `version` (0 = current). Parsed rules are cached for the life of the
 * process (a version never changes); the pointer stays valid until exit. */
int gd_svc_rules_load(struct gd_svc *svc, int64_t version, const struct gd_collab_rules **out,
                      struct gd_err *err);
/* Parses and validates a complete rules object; errors name the field ("reply_options[1].code"). */
int gd_svc_rules_parse(const char *json, size_t len, struct gd_arena *a,
                       struct gd_collab_rules *out, struct gd_err *err);
/* The built-in default rules as JSON text (caller frees). */
char *gd_svc_rules_default_json(void);

struct gd_collab_input {
    int64_t shop_id;
    const char *order_no, *category, *complaint, *remedy;
    const char *title, *content; /* optional: made from category and complaint when absent */
    const char *idem_key;
    const char *idem_digest;
};
/* A platform user opens a collaborative work order about a shop's order. */
int gd_svc_collab_create(struct gd_svc *svc, const struct gd_actor *actor,
                         const struct gd_collab_input *in, gd_render_fn render, void *render_ctx,
                         struct gd_arena *a, struct gd_workorder *out, const char **replay,
                         struct gd_err *err);

#define GD_COLLAB_MAX_IDS 16
struct gd_collab_act {
    int action; /* GD_ACT_REPLY, EVIDENCE, VERIFY, JUDGE, APPEAL, DECIDE_APPEAL */
    int64_t if_match;
    int option;              /* reply: enum gd_reply_option */
    const char *description; /* reply, evidence */
    int64_t contact_at;      /* reply: 0 = not given */
    int64_t attachment_ids[GD_COLLAB_MAX_IDS];
    int nattachments;
    bool verified;               /* verify */
    const char *remark;          /* verify, decide_appeal */
    int outcome, remedy, liable; /* judge */
    const char *reasoning, *rule_article;
    const char *reason; /* appeal */
    bool overturned;    /* decide_appeal */
};
int gd_svc_collab_act(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                      const struct gd_collab_act *in, struct gd_arena *a, struct gd_workorder *out,
                      struct gd_err *err);
/* The collaborative part of a visible work order with its evidence (for rendering). */
int gd_svc_collab_get(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                      struct gd_collab *out, struct gd_attachment **atts, int *natts,
                      struct gd_err *err);

struct gd_upload {
    const char *filename; /* as the client sent it: only a display name */
    const char *mime;     /* detected from the content by the caller */
    const void *data;
    size_t size;
};
/* Stored bytes to send: a blob of the store (store.h, "stored bytes") and its size. A download
 * reads it with gd_svc_blob_read a piece at a time (never whole in memory). */
struct gd_svc_blob {
    const char *folder, *key;
    int64_t size;
};
int gd_svc_blob_read(struct gd_svc *svc, const char *data_dir, const struct gd_svc_blob *b,
                     int64_t offset, void *buf, size_t cap, size_t *n, struct gd_err *err);
/* Stores uploads (each once by SHA-256: a blob of folder "attachments") and records them;
 * checks the rules' per-file and per-submission limits (GD_ETOOBIG naming the limit). */
int gd_svc_attachments_add(struct gd_svc *svc, const struct gd_actor *actor, const char *data_dir,
                           const struct gd_upload *files, int n, struct gd_arena *a,
                           struct gd_attachment **out, struct gd_err *err);
/* An attachment the actor may read, and its content (size -1 when the content is missing). */
int gd_svc_attachment_open(struct gd_svc *svc, const struct gd_actor *actor, const char *data_dir,
                           int64_t id, struct gd_arena *a, struct gd_attachment *out,
                           struct gd_svc_blob *content, struct gd_err *err);
/* The files linked to a visible work order (every purpose), oldest first. */
int gd_svc_workorder_attachments(struct gd_svc *svc, const struct gd_workorder *wo,
                                 struct gd_arena *a, struct gd_attachment **out, int *count,
                                 struct gd_err *err);
/* Thumbnails (thumbnails.c): a WebP thumbnail (at most GD_THUMB_EDGE pixels a side) of an image
 * attachment the actor may read, made once per content from the stored bytes and kept as a blob
 * of folder "thumbnails" (so every node serves the one made by any). GD_ENOTFOUND for a file that is not an image (PDF, MP4:
 * the client shows an icon); GD_ETOOBIG for an image over GD_THUMB_MAX_PIXELS (read from its
 * header, before decoding); GD_EINVAL for content the decoder refuses (truncated, corrupt) or
 * that takes longer than GD_THUMB_MAX_MS; GD_ELIMIT when GD_THUMB_CONCURRENCY thumbnails are
 * being made and none finished within GD_THUMB_WAIT_MS. A refusal is remembered for the content
 * too, so a hostile image is decoded at most once. */
#define GD_THUMB_EDGE 320
#define GD_THUMB_MAX_PIXELS (50LL * 1000 * 1000)
#define GD_THUMB_MAX_MS 10000
#define GD_THUMB_CONCURRENCY 2
#define GD_THUMB_WAIT_MS 15000
int gd_svc_attachment_thumbnail(struct gd_svc *svc, const struct gd_actor *actor,
                                const char *data_dir, int64_t id, struct gd_arena *a,
                                struct gd_svc_blob *thumb, struct gd_err *err);
/* Appends the thumbnail metrics (Prometheus text). */
void gd_svc_thumbnail_metrics(struct gd_strbuf *sb);
/* Sanitises a client file name into a display name (never used in a path). */
const char *gd_svc_attachment_display_name(struct gd_arena *a, const char *filename);

/* ---- statistics (issue 4; docs/reports.md) ---- */
enum gd_stats_group { GD_STATS_BY_TYPE, GD_STATS_BY_HANDLER, GD_STATS_BY_DAY };

struct gd_stats_query {
    int64_t shop_id;          /* platform roles: 0 = every shop; shop roles: their own */
    int64_t day_from, day_to; /* civil days (days since 1970-01-01), both included */
    int group;                /* enum gd_stats_group */
    int type;                 /* -1 = any */
    int64_t handler_id;       /* -1 = any, 0 = unassigned */
};

struct gd_stats_figures {
    struct gd_stats_counts n;
    int64_t fa_p50, fa_p90, done_p50, done_p90; /* seconds; -1 = no data */
};

struct gd_stats_result {
    struct gd_stats_group_row {
        const char *key, *label;
        struct gd_stats_figures f;
    } * groups;
    int ngroups;
    struct gd_stats_figures totals;
    int64_t orders; /* orders created in the window: the dispute rate's denominator */
};

/* Statistics from the daily rollups: shop leads and owners see their shop, platform roles any
 * shop or all; agents are refused. */
int gd_svc_stats(struct gd_svc *svc, const struct gd_actor *actor, const struct gd_stats_query *q,
                 struct gd_arena *a, struct gd_stats_result *out, struct gd_err *err);
/* Recomputes a shop's rollups from its work orders and orders, in one transaction. */
int gd_svc_stats_rebuild(struct gd_svc *svc, int64_t shop_id,
                         void (*progress)(long done, long total), int64_t *count,
                         struct gd_err *err);

/* ---- export (issue 4; docs/reports.md) ---- */
struct gd_export_params {
    int format;                 /* 0 = csv, 1 = xlsx */
    int lang;                   /* enum gd_export_lang: 0 = zh, 1 = en */
    struct gd_wo_filter filter; /* view and filters; sort and paging are the export's own */
};

/* Checks the params for `actor` (an agent may not export the whole shop; platform users export
 * nothing here) and fills the view's defaults. */
int gd_svc_export_check(struct gd_svc *svc, const struct gd_actor *actor,
                        struct gd_export_params *p, struct gd_err *err);
/* Writes every matching work order to `path` (synchronously); `progress` may be NULL. */
int gd_svc_export_write(struct gd_svc *svc, const struct gd_actor *actor,
                        const struct gd_export_params *p, const char *path,
                        void (*progress)(void *ctx, int64_t done, int64_t total), void *ctx,
                        int64_t *rows, struct gd_err *err);
/* Queues an export job (the worker runs it); *out is the new job (idem may be NULL). */
int gd_svc_export_create(struct gd_svc *svc, const struct gd_actor *actor,
                         const struct gd_export_params *p, struct gd_idem *idem, struct gd_arena *a,
                         struct gd_export_job *out, struct gd_err *err);
/* A job of the actor's shop (GD_ENOTFOUND for another shop's). */
int gd_svc_export_get(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                      struct gd_arena *a, struct gd_export_job *out, struct gd_err *err);
/* The file of a done job (a blob of folder "exports"; GD_ENOTFOUND when it is gone). */
int gd_svc_export_file(struct gd_svc *svc, const char *data_dir, const struct gd_export_job *job,
                       struct gd_svc_blob *out, struct gd_err *err);

/* The export worker: a thread with its own store that runs queued jobs, storing each file as a
 * blob of folder "exports". A job runs under a lease of the node (GD_EXPORT_LEASE_MS, renewed
 * as it progresses): a job whose node died is taken by another node's worker once the lease has
 * expired, within GD_EXPORT_LEASE_MS + GD_EXPORT_POLL_MS. */
#define GD_EXPORT_LEASE_MS 30000
#define GD_EXPORT_POLL_MS 5000
struct gd_export_worker {
    struct gd_worker worker;
    struct gd_svc svc;
    char data_dir[512];
};
int gd_svc_export_worker_start(struct gd_export_worker *w, const char *db_url, const char *data_dir,
                               struct gd_svc_shared *shared, struct gd_err *err);
void gd_svc_export_worker_nudge(struct gd_export_worker *w);
void gd_svc_export_worker_stop(struct gd_export_worker *w);

/* ---- webhooks (webhooks.c; delivered by src/webhook) ---- */
#define GD_WEBHOOKS_MAX 10 /* per shop */
#define GD_WEBHOOK_URL_MAX 2000
#define GD_WEBHOOK_DESC_MAX 200
#define GD_WEBHOOK_EVENTS_MAX 32 /* event kinds named by one endpoint */
/* A new endpoint (owner or lead) taking the event kinds `events` (none = every kind);
 * out->secret is shown once, to sign deliveries with (idem may be NULL). `format` NULL or
 * "gongdan" is a webhook (docs/webhooks.md); "dingtalk" or "wecom" a group robot
 * (docs/notifications.md): an https URL whose host resolves to public addresses only (unless
 * the operator allows private ones), and for DingTalk its signing secret `sign_secret`. */
#define GD_ROBOT_SECRET_MAX 200
/* dingtalk or wecom: an endpoint that is a group robot */
bool gd_svc_robot_format(const char *format);
int gd_svc_webhook_create(struct gd_svc *svc, const struct gd_actor *actor, const char *url,
                          const char *description, const char *const *events, int nevents,
                          const char *format, const char *sign_secret, struct gd_idem *idem,
                          struct gd_arena *a, struct gd_webhook *out, struct gd_err *err);
int gd_svc_webhooks_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                         struct gd_webhook **out, int *count, struct gd_err *err);
int gd_svc_webhook_delete(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                          struct gd_err *err);
/* The deliverer's side: endpoints owed events, the events, and the outcome of an attempt
 * (ok: the endpoint took the `delivered` events it was sent, and is past upto_seq; else the
 * next try backs off). */
int gd_svc_webhooks_due(struct gd_svc *svc, int64_t now, int limit, struct gd_arena *a,
                        struct gd_webhook **out, int *count, struct gd_err *err);
int gd_svc_webhook_owed(struct gd_svc *svc, const struct gd_webhook *w, int limit,
                        struct gd_arena *a, struct gd_outbox_event **out, int *count,
                        struct gd_err *err);
int gd_svc_webhook_attempted(struct gd_svc *svc, struct gd_webhook *w, bool ok, int64_t upto_seq,
                             int delivered, int status, const char *error, struct gd_err *err);
/* Does the endpoint take events of `kind`? Those it does not are stepped over (skip). */
bool gd_svc_webhook_wants(const struct gd_webhook *w, const char *kind);
int gd_svc_webhook_skip(struct gd_svc *svc, struct gd_webhook *w, int64_t upto_seq,
                        struct gd_err *err);
/* One deliverer per endpoint across the nodes of a shared database: each attempt first claims
 * or renews the endpoint's lease for this node (false: another node's runs), GD_WEBHOOK_LEASE_MS
 * long, well past an attempt's time budget, so a live holder never loses it mid-attempt; a dead
 * holder's endpoints move once it runs out. A stopping node hands its leases back at once. */
#define GD_WEBHOOK_LEASE_MS 30000
int gd_svc_webhook_lease(struct gd_svc *svc, struct gd_webhook *w, bool *held, struct gd_err *err);
int gd_svc_webhook_leases_release(struct gd_svc *svc, struct gd_err *err);
int gd_svc_outbox_trim(struct gd_svc *svc, struct gd_err *err);
/* Appends the counts of requests refused at a webhook limit (Prometheus text). */
struct gd_strbuf;
void gd_svc_webhook_metrics(struct gd_strbuf *sb);

/* ---- assignment rules and availability (assignment.c, docs/assignment.md) ---- */
struct gd_assign_rule_input {
    const char *type_key;
    int kind; /* enum gd_assign_kind; -1 = not given */
    const int64_t *members;
    int nmembers;
    bool reassign;
};
/* One person's availability as the workbench shows it. */
struct gd_agent_availability {
    int64_t user_id;
    const char *display_name;
    const char *status; /* online | busy | offline */
    bool workbench_only, present, available;
    int64_t updated_at; /* 0: never set (online) */
};
/* The shop's rules (owners and leads; others 403). */
int gd_svc_assign_rules_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                             struct gd_assign_rule **out, int *count, struct gd_err *err);
/* Sets the rule of in->type_key: a known type, a kind, 1 to 50 active people of the shop (a
 * fixed rule: one). */
int gd_svc_assign_rule_put(struct gd_svc *svc, const struct gd_actor *actor,
                           const struct gd_assign_rule_input *in, struct gd_arena *a,
                           struct gd_assign_rule *out, struct gd_err *err);
int gd_svc_assign_rule_delete(struct gd_svc *svc, const struct gd_actor *actor,
                              const char *type_key, struct gd_err *err);
/* One's own availability, and setting it (a shop's people; platform staff 403): going offline
 * hands one's open work on by the rules that opt in, in the same transaction. workbench_only
 * -1 keeps it. */
int gd_svc_my_status(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                     struct gd_agent_availability *out, struct gd_err *err);
int gd_svc_my_status_set(struct gd_svc *svc, const struct gd_actor *actor, int state,
                         int workbench_only, struct gd_arena *a, struct gd_agent_availability *out,
                         struct gd_err *err);
/* Every active person of the shop with their availability (owners and leads). */
int gd_svc_agents_status(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                         struct gd_agent_availability **out, int *count, struct gd_err *err);
/* A live stream of `user_id` is open on this node (renewed at each heartbeat), or its last one
 * closed: the workbench presence "online only while the workbench is open" reads. */
void gd_svc_presence(struct gd_svc *svc, int64_t user_id, bool open);

/* ---- quick replies (quickreplies.c, docs/quickreplies.md) ---- */
#define GD_QUICKREPLY_TITLE_MAX 30    /* characters */
#define GD_QUICKREPLY_BODY_MAX 500    /* characters */
#define GD_QUICKREPLIES_SHOP_MAX 200  /* shop-wide replies of a shop */
#define GD_QUICKREPLIES_PERSON_MAX 50 /* a person's own replies */
/* The replies the actor may use (shop-wide first, then their own; 403 for platform staff). */
int gd_svc_quickreplies_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                             struct gd_quickreply **out, int *count, struct gd_err *err);
/* A new reply: shop-wide (`shared`, owners and leads) or the actor's own; 422 naming the field
 * at a limit. */
int gd_svc_quickreply_create(struct gd_svc *svc, const struct gd_actor *actor, bool shared,
                             const char *title, const char *body, struct gd_arena *a,
                             struct gd_quickreply *out, struct gd_err *err);
/* Changes title and/or body (NULL = keep). A reply the actor may not use is 404; one they use
 * but may not manage (an agent and a shop-wide reply) is 403. */
int gd_svc_quickreply_update(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                             const char *title, const char *body, struct gd_arena *a,
                             struct gd_quickreply *out, struct gd_err *err);
int gd_svc_quickreply_delete(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                             struct gd_err *err);
/* Appends the counts of requests refused at a quick reply limit (Prometheus text). */
void gd_svc_quickreply_metrics(struct gd_strbuf *sb);

/* ---- notifications (notify.c, docs/notifications.md) ---- */
#define GD_NOTIFY_TEXT_MAX 200 /* characters of a note, reason or chase copied in */
#define GD_NOTIFY_PAGE_MAX 100 /* notifications per page of the list */
#define GD_NOTIFY_READ_MAX 100 /* ids marked read by one request */
/* The kinds a user is told of (NULL-terminated): assigned (assigned or transferred to me),
 * chased, mentioned, target_due_soon, target_missed, collab_arrived (a case for my shop),
 * collab_platform (a case needing the platform), collab_judged (a judgement on my shop's case). */
extern const char *const gd_notify_kinds[];
bool gd_notify_kind_known(const char *kind);
/* The one call that tells users of something on a work order, inside the caller's unit of work
 * (written with the change, none when it rolls back): each of `users` (n of them; 0 entries and
 * the actor themselves are stepped over) who may open `wo` (core/perm's rule), is active and has
 * not turned `kind` off gets a notification carrying `text` (cut to GD_NOTIFY_TEXT_MAX; NULL =
 * none). Their bells ring after the commit, on every node. Outside a unit it runs its own. */
int gd_svc_notify(struct gd_svc *svc, const struct gd_workorder *wo, const char *kind,
                  const int64_t *users, int n, int64_t actor_id, const char *text,
                  struct gd_err *err);
/* The actor's notifications with id below `before` (0 = newest first), at most `limit`
 * (1..GD_NOTIFY_PAGE_MAX), only unread ones when unread_only; *unread = their unread count. */
int gd_svc_notifications_list(struct gd_svc *svc, const struct gd_actor *actor, int64_t before,
                              int limit, bool unread_only, struct gd_arena *a,
                              struct gd_notification **out, int *count, int64_t *unread,
                              struct gd_err *err);
int gd_svc_notifications_unread(struct gd_svc *svc, const struct gd_actor *actor, int64_t *out,
                                struct gd_err *err);
/* Marks the actor's notifications `ids` read (n = 0: all of them); ids not theirs mark nothing.
 * *unread = what stays unread. */
int gd_svc_notifications_read(struct gd_svc *svc, const struct gd_actor *actor, const int64_t *ids,
                              int n, int64_t *unread, struct gd_err *err);
/* The kinds the actor turned off, comma-separated in gd_notify_kinds order. */
int gd_svc_notify_prefs_get(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                            const char **muted, struct gd_err *err);
/* Turns off exactly `muted` (n kinds; an unknown one is 422 naming muted[i]). */
int gd_svc_notify_prefs_set(struct gd_svc *svc, const struct gd_actor *actor,
                            const char *const *muted, int n, struct gd_arena *a, const char **out,
                            struct gd_err *err);
/* ---- saved filters (savedfilters.c, docs/savedfilters.md) ---- */
#define GD_SAVEDFILTER_NAME_MAX 30    /* characters */
#define GD_SAVEDFILTER_QUERY_MAX 1000 /* bytes of the list's query text */
#define GD_SAVEDFILTERS_SHOP_MAX 50   /* filters shared with a shop */
#define GD_SAVEDFILTERS_PERSON_MAX 20 /* a person's own filters */
/* A saved filter's count stops here (the workbench shows "1000+"): counting stays bounded. */
#define GD_SAVEDFILTER_COUNT_CAP 1000
/* The filters the actor may use (shared first, then their own; 403 for platform staff). */
int gd_svc_savedfilters_list(struct gd_svc *svc, const struct gd_actor *actor, struct gd_arena *a,
                             struct gd_saved_filter **out, int *count, struct gd_err *err);
/* A new filter: shared with the shop (`shared`, owners and leads) or the actor's own; `view`
 * and `query` already checked by the list's parser; 422 naming the field at a limit. */
int gd_svc_savedfilter_create(struct gd_svc *svc, const struct gd_actor *actor, bool shared,
                              const char *name, const char *view, const char *query,
                              struct gd_arena *a, struct gd_saved_filter *out, struct gd_err *err);
/* Changes name, view and/or query (NULL = keep). A filter the actor may not use is 404; one they
 * use but may not manage (an agent and a shared filter) is 403. */
int gd_svc_savedfilter_update(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                              const char *name, const char *view, const char *query,
                              struct gd_arena *a, struct gd_saved_filter *out, struct gd_err *err);
int gd_svc_savedfilter_delete(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                              struct gd_err *err);
/* Appends the counts of requests refused at a saved filter limit (Prometheus text). */
void gd_svc_savedfilter_metrics(struct gd_strbuf *sb);

/* ---- operations (ops.c) ---- */
/* The database answers (a trivial read): for /healthz. backend: "sqlite" or "postgresql". */
int gd_svc_health(struct gd_svc *svc, const char **backend, struct gd_err *err);
/* The database generation: moves on every commit by any connection or process (the view
 * cache's key, viewcache.h). */
int gd_svc_generation(struct gd_svc *svc, int64_t *out);
/* The generation asked for without holding the calling thread (store.h,
 * gd_store_generation_ask): false when the database at db_url reads it in-process (SQLite).
 * gd_svc_generation_given: while set, this thread's generation reads answer *value. */
bool gd_svc_generation_ask(const char *db_url, void (*done)(void *ctx, int status, int64_t value),
                           void *ctx);
void gd_svc_generation_given(const int64_t *value);
/* The generation of what `actor`'s views show: moves on every commit of the actor's shop, of
 * the platform, and on any the store cannot attribute (store.h, shop_generation); nonzero when
 * nothing read now may be kept (a write of the shop is being committed). `known` (NULL allowed):
 * the one this request's authentication read, taken when it is of the actor's shop. */
int gd_svc_view_generation(struct gd_svc *svc, const struct gd_actor *actor,
                           const struct gd_svc_gen *known, int64_t *out);
/* Gauges across every shop for /metrics: the deadline backlog at the service clock's now, and
 * the export queue. */
int gd_svc_ops_gauges(struct gd_svc *svc, struct gd_ops_gauges *out, int64_t *now,
                      struct gd_err *err);

#endif
