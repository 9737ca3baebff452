/*
 * engine.h - the screening engine's data, shared by engine.c (building and
 * screening) and snapshot.c (saving and reading a built engine).
 * Design: docs/screening.md.
 */
#ifndef VIGIL_ENGINE_H
#define VIGIL_ENGINE_H

#include "../match/match.h"

#define MAX_DATES 8
#define MAX_COUNTRIES 8
#define MAX_SOURCES                                                                            \
    32 /* lists an engine can hold (a bit each in a query's mask,
                             and 6 bits in vigil_engine.meta) */

typedef struct {
    uint8_t src; /* index into vigil_engine.sources */
    char *source_id;
    char schema[16];
    int cls;
    char *caption;
    int ndates;
    vigil__date *dates; /* malloc'd (or in the blob), ndates of them */
    int ncountries;
    char countries[MAX_COUNTRIES][3];
    int gender; /* 0 unknown, 1 male, 2 female */
    int nids;
    char **ids; /* identifier numbers, letters and digits only, upper case */
} vigil__entity;

/* One name of an entity. The class and list are copied from the entity, so
 * that the query's filters need not read the entity. */
typedef struct {
    vigil__pname *p;
    char *text;
    uint32_t ent;
    uint8_t weak, cls, src;
    uint8_t reading; /* 1: the scholarly reading of a Cyrillic name (VIGIL__LANG_SCHOLARLY) */
} vigil__ename;

/* The reading a name is prepared in (VIGIL__LANG_SCHOLARLY for a second
 * reading, else -1). */
int vigil__engine_name_lang(const vigil__ename *nm);

typedef struct {
    uint64_t key; /* 0: empty slot */
    uint32_t *ids;
    uint32_t n, cap;
} vigil__posting;

struct vigil_engine {
    char sources[MAX_SOURCES][16];
    int nsources;
    vigil__entity *ents;
    size_t nents;
    vigil__ename *names;
    size_t nnames;
    /* per name, its class and list (cls | src << 2): what the query's filters
     * read for every name the index finds, packed apart from the names so
     * that the filtering stays in cache */
    uint8_t *meta;
    vigil__posting *index;
    size_t index_cap, index_used; /* slots, and slots with a key */
    char *versions;
    /* a saved engine read back (snapshot.c): the names' prepared forms and
     * texts, the entities' strings and the index's lists point into it */
    char *blob;
    size_t blob_len;
    int blob_mapped; /* the blob is a read-only mapping of the file
                        (vigil_engine_open_file), not malloc'd */
};

/* 1 when p points into e's blob (and is not to be freed on its own); its end
 * counts, where an empty list read last lies. */
static inline int vigil__in_blob(const vigil_engine *e, const void *p)
{
    return e->blob && (const char *)p >= e->blob && (const char *)p <= e->blob + e->blob_len;
}

/* Frees everything e holds, not e itself (engine.c). */
void vigil__engine_free_parts(vigil_engine *e);

/* Saves e to path, through a temporary file renamed over it, so that a
 * reader never sees half a file. Returns 0, or -1 (it could not be written;
 * nothing is left behind). */
int vigil__snapshot_save(const vigil_engine *e, const char *path);

/* Reads into e (zeroed) the engine saved at path, when it was saved for
 * these list versions, by this build, with the name data loaded now; its
 * names are checked by preparing a sample again. Returns 0, or -1 (absent,
 * stale or damaged: e is zeroed again and the caller builds the engine). */
int vigil__snapshot_load(vigil_engine *e, const char *path, const char *versions);

/* Builds an engine of the entities added or changed since run since_run
 * (the store says which: store/runs.c), never saved: what a re-screening
 * screens the unchanged customers against. VIGIL_OK or an error with the
 * message on db. */
int vigil__engine_open_changed(vigil_db *db, int64_t since_run, vigil_engine **out);

/* The keys q looks up in an engine's index, sorted and distinct, at most
 * max; -1 when q cannot be screened (no name, an unknown schema). A name
 * sharing none of them with an engine's names can have no hit in it. */
int vigil__screen_keys(const vigil_query *q, uint64_t *keys, int max);
/* 1 when some name of e has key. */
int vigil__engine_has_key(const vigil_engine *e, uint64_t key);

/* The index (index.c). The keys of prepared name p: how many, at most max. */
int vigil__name_keys(const vigil__pname *p, uint64_t *out, int max);
/* The slot of key in e's index: its list, or the empty slot where it would
 * go; NULL when the index is empty. */
vigil__posting *vigil__index_slot(const vigil_engine *e, uint64_t key);
/* Indexes every name of e (and fills e->meta). 0, or -1 (out of memory). */
int vigil__index_build(vigil_engine *e);

/* The other evidence (evidence.c). An identifier number as the engine keeps
 * it: letters and digits only, upper case, into out (cap bytes). */
void vigil__norm_id(const char *s, char *out, size_t cap);
/* The effect on the score of the query's date of birth q against en's
 * dates (0 when either has none), with a word for the explanation in *why
 * (a static string, or NULL). */
double vigil__date_effect(const vigil__entity *en, const vigil__date *q, const char **why);
/* The same for the query's country code (NULL: none) against en's. */
double vigil__country_effect(const vigil__entity *en, const char *code, const char **why);

#endif
