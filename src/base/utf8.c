/* UTF-8 validation per RFC 3629, and repair of text that must go out as UTF-8. */
#include <stdint.h>
#include <string.h>
#include "base/utf8.h"

bool gd_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;

    while (p < end) {
        unsigned c = *p;
        if (c < 0x80) {
            p++;
            continue;
        }
        int len;
        uint32_t cp;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2, cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3, cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4, cp = c & 0x07;
        } else {
            return false;
        }
        if (end - p < len) {
            return false;
        }
        for (int i = 1; i < len; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        p += len;
    }
    return true;
}

/* Length of the well-formed sequence at p (at most `avail` bytes), 0 when there is none. */
static size_t seq_len(const char *p, size_t avail)
{
    unsigned char c = (unsigned char)*p;
    size_t len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
    return len && len <= avail && gd_utf8_valid(p, len) ? len : 0;
}

char *gd_utf8_repair(const char *s, char *out, size_t n)
{
    static const char replacement[] = "\xEF\xBF\xBD";
    size_t avail = strlen(s), o = 0;

    while (avail) {
        size_t len = seq_len(s, avail);
        const char *piece = len ? s : replacement;
        size_t plen = len ? len : 3;
        if (o + plen >= n) {
            break;
        }
        memcpy(out + o, piece, plen);
        o += plen;
        s += len ? len : 1;
        avail -= len ? len : 1;
    }
    out[o] = 0;
    return out;
}

size_t gd_utf8_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        n += (*p & 0xC0) != 0x80;
    }
    return n;
}
