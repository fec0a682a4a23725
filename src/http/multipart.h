/* multipart/form-data bodies of the evidence uploads (routes_collab.c).
 * The parts point into r->body; names are copied into the request's arena. */
#ifndef GD_HTTP_MULTIPART_H
#define GD_HTTP_MULTIPART_H
#include "http/req.h"

#define GD_MULTIPART_MAX_PARTS 32

/* Splits the body (Content-Type multipart/form-data with a boundary) into its "file" parts,
 * at most GD_MULTIPART_MAX_PARTS. Returns the count, or -1 after writing the error (415
 * without multipart, 400 bad_multipart when malformed, 413 too_large for too many parts). */
int gd_http_multipart(struct gd_req *r, struct gd_upload *files);

#endif
