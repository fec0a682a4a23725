/* Request input (JSON bodies, field validation, query, headers) and output (JSON, errors).
 * The one place that maps a status code to an HTTP status and an error body. */
#include <stdarg.h>
#include <strings.h>
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "base/secret.h"
#include "base/timefmt.h"
#include "base/utf8.h"
#include "http/req.h"

#define MAX_DEPTH 32
#define GD_RETRY_AFTER_S "1" /* seconds, on every 503 */

void gd_http_header(struct gd_req *r, const char *name, const char *value)
{
    if (r->nheaders < GD_MAX_HEADERS) {
        r->headers[r->nheaders].name = name;
        r->headers[r->nheaders].value = value;
        r->nheaders++;
    }
}

void gd_http_json(struct gd_req *r, int status)
{
    r->status = status;
    r->content_type = "application/json";
}

void gd_http_list(struct gd_req *r, const void *items, int n, size_t size, gd_render_item_fn *one,
                  void *ctx, const char *more)
{
    gd_strbuf_adds(&r->out, "{\"items\":");
    gd_render_array(&r->out, items, n, size, one, ctx);
    if (more) {
        gd_strbuf_addch(&r->out, ',');
        gd_strbuf_adds(&r->out, more);
    }
    gd_strbuf_addch(&r->out, '}');
    gd_http_json(r, 200);
}

void gd_http_etag(struct gd_req *r, int64_t version)
{
    gd_http_header(r, "ETag", gd_arena_printf(&r->a, "\"%lld\"", (long long)version));
}

static void error_body(struct gd_req *r, int status, const char *code, const char *field,
                       const char *msg)
{
    /* messages quote what the client sent (a path, an order number), raw bytes as MHD decoded
     * them, and a long message is cut at a byte count: the body must stay UTF-8 all the same */
    char clean[3 * 400 + 1];

    gd_strbuf_reset(&r->out);
    gd_strbuf_adds(&r->out, "{\"error\":{\"code\":");
    gd_strbuf_add_json_str(&r->out, code);
    gd_strbuf_adds(&r->out, ",\"message\":");
    gd_strbuf_add_json_str(&r->out, gd_utf8_repair(msg, clean, sizeof(clean)));
    if (field && *field && r->field_as) {
        field = r->field_as;
    }
    if (field && *field) {
        gd_strbuf_adds(&r->out, ",\"field\":");
        gd_strbuf_add_json_str(&r->out, gd_utf8_repair(field, clean, sizeof(clean)));
    }
    gd_strbuf_adds(&r->out, ",\"request_id\":");
    gd_strbuf_add_json_str(&r->out, r->request_id);
    gd_strbuf_adds(&r->out, "}}");
    gd_http_json(r, status);
    /* a 503 is passing (the database restarting, a limit of the moment): it says when to send
     * the same request again, unless the refusal named a time of its own */
    bool has_retry_after = false;
    for (int i = 0; i < r->nheaders; i++) {
        has_retry_after |= strcasecmp(r->headers[i].name, "Retry-After") == 0;
    }
    if (status == 503 && !has_retry_after) {
        gd_http_header(r, "Retry-After", GD_RETRY_AFTER_S);
    }
}

/* Every error a client can get: the status code of each kind, and the kind each status code of
 * the service layer answers with. An HTTP-only kind (malformed JSON, a removed file) has no
 * status code; a status code not listed here is a database or system failure (500). */
static const struct error_kind {
    int code; /* enum gd_status, 0 for kinds only the HTTP layer finds */
    int status;
    const char *name;
} error_kinds[] = {
    {GD_EINVAL, 422, "validation_failed"},
    {GD_ENOTFOUND, 404, "not_found"},
    {GD_ECONFLICT, 409, "conflict"},
    {GD_EPERM, 403, "forbidden"},
    {GD_ETOOBIG, 413, "too_large"},
    {GD_ESTATE, 409, "invalid_transition"},
    {GD_EAUTH, 401, "unauthenticated"},
    {GD_ESTALE, 412, "stale_version"},
    {GD_ELIMIT, 429, "rate_limited"},
    {GD_ETYPE, 415, "unsupported_media_type"},
    {GD_EREUSED, 422, "idempotency_key_reused"},
    {GD_ERETRY, 503, "retry"},
    {GD_EUNAVAIL, 503, "unavailable"},
    {0, 400, "malformed_json"},
    {0, 400, "bad_header"},
    {0, 400, "bad_multipart"},
    {0, 403, "csrf"},
    {0, 403, "cross_origin"},
    {0, 403, "password_change_required"},
    {0, 405, "method_not_allowed"},
    {0, 409, "not_ready"},
    {0, 410, "gone"},
    {0, 422, "unknown_field"},
    {0, 422, "type_mismatch"},
    {0, 422, "unreadable_image"},
    {0, 429, "limit"},
    {0, 500, "internal"},
};

