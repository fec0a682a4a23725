/* Opening a store by URL: the scheme picks the backend, and a malformed URL is a clear error
 * that names what is wrong (no connection is attempted for it). */
#include <unistd.h>
#include "check.h"
#include "scratch_db.h"
#include "store/store.h"

static void fails(const char *url, int code, const char *says)
{
    struct gd_store *st = NULL;
    struct gd_err err = {0};
    CHECK_EQ_INT(gd_store_open(url, false, &st, &err), code);
    CHECK_EQ_STR(err.field, "db");
    if (!strstr(err.msg, says)) {
        fprintf(stderr, "url '%s': message '%s' does not say '%s'\n", url, err.msg, says);
        CHECK(0);
    }
    CHECK(st == NULL);
}

int main(void)
{
    fails("", GD_EINVAL, "empty database url");
    fails("mysql://localhost/gongdan", GD_EINVAL, "unsupported database url scheme 'mysql'");
    fails("sqlite:", GD_EINVAL, "names no file");
    fails("postgresql://localhost", GD_EINVAL, "names no database");
    fails("postgres://localhost/", GD_EINVAL, "names no database");
    fails("postgresql://localhost:notaport/gongdan", GD_EINVAL, "malformed PostgreSQL url");
    fails("postgresql:///gongdan?nosuchoption=1", GD_EINVAL, "nosuchoption");
    /* well formed, but nothing listens there: a connection error naming the url */
    fails("postgresql:///gongdan?host=/nonexistent-socket-dir", GD_EIO,
          "cannot connect to 'postgresql:///gongdan?host=/nonexistent-socket-dir'");

    /* sqlite: and a bare path both open SQLite */
    char path[128], url[160];
    struct gd_store *st;
    struct gd_err err = {0};
    snprintf(path, sizeof(path), "/tmp/gd-url-%d.db", (int)getpid());
    snprintf(url, sizeof(url), "sqlite:%s", path);
    CHECK_EQ_INT(gd_store_open(url, true, &st, &err), GD_OK);
    gd_store_close(st);
    CHECK_EQ_INT(gd_store_open(path, false, &st, &err), GD_OK);
    gd_store_close(st);
    scratch_db_remove(path);
    return check_report("store url");
}
