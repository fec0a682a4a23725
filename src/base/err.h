/* Status codes and the error carrier every fallible function fills.
 *
 * Fallible functions return GD_OK (0) or a negative enum gd_status and, when `err` is not NULL,
 * a message a user can act on plus the name of the offending input field.
 * Ownership: struct gd_err is caller-owned, fixed size, no allocation.
 * Thread safety: none needed (one per call chain). */
#ifndef GD_ERR_H
#define GD_ERR_H

enum gd_status {
    GD_OK = 0,
    GD_EINVAL = -1,    /* bad input: 400/422 */
    GD_ENOTFOUND = -2, /* 404 */
    GD_ECONFLICT = -3, /* a unique clash: what is being made exists already: 409 */
    GD_EPERM = -4,     /* 403 */
    GD_ETOOBIG = -5,   /* 413 */
    GD_ESTATE = -6,    /* illegal transition: 409 */
    GD_EDB = -7,       /* storage failure: 500 */
    GD_EIO = -8,       /* system failure: 500 */
    GD_EAUTH = -9,     /* no or bad credentials: 401 */
    GD_ESTALE = -10,   /* changed since it was read (If-Match, an expected version): 412 */
    GD_ELIMIT = -11,   /* throttled: 429 */
    GD_ETYPE = -12,    /* unsupported media type: 415 */
    GD_EREUSED = -13,  /* an Idempotency-Key sent again with another request: 422 */
    GD_ERETRY = -14,   /* the database could not run this unit of work now (serialization
                        * failure, deadlock, lost connection before commit): run the whole
                        * unit of work again, from its begin; 503 if it keeps failing */
    GD_EUNAVAIL = -15, /* the database cannot be reached, or the connection broke while a
                        * commit was under way and its outcome is unknown: 503 with
                        * Retry-After; not run again by itself (it may have been written: a
                        * client's retry with the same Idempotency-Key finds out) */
};

struct gd_err {
    int code;
    char field[64];
    char msg[320];
};

/* Sets the message (printf format) and returns `code`, so `return gd_err_set(...)` reads well. */
int gd_err_set(struct gd_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Same, naming the input field the message is about. */
int gd_err_field(struct gd_err *err, int code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void gd_err_clear(struct gd_err *err);

#endif
