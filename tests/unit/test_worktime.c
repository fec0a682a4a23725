/* Working time for time targets: minutes on working days of the built-in Chinese calendar
 * (holidays and make-up workdays 调休) inside a shop's daily hours, counted across nights,
 * weekends, National Day and the Spring Festival, and a pause that stops the clock. */
#include "base/timefmt.h"
#include "check.h"
#include "core/worktime.h"
#include "service/svc.h"

#define MIN 60000LL
static struct gd_collab_rules rules;
static struct gd_arena arena = GD_ARENA_INIT;
static const struct gd_work_hours nine_to_six = {9 * 60, 18 * 60};

static int64_t t(const char *rfc3339)
{
    int64_t ms = 0;
    CHECK(gd_time_parse(rfc3339, 480, &ms));
    return ms;
}

static void add(const struct gd_work_hours *h, const char *from, int64_t minutes,
                const char *expect)
{
    char got[40];
    int64_t at = gd_worktime_add(&rules.calendar, h, t(from), minutes * MIN);
    gd_time_format(at, 480, got, sizeof(got));
    CHECK_EQ_STR(got, expect);
    /* the two functions agree: the working time between T and the result is what was added */
    CHECK_EQ_INT(gd_worktime_between(&rules.calendar, h, t(from), at), minutes * MIN);
}

static void daily_hours(void)
{
    add(&nine_to_six, "2025-10-13T10:00:00+08:00", 90, "2025-10-13T11:30:00.000+08:00");
    /* before opening the count starts at 09:00; after closing at the next day's opening */
    add(&nine_to_six, "2025-10-14T07:00:00+08:00", 30, "2025-10-14T09:30:00.000+08:00");
    add(&nine_to_six, "2025-10-14T20:00:00+08:00", 30, "2025-10-15T09:30:00.000+08:00");
    /* what is left at 18:00 carries over to the next working morning */
    add(&nine_to_six, "2025-10-13T17:00:00+08:00", 120, "2025-10-14T10:00:00.000+08:00");
    /* Friday evening to Monday: the weekend does not count */
    add(&nine_to_six, "2025-10-17T17:30:00+08:00", 60, "2025-10-20T09:30:00.000+08:00");
    /* several days: 9 hours a day */
    add(&nine_to_six, "2025-10-13T09:00:00+08:00", 3 * 9 * 60, "2025-10-15T18:00:00.000+08:00");
    /* other hours: a shop open 08:30-22:00 */
    const struct gd_work_hours late = {8 * 60 + 30, 22 * 60};
    add(&late, "2025-10-13T21:00:00+08:00", 90, "2025-10-14T09:00:00.000+08:00");
    CHECK(!gd_worktime_hours_valid(&(struct gd_work_hours){18 * 60, 9 * 60}));
    CHECK(!gd_worktime_hours_valid(&(struct gd_work_hours){0, 24 * 60 + 1}));
    CHECK(gd_worktime_hours_valid(&(struct gd_work_hours){0, 24 * 60}));
    /* nothing to add: T itself, also outside the hours */
    CHECK_EQ_INT(gd_worktime_add(&rules.calendar, &nine_to_six, t("2025-10-18T03:00:00+08:00"), 0),
                 t("2025-10-18T03:00:00+08:00"));
    CHECK_EQ_INT(gd_worktime_between(&rules.calendar, &nine_to_six, t("2025-10-18T09:00:00+08:00"),
                                     t("2025-10-19T18:00:00+08:00")),
                 0); /* a plain weekend */
}

static void holidays_and_makeup_days(void)
{
    /* Friday 2025-09-26 17:00 + 2 h: Saturday is off, Sunday 09-28 is a make-up workday */
    add(&nine_to_six, "2025-09-26T17:00:00+08:00", 120, "2025-09-28T10:00:00.000+08:00");
    /* the eve of National Day: 10-01..10-08 off, next working day 10-09 */
    add(&nine_to_six, "2025-09-30T17:30:00+08:00", 60, "2025-10-09T09:30:00.000+08:00");
    /* Saturday 10-11 is worked */
    add(&nine_to_six, "2025-10-10T17:00:00+08:00", 120, "2025-10-11T10:00:00.000+08:00");
    /* Spring Festival 2026: Friday 02-13, the make-up Saturday 02-14, then 02-24 */
    add(&nine_to_six, "2026-02-13T17:00:00+08:00", 120, "2026-02-14T10:00:00.000+08:00");
    add(&nine_to_six, "2026-02-14T17:00:00+08:00", 120, "2026-02-24T10:00:00.000+08:00");
    /* a round-the-clock shop still keeps the holidays */
    const struct gd_work_hours all_day = {0, 24 * 60};
    add(&all_day, "2026-02-14T23:00:00+08:00", 120, "2026-02-24T01:00:00.000+08:00");
    /* the local day counts: 2026-02-13T20:00Z is Saturday 04:00 in Shanghai, a make-up day */
    add(&nine_to_six, "2026-02-13T20:00:00Z", 60, "2026-02-14T10:00:00.000+08:00");
}

static void pause_and_resume(void)
{
    /* a resolution target of 8 working hours from Monday 09:00 is due at 17:00 */
    int64_t due = gd_worktime_add(&rules.calendar, &nine_to_six, t("2025-10-13T09:00:00+08:00"),
                                  8 * 60 * MIN);
    CHECK_EQ_INT(due, t("2025-10-13T17:00:00+08:00"));
    /* waiting for the buyer from 11:00 keeps the 6 hours left */
    int64_t left =
        gd_worktime_between(&rules.calendar, &nine_to_six, t("2025-10-13T11:00:00+08:00"), due);
    CHECK_EQ_INT(left, 6 * 60 * MIN);
    /* the buyer answers Tuesday 15:00: 3 hours that day, 3 on Wednesday */
    char got[40];
    gd_time_format(
        gd_worktime_add(&rules.calendar, &nine_to_six, t("2025-10-14T15:00:00+08:00"), left), 480,
        got, sizeof(got));
    CHECK_EQ_STR(got, "2025-10-15T12:00:00.000+08:00");
    /* a pause over National Day loses nothing: left is kept in working time */
    left = gd_worktime_between(&rules.calendar, &nine_to_six, t("2025-09-30T16:00:00+08:00"),
                               t("2025-09-30T18:00:00+08:00"));
    CHECK_EQ_INT(left, 120 * MIN);
    add(&nine_to_six, "2025-10-08T12:00:00+08:00", 120, "2025-10-09T11:00:00.000+08:00");
}

int main(void)
{
    char *def = gd_svc_rules_default_json();
    CHECK_EQ_INT(gd_svc_rules_parse(def, strlen(def), &arena, &rules, NULL), GD_OK);
    free(def);
    daily_hours();
    holidays_and_makeup_days();
    pause_and_resume();
    gd_arena_release(&arena);
    return check_report("worktime");
}
