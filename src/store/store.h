/* The storage interface: domain operations behind a vtable, so the service layer never sees SQL
 * and a second backend (PostgreSQL) implements the same table. Open one with gd_store_open
 * ("sqlite:PATH", or "postgresql://..."); call operations with GD_STORE(store, op, args...).
 * What every backend promises (the contract suite, tests/contract/test_store.c, checks it):
 *
 * Write transactions. begin(shop_id)..commit is one write transaction: all or nothing, durable
 * once commit returns GD_OK. Its isolation is "serialised per shop": write transactions of the
 * same shop run one at a time, and each statement inside one sees every transaction committed
 * before it (so a read followed by a write of the shop's own rows inside one transaction is
 * safe). begin(0) is a platform-wide transaction: it runs alone, with no other write
 * transaction of any shop. Transactions of different shops may run at the same time; the only
 * rows they share (the platform's counters of shop 0, idempotency records of platform users,
 * sign-in throttles) change only through operations that apply a delta or take the next number
 * inside the store, never by a read in the caller followed by a write. A backend may serialise
 * more (SQLite: one writer per database; PostgreSQL: an advisory lock per shop, taken shared
 * on the platform-wide lock, which begin(0) takes exclusively). Operations outside
 * begin..commit each commit on their own and may run concurrently with a write transaction.
 *
 * GD_ERETRY from any operation inside a transaction, or from commit, means the database could
 * not run this unit of work now (serialization failure, deadlock, connection lost before
 * commit) and nothing of the transaction was written: roll back and run the whole unit of work
 * again, from its begin (the service's runner, service/uow.c, does). Outside a transaction it
 * says the one operation may be tried again; when the connection was lost its outcome is
 * unknown, so what runs outside a transaction is a single statement safe to repeat.
 * GD_EUNAVAIL means the database cannot be reached now, or the connection broke during a commit
 * (or during an operation outside begin..commit) whose outcome could not be learnt: roll back,
 * do not run it again, answer 503; a backend reconnects by itself once the database is back.
 *
 * Tenancy. Every operation on shop data takes the shop id and filters by it: it is the tenant
 * boundary (a row of another shop is GD_ENOTFOUND, or not changed). Where shop_id 0 means
 * "any shop" the comment says so (platform staff, the workers).
 *
 * Ownership: rows read into out-structs borrow their strings from the arena `a` passed in.
 * Thread safety: a store handle belongs to one thread; open one per thread.
 * Errors, one meaning each: GD_ENOTFOUND a row is absent (or of another shop); GD_ECONFLICT a
 * unique clash (the row exists already; an expected clash, e.g. idem_put, leaves the
 * transaction usable); GD_ESTALE a row changed since it was read (an expected version no longer
 * holds: workorder_update, workorder_mark_overdue; a timer fired meanwhile: deadline_take);
 * GD_ERETRY as above; GD_EINVAL a value the database cannot hold (text not UTF-8 on
 * PostgreSQL); GD_EDB anything else the database reports (its text is logged, not returned to
 * clients). */
#ifndef GD_STORE_H
#define GD_STORE_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "base/arena.h"
#include "base/err.h"
#include "core/counters.h"
#include "core/fields.h"
#include "core/perm.h"
#include "core/stats.h"
#include "core/targets.h"
#include "core/workorder.h"

/* A shop made without a time zone keeps China's (no daylight saving, so a fixed offset) */
#define GD_SHOP_DEFAULT_TZ "Asia/Shanghai"
#define GD_SHOP_DEFAULT_TZ_OFFSET_MIN 480

struct gd_shop {
    int64_t id;
    const char *name;
    const char *tz;
    int tz_offset_min;
    int64_t aftersales_handler_id;
    int64_t created_at;
    bool active; /* false: its users cannot sign in (docs/people.md) */
};

struct gd_user {
    int64_t id;
    int64_t shop_id; /* 0 = platform */
    const char *username;
    const char *display_name;
    int role;
    const char *pwhash;
    int64_t created_at;
    bool active;               /* false: cannot sign in, no session or token of theirs works */
    bool must_change_password; /* set by a reset: the user may only change it until they do */
};

/* One change to people or shops (docs/people.md): who did what to whom, with `data` a JSON
 * object of what changed (before -> after). shop_id 0: a platform-level change. */
struct gd_audit_event {
    int64_t id;
    int64_t shop_id;
    int64_t actor_id;
    const char *actor_name;
    const char *action;
    int64_t target_user_id;
    int64_t target_shop_id;
    const char *data;
    int64_t at;
};

struct gd_order {
    int64_t shop_id;
    const char *order_no;
    const char *buyer_nick;
    const char *status;  /* paid shipped signed refunding closed */
    int64_t paid_amount; /* minor units */
    const char *items;   /* JSON array text */
    int64_t created_at;
    int64_t updated_at;
};

struct gd_event {
    int64_t id;
    int64_t shop_id;
    int64_t workorder_id;
    const char *kind;
    int64_t actor_id; /* 0 = the system (scheduler) */
    const char *actor_name;
    int64_t at;
    const char *data; /* JSON object text */
};

enum gd_sort {
    GD_SORT_DEADLINE,
    GD_SORT_DEADLINE_DESC,
    GD_SORT_CREATED,
    GD_SORT_CREATED_DESC,
    GD_SORT_SHOP,
    GD_SORT_SHOP_DESC /* by shop id, then id: groups a shop's cases */
};

struct gd_wo_filter {
    int view;                       /* enum gd_view */
    int64_t user_id;                /* whose view */
    bool whole_shop;                /* overdue view for a lead: the whole shop */
    int type;                       /* -1 = any */
    int state;                      /* -1 = any */
    int64_t handler_id, creator_id; /* 0 = any */
    int64_t shop_id; /* 0 = any; platform staff pick one shop's cases (a shop's own lists are
                        * already its own: another shop's id matches nothing) */
    const char *order_no, *buyer, *q;
    int64_t created_from, created_to, deadline_from, deadline_to; /* 0 = open end */
    int nfields; /* custom field filters: work orders whose field holds the value */
    struct gd_field_filter {
        int64_t field_id;
        const char *value; /* as wo_field_values holds it (service/fields.c) */
    } fields[GD_FIELD_FILTERS_MAX];
    int sort; /* enum gd_sort */
    int limit;
    bool has_cursor; /* keyset: rows after (cursor_key, cursor_id) in sort order */
    int64_t cursor_key, cursor_id;
    bool keys_unnamed; /* workorders_list_keys leaves the two names NULL: the caller has them */
};

struct gd_deadline {
    int64_t id;
    int64_t shop_id;
    int64_t workorder_id;
    const char *kind; /* overdue, reply_due, remind, judge_due, appeal_window, ... */
    int64_t due_at;
    int64_t version;
};

/* A shop's time targets (docs/targets.md): its daily working hours and, per work order type,
 * the targets in working minutes (0 = none). */
struct gd_target_policy {
    int type;
    int first_response_min;
    int resolution_min;
    int remind_before_min;  /* a reminder this many working minutes before each target; 0 none */
    bool escalate_to_queue; /* a missed target clears the handler: the lead's queue */
};
/* One policy per type a shop's people create: the built-in ones but collab, and its own. */
#define GD_TARGET_POLICY_MAX (GD_TYPE_COLLAB + GD_TYPE_SHOP_MAX)
struct gd_target_settings {
    int start_min, end_min; /* daily hours, minutes after local midnight */
    int n;                  /* policies[0..n) in type order */
    struct gd_target_policy policies[GD_TARGET_POLICY_MAX];
};
/* One work order's targets (times UTC ms, 0 = none / not yet). Outcomes: pending, met, missed,
 * cancelled. While the work order waits for the buyer, res_due is 0 and res_left_ms holds the
 * working time left. */
struct gd_wo_target {
    int64_t workorder_id;
    int64_t shop_id;
    int start_min, end_min, tz_offset_min;
    struct gd_target_policy policy; /* as it was when the work order was made */
    int64_t fr_due, fr_at, fr_by;
    int fr_outcome; /* enum gd_target_outcome */
    int64_t res_due, res_left_ms;
    int res_outcome;
    int64_t paused_since, paused_ms;
    int64_t handler_id; /* whom the latest decided outcome counts for (0: the current handler) */
};
/* Target outcomes of a shop's work orders of one type and handler (target_stats). */
struct gd_target_count {
    int type;
    int64_t handler_id;
    int64_t fr_met, fr_missed, res_met, res_missed;
};

