/*
 * engine.c - the screening engine: every name of the current list versions
 * prepared once and indexed, candidates found through the index, scored by
 * the name matcher and adjusted by dates of birth, countries, gender and
 * identifiers. Design: docs/screening.md.
 *
 * The index maps keys of a name's words to the names holding them: the word
 * itself, its consonant skeleton (other romanisations), and its first and
 * last four letters (typing errors in the middle, words run together). A query
 * looks up its own words' keys and scores only the names found, never the
 * whole list. Keys held by very many names ("mohammed") are skipped when the
 * query has rarer ones.
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

#define COMMON_KEY 4000   /* postings past this make a key too common to use alone */
#define FLOOR 0.6         /* names scoring under this are not hits */
#define MAX_SCORED 50     /* names scored per query: the best supported by the index */
#define MAX_TIED 100      /* and those tied with the last of them, up to this many in all */
#define MAX_POSTINGS 6000 /* index entries read per query, rarest keys first */
/* A name is scored only with at least this share of the best-supported
 * name's support. Measured on bench_screen's 10,702 positives: recall is the
 * same from 0 to 0.4 and loses 7 at 0.5, 12 at 0.55; 0.35 leaves a margin. */
#define SUPPORT_SHARE 0.35f
#define WEAK 0.95 /* a weak alias's score is multiplied by this */
/* A person's listed name of one word ("Bentley", "Salahudin") found in a
 * customer's longer name: the customer shares a word with it, most likely
 * a family name many people bear, and nothing else says it is the same
 * person; the score is multiplied by this (a date of birth or a country
 * that agrees can still make it a match). */
#define LONE 0.85
#define GENDER_COST 0.1 /* taken off when the genders differ */

/* ----------------------------------------------------------------- keys */

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

static int name_keys(const vigil__pname *p, uint64_t *out, int max)
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

