/*
 * engine.c - building the screening engine: every name of the current list
 * versions read from the store, prepared once (on every core) and indexed
 * (index.c); opening it (from its saved file when it is for these versions,
 * snapshot.c), closing it. Screening with it: screen.c. Design:
 * docs/screening.md.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../match/match.h"
#include "../store/store.h"
#include "engine.h"

/* 1 when the text w is a whole word of s (ASCII letters without case). */
static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = s; n && *p; p++)
        if (strncasecmp(p, w, n) == 0 && (p == s || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[n]))
            return 1;
    return 0;
}

/* 1 when tail, the bracketed end of the organisation's name text ("BUTEMBO
 * AIRLINES (BAL)"), is a name of it. It is not when it says where the
 * organisation is ("AL-HARAMAIN FOUNDATION (KENYA)": a country's name),
 * when it is only a legal form ("... COMPANY (LLC)"), or when it is one
 * word that another, longer name of the entity holds ("ELLISSA SAL
 * (HOLDING)" beside "ELLISSA HOLDING"): then it says what kind of company
 * that is. As a name of its own, each would be a listed name that every
 * company of that country or kind meets. */
static int tail_is_name(json_t *names, const char *text, const char *tail)
{
    if (strlen(tail) > 3 && vigil__country_code(tail))
        return 0;
    vigil__pname *p = malloc(sizeof(*p));
    int words = p && vigil__name_prepare(tail, VIGIL__CLASS_ORG, p) == 0 ? p->n : 0;
    free(p);
    if (words == 0)
        return 0;
    if (strpbrk(tail, " \t"))
        return 1;
    size_t i;
    json_t *v;
    json_array_foreach(names, i, v)
    {
        const char *other = json_string_value(json_object_get(v, "name"));
        if (other && strcmp(other, text) != 0 && strcasecmp(other, tail) != 0 &&
            has_word(other, tail))
            return 0;
    }
    return 1;
}

/* Adds text as a name of entity en (number eid), to be prepared later, in
 * parallel (prepare_names): a Cyrillic or Arabic-script name twice, read as
 * its languages say it and letter for letter (VIGIL__LANG_SCHOLARLY:
 * vigil__readings).
 * 0, or -1 (memory). */
static int add_name(vigil_engine *e, size_t *names_cap, const vigil__entity *en, uint32_t eid,
                    const char *text, int weak)
{
    int readings = vigil__readings(text);
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
            vigil__norm_id(num, n, sizeof(n));
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
             (tail_is_name(json_object_get(doc, "names"), text, tail) &&
              add_name(e, names_cap, en, eid, tail, weak) != 0)))
            return -1;
    }
    e->nents++;
    return 0;
}

typedef struct {
    vigil_engine *e;
    _Atomic int failed;
} prep_job;

int vigil__engine_name_lang(const vigil__ename *nm)
{
    return nm->reading ? VIGIL__LANG_SCHOLARLY : -1;
}

/* 1 when nm is a second reading that came out as the first (the name just
 * before it) did, in the same words: kept once. */
static int same_reading(const vigil__ename *nm)
{
    if (!nm->reading || !nm[-1].p || nm[-1].reading)
        return 0;
    const vigil__pname *a = nm->p, *b = nm[-1].p;
    if (a->n != b->n ||
        strcmp(vigil__pname_str(a, a->latin_at), vigil__pname_str(b, b->latin_at)) != 0)
        return 0;
    for (int i = 0; i < a->n; i++)
        if (strcmp(a->tok[i].t, b->tok[i].t) != 0)
            return 0;
    return 1;
}

/* Prepares name i of the job's engine (a worker of vigil__par_for). */
static void prepare_one(void *ctx, size_t i)
{
    prep_job *j = ctx;
    vigil__pname p;
    vigil__ename *nm = &j->e->names[i];
    if (vigil__name_prepare_as(nm->text, j->e->ents[nm->ent].cls, vigil__engine_name_lang(nm),
                               &p) == 0) {
        nm->p = vigil__pname_copy(&p);
        if (!nm->p)
            j->failed = 1;
    }
}

/* Prepares every name on every core (the worker pool), then drops the
 * names that had nothing to prepare. 0, or -1 (memory). */
static int prepare_names(vigil_engine *e)
{
    prep_job job = {e, 0};
    vigil__par_for(e->nnames, vigil__threads(0), prepare_one, &job);
    int failed = job.failed;
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

typedef struct {
    vigil_engine *e;
    vigil_db *db;
    size_t names_cap, ents_cap;
} build_ctx;

/* Adds one stored entity document (a vigil__store_each_doc callback). */
static int build_one(json_t *doc, void *ctx)
{
    build_ctx *b = ctx;
    int r = add_entity(b->e, doc, &b->names_cap, &b->ents_cap);
    if (r == -2)
        return vigil__db_fail(b->db, VIGIL_ERR_DB, "more than %d lists in one database",
                              MAX_SOURCES);
    return r != 0 ? vigil__db_fail(b->db, VIGIL_ERR_NOMEM, "out of memory") : VIGIL_OK;
}

/* Builds e from the current entity documents (since_run 0), or from those
 * added or changed since run since_run. VIGIL_OK or an error code with the
 * message on db. */
static int build_from(vigil_db *db, vigil_engine *e, int64_t since_run)
{
    build_ctx b = {e, db, 0, 0};
    int rc = vigil__store_each_doc(db, since_run, build_one, &b);
    if (rc == VIGIL_OK && prepare_names(e) != 0)
        rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory preparing the names");
    if (rc == VIGIL_OK && vigil__index_build(e) != 0)
        rc = vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory building the index");
    return rc;
}

/* Builds e from the current versions in db. */
static int build(vigil_db *db, vigil_engine *e)
{
    return build_from(db, e, 0);
}

int vigil__engine_open_changed(vigil_db *db, int64_t since_run, vigil_engine **out)
{
    *out = NULL;
    vigil_engine *e = calloc(1, sizeof(*e));
    if (!e || !(e->versions = vigil__current_versions(db))) {
        free(e);
        return vigil__db_fail(db, VIGIL_ERR_NOMEM, "out of memory");
    }
    int rc = build_from(db, e, since_run);
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
    const char *file = vigil__db_path(db);
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
    if (e->blob_mapped)
        munmap(e->blob, e->blob_len); /* (vigil_engine_open_file mapped it) */
    else
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

size_t vigil_engine_source_entities(const vigil_engine *e, const char *source)
{
    size_t n = 0;
    int src = -1;
    for (int i = 0; e && source && i < e->nsources; i++)
        if (strcmp(e->sources[i], source) == 0)
            src = i;
    for (size_t i = 0; src >= 0 && i < e->nents; i++)
        n += e->ents[i].src == src;
    return n;
}
