/* The platform rules validator (service/rules.c, PUT /api/v1/collab/rules): any text is either
 * rejected with a message (and the field when one is at fault) or gives rules the deadline
 * arithmetic can use: windows within bounds and working days that move time forward. */
#include "core/calendar.h"
#include "core/collab.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_collab_rules rules;
    struct gd_err err = {0};
    char *copy = malloc(size ? size : 1); /* exact size: a read past the end is caught */

    memcpy(copy, data, size);
    memset(&rules, 0, sizeof(rules));
    if (gd_svc_rules_parse(copy, size, &a, &rules, &err) != GD_OK) {
        FUZZ_CHECK(err.code == GD_EINVAL && err.msg[0], "rejected (code %d) without a reason",
                   err.code);
        /* the reason may quote the text cut inside a character: the HTTP layer repairs every
         * error message (io.c error_body), so it is not checked for UTF-8 here */
    } else {
        FUZZ_CHECK(rules.reply_window_ms >= 1000, "reply window %lld",
                   (long long)rules.reply_window_ms);
        FUZZ_CHECK(rules.nreminders >= 0 && rules.nreminders <= GD_COLLAB_MAX_REMINDERS,
                   "%d reminders", rules.nreminders);
        const int64_t t = 1767225600000; /* 2026-01-01T00:00:00Z */
        int days[] = {rules.verify_days, rules.judge_days, rules.review_days};
        for (int i = 0; i < 3; i++) {
            int64_t due = gd_calendar_add_working_days(&rules.calendar, t, days[i]);
            FUZZ_CHECK(due > t, "%d working days from %lld end at %lld", days[i], (long long)t,
                       (long long)due);
        }
    }
    free(copy);
    gd_arena_release(&a);
    return 0;
}
