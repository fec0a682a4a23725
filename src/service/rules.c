/* Platform rules as versioned data: the built-in defaults, parsing and validation of an edited
 * rule set (every error names its field), storing a new version, and a process-wide cache of
 * parsed versions so the deadline engine does not re-parse a calendar per firing. A version is
 * never changed once stored, so a cached entry never goes stale; the key includes a hash of
 * the text, so two databases opened by one process (tests, benchmarks) cannot mix them up. */
#include <jansson.h>
#include "base/clock.h"
#include "base/timefmt.h"
#include "base/xalloc.h"
#include "service/svc_int.h"

#define HOUR_MS 3600000.0
#define DAY_MS 86400000.0
#define MAX_WINDOW_MS (400.0 * DAY_MS)
#define MAX_DATES 2000 /* holidays + workdays over all years */

static const char *const top_fields[] = {"version",
                                         "created_at",
                                         "reply_window_hours",
                                         "reminder_offsets_hours",
                                         "verify_working_days",
                                         "judge_working_days",
                                         "appeal_review_working_days",
                                         "appeal_window_days",
                                         "reply_options",
                                         "outcomes",
                                         "attachments",
                                         "calendar",
                                         NULL};

static const char default_rules[] =
    "{\"reply_window_hours\":24,\"reminder_offsets_hours\":[4,1],\"verify_working_days\":3,"
    "\"judge_working_days\":3,\"appeal_review_working_days\":3,\"appeal_window_days\":7,"
    "\"reply_options\":["
    "{\"code\":\"agreed\",\"label_zh\":\"已与消费者协商一致\",\"label_en\":\"Agreed with the "
    "buyer\",\"requires\":[]},"
    "{\"code\":\"unreachable\",\"label_zh\":\"未联系上消费者\",\"label_en\":\"Could not reach the "
    "buyer\",\"requires\":[\"evidence\",\"contact_at\"]},"
    "{\"code\":\"not_agreed\",\"label_zh\":\"未达成一致\",\"label_en\":\"No agreement with the "
    "buyer\",\"requires\":[\"description\"]},"
    "{\"code\":\"other\",\"label_zh\":\"其他\",\"label_en\":\"Other\",\"requires\":"
    "[\"description\"]}],"
    "\"outcomes\":{\"support_buyer\":[\"refund\",\"return_refund\",\"reship\",\"exchange\","
    "\"repair\"],\"support_seller\":[\"payout\",\"reject_claim\"]},"
    "\"attachments\":{\"max_file_bytes\":20971520,\"max_files\":9}}";

char *gd_svc_rules_default_json(void)
{
    json_t *root = json_loads(default_rules, 0, NULL);
    json_t *cal = json_loads(gd_cn_holidays_json, 0, NULL);
    char *out;

    json_object_set_new(cal, "timezone", json_string("Asia/Shanghai"));
    json_object_set_new(cal, "weekdays", json_pack("[iiiii]", 1, 2, 3, 4, 5));
    json_object_set_new(root, "calendar", cal);
    out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(root);
    return out;
}

static bool is_number(json_t *v) { return json_is_integer(v) || json_is_real(v); }

/* A duration in `unit` ms (hours, days) > 0 and below the sanity bound. */
static int duration(json_t *o, const char *name, double unit, int64_t *out, struct gd_err *err)
{
    json_t *v = json_object_get(o, name);
    if (!v) {
        return gd_err_field(err, GD_EINVAL, name, "%s is required", name);
    }
    if (!is_number(v) || json_number_value(v) * unit < 1000.0 ||
        json_number_value(v) * unit > MAX_WINDOW_MS) {
        return gd_err_field(err, GD_EINVAL, name,
                            "%s must be a positive number of at least one second and at most "
                            "400 days",
                            name);
    }
    *out = (int64_t)(json_number_value(v) * unit + 0.5);
    return GD_OK;
}

static int working_days(json_t *o, const char *name, int *out, struct gd_err *err)
{
    json_t *v = json_object_get(o, name);
    if (!v || !json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 60) {
        return gd_err_field(err, GD_EINVAL, name,
                            "%s must be a whole number of working days "
                            "from 1 to 60",
                            name);
    }
    *out = (int)json_integer_value(v);
    return GD_OK;
}

