/* Store contract: stored bytes (blob_*) and export job leases. A blob is seen whole once stored,
 * read back a chunk at a time byte for byte, kept when stored again under its key, removed by
 * blob_delete; with PostgreSQL another handle (another node) reads what one stored. A running
 * export job stays its node's while its lease is live; once it expired, another node claims it
 * and the first one's renewal says so (SQLite: one process, no leases). */
#include <sys/stat.h>
#include "harness.h"

static char dir[300];

static bool is_pg(void) { return strncmp(url, "sqlite:", 7) != 0; }

/* Reads a whole blob through `h` with pieces of `cap` bytes. */
static size_t read_all(struct gd_store *h, const char *folder, const char *key, char *out,
                       size_t max, size_t cap)
{
    size_t off = 0, n = 1;
    while (n && off < max) {
        CHECK_EQ_INT(GD_STORE(h, blob_read, dir, folder, key, (int64_t)off, out + off,
                              cap < max - off ? cap : max - off, &n, NULL),
                     GD_OK);
        off += n;
    }
    return off;
}

static void blobs(void)
{
    size_t big = 2 * GD_BLOB_CHUNK + 12345; /* three chunks, the last one partial */
    char *data = malloc(big), *back = malloc(big + 10);
    int64_t size = -1;
    size_t n = 99;
    struct gd_store *other = NULL;
    struct gd_err err = {0};

    for (size_t i = 0; i < big; i++) {
        data[i] = (char)(i * 7 + i / 1000);
    }
    CHECK_EQ_INT(GD_STORE(st, blob_size, dir, "attachments", "ab12cd", &size, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, blob_put, dir, "attachments", "ab12cd", data, big, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, blob_size, dir, "attachments", "ab12cd", &size, NULL), GD_OK);
    CHECK_EQ_INT(size, (int64_t)big);
    /* pieces of any size, across chunk boundaries, give the bytes back */
    CHECK_EQ_INT((int64_t)read_all(st, "attachments", "ab12cd", back, big + 10, 100000),
                 (int64_t)big);
    CHECK(memcmp(back, data, big) == 0);
    /* one read never crosses a chunk: at most what is left of the chunk at the offset */
    CHECK_EQ_INT(GD_STORE(st, blob_read, dir, "attachments", "ab12cd", (int64_t)GD_BLOB_CHUNK - 10,
                          back, 1000, &n, NULL),
                 GD_OK);
    CHECK(n > 0 && n <= 1000);
    CHECK(memcmp(back, data + GD_BLOB_CHUNK - 10, n) == 0);
    CHECK_EQ_INT(
        GD_STORE(st, blob_read, dir, "attachments", "ab12cd", (int64_t)big, back, 10, &n, NULL),
        GD_OK);
    CHECK_EQ_INT((int64_t)n, 0); /* the end */
    /* a key names its content: storing it again keeps the stored bytes */
    CHECK_EQ_INT(GD_STORE(st, blob_put, dir, "attachments", "ab12cd", "other", 5, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, blob_size, dir, "attachments", "ab12cd", &size, NULL), GD_OK);
    CHECK_EQ_INT(size, (int64_t)big);
    /* folders are apart; an empty blob is a blob */
    CHECK_EQ_INT(GD_STORE(st, blob_size, dir, "thumbnails", "ab12cd", &size, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, blob_put, dir, "thumbnails", "ab12cd.webp", "", 0, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, blob_size, dir, "thumbnails", "ab12cd.webp", &size, NULL), GD_OK);
    CHECK_EQ_INT(size, 0);

    /* from a file, which is used up */
    char path[400];
    snprintf(path, sizeof(path), "%s/upload.part", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    fwrite(data, 1, GD_BLOB_CHUNK + 1, f);
    fclose(f);
    CHECK_EQ_INT(GD_STORE(st, blob_put_file, dir, "exports", "123.csv", path, NULL), GD_OK);
    CHECK(access(path, F_OK) != 0);
    CHECK_EQ_INT(GD_STORE(st, blob_size, dir, "exports", "123.csv", &size, NULL), GD_OK);
    CHECK_EQ_INT(size, GD_BLOB_CHUNK + 1);

    /* every handle (a node) reads them */
    CHECK_EQ_INT(gd_store_open(url, false, &other, &err), GD_OK);
    CHECK_EQ_INT((int64_t)read_all(other, "exports", "123.csv", back, big, 70000),
                 GD_BLOB_CHUNK + 1);
    CHECK(memcmp(back, data, GD_BLOB_CHUNK + 1) == 0);
    if (is_pg()) {
        /* outside a write transaction only: the bytes commit alone, before the rows */
        CHECK_EQ_INT(GD_STORE(other, begin, 0, NULL), GD_OK);
        CHECK_EQ_INT(GD_STORE(other, blob_put, dir, "attachments", "ef34", "x", 1, NULL),
                     GD_EINVAL);
        GD_STORE0(other, rollback);
    }
    gd_store_close(other);

    CHECK_EQ_INT(GD_STORE(st, blob_delete, dir, "attachments", "ab12cd", NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, blob_size, dir, "attachments", "ab12cd", &size, NULL), GD_ENOTFOUND);
    CHECK_EQ_INT(GD_STORE(st, blob_delete, dir, "attachments", "ab12cd", NULL), GD_OK);
    free(data);
    free(back);
}

static void leases(void)
{
    int64_t s1 = shop("租约店"), u = user(s1, "lessee", GD_ROLE_SHOP_LEAD);
    struct gd_export_job j = {.id = gd_id_new(),
                              .shop_id = s1,
                              .user_id = u,
                              .params = "{}",
                              .format = "csv",
                              .state = "queued",
                              .created_at = 5000};
    struct gd_export_job got;

    CHECK_EQ_INT(GD_STORE(st, export_insert, &j, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_claim, 3, 60000, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.id, j.id);
    CHECK_EQ_INT(GD_STORE(st, export_lease, j.id, 3, 60000, NULL), GD_OK);
    if (!is_pg()) {
        /* one process: a running job at start was left by a process that is gone */
        CHECK_EQ_INT(GD_STORE(st, exports_requeue, NULL), GD_OK);
        CHECK_EQ_INT(GD_STORE(st, export_get, s1, j.id, &a, &got, NULL), GD_OK);
        CHECK_EQ_STR(got.state, "queued");
        return;
    }
    /* node 3 is alive (its lease is live): a starting node leaves the job alone, and no other
     * node claims it */
    CHECK_EQ_INT(GD_STORE(st, exports_requeue, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, j.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.state, "running");
    CHECK_EQ_INT(GD_STORE(st, export_claim, 5, 60000, &a, &got, NULL), GD_ENOTFOUND);
    /* node 3 dies: its lease runs out, node 5 takes the job from the start */
    CHECK_EQ_INT(GD_STORE(st, export_lease, j.id, 3, 1, NULL), GD_OK);
    usleep(50 * 1000);
    got.rows_done = 7;
    CHECK_EQ_INT(GD_STORE(st, export_claim, 5, 60000, &a, &got, NULL), GD_OK);
    CHECK_EQ_INT(got.id, j.id);
    CHECK_EQ_STR(got.state, "running");
    CHECK_EQ_INT(got.rows_done, 0);
    /* node 3, if it was only slow, learns that the job is no longer its own */
    CHECK_EQ_INT(GD_STORE(st, export_lease, j.id, 3, 60000, NULL), GD_ESTALE);
    CHECK_EQ_INT(GD_STORE(st, export_lease, j.id, 5, 60000, NULL), GD_OK);
    /* an expired lease is requeued by a starting node */
    CHECK_EQ_INT(GD_STORE(st, export_lease, j.id, 5, 1, NULL), GD_OK);
    usleep(50 * 1000);
    CHECK_EQ_INT(GD_STORE(st, exports_requeue, NULL), GD_OK);
    CHECK_EQ_INT(GD_STORE(st, export_get, s1, j.id, &a, &got, NULL), GD_OK);
    CHECK_EQ_STR(got.state, "queued");
}

int main(int argc, char **argv)
{
    int ret = contract_open(argc, argv);
    if (ret) {
        return ret;
    }
    snprintf(dir, sizeof(dir), "/tmp/gd-contract-blobs-%d", (int)getpid());
    mkdir(dir, 0700);
    blobs();
    leases();
    ret = contract_finish("store contract: stored bytes and export leases");
    char cmd[400];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0) {
        fprintf(stderr, "cannot remove %s\n", dir);
    }
    return ret;
}