const char *gd_http_error_kind(const struct gd_err *err)
{
    for (size_t i = 0; i < sizeof(error_kinds) / sizeof(*error_kinds); i++) {
        if (error_kinds[i].code && error_kinds[i].code == err->code) {
            return error_kinds[i].name;
        }
    }
    return "internal";
}

void gd_http_fail(struct gd_req *r, const char *kind, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < sizeof(error_kinds) / sizeof(*error_kinds); i++) {
        if (strcmp(error_kinds[i].name, kind) == 0) {
            error_body(r, error_kinds[i].status, kind, field, msg);
            return;
        }
    }
    /* a kind missing from the table is a programming error: say so rather than guess a status */
    gd_log(GD_LOG_ERROR, "unknown error kind rid=%s kind=%s msg=%s", r->request_id, kind, msg);
    error_body(r, 500, "internal", NULL, "internal error; the request id identifies it in the log");
}

void gd_http_error(struct gd_req *r, const struct gd_err *err)
{
    for (size_t i = 0; i < sizeof(error_kinds) / sizeof(*error_kinds); i++) {
        if (error_kinds[i].code && error_kinds[i].code == err->code) {
            error_body(r, error_kinds[i].status, error_kinds[i].name, err->field,
                       err->msg[0] ? err->msg : error_kinds[i].name);
            return;
        }
    }
    /* database and system failures: details are in the log, never in the response */
    gd_log(GD_LOG_ERROR, "internal error rid=%s code=%d msg=%s", r->request_id, err->code,
           err->msg);
    error_body(r, 500, "internal", NULL, "internal error; the request id identifies it in the log");
}

int gd_http_shop_tz(struct gd_req *r, int64_t shop_id, int *tz, struct gd_err *err)
{
    struct gd_shop shop;
    int ret = shop_id ? gd_svc_shop_get(r->svc, shop_id, &r->a, &shop, err) : GD_ENOTFOUND;
    *tz = GD_TZ_DEFAULT_MIN;
    if (ret == GD_OK) {
        *tz = shop.tz_offset_min;
    } else if (ret == GD_ENOTFOUND) {
        gd_err_clear(err);
        ret = GD_OK;
    }
    return ret;
}

const char *gd_http_query(struct gd_req *r, const char *name)
{
    if (r->lookup) {
        return r->lookup(r, MHD_GET_ARGUMENT_KIND, name);
    }
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

struct query_each {
    const char *prefix;
    int (*fn)(void *ctx, const char *rest, const char *value);
    void *ctx;
    int ret;
};

static enum MHD_Result query_each_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    struct query_each *q = cls;
    size_t n = strlen(q->prefix);
    (void)kind;
    if (strncmp(key, q->prefix, n) == 0) {
        q->ret = q->fn(q->ctx, key + n, value ? value : "");
    }
    return q->ret ? MHD_NO : MHD_YES;
}

int gd_http_query_each(struct gd_req *r, const char *prefix,
                       int (*fn)(void *ctx, const char *rest, const char *value), void *ctx)
{
    struct query_each q = {prefix, fn, ctx, 0};
    if (r->lookup) {
        return r->lookup_each ? r->lookup_each(r, prefix, fn, ctx) : 0;
    }
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_each_arg, &q);
    return q.ret;
}

const char *gd_http_header_in(struct gd_req *r, const char *name)
{
    if (r->lookup) {
        return r->lookup(r, MHD_HEADER_KIND, name);
    }
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* Nesting depth of a JSON text, counted outside strings. */
static int depth(const char *s, size_t n)
{
    int d = 0, max = 0;
    bool in_str = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (in_str) {
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                in_str = false;
            }
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            if (++d > max) {
                max = d;
            }
        } else if (c == '}' || c == ']') {
            d--;
        }
    }
    return max;
}

