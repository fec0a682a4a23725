/* The one growable buffer type; see strbuf.h. */
#include "base/strbuf.h"
#include <stdarg.h>
#include "base/xalloc.h"

char gd_strbuf_empty[1];

void gd_strbuf_init(struct gd_strbuf *sb, size_t cap)
{
    sb->buf = gd_strbuf_empty;
    sb->len = 0;
    sb->alloc = 0;
    sb->cap = cap;
    sb->overflow = false;
}

void gd_strbuf_release(struct gd_strbuf *sb)
{
    if (sb->alloc) {
        free(sb->buf);
    }
    gd_strbuf_init(sb, sb->cap);
}

char *gd_strbuf_detach(struct gd_strbuf *sb, size_t *len)
{
    char *p;

    if (!sb->alloc) {
        gd_strbuf_grow(sb, 1);
    }
    p = sb->buf;
    if (len) {
        *len = sb->len;
    }
    gd_strbuf_init(sb, sb->cap);
    return p;
}

void gd_strbuf_reset(struct gd_strbuf *sb)
{
    sb->len = 0;
    sb->overflow = false;
    sb->buf[0] = 0;
}

void gd_strbuf_grow(struct gd_strbuf *sb, size_t extra)
{
    size_t want = sb->len + extra + 1;

    if (want <= sb->alloc) {
        return;
    }
    size_t n = sb->alloc ? sb->alloc : 64;
    while (n < want) {
        n *= 2;
    }
    if (!sb->alloc) {
        sb->buf = NULL;
    }
    sb->buf = xrealloc(sb->buf, n);
    if (!sb->alloc) {
        sb->buf[0] = 0;
    }
    sb->alloc = n;
}

void gd_strbuf__add_slow(struct gd_strbuf *sb, const void *data, size_t n)
{
    if (sb->overflow || (sb->cap && sb->len + n > sb->cap)) {
        sb->overflow = true;
        return;
    }
    gd_strbuf_grow(sb, n);
    memcpy(sb->buf + sb->len, data, n);
    sb->len += n;
    sb->buf[sb->len] = 0;
}

void gd_strbuf_addf(struct gd_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    char small[256];
    int n;

    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n < 0) {
        return;
    }
    if ((size_t)n < sizeof(small)) {
        gd_strbuf_add(sb, small, (size_t)n);
        return;
    }
    char *big = xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    gd_strbuf_add(sb, big, (size_t)n);
    free(big);
}

void gd_strbuf_add_json_str(struct gd_strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    const unsigned char *run = p;

    gd_strbuf_addch(sb, '"');
    for (; *p; p++) {
        if (*p >= 0x20 && *p != '"' && *p != '\\') {
            continue;
        }
        gd_strbuf_add(sb, run, (size_t)(p - run));
        run = p + 1;
        switch (*p) {
        case '"':
            gd_strbuf_add(sb, "\\\"", 2);
            break;
        case '\\':
            gd_strbuf_add(sb, "\\\\", 2);
            break;
        case '\n':
            gd_strbuf_add(sb, "\\n", 2);
            break;
        case '\r':
            gd_strbuf_add(sb, "\\r", 2);
            break;
        case '\t':
            gd_strbuf_add(sb, "\\t", 2);
            break;
        default: {
            char u[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
            gd_strbuf_add(sb, u, 6);
        }
        }
    }
    gd_strbuf_add(sb, run, (size_t)(p - run));
    gd_strbuf_addch(sb, '"');
}

/* Two digits a step: a view of 50 rows writes some 200 ids of 19 digits. */
static const char digit_pairs[] = "00010203040506070809101112131415161718192021222324"
                                  "25262728293031323334353637383940414243444546474849"
                                  "50515253545556575859606162636465666768697071727374"
                                  "75767778798081828384858687888990919293949596979899";

void gd_strbuf_add_i64(struct gd_strbuf *sb, int64_t v)
{
    char buf[24];
    int i = (int)sizeof(buf);
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    while (u >= 100) {
        i -= 2;
        memcpy(buf + i, digit_pairs + 2 * (u % 100), 2);
        u /= 100;
    }
    if (u >= 10) {
        i -= 2;
        memcpy(buf + i, digit_pairs + 2 * u, 2);
    } else {
        buf[--i] = (char)('0' + u);
    }
    if (v < 0) {
        buf[--i] = '-';
    }
    gd_strbuf_add(sb, buf + i, sizeof(buf) - (size_t)i);
}