/* The collaborative part of a work order (协同工单), one row per collaborative work order. */
struct gd_collab {
    int64_t workorder_id;
    int64_t shop_id;
    int64_t rule_version; /* the platform rules in force at creation */
    const char *category, *complaint, *remedy;
    int64_t reply_due_at;
    const char *reply_option, *reply_description; /* NULL until the seller replies */
    int64_t contact_at, replied_at, replier_id;
    const char *verify_result, *verify_remark;
    int64_t verifier_id, verified_at;
    int64_t intervened_at;
    const char *intervention_reason; /* seller_timeout | not_agreed | verify_rejected */
    const char *outcome, *judged_remedy, *liable_party, *reasoning, *rule_article;
    int64_t judge_id, judged_at;
    const char *judge_name; /* filled by reads */
    bool judged_against;    /* counts toward the shop's dispute rate */
    const char *appeal_reason;
    int64_t appealed_at;
    const char *decision, *decision_remark; /* upheld | overturned */
    int64_t decider_id, decided_at;
    bool overturned;
    int64_t finalized_at;
};

/* Evidence, stored once by content (SHA-256) under the data directory. */
struct gd_attachment {
    int64_t id;
    int64_t shop_id; /* 0 for a platform upload not yet linked to a work order */
    const char *sha256, *mime;
    int64_t size;
    const char *filename; /* sanitised display name */
    int64_t uploader_id;
    const char *party; /* shop | platform */
    int64_t created_at;
    int64_t workorder_id; /* 0 until linked */
    const char *purpose;  /* reply | evidence | appeal */
};

/* reports: one row of the statistics rollups (histogram blobs borrowed from the arena) */
struct gd_stats_row {
    int64_t shop_id;
    struct gd_stats_key key;
    struct gd_stats_counts n;
    const unsigned char *fa_hist, *done_hist;
    size_t fa_len, done_len;
};

/* reports: one work order as an export sees it */
struct gd_export_row {
    struct gd_workorder wo;
    bool has_paid;
    int64_t paid_amount;     /* minor units of the order, when there is one */
    const char *latest_note; /* the newest "noted" event's data (JSON object text), or NULL */
    const char *attachments; /* the file names linked to it, oldest first, "; " between; or NULL */
};

/* reports: an export job */
struct gd_export_job {
    int64_t id;
    int64_t shop_id;
    int64_t user_id;
    const char *params; /* JSON object */
    const char *format; /* csv | xlsx */
    const char *state;  /* queued | running | done | failed | expired (file removed) */
    int64_t rows_done, rows_total;
    const char *file_name, *path, *error;
    int64_t created_at, finished_at;
};

/* An outgoing webhook endpoint of a shop, with its delivery state. */
struct gd_webhook {
    int64_t id;
    int64_t shop_id;
    const char *url, *secret, *description;
    const char *events; /* the event kinds it takes, comma-separated; "" = every kind */
    int64_t created_by, created_at;
    int64_t cursor;    /* the last outbox seq the endpoint acknowledged */
    int64_t delivered; /* events acknowledged so far */
    int failures;      /* consecutive failed attempts */
    int64_t next_attempt_at, last_attempt_at;
    int last_status; /* HTTP status of the last attempt; 0 = none, or no answer */
    const char *last_error;
    int64_t pending;    /* filled by reads: events not yet acknowledged */
    int lease_node;     /* the node slot that last held its delivery lease; -1 = none yet */
    const char *format; /* the body and signing: gongdan | dingtalk | wecom (a group robot) */
};

/* An in-app notification (docs/notifications.md): one user told of one happening on a work
 * order, with what the bell's list shows copied in. */
struct gd_notification {
    int64_t id;
    int64_t user_id;
    int64_t shop_id; /* the work order's shop */
    const char *kind;
    int64_t workorder_id, wo_number;
    const char *title;
    int64_t actor_id; /* 0 = the system */
    const char *actor_name, *text;
    int64_t created_at;
    int64_t read_at; /* 0 = unread */
};

/* A quick reply (快捷短语): a text a shop's user inserts into a note, a transfer reason or a
 * collaborative reply. owner_user_id 0 = shop-wide, else that user's own. */
struct gd_quickreply {
    int64_t id;
    int64_t shop_id;
    int64_t owner_user_id;
    const char *title, *body;
    int64_t created_at, updated_at;
};

/* A work order type a shop defines (docs/types.md); its work orders' type is `code`. */
struct gd_shop_type {
    int64_t shop_id;
    int code; /* GD_TYPE_SHOP_FIRST .. : the key x-<code> */
    const char *name_zh, *name_en;
    int64_t deadline_ms; /* default deadline after creation; 0 = none */
    int64_t handler_id;  /* default handler; 0 = none */
    const char *color;   /* #rrggbb */
    bool retired;        /* takes no new work orders; everything made stays */
    int64_t created_at, updated_at;
};

/* A custom field of a shop type. */
struct gd_shop_field {
    int64_t id;
    int64_t shop_id;
    int type_code;
    const char *key; /* unique in the shop */
    const char *label_zh, *label_en;
    int kind;            /* enum gd_field_kind */
    bool required;       /* on create, and never cleared after */
    const char *options; /* JSON array of strings (choice kinds), "[]" otherwise */
    int position;        /* order of display within its type */
    bool retired;        /* not offered, not accepted on new work orders; values stay */
    int64_t created_at, updated_at;
};

/* One indexed value of a work order's field (one per option of a multiple choice). */
struct gd_field_value {
    int64_t field_id;
    const char *value;
};

/* A shop's assignment rule for one work order type (docs/assignment.md). */
struct gd_assign_rule {
    int64_t shop_id;
    const char *type_key;   /* a built-in type's name or a shop type's key */
    const char *kind;       /* fixed | round_robin | least_open */
    const char *members;    /* JSON array of user ids, in round order (fixed: one) */
    bool reassign;          /* also place a deactivated or offline handler's open work */
    int64_t cursor_user_id; /* round robin: the member given the last one (0: none) */
    int64_t updated_at;
};

/* A person's availability: their status (online | busy | offline) and whether they count as
 * online only while a workbench of theirs is open; `present` (read only): such a workbench was
 * seen since the time the read asked about. */
struct gd_agent_status {
    int64_t user_id, shop_id;
    const char *status;
    bool workbench_only, present;
    int64_t updated_at;
};

/* A saved filter (docs/savedfilters.md): a list (view) and its filter as URL query text, kept
 * under a name. owner_user_id 0 = shared with the shop, else that user's own. */
struct gd_saved_filter {
    int64_t id;
    int64_t shop_id;
    int64_t owner_user_id;
    const char *name, *view, *query;
    int64_t created_at, updated_at;
};

/* The outcome of one delivery attempt to an endpoint (webhook_attempted applies it to the row). */
struct gd_webhook_attempt {
    bool ok;
    int64_t upto_seq;  /* ok: the last outbox seq the endpoint acknowledged */
    int64_t delivered; /* ok: events this attempt acknowledged */
    int64_t at;        /* when the attempt ended */
    int status;        /* HTTP status; 0 = no answer */
    const char *error; /* failed: why */
    /* failed: the wait after a first failure, doubled for each further consecutive failure,
     * at most backoff_max_ms */
    int64_t backoff_ms, backoff_max_ms;
    int lease_node; /* the node slot that holds the endpoint's delivery lease (-1: never leased) */
};

/* One timeline event owed to a shop's endpoints, with the work order it belongs to. */
struct gd_outbox_event {
    int64_t seq;
    struct gd_event ev;
    int64_t wo_number;
    const char *wo_type;
};

/* A change another process committed (changes_wait). */
struct gd_change {
    int64_t shop_id, workorder_id;
    int origin;   /* the node slot that made it (node_slot_claim); -1 = a process without one */
    bool revoked; /* not a work order: a credential was revoked (revoked_notify; ids 0) */
};

