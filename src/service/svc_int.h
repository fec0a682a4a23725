/* Helpers shared by the service files: the unit-of-work runner, timeline events, counter
 * moves, timers, input checks. */
#ifndef GD_SERVICE_SVC_INT_H
#define GD_SERVICE_SVC_INT_H
#include "base/strbuf.h"
#include "export/columns.h"
#include "service/svc.h"

/* A unit of work: reads and writes through svc->store, inside the transaction the runner
 * opened; may be run more than once (it must start from its inputs each time, and keep what it
 * produces in `ctx` only). Returns GD_OK to commit, anything else to roll back. */
typedef int (*gd_uow_fn)(struct gd_svc *svc, void *ctx, struct gd_err *err);
/* Runs `fn` as one write transaction of shop `shop_id` (0 = platform-wide; store.h says what
 * each promises): begin, fn, commit; rollback when fn or commit fails. GD_ERETRY from the store
 * runs it again from begin, up to 5 attempts with a growing random pause. The after-commit
 * callbacks fn queued (gd_svc__changed, gd_svc__timer_set) fire once after
 * the commit, never for an attempt rolled back. Called inside a running unit, fn simply joins
 * it. */
int gd_svc__uow_run(struct gd_svc *svc, int64_t shop_id, gd_uow_fn fn, void *ctx,
                    struct gd_err *err);
/* After-commit callbacks (queued by the running unit; outside one they fire at once), the one
 * mechanism being gd_svc_shared: the work order changed (live updates, webhooks); a timer was
 * written due at `due_at` (wakes the scheduler). */
void gd_svc__changed(struct gd_svc *svc, const struct gd_workorder *wo);
void gd_svc__timer_set(struct gd_svc *svc, int64_t due_at);

/* A counter family `metric`{limit="…"} for /metrics: requests refused at each of `n` limits,
 * `names[i]` counted in `counts[i]` (common.c; the webhook and quick-reply limits). */
void gd_svc__limit_refusals_metric(struct gd_strbuf *sb, const char *metric, const char *help,
                                   const char *const *names, _Atomic long *counts, int n);

/* Items a shop shares (owner_user_id 0) or a person keeps (their user id): quick replies, saved
 * filters (owned.c). A kind gives its rules, its limits and its store calls; `row` is the kind's
 * own struct. */
struct gd_svc__owned {
    const char *noun;           /* "quick reply": "no quick reply 12" */
    const char *use_refusal;    /* 403 for who has none ("quick replies belong to …") */
    const char *manage_refusal; /* 403 for a shared one the actor uses but does not manage */
    size_t row_size;            /* the kind's own struct */
    bool (*can_use)(const struct gd_actor *actor);
    bool (*can_manage)(const struct gd_actor *actor, int64_t owner_user_id);
    int shop_max, person_max;                      /* items per shop (shared), per person (own) */
    const char *shop_items, *person_items;         /* their names in the refusal */
    _Atomic long *shop_refusals, *person_refusals; /* the refusals' /metrics counters */
    int (*count)(struct gd_svc *svc, int64_t shop_id, int64_t owner_user_id, int *out,
                 struct gd_err *err);
    int (*insert)(struct gd_svc *svc, const void *row, struct gd_err *err);
    /* the item `id` of shop `shop_id` into `row`, its owner in *owner_user_id */
    int (*get)(struct gd_svc *svc, int64_t shop_id, int64_t id, struct gd_arena *a, void *row,
               int64_t *owner_user_id, struct gd_err *err);
    /* `row` with `change` (the kind's own struct) applied, written */
    int (*update)(struct gd_svc *svc, void *row, const void *change, struct gd_err *err);
    int (*remove)(struct gd_svc *svc, int64_t shop_id, int64_t id, struct gd_err *err);
};
/* GD_EPERM (use_refusal) unless the actor has such items. */
int gd_svc__owned_user(const struct gd_svc__owned *kind, const struct gd_actor *actor,
                       struct gd_err *err);
/* GD_EPERM unless the actor may create such an item, shared with the shop (`shared`: managed by
 * them, else manage_refusal on "shared") or their own. */
int gd_svc__owned_may_create(const struct gd_svc__owned *kind, const struct gd_actor *actor,
                             bool shared, struct gd_err *err);
