/* Group robots (docs/notifications.md): a shop's DingTalk custom robot or WeCom group robot is a
 * webhook endpoint of another format, delivered through the same outbox and deliverer
 * (webhook/robot.c writes its message). What is checked here, when one is added: the URL is
 * https, and its host resolves only to public addresses (base/netaddr.h), so a shop cannot point
 * the server at the operator's network; the deliverer checks the address again on every
 * connection. */
#include <netdb.h>
#include <sys/socket.h>
#include "base/netaddr.h"
#include "service/svc_int.h"

#define HOST_MAX 253

bool gd_svc_robot_format(const char *format)
{
    return format && (!strcmp(format, "dingtalk") || !strcmp(format, "wecom"));
}

/* The host of an https URL (without brackets or port) into out; false when it has none. */
static bool url_host(const char *url, char *out, size_t n)
{
    const char *h = url + strlen("https://"), *end;
    if (*h == '[') {
        end = strchr(++h, ']');
    } else {
        end = h + strcspn(h, ":/?#");
    }
    if (!end || end == h || (size_t)(end - h) >= n) {
        return false;
    }
    snprintf(out, n, "%.*s", (int)(end - h), h);
    return true;
}

/* Does every address `host` resolves to pass as public? A name that does not resolve is
 * refused with the same words (what names mean inside the operator's network stays unsaid). */
static bool host_public(const char *host)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    bool ok = getaddrinfo(host, "443", &hints, &res) == 0 && res;
    for (struct addrinfo *ai = res; ok && ai; ai = ai->ai_next) {
        ok = gd_addr_is_public(ai->ai_addr);
    }
    if (res) {
        freeaddrinfo(res);
    }
    return ok;
}

int gd_svc__robot_check(struct gd_svc *svc, const char *format, const char *url, const char *secret,
                        struct gd_err *err)
{
    char host[HOST_MAX + 1];

    if (strncmp(url, "https://", 8) != 0) {
        return gd_err_field(err, GD_EINVAL, "url",
                            "a group robot's url must start with "
                            "https:// (DingTalk and WeCom give an https webhook address)");
    }
    if (!url_host(url, host, sizeof(host))) {
        return gd_err_field(err, GD_EINVAL, "url", "url has no host");
    }
    if (!(svc->shared && svc->shared->webhook_private) && !host_public(host)) {
        return gd_err_field(err, GD_EINVAL, "url",
                            "url's host does not resolve to a public "
                            "address (loopback, private, link-local and other special-purpose "
                            "addresses are refused)");
    }
    if (!strcmp(format, "dingtalk")) {
        if (!secret || !*secret) {
            return gd_err_field(err, GD_EINVAL, "secret",
                                "a DingTalk robot needs its signing "
                                "secret (加签, SEC…) to sign each message");
        }
        if (strlen(secret) > GD_ROBOT_SECRET_MAX) {
            return gd_err_field(err, GD_EINVAL, "secret", "secret is longer than %d characters",
                                GD_ROBOT_SECRET_MAX);
        }
        for (const unsigned char *p = (const unsigned char *)secret; *p; p++) {
            if (*p <= ' ' || *p >= 0x7f) {
                return gd_err_field(err, GD_EINVAL, "secret",
                                    "secret may hold only printable "
                                    "ASCII without spaces");
            }
        }
    } else if (secret) {
        return gd_err_field(err, GD_EINVAL, "secret",
                            "only a DingTalk robot takes a secret "
                            "(a WeCom robot's key is in its url)");
    }
    return GD_OK;
}
