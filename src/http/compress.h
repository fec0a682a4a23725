/* Content codings of answers: the Accept-Encoding negotiation (also used by static.c for the
 * workbench's precompressed files) and gzip of the API's JSON answers above a size. */
#ifndef GD_HTTP_COMPRESS_H
#define GD_HTTP_COMPRESS_H
#include "http/req.h"

/* Smaller JSON answers go as they are: below about one TCP segment gzip saves no round trip and
 * costs a header and the CPU. */
#define GD_COMPRESS_MIN 1024

/* The q of each coding in an Accept-Encoding header, in thousandths; a coding the header does
 * not name takes the q of "*", and -1 when that is not named either (not taken). */
struct gd_accept_q {
    int br, gzip, star;
};
struct gd_accept_q gd_http_accept_encoding(const char *h);

/* Does the client of r take gzip (a q above 0)? */
bool gd_http_takes_gzip(struct gd_req *r);
/* Appends the gzip of in[0..n) to out; false when zlib fails (out is then as it was). */
bool gd_http_gzip(const char *in, size_t n, struct gd_strbuf *out);
/* The response for a handler's body in r->out, or in r->shared without a copy (r->response
 * unset): a JSON body of at least GD_COMPRESS_MIN bytes is sent gzipped when the client takes
 * it, with Vary: Accept-Encoding either way; r->content_encoding says the body is in that coding
 * already (the view cache). */
struct MHD_Response *gd_http_body_response(struct gd_req *r);
/* Hands r->shared back to its keeper and clears it (a request that ends without a response). */
void gd_http_shared_release(struct gd_req *r);
/* Answers compressed and their bytes before and after, as Prometheus text. */
void gd_http_compress_metrics(struct gd_strbuf *sb);

#endif
