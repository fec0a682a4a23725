/* Addresses a server-side request may reach on a user's behalf: only globally reachable unicast.
 * Refused are every special-purpose range of the IANA IPv4 and IPv6 Special-Purpose Address
 * Registries that is not globally reachable (loopback, private, link-local and cloud metadata,
 * shared/CGN, benchmarking, documentation, reserved, broadcast, unique-local, discard ...),
 * multicast, IPv6 outside the global unicast space 2000::/3 (site-local, IPv4-compatible ...),
 * and every IPv6 address that carries or tunnels to a refused IPv4 address (IPv4-mapped, NAT64
 * 64:ff9b::/96, 6to4 2002::/16; Teredo and the local NAT64 prefix as a whole).
 * Pure; thread safe. */
#ifndef GD_BASE_NETADDR_H
#define GD_BASE_NETADDR_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* Is `sa` (AF_INET or AF_INET6; any other family is not) a globally reachable address? */
bool gd_addr_is_public(const struct sockaddr *sa);
/* The address as text (for the operator's log). */
void gd_addr_format(const struct sockaddr *sa, char *out, size_t n);

#endif