struct gd_store;

/* The bytes of one row of a blob stored in the database (blob_put). */
#define GD_BLOB_CHUNK (256 * 1024)

/* ---- bulk copy (gongdan migrate, service/migrate.c) ----
 * A whole installation as backend-neutral tables of typed cells: each backend reads its own
 * tables out as these rows and writes these rows into its own tables, so no SQL leaves it. */
enum gd_bulk_type { GD_BULK_NULL, GD_BULK_INT, GD_BULK_TEXT, GD_BULK_BLOB };
struct gd_bulk_cell {
    int type;
    int64_t i;     /* GD_BULK_INT */
    const char *p; /* GD_BULK_TEXT (NUL-terminated) or GD_BULK_BLOB bytes */
    size_t len;    /* bytes of p */
};
/* One table of the copy: its name, its columns in cell order (comma-separated) and its key.
 * Most are a table of both schemas under the same name and columns; "search" is each backend's
 * search index as (piece, work order, whether it is the work order's own fields, folded text,
 * the work order's shop). */
struct gd_bulk_table {
    const char *name;
    const char *cols;
    int ncols;
    const char *key;
};
/* Every table a migration copies, parents before children (foreign keys), ended by a NULL name.
 * Left out on purpose: sessions and API tokens (people sign in again) and each backend's own
 * bookkeeping (schema_migrations; the bulk_uncovered op of each backend names what else). */
extern const struct gd_bulk_table gd_bulk_tables[];
/* The position of column `col` among the comma-separated names `cols`, or -1. */
static inline int gd_bulk_col_index(const char *cols, const char *col)
{
    size_t n = strlen(col);
    int i = 0;
    for (const char *p = cols; *p; i++) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, col, n) == 0) {
            return i;
        }
        p += len;
        p += strspn(p, ", ");
    }
    return -1;
}
/* Called once per row read by bulk_dump; the cells live until it returns. Non-zero stops. */
typedef int (*gd_bulk_row_fn)(void *ctx, const struct gd_bulk_cell *cells, struct gd_err *err);

/* Gauges for operators (ops_gauges): the scheduler's backlog, the export queue, the writes. */
struct gd_ops_gauges {
    int64_t deadlines_due;           /* pending timers due at or before now (not yet fired) */
    int64_t oldest_due_at;           /* the earliest pending due time, 0 when none */
    int64_t exports[4];              /* export jobs: queued, running, done, failed */
    int64_t oldest_queued_export_at; /* created_at of the oldest queued export job, 0 when none */
    /* since the process started: commits and the time they took, waits to begin a write
     * transaction (the writer lock) and the time they took */
    int64_t commits, write_waits;
    double commit_seconds, write_wait_seconds;
};

struct gd_store_ops {
    const char *backend; /* "sqlite" or "postgresql" (what /healthz reports) */
    void (*close)(struct gd_store *s);
    /* Applies the migrations the database lacks (a database made by an older version). */
    int (*migrate)(struct gd_store *s, struct gd_err *err);
    /* Writes of this handle outside begin/commit are no longer synced to disk one by one: a crash
     * of the process loses none, a power failure may lose the last. For bookkeeping whose loss
     * only repeats work (the webhook deliverer's cursors: at worst a batch is sent again). */
    void (*relax_durability)(struct gd_store *s);
    /* A write transaction of shop `shop_id`, or platform-wide with 0 (see the top). */
    int (*begin)(struct gd_store *s, int64_t shop_id, struct gd_err *err);
    int (*commit)(struct gd_store *s, struct gd_err *err);
    void (*rollback)(struct gd_store *s);

    /* accounts */
    int (*shop_insert)(struct gd_store *s, const struct gd_shop *shop, struct gd_err *err);
    int (*shop_get)(struct gd_store *s, int64_t id, struct gd_arena *a, struct gd_shop *out,
                    struct gd_err *err);
    int (*shop_get_by_name)(struct gd_store *s, const char *name, struct gd_arena *a,
                            struct gd_shop *out, struct gd_err *err);
    /* Every shop, by name. */
    int (*shops_list)(struct gd_store *s, struct gd_arena *a, struct gd_shop **out, int *count,
                      struct gd_err *err);
    int (*shop_set_aftersales)(struct gd_store *s, int64_t shop_id, int64_t user_id,
                               struct gd_err *err);
    /* Writes name and active of shop `shop->id`; GD_ECONFLICT when the name is another's. */
    int (*shop_update)(struct gd_store *s, const struct gd_shop *shop, struct gd_err *err);
    int (*user_insert)(struct gd_store *s, const struct gd_user *user, struct gd_err *err);
    /* Writes display name, role, password hash, active and must_change_password of user
     * `user->id` (username, shop and creation stay). */
    int (*user_update)(struct gd_store *s, const struct gd_user *user, struct gd_err *err);
    /* Ends every session and API token of the user (`keep_session`: the digest of a session
     * that stays, or NULL); *removed = how many. */
    int (*user_credentials_revoke)(struct gd_store *s, int64_t user_id, const char *keep_session,
                                   int *removed, struct gd_err *err);
    int (*audit_insert)(struct gd_store *s, const struct gd_audit_event *ev, struct gd_err *err);
    /* Audit events of a shop (0 = every shop and the platform's own), newest first, with ids
     * below `before_id` (0 = from the newest), at most `limit`; actor_name filled. */
    int (*audit_list)(struct gd_store *s, int64_t shop_id, int64_t before_id, int limit,
                      struct gd_arena *a, struct gd_audit_event **out, int *count,
                      struct gd_err *err);
    int (*user_get)(struct gd_store *s, int64_t id, struct gd_arena *a, struct gd_user *out,
                    struct gd_err *err);
    int (*user_get_by_username)(struct gd_store *s, const char *username, struct gd_arena *a,
                                struct gd_user *out, struct gd_err *err);
    /* Users of a shop (shop 0 = platform users), in id order. */
    int (*users_list)(struct gd_store *s, int64_t shop_id, struct gd_arena *a, struct gd_user **out,
                      int *count, struct gd_err *err);
    int (*session_insert)(struct gd_store *s, const char *digest, int64_t user_id, const char *csrf,
                          int64_t now, int64_t expires_at, struct gd_err *err);
    /* The user of a live session, its CSRF token and when it expires (`expires_at` may be NULL)
     * (GD_ENOTFOUND once the user or their shop is deactivated; token_get likewise). */
    int (*session_get)(struct gd_store *s, const char *digest, int64_t now, struct gd_arena *a,
                       struct gd_user *out, const char **csrf, int64_t *expires_at,
                       struct gd_err *err);
    int (*session_delete)(struct gd_store *s, const char *digest, struct gd_err *err);
    int (*token_insert)(struct gd_store *s, const char *digest, int64_t id, int64_t user_id,
                        const char *name, int64_t now, struct gd_err *err);
    int (*token_get)(struct gd_store *s, const char *digest, struct gd_arena *a,
                     struct gd_user *out, struct gd_err *err);
    /* Sign-in throttling, per exact key ("user:NAME", "addr:ADDRESS"), shared by every process
     * on the database. Counts one attempt atomically, before its password is checked: refused
     * (*admitted false) while the key is locked; otherwise counted, and the attempt that
     * reaches `max` within `window_ms` of the key's first counted one locks it for `lock_ms`.
     * *locked_until gets the key's lock end (0 = none). A key whose lock and window have both
     * passed starts afresh. */
    int (*login_attempt_reserve)(struct gd_store *s, const char *key, int64_t now,
                                 int64_t window_ms, int max, int64_t lock_ms, bool *admitted,
                                 int64_t *locked_until, struct gd_err *err);
    /* Takes back one counted attempt (it succeeded), lifting the lock when below `max`. */
    int (*login_attempt_release)(struct gd_store *s, const char *key, int max, struct gd_err *err);
    /* Forgets a key's attempts (its account signed in). */
    int (*login_attempt_forget)(struct gd_store *s, const char *key, struct gd_err *err);
    /* Forgets the keys whose lock and window have passed. */
    int (*login_attempts_prune)(struct gd_store *s, int64_t now, int64_t window_ms,
                                struct gd_err *err);

