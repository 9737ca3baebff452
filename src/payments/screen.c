/*
 * screen.c - a payment message screened against the lists (docs/payments.md):
 *   - each party's name, as a person or an organisation as the message says
 *     (both when it does not), with its country, date of birth and
 *     identifiers as evidence; a bank's name as an organisation;
 *   - each BIC against the BICs the lists give their entries, by its first
 *     eight characters (the bank, whatever the branch);
 *   - the countries a message names (addresses, residences, a BIC's country
 *     letters, an IBAN's) and the towns and regions in its addresses against
 *     the jurisdictions sanctioned as a whole (JURISDICTIONS below): a hit of
 *     its own kind;
 *   - free text (remittance information, instructions, address lines) for
 *     whole listed names (every word of the name, in any order; names of
 *     rare words only, WHOLE_NAME_*) and for listed vessels' IMO numbers.
 * The message is held when any hit is a match.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../screen/engine.h"
#include "payments.h"

/* A listed name is looked for whole in free text when it has at least two
 * words whose weights (name.c: 1 for a word, 0.6 for a given name so common
 * that sharing it proves little, 0.8 a patronymic) add up to this: "Akram
 * Turki Hishan al-Mazidih" is, "Ali Hassan" is not (two common given names
 * in a remittance line are two common words). */
#define WHOLE_NAME_WEIGHT 1.6
/* An organisation's name of one word is looked for when it is this long or
 * longer ("Hezbollah", "Al-Shabaab"); shorter single words are too often
 * other words. Persons' and vessels' one-word names are not looked for. */
#define WHOLE_NAME_ONE_WORD 7
#define TEXT_WINDOW 8 /* words of the longest listed name looked for in text */

/* A hash map of nonzero 64-bit keys to 32-bit values (open addressing). */
typedef struct {
    uint64_t *keys;
    uint32_t *vals;
    size_t cap, n;
} map;

static int map_put(map *m, uint64_t k, uint32_t v)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 1024;
        uint64_t *keys = calloc(cap, sizeof(uint64_t));
        uint32_t *vals = calloc(cap, sizeof(uint32_t));
        if (!keys || !vals) {
            free(keys);
            free(vals);
            return -1;
        }
        for (size_t i = 0; i < m->cap; i++)
            if (m->keys[i]) {
                size_t j = m->keys[i] & (cap - 1);
                while (keys[j])
                    j = (j + 1) & (cap - 1);
                keys[j] = m->keys[i];
                vals[j] = m->vals[i];
            }
        free(m->keys);
        free(m->vals);
        m->keys = keys;
        m->vals = vals;
        m->cap = cap;
    }
    size_t j = k & (m->cap - 1);
    while (m->keys[j] && m->keys[j] != k)
        j = (j + 1) & (m->cap - 1);
    if (!m->keys[j]) { /* the first of a key is kept */
        m->keys[j] = k;
        m->vals[j] = v;
        m->n++;
    }
    return 0;
}

static int map_get(const map *m, uint64_t k, uint32_t *v)
{
    if (!m->cap)
        return 0;
    size_t j = k & (m->cap - 1);
    while (m->keys[j]) {
        if (m->keys[j] == k) {
            *v = m->vals[j];
            return 1;
        }
        j = (j + 1) & (m->cap - 1);
    }
    return 0;
}

static void map_free(map *m)
{
    free(m->keys);
    free(m->vals);
}

/* What screening one party's name found: payments name the same parties
 * again and again (a bank's customers pay the same people), so each
 * screener keeps the matches of the last names it screened, by all that
 * the screening read (name, schema, date of birth, country, identifier,
 * threshold): the same question, the same answer, only sooner. A slot is
 * overwritten by the next name that falls in it. */
#define CACHE_SLOTS 65536 /* a power of two */
#define CACHE_LOCKS 256
typedef struct {
    uint64_t h; /* 0: empty */
    char *key;
    vigil_hit *hits;
    size_t n;
} cached;

struct vigil_payments {
    const vigil_engine *e;
    map bics;  /* the first 8 characters of a listed BIC -> entity */
    map imos;  /* a listed vessel's IMO number -> entity */
    map names; /* the words of a listed name, in any order -> name */
    cached *cache;
    pthread_mutex_t locks[CACHE_LOCKS];
};

static uint64_t key_of(const char *s, size_t n)
{
    uint64_t h = vigil__hash64n(s, n);
    return h ? h : 1;
}

