/* multipart/form-data (RFC 7578) as the evidence uploads send it: the "file" parts of a body
 * already in memory. Kept apart from the routes so the fuzzer (tests/fuzz) can call it alone. */
#include "http/multipart.h"

static const void *find(const void *hay, size_t n, const char *needle, size_t m)
{
    return m <= n ? memmem(hay, n, needle, m) : NULL;
}

/* A header parameter value: name="value" or name=value; "" when absent. */
static const char *param(struct gd_arena *a, const char *hdr, size_t n, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i + len + 1 < n; i++) {
        if ((i == 0 || hdr[i - 1] == ' ' || hdr[i - 1] == ';') &&
            strncasecmp(hdr + i, name, len) == 0 && hdr[i + len] == '=') {
            const char *v = hdr + i + len + 1, *end = hdr + n;
            if (v < end && *v == '"') {
                const char *q = memchr(v + 1, '"', (size_t)(end - v - 1));
                return gd_arena_strndup(a, v + 1, q ? (size_t)(q - v - 1) : (size_t)(end - v - 1));
            }
            const char *e = v;
            while (e < end && *e != ';' && *e != '\r' && *e != ' ') {
                e++;
            }
            return gd_arena_strndup(a, v, (size_t)(e - v));
        }
    }
    return "";
}

int gd_http_multipart(struct gd_req *r, struct gd_upload *files)
{
    const char *ct = gd_http_header_in(r, "Content-Type");
    const char *boundary;
    char delim[256];
    const char *p, *end = r->body.buf + r->body.len;
    int n = 0, parts = 0;

    if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0) {
        gd_http_fail(r, "unsupported_media_type", "Content-Type",
                     "send the files as multipart/form-data in the field 'file'");
        return -1;
    }
    boundary = param(&r->a, ct, strlen(ct), "boundary");
    if (!*boundary || strlen(boundary) > 200) {
        gd_http_fail(r, "bad_multipart", "Content-Type", "the multipart boundary is missing");
        return -1;
    }
    int dlen = snprintf(delim, sizeof(delim), "--%s", boundary);
    p = find(r->body.buf, r->body.len, delim, (size_t)dlen);
    while (p) {
        p += dlen;
        if (end - p >= 2 && p[0] == '-' && p[1] == '-') {
            break; /* the closing delimiter */
        }
        if (end - p < 2 || p[0] != '\r' || p[1] != '\n') {
            goto bad;
        }
        p += 2;
        const char *hend = find(p, (size_t)(end - p), "\r\n\r\n", 4);
        if (!hend) {
            goto bad;
        }
        const char *body = hend + 4;
        char delim2[260];
        int d2 = snprintf(delim2, sizeof(delim2), "\r\n%s", delim);
        const char *next = find(body, (size_t)(end - body), delim2, (size_t)d2);
        if (!next) {
            goto bad;
        }
        if (++parts > GD_MULTIPART_MAX_PARTS) {
            gd_http_fail(r, "too_large", "file", "too many parts in the upload");
            return -1;
        }
        /* the Content-Disposition header of the part */
        const char *cd = NULL;
        size_t cdlen = 0;
        for (const char *line = p; line < hend;) {
            const char *eol = find(line, (size_t)(hend - line), "\r\n", 2);
            size_t ll = eol ? (size_t)(eol - line) : (size_t)(hend - line);
            if (ll > 20 && strncasecmp(line, "Content-Disposition:", 20) == 0) {
                cd = line + 20;
                cdlen = ll - 20;
            }
            line += ll + 2;
        }
        if (cd && strcmp(param(&r->a, cd, cdlen, "name"), "file") == 0) {
            if (n >= GD_MULTIPART_MAX_PARTS) {
                goto bad;
            }
            files[n].filename = param(&r->a, cd, cdlen, "filename");
            files[n].data = body;
            files[n].size = (size_t)(next - body);
            n++;
        }
        p = next + 2;
    }
    if (!p) {
        goto bad;
    }
    return n;
bad:
    gd_http_fail(r, "bad_multipart", NULL, "the multipart/form-data body is malformed");
    return -1;
}
