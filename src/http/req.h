/* One HTTP request as the handlers see it, the route table entry, and the helpers every handler
 * uses: JSON input with field-by-field validation, the one error -> status map, JSON output.
 *
 * Ownership: everything hangs off the request's arena or is freed when the request completes.
 * Thread safety: a request is handled on one thread. */
#ifndef GD_HTTP_REQ_H
#define GD_HTTP_REQ_H
#include <jansson.h>
#include <microhttpd.h>
#include "base/arena.h"
#include "base/strbuf.h"
#include "service/svc.h"

struct gd_server;
struct gd_req;

enum gd_route_flags {
    GD_R_PUBLIC = 1,       /* no authentication; the body may be at most GD_PUBLIC_MAX_BODY */
    GD_R_RAW_BODY = 2,     /* body is not JSON (CSV, multipart) */
    GD_R_BIG_BODY = 4,     /* uploads: up to GD_UPLOAD_MAX_BODY, spooled to a temporary file */
    GD_R_ORDERS_WRITE = 8, /* writes orders (gd_perm_can_write_orders): refused before the body */
    GD_R_CSV_BODY = 16,    /* imports: up to GD_IMPORT_MAX_BODY, spooled to a temporary file */
    GD_R_PASSWORD_CHANGE = 32, /* open to a user who must change their password first */
    /* waits for its write's group commit: handled on the write pool, the connection suspended
     * (http/writepool.h), so the connection's thread serves its other connections meanwhile */
    GD_R_WRITE_WAITS = 64,
    /* runs for up to seconds (an import, an upload of up to 180 MiB): handled on the long write
     * pool, the connection suspended as above, so the connection's thread does not hold its
     * other connections for that long */
    GD_R_LONG_WRITE = 128,
};

/* Bodies of unauthenticated requests (sign-in): nothing larger is read before we know who asks. */
#define GD_PUBLIC_MAX_BODY (16u * 1024)
/* 9 files of 20 MiB (the rules' ceiling, attachments.*) and the multipart framing. */
#define GD_UPLOAD_MAX_BODY (181u << 20)
#define GD_IMPORT_MAX_BODY (100u << 20)

struct gd_route {
    const char *method;
    const char *pattern; /* "/api/v1/workorders/{}/notes": {} matches one segment */
    void (*handler)(struct gd_req *r);
    int flags;
};

#define GD_MAX_HEADERS 8

struct gd_req {
    struct MHD_Connection *conn;
    struct gd_server *srv;
    struct gd_svc *svc;
    const struct gd_route *route;
    const char *method, *path;
    const char *params[4];
    int nparams;
    struct gd_strbuf body; /* a spooled body is mapped here (body_mapped) */
    bool body_mapped;
    bool answered;  /* decided from the headers (auth, limits); any body is dropped */
    size_t dropped; /* bytes of body dropped after that */
    int spool_fd;   /* the temporary file of a big-body route, or -1 */
    struct gd_arena a;
    json_t *json; /* parsed body, released at the end */
    struct gd_actor actor;
    /* the generation authenticate read (the view cache takes it: one read per request) */
    struct gd_svc_gen auth_gen;
    /* the database generation read for this request while its connection was suspended
     * (server.c, suspend_for_generation): asked, answered, and its value when read */
    bool gen_asked, gen_read;
    int64_t gen;
    bool via_cookie;
    char request_id[20];
    /* response */
    int status;
    struct gd_strbuf out;
    const char *content_type;
    const char *content_encoding; /* the coding r->out is in already (the view cache's gzip) */
    /* the body when it is bytes kept elsewhere (a view cache entry), sent instead of r->out
     * without a copy: the response calls release(cls) once it is sent (or the request ends
     * unanswered); NULL buf = r->out is the body */
    struct {
        const char *buf;
        size_t len;
        void (*release)(void *cls);
        void *cls;
    } shared;
    struct {
        const char *name, *value;
    } headers[GD_MAX_HEADERS];
    int nheaders;
    struct MHD_Response *response; /* set by handlers that build their own (files, streams) */
    int64_t started_us;
    /* Where headers and query parameters come from when there is no connection (the fuzzers in
     * tests/fuzz drive handlers without a socket); NULL = the connection. */
    const char *(*lookup)(struct gd_req *r, enum MHD_ValueKind kind, const char *name);
    /* With lookup: the query parameters whose name starts with a prefix (gd_http_query_each);
     * NULL = there are none. */
    int (*lookup_each)(struct gd_req *r, const char *prefix,
                       int (*fn)(void *ctx, const char *rest, const char *value), void *ctx);
    /* When set, a refusal that names a field names this one instead: query parameters read out
     * of a body's field (a saved filter's `query`) are refused as that field. */
    const char *field_as;
};

