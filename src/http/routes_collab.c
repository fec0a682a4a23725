/* Routes of the collaborative work orders (协同工单): the platform rules, opening a case, the
 * collaborative steps on /api/v1/workorders/{id}/..., and the work order as the API shows it
 * (with its "collab" object, which render.c writes). */
#include "base/clock.h"
#include "base/id.h"
#include "base/log.h"
#include "http/req.h"

int gd_http_render_workorder(struct gd_req *r, struct gd_strbuf *sb, const struct gd_workorder *wo,
                             struct gd_err *err)
{
    struct gd_collab c;
    struct gd_attachment *atts = NULL;
    int n = 0;

    if (wo->type == GD_TYPE_COLLAB) {
        int ret = gd_svc_collab_get(r->svc, wo, &r->a, &c, &atts, &n, err);
        if (ret == GD_OK) {
            gd_render_workorder_collab(sb, wo, &c, atts, n);
            return GD_OK;
        }
        if (ret != GD_ENOTFOUND) {
            return ret;
        }
        gd_err_clear(err); /* a collab work order without its case row: the work order alone */
    }
    gd_render_workorder(sb, wo);
    return GD_OK;
}

char *gd_http_render_created(void *ctx, const void *made)
{
    struct gd_req *r = ctx;
    struct gd_strbuf sb = GD_STRBUF_INIT;
    struct gd_err err = {0};

    if (gd_http_render_workorder(r, &sb, made, &err)) {
        gd_log(GD_LOG_ERROR, "cannot render the answer to keep rid=%s msg=%s", r->request_id,
               err.msg);
        gd_strbuf_release(&sb);
        return NULL;
    }
    return gd_strbuf_detach(&sb, NULL);
}

void gd_http_respond_workorder(struct gd_req *r, const struct gd_workorder *wo, int status)
{
    struct gd_err err = {0};

    if (gd_http_render_workorder(r, &r->out, wo, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_etag(r, wo->version);
    gd_http_json(r, status);
}

void gd_http_respond_created(struct gd_req *r, const struct gd_workorder *wo, const char *replay)
{
    if (replay) {
        gd_http_replay(r, 201, replay, "/api/v1/workorders/", true);
        return;
    }
    gd_http_header(r, "Location",
                   gd_arena_printf(&r->a, "/api/v1/workorders/%lld", (long long)wo->id));
    gd_http_respond_workorder(r, wo, 201);
}

bool gd_http_collab_event_hidden(struct gd_req *r, const struct gd_event *ev)
{
    return !gd_role_is_platform(r->actor.role) && gd_event_is_internal(ev->data);
}

/* ---- rules ---- */

static void rules_get(struct gd_req *r)
{
    struct gd_rules_doc doc;
    struct gd_err err = {0};
    const char *v = gd_http_query(r, "version");
    int64_t version = 0;

    if (v && !(version = gd_id_parse(v))) {
        gd_http_fail(r, "validation_failed", "version", "version must be a positive number");
        return;
    }
    if (gd_svc_rules_get(r->svc, version, &r->a, &doc, &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_strbuf_adds(&r->out, doc.json);
    gd_http_etag(r, doc.version);
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
    gd_http_etag(r, doc.version);
    gd_http_json(r, 200);
}

/* ---- opening a case ---- */

/* POST /api/v1/collab, and POST /api/v1/workorders with "type":"collab" (the case fields may
 * also come nested as "collab": {category, complaint, remedy}). */
void gd_http_collab_create(struct gd_req *r)
{
    static const char *const allowed[] = {"shop_id", "order_no", "category", "complaint", "remedy",
                                          "title",   "content",  "type",     "collab",    NULL};
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
        gd_http_fail(r, "validation_failed", "type", "type must be collab");
        return;
    }
    src = json_object_get(o, "collab");
    if (src) {
        const char *key;
        json_t *v;
        if (!json_is_object(src)) {
            gd_http_fail(r, "validation_failed", "collab", "collab must be an object");
            return;
        }
        json_object_foreach (src, key, v) {
            bool ok = false;
            for (const char *const *p = nested; *p && !ok; p++) {
                ok = strcmp(*p, key) == 0;
            }
            if (!ok) {
                gd_http_fail(r, "unknown_field", key, "unknown field 'collab.%s'", key);
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
    if (gd_svc_collab_create(r->svc, &r->actor, &in, gd_http_render_created, r, &r->a, &wo, &replay,
                             &err)) {
        gd_http_error(r, &err);
        return;
    }
    gd_http_respond_created(r, &wo, replay);
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
    struct gd_collab_act in = {
        .action = action, .option = -1, .outcome = -1, .remedy = -1, .liable = -1};
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
    if (!o ||
        gd_in_ids(r, o, "attachment_ids", GD_COLLAB_MAX_IDS, in.attachment_ids, &in.nattachments)) {
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
            gd_in_enum(r, o, "remedy", true, gd_remedy_parse,
                       "refund, return_refund, reship, "
                       "exchange, repair, payout, reject_claim",
                       &in.remedy) ||
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
    gd_http_respond_workorder(r, &wo, 200);
}

static const char *const f_reply[] = {"option", "description", "contact_at", "attachment_ids",
                                      NULL};
static const char *const f_evidence[] = {"description", "attachment_ids", NULL};
static const char *const f_verify[] = {"result", "remark", NULL};
static const char *const f_judge[] = {"outcome",   "remedy",       "liable_party",
                                      "reasoning", "rule_article", NULL};
static const char *const f_appeal[] = {"reason", "attachment_ids", NULL};
static const char *const f_decide[] = {"decision", "remark", NULL};

static void wo_reply(struct gd_req *r) { step(r, GD_ACT_REPLY, f_reply); }
static void wo_evidence(struct gd_req *r) { step(r, GD_ACT_EVIDENCE, f_evidence); }
static void wo_verify(struct gd_req *r) { step(r, GD_ACT_VERIFY, f_verify); }
static void wo_judge(struct gd_req *r) { step(r, GD_ACT_JUDGE, f_judge); }
static void wo_appeal(struct gd_req *r) { step(r, GD_ACT_APPEAL, f_appeal); }
static void wo_decide(struct gd_req *r) { step(r, GD_ACT_DECIDE_APPEAL, f_decide); }

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
    {NULL, NULL, NULL, 0},
};
