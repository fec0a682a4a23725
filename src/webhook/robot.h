/* Group robots (docs/notifications.md): what the deliverer posts to a webhook endpoint of
 * format dingtalk (a DingTalk custom robot) or wecom (a WeCom group robot) instead of the
 * gongdan body: one markdown message for a batch of events, to a URL DingTalk's signing is
 * added to. Pure (no I/O); thread safe. */
#ifndef GD_WEBHOOK_ROBOT_H
#define GD_WEBHOOK_ROBOT_H
#include <stdbool.h>
#include <stdint.h>
#include "base/strbuf.h"
#include "store/store.h"

#define GD_ROBOT_EVENTS_MAX 20 /* lines of one message; the rest follow in the next */
#define GD_ROBOT_TEXT_MAX 3000 /* bytes of one message's text (WeCom takes 4096) */

/* The URL to post to at `now_ms`: DingTalk's with "&timestamp=MS&sign=S" added, S the
 * URL-encoded base64 of HMAC-SHA256(secret, MS + "\n" + secret); WeCom's as it is. */
void gd_robot_url(const struct gd_webhook *w, int64_t now_ms, struct gd_strbuf *out);
/* The message (JSON) of the events among evs[0..n) the robot takes (gd_svc_webhook_wants),
 * at most GD_ROBOT_EVENTS_MAX lines and GD_ROBOT_TEXT_MAX bytes; *upto = the seq of the last
 * event it went through (taken or stepped over). Returns the number of lines. */
int gd_robot_message(const struct gd_webhook *w, const struct gd_outbox_event *evs, int n,
                     struct gd_strbuf *body, int64_t *upto);
/* Did the robot take it? Both answer 200 with {"errcode":0,...}; another errcode is a failure,
 * told in why (n bytes). */
bool gd_robot_answer_ok(const char *answer, size_t len, char *why, size_t n);

#endif
