/* The evidence upload's multipart/form-data parser (http/multipart.c). Input: the Content-Type
 * header value up to the first '\n', then the body. Whatever the input, the parser answers 400,
 * 413 or 415 with a JSON error, or gives parts that lie inside the body. */
#include "fuzz.h"
#include "http/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_req f;
    struct gd_upload files[GD_MULTIPART_MAX_PARTS];
    const uint8_t *nl = memchr(data, '\n', size);
    size_t hlen = nl ? (size_t)(nl - data) : size;
    size_t skip = nl ? hlen + 1 : size;

    fuzz_req_init(&f, data + skip, size - skip);
    struct gd_req *r = &f.r;
    char *ct = gd_arena_strndup(&r->a, (const char *)data, hlen);
    fuzz_value(&f, MHD_HEADER_KIND, "Content-Type", ct);

    int n = gd_http_multipart(r, files);
    if (n < 0) {
        FUZZ_CHECK(r->status == 400 || r->status == 413 || r->status == 415, "status %d",
                   r->status);
    } else {
        FUZZ_CHECK(n <= GD_MULTIPART_MAX_PARTS && r->status == 0, "n %d status %d", n, r->status);
        const char *lo = r->body.buf, *hi = r->body.buf + r->body.len;
        for (int i = 0; i < n; i++) {
            const char *p = files[i].data;
            FUZZ_CHECK(p >= lo && p <= hi && files[i].size <= (size_t)(hi - p),
                       "part %d outside the body", i);
            FUZZ_CHECK(files[i].filename != NULL, "part %d without a file name", i);
        }
    }
    fuzz_check_answer(r);
    fuzz_req_release(&f);
    return 0;
}