/* The words of a bag, in any order: a sum of mixed hashes. */
static uint64_t bag_add(uint64_t bag, uint64_t word)
{
    uint64_t x = word * 0x9E3779B97F4A7C15ull;
    x ^= x >> 31;
    return bag + x * 0xBF58476D1CE4E5B9ull;
}

/* Whether token i of p is a word that names (not a particle, an initial or
 * a number). */
static int naming(const vigil__tok *t)
{
    return t->kind == VIGIL__TK_WORD || t->kind == VIGIL__TK_PATRONYMIC;
}

/* The bag key of a listed name when it is looked for whole in text, else 0. */
static uint64_t whole_name_key(const vigil__ename *nm, const vigil__entity *en)
{
    const vigil__pname *p = nm->p;
    int words = 0;
    double weight = 0;
    uint64_t bag = 0;
    for (int i = 0; i < p->n; i++) {
        if (p->tok[i].kind == VIGIL__TK_INITIAL)
            return 0;
        if (!naming(&p->tok[i]))
            continue;
        words++;
        weight += p->tok[i].w;
        bag = bag_add(bag, p->tok[i].th);
    }
    if (words > TEXT_WINDOW || words == 0)
        return 0;
    if (words == 1) {
        int org = en->cls == VIGIL__CLASS_ORG;
        for (int i = 0; i < p->n && org; i++)
            if (naming(&p->tok[i]) && strlen(p->tok[i].t) < WHOLE_NAME_ONE_WORD)
                org = 0;
        if (!org)
            return 0;
    } else if (weight < WHOLE_NAME_WEIGHT) {
        return 0;
    }
    bag = bag_add(bag, (uint64_t)words); /* as many words as the name has */
    return bag ? bag : 1;
}

/* Letters and digits of s, upper case, into out (cap bytes). */
static void alnum_upper(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; s && *s && k + 1 < cap; s++)
        if (isalnum((unsigned char)*s))
            out[k++] = (char)toupper((unsigned char)*s);
    out[k] = '\0';
}

static int looks_bic(const char *s)
{
    size_t n = strlen(s);
    if (n != 8 && n != 11)
        return 0;
    for (size_t i = 0; i < 6; i++)
        if (!isalpha((unsigned char)s[i]))
            return 0;
    return 1;
}