static int parse_options(json_t *arr, struct gd_collab_rules *r, struct gd_err *err)
{
    size_t i;
    json_t *o;
    char f[96];

    if (!json_is_array(arr) || json_array_size(arr) == 0) {
        return gd_err_field(err, GD_EINVAL, "reply_options",
                            "reply_options must be a non-empty array");
    }
    json_array_foreach (arr, i, o) {
        const char *key;
        json_t *v;
        snprintf(f, sizeof(f), "reply_options[%zu]", i);
        if (!json_is_object(o)) {
            return gd_err_field(err, GD_EINVAL, f, "%s must be an object", f);
        }
        json_object_foreach (o, key, v) {
            if (strcmp(key, "code") && strcmp(key, "label_zh") && strcmp(key, "label_en") &&
                strcmp(key, "requires")) {
                snprintf(f, sizeof(f), "reply_options[%zu].%s", i, key);
                return gd_err_field(err, GD_EINVAL, f, "unknown field %s", f);
            }
            if (strncmp(key, "label", 5) == 0 && !json_is_string(v)) {
                snprintf(f, sizeof(f), "reply_options[%zu].%s", i, key);
                return gd_err_field(err, GD_EINVAL, f, "%s must be a string", f);
            }
        }
        int code = gd_reply_option_parse(json_string_value(json_object_get(o, "code")));
        if (code < 0) {
            snprintf(f, sizeof(f), "reply_options[%zu].code", i);
            return gd_err_field(err, GD_EINVAL, f,
                                "%s must be one of agreed, unreachable, "
                                "not_agreed, other",
                                f);
        }
        if ((r->options >> code) & 1u) {
            snprintf(f, sizeof(f), "reply_options[%zu].code", i);
            return gd_err_field(err, GD_EINVAL, f, "option %s appears twice",
                                gd_reply_option_name(code));
        }
        r->options |= 1u << code;
        json_t *req = json_object_get(o, "requires"), *x;
        size_t j;
        if (req && !json_is_array(req)) {
            snprintf(f, sizeof(f), "reply_options[%zu].requires", i);
            return gd_err_field(err, GD_EINVAL, f, "%s must be an array", f);
        }
        json_array_foreach (req, j, x) {
            const char *s = json_string_value(x);
            unsigned bit = 0;
            for (unsigned b = 1; b <= GD_REQ_CONTACT_AT; b <<= 1) {
                if (s && strcmp(s, gd_reply_requires_name(b)) == 0) {
                    bit = b;
                }
            }
            if (!bit) {
                snprintf(f, sizeof(f), "reply_options[%zu].requires[%zu]", i, j);
                return gd_err_field(err, GD_EINVAL, f,
                                    "%s must be description, evidence or "
                                    "contact_at",
                                    f);
            }
            r->requires[code] |= bit;
        }
    }
    return GD_OK;
}

