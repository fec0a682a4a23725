/* Who is asking, and over what: the client's address (behind trusted proxies, from
 * X-Forwarded-For), whether the client reached us over https, the server's own origin, and the
 * session cookie's name for that scheme.
 *
 * X-Forwarded-For is believed only from a peer in --trusted-proxy: anyone else could write any
 * address in it. Each proxy appends the address it saw, so the client is the rightmost entry
 * that is not itself a trusted proxy; entries left of it were written by the client and prove
 * nothing. Over https (--public-url https://..., or X-Forwarded-Proto: https from a trusted
 * proxy) the session cookie is __Host-gd_session with Secure: the browser then sends it only to
 * this host over https, and no sibling host can plant one. */
#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>
#include "http/http.h"
#include "http/req.h"

/* An address as 16 bytes, IPv4 as IPv4-mapped IPv6, so either spelling compares equal. */
static bool parse_addr(const char *s, size_t n, struct in6_addr *out)
{
    char buf[INET6_ADDRSTRLEN + 1];
    struct in_addr v4;

    while (n && isspace((unsigned char)*s)) {
        s++, n--;
    }
    while (n && isspace((unsigned char)s[n - 1])) {
        n--;
    }
    if (n == 0 || n >= sizeof(buf)) {
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = 0;
    if (inet_pton(AF_INET, buf, &v4) == 1) {
        memset(out, 0, sizeof(*out));
        out->s6_addr[10] = out->s6_addr[11] = 0xff;
        memcpy(&out->s6_addr[12], &v4, 4);
        return true;
    }
    return inet_pton(AF_INET6, buf, out) == 1;
}

static void format_addr(const struct in6_addr *a, char *out, size_t n)
{
    if (IN6_IS_ADDR_V4MAPPED(a)) {
        inet_ntop(AF_INET, &a->s6_addr[12], out, (socklen_t)n);
    } else {
        inet_ntop(AF_INET6, a, out, (socklen_t)n);
    }
}

bool gd_http_addr_list_valid(const char *list)
{
    struct in6_addr a;
    for (const char *p = list, *q; p; p = q ? q + 1 : NULL) {
        q = strchr(p, ',');
        if (!parse_addr(p, q ? (size_t)(q - p) : strlen(p), &a)) {
            return false;
        }
    }
    return true;
}

static bool trusted(struct gd_req *r, const struct in6_addr *a)
{
    const char *list = gd_server_opts(r->srv)->trusted_proxy;
    struct in6_addr t;
    for (const char *p = list, *q; p && *p; p = q ? q + 1 : NULL) {
        q = strchr(p, ',');
        if (parse_addr(p, q ? (size_t)(q - p) : strlen(p), &t) && memcmp(&t, a, sizeof(t)) == 0) {
            return true;
        }
    }
    return false;
}

static bool peer(struct gd_req *r, struct in6_addr *out)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = ci ? ci->client_addr : NULL;

    if (!sa) {
        return false;
    }
    if (sa->sa_family == AF_INET) {
        memset(out, 0, sizeof(*out));
        out->s6_addr[10] = out->s6_addr[11] = 0xff;
        memcpy(&out->s6_addr[12], &((const struct sockaddr_in *)sa)->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        *out = ((const struct sockaddr_in6 *)sa)->sin6_addr;
        return true;
    }
    return false;
}

static bool from_trusted_proxy(struct gd_req *r)
{
    struct in6_addr a;
    return peer(r, &a) && trusted(r, &a);
}

const char *gd_http_client_addr(struct gd_req *r)
{
    char text[INET6_ADDRSTRLEN];
    struct in6_addr a, e;

    if (!peer(r, &a)) {
        return "unknown";
    }
    if (trusted(r, &a)) {
        const char *xff = gd_http_header_in(r, "X-Forwarded-For");
        const char *end = xff ? xff + strlen(xff) : NULL;
        /* right to left: skip our own proxies; the first other entry is who they talked to */
        while (end && end > xff) {
            const char *start = end;
            while (start > xff && start[-1] != ',') {
                start--;
            }
            if (!parse_addr(start, (size_t)(end - start), &e)) {
                break; /* not an address: keep the proxy's own */
            }
            a = e;
            if (!trusted(r, &e)) {
                break;
            }
            end = start > xff ? start - 1 : NULL;
        }
    }
    format_addr(&a, text, sizeof(text));
    return gd_arena_strdup(&r->a, text);
}

bool gd_http_is_https(struct gd_req *r)
{
    const char *pub = gd_server_opts(r->srv)->public_url;
    if (pub) {
        return strncasecmp(pub, "https://", 8) == 0;
    }
    const char *proto = gd_http_header_in(r, "X-Forwarded-Proto");
    return proto && strcasecmp(proto, "https") == 0 && from_trusted_proxy(r);
}

const char *gd_http_own_origin(struct gd_req *r)
{
    const char *pub = gd_server_opts(r->srv)->public_url;
    if (pub) {
        /* scheme://host[:port], without a path */
        const char *host = strstr(pub, "://");
        const char *slash = host ? strchr(host + 3, '/') : NULL;
        return slash ? gd_arena_strndup(&r->a, pub, (size_t)(slash - pub)) : pub;
    }
    const char *host = gd_http_header_in(r, "Host");
    if (!host || !*host) {
        return NULL;
    }
    return gd_arena_printf(&r->a, "%s://%s", gd_http_is_https(r) ? "https" : "http", host);
}

const char *gd_http_session_cookie_name(struct gd_req *r)
{
    return gd_http_is_https(r) ? "__Host-gd_session" : "gd_session";
}

const char *gd_http_session_cookie(struct gd_req *r)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, gd_http_session_cookie_name(r));
}

const char *gd_http_session_set_cookie(struct gd_req *r, const char *value, int max_age,
                                       bool framed)
{
    /* a frame on another site (the chat panel) gets its cookie only with SameSite=None, which
     * browsers take only with Secure; Partitioned keeps it to that one embedding site (CHIPS).
     * Over http (development, same-site frames) the usual Strict cookie does. */
    bool https = gd_http_is_https(r);
    return gd_arena_printf(&r->a, "%s=%s; Path=/; HttpOnly; SameSite=%s; Max-Age=%d%s",
                           gd_http_session_cookie_name(r), value,
                           framed && https ? "None" : "Strict", max_age,
                           !https   ? ""
                           : framed ? "; Secure; Partitioned"
                                    : "; Secure");
}
