/*
 * compare.c - how alike two prepared names are, and why.
 *
 * Tokens are paired one to one, best pairs first; each pair scores by what
 * makes them alike (same word, same skeleton across romanisations, an initial,
 * a typing error). A person is judged on how much of the shorter name is
 * found in the other, with a small cost for each extra word of the longer
 * one and for words out of order; an organisation on how much of both names
 * is found, with legal forms and numbers judged apart. Design and the reasons
 * for each weight: docs/matching.md.
 */
#include <math.h>
#include <pthread.h>
#include <string.h>

#include "match.h"
#include "weights.h"

typedef struct {
    double s;
    const char *how;
} tsim;

static double lev_sim(const uint32_t *a, size_t n, const uint32_t *b, size_t m)
{
    size_t mx = n > m ? n : m;
    if (!mx)
        return 1.0;
    return 1.0 - (double)vigil__osa(a, n, b, m) / (double)mx;
}

/* 1 when a, a word from a script that writes few vowels, ends in a long
 * "-i" (a final "y": "nwry", "hsyny") and b, written with its vowels, ends
 * in a consonant ("noor", "hussein"). */
static int ends_unlike(const vigil__tok *a, const vigil__tok *b)
{
    if (!a->vowel_poor || b->vowel_poor || a->len < 3 || b->len < 2)
        return 0;
    char last = b->t[b->len - 1];
    return a->t[a->len - 1] == 'y' && !strchr("aeiouy", last);
}

/* The fewest characters in common that let two words of n and m letters
 * reach PAIR_FLOOR by spelling, by class (person, other): the bound below,
 * decided once for every length instead of for every pair. */
static uint8_t spelling_cmin[2][VIGIL__TOKLEN + 1][VIGIL__TOKLEN + 1];
static pthread_once_t cmin_once = PTHREAD_ONCE_INIT;

static void build_cmin(void)
{
    for (int k = 0; k < 2; k++) {
        const double wj = k == 0 ? SPELLING_JW_PERSON : SPELLING_JW_ORG;
        for (size_t n = 0; n <= VIGIL__TOKLEN; n++)
            for (size_t m = 0; m <= VIGIL__TOKLEN; m++) {
                size_t mx = n > m ? n : m, c = 0;
                for (; c <= mx; c++) {
                    double ub = wj * vigil__jaro_winkler_bound(c, n, m) +
                                (1.0 - wj) * (double)c / (double)(mx ? mx : 1);
                    if (ub >= PAIR_FLOOR)
                        break;
                }
                spelling_cmin[k][n][m] = (uint8_t)c;
            }
    }
}

/* How alike a and b are by their spelling (Jaro-Winkler and the edit
 * distance), 0 under PAIR_FLOOR. Apart from tok_sim_as, which most pairs
 * leave before it (their letters show they cannot be alike), so that they
 * do not pay for its work space. */
__attribute__((noinline)) static tsim spelling(const vigil__tok *a, const vigil__tok *b,
                                               int cls)
{
    /* The spelling score is wj * Jaro-Winkler + (1 - wj) * edit similarity.
     * Persons' names lean on the edit distance: Winkler's bonus for a shared
     * start rewards family names built on one stem that are different names
     * (Albano, Albanese; Sancho, Sanchez; Monteiro, Montenegro). */
    const double wj = cls == VIGIL__CLASS_PERSON ? SPELLING_JW_PERSON : SPELLING_JW_ORG;
    tsim r = {0.0, "different"};
    /* the metrics read code points */
    uint32_t ca[VIGIL__TOKLEN], cb[VIGIL__TOKLEN];
    for (size_t i = 0; i < a->len; i++)
        ca[i] = (unsigned char)a->t[i];
    for (size_t i = 0; i < b->len; i++)
        cb[i] = (unsigned char)b->t[i];
    double jw = vigil__jaro_winkler_short(ca, a->len, cb, b->len);
    /* wj jw + (1 - wj) lv cannot reach the floor when jw is this low: skip
     * the costlier edit distance */
    if (jw >= (PAIR_FLOOR - (1.0 - wj)) / wj) {
        size_t mx = a->len > b->len ? a->len : b->len;
        size_t mn = a->len < b->len ? a->len : b->len;
        /* beyond this distance the pair is under the floor anyway (and not a
         * one-edit typo) */
        double lim = (1.0 - (PAIR_FLOOR - wj * jw) / (1.0 - wj)) * (double)mx;
        size_t maxd = lim > 1.0 ? (size_t)lim : 1;
        size_t d = vigil__osa_bounded(ca, a->len, cb, b->len, maxd);
        r.s = d > maxd ? 0.0 : wj * jw + (1.0 - wj) * (1.0 - (double)d / (double)mx);
        r.how = "spelling";
        /* one typing error in a word long enough to be sure of the rest */
        if (d == 1 &&
            mn >= (cls == VIGIL__CLASS_PERSON ? TYPO_MIN_LEN_PERSON : TYPO_MIN_LEN_ORG) &&
            r.s < PAIR_TYPO) {
            r.s = PAIR_TYPO;
            r.how = "typo";
        }
    }
    return r;
}