static vigil__posting *slot_of(const vigil_engine *e, uint64_t key)
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
    vigil__posting *p = slot_of(e, key);
    if (!p->key) {
        if ((e->index_used + 1) * 2 > e->index_cap) {
            if (index_grow(e) != 0)
                return -1;
            p = slot_of(e, key);
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

/* ------------------------------------------------------------ building */

static void norm_id(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; *s && k + 1 < cap; s++)
        if (isalnum((unsigned char)*s))
            out[k++] = (char)toupper((unsigned char)*s);
    out[k] = '\0';
}

/* Adds text as a name of entity en (number eid), to be prepared later, in
 * parallel (prepare_names): a Cyrillic name twice, read as its language's
 * English romanisation and as the scholarly one (VIGIL__LANG_SCHOLARLY).
 * 0, or -1 (memory). */
static int add_name(vigil_engine *e, size_t *names_cap, const vigil__entity *en, uint32_t eid,
                    const char *text, int weak)
{
    int readings = vigil__has_cyrillic(text) ? 2 : 1;
    for (int r = 0; r < readings; r++) {
        if (e->nnames == *names_cap) {
            size_t nc = *names_cap ? *names_cap * 2 : 16384;
            vigil__ename *nn = realloc(e->names, nc * sizeof(vigil__ename));
            if (!nn)
                return -1;
            e->names = nn;
            *names_cap = nc;
        }
        vigil__ename *nm = &e->names[e->nnames];
        nm->p = NULL;
        nm->text = strdup(text);
        nm->ent = eid;
        nm->weak = (uint8_t)weak;
        nm->cls = (uint8_t)en->cls;
        nm->src = en->src;
        nm->reading = (uint8_t)r;
        if (!nm->text)
            return -1;
        e->nnames++;
    }
    return 0;
}

/* Adds the stored entity doc and its names (prepared later). Returns 0, -1
 * (out of memory) or -2 (more lists than MAX_SOURCES). */
static int add_entity(vigil_engine *e, json_t *doc, size_t *names_cap, size_t *ents_cap)
{
    if (e->nents == *ents_cap) {
        size_t nc = *ents_cap ? *ents_cap * 2 : 4096;
        vigil__entity *ne = realloc(e->ents, nc * sizeof(vigil__entity));
        if (!ne)
            return -1;
        e->ents = ne;
        *ents_cap = nc;
    }
    vigil__entity *en = &e->ents[e->nents];
    memset(en, 0, sizeof(*en));
    const char *source = json_string_value(json_object_get(doc, "source"));
    int src = 0;
    while (src < e->nsources && strcmp(e->sources[src], source ? source : "") != 0)
        src++;
    if (src == e->nsources) {
        if (src == MAX_SOURCES)
            return -2;
        snprintf(e->sources[e->nsources++], sizeof(e->sources[0]), "%s", source ? source : "");
    }
    en->src = (uint8_t)src;
    snprintf(en->schema, sizeof(en->schema), "%s",
             json_string_value(json_object_get(doc, "schema")));
    en->source_id = strdup(json_string_value(json_object_get(doc, "source_id")));
    en->cls = vigil__schema_class(en->schema);
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, "birth_dates"), i, v)
    {
        const char *d = json_string_value(json_object_get(v, "date"));
        vigil__date dt;
        if (d && en->ndates < MAX_DATES && vigil__date_parse(d, &dt)) {
            const char *to = json_string_value(json_object_get(v, "to"));
            if (to)
                dt.year_to = atoi(to);
            dt.circa = json_is_true(json_object_get(v, "circa"));
            vigil__date *nd = realloc(en->dates, (size_t)(en->ndates + 1) * sizeof(*nd));
            if (!nd)
                return -1;
            en->dates = nd;
            en->dates[en->ndates++] = dt;
        }
    }
    const char *keys[] = {"nationalities", "countries"};
    for (int k = 0; k < 2; k++)
        json_array_foreach(json_object_get(doc, keys[k]), i, v)
        {
            const char *c = json_string_value(v);
            int dup = 0;
            for (int x = 0; c && x < en->ncountries; x++)
                dup |= strcmp(en->countries[x], c) == 0;
            if (c && !dup && en->ncountries < MAX_COUNTRIES)
                snprintf(en->countries[en->ncountries++], 3, "%s", c);
        }
    const char *g = json_string_value(json_object_get(doc, "gender"));
    en->gender = g ? (strcmp(g, "male") == 0 ? 1 : 2) : 0;
    json_t *ids = json_object_get(doc, "identifiers");
    if (json_array_size(ids)) {
        en->ids = calloc(json_array_size(ids), sizeof(char *));
        json_array_foreach(ids, i, v)
        {
            char n[64];
            const char *num = json_string_value(json_object_get(v, "number"));
            if (!num || !en->ids)
                continue;
            norm_id(num, n, sizeof(n));
            if (strlen(n) >= 4)
                en->ids[en->nids++] = strdup(n);
        }
    }
    uint32_t eid = (uint32_t)e->nents;
    json_array_foreach(json_object_get(doc, "names"), i, v)
    {
        const char *text = json_string_value(json_object_get(v, "name"));
        const char *kind = json_string_value(json_object_get(v, "kind"));
        if (!text)
            continue;
        if (!en->caption)
            en->caption = strdup(text);
        int weak = kind && strcmp(kind, "weak_alias") == 0;
        if (add_name(e, names_cap, en, eid, text, weak) != 0)
            return -1;
        /* an organisation's name and, in brackets after it, its acronym or
         * another name ("BUTEMBO AIRLINES (BAL)", "ПАО «Мегафон»"): each
         * is a name of it (a person's brackets hold a variant of one word or
         * a remark, "Iury (Yuri) Leonidovich SIVAKOV": not names) */
        char head[VIGIL__PART_LEN], tail[VIGIL__PART_LEN];
        if (en->cls != VIGIL__CLASS_PERSON && vigil__trailing_name(text, head, tail) &&
            (add_name(e, names_cap, en, eid, head, weak) != 0 ||
             add_name(e, names_cap, en, eid, tail, weak) != 0))
            return -1;
    }
    e->nents++;
    return 0;
}

typedef struct {
    vigil_engine *e;
    size_t from, step;
    int failed;
} prep_job;

