/* The collaborative work order (协同工单) as decisions: the platform rules a case is judged by,
 * where each step leads (the branch between next states that gd_transition leaves open), what a
 * reply must carry, which judgements are allowed, and when each step is due.
 *
 * Flow (DOMAIN.md): awaiting_seller --reply--> resolved | platform_verify | intervention;
 * platform_verify --verify--> resolved | intervention; no reply by the deadline -> intervention;
 * intervention --judge--> judged; judged --appeal--> appeal_review --decide--> final;
 * judged --appeal window passes--> final.
 *
 * Ownership: strings in the inputs are borrowed. Thread safety: pure; the tables are constant.
 * Errors: GD_EINVAL with the offending field named. */
#ifndef GD_CORE_COLLAB_H
#define GD_CORE_COLLAB_H
#include <stdbool.h>
#include <stdint.h>
#include "base/err.h"
#include "core/calendar.h"

enum gd_reply_option {
    GD_REPLY_AGREED,      /* 已与消费者协商一致 */
    GD_REPLY_UNREACHABLE, /* 未联系上消费者 */
    GD_REPLY_NOT_AGREED,  /* 未达成一致 */
    GD_REPLY_OTHER,       /* 其他 */
    GD_REPLY_COUNT
};

/* What a reply option requires (bits). */
enum gd_reply_requires {
    GD_REQ_DESCRIPTION = 1,
    GD_REQ_EVIDENCE = 2,
    GD_REQ_CONTACT_AT = 4,
};

enum gd_outcome { GD_OUTCOME_SUPPORT_BUYER, GD_OUTCOME_SUPPORT_SELLER, GD_OUTCOME_COUNT };

enum gd_remedy {
    GD_REMEDY_REFUND,
    GD_REMEDY_RETURN_REFUND,
    GD_REMEDY_RESHIP,
    GD_REMEDY_EXCHANGE,
    GD_REMEDY_REPAIR,
    GD_REMEDY_PAYOUT,
    GD_REMEDY_REJECT_CLAIM,
    GD_REMEDY_COUNT
};

enum gd_liable {
    GD_LIABLE_SELLER,
    GD_LIABLE_BUYER,
    GD_LIABLE_PLATFORM,
    GD_LIABLE_LOGISTICS,
    GD_LIABLE_COUNT
};

#define GD_COLLAB_MAX_REMINDERS 8

/* One version of the platform rules, parsed (the JSON text is the stored form). */
struct gd_collab_rules {
    int64_t version;
    int64_t reply_window_ms;
    int nreminders;
    int64_t reminder_ms[GD_COLLAB_MAX_REMINDERS]; /* before the reply deadline */
    int verify_days, judge_days, review_days;     /* working days */
    int64_t appeal_window_ms;
    unsigned options;                    /* bit per enum gd_reply_option offered */
    unsigned requires[GD_REPLY_COUNT];   /* enum gd_reply_requires bits */
    unsigned remedies[GD_OUTCOME_COUNT]; /* bit per enum gd_remedy allowed */
    int64_t max_file_bytes;
    int max_files;
    struct gd_calendar calendar;
};

const char *gd_reply_option_name(int o);
int gd_reply_option_parse(const char *s);
const char *gd_outcome_name(int o);
int gd_outcome_parse(const char *s);
const char *gd_remedy_name(int r);
int gd_remedy_parse(const char *s);
const char *gd_liable_name(int l);
int gd_liable_parse(const char *s);
const char *gd_reply_requires_name(unsigned bit); /* "description", "evidence", "contact_at" */

/* The state a reply option leads to. */
int gd_collab_reply_next(int option);
/* The state a verification leads to. */
int gd_collab_verify_next(bool verified);
/* A judgement in favour of the buyer counts against the seller (dispute rate). */
bool gd_collab_is_against_seller(int outcome);

struct gd_collab_reply {
    int option;
    const char *description;
    int64_t contact_at; /* 0 = not given */
    int nevidence;
};
/* Checks a reply against the rules: the option is offered, required fields are there, the
 * contact time is after the case was created (T0) and not in the future. */
int gd_collab_check_reply(const struct gd_collab_rules *rules, const struct gd_collab_reply *r,
                          int64_t created_at, int64_t now, struct gd_err *err);
/* Checks a judgement: the remedy belongs to the outcome under the rules. */
int gd_collab_check_judgement(const struct gd_collab_rules *rules, int outcome, int remedy,
                              struct gd_err *err);

/* When the step that starts at `now` in `state` is due: the reply deadline from creation, the
 * appeal window in calendar time, the platform's steps in working days; 0 = no deadline. */
int64_t gd_collab_step_due(const struct gd_collab_rules *rules, int state, int64_t now);
/* Is `state` one of the platform's own steps (verification, intervention, appeal review)? */
bool gd_collab_is_platform_step(int state);

#endif