/* How alike tokens a and b are. as_words: a patronymic is read as any other
 * word (the second look at a patronymic against a given name). */
static tsim tok_sim_as(const vigil__tok *a, const vigil__tok *b, int cls, int as_words)
{
    tsim r = {0.0, "different"};
    if (a->kind == VIGIL__TK_NUMBER || b->kind == VIGIL__TK_NUMBER) {
        if (a->kind == b->kind && strcmp(a->t, b->t) == 0)
            r = (tsim){1.0, "same number"};
        return r;
    }
    if (a->th == b->th && strcmp(a->t, b->t) == 0)
        return (tsim){1.0, "exact"};
    /* one given name in two languages or scripts, or a nickname */
    if (a->g[0] && b->g[0] && cls == VIGIL__CLASS_PERSON && a->len >= EQUIV_MIN_LEN &&
        b->len >= EQUIV_MIN_LEN)
        for (int x = 0; x < VIGIL__MAX_GROUPS && a->g[x]; x++)
            for (int y = 0; y < VIGIL__MAX_GROUPS && b->g[y]; y++)
                if (a->g[x] == b->g[y])
                    return (tsim){PAIR_EQUIVALENT, "equivalent name"};
    if (a->nick && b->nick && cls == VIGIL__CLASS_PERSON &&
        vigil__names_nicknames(a->th, b->th))
        return (tsim){PAIR_NICKNAME, "nickname"};
    /* a patronymic pairs with a given name only when they are spelt nearly
     * alike (a misspelt patronymic): "Oleksandr" is not "Oleksandrovych" */
    if (!as_words && (a->kind == VIGIL__TK_PATRONYMIC) != (b->kind == VIGIL__TK_PATRONYMIC)) {
        r = tok_sim_as(a, b, cls, 1);
        if (r.s < PAIR_PATRONYMIC_MIN)
            r = (tsim){0.0, "different"};
        return r;
    }
    if (a->kind == VIGIL__TK_INITIAL || b->kind == VIGIL__TK_INITIAL) {
        if (a->t[0] == b->t[0])
            r = (tsim){1.0, "initial"};
        return r;
    }
    /* no letter in common: no spelling likeness, only the skeleton could be
     * alike (and it is made of the same letters) */
    /* Bounds from the characters' counts: with at most c characters in
     * common the edit distance is at least max(n, m) - c, so the spelling
     * score is at most (jw bound + c / max) / 2. Under the floor, only the
     * skeleton can still pair them. (A one-edit typo has c >= max - 1 and
     * is never cut here.) */
    {
        size_t c = vigil__common_bound(a->mask, a->cnt, b->mask, b->cnt);
        size_t mx = a->len > b->len ? a->len : b->len;
        if (c < spelling_cmin[cls != VIGIL__CLASS_PERSON][a->len][b->len] && c + 1 < mx)
            goto phonetic;
    }
    r = spelling(a, b, cls);
phonetic:
    if (a->slen && a->slen == b->slen && a->sh == b->sh && strcmp(a->skel, b->skel) == 0) {
        /* one consonant in common says little ("rivera", "yuriy"); and two
         * words written with their vowels that are spelt unlike each other
         * share a skeleton by chance ("caleb", "gleb"): the skeleton speaks
         * for words from scripts that write few vowels (mhmd, hsyn). A
         * person's name is romanised many ways, so such a pair still counts
         * a little; a firm's name is written one way wherever it is listed,
         * and another firm's word of the same consonants is chance ("Moore
         * Trading", "Amur Trading"): no pair */
        double ph = a->slen >= 3                   ? PAIR_SKELETON_3
                    : a->slen == 2                 ? PAIR_SKELETON_2
                    : (a->len <= 5 && b->len <= 5) ? PAIR_SKELETON_1_SHORT
                                                   : PAIR_SKELETON_1;
        if (!a->vowel_poor && !b->vowel_poor && r.s < SPELT_UNLIKE &&
            ph > PAIR_SKELETON_UNALIKE_PERSON)
            ph = cls == VIGIL__CLASS_PERSON ? PAIR_SKELETON_UNALIKE_PERSON
                                            : PAIR_SKELETON_UNALIKE_ORG;
        /* A script without short vowels still writes a long one at a
         * word's end: Arabic and Persian "-i" (ي, ی: the nisba, which
         * makes a name of a name, Hosseini of Hussein, Nouri of Nour) read
         * as a final "y". A word written with its vowels that ends in a
         * consonant has no such ending: another name, not another
         * spelling (a final vowel, as Mustafa's alif maqsura, may be). */
        if (ends_unlike(a, b) || ends_unlike(b, a))
            ph = 0.0;
        if (ph > r.s) {
            r.s = ph;
            r.how = "phonetic";
        }
    }
    return r;
}