json_t *gd_http_body_object(struct gd_req *r, const char *const *allowed)
{
    json_error_t jerr;

    if (r->body.len == 0) {
        gd_http_fail(r, "malformed_json", NULL, "the request body must be a JSON object");
        return NULL;
    }
    if (!gd_utf8_valid(r->body.buf, r->body.len)) {
        gd_http_fail(r, "malformed_json", NULL, "the request body is not valid UTF-8");
        return NULL;
    }
    if (depth(r->body.buf, r->body.len) > MAX_DEPTH) {
        gd_http_fail(r, "malformed_json", NULL, "JSON nesting deeper than %d levels", MAX_DEPTH);
        return NULL;
    }
    r->json = json_loadb(r->body.buf, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (!r->json) {
        gd_http_fail(r, "malformed_json", NULL, "malformed JSON at line %d column %d: %s",
                     jerr.line, jerr.column, jerr.text);
        return NULL;
    }
    if (!json_is_object(r->json)) {
        gd_http_fail(r, "malformed_json", NULL, "the request body must be a JSON object");
        return NULL;
    }
    return gd_in_fields_known(r, r->json, allowed, NULL) ? NULL : r->json;
}

int gd_in_fields_known(struct gd_req *r, json_t *o, const char *const *allowed, const char *path)
{
    const char *key;
    json_t *v;

    json_object_foreach (o, key, v) {
        bool ok = false;
        for (const char *const *p = allowed; *p && !ok; p++) {
            ok = strcmp(*p, key) == 0;
        }
        if (!ok) {
            const char *name = path ? gd_arena_printf(&r->a, "%s.%s", path, key) : key;
            gd_http_fail(r, "unknown_field", name, "unknown field '%s'", name);
            return -1;
        }
    }
    return 0;
}

static json_t *field(json_t *o, const char *name)
{
    json_t *v = json_object_get(o, name);
    return v;
}

/* A field not sent: -1 with the 422 when it is required, else 0 (the caller's default stands). */
static int absent(struct gd_req *r, const char *name, bool required)
{
    if (required) {
        gd_http_fail(r, "validation_failed", name, "%s is required", name);
        return -1;
    }
    return 0;
}

int gd_in_str(struct gd_req *r, json_t *o, const char *name, bool required, size_t max_chars,
              const char **out)
{
    json_t *v = field(o, name);
    *out = NULL;
    if (!v || json_is_null(v)) {
        return absent(r, name, required);
    }
    if (!json_is_string(v)) {
        gd_http_fail(r, "validation_failed", name, "%s must be a string", name);
        return -1;
    }
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) {
        gd_http_fail(r, "validation_failed", name, "%s must not contain NUL", name);
        return -1;
    }
    if (gd_utf8_len(s) > max_chars) {
        gd_http_fail(r, "validation_failed", name, "%s is longer than %zu characters", name,
                     max_chars);
        return -1;
    }
    if (required && !*s) {
        gd_http_fail(r, "validation_failed", name, "%s must not be empty", name);
        return -1;
    }
    *out = s;
    return 0;
}

int gd_in_int(struct gd_req *r, json_t *o, const char *name, bool required, int64_t min,
              int64_t max, int64_t *out, bool *present)
{
    json_t *v = field(o, name);
    if (present) {
        *present = v != NULL;
    }
    if (!v) {
        return absent(r, name, required);
    }
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        gd_http_fail(r, "validation_failed", name, "%s must be an integer from %lld to %lld", name,
                     (long long)min, (long long)max);
        return -1;
    }
    *out = json_integer_value(v);
    return 0;
}

int gd_in_id(struct gd_req *r, json_t *o, const char *name, bool required, int64_t *out)
{
    json_t *v = field(o, name);
    *out = 0;
    if (!v || json_is_null(v)) {
        return absent(r, name, required);
    }
    if (!json_is_string(v) || !(*out = gd_id_parse(json_string_value(v)))) {
        gd_http_fail(r, "validation_failed", name, "%s must be an id (a string of digits)", name);
        return -1;
    }
    return 0;
}

