/* Open connections per client address, so that one address cannot take every connection slot
 * (a slow-loris or a flood of event streams from one client). An exact open-addressing table of
 * addresses with their counts, under one mutex: a lookup per accepted and per closed connection. */
#include "http/connlimit.h"
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>

#define SLOTS 8192 /* power of two, above the server's connection cap */

struct slot {
    unsigned char addr[16];
    int count; /* 0 = free (a slot is freed when its count drops to zero) */
};

static struct slot table[SLOTS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* The address as 16 bytes (IPv4 as IPv4-mapped IPv6); false for other families. */
static bool key_of(const struct sockaddr *sa, unsigned char key[16])
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        memset(key, 0, 10);
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &in->sin_addr, 4);
        return true;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return true;
    }
    return false;
}

static unsigned hash(const unsigned char key[16])
{
    unsigned h = 2166136261u;
    for (int i = 0; i < 16; i++) {
        h = (h ^ key[i]) * 16777619u;
    }
    return h;
}

/* The slot holding key, or the free slot where it belongs; NULL when the table is full. Deleting
 * uses backward-shift, so a lookup can stop at the first free slot. */
static struct slot *find(const unsigned char key[16])
{
    unsigned i = hash(key) & (SLOTS - 1);
    for (int probe = 0; probe < SLOTS; probe++, i = (i + 1) & (SLOTS - 1)) {
        if (table[i].count == 0 || memcmp(table[i].addr, key, 16) == 0) {
            return &table[i];
        }
    }
    return NULL;
}

static void remove_slot(struct slot *s)
{
    unsigned i = (unsigned)(s - table), j = i;
    table[i].count = 0;
    for (;;) {
        j = (j + 1) & (SLOTS - 1);
        if (table[j].count == 0) {
            return;
        }
        unsigned home = hash(table[j].addr) & (SLOTS - 1);
        /* move j back into the hole at i unless its home lies cyclically in (i, j] */
        bool stays = i <= j ? (home > i && home <= j) : (home > i || home <= j);
        if (!stays) {
            table[i] = table[j];
            table[j].count = 0;
            i = j;
        }
    }
}

int gd_connlimit_open(const struct sockaddr *sa)
{
    unsigned char key[16];
    int n = 0;
    if (!sa || !key_of(sa, key)) {
        return 0;
    }
    pthread_mutex_lock(&lock);
    struct slot *s = find(key);
    if (s) {
        if (s->count == 0) {
            memcpy(s->addr, key, 16);
        }
        n = ++s->count;
    }
    pthread_mutex_unlock(&lock);
    return n;
}

void gd_connlimit_close(const struct sockaddr *sa)
{
    unsigned char key[16];
    if (!sa || !key_of(sa, key)) {
        return;
    }
    pthread_mutex_lock(&lock);
    struct slot *s = find(key);
    if (s && s->count > 0 && --s->count == 0) {
        remove_slot(s);
    }
    pthread_mutex_unlock(&lock);
}

int gd_connlimit_count(const struct sockaddr *sa)
{
    unsigned char key[16];
    int n = 0;
    if (!sa || !key_of(sa, key)) {
        return 0;
    }
    pthread_mutex_lock(&lock);
    struct slot *s = find(key);
    n = s ? s->count : 0;
    pthread_mutex_unlock(&lock);
    return n;
}
