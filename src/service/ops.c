/* What the operator's endpoints read: health and the database-side gauges of /metrics. */
#include "base/clock.h"
#include "service/svc_int.h"

int gd_svc_health(struct gd_svc *svc, const char **backend, struct gd_err *err)
{
    int64_t n;
    *backend = svc->store->ops->backend;
    return GD_STORE(svc->store, counter_get, 0, "healthz", &n, err);
}

int gd_svc_ops_gauges(struct gd_svc *svc, struct gd_ops_gauges *out, int64_t *now,
                      struct gd_err *err)
{
    *now = gd_clock_now_ms();
    return GD_STORE(svc->store, ops_gauges, *now, out, err);
}

int gd_svc_generation(struct gd_svc *svc, int64_t *out)
{
    return GD_STORE(svc->store, generation, out);
}

bool gd_svc_generation_ask(const char *db_url, void (*done)(void *ctx, int status, int64_t value),
                           void *ctx)
{
    return gd_store_generation_ask(db_url, done, ctx);
}

void gd_svc_generation_given(const int64_t *value) { gd_store_generation_given(value); }

int gd_svc_view_generation(struct gd_svc *svc, const struct gd_actor *actor,
                           const struct gd_svc_gen *known, int64_t *out)
{
    if (known && known->set && known->shop_id == actor->shop_id) {
        *out = known->value; /* read after the request arrived, before its data: fresh enough */
        return GD_OK;
    }
    /* a shop's user sees that shop's rows only; the platform's staff (shop 0) every shop's */
    return GD_STORE(svc->store, shop_generation, actor->shop_id, out);
}