int gd_in_ids(struct gd_req *r, json_t *o, const char *name, int max, int64_t *ids, int *n)
{
    json_t *arr = field(o, name), *x;
    size_t i;

    *n = 0;
    if (!arr || json_is_null(arr)) {
        return 0;
    }
    if (!json_is_array(arr) || json_array_size(arr) > (size_t)max) {
        gd_http_fail(r, "validation_failed", name, "%s must be an array of at most %d ids", name,
                     max);
        return -1;
    }
    json_array_foreach (arr, i, x) {
        int64_t id = json_is_string(x) ? gd_id_parse(json_string_value(x)) : 0;
        if (!id) {
            gd_http_fail(r, "validation_failed", name, "%s must be ids (strings of digits)", name);
            return -1;
        }
        for (int j = 0; j < *n; j++) {
            if (ids[j] == id) {
                gd_http_fail(r, "validation_failed", name, "%lld is listed twice in %s",
                             (long long)id, name);
                return -1;
            }
        }
        ids[(*n)++] = id;
    }
    return 0;
}

int gd_in_strs(struct gd_req *r, json_t *o, const char *name, const char *array_rule,
               const char *item, const char ***out, int *n)
{
    json_t *arr = field(o, name), *x;
    size_t i;

    *n = 0;
    *out = NULL;
    if (!arr || json_is_null(arr)) {
        return 0;
    }
    if (!json_is_array(arr)) {
        gd_http_fail(r, "validation_failed", name, "%s must be %s", name, array_rule);
        return -1;
    }
    *out = gd_arena_alloc(&r->a, (json_array_size(arr) + 1) * sizeof(**out));
    json_array_foreach (arr, i, x) {
        if (!json_is_string(x)) {
            gd_http_fail(r, "validation_failed", name, "%s[%zu] must be a string (%s)", name, i,
                         item);
            return -1;
        }
        (*out)[(*n)++] = json_string_value(x);
    }
    return 0;
}

int gd_in_time(struct gd_req *r, json_t *o, const char *name, int64_t *out, bool *present)
{
    json_t *v = field(o, name);
    *present = v != NULL;
    *out = 0;
    if (!v || json_is_null(v)) {
        return 0;
    }
    if (!json_is_string(v) || !gd_time_parse(json_string_value(v), GD_TZ_DEFAULT_MIN, out)) {
        gd_http_fail(r, "validation_failed", name,
                     "%s must be an RFC 3339 time such as 2026-01-02T15:04:05+08:00", name);
        return -1;
    }
    return 0;
}

int gd_in_enum(struct gd_req *r, json_t *o, const char *name, bool required,
               int (*parse)(const char *), const char *allowed, int *out)
{
    const char *s;
    if (gd_in_str(r, o, name, required, 64, &s)) {
        return -1;
    }
    *out = -1;
    if (!s) {
        return 0;
    }
    *out = parse(s);
    if (*out < 0) {
        gd_http_fail(r, "validation_failed", name, "%s must be one of: %s", name, allowed);
        return -1;
    }
    return 0;
}

int gd_in_object(struct gd_req *r, json_t *o, const char *name, size_t max_keys, size_t max_bytes,
                 const char **out)
{
    json_t *v = field(o, name);
    *out = NULL;
    if (!v) {
        return 0;
    }
    if (!json_is_object(v) || json_object_size(v) > max_keys) {
        gd_http_fail(r, "validation_failed", name, "%s must be an object of at most %zu fields",
                     name, max_keys);
        return -1;
    }
    char *text = json_dumps(v, JSON_COMPACT);
    if (strlen(text) > max_bytes) {
        free(text);
        gd_http_fail(r, "validation_failed", name, "%s is larger than %zu bytes", name, max_bytes);
        return -1;
    }
    *out = gd_arena_strdup(&r->a, text);
    free(text);
    return 0;
}

int gd_in_bool(struct gd_req *r, json_t *o, const char *name, int *out)
{
    json_t *v = json_object_get(o, name);
    *out = -1;
    if (!v) {
        return 0;
    }
    if (!json_is_boolean(v)) {
        gd_http_fail(r, "validation_failed", name, "%s must be true or false", name);
        return -1;
    }
    *out = json_is_true(v);
    return 0;
}