int vigil__engine_name_lang(const vigil__ename *nm)
{
    return nm->reading ? VIGIL__LANG_SCHOLARLY : -1;
}

/* 1 when nm is a second reading that came out as the first (the name just
 * before it) did: kept once. */
static int same_reading(const vigil__ename *nm)
{
    if (!nm->reading || !nm[-1].p || nm[-1].reading)
        return 0;
    return strcmp(vigil__pname_str(nm->p, nm->p->latin_at),
                  vigil__pname_str(nm[-1].p, nm[-1].p->latin_at)) == 0;
}

static void *prepare_part(void *arg)
{
    prep_job *j = arg;
    vigil__pname *p = malloc(sizeof(*p));
    if (!p) {
        j->failed = 1;
        return NULL;
    }
    for (size_t i = j->from; i < j->e->nnames; i += j->step) {
        vigil__ename *nm = &j->e->names[i];
        if (vigil__name_prepare_as(nm->text, j->e->ents[nm->ent].cls,
                                   vigil__engine_name_lang(nm), p) == 0) {
            nm->p = vigil__pname_copy(p);
            if (!nm->p)
                j->failed = 1;
        }
    }
    free(p);
    vigil__translit_release();
    return NULL;
}

/* Prepares every name, on as many threads as there are cores (at most 8),
 * then drops the names that had nothing to prepare. 0, or -1 (memory). */
static int prepare_names(vigil_engine *e)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores < 1 ? 1 : cores > 8 ? 8 : (size_t)cores;
    prep_job jobs[8];
    pthread_t th[8];
    size_t started = 0;
    for (size_t t = 0; t < nt; t++)
        jobs[t] = (prep_job){e, t, nt, 0};
    for (size_t t = 1; t < nt; t++)
        if (pthread_create(&th[started], NULL, prepare_part, &jobs[t]) == 0)
            started++;
    /* a thread that did not start leaves its share to this one */
    if (started < nt - 1)
        jobs[0] = (prep_job){e, 0, 1, 0};
    prepare_part(&jobs[0]);
    int failed = jobs[0].failed;
    for (size_t t = 0; t < started; t++) {
        pthread_join(th[t], NULL);
        failed |= jobs[t + 1].failed;
    }
    if (failed)
        return -1;
    /* (a name's second reading follows its first: compared before the
     * names move) */
    for (size_t i = e->nnames; i-- > 1;)
        if (e->names[i].p && same_reading(&e->names[i])) {
            free(e->names[i].p);
            e->names[i].p = NULL;
        }
    size_t k = 0;
    for (size_t i = 0; i < e->nnames; i++) {
        if (e->names[i].p)
            e->names[k++] = e->names[i];
        else
            free(e->names[i].text);
    }
    e->nnames = k;
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