/* A listed vessel's IMO number: seven digits (after "IMO", when written). */
static int imo_digits(const char *s, char out[8])
{
    if (!strncmp(s, "IMO", 3))
        s += 3;
    if (strlen(s) != 7)
        return 0;
    for (int i = 0; i < 7; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    memcpy(out, s, 8);
    return 1;
}

int vigil_payments_open(const vigil_engine *e, vigil_payments **out)
{
    *out = NULL;
    if (!e)
        return VIGIL_ERR_ARG;
    vigil_payments *p = calloc(1, sizeof(*p));
    cached *cache = calloc(CACHE_SLOTS, sizeof(cached));
    if (!p || !cache) {
        free(p);
        free(cache);
        return VIGIL_ERR_NOMEM;
    }
    p->e = e;
    p->cache = cache;
    for (int i = 0; i < CACHE_LOCKS; i++)
        pthread_mutex_init(&p->locks[i], NULL);
    int rc = 0;
    for (size_t i = 0; i < e->nents && !rc; i++) {
        const vigil__entity *en = &e->ents[i];
        for (int k = 0; k < en->nids && !rc; k++) {
            char imo[8];
            if (looks_bic(en->ids[k]))
                rc = map_put(&p->bics, key_of(en->ids[k], 8), (uint32_t)i);
            if (!rc && en->cls == VIGIL__CLASS_THING && imo_digits(en->ids[k], imo))
                rc = map_put(&p->imos, key_of(imo, 7), (uint32_t)i);
        }
    }
    for (size_t k = 0; k < e->nnames && !rc; k++) {
        const vigil__ename *nm = &e->names[k];
        if (nm->weak)
            continue;
        uint64_t key = whole_name_key(nm, &e->ents[nm->ent]);
        if (key)
            rc = map_put(&p->names, key, (uint32_t)k);
    }
    if (rc) {
        vigil_payments_close(p);
        return VIGIL_ERR_NOMEM;
    }
    *out = p;
    return VIGIL_OK;
}

void vigil_payments_close(vigil_payments *p)
{
    if (!p)
        return;
    map_free(&p->bics);
    map_free(&p->imos);
    map_free(&p->names);
    for (size_t i = 0; i < CACHE_SLOTS; i++) {
        for (size_t k = 0; k < p->cache[i].n; k++)
            vigil_free(p->cache[i].hits[k].explanation);
        free(p->cache[i].hits);
        free(p->cache[i].key);
    }
    free(p->cache);
    for (int i = 0; i < CACHE_LOCKS; i++)
        pthread_mutex_destroy(&p->locks[i]);
    free(p);
}

/* ------------------------------------------------------------ jurisdictions */

/* Countries sanctioned as a whole (payments to or through them are
 * prohibited or need a licence), and why. Syria is no longer one: the US
 * and the EU lifted their comprehensive measures in 2025. */
static const struct {
    const char *code, *name, *why;
} JURISDICTIONS[] = {
    {"KP", "North Korea",
     "DPRK: UN Security Council resolution 1718 and after; EU, UK and US (comprehensive) "
     "measures"},
    {"IR", "Iran", "Iran: US comprehensive sanctions (ITSR, 31 CFR 560); EU and UK measures"},
    {"CU", "Cuba", "Cuba: US comprehensive embargo (CACR, 31 CFR 515)"},
};

/* Regions sanctioned as a whole, by the places in them an address names
 * (lower-case Latin, as the address reads once transliterated). */
static const struct {
    const char *place, *region;
} REGIONS[] = {
    {"crimea", "Crimea"},     {"krym", "Crimea"},      {"sevastopol", "Crimea"},
    {"simferopol", "Crimea"}, {"kerch", "Crimea"},     {"yalta", "Crimea"},
    {"feodosia", "Crimea"},   {"feodosiya", "Crimea"}, {"yevpatoria", "Crimea"},
    {"evpatoriya", "Crimea"}, {"dzhankoi", "Crimea"},  {"donetsk", "Donetsk"},
    {"makiivka", "Donetsk"},  {"makeevka", "Donetsk"}, {"horlivka", "Donetsk"},
    {"gorlovka", "Donetsk"},  {"luhansk", "Luhansk"},  {"lugansk", "Luhansk"},
    {"alchevsk", "Luhansk"},  {"dnr", "Donetsk"},      {"lnr", "Luhansk"},
};

static const char *region_why(const char *region)
{
    return !strcmp(region, "Crimea")
               ? "Crimea and Sevastopol: EU (Regulation 692/2014), UK and US (EO 13685) "
                 "embargo"
               : "the so-called Donetsk and Luhansk People's Republics: EU (Regulation "
                 "2022/263), UK and US (EO 14065) embargo";
}

/* ------------------------------------------------------------- the result */

typedef struct {
    const vigil_payments *p;
    double threshold;
    vigil__json w; /* the hits */
    int nhits;
} result;

/* A hit's common members; the caller adds its reasons and closes it. */
static void hit_open(result *r, const char *kind, const char *role, const char *path, int line,
                     const char *value, double score)
{
    vigil__json *w = &r->w;
    vigil__json_obj(w);
    vigil__json_key(w, "kind");
    vigil__json_str(w, kind);
    vigil__json_key(w, "role");
    if (role)
        vigil__json_str(w, role);
    else
        vigil__json_raw(w, "null");
    vigil__json_key(w, "path");
    vigil__json_str(w, path);
    vigil__json_key(w, "line");
    vigil__json_num(w, line);
    vigil__json_key(w, "value");
    vigil__json_str(w, value);
    vigil__json_key(w, "score");
    vigil__json_num(w, score);
    vigil__json_key(w, "match");
    vigil__json_bool(w, score >= r->threshold);
    r->nhits++;
}

/* The listed entity of a hit. */
/* A hit's entity members: which entry, its name, the name that matched. */
static void entity_members(vigil__json *w, const char *source, const char *source_id,
                           const char *schema, const char *name, const char *matched)
{
    const char *const keys[] = {"source", "source_id", "schema", "entity_name", "matched_name"};
    const char *const vals[] = {source, source_id, schema, name, matched};
    for (int i = 0; i < 5; i++) {
        vigil__json_key(w, keys[i]);
        vigil__json_str(w, vals[i]);
    }
}

static void hit_entity(result *r, uint32_t ent, const char *matched)
{
    const vigil_engine *e = r->p->e;
    const vigil__entity *en = &e->ents[ent];
    entity_members(&r->w, e->sources[en->src], en->source_id, en->schema, en->caption,
                   matched ? matched : en->caption);
}

static void hit_reason(result *r, const char *why)
{
    vigil__json_key(&r->w, "reasons");
    vigil__json_arr(&r->w);
    vigil__json_str(&r->w, why);
    vigil__json_arr_end(&r->w);
    vigil__json_obj_end(&r->w);
}

/* The party hits of pt from hits[0..n) (matches only). */
static void name_hits(result *r, const vigil__party *pt, const vigil_hit *hits, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        const vigil_hit *h = &hits[k];
        hit_open(r, "party", pt->role, pt->name_path[0] ? pt->name_path : pt->path, pt->line,
                 pt->name, h->score);
        vigil__json *w = &r->w;
        entity_members(w, h->source, h->source_id, h->schema, h->name, h->matched_name);
        vigil__json_key(w, "explanation");
        vigil__json_raw(w, h->explanation ? h->explanation : "{}");
        vigil__json_obj_end(w);
    }
}

