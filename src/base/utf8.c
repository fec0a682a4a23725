/* UTF-8 validation per RFC 3629, and repair of text that must go out as UTF-8. */
#include "base/utf8.h"
#include <stdint.h>
#include <string.h>

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
    size_t len = c < 0x80                 ? 1
                 : c >= 0xC2 && c <= 0xDF ? 2
                 : c >= 0xE0 && c <= 0xEF ? 3
                 : c >= 0xF0 && c <= 0xF4 ? 4
                                          : 0;
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

/* East Asian wide and fullwidth ranges (Unicode EastAsianWidth W/F, the blocks a shop's names and
 * labels use): enough for aligning a terminal table, not a full wcwidth. */
static bool wide(uint32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) ||
           (c >= 0x3041 && c <= 0x33FF) || (c >= 0x3400 && c <= 0x4DBF) ||
           (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
           (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
           (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

size_t gd_utf8_width(const char *s)
{
    size_t w = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        uint32_t c = *p;
        int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        c &= extra == 3 ? 0x07 : extra == 2 ? 0x0F : extra == 1 ? 0x1F : 0x7F;
        p++;
        for (; extra > 0 && (*p & 0xC0) == 0x80; extra--, p++) {
            c = (c << 6) | (*p & 0x3F);
        }
        w += wide(c) ? 2 : 1;
    }
    return w;
}
