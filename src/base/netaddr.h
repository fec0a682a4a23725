/* Addresses a server-side request must not reach on a user's behalf: loopback, private,
 * link-local (cloud metadata), carrier-grade NAT, unspecified, and their IPv4-mapped IPv6 forms.
 * Pure; thread safe. */
#ifndef GD_BASE_NETADDR_H
#define GD_BASE_NETADDR_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

bool gd_addr_is_private(const struct sockaddr *sa);
/* The address as text (for messages). */
void gd_addr_format(const struct sockaddr *sa, char *out, size_t n);

#endif