/* Inserts `row` in one unit of work of the shop, only while `count` finds fewer than the owner's
 * limit: at it, GD_EINVAL on "shared" ("a shop has at most N <shop_items>; delete one first", "a
 * person has at most N <person_items> of their own; …"), counted. */
int gd_svc__owned_insert(struct gd_svc *svc, const struct gd_svc__owned *kind, int64_t shop_id,
                         int64_t owner_user_id, const void *row, struct gd_err *err);
/* Changes (`change`) or removes (NULL) the item `id` of the actor's shop in one unit of work, in
 * `row` (the kind's struct, in arena `a`) what was written: GD_ENOTFOUND for one the actor does
 * not use (someone else's own; any, for who has none), GD_EPERM (manage_refusal) for a shared
 * one they do not manage. */
int gd_svc__owned_change(struct gd_svc *svc, const struct gd_svc__owned *kind,
                         const struct gd_actor *actor, int64_t id, const void *change,
                         struct gd_arena *a, void *row, struct gd_err *err);
/* gd_svc__owned_change removing the item, which is not handed back. */
int gd_svc__owned_delete(struct gd_svc *svc, const struct gd_svc__owned *kind,
                         const struct gd_actor *actor, int64_t id, struct gd_err *err);

/* An action on one work order, of either kind (act.c; workorders.c: the shop's actions,
 * collab.c: the collaborative steps). gd_svc__act_run runs `unit` as one unit of work of the
 * actor's shop (platform-wide for platform staff) with a struct gd_svc__act as its ctx, and
 * hands back the work order the unit left in `wo`. */
struct gd_svc__act {
    const struct gd_actor *actor;
    int64_t id;
    const void *in; /* the kind's input (struct gd_act_input, struct gd_collab_act) */
    struct gd_arena *a;
    int64_t now;
    struct gd_workorder wo; /* what the unit made */
};
int gd_svc__act_run(struct gd_svc *svc, const struct gd_actor *actor, int64_t id, const void *in,
                    gd_uow_fn unit, struct gd_arena *a, struct gd_workorder *out,
                    struct gd_err *err);
/* A unit's first checks, in this order: the work order x->id as the actor sees it at version
 * `if_match` (0: any) into *before; a collaborative step on a collaborative case only
 * (GD_ESTATE); the actor's role may take `action` (GD_EPERM); its state takes it
 * (gd_svc__refuse_action), the next state in *next. */
int gd_svc__act_begin(struct gd_svc *svc, const struct gd_svc__act *x, int64_t if_match, int action,
                      bool collab_step, struct gd_workorder *before, int *next, struct gd_err *err);

/* GD_ESTATE for an action `wo`'s state refuses, naming the actions `actor` may take on it now
 * (workorders.c; the same sentence for every kind of work order). */
int gd_svc__refuse_action(const struct gd_actor *actor, const struct gd_workorder *wo, int action,
                          struct gd_err *err);

/* A create (create.c): the one flow that makes a work order of any kind, in one unit of work
 * of shop `shop_id`: the Idempotency-Key, `build`, the number, the row, `write`, the "created"
 * event with the data build and write gave, `after`, the counters, the search text (with the number), the
 * timer `timer` at the deadline (when there is one), the kept answer, the after-commit
 * callbacks. *replay is the first answer when the key was answered before (nothing written). */
struct gd_svc__create {
    const struct gd_actor *actor;
    struct gd_idem idem;
    struct gd_arena *a;
    int64_t now;
    const char *timer; /* the kind of the deadline's timer */
    void *ctx;         /* the kind's inputs, for build and write */
    /* Fills the new work order (everything but its number) and opens the event's data
     * (gd_svc__kv_*); *search_piece: text searched apart from the work order's fields, kept
     * when they are edited (NULL: none). A failure writes nothing. */
    int (*build)(struct gd_svc *svc, struct gd_svc__create *c, struct gd_workorder *wo,
                 struct gd_strbuf *data, const char **search_piece, struct gd_err *err);
    /* Writes what the kind adds once the row is there, and may add to the data (NULL: none). */
    int (*write)(struct gd_svc *svc, struct gd_svc__create *c, const struct gd_workorder *wo,
                 struct gd_strbuf *data, struct gd_err *err);
    /* Writes what follows the "created" event on the timeline (NULL: nothing). */
    int (*after)(struct gd_svc *svc, struct gd_svc__create *c, const struct gd_workorder *wo,
                 struct gd_err *err);
    struct gd_workorder wo; /* what was made */
};
int gd_svc__create(struct gd_svc *svc, int64_t shop_id, struct gd_svc__create *c,
                   struct gd_workorder *out, const char **replay, struct gd_err *err);