/* ---- output ---- */
void gd_http_header(struct gd_req *r, const char *name, const char *value);
/* Sets the status and sends what the handler wrote into `r->out` as a JSON body. */
void gd_http_json(struct gd_req *r, int status);
/* ETag: the version of what the answer shows, quoted (If-Match sends it back). */
void gd_http_etag(struct gd_req *r, int64_t version);
/* The error body {"error":{code,message,field,request_id}} with the status mapped from err. */
void gd_http_error(struct gd_req *r, const struct gd_err *err);
/* The kind ("not_found", "invalid_transition", ...) a service error is answered with; "internal"
 * for a database or system failure, whose message is not for the client. */
const char *gd_http_error_kind(const struct gd_err *err);
/* The same body for an error of `kind` ("validation_failed", "malformed_json", ...): its HTTP
 * status comes from the one table in io.c, never from the caller. */
void gd_http_fail(struct gd_req *r, const char *kind, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---- input ---- */
/* The offset (minutes east of UTC) dates of shop `shop_id` are read in; GD_TZ_DEFAULT_MIN for
 * 0 or a shop not found; the store's status when the read fails. */
int gd_http_shop_tz(struct gd_req *r, int64_t shop_id, int *tz, struct gd_err *err);
const char *gd_http_query(struct gd_req *r, const char *name);
/* Calls fn with the rest of the name and the value of every query parameter whose name starts
 * with `prefix` ("field[" of field[size]=L), in the order sent; stops at the first non-zero
 * answer and returns it. */
int gd_http_query_each(struct gd_req *r, const char *prefix,
                       int (*fn)(void *ctx, const char *rest, const char *value), void *ctx);
/* The query parameter `name` as an id (0 when absent); -1 after a 422 naming it. */
int gd_http_query_id(struct gd_req *r, const char *name, int64_t *out);
const char *gd_http_header_in(struct gd_req *r, const char *name);
/* The work order list's filter from the query parameters (view, type, state, handler, ..., q,
 * the time ranges, sort, limit, field[<key>] of the shop's custom fields), each checked; -1
 * after a 422 naming the parameter. The list route and the saved filters' (which feed it their
 * stored query through r->lookup and r->lookup_each) share it. */
int gd_http_wo_filter(struct gd_req *r, struct gd_wo_filter *f);
/* Parses the body as a JSON object whose keys are all in `allowed` (NULL-terminated). On failure
 * the error response is written and NULL returned. */
json_t *gd_http_body_object(struct gd_req *r, const char *const *allowed);
/* 422 unknown_field (named "path.key", or "key" when path is NULL) unless every key of the
 * object `o` is in `allowed` (NULL-terminated): the same check for a nested object. 0 or -1. */
int gd_in_fields_known(struct gd_req *r, json_t *o, const char *const *allowed, const char *path);
/* Field getters: return 0 when absent (and not required) or fine, -1 after writing a 422 that
 * names the field and the rule. */
int gd_in_str(struct gd_req *r, json_t *o, const char *name, bool required, size_t max_chars,
              const char **out);
int gd_in_int(struct gd_req *r, json_t *o, const char *name, bool required, int64_t min,
              int64_t max, int64_t *out, bool *present);
int gd_in_id(struct gd_req *r, json_t *o, const char *name, bool required, int64_t *out);
/* An array of at most `max` distinct ids (strings of digits) into ids[0..*n); absent or null
 * gives *n = 0. */
int gd_in_ids(struct gd_req *r, json_t *o, const char *name, int max, int64_t *ids, int *n);
/* An array of strings into (*out)[0..*n) (in r->a; absent or null gives *n = 0): 422 "NAME
 * must be ARRAY_RULE" for another JSON type, "NAME[i] must be a string (ITEM)" for an element.
 * The caller checks the count and the values (the service's limits). */
int gd_in_strs(struct gd_req *r, json_t *o, const char *name, const char *array_rule,
               const char *item, const char ***out, int *n);
/* RFC 3339 time; JSON null gives 0 with *present set. */
int gd_in_time(struct gd_req *r, json_t *o, const char *name, int64_t *out, bool *present);
int gd_in_enum(struct gd_req *r, json_t *o, const char *name, bool required,
               int (*parse)(const char *), const char *allowed, int *out);
/* A JSON object of at most max_keys keys and max_bytes bytes as compact text in the request's
 * arena (NULL when absent). */
int gd_in_object(struct gd_req *r, json_t *o, const char *name, size_t max_keys, size_t max_bytes,
                 const char **out);
/* true or false into *out (1 or 0; -1 when absent). */
int gd_in_bool(struct gd_req *r, json_t *o, const char *name, int *out);
/* If-Match: the version, 0 when absent or * (any current version); -1 after a 400 for a
 * malformed one. */
int gd_http_if_match(struct gd_req *r, int64_t *out);
/* The Idempotency-Key header (NULL when absent) and, when `digest` is not NULL, the digest of
 * the request (method, path, body) to keep with it; -1 after a 400 for a malformed one. */
int gd_http_idem_key(struct gd_req *r, const char **out, const char **digest);
/* Answers with the response stored for a replayed Idempotency-Key, with the headers the first
 * answer had: Location `location_prefix` + the body's "id", and with `etag` its "version" as
 * the ETag. */
void gd_http_replay(struct gd_req *r, int status, const char *body, const char *location_prefix,
                    bool etag);
/* The path parameter i as an id; writes 404 when it is not one. */
int gd_http_param_id(struct gd_req *r, int i, int64_t *out);

/* ---- the client (client.c) ---- */
/* The client's address: the socket peer, or behind a trusted proxy the rightmost
 * X-Forwarded-For entry that is not a trusted proxy. Text in r->a. */
const char *gd_http_client_addr(struct gd_req *r);
/* Did the client reach us over https (--public-url https://..., or X-Forwarded-Proto from a
 * trusted proxy)? */
bool gd_http_is_https(struct gd_req *r);
/* The server's own origin (scheme://host[:port]): the public URL's, else the Host header's;
 * NULL when there is no Host. */
const char *gd_http_own_origin(struct gd_req *r);
/* The session cookie's name for this request's scheme (__Host-gd_session over https), and the
 * session it carries under that name (NULL when none). */
const char *gd_http_session_cookie_name(struct gd_req *r);
const char *gd_http_session_cookie(struct gd_req *r);
/* The Set-Cookie value of session `value` (an empty value and max_age 0 clear it): HttpOnly,
 * __Host- and Secure over https; SameSite=Strict, or for a session made to live in a frame of
 * another site (`framed`: the chat panel) SameSite=None and Partitioned over https. */
const char *gd_http_session_set_cookie(struct gd_req *r, const char *value, int max_age,
                                       bool framed);

/* ---- rendering (JSON written into r->out) ---- */
/* Writes the array element `item`; ctx is what the caller of gd_render_array passed along. */
typedef void gd_render_item_fn(struct gd_strbuf *sb, const void *item, void *ctx);
/* Whether `item` is shown (gd_render_array_kept). */
typedef bool gd_render_keep_fn(const void *item, void *ctx);
/* The JSON array of items[0..n), elements of `size` bytes, each written by `one`: the one loop
 * every list in the API is written with. */
void gd_render_array(struct gd_strbuf *sb, const void *items, int n, size_t size,
                     gd_render_item_fn *one, void *ctx);
/* The same, showing only the items `keep` accepts. */
void gd_render_array_kept(struct gd_strbuf *sb, const void *items, int n, size_t size,
                          gd_render_keep_fn *keep, gd_render_item_fn *one, void *ctx);
/* A comma-separated list of names ([a-z_], as the core's tables spell them) as a JSON array of
 * strings; NULL or "" gives []. */
void gd_render_names(struct gd_strbuf *sb, const char *names);
/* Answers 200 with {"items":[...]} (gd_render_array) and, when `more` is not NULL, the members
 * it holds after it ("\"next_cursor\":null"). */
void gd_http_list(struct gd_req *r, const void *items, int n, size_t size, gd_render_item_fn *one,
                  void *ctx, const char *more);
void gd_render_time(struct gd_strbuf *sb, int64_t ms);
void gd_render_id(struct gd_strbuf *sb, int64_t id);
void gd_render_workorder(struct gd_strbuf *sb, const struct gd_workorder *wo);
/* A collaborative work order with its "collab" object: the case, its evidence `atts[0..n)`. */
void gd_render_workorder_collab(struct gd_strbuf *sb, const struct gd_workorder *wo,
                                const struct gd_collab *c, const struct gd_attachment *atts, int n);
void gd_render_order(struct gd_strbuf *sb, const struct gd_order *o);
void gd_render_user(struct gd_strbuf *sb, const struct gd_user *u, const char *shop_name);
void gd_render_shop(struct gd_strbuf *sb, const struct gd_shop *s);
void gd_render_event(struct gd_strbuf *sb, const struct gd_event *ev);
/* An attachment with its download URL, and its thumbnail URL (null when it has none). */
void gd_render_attachment(struct gd_strbuf *sb, const struct gd_attachment *x);
/* The answer to an upload of rows[0..n), n >= 1: the first file's fields at the top (one file
 * per request is the usual case) and every file under "items". */
void gd_render_uploaded(struct gd_strbuf *sb, const struct gd_attachment *rows, int n);
/* gd_render_workorder, _order, _attachment and _event as array elements (ctx unused). */
gd_render_item_fn gd_render_workorder_item, gd_render_order_item, gd_render_attachment_item,
    gd_render_event_item;

/* ---- collaborative work orders (routes_collab.c), used by the work order routes ---- */
/* A work order as the API shows it, with its "collab" object when it is a collaborative one
 * (read through the service); the store's status when that read fails. */
int gd_http_render_workorder(struct gd_req *r, struct gd_strbuf *sb, const struct gd_workorder *wo,
                             struct gd_err *err);
/* The gd_render_fn of both creates (ctx: the request): the body an Idempotency-Key replay
 * answers with, the same as the first answer; NULL when the collab read fails. */
char *gd_http_render_created(void *ctx, const void *made);
/* Answers with the work order (gd_http_render_workorder), its version as the ETag. */
void gd_http_respond_workorder(struct gd_req *r, const struct gd_workorder *wo, int status);
/* The answer of both creates: an Idempotency-Key replay's first answer again (`replay`, not
 * NULL), else 201 with the work order and its Location. */
void gd_http_respond_created(struct gd_req *r, const struct gd_workorder *wo, const char *replay);
/* Is the event platform-internal and the actor a shop user (so it is not shown)? */
bool gd_http_collab_event_hidden(struct gd_req *r, const struct gd_event *ev);
/* POST /api/v1/workorders with "type":"collab" is the same as POST /api/v1/collab. */
bool gd_http_collab_wanted(struct gd_req *r);
void gd_http_collab_create(struct gd_req *r);

/* ---- the body as it arrives (body.c) ---- */
/* Keeps n more bytes of the body; false when they could not be kept (no spool file). */
bool gd_http__body_add(struct gd_req *r, const char *data, size_t n);
/* The whole body arrived: a spooled body is mapped into r->body. */
bool gd_http__body_finish(struct gd_req *r);
void gd_http__body_release(struct gd_req *r);

/* ---- route tables: each file of routes exports one, terminated by {0} ---- */
extern const struct gd_route gd_routes_center[];
extern const struct gd_route gd_routes_ops[];
extern const struct gd_route gd_routes_collab[];
extern const struct gd_route gd_routes_attachments[];
extern const struct gd_route gd_routes_reports[];
extern const struct gd_route gd_routes_stream[];
extern const struct gd_route gd_routes_webhooks[];
extern const struct gd_route gd_routes_people[];
extern const struct gd_route gd_routes_buyer[];
extern const struct gd_route gd_routes_quickreplies[];
extern const struct gd_route gd_routes_notify[];
extern const struct gd_route gd_routes_types[];
extern const struct gd_route gd_routes_savedfilters[];
extern const struct gd_route gd_routes_panel[];
extern const struct gd_route gd_routes_targets[];
extern const struct gd_route gd_routes_assignment[];
extern const struct gd_route gd_routes_bulk[];

/* ---- server state the handlers may use ---- */
void gd_server_nudge_scheduler(struct gd_server *srv);
bool gd_server_test_clock(struct gd_server *srv);
const char *gd_server_data_dir(struct gd_server *srv);
const char *gd_server_web_root(struct gd_server *srv); /* NULL when the workbench is not served */
const struct gd_http_opts *gd_server_opts(struct gd_server *srv);
/* Serves a file of the workbench, or index.html for a client route (static.c); false when the
 * path is not the workbench's (an API path, a missing asset, no web root). */
bool gd_http__serve_static(struct gd_req *r);
/* Serves the page `page` of the workbench (a file name under the web root), which the origins
 * of the CSP source list `frame_ancestors` may frame (NULL or "" = nobody); false when there is
 * no such page. */
bool gd_http__serve_page(struct gd_req *r, const char *page, const char *frame_ancestors);
/* An import's checks from its headers, before the file is sent (routes_center.c; who may write
 * orders is GD_R_ORDERS_WRITE's): a CSV body, and no import of the shop running in this
 * process. False when it answered r. */
bool gd_http__import_headers(struct gd_req *r);
void gd_server_nudge_exports(struct gd_server *srv); /* reports: a job was queued */
void gd_server_metrics(struct gd_server *srv, struct gd_strbuf *sb);
/* The server's own limits (docs/architecture.md "Limits"), counted in /metrics when hit. */
enum gd_limit { GD_LIMIT_BODY, GD_LIMIT_CONNS_PER_ADDR, GD_LIMIT_COUNT };
void gd_server_limit_hit(struct gd_server *srv, enum gd_limit limit);
/* Answers 200 with the stored bytes `b` as the body, read a piece at a time (blob.c). */
struct gd_svc_blob;
void gd_http_send_blob(struct gd_req *r, const struct gd_svc_blob *b);
/* The calling server thread's service (its own store), opened on first use. */
struct gd_svc *gd_http__thread_svc(struct gd_server *srv);
/* The calling thread's service if it has one, else NULL: never opens a store (for code that can
 * run while the server stops, on a thread that served no request). */
struct gd_svc *gd_http__thread_svc_if_open(void);
/* Live updates (stream.c): called after a commit that changed a work order; and at shutdown. */
extern void (*gd_http__on_change)(const struct gd_workorder *wo); /* wo NULL: refresh all */
void gd_http__stream_close_all(void);
/* Appends the stream metrics (open streams, limit hits, early ends) in Prometheus text. */
void gd_http_stream_metrics(struct gd_strbuf *sb);

#endif
