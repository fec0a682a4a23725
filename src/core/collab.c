/* Collaborative work order decisions: names, next states, reply and judgement checks, and the
 * due time of each step. */
#include "core/collab.h"
#include "core/workorder.h"

static const char *const option_names[GD_REPLY_COUNT] = {"agreed", "unreachable", "not_agreed",
                                                         "other"};
static const char *const outcome_names[GD_OUTCOME_COUNT] = {"support_buyer", "support_seller"};
static const char *const remedy_names[GD_REMEDY_COUNT] = {
    "refund", "return_refund", "reship", "exchange", "repair", "payout", "reject_claim"};
static const char *const liable_names[GD_LIABLE_COUNT] = {"seller", "buyer", "platform",
                                                          "logistics"};

static int find(const char *s, const char *const *names, int n)
{
    for (int i = 0; s && i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            return i;
        }
    }
    return -1;
}

const char *gd_reply_option_name(int o)
{
    return o >= 0 && o < GD_REPLY_COUNT ? option_names[o] : "?";
}
int gd_reply_option_parse(const char *s) { return find(s, option_names, GD_REPLY_COUNT); }
const char *gd_outcome_name(int o)
{
    return o >= 0 && o < GD_OUTCOME_COUNT ? outcome_names[o] : "?";
}
int gd_outcome_parse(const char *s) { return find(s, outcome_names, GD_OUTCOME_COUNT); }
const char *gd_remedy_name(int r) { return r >= 0 && r < GD_REMEDY_COUNT ? remedy_names[r] : "?"; }
int gd_remedy_parse(const char *s) { return find(s, remedy_names, GD_REMEDY_COUNT); }
const char *gd_liable_name(int l) { return l >= 0 && l < GD_LIABLE_COUNT ? liable_names[l] : "?"; }
int gd_liable_parse(const char *s) { return find(s, liable_names, GD_LIABLE_COUNT); }

const char *gd_reply_requires_name(unsigned bit)
{
    switch (bit) {
    case GD_REQ_DESCRIPTION:
        return "description";
    case GD_REQ_EVIDENCE:
        return "evidence";
    case GD_REQ_CONTACT_AT:
        return "contact_at";
    }
    return "?";
}

int gd_collab_reply_next(int option)
{
    switch (option) {
    case GD_REPLY_AGREED:
        return GD_STATE_RESOLVED;
    case GD_REPLY_UNREACHABLE:
    case GD_REPLY_OTHER:
        return GD_STATE_PLATFORM_VERIFY; /* the platform checks the claim first */
    case GD_REPLY_NOT_AGREED:
        return GD_STATE_INTERVENTION;
    }
    return -1;
}

int gd_collab_verify_next(bool verified)
{
    return verified ? GD_STATE_RESOLVED : GD_STATE_INTERVENTION;
}

bool gd_collab_is_against_seller(int outcome) { return outcome == GD_OUTCOME_SUPPORT_BUYER; }

static bool blank(const char *s)
{
    if (!s) {
        return true;
    }
    for (; *s; s++) {
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') {
            return false;
        }
    }
    return true;
}

#define CLOCK_SLACK_MS 60000 /* a browser clock a minute ahead is not a lie */

int gd_collab_check_reply(const struct gd_collab_rules *rules, const struct gd_collab_reply *r,
                          int64_t created_at, int64_t now, struct gd_err *err)
{
    unsigned req;

    if (r->option < 0 || r->option >= GD_REPLY_COUNT || !((rules->options >> r->option) & 1u)) {
        return gd_err_field(err, GD_EINVAL, "option", "option is not one the rules offer");
    }
    req = rules->requires[r->option];
    if ((req & GD_REQ_DESCRIPTION) && blank(r->description)) {
        return gd_err_field(err, GD_EINVAL, "description", "description is required for %s",
                            option_names[r->option]);
    }
    if ((req & GD_REQ_EVIDENCE) && r->nevidence == 0) {
        return gd_err_field(err, GD_EINVAL, "attachment_ids",
                            "evidence (attachment_ids) is required for %s",
                            option_names[r->option]);
    }
    if ((req & GD_REQ_CONTACT_AT) && !r->contact_at) {
        return gd_err_field(err, GD_EINVAL, "contact_at", "contact_at is required for %s",
                            option_names[r->option]);
    }
    if (r->contact_at && r->contact_at < created_at) {
        return gd_err_field(err, GD_EINVAL, "contact_at",
                            "contact_at must be after the case was opened: the buyer has to be "
                            "contacted about this case");
    }
    if (r->contact_at && r->contact_at > now + CLOCK_SLACK_MS) {
        return gd_err_field(err, GD_EINVAL, "contact_at", "contact_at is in the future");
    }
    return GD_OK;
}

int gd_collab_check_judgement(const struct gd_collab_rules *rules, int outcome, int remedy,
                              struct gd_err *err)
{
    if (outcome < 0 || outcome >= GD_OUTCOME_COUNT) {
        return gd_err_field(err, GD_EINVAL, "outcome", "unknown outcome");
    }
    if (remedy < 0 || !((rules->remedies[outcome] >> remedy) & 1u)) {
        return gd_err_field(err, GD_EINVAL, "remedy",
                            "remedy %s is not allowed for %s by the "
                            "rules",
                            gd_remedy_name(remedy), outcome_names[outcome]);
    }
    return GD_OK;
}

bool gd_collab_is_platform_step(int state)
{
    return state == GD_STATE_PLATFORM_VERIFY || state == GD_STATE_INTERVENTION ||
           state == GD_STATE_APPEAL_REVIEW;
}

int64_t gd_collab_step_due(const struct gd_collab_rules *rules, int state, int64_t now)
{
    switch (state) {
    case GD_STATE_AWAITING_SELLER:
        return now + rules->reply_window_ms;
    case GD_STATE_PLATFORM_VERIFY:
        return gd_calendar_add_working_days(&rules->calendar, now, rules->verify_days);
    case GD_STATE_INTERVENTION:
        return gd_calendar_add_working_days(&rules->calendar, now, rules->judge_days);
    case GD_STATE_APPEAL_REVIEW:
        return gd_calendar_add_working_days(&rules->calendar, now, rules->review_days);
    case GD_STATE_JUDGED:
        return now + rules->appeal_window_ms;
    }
    return 0;
}