    /* orders */
    /* Inserts or replaces `n` orders of shop `shop_id` (their own shop_id is not read), whose
     * order numbers are distinct; old_status[i] gets order i's previous status (NULL when it is
     * new). An update keeps the order's created_at. PostgreSQL stores them in one statement
     * (an import's chunk is one round trip, not one per row). */
    int (*orders_upsert)(struct gd_store *s, int64_t shop_id, const struct gd_order *orders, int n,
                         struct gd_arena *a, const char **old_status, struct gd_err *err);
    int (*order_get)(struct gd_store *s, int64_t shop_id, const char *order_no, struct gd_arena *a,
                     struct gd_order *out, struct gd_err *err);
    /* Orders whose number or buyer starts with q (ASCII letters in either case; all when q is
     * empty), newest first. */
    int (*orders_search)(struct gd_store *s, int64_t shop_id, const char *q, int limit,
                         struct gd_arena *a, struct gd_order **out, int *count, struct gd_err *err);
    /* The orders of one buyer (the exact nick), newest (created) first, at most `limit`. */
    int (*orders_of_buyer)(struct gd_store *s, int64_t shop_id, const char *buyer_nick, int limit,
                           struct gd_arena *a, struct gd_order **out, int *count,
                           struct gd_err *err);

    /* work orders */
    int (*workorder_next_number)(struct gd_store *s, int64_t shop_id, int64_t *out,
                                 struct gd_err *err);
    int (*workorder_insert)(struct gd_store *s, const struct gd_workorder *wo, struct gd_err *err);
    /* shop_id 0 = any shop (platform staff on collaborative work orders). */
    int (*workorder_get)(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                         struct gd_workorder *out, struct gd_err *err);
    /* Writes every field of `wo` where its version is still `expected_version`
     * (GD_ESTALE otherwise). wo->version must already be the new version. */
    int (*workorder_update)(struct gd_store *s, const struct gd_workorder *wo,
                            int64_t expected_version, struct gd_err *err);
    int (*workorders_list)(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                           struct gd_arena *a, struct gd_workorder **out, int *count,
                           struct gd_err *err);
    /* The rows workorders_list answers for the same arguments, in its order, with only what
     * keys a rendered row filled in: id, shop_id, version, state, deadline_at (the cursor),
     * handler_id, creator_id and the two names (they change without the row's version); the
     * rest is zero. A narrow read of the same statement (the list's rows cached by version). */
    int (*workorders_list_keys)(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                                struct gd_arena *a, struct gd_workorder **out, int *count,
                                struct gd_err *err);
    /* The display names of n users: names[i] of ids[i], NULL for an id no user has. */
    int (*users_names)(struct gd_store *s, const int64_t *ids, int n, struct gd_arena *a,
                       const char **names, struct gd_err *err);
    /* Active work orders of `type` about an order (shipping auto-completion). */
    int (*workorders_by_order)(struct gd_store *s, int64_t shop_id, const char *order_no, int type,
                               struct gd_arena *a, struct gd_workorder **out, int *count,
                               struct gd_err *err);
    /* The searchable text of a work order: replaced whole, or appended to (notes). */
    int (*search_set)(struct gd_store *s, int64_t shop_id, int64_t workorder_id, const char *text,
                      struct gd_err *err);
    int (*search_append)(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                         const char *text, struct gd_err *err);

    /* timeline */
    int (*event_append)(struct gd_store *s, const struct gd_event *ev, struct gd_err *err);
    /* n events in one statement (the firing engine's batch), as n event_append in order. */
    int (*events_append_many)(struct gd_store *s, const struct gd_event *evs, int n,
                              struct gd_err *err);
    int (*events_list)(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                       struct gd_arena *a, struct gd_event **out, int *count, struct gd_err *err);

    /* counters */
    int (*counter_add)(struct gd_store *s, int64_t shop_id, const char *key, int delta,
                       struct gd_err *err);
    int (*counter_get)(struct gd_store *s, int64_t shop_id, const char *key, int64_t *out,
                       struct gd_err *err);

    /* idempotency: the first response to (user, key), with the digest of the request that
     * made it (*digest NULL for a record older than digests). Read and written inside the
     * transaction of the create the key guards, so the record and the create commit together;
     * idem_put of a key that exists is GD_ECONFLICT (the transaction stays usable). */
    int (*idem_get)(struct gd_store *s, int64_t user_id, const char *key, struct gd_arena *a,
                    int *status, const char **body, const char **digest, struct gd_err *err);
    int (*idem_put)(struct gd_store *s, int64_t user_id, const char *key, const char *digest,
                    int status, const char *body, int64_t now, struct gd_err *err);

    /* deadlines (the timers of the deadline engine) */
    int (*deadline_insert)(struct gd_store *s, const struct gd_deadline *d, struct gd_err *err);
    /* Cancels the pending timers of a work order (of `kind`, or every kind when NULL). */
    int (*deadline_cancel)(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                           const char *kind, struct gd_err *err);
    /* Takes the pending timer d->id of shop d->shop_id: deletes it (GD_ESTALE when it fired or
     * was cancelled since). d->due_at is its due time as read (a timer's never changes): SQLite
     * finds it by its place in the claim order (migration 0026). */
    int (*deadline_take)(struct gd_store *s, const struct gd_deadline *d, struct gd_err *err);
    /* The earliest pending due time, or 0 when none. */
    int (*deadline_next_due)(struct gd_store *s, int64_t *out, struct gd_err *err);
    /* Takes up to `max` pending timers due at or before `now` and deletes them, inside the
     * caller's transaction: the firing engine acts on them in that same transaction, so a
     * rollback returns them to pending (one statement instead of claim + one mark per timer).
     * They come in due order (then id) on SQLite, in no given order on PostgreSQL. A fired timer
     * leaves no row: nothing reads fired timers, and a delete writes less than a mark (the
     * janitor then has nothing to remove). */
    int (*deadlines_take)(struct gd_store *s, int64_t now, int max, struct gd_arena *a,
                          struct gd_deadline **out, int *count, struct gd_err *err);
    /* The work orders (shop_ids[i], ids[i]) for i < n in one statement (the firing engine reads
     * the work orders of a batch at once, not one round trip each): out[i], or out[i].id == 0
     * when there is no such work order in that shop. */
    int (*workorders_get_many)(struct gd_store *s, const int64_t *shop_ids, const int64_t *ids,
                               int n, struct gd_arena *a, struct gd_workorder *out,
                               struct gd_err *err);
    /* The same, brief: what an overdue firing reads (its checks, counters, statistics key,
     * notification and live stream): every column but the content, order number, buyer, custom
     * fields and the handler's and creator's names (NULL; no join of the users). */
    int (*workorders_get_brief)(struct gd_store *s, const int64_t *shop_ids, const int64_t *ids,
                                int n, struct gd_arena *a, struct gd_workorder *out,
                                struct gd_err *err);
    /* Sets overdue and updated_at of `wo` where its version is still wo->version (the firing
     * path). The mark keeps the version: the one index entry it moves is the overdue index's,
     * not the covering todo index's, which holds the version (docs/decisions.md, "The overdue
     * mark keeps the version"). GD_ESTALE when the version no longer holds. */
    int (*workorder_mark_overdue)(struct gd_store *s, const struct gd_workorder *wo,
                                  struct gd_err *err);
    /* The same for n work orders (each at most once) in one statement: GD_ESTALE when any of
     * them no longer has its version (the others may be marked: roll back). */
    int (*workorders_mark_overdue_many)(struct gd_store *s, const struct gd_workorder *wos, int n,
                                        struct gd_err *err);

    /* A number that changes whenever the database changes, by this handle or any other
     * connection or process: lets readers keep results until it moves. */
    int (*generation)(struct gd_store *s, int64_t *out);
    /* A number that changes whenever what a view of shop `shop_id` shows may have changed (0:
     * the platform's views, which span shops): a committed write of that shop (begin(shop_id)),
     * a platform-wide one (begin(0)), and any commit the backend cannot tell the shop of
     * (another process, another node, an operation outside begin..commit). It may move more
     * often, never less. GD_ERETRY while a write it would count is being committed: keep
     * nothing read now. Numbers are comparable within one process only; outside a transaction.
     * (SQLite tells the shops of this process's own writes apart; PostgreSQL gives the
     * generation above for every shop.) */
    int (*shop_generation)(struct gd_store *s, int64_t shop_id, int64_t *out);

