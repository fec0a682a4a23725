/* An event's data as clients see it (the timeline and webhook deliveries). Inside, the data keeps
 * times as UTC milliseconds ("reply_due_ms": "1764..."); outside, the API speaks RFC 3339, so
 * each "X_ms" time becomes "X" in RFC 3339 (+08:00), and the one duration, "before_ms" (a
 * reminder's distance from the reply deadline), becomes "before_hours". Stored events are never
 * rewritten: old and new rows read the same. Pure; thread safe. */
#ifndef GD_SVC_EVENT_DATA_H
#define GD_SVC_EVENT_DATA_H
#include "base/strbuf.h"

/* Appends the public JSON object of the stored `data` (NULL or empty: {}). */
void gd_svc_event_data_render(struct gd_strbuf *sb, const char *data);

#endif