static tsim tok_sim(const vigil__tok *a, const vigil__tok *b, int cls)
{
    return tok_sim_as(a, b, cls, 0);
}

/* A token holding the other reading alt of x. */
static void alt_tok(const vigil__tok *x, const char *alt, vigil__tok *out)
{
    memset(out, 0, sizeof(*out));
    size_t n = strlen(alt);
    memcpy(out->t, alt, n);
    out->len = (uint8_t)n;
    for (size_t i = 0; i < n; i++) {
        out->mask |= 1u << vigil__cbit(alt[i]);
        out->cnt[vigil__cbit(alt[i])]++;
    }
    out->kind = x->kind;
    out->w = x->w;
}

/* tok_sim over the tokens' other readings too (altA, altB: "" for none). */
static tsim tok_sim_alt(const vigil__tok *a, const char *alta, const vigil__tok *b,
                        const char *altb, int cls)
{
    tsim best = tok_sim(a, b, cls);
    vigil__tok aa, bb;
    if (alta[0]) {
        alt_tok(a, alta, &aa);
        tsim t = tok_sim(&aa, b, cls);
        if (t.s > best.s)
            best = (tsim){t.s, "other reading"};
    }
    if (altb[0]) {
        alt_tok(b, altb, &bb);
        tsim t = tok_sim(a, &bb, cls);
        if (t.s > best.s)
            best = (tsim){t.s, "other reading"};
        if (alta[0]) {
            t = tok_sim(&aa, &bb, cls);
            if (t.s > best.s)
                best = (tsim){t.s, "other reading"};
        }
    }
    return best;
}

typedef struct {
    int i, j;
    tsim t;
} pair;

/* The most weight a's token i can bring to the words found (name_score's
 * fa): its own weight, or the heaviest of b's, whichever is lighter; none
 * for an organisation's number, which is judged apart. */
static double row_cap(const vigil__pname *a, int i, double wmax_b)
{
    const vigil__tok *t = &a->tok[i];
    if (t->kind == VIGIL__TK_NUMBER && a->cls != VIGIL__CLASS_PERSON)
        return 0.0;
    return t->w < wmax_b ? t->w : wmax_b;
}

/* Pairs tokens one to one, best first. Returns the number of pairs, or -1
 * as soon as the words compared show that the weight found cannot reach
 * need (0: never): each of a's words brings at most its weight times its
 * best pair's score (row_cap). */