    /* What an operator watches, across every shop (/metrics). */
    int (*ops_gauges)(struct gd_store *s, int64_t now, struct gd_ops_gauges *out,
                      struct gd_err *err);

    /* platform rules (versioned) and collaborative work orders */
    /* Stores `body` as the next version; *version gets its number. */
    int (*rules_insert)(struct gd_store *s, const char *body, int64_t created_by, int64_t now,
                        int64_t *version, struct gd_err *err);
    /* Version `version`, or the newest when 0 (GD_ENOTFOUND when there is none). */
    int (*rules_get)(struct gd_store *s, int64_t version, struct gd_arena *a, int64_t *version_out,
                     const char **body, int64_t *created_at, struct gd_err *err);
    int (*collab_insert)(struct gd_store *s, const struct gd_collab *c, struct gd_err *err);
    int (*collab_get)(struct gd_store *s, int64_t shop_id, int64_t workorder_id, struct gd_arena *a,
                      struct gd_collab *out, struct gd_err *err);
    int (*collab_update)(struct gd_store *s, const struct gd_collab *c, struct gd_err *err);
    int (*attachment_insert)(struct gd_store *s, const struct gd_attachment *at,
                             struct gd_err *err);
    /* shop_id 0 = any shop (platform staff; a platform upload not yet linked has shop 0). */
    int (*attachment_get)(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                          struct gd_attachment *out, struct gd_err *err);
    /* Links an unlinked upload of `uploader_id` to a work order (GD_ENOTFOUND when it is not
     * such an upload: someone else's, or already linked). */
    int (*attachment_link)(struct gd_store *s, int64_t id, int64_t uploader_id, int64_t shop_id,
                           int64_t workorder_id, const char *purpose, struct gd_err *err);
    int (*attachments_list)(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                            struct gd_arena *a, struct gd_attachment **out, int *count,
                            struct gd_err *err);

    /* reports */
    /* The contribution a work order last made to the rollups (GD_ENOTFOUND when none). */
    int (*stats_contrib_get)(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                             struct gd_stats_contrib *out, struct gd_err *err);
    int (*stats_contrib_put)(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                             const struct gd_stats_contrib *c, struct gd_err *err);
    /* The same for n work orders (shop_ids[i], workorder_ids[i]) in one statement each (the
     * firing engine's batch): found[i] false when there is none; put writes c[i] for each (a
     * work order at most once per call). */
    int (*stats_contribs_get)(struct gd_store *s, const int64_t *shop_ids,
                              const int64_t *workorder_ids, int n, struct gd_stats_contrib *out,
                              bool *found, struct gd_err *err);
    int (*stats_contribs_put)(struct gd_store *s, const int64_t *shop_ids,
                              const int64_t *workorder_ids, const struct gd_stats_contrib *c, int n,
                              struct gd_err *err);
    /* One rollup row; an absent row reads as zeros. */
    int (*stats_rollup_get)(struct gd_store *s, int64_t shop_id, const struct gd_stats_key *k,
                            struct gd_arena *a, struct gd_stats_row *out, struct gd_err *err);
    /* Writes the daily row (deletes it when every count is zero): a rebuild's computed rows;
     * the months and the days by type follow with stats_summaries_refresh. */
    int (*stats_rollup_put)(struct gd_store *s, const struct gd_stats_row *row, struct gd_err *err);
    /* Adds `sign` (+1 or -1) times a contribution to its row `k` of the shop: the counts `n`,
     * and one duration in the first-action and done histograms (bucket -1 = none), and the same
     * to the row of k's month in the monthly rollups and to the row of k's day and type
     * (stats_type_days_list), in the same transaction. Each row is
     * read and written inside the store, locked meanwhile (an absent row starts at zeros; one
     * whose counts all reach zero is removed). */
    int (*stats_rollup_add)(struct gd_store *s, int64_t shop_id, const struct gd_stats_key *k,
                            const struct gd_stats_counts *n, int fa_bucket, int done_bucket,
                            int sign, struct gd_err *err);
    /* Rows of days [day_from, day_to] of a shop (0 = every shop), optionally of one type (-1 =
     * any) and handler (-1 = any). */
    int (*stats_rollup_list)(struct gd_store *s, int64_t shop_id, int64_t day_from, int64_t day_to,
                             int type, int64_t handler_id, struct gd_arena *a,
                             struct gd_stats_row **out, int *count, struct gd_err *err);
    /* The monthly rollups: rows of the months whose first days are in [month_from, month_to]
     * (key.day is the month's first day), filtered as stats_rollup_list. Each is the sum of its
     * month's daily rows: stats_rollup_add moves both. */
    int (*stats_months_list)(struct gd_store *s, int64_t shop_id, int64_t month_from,
                             int64_t month_to, int type, int64_t handler_id, struct gd_arena *a,
                             struct gd_stats_row **out, int *count, struct gd_err *err);
    /* The daily rows of a type with every handler summed (key.handler_id -1): rows of days
     * [day_from, day_to] of a shop (0 = every shop), of one type or any (-1). stats_rollup_add
     * moves them too. */
    int (*stats_type_days_list)(struct gd_store *s, int64_t shop_id, int64_t day_from,
                                int64_t day_to, int type, struct gd_arena *a,
                                struct gd_stats_row **out, int *count, struct gd_err *err);
    /* Recomputes a shop's monthly rows and its rows per day and type from its daily rows (after
     * a rebuild's stats_rollup_put, which writes daily rows only). */
    int (*stats_summaries_refresh)(struct gd_store *s, int64_t shop_id, struct gd_err *err);
    int (*stats_orders_add)(struct gd_store *s, int64_t shop_id, int64_t day, int64_t delta,
                            struct gd_err *err);
    /* Orders created on days [day_from, day_to] of a shop (0 = every shop). */
    int (*stats_orders_sum)(struct gd_store *s, int64_t shop_id, int64_t day_from, int64_t day_to,
                            int64_t *out, struct gd_err *err);
    /* Forgets a shop's rollups and contributions and recounts its orders per day (rebuild). */
    int (*stats_reset)(struct gd_store *s, int64_t shop_id, int tz_offset_min, struct gd_err *err);
    /* Work orders matching the filter with after_id < id <= max_id, in id order. */
    int (*export_rows)(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                       int64_t after_id, int64_t max_id, int limit, struct gd_arena *a,
                       struct gd_export_row **out, int *count, struct gd_err *err);
    /* How many work orders match the filter, and the largest id among the shop's. */
    int (*export_count)(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                        int64_t *count, int64_t *max_id, struct gd_err *err);
    int (*export_insert)(struct gd_store *s, const struct gd_export_job *job, struct gd_err *err);
    /* shop_id 0 = any shop (the worker). */
    int (*export_get)(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                      struct gd_export_job *out, struct gd_err *err);
    /* Writes state, rows, file name, path, error and finish time (of the job's shop). */
    int (*export_update)(struct gd_store *s, const struct gd_export_job *job, struct gd_err *err);
    /* Moves the oldest job that is queued, or running under a lease that expired (its node
     * died), to running under a lease of node slot `node` for `lease_ms`, and reads it
     * (GD_ENOTFOUND when none). Leases are timed by the database's clock. SQLite: one process,
     * no lease (only queued jobs are taken). */
    int (*export_claim)(struct gd_store *s, int node, int64_t lease_ms, struct gd_arena *a,
                        struct gd_export_job *out, struct gd_err *err);
    /* Renews the lease of running job `id` for `lease_ms` (GD_ESTALE when `node` no longer
     * holds it: another node took it over). SQLite: nothing to renew. */
    int (*export_lease)(struct gd_store *s, int64_t id, int node, int64_t lease_ms,
                        struct gd_err *err);
    /* Puts jobs left running by a process that is gone back in the queue: on PostgreSQL those
     * whose lease expired (a live node's job stays its own), on SQLite every running one. */
    int (*exports_requeue)(struct gd_store *s, struct gd_err *err);