static int parse_outcomes(json_t *o, struct gd_collab_rules *r, struct gd_err *err)
{
    const char *key;
    json_t *v;
    char f[96];

    if (!json_is_object(o) || json_object_size(o) == 0) {
        return gd_err_field(err, GD_EINVAL, "outcomes",
                            "outcomes must be an object of outcome "
                            "-> remedies");
    }
    json_object_foreach (o, key, v) {
        int oc = gd_outcome_parse(key);
        size_t j;
        json_t *x;
        snprintf(f, sizeof(f), "outcomes.%s", key);
        if (oc < 0) {
            return gd_err_field(err, GD_EINVAL, f,
                                "unknown outcome %s: support_buyer or "
                                "support_seller",
                                key);
        }
        if (!json_is_array(v) || json_array_size(v) == 0) {
            return gd_err_field(err, GD_EINVAL, f, "%s must be a non-empty array of remedies", f);
        }
        json_array_foreach (v, j, x) {
            int rm = gd_remedy_parse(json_string_value(x));
            if (rm < 0) {
                snprintf(f, sizeof(f), "outcomes.%s[%zu]", key, j);
                return gd_err_field(err, GD_EINVAL, f,
                                    "%s must be one of refund, "
                                    "return_refund, reship, exchange, repair, payout, "
                                    "reject_claim",
                                    f);
            }
            r->remedies[oc] |= 1u << rm;
        }
    }
    return GD_OK;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int add_dates(json_t *list, const char *year, const char *f, int32_t *days, int *n,
                     struct gd_err *err)
{
    size_t i;
    json_t *x;
    int64_t day;

    if (!json_is_array(list)) {
        return gd_err_field(err, GD_EINVAL, f, "%s must be an array of dates", f);
    }
    json_array_foreach (list, i, x) {
        const char *s = json_string_value(x);
        if (!gd_calendar_parse_date(s, &day) || strncmp(s, year, 4) != 0) {
            return gd_err_field(err, GD_EINVAL, f, "%s: '%s' is not a date (YYYY-MM-DD) of %s", f,
                                s ? s : "?", year);
        }
        if (*n >= MAX_DATES) {
            return gd_err_field(err, GD_EINVAL, f, "more than %d dates", MAX_DATES);
        }
        days[(*n)++] = (int32_t)day;
    }
    return GD_OK;
}

static int parse_calendar(json_t *c, struct gd_arena *a, struct gd_calendar *cal,
                          struct gd_err *err)
{
    const char *key, *tz;
    json_t *v, *years, *wd;
    int32_t *hol = gd_arena_alloc(a, sizeof(int32_t) * MAX_DATES);
    int32_t *work = gd_arena_alloc(a, sizeof(int32_t) * MAX_DATES);
    int nh = 0, nw = 0, ret;
    char f[96];

    if (!json_is_object(c)) {
        return gd_err_field(err, GD_EINVAL, "calendar", "calendar must be an object");
    }
    json_object_foreach (c, key, v) {
        if (strcmp(key, "name") && strcmp(key, "about") && strcmp(key, "timezone") &&
            strcmp(key, "weekdays") && strcmp(key, "years")) {
            snprintf(f, sizeof(f), "calendar.%s", key);
            return gd_err_field(err, GD_EINVAL, f, "unknown field %s", f);
        }
    }
    tz = json_string_value(json_object_get(c, "timezone"));
    if (tz && strcmp(tz, "Asia/Shanghai") != 0) {
        return gd_err_field(err, GD_EINVAL, "calendar.timezone",
                            "calendar.timezone must be Asia/Shanghai");
    }
    cal->tz_offset_min = GD_TZ_DEFAULT_MIN;
    wd = json_object_get(c, "weekdays");
    cal->weekdays = wd ? 0 : GD_CALENDAR_MON_FRI;
    if (wd) {
        size_t i;
        json_t *x;
        if (!json_is_array(wd)) {
            return gd_err_field(err, GD_EINVAL, "calendar.weekdays",
                                "calendar.weekdays must be an array of 1 (Monday) to 7 (Sunday)");
        }
        json_array_foreach (wd, i, x) {
            if (!json_is_integer(x) || json_integer_value(x) < 1 || json_integer_value(x) > 7) {
                return gd_err_field(err, GD_EINVAL, "calendar.weekdays",
                                    "calendar.weekdays must "
                                    "be an array of 1 (Monday) to 7 (Sunday)");
            }
            cal->weekdays |= 1u << json_integer_value(x);
        }
    }
    years = json_object_get(c, "years");
    if (years && !json_is_object(years)) {
        return gd_err_field(err, GD_EINVAL, "calendar.years",
                            "calendar.years must be an object "
                            "of year -> {holidays, workdays}");
    }
    json_object_foreach (years, key, v) {
        json_t *h, *w;
        if (strlen(key) != 4 || key[0] < '1' || key[0] > '9' || !json_is_object(v)) {
            snprintf(f, sizeof(f), "calendar.years.%s", key);
            return gd_err_field(err, GD_EINVAL, f, "%s must be a year with {holidays, workdays}",
                                f);
        }
        h = json_object_get(v, "holidays");
        w = json_object_get(v, "workdays");
        snprintf(f, sizeof(f), "calendar.years.%s.holidays", key);
        if (json_is_object(h)) {
            const char *name;
            json_t *list;
            json_object_foreach (h, name, list) {
                if ((ret = add_dates(list, key, f, hol, &nh, err))) {
                    return ret;
                }
            }
        } else if (h && (ret = add_dates(h, key, f, hol, &nh, err))) {
            return ret;
        }
        snprintf(f, sizeof(f), "calendar.years.%s.workdays", key);
        if (w && (ret = add_dates(w, key, f, work, &nw, err))) {
            return ret;
        }
    }
    qsort(hol, (size_t)nh, sizeof(*hol), cmp_i32);
    qsort(work, (size_t)nw, sizeof(*work), cmp_i32);
    cal->holidays = hol;
    cal->nholidays = nh;
    cal->workdays = work;
    cal->nworkdays = nw;
    if (!gd_calendar_has_workday(cal)) {
        return gd_err_field(err, GD_EINVAL, "calendar", "the calendar has no working day");
    }
    return GD_OK;
}

static int parse_attachments(json_t *o, struct gd_collab_rules *r, struct gd_err *err)
{
    const char *key;
    json_t *v;

    if (!json_is_object(o)) {
        return gd_err_field(err, GD_EINVAL, "attachments",
                            "attachments must be {max_file_bytes, max_files}");
    }
    json_object_foreach (o, key, v) {
        if (strcmp(key, "max_file_bytes") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > 20 * 1024 * 1024) {
                return gd_err_field(err, GD_EINVAL, "attachments.max_file_bytes",
                                    "attachments.max_file_bytes must be 1 to 20971520 (20 MiB)");
            }
            r->max_file_bytes = json_integer_value(v);
        } else if (strcmp(key, "max_files") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 9) {
                return gd_err_field(err, GD_EINVAL, "attachments.max_files",
                                    "attachments.max_files must be 1 to 9");
            }
            r->max_files = (int)json_integer_value(v);
        } else if (strcmp(key, "types") != 0) {
            char f[64];
            snprintf(f, sizeof(f), "attachments.%s", key);
            return gd_err_field(err, GD_EINVAL, f, "unknown field %s", f);
        }
    }
    return GD_OK;
}

