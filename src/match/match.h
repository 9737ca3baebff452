/*
 * match.h - prepared names and their comparison (name.c, compare.c).
 * Design: docs/matching.md.
 */
#ifndef VIGIL_MATCH_H
#define VIGIL_MATCH_H

#include "../internal.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#define VIGIL__MAX_TOKENS 24
#define VIGIL__TOKLEN 32
#define VIGIL__MAX_LEGAL 4
#define VIGIL__MAX_GROUPS 4

enum {
    VIGIL__TK_WORD = 0,
    VIGIL__TK_INITIAL,
    VIGIL__TK_NUMBER,
    VIGIL__TK_PARTICLE,
    VIGIL__TK_PATRONYMIC
};
enum { VIGIL__CLASS_PERSON = 0, VIGIL__CLASS_ORG, VIGIL__CLASS_THING };

/* The bit of a token character in vigil__tok.mask: its low five bits. Digits
 * share bits with letters (1 with q): the masks then claim more in common
 * than there is, never less, which is all their use needs. */
static inline unsigned vigil__cbit(char c)
{
    return (unsigned char)c & 31u;
}

/* Field order follows use: what tok_sim reads for every pair comes first, in
 * the first cache lines; the spelling (read only for likely pairs) after.
 * Kept small (144 bytes): an engine holds one per word of every listed name. */
typedef struct vigil__tok {
    uint8_t kind, len, slen;
    uint8_t nick;                  /* the form has nicknames, or is one */
    uint8_t vowel_poor;            /* fewer vowels than a quarter of the letters: a word
                                    from a script that writes few (mhmd, hsyn; not
                                    "long", "mark") */
    float w;                       /* weight in the score */
    uint32_t mask;                 /* letters present (a-z, and digits in bit 26+) */
    uint64_t th, sh;               /* hashes of t and skel: equal strings, equal hashes */
    uint32_t g[VIGIL__MAX_GROUPS]; /* given-name groups (equiv.c), 0 for none */
    uint8_t cnt[32];               /* how often each mask bit's characters occur */
    char t[VIGIL__TOKLEN];         /* lower-case ASCII */
    char skel[VIGIL__TOKLEN];      /* consonant skeleton (name.c) */
} vigil__tok;

#define VIGIL__PNAME_TEXT 2048 /* room for a prepared name's texts: they fit */

/*
 * A prepared name. Its texts (the Latin form, the tokens run together, their
 * skeletons run together, other readings) are stored after its tokens and
 * found by byte offsets from the start of the struct (0: none), read with
 * vigil__pname_str. A name being prepared keeps them in text[]; a copy
 * (vigil__pname_copy) keeps only its n tokens and the texts' bytes right
 * after them, so that an engine holding every listed name stays small.
 */
typedef struct vigil__pname {
    int cls; /* VIGIL__CLASS_* */
    int n;
    uint32_t has_alt; /* bit i: token i has another reading */
    int nlegal;
    uint32_t jlen; /* length of the tokens run together */
    uint32_t jmask;
    uint8_t jcnt[32];   /* as vigil__tok.cnt, for the joined text */
    uint16_t latin_at;  /* the name in lower-case Latin, for explanations */
    uint16_t joined_at; /* all tokens and legal forms run together */
    uint16_t jskel_at;  /* the tokens' skeletons run together */
    uint16_t text_len;  /* bytes of text in use */
    uint8_t abjad;      /* written in a script without short vowels
                                    (Arabic, Hebrew, Syriac, Thaana) */
    uint8_t pinyin;     /* written in simplified Chinese characters: a
                                    mainland name, romanised in pinyin only */
    /* another reading of token i: 金 read in Korean (kim) besides Mandarin
     * (jin); Greek "alexandros" as "alexandr" */
    uint16_t alt_at[VIGIL__MAX_TOKENS];
    char legal[VIGIL__MAX_LEGAL][16]; /* canonical legal forms, e.g. "llc" */
    int legal_class[VIGIL__MAX_LEGAL];
    vigil__tok tok[VIGIL__MAX_TOKENS]; /* a copy keeps only the first n */
    char text[VIGIL__PNAME_TEXT];      /* while being prepared only */
} vigil__pname;

/* The text of p at byte offset at ("" for 0). */
static inline const char *vigil__pname_str(const vigil__pname *p, uint16_t at)
{
    return at ? (const char *)p + at : "";
}

/* A malloc'd copy of p holding only its p->n tokens and its texts, for
 * keeping many prepared names. The caller frees it; NULL when out of memory. */
vigil__pname *vigil__pname_copy(const vigil__pname *p);

/* What name.c and legal.c share. The lower-case Latin text of a name in
 * tokens (words, with an organisation's punctuation rules when cls is not
 * a person's): how many, at most max. */
int vigil__tokenize(const char *latin, int cls, char toks[][VIGIL__TOKLEN], int max);
/* A word's consonant skeleton into out (VIGIL__TOKLEN), its length in *len. */
void vigil__skeleton(const char *t, char *out, uint8_t *len);
/* A Roman numeral's value (ii to xx), or -1; 1 when w is all digits. */
int vigil__roman_value(const char *w);
int vigil__all_digits(const char *w);
/* Marks in used[] the tokens of toks[0..n) that are legal forms, longest
 * alias first, anywhere in the name, and records their canonical forms and
 * kinds in o (legal.c); src is the name as written (an abbreviation in
 * another script than Latin is looked for only in a name holding it). */