/* Custom field values after a create or an edit (fields.c, docs/types.md). */
struct gd_svc__fields {
    const char *json;              /* the work order's values, JSON object by field key */
    struct gd_field_value *values; /* what wo_field_values indexes */
    int nvalues;
    bool changed;             /* an edit changed a value */
    const char *changed_keys; /* those fields' keys, comma-separated */
};
/* Applies `input` (JSON object text by field key, null clearing a value; NULL: none sent) to
 * the values `current` of a work order of type `type` (NULL: it is being created). Each value
 * sent is checked against its field of the shop (GD_EINVAL naming "fields.<key>": wrong kind,
 * not an option, not a user of the shop, retired, unknown key), a required field must have a
 * value, and a built-in type takes none. Nothing is written. */
int gd_svc__fields_apply(struct gd_svc *svc, int64_t shop_id, int type, const char *input,
                         const char *current, struct gd_arena *a, struct gd_svc__fields *out,
                         struct gd_err *err);
/* Assignment rules (assignment.c). What a rule did with one work order: ruled = false when its
 * type has no rule; else user_id/name of the member given it, or 0 and `miss` (enum
 * gd_assign_miss) saying why nobody. */
struct gd_svc__placement {
    bool ruled;
    const char *rule, *kind; /* the rule's type key and kind */
    int64_t user_id;
    const char *name;
    int miss;
};
/* Inside the create's unit of work: the member `wo`'s type's rule gives it to (round robin's
 * cursor moves with it). */
int gd_svc__assign_place(struct gd_svc *svc, const struct gd_workorder *wo, struct gd_arena *a,
                         struct gd_svc__placement *p, struct gd_err *err);
/* The timeline's word on it: "assigned" (from `before`'s handler, NULL: none) or
 * "assignment_failed" with the reason, each naming the rule. */
int gd_svc__placement_event(struct gd_svc *svc, const struct gd_workorder *wo, int64_t actor_id,
                            const struct gd_workorder *before, const struct gd_svc__placement *p,
                            int64_t now, struct gd_err *err);
/* Inside the caller's unit of work: the open work of `handler_id` (deactivated, or gone offline)
 * whose type's rule opts in moves to the member the rule picks (never them), each with its
 * event; where nobody is available it stays, with an "assignment_failed" event. */
int gd_svc__reassign_open_work(struct gd_svc *svc, int64_t shop_id, int64_t handler_id,
                               int64_t actor_id, struct gd_arena *a, struct gd_err *err);

/* The custom field columns of an export and the names of the shop's types
 * (export_fields.c, docs/types.md). Everything lives in the arena given to load. */
struct gd_svc__export_fields {
    struct gd_shop_type *types;
    int ntypes;
    struct gd_shop_field *fields; /* the columns, in order */
    struct gd_export_column *cols;
    int nfields;
    struct gd_user *users; /* for the names of user fields */
    int nusers;
};
/* The fields of shop type `type` (a built-in one: none), or of every shop type (-1), at most
 * GD_EXPORT_EXTRA_MAX. */
int gd_svc__export_fields_load(struct gd_svc *svc, int64_t shop_id, int type, struct gd_arena *a,
                               struct gd_svc__export_fields *x, struct gd_err *err);
/* The type column's word: a shop type's name, or a built-in one's. */
const char *gd_svc__export_type_label(const struct gd_svc__export_fields *x, int type, int lang);
/* The cells of a work order's values (its `fields` JSON), one per column; text in `a`. */
void gd_svc__export_field_cells(const struct gd_svc__export_fields *x, const char *fields,
                                struct gd_arena *a, struct gd_cell *cells);

/* May `actor` open `wo`? core/perm's one rule, with the timeline read when the rule asks
 * whether they handled it before. */
int gd_svc__can_open(struct gd_svc *svc, const struct gd_actor *actor,
                     const struct gd_workorder *wo, struct gd_arena *a, bool *out,
                     struct gd_err *err);
/* The work order `id` if `actor` may open it (GD_ENOTFOUND otherwise: a work order they may not
 * open does not exist for them, in another shop or in their own); with if_match (0 = none),
 * GD_ESTALE when it has moved on since. */
