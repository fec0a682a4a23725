/* Assignment rules (docs/assignment.md): which member of a rule's group gets a work order. Pure
 * decisions over what the service read (members, who is available, their open work, round
 * robin's cursor); no I/O. Thread safe. */
#ifndef GD_CORE_ASSIGN_H
#define GD_CORE_ASSIGN_H
#include <stdbool.h>
#include <stdint.h>

enum gd_assign_kind {
    GD_ASSIGN_FIXED,       /* one handler */
    GD_ASSIGN_ROUND_ROBIN, /* the next available member after the last one given work */
    GD_ASSIGN_LEAST_OPEN,  /* the available member with the fewest open work orders */
    GD_ASSIGN_KIND_COUNT
};

/* A person's status (在线 / 忙碌 / 离线): only online people are given work; busy keeps what
 * they have; going offline hands it on where the rule says so. */
enum gd_agent_state { GD_AGENT_ONLINE, GD_AGENT_BUSY, GD_AGENT_OFFLINE, GD_AGENT_STATE_COUNT };

/* Why a rule placed nobody. */
enum gd_assign_miss {
    GD_ASSIGN_PLACED,
    GD_ASSIGN_GROUP_EMPTY,   /* no member is an active user of the shop */
    GD_ASSIGN_NONE_AVAILABLE /* members there are, none online (or their workbench closed) */
};

#define GD_ASSIGN_MEMBERS_MAX 50

struct gd_assign_member {
    int64_t user_id;
    bool active;    /* an active user of the shop */
    bool available; /* online, and (when they asked for it) their workbench open */
    int64_t open;   /* open work orders they handle (least open work) */
};

const char *gd_assign_kind_name(int kind);
int gd_assign_kind_parse(const char *s); /* -1 when unknown */
const char *gd_agent_state_name(int state);
int gd_agent_state_parse(const char *s); /* -1 when unknown */
const char *gd_assign_miss_name(int miss);

/* May someone in `state` (workbench_only: online only while a workbench is open; present: one
 * is) be given work? */
bool gd_agent_available(int state, bool workbench_only, bool present);

/* The index in m[0..n) of the member rule `kind` gives the work order to, or -1 with *miss
 * saying why. `cursor_user_id`: round robin's last member (0: none yet; one no longer in the
 * group starts the round at the first member). `exclude_user_id`: never them (the handler the
 * work moves away from; 0: nobody). Least open work: ties go to the earlier member. */
int gd_assign_pick(int kind, const struct gd_assign_member *m, int n, int64_t cursor_user_id,
                   int64_t exclude_user_id, int *miss);

#endif
