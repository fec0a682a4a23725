/* Routes of the collaborative work orders (协同工单): the platform rules, opening a case, the
 * collaborative steps on /api/v1/workorders/{id}/..., evidence uploads (multipart, typed by
 * content with libmagic) and downloads, and the "collab" object inside a work order's JSON. */
#include <fcntl.h>
#include <magic.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>
#include "base/clock.h"
#include "base/id.h"
#include "http/multipart.h"
#include "http/req.h"

/* ---- rendering ---- */

static void str_or_null(struct gd_strbuf *sb, const char *s)
{
    if (s) {
        gd_strbuf_add_json_str(sb, s);
    } else {
        gd_strbuf_adds(sb, "null");
    }
}

static void render_files(struct gd_strbuf *sb, const struct gd_attachment *atts, int n,
                         const char *purpose)
{
    bool first = true;
    gd_strbuf_addch(sb, '[');
    for (int i = 0; i < n; i++) {
        if (atts[i].purpose && strcmp(atts[i].purpose, purpose) == 0) {
            if (!first) {
                gd_strbuf_addch(sb, ',');
            }
            first = false;
            gd_render_attachment(sb, &atts[i]);
        }
    }
    gd_strbuf_addch(sb, ']');
}

static void render_collab(struct gd_strbuf *sb, const struct gd_workorder *wo,
                          const struct gd_collab *c, const struct gd_attachment *atts, int n)
{
    gd_strbuf_adds(sb, "{\"category\":");
    gd_strbuf_add_json_str(sb, c->category);
    gd_strbuf_adds(sb, ",\"complaint\":");
    gd_strbuf_add_json_str(sb, c->complaint);
    gd_strbuf_adds(sb, ",\"remedy\":");
    gd_strbuf_add_json_str(sb, c->remedy);
    gd_strbuf_addf(sb, ",\"rule_version\":%lld,\"state\":\"%s\",\"reply_due\":",
                   (long long)c->rule_version, gd_state_name(wo->state));
    gd_render_time(sb, c->reply_due_at);
    gd_strbuf_adds(sb, ",\"due_at\":");
    gd_render_time(sb, wo->deadline_at);
    gd_strbuf_adds(sb, ",\"reply\":");
    if (c->replied_at) {
        gd_strbuf_adds(sb, "{\"option\":");
        gd_strbuf_add_json_str(sb, c->reply_option);
        gd_strbuf_adds(sb, ",\"description\":");
        str_or_null(sb, c->reply_description);
        gd_strbuf_adds(sb, ",\"contact_at\":");
        gd_render_time(sb, c->contact_at);
        gd_strbuf_adds(sb, ",\"replied_at\":");
        gd_render_time(sb, c->replied_at);
        gd_strbuf_adds(sb, ",\"evidence\":");
        render_files(sb, atts, n, "reply");
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"evidence\":");
    render_files(sb, atts, n, "evidence");
    gd_strbuf_adds(sb, ",\"verification\":");
    if (c->verified_at) {
        gd_strbuf_adds(sb, "{\"result\":");
        gd_strbuf_add_json_str(sb, c->verify_result);
        gd_strbuf_adds(sb, ",\"remark\":");
        str_or_null(sb, c->verify_remark);
        gd_strbuf_adds(sb, ",\"at\":");
        gd_render_time(sb, c->verified_at);
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"intervention\":");
    if (c->intervened_at) {
        gd_strbuf_adds(sb, "{\"reason\":");
        str_or_null(sb, c->intervention_reason);
        gd_strbuf_adds(sb, ",\"at\":");
        gd_render_time(sb, c->intervened_at);
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"judgement\":");
    if (c->judged_at) {
        gd_strbuf_adds(sb, "{\"outcome\":");
        gd_strbuf_add_json_str(sb, c->outcome);
        gd_strbuf_adds(sb, ",\"remedy\":");
        str_or_null(sb, c->judged_remedy);
        gd_strbuf_adds(sb, ",\"liable_party\":");
        str_or_null(sb, c->liable_party);
        gd_strbuf_adds(sb, ",\"reasoning\":");
        str_or_null(sb, c->reasoning);
        gd_strbuf_adds(sb, ",\"rule_article\":");
        str_or_null(sb, c->rule_article);
        gd_strbuf_adds(sb, ",\"judge\":{\"id\":");
        gd_render_id(sb, c->judge_id);
        gd_strbuf_adds(sb, ",\"display_name\":");
        str_or_null(sb, c->judge_name);
        gd_strbuf_adds(sb, "},\"judged_at\":");
        gd_render_time(sb, c->judged_at);
        gd_strbuf_addf(sb, ",\"counts_against_seller\":%s}", c->judged_against ? "true" : "false");
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"appeal\":");
    if (c->appealed_at) {
        gd_strbuf_adds(sb, "{\"reason\":");
        str_or_null(sb, c->appeal_reason);
        gd_strbuf_adds(sb, ",\"appealed_at\":");
        gd_render_time(sb, c->appealed_at);
        gd_strbuf_adds(sb, ",\"evidence\":");
        render_files(sb, atts, n, "appeal");
        gd_strbuf_adds(sb, ",\"decision\":");
        str_or_null(sb, c->decision);
        gd_strbuf_adds(sb, ",\"remark\":");
        str_or_null(sb, c->decision_remark);
        gd_strbuf_adds(sb, ",\"decided_at\":");
        gd_render_time(sb, c->decided_at);
        gd_strbuf_addch(sb, '}');
    } else {
        gd_strbuf_adds(sb, "null");
    }
    gd_strbuf_adds(sb, ",\"final_at\":");
    gd_render_time(sb, c->finalized_at);
    gd_strbuf_addch(sb, '}');
}