    /* webhooks */
    /* Inserts the endpoint; its cursor starts at the newest outbox row (it is owed what follows). */
    int (*webhook_insert)(struct gd_store *s, const struct gd_webhook *w, struct gd_err *err);
    /* A shop's endpoints in id order. */
    int (*webhooks_list)(struct gd_store *s, int64_t shop_id, struct gd_arena *a,
                         struct gd_webhook **out, int *count, struct gd_err *err);
    int (*webhook_delete)(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_err *err);
    /* Endpoints of every shop with events owed and next_attempt_at <= now, the most overdue first. */
    int (*webhooks_due)(struct gd_store *s, int64_t now, int limit, struct gd_arena *a,
                        struct gd_webhook **out, int *count, struct gd_err *err);
    /* Applies an attempt's outcome to the endpoint's row inside the store, so two writers
     * (nodes, a retried unit of work) add up instead of overwriting each other. Ok: the cursor
     * moves to upto_seq (never back), delivered grows by att->delivered, failures and
     * next_attempt_at become 0, last_error "". Failed: failures grows by one, next_attempt_at
     * = at + min(backoff_ms * 2^(failures before), backoff_max_ms), last_error = error. Both:
     * last_attempt_at = at, last_status = status. Applied only while att->lease_node still
     * holds the endpoint's delivery lease: GD_ESTALE once another node took it over (that node
     * sends the batch again), or when the endpoint was deleted. */
    int (*webhook_attempted)(struct gd_store *s, int64_t shop_id, int64_t id,
                             const struct gd_webhook_attempt *att, struct gd_err *err);
    /* Moves the cursor past events the endpoint does not take (never back); nothing else. Like
     * webhook_attempted, only while node slot `node` holds the lease (else GD_ESTALE). */
    int (*webhook_skip)(struct gd_store *s, int64_t shop_id, int64_t id, int node, int64_t upto_seq,
                        struct gd_err *err);
    /* Claims or renews the delivery lease of endpoint `id` for node slot `node`: taken when it
     * runs out, was handed back or is already `node`'s, and then runs `lease_ms` from now by the
     * database's clock (PostgreSQL's is every node's; SQLite's is the one process's). *held =
     * false while another node's lease runs. One deliverer per endpoint: its order. */
    int (*webhook_lease)(struct gd_store *s, int64_t shop_id, int64_t id, int node,
                         int64_t lease_ms, bool *held, struct gd_err *err);
    /* Hands back every lease of node slot `node` (a stopping node: its endpoints move at once). */
    int (*webhook_leases_release)(struct gd_store *s, int node, struct gd_err *err);
    /* Queues an event for the shop's endpoints, inside the event's transaction (nothing when the
     * shop has none). */
    int (*outbox_add)(struct gd_store *s, int64_t shop_id, int64_t event_id, struct gd_err *err);
    /* The same for n events of one shop in one statement, queued in the order given. */
    int (*outbox_add_many)(struct gd_store *s, int64_t shop_id, const int64_t *event_ids, int n,
                           struct gd_err *err);
    /* The shop's queued events after `after_seq`, in order. */
    int (*outbox_list)(struct gd_store *s, int64_t shop_id, int64_t after_seq, int limit,
                       struct gd_arena *a, struct gd_outbox_event **out, int *count,
                       struct gd_err *err);
    /* Forgets the rows every endpoint of their shop has acknowledged. */
    int (*outbox_trim)(struct gd_store *s, struct gd_err *err);

    /* notifications (each names its user: nobody reads or marks another's) */
    int (*notification_insert)(struct gd_store *s, const struct gd_notification *n,
                               struct gd_err *err);
    /* n notifications in one statement (the firing engine's batch). */
    int (*notifications_insert_many)(struct gd_store *s, const struct gd_notification *ns, int n,
                                     struct gd_err *err);
    /* The user's notifications with id below `before` (0 = from the newest), newest first, at
     * most `limit`; only the unread ones when unread_only. */
    int (*notifications_list)(struct gd_store *s, int64_t user_id, int64_t before, int limit,
                              bool unread_only, struct gd_arena *a, struct gd_notification **out,
                              int *count, struct gd_err *err);
    /* How many of the user's notifications are unread (the bell). */
    int (*notifications_unread)(struct gd_store *s, int64_t user_id, int64_t *out,
                                struct gd_err *err);
    /* Marks the user's unread notification `id` (0 = every unread one of theirs) read at `at`;
     * *changed = rows marked (another user's id marks nothing). */
    int (*notifications_mark_read)(struct gd_store *s, int64_t user_id, int64_t id, int64_t at,
                                   int *changed, struct gd_err *err);
    /* The kinds the user turned off, comma-separated ("" when none or never set). */
    int (*notify_prefs_get)(struct gd_store *s, int64_t user_id, struct gd_arena *a,
                            const char **muted, struct gd_err *err);
    int (*notify_prefs_set)(struct gd_store *s, int64_t user_id, const char *muted, int64_t at,
                            struct gd_err *err);

    /* quick replies (every one names its shop: another shop's id is GD_ENOTFOUND) */
    /* What `user_id` may use: the shop-wide ones and their own, shop-wide first, each group in
     * title order (then id). */
    int (*quickreplies_list)(struct gd_store *s, int64_t shop_id, int64_t user_id,
                             struct gd_arena *a, struct gd_quickreply **out, int *count,
                             struct gd_err *err);
    /* How many the shop has that are owner_user_id's own (0: the shop-wide ones). */
    int (*quickreplies_count)(struct gd_store *s, int64_t shop_id, int64_t owner_user_id, int *out,
                              struct gd_err *err);
    int (*quickreply_get)(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                          struct gd_quickreply *out, struct gd_err *err);
    int (*quickreply_insert)(struct gd_store *s, const struct gd_quickreply *q, struct gd_err *err);
    /* Sets title, body and updated_at of row q->id of shop q->shop_id (its owner stays). */
    int (*quickreply_update)(struct gd_store *s, const struct gd_quickreply *q, struct gd_err *err);
    int (*quickreply_delete)(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_err *err);

    /* saved filters (docs/savedfilters.md; every one names its shop: another shop's id is
     * GD_ENOTFOUND) */
    /* What `user_id` may use: the shared ones and their own, shared first, each group in name
     * order (then id). */
    int (*savedfilters_list)(struct gd_store *s, int64_t shop_id, int64_t user_id,
                             struct gd_arena *a, struct gd_saved_filter **out, int *count,
                             struct gd_err *err);
    /* How many the shop has that are owner_user_id's own (0: the shared ones). */
    int (*savedfilters_count)(struct gd_store *s, int64_t shop_id, int64_t owner_user_id, int *out,
                              struct gd_err *err);
    int (*savedfilter_get)(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_arena *a,
                           struct gd_saved_filter *out, struct gd_err *err);
    int (*savedfilter_insert)(struct gd_store *s, const struct gd_saved_filter *f,
                              struct gd_err *err);
    /* Sets name, view, query and updated_at of row f->id of shop f->shop_id (its owner stays). */
    int (*savedfilter_update)(struct gd_store *s, const struct gd_saved_filter *f,
                              struct gd_err *err);
    int (*savedfilter_delete)(struct gd_store *s, int64_t shop_id, int64_t id, struct gd_err *err);
    /* How many work orders match the filter (f->limit, sort and cursor are not used), counting
     * at most `cap`: *out is min(matches, cap), so the cost stays bounded whatever matches. */
    int (*workorders_count)(struct gd_store *s, int64_t shop_id, const struct gd_wo_filter *f,
                            int cap, int64_t *out, struct gd_err *err);

