/* This process as one node of several on one database (docs/decisions.md, "Several nodes on
 * one PostgreSQL"): its name (--node-id), its node slot (the node part of its ids, held for its
 * life), and the listener thread that hands changes committed by the other nodes to the same
 * after-commit hook a local commit calls (gd_svc_shared.on_change; NULL = "changes may have been
 * missed, refresh everything"), and wakes the local scheduler (their timers may be due sooner);
 * a credential revoked on another node moves gd_svc_shared.revocations, so the local live
 * streams check theirs at once.
 * On SQLite there is no slot and no listener (one process owns the file).
 * Thread safety: start/stop from one thread; the listener has its own two store handles. */
#ifndef GD_SERVICE_CLUSTER_H
#define GD_SERVICE_CLUSTER_H
#include <stdatomic.h>
#include "service/svc.h"

#define GD_NODE_ID_MAX 64
#define GD_NODE_SLOTS 1024 /* the 10 node bits of an id (base/id.h) */

struct gd_cluster {
    char node_id[GD_NODE_ID_MAX + 1];
    int slot;                /* -1 = none (SQLite) */
    struct gd_store *listen; /* the LISTEN connection; it also holds the slot */
    struct gd_svc svc;       /* reads the changed work orders */
    struct gd_worker worker; /* the listener */
};

/* Is `id` a usable node id? (1..GD_NODE_ID_MAX printable ASCII characters, no space) */
bool gd_cluster_node_id_valid(const char *id);
/* Claims the node slot (sets the node part of ids and shared->node_slot) and starts the
 * listener; call before anything makes ids. */
int gd_cluster_start(struct gd_cluster *c, const char *db_url, const char *node_id,
                     struct gd_svc_shared *shared, struct gd_err *err);
void gd_cluster_stop(struct gd_cluster *c);
/* gongdan_node_info{node,slot} and the listener's counters, as Prometheus text. */
void gd_cluster_metrics(struct gd_strbuf *sb);

#endif
