/*
 * internal.h - declarations shared inside libvigil (vigil__ prefix).
 *
 * The pieces: a per-record arena (util/arena.c), text helpers (util/text.c),
 * the entity model built as a JSON document (model/entity.c, model/date.c,
 * model/country.c), one parser per list format (lists/ files) feeding a sink that
 * the store implements (store/store.c). Design notes: docs/lists.md.
 */
#ifndef VIGIL_INTERNAL_H
#define VIGIL_INTERNAL_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigil.h"

/* Bounds on input (rule 4: every buffer that grows from input has one). */
#define VIGIL__MAX_FILE_BYTES ((size_t)1 << 30)     /* one list file: 1 GiB */
#define VIGIL__MAX_FIELD_BYTES ((size_t)256 * 1024) /* one field value */
#define VIGIL__MAX_LINE_BYTES ((size_t)4 << 20)     /* one CSV or JSON line */
#define VIGIL__ERRMSG 512

#if defined(__GNUC__)
#define VIGIL__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VIGIL__PRINTF(a, b)
#endif

/* ------------------------------------------------------------------ arena */

/* A bump allocator for strings that live as long as one record. */
typedef struct vigil__arena {
    struct vigil__chunk *head;
} vigil__arena;

/* Returns n + 1 bytes in the arena, the first one NUL, or NULL on OOM. */
char *vigil__arena_alloc(vigil__arena *a, size_t n);
/* Returns a copy of s[0..n) NUL-terminated in the arena, or NULL on OOM. */
char *vigil__arena_strndup(vigil__arena *a, const char *s, size_t n);
/* Frees everything allocated since the arena was empty; the arena stays usable. */
void vigil__arena_reset(vigil__arena *a);

/* ------------------------------------------------------------------- text */

/* Trims ASCII and Unicode white space at both ends and folds inner runs of
 * white space (including newlines) to one space, in place. Returns s. */
char *vigil__squeeze(char *s);
/* 1 if s[0..n) is valid UTF-8 (no overlongs, no surrogates), else 0; on 0,
 * *bad is the offset of the first bad byte. */
int vigil__utf8_valid(const char *s, size_t n, size_t *bad);
/* ASCII case-insensitive equality / prefix test. */
int vigil__ieq(const char *a, const char *b);
int vigil__iprefix(const char *s, const char *prefix);
/* Unicode NFC of s, as a malloc'd string the caller frees; NULL on error. */
char *vigil__nfc(const char *s);
/* The ICU script name ("Latin", "Cyrillic", ...) of the first letter of s
 * whose script is not Common/Inherited; "" when s has none. Static string. */
const char *vigil__script_of(const char *s);
/* The one hash (util/text.c): 64-bit FNV-1a. vigil__hash64 of the
 * NUL-terminated s, vigil__hash64n of n bytes at s, vigil__hash64_more of n
 * more bytes after h (from VIGIL__HASH_START), vigil__hash_mix of one more
 * 64-bit value (a line's hash into a fingerprint). */
#define VIGIL__HASH_START 1469598103934665603ull
#define VIGIL__HASH_PRIME 1099511628211ull
uint64_t vigil__hash64(const char *s);
uint64_t vigil__hash64n(const char *s, size_t n);
uint64_t vigil__hash64_more(uint64_t h, const char *s, size_t n);
static inline uint64_t vigil__hash_mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * VIGIL__HASH_PRIME;
}
/* A set of nonzero 64-bit hashes (util/set64.c); zero-initialise. */
typedef struct vigil__set64 {
    uint64_t *slot;
    size_t cap, n;
} vigil__set64;
/* Adds h (not 0): 1 when added, 0 when held already, -1 out of memory. */
int vigil__set64_add(vigil__set64 *s, uint64_t h);
/* 1 when s holds h. */
int vigil__set64_has(const vigil__set64 *s, uint64_t h);
/* Empties s and frees what it held. */
void vigil__set64_free(vigil__set64 *s);
/* Line number (1-based) of byte offset off in data. */
size_t vigil__line_at(const char *data, size_t len, size_t off);