static int align(const vigil__pname *a, const vigil__pname *b, double need, pair *out, int *ma,
                 int *mb)
{
    tsim sim[VIGIL__MAX_TOKENS][VIGIL__MAX_TOKENS];
    double wmax_b = 0, left = 0, found = 0;
    if (need > 0) {
        for (int j = 0; j < b->n; j++)
            wmax_b = b->tok[j].w > wmax_b ? b->tok[j].w : wmax_b;
        for (int i = 0; i < a->n; i++)
            left += row_cap(a, i, wmax_b);
    }
    for (int i = 0; i < a->n; i++) {
        double best = 0;
        for (int j = 0; j < b->n; j++) {
            tsim t = ((a->has_alt >> i | b->has_alt >> j) & 1)
                         ? tok_sim_alt(&a->tok[i], vigil__pname_str(a, a->alt_at[i]),
                                       &b->tok[j], vigil__pname_str(b, b->alt_at[j]), a->cls)
                         : tok_sim(&a->tok[i], &b->tok[j], a->cls);
            /* a name in simplified characters is read in pinyin, the only
             * romanisation mainland names have: a syllable spelt otherwise
             * is another character, another name (畅 张, Chang Zhang, is not
             * CHANG CHANG HA; 红 张 is not Joung Ok HONG) */
            if ((a->pinyin || b->pinyin) && t.s < 1.0)
                t.s = 0.0;
            sim[i][j] = t;
            best = t.s > best ? t.s : best;
        }
        if (need > 0) {
            double cap = row_cap(a, i, wmax_b);
            left -= cap;
            found += best >= PAIR_FLOOR ? cap * best : 0.0;
            /* (a margin for the sums' rounding: what is cut is well under) */
            if (found + left < need - 1e-9)
                return -1;
        }
    }
    pair cand[VIGIL__MAX_TOKENS * VIGIL__MAX_TOKENS];
    int nc = 0;
    for (int i = 0; i < a->n; i++)
        for (int j = 0; j < b->n; j++)
            if (sim[i][j].s >= PAIR_FLOOR)
                cand[nc++] = (pair){i, j, sim[i][j]};
    /* best first; among equals, the pair closest in position */
    for (int x = 1; x < nc; x++)
        for (int y = x; y > 0; y--) {
            pair *p = &cand[y - 1], *q = &cand[y];
            double dp = fabs((double)p->i - p->j), dq = fabs((double)q->i - q->j);
            if (q->t.s > p->t.s || (q->t.s == p->t.s && dq < dp)) {
                pair t = *p;
                *p = *q;
                *q = t;
            } else
                break;
        }
    memset(ma, -1, sizeof(int) * VIGIL__MAX_TOKENS);
    memset(mb, -1, sizeof(int) * VIGIL__MAX_TOKENS);
    int np = 0;
    for (int k = 0; k < nc; k++) {
        pair *p = &cand[k];
        if (ma[p->i] >= 0 || mb[p->j] >= 0)
            continue;
        /* an initial pairs only with a word, never stands for two */
        ma[p->i] = np;
        mb[p->j] = np;
        out[np++] = *p;
    }
    return np;
}

/* Numbers are judged apart (number_factor), not by weight. */
static double side_weight(const vigil__pname *x)
{
    double w = 0;
    for (int i = 0; i < x->n; i++)
        if (x->tok[i].kind != VIGIL__TK_NUMBER || x->cls == VIGIL__CLASS_PERSON)
            w += x->tok[i].w;
    return w;
}

/* How far the paired words are out of order, 0 to 1, counting words only
 * (not particles or initials). A rotation - the family name moved from the
 * end to the front, as many lists write it ("ABDOLLAHI Hamed") - costs
 * little; a shuffle ("SALMAN BIN MUHAMMAD", "MUHAMMAD BIN SALMAN") counts
 * by its share of crossing pairs. */
static double disorder(const vigil__pname *a, const pair *p, int np)
{
    int idx[VIGIL__MAX_TOKENS], k = 0;
    /* the b-positions of the paired words, in a's order */
    for (int i = 0; i < a->n; i++)
        for (int x = 0; x < np; x++)
            if (p[x].i == i && a->tok[i].kind == VIGIL__TK_WORD)
                idx[k++] = p[x].j;
    if (k < 2)
        return 0.0;
    int cross = 0, all = 0;
    for (int x = 0; x < k; x++)
        for (int y = x + 1; y < k; y++) {
            all++;
            cross += idx[x] > idx[y];
        }
    if (!cross)
        return 0.0;
    /* a rotation: one descent, and the last before the first */
    int descents = 0;
    for (int x = 0; x + 1 < k; x++)
        descents += idx[x] > idx[x + 1];
    if (descents == 1 && idx[k - 1] < idx[0])
        return ROTATION_DISORDER;
    return (double)cross / all;
}

