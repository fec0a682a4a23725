/* Unit tests of base/netaddr: which addresses a webhook may reach. Every special-purpose range of
 * the IANA registries that is not globally reachable is refused, and so is every IPv6 form that
 * carries such an IPv4 address (mapped, compatible, NAT64, 6to4) or tunnels to one (Teredo). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include "base/netaddr.h"
#include "check.h"

/* Is `text` (IPv4 or IPv6) an address a webhook may reach? */
static bool public_addr(const char *text)
{
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
    if (inet_pton(AF_INET, text, &v4.sin_addr) == 1) {
        return gd_addr_is_public((struct sockaddr *)&v4);
    }
    CHECK(inet_pton(AF_INET6, text, &v6.sin6_addr) == 1);
    return gd_addr_is_public((struct sockaddr *)&v6);
}

static void check_all(const char *const *addrs, size_t n, bool want_public)
{
    for (size_t i = 0; i < n; i++) {
        check_count++;
        if (public_addr(addrs[i]) != want_public) {
            check_failures++;
            fprintf(stderr, "%s: expected %s\n", addrs[i], want_public ? "public" : "refused");
        }
    }
}

static void test_ipv4(void)
{
    static const char *const refused[] = {
        "0.0.0.0",         "0.1.2.3",         "0.255.255.255", /* 0/8 this network */
        "10.0.0.1",        "10.255.255.255",                   /* 10/8 private */
        "100.64.0.1",      "100.127.255.255",                  /* 100.64/10 shared (CGN) */
        "127.0.0.1",       "127.255.255.254",                  /* 127/8 loopback */
        "169.254.169.254", "169.254.0.1",                      /* 169.254/16 link-local, metadata */
        "172.16.0.1",      "172.31.255.255",                   /* 172.16/12 private */
        "192.0.0.1",       "192.0.0.8",       "192.0.0.170",
        "192.0.0.255",                        /* 192.0.0/24 IETF protocol */
        "192.0.2.1",                          /* 192.0.2/24 TEST-NET-1 */
        "192.88.99.1",                        /* 192.88.99/24 6to4 relay (gone) */
        "192.168.0.1",     "192.168.255.255", /* 192.168/16 private */
        "198.18.0.1",      "198.19.255.255",  /* 198.18/15 benchmarking */
        "198.51.100.7",                       /* TEST-NET-2 */
        "203.0.113.7",                        /* TEST-NET-3 */
        "224.0.0.1",       "239.255.255.250", /* 224/4 multicast */
        "240.0.0.1",       "254.1.2.3",       /* 240/4 reserved */
        "255.255.255.255",                    /* limited broadcast */
    };
    static const char *const reachable[] = {
        "8.8.8.8",        "1.1.1.1",         "9.255.255.255",   "11.0.0.1",        "100.63.255.255",
        "100.128.0.1",    "126.255.255.255", "128.0.0.1",       "169.253.255.255", "169.255.0.1",
        "172.15.255.255", "172.32.0.1",      "191.255.255.255", "192.0.1.1",       "192.0.3.1",
        "192.88.98.1",    "192.167.1.1",     "192.169.0.1",     "198.17.255.255",  "198.20.0.1",
        "198.51.99.1",    "203.0.112.1",     "223.255.255.255",
    };
    check_all(refused, sizeof(refused) / sizeof(*refused), false);
    check_all(reachable, sizeof(reachable) / sizeof(*reachable), true);
}

static void test_ipv6(void)
{
    static const char *const refused[] = {
        "::",
        "::1", /* unspecified, loopback */
        "::7f00:1",
        "::a00:1",
        "::808:808", /* IPv4-compatible (deprecated) */
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:0.0.0.0",
        "::ffff:100.64.0.1",
        "::ffff:198.18.0.1", /* IPv4-mapped, a refused IPv4 */
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b::c0a8:101", /* NAT64, refused IPv4 */
        "64:ff9b:1::1",
        "64:ff9b:1::808:808", /* 64:ff9b:1::/48 local NAT64 */
        "100::1",
        "100::ffff:1", /* 100::/64 discard */
        "2001::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2", /* Teredo 2001::/32 */
        "2001:2::1",
        "2001:10::1",
        "2001:1ff::1", /* rest of 2001::/23 IETF protocol */
        "2001:db8::1",
        "2001:db8:ffff::1", /* documentation */
        "3fff::1",
        "3fff:fff::1", /* 3fff::/20 documentation */
        "2002:7f00:1::1",
        "2002:a00:1::1",
        "2002:a9fe:a9fe::1",
        "2002:c0a8:101::1",
        "2002::1", /* 6to4 around a refused IPv4 */
        "5f00::1", /* SRv6 SIDs */
        "fc00::1",
        "fd12:3456::1", /* fc00::/7 unique-local */
        "fe80::1",
        "febf::1", /* fe80::/10 link-local */
        "fec0::1",
        "feff::1", /* fec0::/10 site-local (deprecated) */
        "ff02::1",
        "ff0e::1", /* multicast */
        "4000::1",
        "8000::1",
        "e000::1",
        "1::1",
        "200::1", /* outside 2000::/3 global unicast */
    };
    static const char *const reachable[] = {
        "2400:cb00::1",     "2606:4700:4700::1111", "2001:4860:4860::8888",
        "2a00:1450::1",     "2001:200::1", /* just past 2001::/23 */
        "2001:db7:ffff::1", "2001:db9::1",          "3ffe::1",
        "3fff:1000::1",     "::ffff:8.8.8.8",       "64:ff9b::808:808",
        "2002:808:808::1",  "2620:4f:8000::1",
    };
    check_all(refused, sizeof(refused) / sizeof(*refused), false);
    check_all(reachable, sizeof(reachable) / sizeof(*reachable), true);
}

/* Anything that is neither IPv4 nor IPv6 is not the Internet. */
static void test_other_families(void)
{
    struct sockaddr sa = {.sa_family = AF_UNIX};
    CHECK(!gd_addr_is_public(&sa));
}

int main(void)
{
    test_ipv4();
    test_ipv6();
    test_other_families();
    return check_report("test_netaddr");
}
