/* gzip of the API's JSON answers (the workbench's files are compressed at build time, static.c).
 * A list view of 50 work orders is about 40 KB of JSON and a fifth of that gzipped; on a slow
 * phone link that is most of the list page's wait. Streams (SSE) and files build their own
 * response and never come here. */
#include "http/compress.h"
#include <ctype.h>
#include <stdatomic.h>
#include <strings.h>
#include <zlib.h>

static _Atomic long answers, bytes_in, bytes_out; /* for /metrics */

static int parse_q(const char *p, const char *end)
{
    /* p points after "q=": 0, 0.5, 1, 1.000 */
    int q = 0, scale = 1000;
    if (p < end && (*p == '0' || *p == '1')) {
        q = (*p++ - '0') * 1000;
        if (p < end && *p == '.') {
            for (p++; p < end && isdigit((unsigned char)*p) && scale > 1; p++) {
                scale /= 10;
                q += (*p - '0') * scale;
            }
        }
    }
    return q > 1000 ? 1000 : q;
}

struct gd_accept_q gd_http_accept_encoding(const char *h)
{
    struct gd_accept_q a = {-1, -1, -1};
    while (h && *h) {
        const char *end = h + strcspn(h, ",");
        while (h < end && (*h == ' ' || *h == '\t')) {
            h++;
        }
        size_t n = strcspn(h, ";, \t");
        if (h + n > end) {
            n = (size_t)(end - h);
        }
        int q = 1000;
        const char *param = memchr(h, ';', (size_t)(end - h));
        for (; param; param = memchr(param + 1, ';', (size_t)(end - param - 1))) {
            const char *v = param + 1;
            while (v < end && (*v == ' ' || *v == '\t')) {
                v++;
            }
            if (end - v >= 2 && (v[0] == 'q' || v[0] == 'Q') && v[1] == '=') {
                q = parse_q(v + 2, end);
            }
        }
        if (n == 2 && strncasecmp(h, "br", 2) == 0) {
            a.br = q;
        } else if (n == 4 && strncasecmp(h, "gzip", 4) == 0) {
            a.gzip = q;
        } else if (n == 1 && *h == '*') {
            a.star = q;
        }
        h = *end ? end + 1 : end;
    }
    if (a.br < 0) {
        a.br = a.star;
    }
    if (a.gzip < 0) {
        a.gzip = a.star;
    }
    return a;
}

bool gd_http_takes_gzip(struct gd_req *r)
{
    return gd_http_accept_encoding(gd_http_header_in(r, "Accept-Encoding")).gzip > 0;
}

bool gd_http_gzip(const char *in, size_t n, struct gd_strbuf *out)
{
    z_stream z = {0};
    /* 15 + 16: a gzip wrapper, not zlib's; level 6 is zlib's default and about 1 ms for 50 KB */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        return false;
    }
    size_t bound = deflateBound(&z, (uLong)n);
    gd_strbuf_grow(out, bound);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = (Bytef *)out->buf + out->len;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_FINISH);
    if (rc == Z_STREAM_END) {
        out->len += z.total_out;
    }
    deflateEnd(&z);
    return rc == Z_STREAM_END;
}

static bool is_json(const char *type)
{
    return !type || strncmp(type, "application/json", 16) == 0;
}

/* Drops r's shared body (req.h), handing its bytes back to their keeper. */
void gd_http_shared_release(struct gd_req *r)
{
    if (r->shared.release) {
        r->shared.release(r->shared.cls);
    }
    memset(&r->shared, 0, sizeof(r->shared));
}

struct MHD_Response *gd_http_body_response(struct gd_req *r)
{
    const char *src = r->shared.buf ? r->shared.buf : r->out.buf;
    size_t len = r->shared.buf ? r->shared.len : r->out.len;
    bool vary = r->content_encoding || (len >= GD_COMPRESS_MIN && is_json(r->content_type));

    if (vary && !r->content_encoding && gd_http_takes_gzip(r)) {
        struct gd_strbuf gz = GD_STRBUF_INIT;
        if (gd_http_gzip(src, len, &gz)) {
            atomic_fetch_add_explicit(&bytes_in, (long)len, memory_order_relaxed);
            atomic_fetch_add_explicit(&bytes_out, (long)gz.len, memory_order_relaxed);
            gd_http_shared_release(r);
            gd_strbuf_release(&r->out);
            r->out = gz;
            r->content_encoding = "gzip";
        } else {
            gd_strbuf_release(&gz);
        }
    }
    if (r->content_encoding) {
        atomic_fetch_add_explicit(&answers, 1, memory_order_relaxed);
    }
    struct MHD_Response *resp;
    if (r->shared.buf) { /* sent from where it is kept; released when the response is freed */
        len = r->shared.len;
        resp = MHD_create_response_from_buffer_with_free_callback_cls(
            len, (void *)(uintptr_t)r->shared.buf, r->shared.release, r->shared.cls);
        if (resp) {
            memset(&r->shared, 0, sizeof(r->shared));
        } else {
            gd_http_shared_release(r);
        }
    } else {
        char *body = gd_strbuf_detach(&r->out, &len);
        resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    }
    if (len) { /* an answer without a body (204) has no type */
        MHD_add_response_header(resp, "Content-Type",
                                r->content_type ? r->content_type : "application/json");
    }
    if (r->content_encoding) {
        MHD_add_response_header(resp, "Content-Encoding", r->content_encoding);
    }
    if (vary) {
        MHD_add_response_header(resp, "Vary", "Accept-Encoding");
    }
    return resp;
}

void gd_http_compress_metrics(struct gd_strbuf *sb)
{
    gd_strbuf_addf(sb,
                   "# HELP gongdan_http_compressed_responses_total JSON answers sent gzipped.\n"
                   "# TYPE gongdan_http_compressed_responses_total counter\n"
                   "gongdan_http_compressed_responses_total %ld\n"
                   "# HELP gongdan_http_compressed_bytes_total Bytes of the JSON answers gzipped "
                   "at send time, before (identity) and after (gzip).\n"
                   "# TYPE gongdan_http_compressed_bytes_total counter\n"
                   "gongdan_http_compressed_bytes_total{coding=\"identity\"} %ld\n"
                   "gongdan_http_compressed_bytes_total{coding=\"gzip\"} %ld\n",
                   atomic_load(&answers), atomic_load(&bytes_in), atomic_load(&bytes_out));
}
