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
#include <pthread.h>
#include <stdint.h>
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
static vigil__set64 pairs;

static uint64_t pair_of(uint64_t ha, uint64_t hb)
{
    uint64_t lo = ha < hb ? ha : hb, hi = ha < hb ? hb : ha;
    uint64_t h = (lo ^ 0x9e3779b97f4a7c15ull) * 0xff51afd7ed558ccdull;
    h = (h ^ hi ^ (h >> 32)) * 0xc4ceb9fe1a85ec53ull;
    return h ? h : 1;
}

static int add_pair(const char *a, const char *b)
{
    return vigil__set64_add(&pairs, pair_of(vigil__hash64(a), vigil__hash64(b))) < 0 ? -1 : 0;
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

/* How many forms each group has (by group id), to choose which groups a
 * form in more than VIGIL__MAX_GROUPS keeps. */
static uint16_t *gsize;
static size_t gsize_cap;

static int add(const char *form, uint32_t group, int size)
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
    if (group >= gsize_cap) {
        size_t nc = gsize_cap ? gsize_cap * 2 : 1 << 16;
        while (nc <= group)
            nc *= 2;
        uint16_t *ng = realloc(gsize, nc * sizeof(uint16_t));
        if (!ng)
            return -1;
        memset(ng + gsize_cap, 0, (nc - gsize_cap) * sizeof(uint16_t));
        gsize = ng;
        gsize_cap = nc;
    }
    gsize[group] = (uint16_t)(size < 65535 ? size : 65535);
    int smallest = 0;
    for (int i = 0; i < VIGIL__MAX_GROUPS; i++) {
        if (s->groups[i] == group + 1)
            return 0;
        if (!s->groups[i]) {
            s->groups[i] = group + 1; /* 0 is "none" */
            return 0;
        }
        if (gsize[s->groups[i] - 1] < gsize[s->groups[smallest] - 1])
            smallest = i;
    }
    /* a form in more groups than kept ("aleksandr" is in dozens, most of
     * them a spelling or two): the largest stand, where a name's many
     * spellings and its short forms meet (Alexander, Sasha) */
    if (gsize[s->groups[smallest] - 1] < size)
        s->groups[smallest] = group + 1;
    return 0;
}

int vigil__names_clean_form(char *f)
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
static uint64_t data_fp[2] = {VIGIL__HASH_START, VIGIL__HASH_START};

uint64_t vigil__match_data_fold(uint64_t fp, const char *line)
{
    return vigil__hash_mix(fp, vigil__hash64(line));
}

void vigil__match_data_mix(int legal, const char *line)
{
    data_fp[legal != 0] = vigil__match_data_fold(data_fp[legal != 0], line);
}

void vigil__match_data_start(int legal, uint64_t fp)
{
    data_fp[legal != 0] = fp;
}

uint64_t vigil__match_data_fp(void)
{
    vigil__names_builtin();
    vigil__legal_builtin();
    return data_fp[0] ^ (data_fp[1] << 1 | data_fp[1] >> 63);
}

void vigil_names_unload(void)
{
    vigil__names_builtin(); /* (so that it is not loaded after this) */
    for (size_t i = 0; i < cap; i++)
        free(table[i].key);
    free(table);
    table = NULL;
    cap = count = 0;
    ngroups = 0;
    free(gsize);
    gsize = NULL;
    gsize_cap = 0;
    vigil__set64_free(&pairs);
    data_fp[0] = VIGIL__HASH_START;
}

/* Reads the groups of one data text, len bytes at text, a line at a time:
 * given-name equivalents, or nickname groups (nicknames). Returns the
 * number of groups held, or a VIGIL_ERR_*. */
static int parse_names(const char *text, size_t len, int nicknames)
{
    char line[65536];
    int rc = 0, lines = 0;
    for (size_t at = 0; rc == 0 && at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) + 1 : len - at;
        if (n >= sizeof(line)) {
            rc = VIGIL_ERR_LIMIT; /* a line longer than any group of names */
            break;
        }
        memcpy(line, text + at, n);
        line[n] = '\0';
        at += n;
        vigil__match_data_mix(0, line);
        char *end = strstr(line, "=>");
        if (end)
            *end = '\0';
        if (!nicknames && !end)
            continue;
        int forms = 0;
        uint32_t g = ngroups;
        char first[64] = "";
        int size = 1; /* the group's forms, counted by its commas */
        for (const char *c = line; *c; c++)
            size += *c == ',';
        for (char *save = NULL, *f = strtok_r(line, ",", &save); f && rc == 0;
             f = strtok_r(NULL, ",", &save)) {
            if (!vigil__names_clean_form(f) || strlen(f) >= sizeof(first))
                continue;
            if (!nicknames) {
                rc = add(f, g, size) == 0 ? 0 : VIGIL_ERR_NOMEM;
            } else if (!first[0]) {
                snprintf(first, sizeof(first), "%s", f);
                rc = add(f, NICK_PAIR - 1, 0) == 0 ? 0 : VIGIL_ERR_NOMEM; /* "has nicknames" */
            } else {
                rc = add_pair(first, f) == 0 && add(f, NICK_PAIR - 1, 0) == 0 ? 0
                                                                              : VIGIL_ERR_NOMEM;
            }
            forms++;
        }
        if (forms && !nicknames)
            ngroups++;
        lines++;
    }
    return rc ? rc : lines ? (int)ngroups : VIGIL_ERR_FORMAT;
}

/* Name data is a few megabytes; a file past this is not name data. */
#define NAMES_FILE_MAX (256u << 20)

int vigil_names_load(const char *path)
{
    if (!path)
        return VIGIL_ERR_ARG;
    vigil__names_builtin(); /* what a file adds goes on top */
    char *text;
    size_t len;
    int rc = vigil__read_data_file(path, NAMES_FILE_MAX, &text, &len);
    if (rc != VIGIL_OK)
        return rc;
    size_t plen = strlen(path);
    int nicknames = plen > 4 && strcmp(path + plen - 4, ".csv") == 0;
    rc = parse_names(text, len, nicknames);
    free(text);
    return rc;
}

/* The given-name equivalents built in are gzip: inflated once, at start. */
static void load_builtin(void)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return;
    size_t room = vigil__data_given_names_len * 4, n = 0;
    char *text = malloc(room);
    z.next_in = (Bytef *)(uintptr_t)vigil__data_given_names;
    z.avail_in = (uInt)vigil__data_given_names_len;
    int zr = Z_OK;
    while (text && zr == Z_OK) {
        if (n == room) {
            char *nt = realloc(text, room * 2);
            if (!nt) {
                free(text);
                text = NULL;
                break;
            }
            text = nt;
            room *= 2;
        }
        z.next_out = (Bytef *)text + n;
        z.avail_out = (uInt)(room - n);
        zr = inflate(&z, Z_NO_FLUSH);
        n = room - z.avail_out;
    }
    inflateEnd(&z);
    if (text && zr == Z_STREAM_END)
        parse_names(text, n, 0);
    free(text);
    parse_names((const char *)vigil__data_nicknames, vigil__data_nicknames_len, 1);
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;

void vigil__names_builtin(void)
{
    pthread_once(&builtin_once, load_builtin);
}

int vigil__names_groups(const char *form, uint32_t *groups)
{
    vigil__names_builtin();
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
    return vigil__set64_has(&pairs, pair_of(ha, hb));
}
