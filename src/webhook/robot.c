/* Group robots' messages and signed URLs (robot.h). */
#include "webhook/robot.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include "base/secret.h"
#include "service/svc.h"

#define LINE_TEXT_MAX 100 /* characters of a note, reason or chase on one line */

static const char *const labels[][2] = {
    {"created", "新建"},
    {"assigned", "分配"},
    {"transferred", "转交"},
    {"noted", "备注"},
    {"chased", "催办"},
    {"attached", "附件"},
    {"state_changed", "状态变更"},
    {"edited", "编辑"},
    {"deadline_changed", "时限变更"},
    {"reminded", "即将超时"},
    {"overdue", "已超时"},
    {"replied", "商家回复"},
    {"evidence_added", "补充凭证"},
    {"verified", "平台核实"},
    {"seller_timeout", "商家超时"},
    {"judged", "判责"},
    {"appealed", "申诉"},
    {"appeal_decided", "申诉结果"},
    {"finalized", "结案"},
};

static const char *label(const char *kind)
{
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
        if (!strcmp(labels[i][0], kind)) {
            return labels[i][1];
        }
    }
    return kind;
}

/* Adds s percent-encoded (RFC 3986 unreserved characters kept). */
static void add_urlencoded(struct gd_strbuf *sb, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '_' || *p == '.' || *p == '~') {
            gd_strbuf_addch(sb, (char)*p);
        } else {
            gd_strbuf_addf(sb, "%%%02X", *p);
        }
    }
}

void gd_robot_url(const struct gd_webhook *w, int64_t now_ms, struct gd_strbuf *out)
{
    gd_strbuf_adds(out, w->url);
    if (strcmp(w->format, "dingtalk") != 0) {
        return;
    }
    char ts[24], sign[GD_DIGEST_B64];
    struct gd_strbuf msg = GD_STRBUF_INIT;
    snprintf(ts, sizeof(ts), "%lld", (long long)now_ms);
    gd_strbuf_addf(&msg, "%s\n%s", ts, w->secret);
    gd_secret_hmac_base64(w->secret, msg.buf, msg.len, sign);
    gd_strbuf_release(&msg);
    gd_strbuf_addf(out, "%ctimestamp=%s&sign=", strchr(w->url, '?') ? '&' : '?', ts);
    add_urlencoded(out, sign);
}

/* One line: "- **GD-000091** 转交 · 王主管：售后同事跟进" (the text on one line, cut). */
static void add_line(struct gd_strbuf *sb, const struct gd_outbox_event *o)
{
    json_t *d = json_loads(o->ev.data ? o->ev.data : "{}", 0, NULL);
    const char *text = json_string_value(json_object_get(d, "text"));
    if (!text) {
        text = json_string_value(json_object_get(d, "reason"));
    }
    gd_strbuf_addf(sb, "- **GD-%06lld** %s", (long long)o->wo_number, label(o->ev.kind));
    if (o->ev.actor_id && o->ev.actor_name) {
        gd_strbuf_addf(sb, " · %s", o->ev.actor_name);
    }
    if (text && *text) {
        gd_strbuf_adds(sb, "：");
        size_t chars = 0;
        for (const char *p = text; *p && chars < LINE_TEXT_MAX; chars++) {
            size_t k = 1;
            while (((unsigned char)p[k] & 0xC0) == 0x80) {
                k++;
            }
            /* a line break would start a line of the sender's making */
            if (*p == '\n' || *p == '\r') {
                gd_strbuf_addch(sb, ' ');
            } else {
                gd_strbuf_add(sb, p, k);
            }
            p += k;
            if (chars + 1 == LINE_TEXT_MAX && *p) {
                gd_strbuf_adds(sb, "…");
            }
        }
    }
    gd_strbuf_addch(sb, '\n');
    json_decref(d);
}

int gd_robot_message(const struct gd_webhook *w, const struct gd_outbox_event *evs, int n,
                     struct gd_strbuf *body, int64_t *upto)
{
    struct gd_strbuf text = GD_STRBUF_INIT, line = GD_STRBUF_INIT;
    int lines = 0;

    for (int i = 0; i < n && lines < GD_ROBOT_EVENTS_MAX; i++) {
        if (gd_svc_webhook_wants(w, evs[i].ev.kind)) {
            gd_strbuf_reset(&line);
            add_line(&line, &evs[i]);
            if (lines && text.len + line.len > GD_ROBOT_TEXT_MAX) {
                break; /* this one opens the next message */
            }
            gd_strbuf_add(&text, line.buf, line.len);
            lines++;
        }
        *upto = evs[i].seq;
    }
    if (lines) {
        bool ding = !strcmp(w->format, "dingtalk");
        gd_strbuf_adds(body, ding ? "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":"
                                    "\"工单通知\",\"text\":"
                                  : "{\"msgtype\":\"markdown\",\"markdown\":{\"content\":");
        gd_strbuf_add_json_str(body, text.buf);
        gd_strbuf_adds(body, "}}");
    }
    gd_strbuf_release(&text);
    gd_strbuf_release(&line);
    return lines;
}

bool gd_robot_answer_ok(const char *answer, size_t len, char *why, size_t n)
{
    json_t *o = json_loadb(answer, len, 0, NULL);
    json_t *code = json_object_get(o, "errcode");
    bool ok = json_is_integer(code) && json_integer_value(code) == 0;
    if (!ok) {
        const char *msg = json_string_value(json_object_get(o, "errmsg"));
        if (json_is_integer(code)) {
            snprintf(why, n, "the robot refused the message: errcode %lld (%.200s)",
                     (long long)json_integer_value(code), msg ? msg : "");
        } else {
            snprintf(why, n,
                     "the robot's answer has no errcode 0: not a DingTalk or WeCom "
                     "robot's answer");
        }
    }
    json_decref(o);
    return ok;
}
