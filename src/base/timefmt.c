/* RFC 3339 formatting and parsing without the C library's time zone state. */
#include "base/timefmt.h"
#include <ctype.h>

int64_t gd_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void gd_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)((int64_t)yoe + era * 400 + (*m <= 2));
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static char *put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
    return p + 2;
}

size_t gd_time_format(int64_t ms, int offset_min, char *out, size_t n)
{
    int64_t local = ms + (int64_t)offset_min * 60000;
    int64_t days = floor_div(local, 86400000);
    int64_t rem = local - days * 86400000;
    int y, m, d;
    char buf[32], *p = buf;

    /* written by hand rather than with snprintf: every row of every list renders five times */
    gd_civil_from_days(days, &y, &m, &d);
    int hh = (int)(rem / 3600000), mi = (int)(rem / 60000 % 60), ss = (int)(rem / 1000 % 60);
    int msec = (int)(rem % 1000);
    p = put2(p, y / 100);
    p = put2(p, y % 100);
    *p++ = '-';
    p = put2(p, m);
    *p++ = '-';
    p = put2(p, d);
    *p++ = 'T';
    p = put2(p, hh);
    *p++ = ':';
    p = put2(p, mi);
    *p++ = ':';
    p = put2(p, ss);
    *p++ = '.';
    *p++ = (char)('0' + msec / 100);
    p = put2(p, msec % 100);
    if (offset_min == 0) {
        *p++ = 'Z';
    } else {
        int off = offset_min < 0 ? -offset_min : offset_min;
        *p++ = offset_min < 0 ? '-' : '+';
        p = put2(p, off / 60);
        *p++ = ':';
        p = put2(p, off % 60);
    }
    /* copied, not printed: every row of every list renders five times */
    size_t len = (size_t)(p - buf);
    if (!n) {
        return 0;
    }
    len = len < n ? len : n - 1;
    memcpy(out, buf, len);
    out[len] = 0;
    return len;
}

static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) {
            return false;
        }
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

bool gd_time_parse(const char *s, int date_offset_min, int64_t *ms)
{
    int y, mo, d, hh = 0, mi = 0, ss = 0, frac = 0, off = date_offset_min;

    if (!s || strlen(s) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d)) {
        return false;
    }
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) {
        return false;
    }
    const char *p = s + 10;
    if (*p) {
        if ((*p != 'T' && *p != 't' && *p != ' ') || !digits(p + 1, 2, &hh) || p[3] != ':' ||
            !digits(p + 4, 2, &mi) || p[6] != ':' || !digits(p + 7, 2, &ss)) {
            return false;
        }
        if (hh > 23 || mi > 59 || ss > 60) {
            return false;
        }
        p += 9;
        if (*p == '.') {
            int nd = 0;
            p++;
            while (isdigit((unsigned char)*p)) {
                if (nd < 3) {
                    frac = frac * 10 + (*p - '0');
                }
                nd++;
                p++;
            }
            if (nd == 0) {
                return false;
            }
            for (; nd < 3; nd++) {
                frac *= 10;
            }
        }
        if (*p == 'Z' || *p == 'z') {
            off = 0;
            p++;
        } else if (*p == '+' || *p == '-') {
            int oh, om;
            if (!digits(p + 1, 2, &oh) || p[3] != ':' || !digits(p + 4, 2, &om) || oh > 23 ||
                om > 59) {
                return false;
            }
            off = (oh * 60 + om) * (*p == '-' ? -1 : 1);
            p += 6;
        } else {
            return false;
        }
        if (*p) {
            return false;
        }
    }
    int64_t days = gd_days_from_civil(y, mo, d);
    int64_t t = ((days * 86400 + hh * 3600 + mi * 60 + ss) - (int64_t)off * 60) * 1000 + frac;
    /* times are rendered in date_offset_min's zone: there the year must be 1970..9999 too, or
     * 9999-12-31T23:59:59Z would come back as "0000-01-01T07:59:59+08:00" */
    int64_t local_day = floor_div(t + (int64_t)date_offset_min * 60000, 86400000);
    if (local_day < 0 || local_day > gd_days_from_civil(9999, 12, 31)) {
        return false;
    }
    *ms = t;
    return true;
}
