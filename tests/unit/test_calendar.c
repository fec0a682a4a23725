/* Working days with Chinese holidays and make-up workdays (调休), and "N working days from T"
 * in Asia/Shanghai, across National Day 2025/2026 and the Spring Festival 2025/2026, using the
 * built-in calendar exactly as the rules carry it; and validation of edited calendars. */
#include "base/timefmt.h"
#include "check.h"
#include "service/svc.h"

static struct gd_collab_rules rules;
static struct gd_arena arena = GD_ARENA_INIT;

static int64_t t(const char *rfc3339)
{
    int64_t ms = 0;
    CHECK(gd_time_parse(rfc3339, 480, &ms));
    return ms;
}

static int64_t day(const char *date)
{
    int64_t d = 0;
    CHECK(gd_calendar_parse_date(date, &d));
    return d;
}

static void due(const char *from, int n, const char *expect)
{
    char got[40];
    gd_time_format(gd_calendar_add_working_days(&rules.calendar, t(from), n), 480, got,
                   sizeof(got));
    CHECK_EQ_STR(got, expect);
}

static void workdays(void)
{
    const struct gd_calendar *c = &rules.calendar;
    CHECK(gd_calendar_is_workday(c, day("2025-09-28")));  /* Sunday, make-up workday */
    CHECK(gd_calendar_is_workday(c, day("2025-10-11")));  /* Saturday, make-up workday */
    CHECK(!gd_calendar_is_workday(c, day("2025-10-08"))); /* Wednesday in the holiday */
    CHECK(!gd_calendar_is_workday(c, day("2025-10-12"))); /* an ordinary Sunday */
    CHECK(gd_calendar_is_workday(c, day("2025-10-09")));
    CHECK(gd_calendar_is_workday(c, day("2026-02-14")));  /* Saturday before Spring Festival */
    CHECK(!gd_calendar_is_workday(c, day("2026-02-23"))); /* Monday, last day of the holiday */
    CHECK(gd_calendar_is_workday(c, day("2026-02-28")));
    CHECK(!gd_calendar_is_workday(c, day("2026-01-02"))); /* Friday, New Year */
    CHECK(gd_calendar_is_workday(c, day("2026-01-04")));  /* Sunday, make-up */
    CHECK(gd_calendar_is_workday(c, day("2027-03-01")));  /* beyond the data: weekday rule */
    CHECK(!gd_calendar_is_workday(c, day("2027-03-06")));
    CHECK_EQ_INT(gd_calendar_weekday(day("2025-10-11")), 6);
    CHECK_EQ_INT(gd_calendar_weekday(day("1970-01-01")), 4);
    int64_t d;
    CHECK(!gd_calendar_parse_date("2025-02-29", &d));
    CHECK(!gd_calendar_parse_date("2025-13-01", &d));
    CHECK(!gd_calendar_parse_date("2025-1-01", &d));
    CHECK(gd_calendar_parse_date("2024-02-29", &d));
}

static void national_day(void)
{
    /* 2025: 10-01..10-08 off; 09-28 (Sun) and 10-11 (Sat) worked */
    due("2025-09-26T15:00:00+08:00", 3, "2025-09-30T23:59:59.000+08:00");
    due("2025-09-30T10:00:00+08:00", 3, "2025-10-11T23:59:59.000+08:00");
    due("2025-09-30T10:00:00+08:00", 1, "2025-10-09T23:59:59.000+08:00");
    due("2025-10-03T12:00:00+08:00", 3, "2025-10-11T23:59:59.000+08:00"); /* T on a holiday */
    /* 2026: Mid-Autumn 09-25..09-27, National Day 10-01..10-07; 09-20 and 10-10 worked */
    due("2026-09-24T09:00:00+08:00", 3, "2026-09-30T23:59:59.000+08:00");
    due("2026-09-30T18:00:00+08:00", 3, "2026-10-10T23:59:59.000+08:00");
    due("2026-09-18T09:00:00+08:00", 1, "2026-09-20T23:59:59.000+08:00"); /* Sunday worked */
}