void vigil__legal_mark(vigil__pname *o, char toks[][VIGIL__TOKLEN], int n, int *used,
                       const char *src);

/* The class of a schema name (Person; Organization, Company, LegalEntity;
 * Vessel, Airplane). Unknown or NULL is a person. */
int vigil__schema_class(const char *schema);

/* Prepares name for comparison. Returns 0, -1 when nothing is left of it. */
int vigil__name_prepare(const char *name, int cls, vigil__pname *out);
/* The same with the name's Cyrillic read as lang (VIGIL__LANG_*; -1: as
 * vigil__cyrillic_lang says). */
int vigil__name_prepare_as(const char *name, int cls, int lang, vigil__pname *out);

/* Trims a given-name form and lower-cases it in place (equiv.c); 1 when it
 * is one word of ASCII letters, three or more: the forms the name data
 * keeps (tools/namedata.c keeps the same). */
int vigil__names_clean_form(char *f);

/* The groups of a given-name form (equiv.c): up to VIGIL__MAX_GROUPS ids,
 * 0 for none. Returns 1 when the form has nicknames or is one. */
int vigil__names_groups(const char *form, uint32_t *groups);
/* The fingerprint of the name data and legal forms loaded now (equiv.c),
 * and the mixing in of one more line read (legal: of the legal forms). A
 * prepared name depends on them: a saved engine (screen/snapshot.c) is used
 * only with the same data. */
uint64_t vigil__match_data_fp(void);
void vigil__match_data_mix(int legal, const char *line);
/* fp with one more line mixed in, as vigil__match_data_mix mixes it; and
 * the fingerprint of one side set to fp (the built-in legal forms, whose
 * derived table carries the fingerprint of the lines it was read from). */
uint64_t vigil__match_data_fold(uint64_t fp, const char *line);
void vigil__match_data_start(int legal, uint64_t fp);
/* The built-in legal-form table derived (legal.c): the table of legal.c and
 * the org_types.yml of yaml (len bytes), each alias read into Latin in each
 * reading, as lines into *text (malloc'd, *text_len bytes). What `make data`
 * writes to data/legal-forms.tsv, which the library carries. VIGIL_OK or a
 * VIGIL_ERR_*. */
int vigil__legal_derive(const char *yaml, size_t len, char **text, size_t *text_len);
/* 1 when one of the forms a and b, given by their hashes (vigil__hash64,
 * vigil__tok.th), is a nickname of the other. */
int vigil__names_nicknames(uint64_t ha, uint64_t hb);

/* 1 when name, read as an organisation's, holds a legal form. */
int vigil__has_legal_form(const char *name);

/* How many characters two strings can have in common, at most, from their
 * character counts by mask bit (bits shared by several characters only
 * raise it). */
static inline size_t vigil__common_bound(uint32_t ma, const uint8_t *ca, uint32_t mb,
                                         const uint8_t *cb)
{
#if defined(__SSE2__)
    /* the counts of absent characters are 0: the masks are not needed, and
     * the sum of the 32 minimums is four instructions */
    (void)ma;
    (void)mb;
    __m128i zero = _mm_setzero_si128();
    __m128i m0 = _mm_min_epu8(_mm_loadu_si128((const __m128i *)ca),
                              _mm_loadu_si128((const __m128i *)cb));
    __m128i m1 = _mm_min_epu8(_mm_loadu_si128((const __m128i *)(ca + 16)),
                              _mm_loadu_si128((const __m128i *)(cb + 16)));
    __m128i s = _mm_add_epi64(_mm_sad_epu8(m0, zero), _mm_sad_epu8(m1, zero));
    return (size_t)_mm_cvtsi128_si32(s) + (size_t)_mm_extract_epi16(s, 4);
#else
    uint32_t both = ma & mb;
    size_t c = 0;
    while (both) {
        unsigned b = (unsigned)__builtin_ctz(both);
        c += ca[b] < cb[b] ? ca[b] : cb[b];
        both &= both - 1;
    }
    return c;
#endif
}

/* An upper bound of the Jaro-Winkler similarity of strings of n and m
 * characters with at most c in common. */
static inline double vigil__jaro_winkler_bound(size_t c, size_t n, size_t m)
{
    if (!n || !m || !c)
        return 0.0;
    double j = ((double)c / (double)n + (double)c / (double)m + 1.0) / 3.0;
    if (j > 1.0)
        j = 1.0;
    return j + 0.4 * (1.0 - j); /* the most Winkler's prefix can add */
}

/* Scores two prepared names of one class in [0, 1]. When why is not NULL it
 * receives the explanation (docs/matching.md) as members of the JSON object
 * it has open. */
double vigil__name_score(const vigil__pname *a, const vigil__pname *b, vigil__json *why);
/* vigil__name_score when that is floor or more; otherwise a value under
 * floor, found without scoring the name to its end when its words show it
 * cannot reach floor (most names a query's keys find cannot). */
double vigil__name_score_floor(const vigil__pname *a, const vigil__pname *b, double floor);

#define VIGIL__DEFAULT_THRESHOLD 0.85

#endif
