/*
 * match.h - prepared names and their comparison (name.c, compare.c).
 * Design: docs/matching.md.
 */
#ifndef VIGIL_MATCH_H
#define VIGIL_MATCH_H

#include "../internal.h"

#define VIGIL__MAX_TOKENS 24
#define VIGIL__TOKLEN 32
#define VIGIL__MAX_LEGAL 4
#define VIGIL__MAX_GROUPS 4

enum { VIGIL__TK_WORD = 0, VIGIL__TK_INITIAL, VIGIL__TK_NUMBER, VIGIL__TK_PARTICLE, VIGIL__TK_PATRONYMIC };
enum { VIGIL__CLASS_PERSON = 0, VIGIL__CLASS_ORG, VIGIL__CLASS_THING };

/* The bit of a token character in vigil__tok.mask: its low five bits. Digits
 * share bits with letters (1 with q): the masks then claim more in common
 * than there is, never less, which is all their use needs. */
static inline unsigned vigil__cbit(char c)
{
    return (unsigned char)c & 31u;
}

typedef struct vigil__tok {
    char t[VIGIL__TOKLEN];       /* lower-case ASCII */
    uint32_t cp[VIGIL__TOKLEN];  /* the same as code points, for the metrics */
    char skel[VIGIL__TOKLEN];    /* consonant skeleton (name.c) */
    uint8_t len, slen, kind;
    float w;                     /* weight in the score */
    uint32_t mask;               /* letters present (a-z, and digits in bit 26+) */
    uint64_t th, sh;             /* hashes of t and skel: equal strings, equal hashes */
    uint32_t g[VIGIL__MAX_GROUPS]; /* given-name groups (equiv.c), 0 for none */
    uint8_t nick;                /* the form has nicknames, or is one */
    uint8_t cnt[32];             /* how often each mask bit's characters occur */
    uint8_t vowel_poor;          /* fewer vowels than a third of the letters: a word
                                    from a script that writes few (mhmd, hsyn) */
} vigil__tok;

typedef struct vigil__pname {
    int cls;                     /* VIGIL__CLASS_* */
    int n;
    /* another reading of token i, or "": 金 read in Korean (kim) besides
     * Mandarin (jin); Greek "alexandros" as "alexandr". Kept apart from the
     * tokens, which the hot loop reads, since few names have one. */
    char alt[VIGIL__MAX_TOKENS][VIGIL__TOKLEN];
    uint32_t has_alt;            /* bit i: alt[i] is set */
    int nlegal;
    char legal[VIGIL__MAX_LEGAL][16];   /* canonical legal forms, e.g. "llc" */
    int legal_class[VIGIL__MAX_LEGAL];
    char latin[512];             /* the name in lower-case Latin, for explanations */
    char joined[128];            /* all tokens and legal forms run together */
    uint32_t jcp[128];
    size_t jlen;
    char jskel[VIGIL__TOKLEN * 4];  /* the tokens' skeletons run together */
    uint32_t jmask;
    uint8_t jcnt[32];            /* as vigil__tok.cnt, for joined */
    /* last, so that a copy can keep only the n tokens in use
     * (vigil__pname_copy) */
    vigil__tok tok[VIGIL__MAX_TOKENS];
} vigil__pname;

/* A malloc'd copy of p holding only its p->n tokens, for keeping many
 * prepared names. The caller frees it. */
vigil__pname *vigil__pname_copy(const vigil__pname *p);

/* The class of a schema name (Person; Organization, Company, LegalEntity;
 * Vessel, Airplane). Unknown or NULL is a person. */
int vigil__schema_class(const char *schema);

/* Prepares name for comparison. Returns 0, -1 when nothing is left of it. */
int vigil__name_prepare(const char *name, int cls, vigil__pname *out);

/* The groups of a given-name form (equiv.c): up to VIGIL__MAX_GROUPS ids,
 * 0 for none. Returns 1 when the form has nicknames or is one. */
int vigil__names_groups(const char *form, uint32_t *groups);
/* 1 when one of a and b is a nickname of the other. */
int vigil__names_nicknames(const char *a, const char *b);

/* 1 when name, read as an organisation's, holds a legal form. */
int vigil__has_legal_form(const char *name);

/* How many characters two strings can have in common, at most, from their
 * character counts by mask bit (bits shared by several characters only
 * raise it). */
static inline size_t vigil__common_bound(uint32_t ma, const uint8_t *ca, uint32_t mb,
                                         const uint8_t *cb)
{
    uint32_t both = ma & mb;
    size_t c = 0;
    while (both) {
        unsigned b = (unsigned)__builtin_ctz(both);
        c += ca[b] < cb[b] ? ca[b] : cb[b];
        both &= both - 1;
    }
    return c;
}

/* An upper bound of the Jaro-Winkler similarity of strings of n and m
 * characters with at most c in common. */
static inline double vigil__jw_bound(size_t c, size_t n, size_t m)
{
    if (!n || !m || !c)
        return 0.0;
    double j = ((double)c / (double)n + (double)c / (double)m + 1.0) / 3.0;
    if (j > 1.0)
        j = 1.0;
    return j + 0.4 * (1.0 - j); /* the most Winkler's prefix can add */
}

/* Scores two prepared names of one class in [0, 1]. When why is not NULL it
 * receives the explanation (docs/matching.md) as members of a JSON object. */
double vigil__name_score(const vigil__pname *a, const vigil__pname *b, json_t *why);

#define VIGIL__DEFAULT_THRESHOLD 0.85

#endif