/* ------------------------------------------------------------ JSON writer */

/* JSON text written directly (util/json.c), for explanations on the hot path.
 * Start from a zeroed vigil__json; write values, keys and containers in order;
 * commas are placed for you. */
#define VIGIL__JW_DEPTH 16
typedef struct vigil__json {
    char *s;
    size_t n, cap;
    int depth, after_key, err;
    unsigned char has[VIGIL__JW_DEPTH];
} vigil__json;

void vigil__json_obj(vigil__json *w);
void vigil__json_obj_end(vigil__json *w);
void vigil__json_arr(vigil__json *w);
void vigil__json_arr_end(vigil__json *w);
/* A member's key; the next value written is its value. */
void vigil__json_key(vigil__json *w, const char *key);
/* A string (NULL is written as ""), escaped. */
void vigil__json_str(vigil__json *w, const char *s);
/* A number with at most four decimals (not finite: 0; from 1e9, four
 * significant digits). */
void vigil__json_num(vigil__json *w, double v);
void vigil__json_bool(vigil__json *w, int v);
/* Text that is already one JSON value. */
void vigil__json_raw(vigil__json *w, const char *json);
/* The text, malloc'd for the caller to free, or NULL when it failed (out of
 * memory, containers left open, too deep). The writer is zeroed again. */
char *vigil__json_finish(vigil__json *w);
/* Drops what was written. */
void vigil__json_reset(vigil__json *w);

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

/* ----------------------------------------------------------- string metrics */

/* Decodes UTF-8 s into at most cap code points (invalid bytes as U+FFFD).
 * Returns how many. */
