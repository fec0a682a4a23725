/* The node of a cluster (cluster.h). */
#include "service/cluster.h"
#include "base/id.h"
#include "base/log.h"

#define WAIT_MS 1000 /* how long one wait for notifications lasts (the stop check) */
#define BATCH 64     /* notifications read per wait */

static _Atomic long remote_changes, remote_revocations, gaps, lost_total;
static char metrics_node[GD_NODE_ID_MAX + 1];
static _Atomic int metrics_slot = -1;

bool gd_cluster_node_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n < 1 || n > GD_NODE_ID_MAX) {
        return false;
    }
    for (const char *p = id; *p; p++) {
        if (*p <= ' ' || *p > '~' || *p == '"' || *p == '\\') {
            return false;
        }
    }
    return true;
}

/* One remote change: the work order as it is now goes to the after-commit hook. */
static void deliver(struct gd_cluster *c, const struct gd_change *ch)
{
    struct gd_svc_shared *sh = c->svc.shared;
    struct gd_arena a = GD_ARENA_INIT;
    struct gd_workorder wo;

    if (GD_STORE(c->svc.store, workorder_get, ch->shop_id, ch->workorder_id, &a, &wo, NULL) ==
        GD_OK) {
        atomic_fetch_add(&remote_changes, 1);
        if (sh->on_change) {
            sh->on_change(sh->on_change_ctx, &wo);
        }
    }
    gd_arena_release(&a);
}

/* One round: the notifications of one wait (WAIT_MS at most, so a stop is seen within it). */
static int64_t round_listen(void *arg, bool woken)
{
    struct gd_cluster *c = arg;
    struct gd_svc_shared *sh = c->svc.shared;
    struct gd_change ch[BATCH];
    struct gd_err err = {0};
    int n = 0;
    bool gap = false;

    (void)woken;
    if (GD_STORE(c->listen, changes_wait, WAIT_MS, ch, BATCH, &n, &gap, &err)) {
        atomic_fetch_add(&lost_total, 1);
        return 1000; /* the database is away: try again in a second */
    }
    if (gap) {
        /* notifications sent while the connection was down are lost: refresh everyone */
        atomic_fetch_add(&gaps, 1);
        gd_log(GD_LOG_INFO, "change listener reconnected; refreshing every live stream");
        if (sh->on_change) {
            sh->on_change(sh->on_change_ctx, NULL);
        }
    }
    bool remote = false;
    for (int i = 0; i < n; i++) {
        /* a change of this node's own was handed over after its own commit */
        if (ch[i].origin == c->slot) {
            continue;
        }
        if (ch[i].revoked) {
            /* a sign-out on another node: this node's streams check their credentials now */
            atomic_fetch_add(&remote_revocations, 1);
            atomic_fetch_add(&sh->revocations, 1);
            continue;
        }
        deliver(c, &ch[i]);
        remote = true;
    }
    if ((remote || gap) && sh->on_deadline) {
        sh->on_deadline(sh->on_deadline_ctx, 0); /* its timers may be due before ours */
    }
    return 0; /* the next wait at once */
}

int gd_cluster_start(struct gd_cluster *c, const char *db_url, const char *node_id,
                     struct gd_svc_shared *shared, struct gd_err *err)
{
    int ret;

    memset(c, 0, sizeof(*c));
    c->slot = -1;
    snprintf(c->node_id, sizeof(c->node_id), "%s", node_id);
    snprintf(metrics_node, sizeof(metrics_node), "%s", node_id);
    if ((ret = gd_store_open(db_url, false, &c->listen, err))) {
        return ret;
    }
    if ((ret = GD_STORE(c->listen, node_slot_claim, GD_NODE_SLOTS, &c->slot, err))) {
        gd_store_close(c->listen);
        return ret;
    }
    atomic_store(&metrics_slot, c->slot);
    if (c->slot < 0) {
        gd_store_close(c->listen); /* one process owns the database: nothing to listen to */
        c->listen = NULL;
        return GD_OK;
    }
    gd_id_set_node((unsigned)c->slot);
    shared->node_slot = c->slot;
    c->svc.shared = shared;
    if ((ret = gd_store_open(db_url, false, &c->svc.store, err))) {
        gd_store_close(c->listen);
        return ret;
    }
    /* LISTEN before the first request: no change committed after start is missed */
    int n;
    bool gap;
    struct gd_change ch[1];
    if ((ret = GD_STORE(c->listen, changes_wait, 0, ch, 0, &n, &gap, err)) ||
        (ret = gd_worker_start(&c->worker, "change listener", round_listen, c, WAIT_MS, err))) {
        gd_store_close(c->svc.store);
        gd_store_close(c->listen);
        c->listen = NULL;
        return ret;
    }
    gd_log(GD_LOG_INFO, "node id=%s slot=%d", c->node_id, c->slot);
    return GD_OK;
}

void gd_cluster_stop(struct gd_cluster *c)
{
    if (gd_worker_stop(&c->worker)) {
        gd_store_close(c->svc.store);
    }
    if (c->listen) {
        gd_store_close(c->listen); /* frees the slot at once */
        c->listen = NULL;
    }
}

void gd_cluster_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_adds(sb, "# HELP gongdan_node_info This node: its --node-id and its node slot "
                       "(-1 = a single process on SQLite).\n# TYPE gongdan_node_info gauge\n"
                       "gongdan_node_info{node=");
    gd_strbuf_add_json_str(sb, metrics_node);
    gd_strbuf_addf(sb,
                   ",slot=\"%d\"} 1\n"
                   "# HELP gongdan_cluster_changes_total Changes committed by other nodes and "
                   "handed to this node's live streams.\n"
                   "# TYPE gongdan_cluster_changes_total counter\n"
                   "gongdan_cluster_changes_total %ld\n"
                   "# HELP gongdan_cluster_revocations_total Credentials revoked on other "
                   "nodes (sign-outs) that made this node's live streams check theirs.\n"
                   "# TYPE gongdan_cluster_revocations_total counter\n"
                   "gongdan_cluster_revocations_total %ld\n"
                   "# HELP gongdan_cluster_listener_lost_total Waits of the change listener "
                   "that found its database connection lost.\n"
                   "# TYPE gongdan_cluster_listener_lost_total counter\n"
                   "gongdan_cluster_listener_lost_total %ld\n"
                   "# HELP gongdan_cluster_gaps_total Reconnections of the change listener "
                   "after which every live stream was refreshed.\n"
                   "# TYPE gongdan_cluster_gaps_total counter\n"
                   "gongdan_cluster_gaps_total %ld\n",
                   atomic_load(&metrics_slot), atomic_load(&remote_changes),
                   atomic_load(&remote_revocations), atomic_load(&lost_total), atomic_load(&gaps));
}
