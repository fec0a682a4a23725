/* Sends stored bytes (a blob: attachment content, a thumbnail, an export file) as the body of a
 * response, read from the store a piece at a time as libmicrohttpd asks for it, on the
 * connection's own server thread with that thread's store: a large file is never whole in
 * memory, and with PostgreSQL any node sends what any node stored. */
#include "base/log.h"
#include "base/xalloc.h"
#include "http/req.h"
#include "service/svc.h"

/* what libmicrohttpd asks for at once (its buffer per download): one chunk, one query */
#define PIECE GD_BLOB_CHUNK

struct sending {
    struct gd_server *srv;
    struct gd_svc_blob blob; /* folder and key point into `names` */
    char names[200];
};

static ssize_t read_piece(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct sending *s = cls;
    struct gd_svc *svc = gd_http__thread_svc(s->srv);
    struct gd_err err = {0};
    size_t n = 0;

    if (!svc || gd_svc_blob_read(svc, gd_server_data_dir(s->srv), &s->blob, (int64_t)pos, buf, max,
                                 &n, &err)) {
        gd_log(GD_LOG_ERROR, "cannot send %s/%s at %llu: %s", s->blob.folder, s->blob.key,
               (unsigned long long)pos, err.msg);
        return MHD_CONTENT_READER_END_WITH_ERROR;
    }
    /* a blob never shrinks while it is named (its key names its content); a short read here
     * is a file removed meanwhile: end, and the client sees a short body */
    return n ? (ssize_t)n : MHD_CONTENT_READER_END_WITH_ERROR;
}

void gd_http_send_blob(struct gd_req *r, const struct gd_svc_blob *b)
{
    struct sending *s = xcalloc(1, sizeof(*s));
    size_t f = strlen(b->folder);

    s->srv = r->srv;
    snprintf(s->names, sizeof(s->names), "%s%c%s", b->folder, 0, b->key);
    s->blob = (struct gd_svc_blob){s->names, s->names + f + 1, b->size};
    r->response = MHD_create_response_from_callback((uint64_t)b->size, PIECE, read_piece, s, free);
    r->status = 200;
}