/* Puts "collab":{...} inside the work order object that r->out ends with (a collaborative work
 * order only). Used by GET /api/v1/workorders/{id} and the step responses. */
void gd_http_collab_extend(struct gd_req *r, const struct gd_workorder *wo)
{
    struct gd_collab c;
    struct gd_attachment *atts = NULL;
    int n = 0;

    if (wo->type != GD_TYPE_COLLAB || r->out.len == 0 || r->out.buf[r->out.len - 1] != '}' ||
        gd_svc_collab_get(r->svc, wo, &r->a, &c, &atts, &n, NULL)) {
        return;
    }
    r->out.len--;
    gd_strbuf_adds(&r->out, ",\"collab\":");
    render_collab(&r->out, wo, &c, atts, n);
    gd_strbuf_addch(&r->out, '}');
}

/* Events a shop user must not see: the platform's internal notes and bookkeeping. */
bool gd_http_collab_event_hidden(struct gd_req *r, const struct gd_event *ev)
{
    return !gd_role_is_platform(r->actor.role) && gd_event_is_internal(ev->data);
}

static void set_etag(struct gd_req *r, const struct gd_workorder *wo)
{
    gd_http_header(r, "ETag", gd_arena_printf(&r->a, "\"%lld\"", (long long)wo->version));
}

static void respond_wo(struct gd_req *r, const struct gd_workorder *wo, int status)
{
    set_etag(r, wo);
    gd_render_workorder(&r->out, wo, gd_clock_now_ms());
    gd_http_collab_extend(r, wo);
    gd_http_json(r, status);
}

/* ---- rules ---- */

