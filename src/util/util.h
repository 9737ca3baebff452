/*
 * util.h - the library's small tools (src/util/): a per-record arena, text
 * helpers and the one hash, a set of hashes, the JSON text writer, whole-file
 * reads and SHA-256, the worker pool; and lib.c, the library-wide entry
 * points. Included by internal.h.
 */
#ifndef VIGIL_UTIL_H
#define VIGIL_UTIL_H

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
/* The scripts of s's letters (ICU's names, static), each once, at most max
 * of them, into out. Returns how many. */
int vigil__scripts_of(const char *s, const char **out, int max);
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

/* ------------------------------------------------------------------ files */

/* One file's content, as read: a list file, one of an OFAC set. */
typedef struct vigil__file {
    const char *path; /* as given, for messages */
    const char *data; /* whole content */
    size_t len;
} vigil__file;

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

/* The worker pool (util/pool.c): threads to use for asked (0: one per core,
 * at most 16; at most 64), and fn(ctx, i) for i in [0, n) on up to nt
 * threads, this one among them. */
int vigil__threads(int asked);
void vigil__par_for(size_t n, int nt, void (*fn)(void *ctx, size_t i), void *ctx);

#endif
