/*
 * screen.c - screening one query: its name prepared for each class it may
 * meet, candidates gathered through the index (index.c) by the support of
 * their keys, the best-supported scored by the name matcher, then the other
 * evidence (evidence.c), an explanation for each hit, and the hits of a
 * field's several names merged. Design: docs/screening.md.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../match/match.h"
#include "../match/weights.h"
#include "../store/store.h"
#include "engine.h"

static int source_wanted(const char *sources, const char *source)
{
    if (!sources || !*sources)
        return 1;
    size_t n = strlen(source);
    for (const char *p = sources; *p;) {
        size_t l = strcspn(p, ",");
        if (l == n && strncmp(p, source, n) == 0)
            return 1;
        p += l;
        if (*p)
            p++;
    }
    return 0;
}

typedef struct {
    uint32_t ent;
    uint32_t name;
    double name_score;
    double score;
    /* the evidence, kept for the explanation */
    double date_fx, country_fx;
    const char *date_why, *country_why;
    int gender_differs, same_id;
} cand;

static int cmp_cand(const void *x, const void *y)
{
    const cand *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    return (a->ent > b->ent) - (a->ent < b->ent);
}

static int cmp_posting_len(const void *x, const void *y)
{
    const vigil__posting *a = *(const vigil__posting *const *)x,
                         *b = *(const vigil__posting *const *)y;
    return (a->n > b->n) - (a->n < b->n);
}

/* A name's support from the index, for choosing the names to score. */
typedef struct {
    uint32_t id;
    float w;
} support;

/* Each thread's working memory for queries, kept between them: the support
 * gathered by each name (one float per name, all zero between queries) and
 * the names touched. Freed when the thread ends (a pthread key destructor),
 * so threads the caller does not control (an HTTP server's) leak nothing. */