static void rules_get(struct gd_req *r)
{
    struct gd_rules_doc doc;
    struct gd_err err = {0};
    const char *v = gd_http_query(r, "version");
    int64_t version = 0;

    if (v && !(version = gd_id_parse(v))) {
        gd_http_fail(r, 422, "validation_failed", "version", "version must be a positive number");
        return;
    }
    if (gd_svc_rules_get(r->svc, version, &r->a, &doc, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_strbuf_adds(&r->out, doc.json);
    gd_http_header(r, "ETag", gd_arena_printf(&r->a, "\"%lld\"", (long long)doc.version));
    gd_http_json(r, 200);
}

static void rules_put(struct gd_req *r)
{
    struct gd_rules_doc doc;
    struct gd_err err = {0};

    if (gd_svc_rules_put(r->svc, &r->actor, r->body.buf, r->body.len, &r->a, &doc, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_strbuf_adds(&r->out, doc.json);
    gd_http_header(r, "ETag", gd_arena_printf(&r->a, "\"%lld\"", (long long)doc.version));
    gd_http_json(r, 200);
}

/* ---- opening a case ---- */

/* The body stored for an Idempotency-Key replay: the same as the first answer (respond_wo),
 * "collab" object included. Runs inside the create's transaction, whose collab row this
 * thread's store already sees; r->out is set aside meanwhile. */
static char *render_created(void *ctx, const void *made)
{
    const struct gd_workorder *wo = made;
    struct gd_req *r = ctx;
    struct gd_strbuf saved = r->out;
    char *body;

    gd_strbuf_init(&r->out, 0);
    gd_render_workorder(&r->out, wo, gd_clock_now_ms());
    gd_http_collab_extend(r, wo);
    body = gd_strbuf_detach(&r->out, NULL);
    r->out = saved;
    return body;
}

/* POST /api/v1/collab, and POST /api/v1/workorders with "type":"collab" (the case fields may
 * also come nested as "collab": {category, complaint, remedy}). */
void gd_http_collab_create(struct gd_req *r)
{
    static const char *const allowed[] = {"shop_id", "order_no", "category", "complaint",
                                          "remedy", "title", "content", "type", "collab", NULL};
    static const char *const nested[] = {"category", "complaint", "remedy", NULL};
    struct gd_collab_input in = {0};
    struct gd_workorder wo;
    struct gd_err err = {0};
    const char *replay = NULL, *type = NULL;
    json_t *o = gd_http_body_object(r, allowed), *src;

    if (!o || gd_in_id(r, o, "shop_id", true, &in.shop_id) ||
        gd_in_str(r, o, "order_no", true, 64, &in.order_no) ||
        gd_in_str(r, o, "title", false, GD_TITLE_MAX, &in.title) ||
        gd_in_str(r, o, "content", false, GD_CONTENT_MAX, &in.content) ||
        gd_in_str(r, o, "type", false, 16, &type)) {
        return;
    }
    if (type && strcmp(type, "collab") != 0) {
        gd_http_fail(r, 422, "validation_failed", "type", "type must be collab");
        return;
    }
    src = json_object_get(o, "collab");
    if (src) {
        const char *key;
        json_t *v;
        if (!json_is_object(src)) {
            gd_http_fail(r, 422, "validation_failed", "collab", "collab must be an object");
            return;
        }
        json_object_foreach(src, key, v) {
            bool ok = false;
            for (const char *const *p = nested; *p && !ok; p++) {
                ok = strcmp(*p, key) == 0;
            }
            if (!ok) {
                gd_http_fail(r, 422, "unknown_field", key, "unknown field 'collab.%s'", key);
                return;
            }
        }
    } else {
        src = o;
    }
    if (gd_in_str(r, src, "category", true, 64, &in.category) ||
        gd_in_str(r, src, "complaint", true, GD_CONTENT_MAX, &in.complaint) ||
        gd_in_str(r, src, "remedy", true, 32, &in.remedy)) {
        return;
    }
    if (gd_http_idem_key(r, &in.idem_key, &in.idem_digest)) {
        return;
    }
    if (gd_svc_collab_create(r->svc, &r->actor, &in, render_created, r, &r->a, &wo, &replay,
                             &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (replay) {
        gd_http_replay(r, 201, replay, "/api/v1/workorders/", true);
        return;
    }
    gd_http_header(r, "Location", gd_arena_printf(&r->a, "/api/v1/workorders/%lld",
                                                  (long long)wo.id));
    respond_wo(r, &wo, 201);
}

/* Does this POST /api/v1/workorders body ask for a collaborative work order? */
bool gd_http_collab_wanted(struct gd_req *r)
{
    json_t *o = r->body.len ? json_loadb(r->body.buf, r->body.len, 0, NULL) : NULL;
    const char *type = json_string_value(json_object_get(o, "type"));
    bool yes = type && strcmp(type, "collab") == 0;
    json_decref(o);
    return yes;
}

/* ---- the steps ---- */

static int verify_parse(const char *s)
{
    return !s ? -1 : strcmp(s, "verified") == 0 ? 1 : strcmp(s, "rejected") == 0 ? 0 : -1;
}

static int decision_parse(const char *s)
{
    return !s ? -1 : strcmp(s, "overturned") == 0 ? 1 : strcmp(s, "upheld") == 0 ? 0 : -1;
}

static void step(struct gd_req *r, int action, const char *const *allowed)
{
    struct gd_collab_act in = {.action = action, .option = -1, .outcome = -1, .remedy = -1,
                               .liable = -1};
    struct gd_workorder wo;
    struct gd_err err = {0};
    int64_t id;
    bool present;
    int flag = -1;
    json_t *o;

    if (gd_http_param_id(r, 0, &id) || gd_http_if_match(r, &in.if_match)) {
        return;
    }
    o = gd_http_body_object(r, allowed);
    if (!o || gd_in_ids(r, o, "attachment_ids", GD_COLLAB_MAX_IDS, in.attachment_ids,
                        &in.nattachments)) {
        return;
    }
    switch (action) {
    case GD_ACT_REPLY:
        if (gd_in_enum(r, o, "option", true, gd_reply_option_parse,
                       "agreed, unreachable, not_agreed, other", &in.option) ||
            gd_in_str(r, o, "description", false, GD_NOTE_MAX, &in.description) ||
            gd_in_time(r, o, "contact_at", &in.contact_at, &present)) {
            return;
        }
        break;
    case GD_ACT_EVIDENCE:
        if (gd_in_str(r, o, "description", false, GD_NOTE_MAX, &in.description)) {
            return;
        }
        break;
    case GD_ACT_VERIFY:
        if (gd_in_enum(r, o, "result", true, verify_parse, "verified, rejected", &flag) ||
            gd_in_str(r, o, "remark", false, GD_NOTE_MAX, &in.remark)) {
            return;
        }
        in.verified = flag == 1;
        break;
    case GD_ACT_JUDGE:
        if (gd_in_enum(r, o, "outcome", true, gd_outcome_parse, "support_buyer, support_seller",
                       &in.outcome) ||
            gd_in_enum(r, o, "remedy", true, gd_remedy_parse, "refund, return_refund, reship, "
                       "exchange, repair, payout, reject_claim", &in.remedy) ||
            gd_in_enum(r, o, "liable_party", true, gd_liable_parse,
                       "seller, buyer, platform, logistics", &in.liable) ||
            gd_in_str(r, o, "reasoning", true, GD_CONTENT_MAX, &in.reasoning) ||
            gd_in_str(r, o, "rule_article", true, 200, &in.rule_article)) {
            return;
        }
        break;
    case GD_ACT_APPEAL:
        if (gd_in_str(r, o, "reason", true, GD_NOTE_MAX, &in.reason)) {
            return;
        }
        break;
    case GD_ACT_DECIDE_APPEAL:
        if (gd_in_enum(r, o, "decision", true, decision_parse, "upheld, overturned", &flag) ||
            gd_in_str(r, o, "remark", false, GD_NOTE_MAX, &in.remark)) {
            return;
        }
        in.overturned = flag == 1;
        break;
    }
    if (gd_svc_collab_act(r->svc, &r->actor, id, &in, &r->a, &wo, &err)) {
        gd_http_error(r, &err);
        return;
    }
    respond_wo(r, &wo, 200);
}

static const char *const f_reply[] = {"option", "description", "contact_at", "attachment_ids",
                                      NULL};
static const char *const f_evidence[] = {"description", "attachment_ids", NULL};
static const char *const f_verify[] = {"result", "remark", NULL};
static const char *const f_judge[] = {"outcome", "remedy", "liable_party", "reasoning",
                                      "rule_article", NULL};
static const char *const f_appeal[] = {"reason", "attachment_ids", NULL};
static const char *const f_decide[] = {"decision", "remark", NULL};

static void wo_reply(struct gd_req *r) { step(r, GD_ACT_REPLY, f_reply); }
static void wo_evidence(struct gd_req *r) { step(r, GD_ACT_EVIDENCE, f_evidence); }
static void wo_verify(struct gd_req *r) { step(r, GD_ACT_VERIFY, f_verify); }
static void wo_judge(struct gd_req *r) { step(r, GD_ACT_JUDGE, f_judge); }
static void wo_appeal(struct gd_req *r) { step(r, GD_ACT_APPEAL, f_appeal); }
static void wo_decide(struct gd_req *r) { step(r, GD_ACT_DECIDE_APPEAL, f_decide); }

/* ---- attachments ---- */

/* libmagic cookies are not thread safe and uploads are rare: one cookie behind a lock. */
static pthread_mutex_t magic_lock = PTHREAD_MUTEX_INITIALIZER;
static magic_t magic_cookie;

static const char *detect(struct gd_req *r, const void *data, size_t n)
{
    const char *mime = NULL;
    pthread_mutex_lock(&magic_lock);
    if (!magic_cookie) {
        magic_cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS |
                                  MAGIC_NO_CHECK_TAR | MAGIC_NO_CHECK_ELF);
        if (magic_cookie && magic_load(magic_cookie, NULL) != 0) {
            magic_close(magic_cookie);
            magic_cookie = NULL;
        }
    }
    if (magic_cookie) {
        const char *m = magic_buffer(magic_cookie, data, n);
        mime = m ? gd_arena_strdup(&r->a, m) : NULL;
    }
    pthread_mutex_unlock(&magic_lock);
    return mime ? mime : "application/octet-stream";
}

/* The type a file name's extension claims: NULL without an extension, "" for an unknown one. */
static const char *ext_type(const char *name)
{
    static const char *const map[][2] = {
        {"jpg", "image/jpeg"}, {"jpeg", "image/jpeg"}, {"jpe", "image/jpeg"},
        {"png", "image/png"},  {"webp", "image/webp"}, {"pdf", "application/pdf"},
        {"mp4", "video/mp4"},  {"m4v", "video/mp4"},
    };
    const char *dot = strrchr(name, '.');
    if (!dot || dot == name || strchr(dot, '/')) {
        return NULL;
    }
    for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++) {
        if (strcasecmp(dot + 1, map[i][0]) == 0) {
            return map[i][1];
        }
    }
    return "";
}

static void attachments_post(struct gd_req *r)
{
    struct gd_upload files[GD_MULTIPART_MAX_PARTS];
    struct gd_attachment *rows;
    struct gd_err err = {0};
    int n = gd_http_multipart(r, files);

    if (n < 0) {
        return;
    }
    /* typed by content; the name's extension may not claim another type */
    const struct gd_collab_rules *rules;
    if (gd_svc_rules_load(r->svc, 0, &rules, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (n > rules->max_files) {
        gd_http_fail(r, 413, "too_large", "file", "at most %d files per submission "
                     "(attachments.max_files)", rules->max_files);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *name = gd_svc_attachment_display_name(&r->a, files[i].filename);
        if ((int64_t)files[i].size > rules->max_file_bytes) {
            gd_http_fail(r, 413, "too_large", "file", "'%s' is larger than the limit of %lld "
                         "bytes (20 MiB) per file (attachments.max_file_bytes)", name,
                         (long long)rules->max_file_bytes);
            return;
        }
        files[i].mime = detect(r, files[i].data, files[i].size);
        const char *claimed = ext_type(name);
        if (claimed && strcmp(claimed, files[i].mime) != 0) {
            /* content of an allowed type whose name claims another type: a lie (415 otherwise) */
            bool content_ok = strcmp(files[i].mime, "image/jpeg") == 0 ||
                              strcmp(files[i].mime, "image/png") == 0 ||
                              strcmp(files[i].mime, "image/webp") == 0 ||
                              strcmp(files[i].mime, "application/pdf") == 0 ||
                              strcmp(files[i].mime, "video/mp4") == 0;
            if (content_ok) {
                gd_http_fail(r, 422, "type_mismatch", "file", "'%s': the name says %s but the "
                             "content is %s", name, *claimed ? claimed : "another type",
                             files[i].mime);
                return;
            }
        }
    }
    if (gd_svc_attachments_add(r->svc, &r->actor, gd_server_data_dir(r->srv), files, n, &r->a,
                               &rows, &err)) {
        gd_http_error(r, &err);
        return;
    }
    /* the first file's fields at the top (one file per request is the usual case) */
    gd_render_attachment(&r->out, &rows[0]);
    r->out.len--;
    gd_strbuf_adds(&r->out, ",\"items\":[");
    for (int i = 0; i < n; i++) {
        if (i) {
            gd_strbuf_addch(&r->out, ',');
        }
        gd_render_attachment(&r->out, &rows[i]);
    }
    gd_strbuf_adds(&r->out, "]}");
    gd_http_header(r, "Location", gd_arena_printf(&r->a, "/api/v1/attachments/%lld",
                                                  (long long)rows[0].id));
    gd_http_json(r, 201);
}

/* Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
static const char *disposition(struct gd_arena *a, const char *type, const char *name)
{
    struct gd_strbuf sb = GD_STRBUF_INIT;
    gd_strbuf_adds(&sb, type);
    gd_strbuf_adds(&sb, "; filename=\"");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        gd_strbuf_addch(&sb, *p < 0x80 && *p >= 0x20 && *p != '"' && *p != '\\' ? (char)*p : '_');
    }
    gd_strbuf_adds(&sb, "\"; filename*=UTF-8''");
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '.' || *p == '-' || *p == '_') {
            gd_strbuf_addch(&sb, (char)*p);
        } else {
            gd_strbuf_addf(&sb, "%%%02X", *p);
        }
    }
    const char *out = gd_arena_strdup(a, sb.buf);
    gd_strbuf_release(&sb);
    return out;
}

/* ?inline=1 shows an image or a PDF in the page (the workbench's preview); anything else, and
 * every file by default, downloads. */
static bool inline_ok(struct gd_req *r, const char *mime)
{
    const char *q = gd_http_query(r, "inline");
    return q && strcmp(q, "1") == 0 &&
           (strcmp(mime, "image/jpeg") == 0 || strcmp(mime, "image/png") == 0 ||
            strcmp(mime, "image/webp") == 0 || strcmp(mime, "application/pdf") == 0);
}

static void attachment_get(struct gd_req *r)
{
    struct gd_attachment x;
    struct gd_svc_blob content;
    struct gd_err err = {0};
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_attachment_open(r->svc, &r->actor, gd_server_data_dir(r->srv), id, &r->a, &x,
                               &content, &err)) {
        gd_http_error(r, &err);
        return;
    }
    if (content.size < 0) {
        gd_http_fail(r, 410, "gone", NULL, "the content of attachment %lld is missing",
                     (long long)id);
        return;
    }
    gd_http_send_blob(r, &content);
    MHD_add_response_header(r->response, "Content-Type", x.mime);
    MHD_add_response_header(r->response, "Content-Disposition",
                            disposition(&r->a, inline_ok(r, x.mime) ? "inline" : "attachment",
                                        x.filename));
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r->response, "Cache-Control", "private, max-age=3600");
    MHD_add_response_header(r->response, "Content-Security-Policy",
                            "default-src 'none'; frame-ancestors 'self'");
    r->status = 200;
}

/* GET /api/v1/attachments/{id}/thumbnail: a WebP of at most 320 px a side (images only). */
static void attachment_thumbnail(struct gd_req *r)
{
    struct gd_err err = {0};
    struct gd_svc_blob thumb;
    int64_t id;

    if (gd_http_param_id(r, 0, &id)) {
        return;
    }
    if (gd_svc_attachment_thumbnail(r->svc, &r->actor, gd_server_data_dir(r->srv), id, &r->a,
                                    &thumb, &err)) {
        if (err.code == GD_EINVAL) {
            gd_http_fail(r, 422, "unreadable_image", NULL, "no thumbnail of attachment %lld: %s",
                         (long long)id, err.msg);
        } else {
            if (err.code == GD_ELIMIT) {
                gd_http_header(r, "Retry-After", "1");
            }
            gd_http_error(r, &err);
        }
        return;
    }
    gd_http_send_blob(r, &thumb);
    MHD_add_response_header(r->response, "Content-Type", "image/webp");
    MHD_add_response_header(r->response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r->response, "Cache-Control", "private, max-age=86400");
    MHD_add_response_header(r->response, "Content-Security-Policy", "default-src 'none'");
    r->status = 200;
}

const struct gd_route gd_routes_collab[] = {
    {"GET", "/api/v1/rules", rules_get, 0},
    {"PUT", "/api/v1/rules", rules_put, 0},
    {"POST", "/api/v1/collab", gd_http_collab_create, 0},
    {"POST", "/api/v1/workorders/{}/reply", wo_reply, 0},
    {"POST", "/api/v1/workorders/{}/evidence", wo_evidence, 0},
    {"POST", "/api/v1/workorders/{}/verify", wo_verify, 0},
    {"POST", "/api/v1/workorders/{}/judge", wo_judge, 0},
    {"POST", "/api/v1/workorders/{}/appeal", wo_appeal, 0},
    {"POST", "/api/v1/workorders/{}/decide_appeal", wo_decide, 0},
    {"POST", "/api/v1/attachments", attachments_post, GD_R_RAW_BODY | GD_R_BIG_BODY},
    {"GET", "/api/v1/attachments/{}", attachment_get, 0},
    {"GET", "/api/v1/attachments/{}/thumbnail", attachment_thumbnail, 0},
    {NULL, NULL, NULL, 0},
};