/* Keeps the matches of hits in the slot of key (taking their explanations). */
static void cache_put(const vigil_payments *p, uint64_t h, const char *key, vigil_hits *hits)
{
    size_t n = 0;
    for (size_t k = 0; k < hits->n; k++)
        n += hits->hits[k].match != 0;
    vigil_hit *keep = n ? calloc(n, sizeof(vigil_hit)) : NULL;
    char *kc = strdup(key);
    if ((n && !keep) || !kc) {
        free(keep);
        free(kc);
        return;
    }
    size_t j = 0;
    for (size_t k = 0; k < hits->n; k++)
        if (hits->hits[k].match) {
            keep[j] = hits->hits[k];
            hits->hits[k].explanation = NULL; /* now the cache's */
            j++;
        }
    size_t slot = h & (CACHE_SLOTS - 1);
    pthread_mutex_t *lock = (pthread_mutex_t *)&p->locks[slot % CACHE_LOCKS];
    pthread_mutex_lock(lock);
    cached *c = &p->cache[slot];
    for (size_t k = 0; k < c->n; k++)
        vigil_free(c->hits[k].explanation);
    free(c->hits);
    free(c->key);
    c->h = h;
    c->key = kc;
    c->hits = keep;
    c->n = n;
    pthread_mutex_unlock(lock);
}

/* Writes the cached matches of key as pt's hits; 0 when not cached. */
static int cache_hits(result *r, uint64_t h, const char *key, const vigil__party *pt)
{
    size_t slot = h & (CACHE_SLOTS - 1);
    pthread_mutex_t *lock = (pthread_mutex_t *)&r->p->locks[slot % CACHE_LOCKS];
    pthread_mutex_lock(lock);
    const cached *c = &r->p->cache[slot];
    int found = c->h == h && c->key && strcmp(c->key, key) == 0;
    if (found)
        name_hits(r, pt, c->hits, c->n);
    pthread_mutex_unlock(lock);
    return found;
}

/* A party's name screened as the message says it is. */
static int screen_name(result *r, const vigil__party *pt)
{
    if (!pt->name)
        return 0;
    const char *schema = pt->kind == VIGIL__PARTY_PERSON ? "Person"
                         : pt->kind == VIGIL__PARTY_ANY  ? NULL
                                                         : "Organization";
    const char *country = pt->country[0]     ? pt->country
                          : pt->residence[0] ? pt->residence
                                             : NULL;
    char id[64] = "";
    if (pt->bic)
        snprintf(id, sizeof(id), "%s", pt->bic);
    else if (pt->ids)
        snprintf(id, sizeof(id), "%.*s", (int)strcspn(pt->ids, " "), pt->ids);
    /* the question whole, as the cache's key */
    char key[VIGIL__PAY_MAX_FIELD + 256];
    snprintf(key, sizeof(key), "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%.6f", pt->name,
             schema ? schema : "", pt->birth_date ? pt->birth_date : "", country ? country : "",
             id, r->threshold);
    uint64_t h = key_of(key, strlen(key));
    if (cache_hits(r, h, key, pt))
        return 0;
    vigil_query q = {pt->name,          schema, pt->birth_date, country, NULL,
                     id[0] ? id : NULL, NULL,   r->threshold,   3};
    vigil_hits hits;
    int rc = vigil_screen(r->p->e, &q, &hits);
    if (rc == VIGIL_ERR_ARG)
        return 0; /* nothing of the name to screen (punctuation only) */
    if (rc != VIGIL_OK)
        return rc;
    for (size_t k = 0; k < hits.n; k++)
        if (hits.hits[k].match)
            name_hits(r, pt, &hits.hits[k], 1);
    cache_put(r->p, h, key, &hits);
    vigil_hits_free(&hits);
    return 0;
}

