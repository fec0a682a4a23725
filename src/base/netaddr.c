/* Globally reachable addresses (netaddr.h). The IPv4 side is a deny list (the IANA IPv4
 * Special-Purpose Address Registry, RFC 6890 and successors, plus multicast); the IPv6 side is an
 * allow list (global unicast 2000::/3, RFC 4291) minus its special-purpose parts, so a range
 * IANA reserves later is refused until it is allocated and someone looks. */
#include "base/netaddr.h"
#include <arpa/inet.h>
#include <netinet/in.h>

struct v4_range {
    unsigned char net[4];
    int bits;
};

/* Not globally reachable, whatever a resolver says. */
static const struct v4_range v4_refused[] = {
    {{0, 0, 0, 0}, 8},       /* "this network" (RFC 791) */
    {{10, 0, 0, 0}, 8},      /* private (RFC 1918) */
    {{100, 64, 0, 0}, 10},   /* shared address space, carrier-grade NAT (RFC 6598) */
    {{127, 0, 0, 0}, 8},     /* loopback */
    {{169, 254, 0, 0}, 16},  /* link-local, the cloud metadata address (RFC 3927) */
    {{172, 16, 0, 0}, 12},   /* private */
    {{192, 0, 0, 0}, 24},    /* IETF protocol assignments: DS-Lite, NAT64 discovery ... */
    {{192, 0, 2, 0}, 24},    /* documentation TEST-NET-1 (RFC 5737) */
    {{192, 88, 99, 0}, 24},  /* the deprecated 6to4 relay anycast (RFC 7526) */
    {{192, 168, 0, 0}, 16},  /* private */
    {{198, 18, 0, 0}, 15},   /* benchmarking (RFC 2544) */
    {{198, 51, 100, 0}, 24}, /* TEST-NET-2 */
    {{203, 0, 113, 0}, 24},  /* TEST-NET-3 */
    {{224, 0, 0, 0}, 4},     /* multicast */
    {{240, 0, 0, 0}, 4},     /* reserved (RFC 1112), and 255.255.255.255 limited broadcast */
};

static bool prefix_match(const unsigned char *a, const unsigned char *net, int bits)
{
    int whole = bits / 8, rest = bits % 8;
    if (memcmp(a, net, (size_t)whole) != 0) {
        return false;
    }
    return rest == 0 || ((a[whole] ^ net[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
}

static bool v4_public(const unsigned char *a)
{
    for (size_t i = 0; i < sizeof(v4_refused) / sizeof(*v4_refused); i++) {
        if (prefix_match(a, v4_refused[i].net, v4_refused[i].bits)) {
            return false;
        }
    }
    return true;
}

struct v6_range {
    unsigned char net[16];
    int bits;
};

/* The parts of 2000::/3 that are not globally reachable. */
static const struct v6_range v6_refused[] = {
    /* IETF protocol assignments: Teredo 2001::/32 (its IPv4 server and client are embedded,
     * the client obfuscated), benchmarking 2001:2::/48, ORCHID; and the anycast services in it,
     * none of which is a web server */
    {{0x20, 0x01, 0x00, 0x00}, 23},
    {{0x20, 0x01, 0x0d, 0xb8}, 32}, /* documentation (RFC 3849) */
    {{0x3f, 0xff, 0x00, 0x00}, 20}, /* documentation (RFC 9637) */
};

static bool v6_public(const unsigned char *a)
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char nat64[12] = {0x00, 0x64, 0xff, 0x9b}; /* 64:ff9b::/96 */

    /* forms that reach an IPv4 address: the IPv4 address decides */
    if (memcmp(a, mapped, 12) == 0 || memcmp(a, nat64, 12) == 0) {
        return v4_public(a + 12);
    }
    if (a[0] == 0x20 && a[1] == 0x02) { /* 6to4 2002:V4ADDR::/48 */
        return v4_public(a + 2);
    }
    /* only global unicast: this refuses ::, ::1, IPv4-compatible ::/96, the local NAT64 prefix
     * 64:ff9b:1::/48, discard 100::/64, SRv6 5f00::/16, unique-local fc00::/7, link-local
     * fe80::/10, site-local fec0::/10, multicast ff00::/8 and the unassigned rest */
    if ((a[0] & 0xe0) != 0x20) {
        return false;
    }
    for (size_t i = 0; i < sizeof(v6_refused) / sizeof(*v6_refused); i++) {
        if (prefix_match(a, v6_refused[i].net, v6_refused[i].bits)) {
            return false;
        }
    }
    return true;
}

bool gd_addr_is_public(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET) {
        return v4_public((const unsigned char *)&((const struct sockaddr_in *)sa)->sin_addr);
    }
    if (sa->sa_family == AF_INET6) {
        return v6_public(((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr);
    }
    return false; /* anything else is not the Internet */
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
