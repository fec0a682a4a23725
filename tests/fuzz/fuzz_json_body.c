/* The JSON body of every POST/PATCH (io.c): gd_http_body_object (UTF-8, nesting depth, duplicate
 * keys, the allowed fields) and the field getters a handler then calls. Whatever the body, the
 * answer is a JSON error naming the rule, or the fields come out within their bounds. */
#include "base/timefmt.h"
#include "core/workorder.h"
#include "fuzz.h"

static const char *const allowed[] = {"title",      "content", "priority", "deadline",
                                      "handler_id", "type",    "order_no", "to",
                                      "reason",     "text",    NULL};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_req f;
    fuzz_req_init(&f, data, size);
    struct gd_req *r = &f.r;
    json_t *o = gd_http_body_object(r, allowed);

    if (!o) {
        FUZZ_CHECK(r->status == 400 || r->status == 422, "status %d", r->status);
    } else {
        const char *s;
        int64_t v, id, at;
        int type;
        bool present;
        /* each getter either answers 422 naming its field or gives a value within its bounds */
        if (gd_in_str(r, o, "title", false, 100, &s) == 0 && s) {
            FUZZ_CHECK(gd_utf8_valid(s, strlen(s)) && gd_utf8_len(s) <= 100, "title %s", s);
        }
        if (gd_in_int(r, o, "priority", false, 0, 3, &v, &present) == 0 && present) {
            FUZZ_CHECK(v >= 0 && v <= 3, "priority %lld", (long long)v);
        }
        if (gd_in_id(r, o, "handler_id", false, &id) == 0) {
            FUZZ_CHECK(id >= 0, "handler_id %lld", (long long)id);
        }
        if (gd_in_time(r, o, "deadline", &at, &present) == 0 && present && at) {
            char text[40];
            int64_t again;
            gd_time_format(at, 480, text, sizeof(text));
            FUZZ_CHECK(gd_time_parse(text, 480, &again) && again == at,
                       "deadline %lld renders as %s", (long long)at, text);
        }
        gd_in_enum(r, o, "type", false, gd_type_parse, "order_review, ...", &type);
        if (r->status) {
            FUZZ_CHECK(r->status == 422, "status %d", r->status);
        }
    }
    fuzz_check_answer(r);
    fuzz_req_release(&f);
    return 0;
}