int gd_svc__load_visible(struct gd_svc *svc, const struct gd_actor *actor, int64_t id,
                         int64_t if_match, struct gd_arena *a, struct gd_workorder *out,
                         struct gd_err *err);
/* The Idempotency-Key of a create (svc.h struct gd_idem; NULL or without a key: nothing to
 * do), inside the create's unit of work. idem_check: sets idem->replay when the request repeats
 * an answered one (the unit then writes nothing), GD_EREUSED when the key was used for a request
 * whose digest differs. idem_keep: records the answer rendered from `made`, committed with the
 * create; a request with the key that committed first makes it GD_ERETRY, so the unit runs
 * again and answers from that request's record. */
int gd_svc__idem_check(struct gd_svc *svc, int64_t user_id, struct gd_idem *idem,
                       struct gd_arena *a, struct gd_err *err);
int gd_svc__idem_keep(struct gd_svc *svc, int64_t user_id, const struct gd_idem *idem,
                      const void *made, struct gd_err *err);
/* Appends a timeline event; `data` is a JSON object text (NULL = {}). */
int gd_svc__event(struct gd_svc *svc, const struct gd_workorder *wo, int64_t actor_id,
                  const char *kind, const char *data, int64_t at, struct gd_err *err);
/* A group robot's url and secret (robots.c): GD_EINVAL naming the field and the rule. */
int gd_svc__robot_check(struct gd_svc *svc, const char *format, const char *url, const char *secret,
                        struct gd_err *err);
/* The notifications a timeline event causes (notify.c), inside its unit of work: called by
 * gd_svc__event for every event it appends. */
int gd_svc__notify_event(struct gd_svc *svc, const struct gd_workorder *wo, int64_t actor_id,
                         const char *kind, const char *data, int64_t at, struct gd_err *err);
/* Moves the view counters from `before` (NULL when new) to `after`. */
int gd_svc__counters(struct gd_svc *svc, const struct gd_workorder *before,
                     const struct gd_workorder *after, struct gd_err *err);
/* Sets a timer of `kind` for the work order at `due_at`. */
int gd_svc__timer(struct gd_svc *svc, const struct gd_workorder *wo, const char *kind,
                  int64_t due_at, struct gd_err *err);
/* After a commit that revoked a session or token (or deactivated a user): live streams opened
 * with it end (credentials.c). */
void gd_svc__credentials_revoked(struct gd_svc *svc);
/* People (accounts.c, people.c). A new user, validated, its password hashed (into `a`), not
 * yet stored. */
int gd_svc__user_new(int64_t shop_id, const char *username, const char *display_name, int role,
                     const char *password, bool must_change, struct gd_arena *a,
                     struct gd_user *out, struct gd_err *err);
/* A password `field` someone chooses: 8 to 256 bytes. */
int gd_svc__password_check(const char *field, const char *password, struct gd_err *err);
/* GD_EAUTH naming why when `u` may not sign in (deactivated, or their shop is). */
int gd_svc__may_sign_in(struct gd_svc *svc, const struct gd_user *u, struct gd_arena *a,
                        struct gd_err *err);
/* Starts a session of out->user (who may sign in): out->session and out->csrf are filled. */
int gd_svc__session_start(struct gd_svc *svc, struct gd_login *out, struct gd_err *err);

/* Signed-in principals by credential (credcache.c; per thread, valid for one generation of the
 * user's shop). `kind` is an enum gd_credential_kind, `digest` the credential's SHA-256 hex.
 * _shop: the shop of the user a credential stood for when it was last looked up (false: not
 * cached). _get: the principal, into `a`, when the entry was filled at `generation` and (a
 * session) has not expired at `now`; counts a hit. _put: keeps a principal just looked up;
 * `generation` is the shop's generation read before that look-up, NULL when none was (the
 * entry then only remembers the shop). _missed counts a look-up in the database. */
bool gd_svc__credcache_shop(struct gd_svc *svc, int kind, const char *digest, int64_t *shop_id);
bool gd_svc__credcache_get(struct gd_svc *svc, int kind, const char *digest, int64_t generation,
                           int64_t now, struct gd_arena *a, struct gd_actor *actor,
                           const char **csrf);
void gd_svc__credcache_put(struct gd_svc *svc, int kind, const char *digest,
                           const struct gd_user *u, const char *csrf, int64_t expires_at,
                           const int64_t *generation);