static void screen_bic(result *r, const vigil__party *pt)
{
    char bic[16];
    alnum_upper(pt->bic, bic, sizeof(bic));
    uint32_t ent;
    if (!looks_bic(bic) || !map_get(&r->p->bics, key_of(bic, 8), &ent))
        return;
    hit_open(r, "bic", pt->role, pt->path, pt->line, pt->bic, 1.0);
    hit_entity(r, ent, NULL);
    hit_reason(r, "the BIC's bank (its first eight characters) is a listed entry's");
}

/* A country the message names, when it is a sanctioned jurisdiction. */
static void screen_country(result *r, const vigil__party *pt, const char *code,
                           const char *what)
{
    for (size_t i = 0; code && code[0] && i < sizeof(JURISDICTIONS) / sizeof(JURISDICTIONS[0]);
         i++)
        if (!strncmp(JURISDICTIONS[i].code, code, 2)) {
            char why[320];
            snprintf(why, sizeof(why),
                     "%s is %s (%s), a jurisdiction sanctioned as a whole: %s", what,
                     JURISDICTIONS[i].code, JURISDICTIONS[i].name, JURISDICTIONS[i].why);
            char value[3] = {code[0], code[1], '\0'};
            hit_open(r, "jurisdiction", pt->role, pt->path, pt->line, value, 1.0);
            hit_reason(r, why);
        }
}

/* The towns and address of a party, for the regions sanctioned as a whole. */
static void screen_places(result *r, const vigil__party *pt)
{
    const char *texts[] = {pt->town, pt->address};
    const char *seen = NULL;
    for (int t = 0; t < 2; t++) {
        if (!texts[t])
            continue;
        char latin[1024];
        if (vigil__to_latin(texts[t], latin, sizeof(latin)) != 0)
            continue;
        for (size_t i = 0; i < sizeof(REGIONS) / sizeof(REGIONS[0]); i++) {
            size_t n = strlen(REGIONS[i].place);
            for (const char *s = strstr(latin, REGIONS[i].place); s;
                 s = strstr(s + 1, REGIONS[i].place)) {
                int starts = s == latin || !isalnum((unsigned char)s[-1]);
                int ends = !isalnum((unsigned char)s[n]);
                if (!starts || !ends || seen == REGIONS[i].region)
                    continue;
                seen = REGIONS[i].region; /* one hit a region a party */
                char why[320];
                snprintf(why, sizeof(why), "the address names %s, in %s: %s", REGIONS[i].place,
                         REGIONS[i].region, region_why(REGIONS[i].region));
                hit_open(r, "jurisdiction", pt->role, pt->path, pt->line, texts[t], 1.0);
                hit_reason(r, why);
                break;
            }
        }
    }
}

