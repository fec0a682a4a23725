/* Private address ranges (netaddr.h): RFC 1918, RFC 6598, RFC 3927, RFC 4193, RFC 4291. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include "base/netaddr.h"

static bool v4_private(const unsigned char *a)
{
    return a[0] == 0 || a[0] == 10 || a[0] == 127 ||       /* this network, private, loopback */
           (a[0] == 100 && (a[1] & 0xc0) == 64) ||          /* 100.64.0.0/10 */
           (a[0] == 169 && a[1] == 254) ||                  /* link-local: cloud metadata */
           (a[0] == 172 && (a[1] & 0xf0) == 16) ||          /* 172.16.0.0/12 */
           (a[0] == 192 && a[1] == 168) || a[0] >= 224;     /* private; multicast, reserved */
}

bool gd_addr_is_private(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        return v4_private((const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr);
    }
    if (sa->sa_family == AF_INET6) {
        const unsigned char *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
        static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
        static const unsigned char zero[15] = {0};
        if (memcmp(a, mapped, 12) == 0) {
            return v4_private(a + 12);
        }
        return (memcmp(a, zero, 15) == 0 && a[15] <= 1) || /* :: and ::1 */
               (a[0] & 0xfe) == 0xfc ||                     /* fc00::/7 unique local */
               (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) ||   /* fe80::/10 link-local */
               a[0] == 0xff;                                /* multicast */
    }
    return true; /* anything else is not the Internet */
}

void gd_addr_format(const struct sockaddr *sa, char *out, size_t n)
{
    const void *addr = sa->sa_family == AF_INET6
                           ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                           : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    if (!inet_ntop(sa->sa_family, addr, out, (socklen_t)n)) {
        snprintf(out, n, "?");
    }
}
