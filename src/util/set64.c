/*
 * set64.c - a set of nonzero 64-bit hashes: open addressing, linear
 * probing, at most half full (it doubles first). The name data keeps its
 * nickname pairs in one (match/equiv.c), the legal forms the aliases they
 * hold (match/legal.c). Built before screening starts, read-only after.
 */
#include <stdlib.h>

#include "../internal.h"

int vigil__set64_add(vigil__set64 *s, uint64_t h)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 4096;
        uint64_t *ns = calloc(nc, sizeof(uint64_t));
        if (!ns)
            return -1;
        for (size_t i = 0; i < s->cap; i++)
            if (s->slot[i]) {
                size_t k = s->slot[i] & (nc - 1);
                while (ns[k])
                    k = (k + 1) & (nc - 1);
                ns[k] = s->slot[i];
            }
        free(s->slot);
        s->slot = ns;
        s->cap = nc;
    }
    size_t k = h & (s->cap - 1);
    while (s->slot[k] && s->slot[k] != h)
        k = (k + 1) & (s->cap - 1);
    if (s->slot[k])
        return 0;
    s->slot[k] = h;
    s->n++;
    return 1;
}

int vigil__set64_has(const vigil__set64 *s, uint64_t h)
{
    if (!s->cap)
        return 0;
    for (size_t k = h & (s->cap - 1); s->slot[k]; k = (k + 1) & (s->cap - 1))
        if (s->slot[k] == h)
            return 1;
    return 0;
}

void vigil__set64_free(vigil__set64 *s)
{
    free(s->slot);
    s->slot = NULL;
    s->cap = s->n = 0;
}
