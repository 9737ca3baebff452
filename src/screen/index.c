/*
 * index.c - the screening engine's index: the keys of a prepared name's
 * words (the word, its consonant skeleton, its first and last four letters,
 * its letters sorted; the whole name run together) and the table from a key
 * to the names holding it, open addressing, at most half full. A query looks
 * up its own words' keys (screen.c) and scores only the names found, never
 * the whole list. Design: docs/screening.md.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../match/match.h"
#include "../store/store.h"
#include "engine.h"

static uint64_t key_of(char kind, const char *s, size_t n)
{
    uint64_t h = vigil__hash64_more(VIGIL__HASH_START, &kind, 1);
    h = vigil__hash64_more(h, s, strnlen(s, n));
    return h ? h : 1;
}

/* The index keys of one word (and of its other reading). Returns how many. */
static int word_keys(const char *t, const char *skel, uint64_t *out, int max)
{
    int k = 0;
    size_t n = strlen(t);
    if (n < 2 || k + 5 > max)
        return 0;
    out[k++] = key_of('t', t, n);
    if (strlen(skel) >= 2)
        out[k++] = key_of('s', skel, strlen(skel));
    if (n >= 5 && k + 3 <= max) {
        out[k++] = key_of('p', t, 4);
        out[k++] = key_of('x', t + n - 4, 4);
        /* the letters in order: two letters swapped keep it */
        char sorted[VIGIL__TOKLEN];
        size_t m = n < sizeof(sorted) - 1 ? n : sizeof(sorted) - 1;
        memcpy(sorted, t, m);
        for (size_t i = 1; i < m; i++)
            for (size_t j = i; j > 0 && sorted[j] < sorted[j - 1]; j--) {
                char c = sorted[j];
                sorted[j] = sorted[j - 1];
                sorted[j - 1] = c;
            }
        out[k++] = key_of('a', sorted, m);
    }
    return k;
}

int vigil__name_keys(const vigil__pname *p, uint64_t *out, int max)
{
    int k = 0;
    for (int i = 0; i < p->n && k < max; i++) {
        const vigil__tok *t = &p->tok[i];
        if (t->kind == VIGIL__TK_INITIAL || t->kind == VIGIL__TK_PARTICLE)
            continue;
        k += word_keys(t->t, t->skel, out + k, max - k);
        if (p->has_alt >> i & 1) /* the other reading: 金 as kim */
            k += word_keys(vigil__pname_str(p, p->alt_at[i]), "", out + k, max - k);
    }
    /* the whole name run together: the name itself, whatever its words
     * ("DES INTERNATIONAL CO LTD", "GP-21"), and the ends of it, which a
     * name written as one word shares ("gimchunsam", "Kim Chun Sam") */
    const char *j = vigil__pname_str(p, p->joined_at);
    if (p->jlen >= 3 && k < max)
        out[k++] = key_of('j', j, p->jlen);
    if (p->n >= 2 && p->jlen >= 5 && k + 2 <= max) {
        out[k++] = key_of('p', j, 4);
        out[k++] = key_of('x', j + p->jlen - 4, 4);
    }
    return k;
}

vigil__posting *vigil__index_slot(const vigil_engine *e, uint64_t key)
{
    if (!e->index_cap)
        return NULL;
    size_t i = key & (e->index_cap - 1);
    while (e->index[i].key && e->index[i].key != key)
        i = (i + 1) & (e->index_cap - 1);
    return &e->index[i];
}

static int index_grow(vigil_engine *e);

/* Adds name id under key. The table stays at most half full (it grows: a
 * full table would never end a probe). 0, or -1 (out of memory). */
static int index_add(vigil_engine *e, uint64_t key, uint32_t id)
{
    vigil__posting *p = vigil__index_slot(e, key);
    if (!p->key) {
        if ((e->index_used + 1) * 2 > e->index_cap) {
            if (index_grow(e) != 0)
                return -1;
            p = vigil__index_slot(e, key);
        }
        p->key = key;
        e->index_used++;
    }
    if (p->n && p->ids[p->n - 1] == id)
        return 0; /* one name, one entry per key */
    if (p->n == p->cap) {
        uint32_t nc = p->cap ? p->cap * 2 : 4;
        uint32_t *ni = realloc(p->ids, nc * sizeof(uint32_t));
        if (!ni)
            return -1;
        p->ids = ni;
        p->cap = nc;
    }
    p->ids[p->n++] = id;
    return 0;
}

/* Doubles the index, moving every list to its slot in the larger table.
 * 0, or -1 (out of memory; the index is as it was). */
static int index_grow(vigil_engine *e)
{
    size_t cap = e->index_cap ? e->index_cap * 2 : 1024;
    vigil__posting *t = calloc(cap, sizeof(vigil__posting));
    if (!t)
        return -1;
    for (size_t i = 0; i < e->index_cap; i++) {
        if (!e->index[i].key)
            continue;
        size_t k = e->index[i].key & (cap - 1);
        while (t[k].key)
            k = (k + 1) & (cap - 1);
        t[k] = e->index[i];
    }
    free(e->index);
    e->index = t;
    e->index_cap = cap;
    return 0;
}

int vigil__index_build(vigil_engine *e)
{
    e->meta = malloc(e->nnames ? e->nnames : 1);
    if (!e->meta || index_grow(e) != 0)
        return -1;
    for (size_t i = 0; i < e->nnames; i++)
        e->meta[i] = (uint8_t)(e->names[i].cls | e->names[i].src << 2);
    for (size_t i = 0; i < e->nnames; i++) {
        uint64_t keys[128];
        int nk = vigil__name_keys(e->names[i].p, keys, 128);
        for (int k = 0; k < nk; k++)
            if (index_add(e, keys[k], (uint32_t)i) != 0)
                return -1;
    }
    /* the lists grew by doubling: trimmed to their length */
    for (size_t i = 0; i < e->index_cap; i++) {
        vigil__posting *p = &e->index[i];
        if (p->key && p->n < p->cap) {
            uint32_t *ids = realloc(p->ids, p->n * sizeof(uint32_t));
            if (ids) {
                p->ids = ids;
                p->cap = p->n;
            }
        }
    }
    return 0;
}
