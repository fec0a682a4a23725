/* The RFC 3339 parser (base/timefmt.c) behind every time the API accepts (deadlines, filters,
 * imported created_at). Whatever the text, a time it accepts renders back (in +08:00, as every
 * answer renders times) as text that parses to the same instant: what a client sends is what it
 * sees. */
#include "base/timefmt.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1); /* exact size: a read past the NUL is caught */
    int64_t ms, again;
    char text[40];

    memcpy(s, data, size);
    s[size] = 0;
    if (gd_time_parse(s, 480, &ms)) {
        gd_time_format(ms, 480, text, sizeof(text));
        FUZZ_CHECK(gd_time_parse(text, 480, &again) && again == ms,
                   "'%s' is %lld ms, rendered as '%s'", s, (long long)ms, text);
        int y, m, d;
        int64_t day = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
        gd_civil_from_days(day, &y, &m, &d);
        FUZZ_CHECK(gd_days_from_civil(y, m, d) == day, "day %lld", (long long)day);
    }
    free(s);
    return 0;
}