static int parse_root(json_t *root, struct gd_arena *a, struct gd_collab_rules *r,
                      struct gd_err *err)
{
    const char *key;
    json_t *v, *rem;
    size_t i;
    int ret;

    memset(r, 0, sizeof(*r));
    r->max_file_bytes = 20 * 1024 * 1024;
    r->max_files = 9;
    if (!json_is_object(root)) {
        return gd_err_set(err, GD_EINVAL, "the rules must be a JSON object");
    }
    json_object_foreach (root, key, v) {
        bool ok = false;
        for (const char *const *p = top_fields; *p && !ok; p++) {
            ok = strcmp(*p, key) == 0;
        }
        if (!ok) {
            return gd_err_field(err, GD_EINVAL, key, "unknown field '%s'", key);
        }
    }
    if ((ret = duration(root, "reply_window_hours", HOUR_MS, &r->reply_window_ms, err)) ||
        (ret = duration(root, "appeal_window_days", DAY_MS, &r->appeal_window_ms, err)) ||
        (ret = working_days(root, "verify_working_days", &r->verify_days, err)) ||
        (ret = working_days(root, "judge_working_days", &r->judge_days, err)) ||
        (ret = working_days(root, "appeal_review_working_days", &r->review_days, err))) {
        return ret;
    }
    rem = json_object_get(root, "reminder_offsets_hours");
    if (rem && (!json_is_array(rem) || json_array_size(rem) > GD_COLLAB_MAX_REMINDERS)) {
        return gd_err_field(err, GD_EINVAL, "reminder_offsets_hours",
                            "reminder_offsets_hours "
                            "must be an array of at most %d numbers",
                            GD_COLLAB_MAX_REMINDERS);
    }
    json_array_foreach (rem, i, v) {
        double ms = is_number(v) ? json_number_value(v) * HOUR_MS : -1;
        if (ms < 1000.0 || ms >= (double)r->reply_window_ms) {
            return gd_err_field(err, GD_EINVAL, "reminder_offsets_hours",
                                "each reminder offset "
                                "must be positive and shorter than the reply window");
        }
        r->reminder_ms[r->nreminders++] = (int64_t)(ms + 0.5);
    }
    if ((ret = parse_options(json_object_get(root, "reply_options"), r, err)) ||
        (ret = parse_outcomes(json_object_get(root, "outcomes"), r, err))) {
        return ret;
    }
    if (json_object_get(root, "attachments") &&
        (ret = parse_attachments(json_object_get(root, "attachments"), r, err))) {
        return ret;
    }
    if (!json_object_get(root, "calendar")) {
        return gd_err_field(err, GD_EINVAL, "calendar", "calendar is required");
    }
    return parse_calendar(json_object_get(root, "calendar"), a, &r->calendar, err);
}