/* The tokens of x left unpaired, as a JSON array. */
static void tok_array(vigil__json *w, const vigil__pname *x, const int *m)
{
    vigil__json_arr(w);
    for (int i = 0; i < x->n; i++)
        if (m[i] < 0)
            vigil__json_str(w, x->tok[i].t);
    vigil__json_arr_end(w);
}

/* The legal forms of x, as a JSON array. */
static void legal_array(vigil__json *w, const vigil__pname *x)
{
    vigil__json_arr(w);
    for (int i = 0; i < x->nlegal; i++)
        vigil__json_str(w, x->legal[i]);
    vigil__json_arr_end(w);
}

/* Legal forms: the same, the same kind, different, or not on both sides. */
static double legal_factor(const vigil__pname *a, const vigil__pname *b, const char **how)
{
    *how = "not on both sides";
    if (!a->nlegal || !b->nlegal)
        return 1.0;
    for (int i = 0; i < a->nlegal; i++)
        for (int j = 0; j < b->nlegal; j++)
            if (strcmp(a->legal[i], b->legal[j]) == 0) {
                *how = "same";
                return 1.0;
            }
    for (int i = 0; i < a->nlegal; i++)
        for (int j = 0; j < b->nlegal; j++)
            if (a->legal_class[i] == b->legal_class[j]) {
                *how = "same kind";
                return LEGAL_SAME_KIND;
            }
    *how = "different";
    return LEGAL_DIFFERENT;
}

/* 1 when x names an investment vehicle of a numbered series by one of its
 * words (a fund, a trust, a partnership). */
static int series_vehicle(const vigil__pname *x)
{
    static const char *const words[] = {"fund",        "funds",     "partners", "trust",
                                        "partnership", "portfolio", "series"};
    for (int i = 0; i < x->n; i++)
        for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
            if (x->tok[i].kind == VIGIL__TK_WORD && strcmp(x->tok[i].t, words[k]) == 0)
                return 1;
    return 0;
}

/* Numbers must agree: all of one side's numbers found in the other. */
static double number_factor(const vigil__pname *a, const vigil__pname *b, const int *ma,
                            const int *mb, const char **how)
{
    int na = 0, nb = 0, una = 0, unb = 0;
    for (int i = 0; i < a->n; i++)
        if (a->tok[i].kind == VIGIL__TK_NUMBER) {
            na++;
            una += ma[i] < 0;
        }
    for (int j = 0; j < b->n; j++)
        if (b->tok[j].kind == VIGIL__TK_NUMBER) {
            nb++;
            unb += mb[j] < 0;
        }
    *how = na || nb ? "agree" : "none";
    /* a fund, trust or partnership numbered in a series: one sponsor's
     * vehicles, run by one manager, whose control reaches each of them */
    if ((una || unb) && a->cls != VIGIL__CLASS_THING && series_vehicle(a) &&
        series_vehicle(b)) {
        *how = "another of a series";
        return NUMBERS_SERIES;
    }
    if (na && nb && (una || unb)) {
        *how = "differ";
        return NUMBERS_DIFFER;
    }
    if ((na && !nb) || (nb && !na)) {
        /* "Management Company 23" is not "Management Company"; a vessel's
         * name is often written without its number ("Victory 3"), and its
         * IMO number, not its name, settles which ship it is */
        *how = "on one side only";
        return a->cls == VIGIL__CLASS_THING ? NUMBERS_ONE_SIDE_VESSEL : NUMBERS_ONE_SIDE;
    }
    return 1.0;
}

/* The other side of an acronym: "PLA" and "People's Liberation Army". */
static int acronym(const vigil__pname *s, const vigil__pname *l)
{
    if (s->n != 1 || l->n < 2 || s->tok[0].len != l->n || s->tok[0].kind != VIGIL__TK_WORD)
        return 0;
    for (int i = 0; i < l->n; i++)
        if (l->tok[i].t[0] != s->tok[0].t[i])
            return 0;
    return 1;
}

/* vigil__name_score, or below floor (-1) as soon as the name is sure to
 * score under it (floor 0: never). */
