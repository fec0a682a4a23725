/* Event data for clients: times in milliseconds become RFC 3339 (see event_data.h). */
#include "service/event_data.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/timefmt.h"

/* The milliseconds a stored "X_ms" value holds (kept as a decimal string, or a number). */
static bool ms_value(json_t *v, long long *out)
{
    char *end;
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    if (!json_is_string(v) || !*json_string_value(v)) {
        return false;
    }
    *out = strtoll(json_string_value(v), &end, 10);
    return *end == '\0';
}

void gd_svc_event_data_render(struct gd_strbuf *sb, const char *data)
{
    json_t *in, *out, *v;
    const char *key;
    long long ms;

    if (!data || !*data) {
        gd_strbuf_adds(sb, "{}");
        return;
    }
    if (!strstr(data, "_ms\"") || !(in = json_loads(data, 0, NULL))) {
        gd_strbuf_adds(sb, data); /* nothing to convert (the usual case) */
        return;
    }
    out = json_object();
    json_object_foreach (in, key, v) {
        size_t n = strlen(key);
        if (n <= 3 || strcmp(key + n - 3, "_ms") != 0 || !ms_value(v, &ms)) {
            json_object_set(out, key, v);
        } else if (strcmp(key, "before_ms") == 0) {
            json_object_set_new(out, "before_hours", json_real((double)ms / 3600000.0));
        } else {
            char name[64], when[40];
            snprintf(name, sizeof(name), "%.*s", (int)(n - 3), key);
            gd_time_format(ms, GD_TZ_DEFAULT_MIN, when, sizeof(when));
            json_object_set_new(out, name, json_string(when));
        }
    }
    char *text = json_dumps(out, JSON_COMPACT | JSON_PRESERVE_ORDER);
    gd_strbuf_adds(sb, text ? text : "{}");
    free(text);
    json_decref(out);
    json_decref(in);
}