void gd_svc__credcache_missed(void);
void gd_svc__credcache_forget(struct gd_svc *svc, int kind, const char *digest);
/* People's names for a list's keys (namecache.c; per thread, valid for one generation of the
 * viewer's shop): usable when `known` is a generation of the actor's shop read for this
 * request; gd_svc__names_fill gives rows[i] their handler's and creator's names, from memory or
 * one store read of the ones it lacks. */
bool gd_svc__namecache_usable(const struct gd_actor *actor, const struct gd_svc_gen *known);
/* Whether this thread kept a list's names of the shop at this generation (the keys are then
 * read without them); gd_svc__names_keep keeps the names a list's keys statement joined. */
bool gd_svc__namecache_warm(const struct gd_svc *svc, const struct gd_svc_gen *gen);
void gd_svc__names_keep(struct gd_svc *svc, const struct gd_svc_gen *gen,
                        const struct gd_workorder *rows, int n);
int gd_svc__names_fill(struct gd_svc *svc, const struct gd_svc_gen *gen, struct gd_arena *a,
                       struct gd_workorder *rows, int n, struct gd_err *err);
/* Appends one audit event (docs/people.md, "Audit log") inside the running unit, so the change
 * and its record commit together. `data` is a JSON object text of what changed. */
int gd_svc__audit(struct gd_svc *svc, const struct gd_actor *actor, int64_t shop_id,
                  const char *action, int64_t target_user, int64_t target_shop, const char *data,
                  struct gd_err *err);
/* Checks a user-entered text: present when required, UTF-8, at most `max` characters. */
int gd_svc__text(const char *field, const char *s, bool required, size_t max, struct gd_err *err);
/* The searchable text of a work order without its notes. */
void gd_svc__search_text(const struct gd_workorder *wo, struct gd_strbuf *sb);
/* JSON helpers for event data: {"k":"v",...} */
void gd_svc__kv_str(struct gd_strbuf *sb, const char *k, const char *v);
void gd_svc__kv_id(struct gd_strbuf *sb, const char *k, int64_t v);
void gd_svc__kv_time(struct gd_strbuf *sb, const char *k, int64_t ms); /* RFC 3339; 0 = null */
void gd_svc__kv_close(struct gd_strbuf *sb);

/* The blob `folder`/`key` and its size (blobs.c; GD_ENOTFOUND when it is not stored). */
int gd_svc__blob_find(struct gd_svc *svc, const char *data_dir, const char *folder, const char *key,
                      struct gd_svc_blob *out, struct gd_err *err);
/* Inside the caller's transaction: links the actor's unused uploads `ids` to `wo` for `purpose`
 * (at most the rules' attachments.max_files: GD_ETOOBIG; someone else's or a linked one:
 * GD_EINVAL naming attachment_ids); with `data`, appends "attachments":[{id,filename,mime}]
 * to that event data. */
int gd_svc__attachments_link(struct gd_svc *svc, const struct gd_actor *actor,
                             const struct gd_workorder *wo, const int64_t *ids, int n,
                             const char *purpose, struct gd_arena *a, struct gd_strbuf *data,
                             struct gd_err *err);

/* Inserts or updates `n` orders of shop `shop_id` (distinct order numbers: the store's
 * orders_upsert) inside the caller's unit of work, with one store call; created[i] says whether
 * order i is new. Sets their shop, updated_at and a missing created_at; counts the new ones in
 * the statistics; completes the shipping work orders of those that have just shipped (told to
 * live views after the commit). */
int gd_svc__orders_upsert_tx(struct gd_svc *svc, int64_t shop_id, struct gd_order *orders, int n,
                             struct gd_arena *a, bool *created, struct gd_err *err);
/* Order items: a JSON array (at most 200) of objects with title, sku, quantity, price. */
bool gd_svc__items_valid(const char *json);

/* The collaborative service's timer handler (NULL until it registers): fires timer kinds other
 * than "overdue" on `wo` inside the firing transaction. */
extern int (*gd_svc__collab_fire)(struct gd_svc *svc, const struct gd_deadline *d,
                                  struct gd_workorder *wo, struct gd_arena *a, bool *changed,
                                  struct gd_err *err);