static double name_score(const vigil__pname *a, const vigil__pname *b, vigil__json *why,
                         double floor)
{
    pthread_once(&cmin_once, build_cmin);
    double wa = side_weight(a), wb = side_weight(b);
    /* run together: "VladimirPutin", "SiemensAG", "Goodwill" */
    size_t jmax = a->jlen > b->jlen ? a->jlen : b->jlen;
    size_t jdiff = a->jlen > b->jlen ? a->jlen - b->jlen : b->jlen - a->jlen;
    /* only where words were run together or split, and the lengths allow an
     * edit similarity of 0.85 */
    double jub = 0.0;
    size_t jc = 0;
    if (a->n != b->n && (double)jdiff <= JOINED_LEN_DIFF * (double)jmax) {
        jc = vigil__common_bound(a->jmask, a->jcnt, b->jmask, b->jcnt);
        jub = vigil__jaro_winkler_bound(jc, a->jlen, b->jlen);
    }
    /* the name run together is judged as a word is: one typing error in it
     * is a typo wherever it falls ("Andrang Heta", "'Ndrangheta"), though
     * Jaro-Winkler marks a change at the start down (possible only when at
     * most one character is not in common) */
    size_t jmin = a->jlen < b->jlen ? a->jlen : b->jlen;
    int jtypo = a->n != b->n && jdiff <= 1 && jc + 1 >= jmax && !a->pinyin && !b->pinyin &&
                jmin >= (a->cls == VIGIL__CLASS_PERSON ? JOINED_TYPO_MIN_LEN_PERSON
                                                       : JOINED_TYPO_MIN_LEN_ORG);
    int abjad_joined = a->n != b->n && (a->n == 1 || b->n == 1) && (a->abjad || b->abjad);
    int is_acronym = a->cls != VIGIL__CLASS_PERSON && (acronym(a, b) || acronym(b, a));
    /* The words' score is at most the share of weight found (a person's
     * costs and an organisation's legal forms and numbers only lower it:
     * every such factor of weights.h is at most 1, and
     * test_score_floor_exact checks the scores): when nothing else can lift
     * the name, the words found decide whether it can reach the floor, and
     * align stops once it cannot. */
    double need = 0.0;
    if (floor > 0 && jub < JOINED_JW && !jtypo && !abjad_joined && !is_acronym)
        need = floor * (a->cls == VIGIL__CLASS_PERSON ? (wa < wb ? wa : wb) : (wa + wb) / 2);
    pair pairs[VIGIL__MAX_TOKENS];
    int ma[VIGIL__MAX_TOKENS], mb[VIGIL__MAX_TOKENS];
    int np = align(a, b, need, pairs, ma, mb);
    if (np < 0)
        return -1.0;
    double fa = 0, fb = 0; /* weight found on each side */
    for (int k = 0; k < np; k++) {
        if (a->tok[pairs[k].i].kind == VIGIL__TK_NUMBER && a->cls != VIGIL__CLASS_PERSON)
            continue;
        /* a pair proves as much as its lighter word: a word found only as an
         * initial ("BASTRYKIN" and "B.") is found by half */
        double w = a->tok[pairs[k].i].w < b->tok[pairs[k].j].w ? a->tok[pairs[k].i].w
                                                               : b->tok[pairs[k].j].w;
        fa += w * pairs[k].t.s;
        fb += w * pairs[k].t.s;
    }
    double score, order = 0.0, extra = 0.0;
    const char *method = "tokens";
    if (a->cls == VIGIL__CLASS_PERSON) {
        /* the shorter name must be found whole in the longer */
        int a_short = wa <= wb;
        double cov = a_short ? (wa > 0 ? fa / wa : 0) : (wb > 0 ? fb / wb : 0);
        const vigil__pname *l = a_short ? b : a;
        const int *ml = a_short ? mb : ma;
        /* the first of l's paired words: unpaired words before it lead */
        int first_paired = l->n;
        for (int i = 0; i < l->n && first_paired == l->n; i++)
            if (ml[i] >= 0 && l->tok[i].kind == VIGIL__TK_WORD)
                first_paired = i;
        /* (only where the shorter name has two words or more found: a lone
         * family name, "President Erdoğan", leaves the given names out) */
        int sh_words = 0;
        for (int k = 0; k < np; k++)
            sh_words += a->tok[pairs[k].i].kind == VIGIL__TK_WORD &&
                        b->tok[pairs[k].j].kind == VIGIL__TK_WORD;
        /* (and not where a name of two words is found in l with words
         * between them: a son's name is his own given name and then his
         * father's whole name, while a given name and a family name found
         * apart are the usual short form of a full name with its middle
         * names, "Boris Johnson" of "Alexander Boris de Pfeffel Johnson") */
        int last_paired = -1, gap = 0;
        for (int i = first_paired; i < l->n; i++)
            if (ml[i] >= 0) {
                gap |= last_paired >= 0 && i > last_paired + 1;
                last_paired = i;
            }
        gap &= sh_words == 2 && (a_short ? a : b)->n == 2;
        double leading = 0.0;
        for (int i = 0; i < l->n; i++)
            if (ml[i] < 0) {
                extra += l->tok[i].w;
                if (i < first_paired && l->tok[i].kind == VIGIL__TK_WORD && sh_words >= 2 &&
                    !gap)
                    leading += l->tok[i].w;
            }
        /* counted once: a relative differs by one leading given name, which
         * may be written in two words ("Abdul Jalil"); more cost as extra
         * words do */
        if (leading > LEADING_WORDS_MAX)
            leading = LEADING_WORDS_MAX;
        order = disorder(a, pairs, np);
        /* one word against a full name, found only approximately ("Michaela",
         * "Michelle Obama"): one more doubt; a lone given name ("John",
         * "Adam") found in a full name proves little */
        const vigil__pname *sh = a_short ? a : b;
        if (sh->n == 1 && l->n > 1 && np == 1 && pairs[0].t.s < 1.0)
            cov *= ONE_WORD_APPROX;
        /* (unless it is found as the longer name's last word, where family
         * names stand: "President Erdoğan", whose name is a given name too) */
        int as_family =
            np == 1 && (a_short ? pairs[0].j : pairs[0].i) == l->n - 1 && pairs[0].t.s >= 1.0;
        if (sh->n == 1 && l->n > 1 && (sh->tok[0].g[0] || sh->tok[0].w < 1.0f) && !as_family)
            cov *= LONE_GIVEN_NAME;
        /* one full word found, the others only through initials */
        int words_found = 0, initials_found = 0, given_found = 0;
        for (int k = 0; k < np; k++) {
            const vigil__tok *x = &a->tok[pairs[k].i], *y = &b->tok[pairs[k].j];
            if (x->kind == VIGIL__TK_INITIAL || y->kind == VIGIL__TK_INITIAL) {
                initials_found += x->kind != y->kind;
            } else if (x->kind == VIGIL__TK_WORD && y->kind == VIGIL__TK_WORD) {
                words_found++;
                given_found = x->g[0] && y->g[0];
            }
        }
        if (words_found == 1 && initials_found >= 1)
            cov *= given_found ? GIVEN_NAME_AND_INITIALS : INITIALS_ONLY;
        score = cov *
                (1.0 - EXTRA_WORD_COST * (extra - leading) - LEADING_WORD_COST * leading) *
                (1.0 - ORDER_COST * order);
    } else {
        score = (wa + wb) > 0 ? (fa + fb) / (wa + wb) : 0.0;
    }
    double joined = 0.0;
    if (jub >= JOINED_JW || jtypo) {
        uint32_t ca[128], cb[128];
        const char *ja = vigil__pname_str(a, a->joined_at),
                   *jb = vigil__pname_str(b, b->joined_at);
        for (size_t i = 0; i < a->jlen; i++)
            ca[i] = (unsigned char)ja[i];
        for (size_t i = 0; i < b->jlen; i++)
            cb[i] = (unsigned char)jb[i];
        double jw = vigil__jaro_winkler_short(ca, a->jlen, cb, b->jlen);
        if ((a->pinyin || b->pinyin) && strcmp(ja, jb) != 0)
            jw = 0.0; /* pinyin run together: the same letters or another name */
        if (jw >= JOINED_JW) {
            double lv = lev_sim(ca, a->jlen, cb, b->jlen);
            if (lv >= JOINED_EDIT)
                joined = (jw + lv) / 2.0;
        }
        if (jtypo && joined < PAIR_TYPO && vigil__osa_bounded(ca, a->jlen, cb, b->jlen, 1) == 1)
            joined = PAIR_TYPO;
    }
    if (abjad_joined && score < ABJAD_JOINED) {
        /* "bd allh" (عبد الله) and "Abdullah" share their consonants. Only
         * when a name was written in a script without short vowels: between names
         * spelt with theirs, the consonants run together say little ("Tammy
         * Mary Smith" and "Timur Samatov" are both tmrsmt). And only against
         * a name of one word, the name written together: where both have
         * several, their words are compared one by one ("ylda dadfr", Yalda
         * Dadfar, and "Ali Al-Dafeer" are both ldfr) */
        const char *sa = vigil__pname_str(a, a->jskel_at),
                   *sb = vigil__pname_str(b, b->jskel_at);
        if (strlen(sa) >= ABJAD_JOINED_MIN && strcmp(sa, sb) == 0 && joined < ABJAD_JOINED)
            joined = ABJAD_JOINED;
    }
    if (joined > score) {
        score = joined;
        method = "joined";
    }
    if (is_acronym && score < ACRONYM) {
        score = ACRONYM;
        method = "acronym";
    }
    const char *legal_how = "", *num_how = "";
    double lf = 1.0, nf = 1.0;
    if (a->cls != VIGIL__CLASS_PERSON) {
        lf = legal_factor(a, b, &legal_how);
        nf = number_factor(a, b, ma, mb, &num_how);
        score *= lf * nf;
    }
    if (score > 1.0)
        score = 1.0;
    if (score < 0.0)
        score = 0.0;
    if (why) {
        vigil__json_key(why, "method");
        vigil__json_str(why, method);
        vigil__json_key(why, "latin");
        vigil__json_arr(why);
        vigil__json_str(why, vigil__pname_str(a, a->latin_at));
        vigil__json_str(why, vigil__pname_str(b, b->latin_at));
        vigil__json_arr_end(why);
        vigil__json_key(why, "pairs");
        vigil__json_arr(why);
        for (int k = 0; k < np; k++) {
            vigil__json_obj(why);
            vigil__json_key(why, "a");
            vigil__json_str(why, a->tok[pairs[k].i].t);
            vigil__json_key(why, "b");
            vigil__json_str(why, b->tok[pairs[k].j].t);
            vigil__json_key(why, "score");
            vigil__json_num(why, round(pairs[k].t.s * 1000) / 1000);
            vigil__json_key(why, "how");
            vigil__json_str(why, pairs[k].t.how);
            vigil__json_obj_end(why);
        }
        vigil__json_arr_end(why);
        vigil__json_key(why, "unpaired");
        vigil__json_arr(why);
        tok_array(why, a, ma);
        tok_array(why, b, mb);
        vigil__json_arr_end(why);
        if (a->cls == VIGIL__CLASS_PERSON) {
            vigil__json_key(why, "extra_words_weight");
            vigil__json_num(why, round(extra * 100) / 100);
            vigil__json_key(why, "order_changes");
            vigil__json_num(why, round(order * 100) / 100);
        } else {
            vigil__json_key(why, "legal_forms");
            vigil__json_obj(why);
            vigil__json_key(why, "forms");
            vigil__json_arr(why);
            legal_array(why, a);
            legal_array(why, b);
            vigil__json_arr_end(why);
            vigil__json_key(why, "judged");
            vigil__json_str(why, legal_how);
            vigil__json_key(why, "factor");
            vigil__json_num(why, lf);
            vigil__json_obj_end(why);
            vigil__json_key(why, "numbers");
            vigil__json_obj(why);
            vigil__json_key(why, "judged");
            vigil__json_str(why, num_how);
            vigil__json_key(why, "factor");
            vigil__json_num(why, nf);
            vigil__json_obj_end(why);
        }
    }
    return score;
}

double vigil__name_score(const vigil__pname *a, const vigil__pname *b, vigil__json *why)
{
    return name_score(a, b, why, 0.0);
}

double vigil__name_score_floor(const vigil__pname *a, const vigil__pname *b, double floor)
{
    return name_score(a, b, NULL, floor);
}
