/* Stored bytes (attachment content, thumbnails, export files) as the service hands them to a
 * download: where they are (a blob of the store: in PostgreSQL for every node, or a file under
 * --data-dir with SQLite) and their pieces, read one at a time. */
#include "service/svc_int.h"

int gd_svc__blob_find(struct gd_svc *svc, const char *data_dir, const char *folder, const char *key,
                      struct gd_svc_blob *out, struct gd_err *err)
{
    out->folder = folder;
    out->key = key;
    out->size = 0;
    return GD_STORE(svc->store, blob_size, data_dir, folder, key, &out->size, err);
}

int gd_svc_blob_read(struct gd_svc *svc, const char *data_dir, const struct gd_svc_blob *b,
                     int64_t offset, void *buf, size_t cap, size_t *n, struct gd_err *err)
{
    return GD_STORE(svc->store, blob_read, data_dir, b->folder, b->key, offset, buf, cap, n, err);
}
