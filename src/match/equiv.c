/*
 * equiv.c - given names that are one name in other languages and scripts
 * (Aleksandr, Oleksandr, Alexander; Hussein, Husayn), and nicknames (Bob,
 * Robert), loaded from data files at start.
 *
 * Two file forms are read: given-name equivalents, one group a line,
 * "alexander, aleksandr, олександр, ... => Q123" (plain or gzip), as in
 * ../shared/eval/names/given-name-equivalents.txt.gz; and nickname groups,
 * "robert,bob,bobby,rob" (nicknames-groups.csv). Only forms that are a single
 * word of ASCII letters are kept: every name meets the matcher transliterated
 * to ASCII, and the groups hold the Latin spellings of their non-Latin forms.
 *
 * The table is an open-addressing hash from the lower-case form to up to
 * VIGIL__MAX_GROUPS group ids. It is built by vigil_names_load before any
 * comparison and only read afterwards, which is what makes comparisons
 * thread-safe; loading while other threads compare is not.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "match.h"

typedef struct {
    char *key;
    uint32_t groups[VIGIL__MAX_GROUPS];
    int nick; /* the form has nicknames, or is one; or the key is a pair */
} slot;

static slot *table;
static size_t cap, count;
static uint32_t ngroups;
/* Nicknames are pairs, not groups: a line of nicknames-groups.csv is a name
 * and the names it stands for or is short for ("bill,william,billy,robert"),
 * and joining all of them into one group would make William and Robert one
 * name. Each pair (first, other) is kept as one 64-bit hash of the two
 * forms' hashes, in a set of its own: the matcher asks about pairs of tokens
 * whose hashes it holds, without building a key (64-bit hashes of a few
 * thousand pairs do not collide in practice). NICK_PAIR - 1 as a group marks
 * a form that has nicknames or is one. */
#define NICK_PAIR UINT32_MAX
static uint64_t *pairs;
static size_t pairs_cap, npairs;

static uint64_t pair_of(uint64_t ha, uint64_t hb)
{
    uint64_t lo = ha < hb ? ha : hb, hi = ha < hb ? hb : ha;
    uint64_t h = (lo ^ 0x9e3779b97f4a7c15ull) * 0xff51afd7ed558ccdull;
    h = (h ^ hi ^ (h >> 32)) * 0xc4ceb9fe1a85ec53ull;
    return h ? h : 1;
}

static int add_pair(const char *a, const char *b)
{
    if ((npairs + 1) * 2 > pairs_cap) {
        size_t nc = pairs_cap ? pairs_cap * 2 : 4096;
        uint64_t *np = calloc(nc, sizeof(uint64_t));
        if (!np)
            return -1;
        for (size_t i = 0; i < pairs_cap; i++)
            if (pairs[i]) {
                size_t k = pairs[i] & (nc - 1);
                while (np[k])
                    k = (k + 1) & (nc - 1);
                np[k] = pairs[i];
            }
        free(pairs);
        pairs = np;
        pairs_cap = nc;
    }
    uint64_t p = pair_of(vigil__hash64(a), vigil__hash64(b));
    size_t k = p & (pairs_cap - 1);
    while (pairs[k] && pairs[k] != p)
        k = (k + 1) & (pairs_cap - 1);
    if (!pairs[k]) {
        pairs[k] = p;
        npairs++;
    }
    return 0;
}


static int grow(void)
{
    size_t ncap = cap ? cap * 2 : 1 << 16;
    slot *nt = calloc(ncap, sizeof(slot));
    if (!nt)
        return -1;
    for (size_t i = 0; i < cap; i++)
        if (table[i].key) {
            size_t k = vigil__hash64(table[i].key) & (ncap - 1);
            while (nt[k].key)
                k = (k + 1) & (ncap - 1);
            nt[k] = table[i];
        }
    free(table);
    table = nt;
    cap = ncap;
    return 0;
}

static int add(const char *form, uint32_t group)
{
    int as_nick = group == NICK_PAIR - 1;
    if ((count + 1) * 2 > cap && grow() != 0)
        return -1;
    size_t k = vigil__hash64(form) & (cap - 1);
    while (table[k].key && strcmp(table[k].key, form) != 0)
        k = (k + 1) & (cap - 1);
    slot *s = &table[k];
    if (!s->key) {
        s->key = strdup(form);
        if (!s->key)
            return -1;
        count++;
    }
    if (as_nick) {
        s->nick = 1;
        return 0;
    }
    for (int i = 0; i < VIGIL__MAX_GROUPS; i++) {
        if (s->groups[i] == group + 1)
            return 0;
        if (!s->groups[i]) {
            s->groups[i] = group + 1; /* 0 is "none" */
            return 0;
        }
    }
    return 0; /* a form in more groups than kept: the first ones stand */
}