static int build_index(vigil_engine *e)
{
    e->meta = malloc(e->nnames ? e->nnames : 1);
    if (!e->meta || index_grow(e) != 0)
        return -1;
    for (size_t i = 0; i < e->nnames; i++)
        e->meta[i] = (uint8_t)(e->names[i].cls | e->names[i].src << 2);
    for (size_t i = 0; i < e->nnames; i++) {
        uint64_t keys[128];
        int nk = name_keys(e->names[i].p, keys, 128);
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

char *vigil__current_versions(vigil_db *db)
{
    vigil_list_version *vs = NULL;
    size_t n = 0;
    json_t *arr = json_array();
    if (vigil_versions(db, &vs, &n) == VIGIL_OK) {
        /* the current version of each source: the last one listed */
        for (size_t i = 0; i < n; i++) {
            int later = 0;
            for (size_t k = i + 1; k < n; k++)
                later |= strcmp(vs[k].source, vs[i].source) == 0;
            if (!later)
                json_array_append_new(arr,
                                      json_pack("{s:s,s:I,s:s,s:s}", "source", vs[i].source,
                                                "version", (json_int_t)vs[i].id, "published",
                                                vs[i].published, "sha256", vs[i].sha256));
        }
    }
    vigil_free(vs);
    char *s = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return s;
}

/* Builds e from the entity documents sql selects (its first column; ?1
 * bound to bind when sql has it). VIGIL_OK or an error code with the message
 * on db. */
static int build_from(vigil_db *db, vigil_engine *e, const char *sql, int64_t bind)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
        return vigil__db_sqlfail(db, "reading the lists");
    if (sqlite3_bind_parameter_count(st) >= 1)
        sqlite3_bind_int64(st, 1, bind);
    size_t names_cap = 0, ents_cap = 0;
    int rc = VIGIL_OK, step;
    while (rc == VIGIL_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *doc = json_loads((const char *)sqlite3_column_text(st, 0), 0, NULL);
        if (!doc)
            rc = vigil__db_fail(db, VIGIL_ERR_DB, "a stored entity is corrupt");
        else {
            int r = add_entity(e, doc, &names_cap, &ents_cap);
            if (r == -2)
                rc = vigil__db_fail(db, VIGIL_ERR_DB, "more than %d lists in one database",
                                    MAX_SOURCES);
            else if (r != 0)
                rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
        }
        json_decref(doc);
    }
    sqlite3_finalize(st);
    if (rc == VIGIL_OK && prepare_names(e) != 0)
        rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory preparing the names");
    if (rc == VIGIL_OK && build_index(e) != 0)
        rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory building the index");
    return rc;
}

/* Builds e from the current versions in db. */
static int build(vigil_db *db, vigil_engine *e)
{
    return build_from(
        db, e,
        "SELECT d.doc FROM version_entity ve JOIN entity_doc d ON d.id = ve.doc_id "
        "WHERE ve.version_id IN (SELECT max(id) FROM list_version GROUP BY source) "
        "ORDER BY ve.version_id, ve.source_id",
        0);
}

int vigil__engine_open_sql(vigil_db *db, const char *sql, int64_t bind, vigil_engine **out)
{
    *out = NULL;
    vigil_engine *e = calloc(1, sizeof(*e));
    if (!e || !(e->versions = vigil__current_versions(db))) {
        free(e);
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    }
    int rc = build_from(db, e, sql, bind);
    if (rc != VIGIL_OK) {
        vigil_engine_close(e);
        return rc;
    }
    *out = e;
    return VIGIL_OK;
}

int vigil_engine_open(vigil_db *db, vigil_engine **out)
{
    *out = NULL;
    if (!db)
        return VIGIL_ERR_ARG;
    vigil_engine *e = calloc(1, sizeof(*e));
    char *versions = vigil__current_versions(db);
    if (!e || !versions) {
        free(e);
        free(versions);
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    }
    /* the engine saved next to a database file, when it is for these
     * versions (snapshot.c); otherwise built, and saved for the next process */
    char saved[4096] = "";
    const char *file = sqlite3_db_filename(db->sql, "main");
    if (file && *file && strlen(file) + sizeof(VIGIL__ENGINE_SUFFIX) < sizeof(saved))
        snprintf(saved, sizeof(saved), "%s" VIGIL__ENGINE_SUFFIX, file);
    if (saved[0] && vigil__snapshot_load(e, saved, versions) == 0) {
        free(versions);
        *out = e;
        return VIGIL_OK;
    }
    e->versions = versions;
    int rc = build(db, e);
    if (rc != VIGIL_OK) {
        vigil_engine_close(e);
        return rc;
    }
    if (saved[0])
        vigil__snapshot_save(e, saved); /* a cache: when it cannot be written, the next
                                           process builds the engine again */
    *out = e;
    return VIGIL_OK;
}

void vigil__engine_free_parts(vigil_engine *e)
{
    for (size_t i = 0; i < e->nents; i++) {
        vigil__entity *en = &e->ents[i];
        if (!vigil__in_blob(e, en->source_id))
            free(en->source_id);
        if (!vigil__in_blob(e, en->caption))
            free(en->caption);
        for (int k = 0; k < en->nids; k++)
            if (!vigil__in_blob(e, en->ids[k]))
                free(en->ids[k]);
        free(en->ids);
        if (!vigil__in_blob(e, en->dates))
            free(en->dates);
    }
    free(e->ents);
    for (size_t i = 0; i < e->nnames; i++) {
        if (!vigil__in_blob(e, e->names[i].p))
            free(e->names[i].p);
        if (!vigil__in_blob(e, e->names[i].text))
            free(e->names[i].text);
    }
    free(e->names);
    free(e->meta);
    for (size_t i = 0; e->index && i < e->index_cap; i++)
        if (!vigil__in_blob(e, e->index[i].ids))
            free(e->index[i].ids);
    free(e->index);
    free(e->versions);
    free(e->blob);
}

void vigil_engine_close(vigil_engine *e)
{
    if (!e)
        return;
    vigil__engine_free_parts(e);
    free(e);
}

const char *vigil_engine_versions(const vigil_engine *e)
{
    return e && e->versions ? e->versions : "[]";
}

int vigil__engine_was_saved(const vigil_engine *e)
{
    return e && e->blob != NULL;
}

size_t vigil_engine_entities(const vigil_engine *e)
{
    return e ? e->nents : 0;
}

size_t vigil_engine_names(const vigil_engine *e)
{
    return e ? e->nnames : 0;
}

/* ------------------------------------------------------------- screening */

/* A full date typed with one digit wrong (1952-10-17 for 1952-10-07), or
 * two neighbouring digits swapped (1925 for 1952): a typing error costs
 * less than a different date, which it most likely is not. */
#define DATE_TYPO_COST (-0.03)

/* 1 when the full dates a and b, written YYYYMMDD, differ in one digit or
 * by two neighbouring digits swapped. */
static int one_digit_apart(const vigil__date *a, const vigil__date *b)
{
    char x[16], y[16];
    snprintf(x, sizeof(x), "%04d%02d%02d", a->year, a->month, a->day);
    snprintf(y, sizeof(y), "%04d%02d%02d", b->year, b->month, b->day);
    if (strlen(x) != 8 || strlen(y) != 8)
        return 0;
    int diff = 0, first = -1;
    for (int i = 0; i < 8; i++)
        if (x[i] != y[i]) {
            if (first < 0)
                first = i;
            diff++;
        }
    if (diff == 1)
        return 1;
    return diff == 2 && first < 7 && x[first] == y[first + 1] && x[first + 1] == y[first];
}

/* Date of birth evidence: returns the effect on the score, and a word. */
static double date_effect(const vigil__entity *en, const vigil__date *q, const char **why)
{
    *why = NULL;
    if (!q->year || !en->ndates)
        return 0.0;
    int near = 0, typo = 0;
    for (int i = 0; i < en->ndates; i++) {
        const vigil__date *d = &en->dates[i];
        int lo = d->year, hi = d->year_to ? d->year_to : d->year;
        int slack = d->circa || q->circa ? 2 : 0;
        if (q->month && q->day && d->month && d->day && one_digit_apart(q, d))
            typo = 1;
        if (q->year < lo - slack || q->year > hi + slack) {
            if (q->year >= lo - 1 && q->year <= hi + 1)
                near = 1;
            continue;
        }
        if (q->month && q->day && d->month && d->day) {
            if (q->month == d->month && q->day == d->day && q->year == d->year) {
                *why = "same date of birth";
                return 0.06;
            }
            if (q->month == d->day && q->day == d->month && q->year == d->year) {
                *why = "same date of birth, day and month swapped";
                return 0.04;
            }
            continue; /* the year agrees, the day does not */
        }
        *why = "same year of birth";
        return 0.03;
    }
    if (typo) {
        *why = "date of birth one digit apart";
        return DATE_TYPO_COST;
    }
    if (near) {
        *why = "year of birth one year apart";
        return -0.03;
    }
    *why = "different date of birth";
    return -0.15;
}

static double country_effect(const vigil__entity *en, const char *code, const char **why)
{
    *why = NULL;
    if (!code || !en->ncountries)
        return 0.0;
    for (int i = 0; i < en->ncountries; i++)
        if (strcmp(en->countries[i], code) == 0) {
            *why = "same country";
            return 0.03;
        }
    *why = "different country";
    return -0.05;
}

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
static int query_class(const vigil_query *q)
{
    if (q->schema)
        return vigil__schema_class(q->schema);
    vigil__date d;
    if ((q->birth_date && vigil__date_parse(q->birth_date, &d)) || query_gender(q))
        return VIGIL__CLASS_PERSON;
    return -1;
}

/* The explanation of hit c: the name comparison again, with its reasons, and
 * each piece of evidence with its effect. malloc'd JSON text, or NULL. */
static char *explain(const vigil_query *q, const vigil__pname *qp, const vigil__ename *nm,
                     const cand *c, const char *part)
{
    vigil__json w = {0};
    vigil__json_obj(&w);
    if (part) { /* the one of the query's names that met it */
        vigil__json_key(&w, "query_name");
        vigil__json_str(&w, part);
    }
    if (!q->schema && query_class(q) == VIGIL__CLASS_PERSON) {
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

/* The query's name prepared for each class it may meet (query_class's, or
 * all three): qp[c] malloc'd, or NULL. */
static void query_names(const vigil_query *q, vigil__pname *qp[3])
{
    int want_cls = query_class(q);
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
            nk += name_keys(qp[c], keys + nk, max - nk);
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
    uint64_t all[512];
    int n = 0;
    for (int k = -1; k < np; k++) {
        vigil_query pq = *q;
        if (k >= 0)
            pq.name = parts[k];
        vigil__pname *qp[3];
        query_names(&pq, qp);
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
    const vigil__posting *p = slot_of(e, key);
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
    /* the query prepared for each class it may meet */
    vigil__pname *qp[3];
    query_names(q, qp);
    vigil__date qd;
    memset(&qd, 0, sizeof(qd));
    if (q->birth_date)
        vigil__date_parse(q->birth_date, &qd);
    const char *qcountry = q->country ? vigil__country_code(q->country) : NULL;
    int qgender = query_gender(q);
    char qid[64] = "";
    if (q->id_number)
        norm_id(q->id_number, qid, sizeof(qid));

    /* candidates: the names under the query's keys, rarest keys first */
    uint64_t keys[256];
    int nk = query_keys(qp, keys, 256);
    const vigil__posting *lists[256];
    int nl = 0;
    for (int k = 0; k < nk; k++) {
        const vigil__posting *p = slot_of(e, keys[k]);
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
    size_t nheld = 0;
    for (int l = 0; l < use; l++) {
        float w = (float)log((double)(e->nnames + 1) / (double)(lists[l]->n + 1)) + 0.1f;
        const uint32_t *ids = lists[l]->ids;
        for (uint32_t k = 0; k < lists[l]->n; k++) {
            uint32_t id = ids[k];
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
        uint8_t m = e->meta[id];
        if (qp[m & 3] && (want_src >> (m >> 2) & 1))
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
    cand *cands = malloc((nsup ? nsup : 1) * sizeof(cand));
    size_t ncand = 0;
    int rc = cands ? VIGIL_OK : VIGIL_ERR_NOMEM;
    for (size_t c = 0; c < nsup && rc == VIGIL_OK; c++) {
        uint32_t id = sup[c].id;
        const vigil__ename *nm = &e->names[id];
        double s = vigil__name_score(qp[nm->cls], nm->p, NULL);
        if (nm->weak)
            s *= WEAK; /* a weak alias proves less */
        if (lone_word(qp[nm->cls], nm))
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
        c->date_fx = date_effect(en, &qd, &c->date_why);
        c->country_fx = country_effect(en, qcountry, &c->country_why);
        c->gender_differs = qgender && en->gender && qgender != en->gender;
        v += c->date_fx + c->country_fx - (c->gender_differs ? GENDER_COST : 0.0);
        for (int k = 0; qid[0] && k < en->nids; k++)
            c->same_id |= strcmp(en->ids[k], qid) == 0;
        if (c->same_id && v < 0.99)
            v = 0.99;
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
        h->explanation = explain(q, qp[nm->cls], nm, &cands[i], part);
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
