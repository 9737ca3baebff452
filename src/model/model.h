/*
 * model.h - the entity model (src/model/): partial dates, countries, and the
 * entity built as a JSON document only through these functions, so that
 * every list's entities have one shape. Included by internal.h.
 */
#ifndef VIGIL_MODEL_H
#define VIGIL_MODEL_H

/* ------------------------------------------------------------------ dates */

/* A date as lists give it: any of year, month and day may be unknown (0).
 * year_to is set for ranges ("1960 to 1962"); circa for approximate dates. */
typedef struct vigil__date {
    int year, month, day;
    int year_to;
    bool circa;
} vigil__date;

/* Parses the date forms of the lists: "1968-11-12", "12/11/1967",
 * "dd/mm/1968", "1968", "Nov 1968", "12 Nov 1968", "circa 1960", "Approximately
 * 1960", "1960 to 1962", "between 1960 and 1962". Returns 1 and fills *d when
 * a year was found and every part is in range, 0 otherwise. */
int vigil__date_parse(const char *s, vigil__date *d);
/* Writes the ISO form ("1968", "1968-11", "1968-11-12") into buf (>= 11). */
void vigil__date_iso(const vigil__date *d, char *buf, size_t size);

/* --------------------------------------------------------------- countries */

/* ISO 3166-1 alpha-2 code (upper case, static string) for a country as the
 * lists write it: a code ("IQ", "IRQ"), an English name or a list's own form
 * ("Iran (Islamic Republic of)", "Korea, North", "Russia"). NULL when unknown.
 * Thread-safe after the first call. */
const char *vigil__country_code(const char *name);

/* ------------------------------------------------------------- the entity */

/* Schemas of screenable entities (docs/lists.md). */
extern const char *const vigil__schemas[];
/* The canonical spelling of a schema name, or NULL if it is not one of ours. */
const char *vigil__schema_canonical(const char *s);

/* An entity is a JSON object built only through these functions, so that every
 * list gives the same shape. Each adder ignores NULL or empty values, squeezes
 * white space, and adds nothing twice. They return 0, or -1 when the value was
 * refused (over VIGIL__MAX_FIELD_BYTES, or out of memory). */
json_t *vigil__ent_new(const char *source, const char *source_id, const char *schema);
int vigil__ent_name(json_t *e, const char *name, const char *kind, const char *lang);
/* A name with its parts; parts may be NULL. Adds nothing when name is empty. */
int vigil__ent_name_parts(json_t *e, const char *name, const char *kind, const char *lang,
                          const char *first, const char *middle, const char *last,
                          const char *strength);
int vigil__ent_birth_date(json_t *e, const char *text);
int vigil__ent_birth_date_parts(json_t *e, const vigil__date *d, const char *text);
int vigil__ent_birth_place(json_t *e, const char *place, const char *country);
/* Country as text or code; resolved to ISO alpha-2 where known. */
int vigil__ent_nationality(json_t *e, const char *country);
int vigil__ent_country(json_t *e, const char *country);
int vigil__ent_gender(json_t *e, const char *gender);
int vigil__ent_identifier(json_t *e, const char *type, const char *number, const char *country,
                          const char *note);
int vigil__ent_address(json_t *e, const char *text, const char *country);
/* Adds value to the string array key ("programmes", "legal_basis", "remarks",
 * "positions", "titles", "un_references", ...). */
int vigil__ent_list(json_t *e, const char *key, const char *value);
/* Sets the string member key ("listed_on", "reference", "imo", "flag", ...);
 * a second value for the same key is kept in "<key>_other" instead. */
int vigil__ent_set(json_t *e, const char *key, const char *value);
/* NULL when the entity is complete enough to store, else the reason. */
const char *vigil__ent_check(const json_t *e);
/* Identifier type canonical name for a list's document type text. Static. */
const char *vigil__id_type(const char *text);

/* -------------------------------------------------- FollowTheMoney's form */

/* The caption of an entity document: its primary name (the first name, the
 * source id). A string inside doc. */
const char *vigil__ftm_caption(json_t *doc);
/* The document's members as FollowTheMoney properties ({"name": [...],
 * "birthDate": [...], "topics": ["sanction"], ...}), a new object. */
json_t *vigil__ftm_properties(json_t *doc);
/* The designation of doc as FollowTheMoney's Sanction entity (id
 * "SOURCE:ID:sanction"): the authority that listed it, its programmes and
 * legal provisions, its listing date; new reference. */
json_t *vigil__ftm_sanction(json_t *doc);

#endif