/* Time targets (targets.c, docs/targets.md), inside the caller's unit of work: a new work
 * order's targets from its type's policy (none: nothing); what an action changes (the first
 * response, the pause while waiting for the buyer, the outcome when it is finished or reopened);
 * and a target timer (gd_svc__is_target_timer says which kinds) fired on `wo`. */
int gd_svc__targets_start(struct gd_svc *svc, const struct gd_workorder *wo, int64_t now,
                          struct gd_err *err);
int gd_svc__targets_on_act(struct gd_svc *svc, const struct gd_actor *actor,
                           const struct gd_workorder *before, const struct gd_workorder *wo,
                           int action, int64_t now, struct gd_err *err);
bool gd_svc__is_target_timer(const char *kind);
int gd_svc__targets_fire(struct gd_svc *svc, const struct gd_deadline *d, struct gd_workorder *wo,
                         bool *changed, struct gd_err *err);

/* Statistics (stats.c): moves the work order's contribution in the daily rollups from `before`
 * (the work order as stored until this change; NULL when new) to its current facts `wo`, inside
 * the caller's transaction; and counts `n` new orders toward their creation days (one rollup
 * write per day). */
int gd_svc__stats_record(struct gd_svc *svc, const struct gd_workorder *before,
                         const struct gd_workorder *wo, struct gd_err *err);
int gd_svc__stats_orders(struct gd_svc *svc, int64_t shop_id, const int64_t *created_at, int n,
                         struct gd_err *err);

/* Batched counter and rollup moves (batch.c): a unit of work starts one before a batch of
 * changes; the runner flushes it before the commit (or discards it on rollback). The add
 * functions return false when no batch is open (or it is full): the caller then writes the
 * move itself. */
void gd_svc__batch_start(struct gd_svc *svc);
int gd_svc__batch_flush(struct gd_svc *svc, struct gd_err *err);
void gd_svc__batch_discard(struct gd_svc *svc);
bool gd_svc__batch_counter(struct gd_svc *svc, int64_t shop_id, const char *key, int delta);
/* Work orders' statistics contributions in the open batch: load reads n of them at once (nothing
 * without a batch); get answers 1 (out set) or 0 (none) from the batch's copy, -1 when the batch
 * does not know the work order (read the store); put keeps `c` for the flush (false: write it
 * now). */
int gd_svc__batch_contribs_load(struct gd_svc *svc, const int64_t *shop_ids, const int64_t *ids,
                                int n, struct gd_err *err);
int gd_svc__batch_contrib_get(struct gd_svc *svc, int64_t shop_id, int64_t workorder_id,
                              struct gd_stats_contrib *out);
bool gd_svc__batch_contrib_put(struct gd_svc *svc, int64_t shop_id, int64_t workorder_id,
                               const struct gd_stats_contrib *c);
/* A person the open batch has told already (notify.c): their row and muted kinds as read then
 * (false: not known, read them); put remembers them for the rest of the batch. */
bool gd_svc__batch_person(struct gd_svc *svc, int64_t user_id, struct gd_user *u,
                          const char **muted);
void gd_svc__batch_person_put(struct gd_svc *svc, const struct gd_user *u, const char *muted);
/* Rows the open batch writes later, a statement per kind (batch.c). While deferring is on (the
 * firing engine turns it on for a timer whose writes nothing later in the batch reads back), a
 * work order's overdue mark, an event (and its place in the shop's webhook outbox when owed) and
 * a notification are queued: the functions return false when they are not (no batch, or not
 * deferring), and the caller writes the row now. rows_flush writes what is queued (the runner's
 * flush does too, before the commit). */
void gd_svc__batch_defer(struct gd_svc *svc, bool on);
bool gd_svc__batch_mark_overdue(struct gd_svc *svc, const struct gd_workorder *wo);
bool gd_svc__batch_event(struct gd_svc *svc, const struct gd_event *ev, bool owed);
bool gd_svc__batch_notification(struct gd_svc *svc, const struct gd_notification *n);
int gd_svc__batch_rows_flush(struct gd_svc *svc, struct gd_err *err);
/* The part of a counter still held in the open batch (0 without one): readers add it. */
int64_t gd_svc__batch_pending(struct gd_svc *svc, int64_t shop_id, const char *key);
bool gd_svc__batch_rollup(struct gd_svc *svc, int64_t shop_id, const struct gd_stats_key *key,
                          const struct gd_stats_counts *delta, int sign);

#endif