size_t vigil__utf8_to_cp(const char *s, uint32_t *out, size_t cap);
size_t vigil__levenshtein(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
size_t vigil__damerau(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
/* Optimal string alignment distance (an adjacent transposition is one edit,
 * no substring edited twice): the matcher's edit distance, linear memory. */
size_t vigil__osa(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
/* vigil__osa, or maxd + 1 as soon as the distance must exceed maxd. */
size_t vigil__osa_bounded(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                          size_t maxd);
size_t vigil__hamming(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
double vigil__jaro(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
double vigil__jaro_winkler(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
/* vigil__jaro_winkler for strings of up to 64 code points, faster. */
double vigil__jaro_winkler_short(const uint32_t *a, size_t n, const uint32_t *b, size_t m);
double vigil__jaro_winkler_ex(const uint32_t *a, size_t n, const uint32_t *b, size_t m,
                              int winklerize, int long_tolerance);
/* American Soundex of s into out (>= 9 bytes). Returns 0, -1 on error. */
int vigil__soundex(const char *s, char *out, size_t size);

/* The names one name field holds ("A / B", "A (a.k.a. B, C)", "A; B"), in
 * parts[] (parts.c): how many, 0 when it holds one (then the whole is the
 * name). At most max. */
#define VIGIL__PART_LEN 256
#define VIGIL__MAX_PARTS 8
int vigil__name_parts(const char *text, char parts[][VIGIL__PART_LEN], int max);
/* 1 when text is a name followed by another in brackets at its end,
 * "BUTEMBO AIRLINES (BAL)": head "BUTEMBO AIRLINES", tail "BAL". */
int vigil__trailing_name(const char *text, char head[VIGIL__PART_LEN],
                         char tail[VIGIL__PART_LEN]);

/* The name data built into the library (build/name_data.c, made by
 * scripts/embed-data from data/): the given-name equivalents (gzip), the
 * nickname groups and the legal-form table (text). */
extern const unsigned char vigil__data_given_names[], vigil__data_nicknames[],
    vigil__data_legal_forms[];
extern const size_t vigil__data_given_names_len, vigil__data_nicknames_len,
    vigil__data_legal_forms_len;
/* Loads the built-in name data, once (match/equiv.c): every comparison,
 * preparation and load of further data calls it first. */
void vigil__names_builtin(void);
/* Loads the built-in legal-form table on top of the built-in forms
 * (match/name.c), once. */
void vigil__legal_builtin(void);

/* The readings of Cyrillic text: each language's own romanisation
 * (translit.c). VIGIL__LANG_ANY is every other script's standard one;
 * VIGIL__LANG_SCHOLARLY is ICU's Any-Latin with its diacritics dropped
 * (Щукин shcukin, Жуков zukov), as systems that romanise with ICU and
 * Czech, Slovak and Croatian spellings without their accents write Cyrillic
 * names: a second reading of every listed Cyrillic name. */
enum {
    VIGIL__LANG_ANY = 0,
    VIGIL__LANG_RU,
    VIGIL__LANG_UK,
    VIGIL__LANG_BE,
    VIGIL__LANG_SR,
    VIGIL__LANG_SCHOLARLY,
    VIGIL__LANGS
};
/* The language a text's Cyrillic is read in, from the letters only some of
 * the languages use (і ї є ґ Ukrainian, ў Belarusian, ј љ њ Serbian; the
 * rest Russian); VIGIL__LANG_ANY when it has no Cyrillic letter. */
int vigil__cyrillic_lang(const char *s);
/* Writes in, transliterated to lower-case ASCII Latin, into out (cap bytes):
 * its Cyrillic read as lang (vigil__to_latin: as vigil__cyrillic_lang says),
 * Latin letters written inside Cyrillic words read as the Cyrillic letters
 * they look like ("ДIКIЙ" with a Latin I). Returns 0, -1 when it does not
 * fit or ICU fails (out is then ""). */
int vigil__to_latin(const char *in, char *out, size_t cap);
/* 1 when text holds a simplified Chinese character (one ICU's Hans-Hant
 * writes otherwise): the name is mainland Chinese, written in pinyin. */
int vigil__han_simplified(const char *text);
int vigil__to_latin_as(const char *in, int lang, char *out, size_t cap);
/* Frees this thread's transliterator (it is opened again when needed). */
void vigil__translit_release(void);
/* Frees this thread's screening scratch memory (screen/engine.c). */
void vigil__screen_thread_done(void);
/* For the fuzz target and the corpus replay (screen/snapshot.c): data as a
 * saved engine file, its header's fixed fields made right and its checksum
 * not checked, read, and when it is accepted, screened with. */
void vigil__snapshot_fuzz(const uint8_t *data, size_t size);
/* 1 when e was read from a saved engine rather than built (screen/snapshot.c). */
int vigil__engine_was_saved(const vigil_engine *e);

/* The worker pool (util/pool.c): threads to use for asked (0: one per core,
 * at most 16; at most 64), and fn(ctx, i) for i in [0, n) on up to nt
 * threads, this one among them. */
int vigil__threads(int asked);
void vigil__par_for(size_t n, int nt, void (*fn)(void *ctx, size_t i), void *ctx);

#include "lists/lists.h"

/* Reads a whole file (bounded by VIGIL__MAX_FILE_BYTES) into a malloc'd buffer
 * (NUL-terminated, *len without it). Returns 0 or a vigil_rc with msg set. */
int vigil__read_file(const char *path, char **data, size_t *len, char *msg, size_t msgsize);
/* Reads a name-data file (given names, nicknames, legal forms), plain or
 * gzip, whole into *out (malloc'd, the caller frees), *len bytes. Returns
 * VIGIL_OK, VIGIL_ERR_IO, VIGIL_ERR_NOMEM, or VIGIL_ERR_LIMIT when it holds
 * more than max bytes (a power of two, 64 KiB or more: the buffer doubles
 * from 64 KiB up to it). */
int vigil__read_data_file(const char *path, size_t max, char **out, size_t *len);

/* The saved engine's file is the database's path with this after it. */
#define VIGIL__ENGINE_SUFFIX ".engine"

/* Removes a database file, its WAL and shared-memory files and its saved
 * engine (screen/snapshot.c), ignoring any
 * that are not there. For tests, benchmarks and fuzz targets. */
void vigil__remove_db_files(const char *path);

/* Hex SHA-256 of the files, in order, into hex[65]. */
int vigil__sha256_files(const vigil__file *files, size_t n, char hex[65]);

#endif