typedef struct {
    float *w;
    uint32_t *touched;
    support *sup;
    size_t cap;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int scratch_key_ok;

static void scratch_free(void *p)
{
    scratch *s = p;
    if (!s)
        return;
    free(s->w);
    free(s->touched);
    free(s->sup);
    free(s);
}

static void scratch_init(void)
{
    scratch_key_ok = pthread_key_create(&scratch_key, scratch_free) == 0;
}

/* This thread's scratch for n names, or NULL (out of memory). */
static scratch *scratch_get(size_t n)
{
    pthread_once(&scratch_once, scratch_init);
    if (!scratch_key_ok)
        return NULL;
    scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof(*s));
        if (!s || pthread_setspecific(scratch_key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    if (s->cap < n || !s->w) {
        size_t cap = n < 1024 ? 1024 : n;
        free(s->w);
        free(s->touched);
        free(s->sup);
        s->w = calloc(cap, sizeof(float));
        s->touched = malloc(cap * sizeof(uint32_t));
        s->sup = malloc(cap * sizeof(support));
        s->cap = s->w && s->touched && s->sup ? cap : 0;
        if (!s->cap)
            return NULL;
    }
    return s;
}

void vigil__screen_thread_done(void)
{
    pthread_once(&scratch_once, scratch_init);
    if (!scratch_key_ok)
        return;
    scratch_free(pthread_getspecific(scratch_key));
    pthread_setspecific(scratch_key, NULL);
}

/* Moves the k heaviest of sup[0..n) to the front, in no order (quickselect). */
static void heaviest(support *sup, size_t n, size_t k)
{
    if (n <= k)
        return;
    size_t lo = 0, hi = n - 1;
    k--;
    while (lo < hi) {
        float pivot = sup[(lo + hi) / 2].w;
        size_t i = lo, j = hi;
        while (i <= j) {
            while (sup[i].w > pivot)
                i++;
            while (sup[j].w < pivot)
                j--;
            if (i <= j) {
                support t = sup[i];
                sup[i] = sup[j];
                sup[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            break;
    }
}

/* 1 when nm is a person's name of one word and the query's has more. */
static int lone_word(const vigil__pname *qp, const vigil__ename *nm)
{
    return nm->cls == VIGIL__CLASS_PERSON && nm->p->n == 1 && qp->n > 1;
}

/* The query's gender: 1 male, 2 female, 0 not said (or not understood). */
static int query_gender(const vigil_query *q)
{
    if (!q->gender)
        return 0;
    if (vigil__ieq(q->gender, "male") || vigil__ieq(q->gender, "m"))
        return 1;
    if (vigil__ieq(q->gender, "female") || vigil__ieq(q->gender, "f"))
        return 2;
    return 0;
}

/* The class of entity the query can be: its schema's; a person when it names
 * no schema but gives a date of birth or a gender it understands (only people
 * have those: a company's founding date is not its birth, a vessel has no
 * gender), since a customer record with a birth date is a person and should
 * not alert on a ship or a firm that shares a word of its name; else -1, any
 * class. */
static int query_class(const vigil_query *q, int has_dob, int gender)
{
    if (q->schema)
        return vigil__schema_class(q->schema);
    return has_dob || gender ? VIGIL__CLASS_PERSON : -1;
}

/* The explanation of hit c: the name comparison again, with its reasons, and
 * each piece of evidence with its effect; as_person: the query, with no schema,
 * was screened as a person's. malloc'd JSON text, or NULL. */
static char *explain(int as_person, const vigil__pname *qp, const vigil__ename *nm,
                     const cand *c, const char *part)
{
    vigil__json w = {0};
    vigil__json_obj(&w);
    if (part) { /* the one of the query's names that met it */
        vigil__json_key(&w, "query_name");
        vigil__json_str(&w, part);
    }
    if (as_person) {
        /* why only persons were screened */
        vigil__json_key(&w, "query_schema");
        vigil__json_str(&w, "Person (the query gives a date of birth or a gender)");
    }
    vigil__json_key(&w, "name");
    vigil__json_obj(&w);
    double ns = vigil__name_score(qp, nm->p, &w);
    vigil__json_key(&w, "score");
    vigil__json_num(&w, ns);
    if (nm->weak) {
        vigil__json_key(&w, "weak_alias");
        vigil__json_bool(&w, 1);
    }
    if (lone_word(qp, nm)) {
        vigil__json_key(&w, "lone_listed_word");
        vigil__json_bool(&w, 1);
    }
    vigil__json_obj_end(&w);
    vigil__json_key(&w, "evidence");
    vigil__json_arr(&w);
    const char *kinds[] = {"birth_date", "country"};
    const char *whys[] = {c->date_why, c->country_why};
    double fx[] = {c->date_fx, c->country_fx};
    for (int k = 0; k < 2; k++) {
        if (!whys[k])
            continue;
        vigil__json_obj(&w);
        vigil__json_key(&w, "kind");
        vigil__json_str(&w, kinds[k]);
        vigil__json_key(&w, "judged");
        vigil__json_str(&w, whys[k]);
        vigil__json_key(&w, "effect");
        vigil__json_num(&w, fx[k]);
        vigil__json_obj_end(&w);
    }
    if (c->gender_differs) {
        vigil__json_obj(&w);
        vigil__json_key(&w, "kind");
        vigil__json_str(&w, "gender");
        vigil__json_key(&w, "judged");
        vigil__json_str(&w, "different gender");
        vigil__json_key(&w, "effect");
        vigil__json_num(&w, -GENDER_COST);
        vigil__json_obj_end(&w);
    }
    if (c->same_id) {
        vigil__json_obj(&w);
        vigil__json_key(&w, "kind");
        vigil__json_str(&w, "identifier");
        vigil__json_key(&w, "judged");
        vigil__json_str(&w, "same identifier");
        vigil__json_key(&w, "effect");
        vigil__json_str(&w, "decisive");
        vigil__json_obj_end(&w);
    }
    vigil__json_arr_end(&w);
    vigil__json_obj_end(&w);
    return vigil__json_finish(&w);
}

/* The query's name prepared for each class it may meet (want_cls, from
 * query_class, or all three when it is -1): qp[c] malloc'd, or NULL. */
static void query_names(const vigil_query *q, int want_cls, vigil__pname *qp[3])
{
    for (int c = 0; c < 3; c++) {
        qp[c] = NULL;
        if (want_cls >= 0 && c != want_cls)
            continue;
        qp[c] = malloc(sizeof(vigil__pname));
        if (!qp[c])
            continue;
        if (c == VIGIL__CLASS_THING && qp[VIGIL__CLASS_ORG]) {
            /* vessels and aircraft are prepared as organisations are */
            memcpy(qp[c], qp[VIGIL__CLASS_ORG], sizeof(vigil__pname));
            qp[c]->cls = c;
        } else if (vigil__name_prepare(q->name, c, qp[c]) != 0) {
            free(qp[c]);
            qp[c] = NULL;
        }
    }
}

/* The index keys the query looks up: how many, at most max. */
static int query_keys(vigil__pname *const qp[3], uint64_t *keys, int max)
{
    int nk = 0;
    for (int c = 0; c < 3; c++)
        if (qp[c] && !(c == VIGIL__CLASS_THING && qp[VIGIL__CLASS_ORG])) /* the same keys */
            nk += vigil__name_keys(qp[c], keys + nk, max - nk);
    return nk;
}

static int cmp_key(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

int vigil__screen_keys(const vigil_query *q, uint64_t *keys, int max)
{
    if (!q || !q->name || !*q->name)
        return -1;
    if (q->schema && !vigil__schema_canonical(q->schema) &&
        !vigil__ieq(q->schema, "LegalEntity"))
        return -1;
    /* the whole name's keys, and its parts' when it holds several names */
    char parts[VIGIL__MAX_PARTS][VIGIL__PART_LEN];
    int np = vigil__name_parts(q->name, parts, VIGIL__MAX_PARTS);
    vigil__date d;
    int has_dob = q->birth_date && vigil__date_parse(q->birth_date, &d);
    int cls = query_class(q, has_dob, query_gender(q));
    uint64_t all[512];
    int n = 0;
    for (int k = -1; k < np; k++) {
        vigil_query pq = *q;
        if (k >= 0)
            pq.name = parts[k];
        vigil__pname *qp[3];
        query_names(&pq, cls, qp);
        n += query_keys(qp, all + n, k < 0 ? 256 : (512 - n) / (np - k));
        for (int c = 0; c < 3; c++)
            free(qp[c]);
    }
    qsort(all, (size_t)n, sizeof(all[0]), cmp_key);
    int k = 0;
    for (int i = 0; i < n && k < max; i++)
        if (k == 0 || all[i] != keys[k - 1])
            keys[k++] = all[i];
    return k;
}

int vigil__engine_has_key(const vigil_engine *e, uint64_t key)
{
    const vigil__posting *p = vigil__index_slot(e, key);
    return p && p->key == key && p->n > 0;
}

/* Screens q's name as one name; part: the name's text when it is one of
 * several the query's field holds (the explanation says which), else NULL. */
static int screen_one(const vigil_engine *e, const vigil_query *q, const char *part,
                      vigil_hits *out)
{
    memset(out, 0, sizeof(*out));
    double threshold = q->threshold > 0 ? q->threshold : VIGIL_DEFAULT_THRESHOLD;
    size_t limit = q->limit ? q->limit : 10;
    scratch *sc = scratch_get(e->nnames);
    if (!sc)
        return VIGIL_ERR_NOMEM;
    /* the lists wanted, as a mask of the engine's sources */
    uint32_t want_src = 0;
    for (int i = 0; i < e->nsources; i++)
        if (source_wanted(q->sources, e->sources[i]))
            want_src |= 1u << i;
    vigil__date qd;
    memset(&qd, 0, sizeof(qd));
    int has_dob = q->birth_date && vigil__date_parse(q->birth_date, &qd);
    const char *qcountry = q->country ? vigil__country_code(q->country) : NULL;
    int qgender = query_gender(q);
    /* the query prepared for each class it may meet */
    int qcls = query_class(q, has_dob, qgender);
    vigil__pname *qp[3];
    query_names(q, qcls, qp);
    char qid[64] = "";
    if (q->id_number)
        vigil__norm_id(q->id_number, qid, sizeof(qid));

    /* candidates: the names under the query's keys, rarest keys first */
    uint64_t keys[256];
    int nk = query_keys(qp, keys, 256);
    const vigil__posting *lists[256];
    int nl = 0;
    for (int k = 0; k < nk; k++) {
        const vigil__posting *p = vigil__index_slot(e, keys[k]);
        int dup = 0;
        for (int x = 0; p && x < nl; x++)
            dup |= lists[x] == p;
        if (p && p->key && !dup)
            lists[nl++] = p;
    }
    if (nl)
        qsort(lists, (size_t)nl, sizeof(lists[0]), cmp_posting_len);
    /* Each name under the keys gathers the keys' weights, rarer keys weighing
     * more (log N/n); only the best-supported names are scored. The rarest
     * lists are read, up to MAX_POSTINGS names (always one list). */
    size_t budget = 0;
    int use = 0;
    for (; use < nl; use++) {
        if (use > 0 && (lists[use]->n > COMMON_KEY || budget + lists[use]->n > MAX_POSTINGS))
            break;
        budget += lists[use]->n;
    }
    /* only the names of a class the query was prepared for, in a list it
     * wants (by the name's meta byte: class and list) */
    uint8_t wanted[256];
    for (int m = 0; m < 256; m++)
        wanted[m] = (m & 3) < 3 && qp[m & 3] && (m >> 2) < 32 && (want_src >> (m >> 2) & 1);
    size_t nheld = 0;
    for (int l = 0; l < use; l++) {
        float w =
            (float)log((double)(e->nnames + 1) / (double)(lists[l]->n + 1)) + KEY_WEIGHT_MIN;
        const uint32_t *ids = lists[l]->ids;
        for (uint32_t k = 0; k < lists[l]->n; k++) {
            uint32_t id = ids[k];
            if (!wanted[e->meta[id]])
                continue;
            if (sc->w[id] == 0.0f)
                sc->touched[nheld++] = id;
            sc->w[id] += w;
        }
    }
    /* the MAX_SCORED names with the most support; the scratch zeroed again */
    support *sup = sc->sup;
    size_t nsup = 0;
    for (size_t i = 0; i < nheld; i++) {
        uint32_t id = sc->touched[i];
        sup[nsup++] = (support){id, sc->w[id]};
        sc->w[id] = 0.0f;
    }
    heaviest(sup, nsup, MAX_SCORED);
    if (nsup > MAX_SCORED) {
        /* names as well supported as the last one kept are kept too (up to
         * MAX_TIED): which of equals would be cut is chance ("Muhammad
         * Ibrahim" is the name of dozens) */
        float edge = sup[0].w;
        for (size_t c = 1; c < MAX_SCORED; c++)
            edge = sup[c].w < edge ? sup[c].w : edge;
        size_t keep = MAX_SCORED;
        for (size_t c = MAX_SCORED; c < nsup && keep < MAX_TIED; c++)
            if (sup[c].w >= edge) {
                support t = sup[keep];
                sup[keep++] = sup[c];
                sup[c] = t;
            }
        nsup = keep;
    }
    /* and of those, only the ones with a fair share of the best one's
     * support: a name found only through a common word of the query is not
     * the one it means when another holds its rarer words too */
    float top = 0;
    for (size_t c = 0; c < nsup; c++)
        top = sup[c].w > top ? sup[c].w : top;
    size_t kept = 0;
    for (size_t c = 0; c < nsup; c++)
        if (sup[c].w >= top * SUPPORT_SHARE)
            sup[kept++] = sup[c];
    nsup = kept;
    /* The names to score are scattered in memory: ask for them all at once,
     * so that their cache misses overlap instead of following each other. */
    for (size_t c = 0; c < nsup; c++)
        __builtin_prefetch(&e->names[sup[c].id]);
    for (size_t c = 0; c < nsup; c++) {
        const char *np = (const char *)e->names[sup[c].id].p;
        __builtin_prefetch(np);
        __builtin_prefetch(np + 64);
        __builtin_prefetch(np + offsetof(vigil__pname, tok));
        __builtin_prefetch(np + offsetof(vigil__pname, tok) + 64);
    }
    int q_read_twice = vigil__in_twice_read_script(q->name);
    cand *cands = malloc((nsup ? nsup : 1) * sizeof(cand));
    size_t ncand = 0;
    int rc = cands ? VIGIL_OK : VIGIL_ERR_NOMEM;
    for (size_t c = 0; c < nsup && rc == VIGIL_OK; c++) {
        uint32_t id = sup[c].id;
        const vigil__ename *nm = &e->names[id];
        /* a listed name's second reading is for queries in another script
         * (a query in Cyrillic or Arabic script is read by the rules of the
         * first: vigil_compare) */
        if (nm->reading && q_read_twice)
            continue;
        /* a weak alias proves less, and so does a lone listed word: the
         * name must score the more to reach the floor */
        int lone = lone_word(qp[nm->cls], nm);
        double proves = (nm->weak ? WEAK : 1.0) * (lone ? LONE : 1.0);
        double s = vigil__name_score_floor(qp[nm->cls], nm->p, FLOOR / proves);
        if (nm->weak)
            s *= WEAK;
        if (lone)
            s *= LONE;
        if (s < FLOOR)
            continue;
        /* one candidate per entity: its best name */
        size_t x = 0;
        while (x < ncand && cands[x].ent != nm->ent)
            x++;
        if (x < ncand) {
            if (s > cands[x].name_score) {
                cands[x].name_score = s;
                cands[x].name = id;
            }
            continue;
        }
        cands[ncand++] = (cand){.ent = nm->ent, .name = id, .name_score = s};
    }
    /* the other evidence */
    for (size_t i = 0; i < ncand; i++) {
        cand *c = &cands[i];
        const vigil__entity *en = &e->ents[c->ent];
        double v = c->name_score;
        c->date_fx = vigil__date_effect(en, &qd, &c->date_why);
        c->country_fx = vigil__country_effect(en, qcountry, &c->country_why);
        c->gender_differs = qgender && en->gender && qgender != en->gender;
        v += c->date_fx + c->country_fx - (c->gender_differs ? GENDER_COST : 0.0);
        for (int k = 0; qid[0] && k < en->nids; k++)
            c->same_id |= strcmp(en->ids[k], qid) == 0;
        if (c->same_id && v < SAME_ID)
            v = SAME_ID;
        c->score = v > 1.0 ? 1.0 : v < 0.0 ? 0.0 : v;
    }
    if (ncand)
        qsort(cands, ncand, sizeof(cand), cmp_cand);
    size_t n = ncand < limit ? ncand : limit;
    if (rc == VIGIL_OK && n) {
        out->hits = calloc(n, sizeof(vigil_hit));
        if (!out->hits)
            rc = VIGIL_ERR_NOMEM;
    }
    for (size_t i = 0; rc == VIGIL_OK && i < n; i++) {
        const vigil__entity *en = &e->ents[cands[i].ent];
        const vigil__ename *nm = &e->names[cands[i].name];
        vigil_hit *h = &out->hits[i];
        snprintf(h->source, sizeof(h->source), "%s", e->sources[en->src]);
        snprintf(h->source_id, sizeof(h->source_id), "%s", en->source_id);
        snprintf(h->schema, sizeof(h->schema), "%s", en->schema);
        snprintf(h->name, sizeof(h->name), "%s", en->caption ? en->caption : "");
        snprintf(h->matched_name, sizeof(h->matched_name), "%s", nm->text);
        h->score = cands[i].score;
        h->match = h->score >= threshold;
        h->explanation = explain(!q->schema && qcls == VIGIL__CLASS_PERSON, qp[nm->cls], nm,
                                 &cands[i], part);
        if (!h->explanation)
            rc = VIGIL_ERR_NOMEM;
        out->n++;
    }
    free(cands);
    for (int c = 0; c < 3; c++)
        free(qp[c]);
    if (rc != VIGIL_OK)
        vigil_hits_free(out);
    return rc;
}

static int cmp_hit(const void *x, const void *y)
{
    const vigil_hit *a = x, *b = y;
    return (a->score < b->score) - (a->score > b->score);
}

int vigil_screen(const vigil_engine *e, const vigil_query *q, vigil_hits *out)
{
    memset(out, 0, sizeof(*out));
    if (!e || !q || !q->name || !*q->name)
        return VIGIL_ERR_ARG;
    if (q->schema && !vigil__schema_canonical(q->schema) &&
        !vigil__ieq(q->schema, "LegalEntity"))
        return VIGIL_ERR_ARG;
    char parts[VIGIL__MAX_PARTS][VIGIL__PART_LEN];
    int np = vigil__name_parts(q->name, parts, VIGIL__MAX_PARTS);
    if (np == 0)
        return screen_one(e, q, NULL, out);
    /* several names in one field: each part and the whole, and of the hits
     * each entity's best */
    size_t limit = q->limit ? q->limit : 10;
    int rc = screen_one(e, q, NULL, out);
    for (int k = 0; k < np && rc == VIGIL_OK; k++) {
        vigil_query pq = *q;
        pq.name = parts[k];
        vigil_hits ph;
        rc = screen_one(e, &pq, parts[k], &ph);
        if (rc == VIGIL_OK)
            rc = vigil_hits_merge(out, &ph, k == np - 1 ? limit : 0);
        vigil_hits_free(&ph);
    }
    if (rc != VIGIL_OK)
        vigil_hits_free(out);
    return rc;
}

int vigil_hits_merge(vigil_hits *into, vigil_hits *from, size_t limit)
{
    vigil_hit *grown = realloc(into->hits, (into->n + from->n + 1) * sizeof(vigil_hit));
    if (!grown) {
        vigil_hits_free(from);
        return VIGIL_ERR_NOMEM;
    }
    into->hits = grown;
    for (size_t i = 0; i < from->n; i++) {
        vigil_hit *h = &from->hits[i];
        size_t x = 0;
        while (x < into->n && !(strcmp(into->hits[x].source, h->source) == 0 &&
                                strcmp(into->hits[x].source_id, h->source_id) == 0))
            x++;
        if (x == into->n) {
            into->hits[into->n++] = *h;
            h->explanation = NULL;
        } else if (h->score > into->hits[x].score) {
            free(into->hits[x].explanation);
            into->hits[x] = *h;
            h->explanation = NULL;
        }
    }
    vigil_hits_free(from);
    if (into->n)
        qsort(into->hits, into->n, sizeof(vigil_hit), cmp_hit);
    while (limit && into->n > limit)
        free(into->hits[--into->n].explanation);
    return VIGIL_OK;
}

void vigil_hits_free(vigil_hits *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->hits[i].explanation);
    free(h->hits);
    h->hits = NULL;
    h->n = 0;
}

char *vigil_hits_json(const vigil_hits *h)
{
    vigil__json w = {0};
    vigil__json_arr(&w);
    for (size_t i = 0; h && i < h->n; i++) {
        const vigil_hit *x = &h->hits[i];
        vigil__json_obj(&w);
        vigil__json_key(&w, "source");
        vigil__json_str(&w, x->source);
        vigil__json_key(&w, "source_id");
        vigil__json_str(&w, x->source_id);
        vigil__json_key(&w, "schema");
        vigil__json_str(&w, x->schema);
        vigil__json_key(&w, "name");
        vigil__json_str(&w, x->name);
        vigil__json_key(&w, "matched_name");
        vigil__json_str(&w, x->matched_name);
        vigil__json_key(&w, "score");
        vigil__json_num(&w, x->score);
        vigil__json_key(&w, "match");
        vigil__json_bool(&w, x->match);
        vigil__json_key(&w, "explanation");
        vigil__json_raw(&w, x->explanation ? x->explanation : "{}");
        vigil__json_obj_end(&w);
    }
    vigil__json_arr_end(&w);
    return vigil__json_finish(&w);
}

/* ------------------------------------------------------------ suggest */

/* How well listed name p answers the words of prefix q (prepared as the
 * names are): each word of q is a word of p but one, the word being typed,
 * which may begin one; in any order ("putin vlad" answers "Vladimir
 * Vladimirovich PUTIN"; preparing may move words, so which is the last is
 * not known). 0 when it does not; else the share of p's words that q
 * accounts for, so that the shortest name answering comes first. */
static double suggest_fit(const vigil__pname *q, const vigil__pname *p)
{
    if (!q->n || q->n > p->n)
        return 0.0;
    uint32_t used = 0, whole = 0; /* p's words taken; q's words found whole */
    for (int i = 0; i < q->n; i++)
        for (int j = 0; j < p->n && !(whole & (1u << i)); j++)
            if (!(used & (1u << j)) && strcmp(p->tok[j].t, q->tok[i].t) == 0) {
                used |= 1u << j;
                whole |= 1u << i;
            }
    int begun = 0;
    for (int i = 0; i < q->n; i++) {
        if (whole & (1u << i))
            continue;
        int found = 0;
        for (int j = 0; j < p->n && !found; j++)
            if (!(used & (1u << j)) &&
                strncmp(p->tok[j].t, q->tok[i].t, strlen(q->tok[i].t)) == 0) {
                used |= 1u << j;
                found = 1;
            }
        if (!found || ++begun > 1)
            return 0.0;
    }
    return (double)q->n / p->n;
}

int vigil_suggest(const vigil_engine *e, const char *prefix, const char *sources, size_t limit,
                  vigil_hits *out)
{
    memset(out, 0, sizeof(*out));
    if (!e || !prefix || !out)
        return VIGIL_ERR_ARG;
    if (!limit)
        limit = 10;
    vigil__pname *q = malloc(sizeof(vigil__pname));
    if (!q)
        return VIGIL_ERR_NOMEM;
    int rc =
        vigil__name_prepare(prefix, VIGIL__CLASS_PERSON, q) == 0 ? VIGIL_OK : VIGIL_ERR_ARG;
    uint32_t want = 0;
    for (int i = 0; i < e->nsources; i++)
        if (source_wanted(sources, e->sources[i]))
            want |= 1u << i;
    /* each entity's best name: its fit, a listed name before a weak alias */
    cand *best = NULL;
    size_t nbest = 0, cap = 0;
    for (size_t k = 0; rc == VIGIL_OK && k < e->nnames; k++) {
        const vigil__ename *nm = &e->names[k];
        if (!(want & (1u << nm->src)))
            continue;
        double fit = suggest_fit(q, nm->p);
        if (fit <= 0)
            continue;
        fit -= nm->weak ? 0.5 : 0.0;
        if (nbest && best[nbest - 1].ent == nm->ent) { /* an entity's names lie together */
            if (fit > best[nbest - 1].score) {
                best[nbest - 1].score = fit;
                best[nbest - 1].name = (uint32_t)k;
            }
            continue;
        }
        if (nbest == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            cand *more = realloc(best, ncap * sizeof(cand));
            if (!more) {
                rc = VIGIL_ERR_NOMEM;
                break;
            }
            best = more;
            cap = ncap;
        }
        memset(&best[nbest], 0, sizeof(cand));
        best[nbest].ent = nm->ent;
        best[nbest].name = (uint32_t)k;
        best[nbest++].score = fit;
    }
    if (rc == VIGIL_OK && nbest) {
        qsort(best, nbest, sizeof(cand), cmp_cand);
        size_t n = nbest < limit ? nbest : limit;
        out->hits = calloc(n, sizeof(vigil_hit));
        if (!out->hits)
            rc = VIGIL_ERR_NOMEM;
        for (size_t i = 0; rc == VIGIL_OK && i < n; i++) {
            const vigil__entity *en = &e->ents[best[i].ent];
            vigil_hit *h = &out->hits[out->n++];
            snprintf(h->source, sizeof(h->source), "%s", e->sources[en->src]);
            snprintf(h->source_id, sizeof(h->source_id), "%s", en->source_id);
            snprintf(h->schema, sizeof(h->schema), "%s", en->schema);
            snprintf(h->name, sizeof(h->name), "%s", en->caption ? en->caption : "");
            snprintf(h->matched_name, sizeof(h->matched_name), "%s",
                     e->names[best[i].name].text);
            h->score = best[i].score > 0 ? best[i].score : 0.0;
        }
    }
    free(best);
    free(q);
    return rc == VIGIL_ERR_ARG ? VIGIL_OK : rc; /* a prefix with no words suggests nothing */
}