int gd_http_if_match(struct gd_req *r, int64_t *out)
{
    const char *h = gd_http_header_in(r, "If-Match");
    char buf[32];
    *out = 0;
    if (!h) {
        return 0;
    }
    /* accept 3, "3" and W/"3"; and * (RFC 9110 13.1.1), which any current version matches: the
     * action then needs only the work order to exist, and a missing one stays 404 (a condition
     * is not evaluated when the answer without it would not be 2xx, 13.2.1) */
    size_t n = strlen(h);
    while (n && (h[0] == ' ' || h[0] == '\t')) {
        h++, n--;
    }
    while (n && (h[n - 1] == ' ' || h[n - 1] == '\t')) {
        n--;
    }
    if (n == 1 && h[0] == '*') {
        return 0;
    }
    if (n >= 2 && h[0] == 'W' && h[1] == '/') {
        h += 2, n -= 2;
    }
    if (n >= 2 && h[0] == '"' && h[n - 1] == '"') {
        h++, n -= 2;
    }
    if (n == 0 || n >= sizeof(buf)) {
        goto bad;
    }
    memcpy(buf, h, n);
    buf[n] = 0;
    if (!(*out = gd_id_parse(buf))) {
        goto bad;
    }
    return 0;
bad:
    gd_http_fail(r, "bad_header", "If-Match", "If-Match must be the version from the ETag, or *");
    return -1;
}

/* What an Idempotency-Key promises to stand for: this method, path and body. */
static const char *request_digest(struct gd_req *r)
{
    char *hex = gd_arena_alloc(&r->a, GD_DIGEST_HEX);
    struct gd_strbuf sb = GD_STRBUF_INIT;

    gd_strbuf_addf(&sb, "%s %s\n", r->method, r->path);
    gd_strbuf_add(&sb, r->body.buf ? r->body.buf : "", r->body.len);
    gd_secret_sha256_hex(sb.buf, sb.len, hex);
    gd_strbuf_release(&sb);
    return hex;
}

int gd_http_idem_key(struct gd_req *r, const char **out, const char **digest)
{
    const char *key = gd_http_header_in(r, "Idempotency-Key");
    *out = NULL;
    if (digest) {
        *digest = NULL;
    }
    if (!key) {
        return 0;
    }
    if (strlen(key) == 0 || strlen(key) > 128) {
        gd_http_fail(r, "bad_header", "Idempotency-Key",
                     "Idempotency-Key must be 1 to 128 characters");
        return -1;
    }
    /* a key names one request to one route: the same key sent elsewhere is another request */
    *out = gd_arena_printf(&r->a, "%s %s %s", r->method, r->route->pattern, key);
    if (digest) {
        *digest = request_digest(r);
    }
    return 0;
}

void gd_http_replay(struct gd_req *r, int status, const char *body, const char *location_prefix,
                    bool etag)
{
    json_t *first = json_loads(body, 0, NULL);
    const char *id = json_string_value(json_object_get(first, "id"));
    json_t *version = json_object_get(first, "version");

    if (id && location_prefix) {
        gd_http_header(r, "Location", gd_arena_printf(&r->a, "%s%s", location_prefix, id));
    }
    if (etag && json_is_integer(version)) {
        gd_http_header(r, "ETag",
                       gd_arena_printf(&r->a, "\"%lld\"", (long long)json_integer_value(version)));
    }
    json_decref(first);
    gd_strbuf_adds(&r->out, body);
    gd_http_header(r, "Idempotent-Replayed", "true");
    gd_http_json(r, status);
}

int gd_http_param_id(struct gd_req *r, int i, int64_t *out)
{
    *out = i < r->nparams ? gd_id_parse(r->params[i]) : 0;
    if (!*out) {
        gd_http_fail(r, "not_found", NULL, "no such resource");
        return -1;
    }
    return 0;
}

int gd_http_query_id(struct gd_req *r, const char *name, int64_t *out)
{
    const char *s = gd_http_query(r, name);
    *out = 0;
    if (s && !(*out = gd_id_parse(s))) {
        gd_http_fail(r, "validation_failed", name, "%s must be an id (digits)", name);
        return -1;
    }
    return 0;
}
