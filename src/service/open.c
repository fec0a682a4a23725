/* A service's own database connection: the server's threads open theirs through it, so
 * src/http/ never names the store. */
#include "service/svc_int.h"

int gd_svc_open(struct gd_svc *svc, const char *db_url, bool migrate, struct gd_err *err)
{
    return gd_store_open(db_url, migrate, &svc->store, err);
}

void gd_svc_close(struct gd_svc *svc)
{
    if (svc->store) {
        gd_store_close(svc->store);
        svc->store = NULL;
    }
}

int gd_svc_migrate_db(const char *db_url, struct gd_err *err)
{
    struct gd_svc svc = {0};
    int ret = gd_svc_open(&svc, db_url, false, err);
    if (!ret) {
        ret = GD_STORE(svc.store, migrate, err);
    }
    gd_svc_close(&svc);
    return ret;
}