/* Free text: the whole listed names and the IMO numbers in it. */
static int screen_text(result *r, const vigil__ptext *x)
{
    const vigil_engine *e = r->p->e;
    /* IMO numbers: seven digits after "IMO", or alone */
    for (const char *s = x->text; *s; s++) {
        if (!isdigit((unsigned char)*s) || (s > x->text && isalnum((unsigned char)s[-1]) &&
                                            !(s - x->text >= 3 && !strncmp(s - 3, "IMO", 3))))
            continue;
        size_t n = 0;
        while (isdigit((unsigned char)s[n]))
            n++;
        uint32_t ent;
        if (n == 7 && !isalnum((unsigned char)s[7]) &&
            map_get(&r->p->imos, key_of(s, 7), &ent)) {
            char imo[8];
            memcpy(imo, s, 7);
            imo[7] = '\0';
            hit_open(r, "imo", NULL, x->path, x->line, imo, 1.0);
            hit_entity(r, ent, NULL);
            hit_reason(r, "a listed vessel's IMO number in the text");
        }
        s += n - 1;
    }
    /* the text's words as a name's would be, a window of them at a time */
    vigil__pname *pn = malloc(sizeof(vigil__pname));
    if (!pn)
        return VIGIL_ERR_NOMEM;
    char chunk[1024];
    const char *s = x->text;
    uint32_t reported[16];
    int nrep = 0;
    while (*s) {
        /* a chunk of at most 20 words (a prepared name holds 24), the last
         * TEXT_WINDOW - 1 of them again in the next, so no window is cut */
        const char *starts[24];
        int words = 0;
        const char *q = s;
        while (*q && words < 20) {
            while (*q && isspace((unsigned char)*q))
                q++;
            if (!*q)
                break;
            starts[words++] = q;
            while (*q && !isspace((unsigned char)*q))
                q++;
        }
        snprintf(chunk, sizeof(chunk), "%.*s", (int)(q - s), s);
        if (words && vigil__name_prepare(chunk, VIGIL__CLASS_PERSON, pn) == 0) {
            uint64_t th[VIGIL__MAX_TOKENS];
            int nw = 0;
            for (int i = 0; i < pn->n; i++)
                if (naming(&pn->tok[i]))
                    th[nw++] = pn->tok[i].th;
            for (int a = 0; a < nw; a++) {
                uint64_t bag = 0;
                for (int k = 1; k <= TEXT_WINDOW && a + k <= nw; k++) {
                    bag = bag_add(bag, th[a + k - 1]);
                    uint64_t key = bag_add(bag, (uint64_t)k);
                    uint32_t name;
                    if (!map_get(&r->p->names, key ? key : 1, &name))
                        continue;
                    int again = 0;
                    for (int j = 0; j < nrep; j++)
                        again |= reported[j] == e->names[name].ent;
                    if (again)
                        continue;
                    if (nrep < 16)
                        reported[nrep++] = e->names[name].ent;
                    hit_open(r, "text", NULL, x->path, x->line, x->text, 1.0);
                    hit_entity(r, e->names[name].ent, e->names[name].text);
                    hit_reason(r, "every word of a listed name, and only those, written "
                                  "together in the text");
                }
            }
        }
        if (!*q || words < 20)
            break;
        s = starts[20 - (TEXT_WINDOW - 1)];
    }
    free(pn);
    return VIGIL_OK;
}

int vigil_message_screen(const vigil_payments *p, const vigil_message *m, double threshold,
                         char **json, int *hold)
{
    *json = NULL;
    if (hold)
        *hold = 0;
    if (!p || !m)
        return VIGIL_ERR_ARG;
    result r = {.p = p, .threshold = threshold > 0 ? threshold : VIGIL_DEFAULT_THRESHOLD};
    vigil__json_arr(&r.w);
    int rc = VIGIL_OK;
    for (size_t i = 0; i < m->nparties && rc == VIGIL_OK; i++) {
        const vigil__party *pt = &m->parties[i];
        rc = screen_name(&r, pt);
        if (pt->bic) {
            screen_bic(&r, pt);
            char bic[16];
            alnum_upper(pt->bic, bic, sizeof(bic));
            if (strlen(bic) >= 6)
                screen_country(&r, pt, bic + 4, "the BIC's country");
        }
        screen_country(&r, pt, pt->country, "the address's country");
        if (strncmp(pt->country, pt->residence, 2) != 0)
            screen_country(&r, pt, pt->residence, "the country of residence");
        if (pt->account && isalpha((unsigned char)pt->account[0]) &&
            isalpha((unsigned char)pt->account[1]) && isdigit((unsigned char)pt->account[2]) &&
            isdigit((unsigned char)pt->account[3]) && strlen(pt->account) >= 15) {
            char cc[3] = {(char)toupper((unsigned char)pt->account[0]),
                          (char)toupper((unsigned char)pt->account[1]), '\0'};
            if (strncmp(cc, pt->country, 2) != 0)
                screen_country(&r, pt, cc, "the IBAN's country");
        }
        screen_places(&r, pt);
    }
    for (size_t i = 0; i < m->ntexts && rc == VIGIL_OK; i++)
        rc = screen_text(&r, &m->texts[i]);
    vigil__json_arr_end(&r.w);
    char *hits = vigil__json_finish(&r.w);
    if (rc != VIGIL_OK || !hits) {
        free(hits);
        return rc != VIGIL_OK ? rc : VIGIL_ERR_NOMEM;
    }
    vigil__json w = {0};
    vigil__json_obj(&w);
    vigil__json_key(&w, "decision");
    vigil__json_str(&w, r.nhits ? "hold" : "pass");
    vigil__json_key(&w, "message");
    vigil__pay_message_json(&w, m);
    vigil__json_key(&w, "hits");
    vigil__json_raw(&w, hits);
    vigil__json_obj_end(&w);
    free(hits);
    *json = vigil__json_finish(&w);
    if (!*json)
        return VIGIL_ERR_NOMEM;
    if (hold)
        *hold = r.nhits > 0;
    return VIGIL_OK;
}