/* Lower-cases a form in place; 1 if it is one word of ASCII letters, of
 * three letters or more. */
static int clean_form(char *f)
{
    while (*f == ' ')
        memmove(f, f + 1, strlen(f));
    size_t n = strlen(f);
    while (n && (f[n - 1] == ' ' || f[n - 1] == '\r' || f[n - 1] == '\n'))
        f[--n] = '\0';
    if (n < 3)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (!isalpha((unsigned char)f[i]) || (unsigned char)f[i] >= 0x80)
            return 0;
        f[i] = (char)tolower((unsigned char)f[i]);
    }
    return 1;
}

/* What name data [0] and legal forms [1] were loaded, as hashes (the
 * loaders mix in every line they read, in order; unloading the names starts
 * theirs again). Loading happens before screening starts, on one thread. */
#define FP_START 1469598103934665603ull
static uint64_t data_fp[2] = {FP_START, FP_START};

void vigil__match_data_mix(int legal, const char *line)
{
    data_fp[legal != 0] = (data_fp[legal != 0] ^ vigil__hash64(line)) * 1099511628211ull;
}

uint64_t vigil__match_data_fp(void)
{
    return data_fp[0] ^ (data_fp[1] << 1 | data_fp[1] >> 63);
}

void vigil_names_unload(void)
{
    for (size_t i = 0; i < cap; i++)
        free(table[i].key);
    free(table);
    table = NULL;
    cap = count = 0;
    ngroups = 0;
    free(pairs);
    pairs = NULL;
    pairs_cap = npairs = 0;
    data_fp[0] = FP_START;
}

int vigil_names_load(const char *path)
{
    if (!path)
        return VIGIL_ERR_ARG;
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        return VIGIL_ERR_IO;
    size_t plen = strlen(path);
    int nicknames = plen > 4 && strcmp(path + plen - 4, ".csv") == 0;
    char line[65536];
    int rc = 0, lines = 0;
    while (rc == 0 && gzgets(gz, line, sizeof(line))) {
        if (!strchr(line, '\n') && !gzeof(gz)) {
            rc = VIGIL_ERR_LIMIT; /* a line longer than any group of names */
            break;
        }
        vigil__match_data_mix(0, line);
        char *end = strstr(line, "=>");
        if (end)
            *end = '\0';
        if (!nicknames && !end)
            continue;
        int forms = 0;
        uint32_t g = ngroups;
        char first[64] = "";
        for (char *save = NULL, *f = strtok_r(line, ",", &save); f && rc == 0;
             f = strtok_r(NULL, ",", &save)) {
            if (!clean_form(f) || strlen(f) >= sizeof(first))
                continue;
            if (!nicknames) {
                rc = add(f, g) == 0 ? 0 : VIGIL_ERR_NOMEM;
            } else if (!first[0]) {
                snprintf(first, sizeof(first), "%s", f);
                rc = add(f, NICK_PAIR - 1) == 0 ? 0 : VIGIL_ERR_NOMEM; /* "has nicknames" */
            } else {
                rc = add_pair(first, f) == 0 && add(f, NICK_PAIR - 1) == 0 ? 0 : VIGIL_ERR_NOMEM;
            }
            forms++;
        }
        if (forms && !nicknames)
            ngroups++;
        lines++;
    }
    gzclose(gz);
    return rc ? rc : lines ? (int)ngroups : VIGIL_ERR_FORMAT;
}

int vigil__names_groups(const char *form, uint32_t *groups)
{
    memset(groups, 0, sizeof(uint32_t) * VIGIL__MAX_GROUPS);
    if (!cap || strlen(form) < 3)
        return 0;
    size_t k = vigil__hash64(form) & (cap - 1);
    while (table[k].key) {
        if (strcmp(table[k].key, form) == 0) {
            memcpy(groups, table[k].groups, sizeof(uint32_t) * VIGIL__MAX_GROUPS);
            return table[k].nick;
        }
        k = (k + 1) & (cap - 1);
    }
    return 0;
}

int vigil__names_nicknames(uint64_t ha, uint64_t hb)
{
    if (!pairs_cap)
        return 0;
    uint64_t p = pair_of(ha, hb);
    size_t k = p & (pairs_cap - 1);
    while (pairs[k]) {
        if (pairs[k] == p)
            return 1;
        k = (k + 1) & (pairs_cap - 1);
    }
    return 0;
}
