/* Credentials that outlive a request: a live stream holds the session or API token it was opened
 * with and asks, when one has been revoked anywhere (or at its heartbeat), whether its own still
 * stands. Revoking use cases (sign-out, and any later token revocation or user deactivation)
 * call gd_svc__credentials_revoked after their commit; it tells every node of a shared database. */
#include <stdatomic.h>
#include "base/clock.h"
#include "service/svc_int.h"

void gd_svc__credentials_revoked(struct gd_svc *svc)
{
    if (svc->shared) {
        atomic_fetch_add(&svc->shared->revocations, 1);
        /* and on the other nodes (service/cluster.c bumps theirs): best effort, as their
         * streams still check their credential at every heartbeat */
        GD_STORE(svc->store, revoked_notify, svc->shared->node_slot, NULL);
    }
}

long gd_svc_revocations(const struct gd_svc_shared *sh)
{
    return sh ? atomic_load(&sh->revocations) : 0;
}

int gd_svc_credential_check(struct gd_svc *svc, const struct gd_credential *c, bool *live,
                            struct gd_err *err)
{
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_user u;
    const char *csrf;
    int ret = c->kind == GD_CRED_SESSION ? GD_STORE(svc->store, session_get, c->digest,
                                                    gd_clock_now_ms(), &a, &u, &csrf, NULL, err)
                                         : GD_STORE(svc->store, token_get, c->digest, &a, &u, err);

    *live = ret == GD_OK && u.id == c->user_id;
    gd_arena_release(&a);
    return ret == GD_ENOTFOUND ? GD_OK : ret;
}
