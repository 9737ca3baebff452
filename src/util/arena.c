/*
 * arena.c - a bump allocator for the strings of one record.
 *
 * Parsers pull many short strings out of a record (attributes, child texts)
 * and drop them all when the record is stored. Allocating them from an arena
 * that is reset per record keeps the parsers free of per-string frees.
 */
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

struct vigil__chunk {
    struct vigil__chunk *next;
    size_t used, size;
    char data[];
};

#define CHUNK_MIN 8192

char *vigil__arena_alloc(vigil__arena *a, size_t n)
{
    struct vigil__chunk *c = a->head;
    if (!c || c->size - c->used < n + 1) {
        size_t size = n + 1 > CHUNK_MIN ? n + 1 : CHUNK_MIN;
        c = malloc(sizeof(*c) + size);
        if (!c)
            return NULL;
        c->used = 0;
        c->size = size;
        c->next = a->head;
        a->head = c;
    }
    char *p = c->data + c->used;
    p[0] = '\0';
    c->used += n + 1;
    return p;
}

char *vigil__arena_strndup(vigil__arena *a, const char *s, size_t n)
{
    char *p = vigil__arena_alloc(a, n);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

void vigil__arena_reset(vigil__arena *a)
{
    struct vigil__chunk *c = a->head;
    while (c) {
        struct vigil__chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
}