    /* the chat-side panel (docs/panel.md) */
    /* The shop's panel settings: its allowed frame origins (space-separated, "" when none) and
     * its link-signing secret (NULL when none); both empty for a shop that never set them. */
    int (*panel_get)(struct gd_store *s, int64_t shop_id, struct gd_arena *a, const char **origins,
                     const char **secret, struct gd_err *err);
    /* Writes the shop's origins and/or secret (NULL keeps the stored value). */
    int (*panel_put)(struct gd_store *s, int64_t shop_id, const char *origins, const char *secret,
                     int64_t now, struct gd_err *err);
    /* Records a signed link (by its digest) as used until `expires_at`: GD_ECONFLICT when it was
     * used already (the transaction stays usable). Forgets the links expired before `now`. */
    int (*panel_link_use)(struct gd_store *s, int64_t shop_id, const char *digest,
                          int64_t expires_at, int64_t now, struct gd_err *err);

    /* time targets (docs/targets.md) */
    /* The shop's hours and policies (09:00-18:00 and none for a shop that never set them). */
    int (*targets_get)(struct gd_store *s, int64_t shop_id, struct gd_target_settings *out,
                       struct gd_err *err);
    /* Replaces the shop's hours and every policy with `in`. */
    int (*targets_put)(struct gd_store *s, int64_t shop_id, const struct gd_target_settings *in,
                       int64_t now, struct gd_err *err);
    /* A work order's targets (GD_ENOTFOUND: it has none). */
    int (*wo_target_get)(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                         struct gd_wo_target *out, struct gd_err *err);
    /* Inserts or replaces the row of t->workorder_id. */
    int (*wo_target_put)(struct gd_store *s, const struct gd_wo_target *t, struct gd_err *err);
    /* Met and missed targets of the shop's work orders created in [from, to), one row per type
     * and handler (handler 0: none) that has any, into `a`. */
    int (*target_stats)(struct gd_store *s, int64_t shop_id, int64_t from, int64_t to,
                        struct gd_arena *a, struct gd_target_count **out, int *n,
                        struct gd_err *err);
    /* shop types and custom fields (docs/types.md; every one names its shop) */
    /* The shop's own types in code order (retired ones too). */
    int (*wo_types_list)(struct gd_store *s, int64_t shop_id, struct gd_arena *a,
                         struct gd_shop_type **out, int *count, struct gd_err *err);
    int (*wo_type_get)(struct gd_store *s, int64_t shop_id, int code, struct gd_arena *a,
                       struct gd_shop_type *out, struct gd_err *err);
    /* Inserts t as the shop's next type: t->code gets one more than the shop's largest code
     * (GD_TYPE_SHOP_FIRST for its first), drawn inside the store. */
    int (*wo_type_insert)(struct gd_store *s, struct gd_shop_type *t, struct gd_err *err);
    /* Writes names, deadline, handler, colour, retired and updated_at of type t->code. */
    int (*wo_type_update)(struct gd_store *s, const struct gd_shop_type *t, struct gd_err *err);
    /* The fields of one type (type_code), or of every type of the shop (-1), by type, position
     * and id, retired ones too. */
    int (*wo_fields_list)(struct gd_store *s, int64_t shop_id, int type_code, struct gd_arena *a,
                          struct gd_shop_field **out, int *count, struct gd_err *err);
    /* GD_ECONFLICT when the shop has a field of that key already (the transaction stays usable). */
    int (*wo_field_insert)(struct gd_store *s, const struct gd_shop_field *f, struct gd_err *err);
    /* Writes labels, required, options, position, retired and updated_at of field f->id. */
    int (*wo_field_update)(struct gd_store *s, const struct gd_shop_field *f, struct gd_err *err);
    /* Replaces the indexed values of a work order's fields with `values` (n of them), each
     * with the work order's due_key (written first: its row must exist; a later change of
     * its due_key moves its values with it). */
    int (*wo_field_values_set)(struct gd_store *s, int64_t shop_id, int64_t workorder_id,
                               const struct gd_field_value *values, int n, struct gd_err *err);
    /* assignment rules and availability (docs/assignment.md; every one names its shop) */
    /* The shop's rules in type_key order. */
    int (*assign_rules_list)(struct gd_store *s, int64_t shop_id, struct gd_arena *a,
                             struct gd_assign_rule **out, int *count, struct gd_err *err);
    /* The rule of `type_key` (GD_ENOTFOUND: the type has none). */
    int (*assign_rule_get)(struct gd_store *s, int64_t shop_id, const char *type_key,
                           struct gd_arena *a, struct gd_assign_rule *out, struct gd_err *err);
    /* Inserts or replaces the rule of r->type_key (a replaced rule keeps its cursor). */
    int (*assign_rule_put)(struct gd_store *s, const struct gd_assign_rule *r, struct gd_err *err);
    int (*assign_rule_delete)(struct gd_store *s, int64_t shop_id, const char *type_key,
                              struct gd_err *err);
    /* Moves round robin's cursor of the rule to `user_id`, inside the caller's transaction. */
    int (*assign_rule_cursor)(struct gd_store *s, int64_t shop_id, const char *type_key,
                              int64_t user_id, struct gd_err *err);
    /* The statuses the shop's people set (a person without one has none here), each `present`
     * when a workbench presence of theirs was seen at or after `present_since`. */
    int (*agent_statuses_list)(struct gd_store *s, int64_t shop_id, int64_t present_since,
                               struct gd_arena *a, struct gd_agent_status **out, int *count,
                               struct gd_err *err);
    /* Inserts or replaces st->user_id's status. */
    int (*agent_status_put)(struct gd_store *s, const struct gd_agent_status *st,
                            struct gd_err *err);
    /* Node slot `node` has a live stream of `user_id` open now (seen_at = now), or has none
     * any more (drop); outside a transaction, each a single statement. The touch writes only
     * for a person whose status is workbench_only: nobody else's presence is read, and a write
     * per stream and heartbeat would move the generation (and empty the view cache) for nothing. */
    int (*agent_presence_touch)(struct gd_store *s, int64_t user_id, int node, int64_t now,
                                struct gd_err *err);
    int (*agent_presence_drop)(struct gd_store *s, int64_t user_id, int node, struct gd_err *err);

    /* ---- storage hardening: statement cache, retention ---- */
    /* How many prepared statements this handle's current connection holds (bounded by the
     * backend's statement cache whatever SQL the filters produce). */
    int (*statements_prepared)(struct gd_store *s, int *out);
    /* Retention, each removing at most `limit` rows per call (*removed says how many):
     * sessions whose expiry has come (expires_at <= now); idempotency records made before
     * `before`. */
    int (*sessions_expire)(struct gd_store *s, int64_t now, int limit, int *removed,
                           struct gd_err *err);
    int (*idem_expire)(struct gd_store *s, int64_t before, int limit, int *removed,
                       struct gd_err *err);
    /* Timers that fired or were cancelled, due before `before` (pending ones always stay). */
    int (*timers_expire)(struct gd_store *s, int64_t before, int limit, int *removed,
                         struct gd_err *err);
    /* Uploads never linked to a work order, made before `before` (id, shop and sha256 filled). */
    int (*attachments_unlinked)(struct gd_store *s, int64_t before, int limit, struct gd_arena *a,
                                struct gd_attachment **out, int *count, struct gd_err *err);
    /* Removes an unlinked upload's row (a linked one stays: GD_ENOTFOUND); *content_used says
     * whether another attachment still has the same content (sha256), whose file then stays. */
    int (*attachment_delete_unlinked)(struct gd_store *s, int64_t shop_id, int64_t id,
                                      const char *sha256, bool *content_used, struct gd_err *err);
    /* Export jobs done before `before` (finished_at), oldest first (a failed one has no file). */
    int (*exports_finished)(struct gd_store *s, int64_t before, int limit, struct gd_arena *a,
                            struct gd_export_job **out, int *count, struct gd_err *err);