int gd_svc_rules_parse(const char *json, size_t len, struct gd_arena *a,
                       struct gd_collab_rules *out, struct gd_err *err)
{
    json_error_t jerr;
    json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    int ret;

    if (!root) {
        return gd_err_set(err, GD_EINVAL, "malformed JSON at line %d column %d: %s", jerr.line,
                          jerr.column, jerr.text);
    }
    ret = parse_root(root, a, out, err);
    json_decref(root);
    return ret;
}

/* ---- the cache of parsed versions ---- */

struct cached_rules {
    int64_t version;
    uint64_t hash;
    struct gd_arena arena;
    struct gd_collab_rules rules;
};

#define CACHE_MAX 64
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached_rules *cache[CACHE_MAX];
static int ncache;

static uint64_t hash_text(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    }
    return h;
}

static const struct gd_collab_rules *cache_find(int64_t version, uint64_t hash)
{
    const struct gd_collab_rules *found = NULL;
    pthread_mutex_lock(&cache_lock);
    for (int i = 0; i < ncache && !found; i++) {
        if (cache[i]->version == version && cache[i]->hash == hash) {
            found = &cache[i]->rules;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return found;
}

/* Stored text of `version` (0 = newest). With 0 and an empty table the built-in defaults are
 * stored as version 1 first: in a platform-wide unit of work of its own, or in the unit the
 * caller runs. */
struct stored {
    int64_t version;
    struct gd_arena *a;
    int64_t v, created_at;
    const char *body;
};

static int stored_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct stored *x = ctx;
    int ret =
        GD_STORE(svc->store, rules_get, x->version, x->a, &x->v, &x->body, &x->created_at, err);
    if (ret == GD_ENOTFOUND && x->version == 0) {
        char *def = gd_svc_rules_default_json();
        x->created_at = gd_clock_now_ms();
        x->body = gd_arena_strdup(x->a, def);
        free(def);
        gd_err_clear(err);
        ret = GD_STORE(svc->store, rules_insert, x->body, 0, x->created_at, &x->v, err);
    }
    return ret;
}

static int stored(struct gd_svc *svc, int64_t version, struct gd_arena *a, int64_t *v,
                  const char **body, int64_t *created_at, struct gd_err *err)
{
    struct stored x = {version, a, 0, 0, NULL};
    int ret = GD_STORE(svc->store, rules_get, version, a, &x.v, &x.body, &x.created_at, err);
    if (ret == GD_ENOTFOUND && version == 0) {
        gd_err_clear(err);
        ret = gd_svc__uow_run(svc, 0, stored_unit, &x, err);
    }
    if (!ret) {
        *v = x.v;
        *body = x.body;
        *created_at = x.created_at;
    }
    return ret;
}

int gd_svc_rules_load(struct gd_svc *svc, int64_t version, const struct gd_collab_rules **out,
                      struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    const char *body;
    int64_t v, created_at;
    int ret = stored(svc, version, &a, &v, &body, &created_at, err);

    if (ret) {
        goto out;
    }
    uint64_t h = hash_text(body);
    *out = cache_find(v, h);
    if (*out) {
        goto out;
    }
    struct cached_rules *c = xcalloc(1, sizeof(*c));
    c->version = v;
    c->hash = h;
    ret = gd_svc_rules_parse(body, strlen(body), &c->arena, &c->rules, err);
    if (ret) {
        gd_arena_release(&c->arena);
        free(c);
        goto out;
    }
    c->rules.version = v;
    pthread_mutex_lock(&cache_lock);
    if (ncache < CACHE_MAX) {
        cache[ncache++] = c; /* lives until exit: reachable from `cache` */
        *out = &c->rules;
    } else {
        /* more versions than slots: replace the oldest; callers holding it are in this same
         * process and short-lived, so keep the old entry alive rather than free it under them */
        cache[ncache - 1 - (int)(h % (uint64_t)ncache)] = c;
        *out = &c->rules;
    }
    pthread_mutex_unlock(&cache_lock);
out:
    gd_arena_release(&a);
    return ret;
}

/* The document as the API shows it: the stored object with version and created_at first. */
static void doc(struct gd_arena *a, int64_t v, int64_t created_at, const char *body,
                struct gd_rules_doc *out)
{
    json_t *root = json_loads(body, 0, NULL);
    json_t *shown = json_object();
    char ts[40];

    gd_time_format(created_at, GD_TZ_DEFAULT_MIN, ts, sizeof(ts));
    json_object_set_new(shown, "version", json_integer(v));
    json_object_set_new(shown, "created_at", json_string(ts));
    json_object_update(shown, root);
    json_object_set_new(shown, "version", json_integer(v));
    json_object_set_new(shown, "created_at", json_string(ts));
    char *text = json_dumps(shown, JSON_COMPACT | JSON_PRESERVE_ORDER);
    out->version = v;
    out->created_at = created_at;
    out->json = gd_arena_strdup(a, text);
    free(text);
    json_decref(shown);
    json_decref(root);
}

int gd_svc_rules_get(struct gd_svc *svc, int64_t version, struct gd_arena *a,
                     struct gd_rules_doc *out, struct gd_err *err)
{
    const char *body;
    int64_t v, created_at;
    int ret = stored(svc, version, a, &v, &body, &created_at, err);
    if (!ret) {
        doc(a, v, created_at, body, out);
    }
    return ret;
}

/* A new version: the newest merged with `patch`, read and written in one platform-wide unit,
 * so two admins' changes at once both land (the second merges onto the first). */
struct put {
    json_t *patch;
    int64_t created_by, now;
    struct gd_arena *a;
    char *text; /* the stored text (freed by the caller) */
    int64_t v;
};

static int put_unit(struct gd_svc *svc, void *ctx, struct gd_err *err)
{
    struct put *x = ctx;
    struct gd_collab_rules parsed;
    const char *body;
    int64_t created_at;
    int ret;

    free(x->text);
    x->text = NULL;
    if ((ret = stored(svc, 0, x->a, &x->v, &body, &created_at, err))) {
        return ret;
    }
    json_t *merged = json_loads(body, 0, NULL);
    json_object_update(merged, x->patch);
    json_object_del(merged, "version");
    json_object_del(merged, "created_at");
    x->text = json_dumps(merged, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(merged);
    if ((ret = gd_svc_rules_parse(x->text, strlen(x->text), x->a, &parsed, err))) {
        return ret;
    }
    return GD_STORE(svc->store, rules_insert, x->text, x->created_by, x->now, &x->v, err);
}

int gd_svc_rules_put(struct gd_svc *svc, const struct gd_actor *actor, const char *json, size_t len,
                     struct gd_arena *a, struct gd_rules_doc *out, struct gd_err *err)
{
    json_error_t jerr;
    struct put x = {NULL, actor->user_id, gd_clock_now_ms(), a, NULL, 0};
    int ret;

    if (actor->role != GD_ROLE_PLATFORM_ADMIN) {
        return gd_err_set(err, GD_EPERM, "only a platform_admin may change the platform rules");
    }
    x.patch = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!x.patch || !json_is_object(x.patch)) {
        ret = gd_err_set(err, GD_EINVAL, "the rules must be a JSON object");
    } else if (!(ret = gd_svc__uow_run(svc, 0, put_unit, &x, err))) {
        doc(a, x.v, x.now, x.text, out);
    }
    free(x.text);
    json_decref(x.patch);
    return ret;
}
