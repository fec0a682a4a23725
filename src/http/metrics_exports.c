/* The export queue in /metrics: how many jobs wait and how long the oldest has waited, read from
 * the database at each scrape (jobs are queued by every server thread and the CLI; the worker
 * may be stuck on one), so an alert can tell a backlog that grows from one that drains. */
#include "base/clock.h"
#include "base/log.h"
#include "http/req.h"

void gd_http_exports_metrics(struct gd_server *srv, struct gd_strbuf *sb)
{
    struct gd_svc *svc = gd_http__thread_svc(srv);
    struct gd_err err = {0};
    int64_t queued = 0, oldest_at = 0;

    if (!svc || gd_svc_exports_backlog(svc, &queued, &oldest_at, &err)) {
        /* no samples rather than a wrong zero: the alert waits for the next scrape */
        gd_log(GD_LOG_WARN, "metrics: cannot read the export queue: %s", err.msg);
        return;
    }
    int64_t waited = oldest_at ? gd_clock_now_ms() - oldest_at : 0;
    gd_strbuf_addf(sb, "# HELP gongdan_export_jobs_queued Export jobs waiting to run.\n"
                       "# TYPE gongdan_export_jobs_queued gauge\n"
                       "gongdan_export_jobs_queued %lld\n"
                       "# HELP gongdan_export_oldest_queued_seconds How long the oldest waiting "
                       "export job has waited (0 when none waits).\n"
                       "# TYPE gongdan_export_oldest_queued_seconds gauge\n"
                       "gongdan_export_oldest_queued_seconds %.3f\n",
                   (long long)queued, waited > 0 ? (double)waited / 1000.0 : 0.0);
}