    /* ---- bulk copy (gongdan migrate) ---- */
    /* A read-only view of one moment: every bulk_dump and bulk_count until snapshot_end sees the
     * database as it was when it began, whatever other connections write meanwhile. */
    int (*snapshot_begin)(struct gd_store *s, struct gd_err *err);
    void (*snapshot_end)(struct gd_store *s);
    /* Rows of table `t`. */
    int (*bulk_count)(struct gd_store *s, const struct gd_bulk_table *t, int64_t *out,
                      struct gd_err *err);
    /* Calls `row` with every row of `t` in key order, streaming (memory stays bounded). */
    int (*bulk_dump)(struct gd_store *s, const struct gd_bulk_table *t, gd_bulk_row_fn row,
                     void *ctx, struct gd_err *err);
    /* Before the first bulk_load, in the copy's write transaction on an empty database: readies
     * the tables of `tables` (ended by a NULL name) for loading. PostgreSQL drops their
     * secondary indexes, which bulk_finish builds again from the same definitions; SQLite does
     * nothing. */
    int (*bulk_start)(struct gd_store *s, const struct gd_bulk_table *tables, struct gd_err *err);
    /* Writes `nrows` rows of `t` (nrows * t->ncols cells, row after row) inside the caller's
     * write transaction. */
    int (*bulk_load)(struct gd_store *s, const struct gd_bulk_table *t,
                     const struct gd_bulk_cell *cells, int nrows, struct gd_err *err);
    /* After every table is loaded, in the same transaction: what bulk_start dropped is built
     * again (the database then has exactly the indexes its migrations made), the backend's own
     * numbering moves past the copied rows (PostgreSQL: the search piece sequence, each shop's
     * outbox seq), and the planner learns the new sizes. */
    int (*bulk_finish)(struct gd_store *s, struct gd_err *err);
    /* The first table or column of this database that neither `tables` (gd_bulk_tables)
     * covers nor the backend leaves out on purpose ("table x", "column workorders.y"); *what =
     * NULL when every one is covered. A migration refuses to run while one is not: it would
     * leave data behind. */
    int (*bulk_uncovered)(struct gd_store *s, const struct gd_bulk_table *tables,
                          struct gd_arena *a, const char **what, struct gd_err *err);
    /* ---- stored bytes: attachment content, thumbnails, export files ----
     * A blob is named by a folder ("attachments", "thumbnails", "exports") and a key: content's
     * SHA-256 in hex (with a suffix for what is made from it, "<sha>.webp"), or an export's
     * "<job id>.<format>". PostgreSQL keeps them in the database, in rows of GD_BLOB_CHUNK
     * bytes, so every node reads what any node stored; SQLite keeps them as files under `dir`
     * (--data-dir), <dir>/<folder>/<key[0..1]>/<key[2..]>, its process owning them. A blob is
     * seen whole or not at all, and storing a key that is there already keeps the stored one
     * (a key names its content). Called outside a write transaction (each commits alone). */
    int (*blob_put)(struct gd_store *s, const char *dir, const char *folder, const char *key,
                    const void *data, size_t len, struct gd_err *err);
    /* The same from the file at `path`, read a chunk at a time; the file is used up (moved in
     * or removed). */
    int (*blob_put_file)(struct gd_store *s, const char *dir, const char *folder, const char *key,
                         const char *path, struct gd_err *err);
    /* The size of a stored blob (GD_ENOTFOUND when there is none). */
    int (*blob_size)(struct gd_store *s, const char *dir, const char *folder, const char *key,
                     int64_t *size, struct gd_err *err);
    /* Up to `cap` bytes from `offset` (at most one chunk): *n = 0 at the end. A download reads
     * a blob this way piece by piece, never whole. */
    int (*blob_read)(struct gd_store *s, const char *dir, const char *folder, const char *key,
                     int64_t offset, void *buf, size_t cap, size_t *n, struct gd_err *err);
    /* Removes a blob (GD_OK when there was none). */
    int (*blob_delete)(struct gd_store *s, const char *dir, const char *folder, const char *key,
                       struct gd_err *err);

    /* ---- several processes ("nodes") on one database (docs/decisions.md) ---- */
    /* Claims a node slot in 0..nslots-1 that no other live process holds, held until this
     * handle closes or its process dies (PostgreSQL: a session advisory lock). GD_ELIMIT when
     * every slot is held; *slot = -1 when the backend has one process only (SQLite). */
    int (*node_slot_claim)(struct gd_store *s, int nslots, int *slot, struct gd_err *err);
    /* Inside a write transaction: every listener (changes_wait) hears that work order
     * `workorder_id` of `shop_id` changed, made by node slot `origin`, once and only if the
     * transaction commits. SQLite: nothing (one process owns the file). */
    int (*change_notify)(struct gd_store *s, int64_t shop_id, int64_t workorder_id, int origin,
                         struct gd_err *err);
    /* Waits up to timeout_ms for changes committed by any process after this handle's first
     * call, and reads up to `max` of them. *gap: the handle's connection was lost and is back,
     * so changes committed meanwhile were missed. GD_ERETRY: the connection is lost now (call
     * again later). SQLite: waits and reports none. Use a handle for nothing else. */
    int (*changes_wait)(struct gd_store *s, int timeout_ms, struct gd_change *out, int max,
                        int *count, bool *gap, struct gd_err *err);
    /* Every listener (changes_wait) hears that node slot `origin` revoked a credential (a
     * sign-out): at once outside a transaction, at its commit inside one. SQLite: nothing. */
    int (*revoked_notify)(struct gd_store *s, int origin, struct gd_err *err);
    /* One import per shop across processes: takes the shop's import lock for this handle
     * (*held = false while another handle holds it), kept until import_unlock or until the
     * handle closes or its process dies (PostgreSQL: a session advisory lock). SQLite: always
     * held (one process owns the file; the service keeps its own set). */
    int (*import_lock)(struct gd_store *s, int64_t shop_id, bool *held, struct gd_err *err);
    void (*import_unlock)(struct gd_store *s, int64_t shop_id);
};

struct gd_store {
    const struct gd_store_ops *ops;
};

#define GD_STORE(s, op, ...) ((s)->ops->op((s), __VA_ARGS__))
#define GD_STORE0(s, op) ((s)->ops->op(s))

/* Statements the backend's caches have finalised to stay bounded (process-wide, for /metrics). */
/* For the backends: every write of a work order moves its version (the lists' rendered rows
 * are kept by it, docs/decisions.md "Rendered list rows are kept by version"), so a write that
 * would keep it is refused, GD_EINVAL, before it is made. */
static inline int gd_store__version_moves(const struct gd_workorder *wo, int64_t expected_version,
                                          struct gd_err *err)
{
    if (wo->version <= expected_version) {
        return gd_err_set(err, GD_EINVAL, "work order %lld written without a new version",
                          (long long)wo->id);
    }
    return GD_OK;
}
long gd_store_statements_evicted(void);
/* Bytes SQLite holds in this process (its page caches above all), now and at its peak; 0 when no
 * SQLite store was opened. */
void gd_store_sqlite_memory(int64_t *used, int64_t *peak);
/* Database connections found broken, and opened again, process-wide (for /metrics; SQLite's
 * file never breaks this way). */
long gd_store_connections_lost(void);
long gd_store_reconnects(void);
/* The database generation's reads that went to the database server (PostgreSQL's round trips;
 * threads asking at once share one, fence.c), process-wide, for /metrics. SQLite's is an
 * in-process read: 0. */
long gd_store_generation_reads(void);
/* ... and how many callers they answered (several per read while threads ask at once). */
long gd_store_generation_answers(void);
/* The database generation without holding the caller: done(ctx, status, value) is called, on
 * another thread, with the first read of the database at `url` that starts after this call;
 * false when the backend reads its generation in-process (SQLite), which the caller then does
 * as usual. The value is as fresh as one read now: the caller gives it to its own thread's reads
 * with gd_store_generation_given(&value) while it serves the request it asked for, and
 * gd_store_generation_given(NULL) after (PostgreSQL's generation and shop_generation answer it
 * without a round trip). */
typedef void (*gd_store_gen_cb)(void *ctx, int status, int64_t value);
bool gd_store_generation_ask(const char *url, gd_store_gen_cb done, void *ctx);
void gd_store_generation_given(const int64_t *value);

/* Opens "sqlite:PATH" (or a bare path) or "postgres[ql]://..." (a libpq URI), creating (SQLite)
 * and migrating the database when asked. A malformed URL is GD_EINVAL naming the wrong part;
 * a database that cannot be reached is GD_EIO. */
int gd_store_open(const char *url, bool migrate, struct gd_store **out, struct gd_err *err);
void gd_store_close(struct gd_store *s);

#endif