static void spring_festival(void)
{
    /* 2025: 01-28..02-04 off; 01-26 (Sun) and 02-08 (Sat) worked */
    due("2025-01-24T23:30:00+08:00", 3, "2025-02-05T23:59:59.000+08:00");
    due("2025-02-05T09:00:00+08:00", 3, "2025-02-08T23:59:59.000+08:00");
    /* 2026: 02-15..02-23 off; 02-14 (Sat) and 02-28 (Sat) worked */
    due("2026-02-12T10:00:00+08:00", 3, "2026-02-24T23:59:59.000+08:00");
    due("2026-02-25T10:00:00+08:00", 3, "2026-02-28T23:59:59.000+08:00");
    /* the local day counts, not the UTC day: 2026-02-13T17:00Z is Saturday 01:00 in Shanghai */
    due("2026-02-13T17:00:00Z", 3, "2026-02-26T23:59:59.000+08:00");
    due("2026-02-13T15:00:00Z", 3, "2026-02-25T23:59:59.000+08:00");
}

static int field_of(const char *json, char *field, size_t n)
{
    struct gd_collab_rules r;
    struct gd_err err = {0};
    int ret = gd_svc_rules_parse(json, strlen(json), &arena, &r, &err);
    snprintf(field, n, "%s", err.field);
    return ret;
}

static void validation(void)
{
    char *def = gd_svc_rules_default_json();
    char buf[65536], field[64];
    const char *tail = strchr(def, ',') + 1; /* after "reply_window_hours":24 */

    CHECK(strncmp(def, "{\"reply_window_hours\":24,", 25) == 0);
    snprintf(buf, sizeof(buf), "{\"reply_window_hours\":-1,%s", tail);
    CHECK_EQ_INT(field_of(buf, field, sizeof(field)), GD_EINVAL);
    CHECK_EQ_STR(field, "reply_window_hours");
    snprintf(buf, sizeof(buf), "{\"reply_window_hours\":24,\"bogus\":1,%s", tail);
    CHECK_EQ_INT(field_of(buf, field, sizeof(field)), GD_EINVAL);
    CHECK_EQ_STR(field, "bogus");
    /* an unknown reply option */
    const char *opts = strstr(def, "\"reply_options\":[");
    snprintf(buf, sizeof(buf), "%.*s\"reply_options\":[{\"code\":\"maybe\",\"requires\":[]}],%s",
             (int)(opts - def), def, strstr(opts, "\"outcomes\""));
    CHECK_EQ_INT(field_of(buf, field, sizeof(field)), GD_EINVAL);
    CHECK_EQ_STR(field, "reply_options[0].code");
    /* a calendar with no working day */
    const char *cal = strstr(def, "\"calendar\":");
    snprintf(buf, sizeof(buf), "%.*s\"calendar\":{\"weekdays\":[]}}", (int)(cal - def), def);
    CHECK_EQ_INT(field_of(buf, field, sizeof(field)), GD_EINVAL);
    CHECK_EQ_STR(field, "calendar");
    snprintf(buf, sizeof(buf),
             "%.*s\"calendar\":{\"years\":{\"2027\":{\"holidays\":"
             "[\"2026-10-01\"]}}}}",
             (int)(cal - def), def);
    CHECK_EQ_INT(field_of(buf, field, sizeof(field)), GD_EINVAL);
    CHECK_EQ_STR(field, "calendar.years.2027.holidays");
    /* a new year loaded by the platform admin */
    snprintf(buf, sizeof(buf),
             "%.*s\"calendar\":{\"years\":{\"2027\":{\"holidays\":"
             "[\"2027-03-01\"],\"workdays\":[\"2027-03-06\"]}}}}",
             (int)(cal - def), def);
    struct gd_collab_rules r;
    CHECK_EQ_INT(gd_svc_rules_parse(buf, strlen(buf), &arena, &r, NULL), GD_OK);
    CHECK(!gd_calendar_is_workday(&r.calendar, day("2027-03-01")));
    CHECK(gd_calendar_is_workday(&r.calendar, day("2027-03-06")));
    free(def);
}

int main(void)
{
    char *def = gd_svc_rules_default_json();
    struct gd_err err = {0};
    int ret = gd_svc_rules_parse(def, strlen(def), &arena, &rules, &err);
    CHECK_EQ_INT(ret, GD_OK);
    if (ret) {
        fprintf(stderr, "default rules: %s: %s\n", err.field, err.msg);
    }
    free(def);
    CHECK_EQ_INT(rules.reply_window_ms, 24 * 3600 * 1000LL);
    CHECK_EQ_INT(rules.calendar.nholidays, 28 + 33);
    CHECK_EQ_INT(rules.calendar.nworkdays, 11);
    workdays();
    national_day();
    spring_festival();
    validation();
    gd_arena_release(&arena);
    return check_report("calendar");
}
