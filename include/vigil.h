/*
 * vigil.h - the only public header of libvigil, the sanctions screening engine.
 *
 * Conventions (docs/architecture.md):
 * - Handles are opaque (vigil_db *). Closing or freeing NULL is a no-op.
 * - Functions that can fail return a vigil_rc: VIGIL_OK (0) or a negative code
 *   from the table below. The handle then holds a message saying where and why
 *   (vigil_errmsg); for list files it names the file and line.
 * - The library never prints, never exits and never aborts on bad input.
 * - Every returned buffer says who frees it.
 */
#ifndef VIGIL_H
#define VIGIL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_VERSION "0.1.0"

/* Result codes. Negative, one table; vigil_strerror() names each. */
typedef enum vigil_rc {
    VIGIL_OK = 0,
    VIGIL_ERR_NOMEM = -1,    /* out of memory */
    VIGIL_ERR_IO = -2,       /* a file could not be opened or read */
    VIGIL_ERR_FORMAT = -3,   /* a list file is malformed or of an unknown format */
    VIGIL_ERR_DB = -4,       /* the database failed or is not a vigil database */
    VIGIL_ERR_NOTFOUND = -5, /* no such entity, version or source */
    VIGIL_ERR_ARG = -6,      /* a bad argument from the caller */
    VIGIL_ERR_LIMIT = -7     /* input larger than a documented bound */
} vigil_rc;

/* Returns a static string naming rc; never NULL, never freed. */
const char *vigil_strerror(int rc);

/* The version of the library, a static string. */
const char *vigil_version(void);

/* ---------------------------------------------------------------- database */

typedef struct vigil_db vigil_db;

/* Open flags. */
#define VIGIL_OPEN_READONLY 0x1 /* never write; fails if the file does not exist */

/*
 * Opens (and with write access creates) the vigil database at path.
 * On success *out is a handle the caller frees with vigil_db_close.
 * On failure *out is still set when memory allowed it, so that vigil_errmsg
 * can say why; the caller closes it all the same.
 */
int vigil_db_open(const char *path, int flags, vigil_db **out);

/*
 * How long db waits for another process's write lock before a write fails
 * with VIGIL_ERR_DB ("database is locked"): a re-screening run holds it for
 * the whole run, minutes for a million customers. seconds: the limit (<= 0:
 * VIGIL_LOCK_WAIT, 30 minutes); waiting, when not NULL, is told about once a
 * second how long it has waited (the command prints it). A handle waits 30
 * minutes, silently, until this is called. Returns VIGIL_OK or VIGIL_ERR_ARG.
 */
#define VIGIL_LOCK_WAIT 1800
int vigil_db_wait_for_lock(vigil_db *db, int seconds, void (*waiting)(void *ctx, int waited),
                           void *ctx);

/* Closes the handle and frees it. NULL is a no-op. */
void vigil_db_close(vigil_db *db);

/* The message of the last failure on db: a string owned by db, valid until the
 * next call on db. "" when there was none. db NULL gives a static string. */
const char *vigil_errmsg(const vigil_db *db);

/* ------------------------------------------------------------ list versions */

/* One list version held in the database (or just loaded). */
typedef struct vigil_list_version {
    int64_t id;         /* version id, increasing with every load */
    char source[16];    /* "eu", "un", "uk", "ofac", "ftm" */
    char format[32];    /* e.g. "eu-fsf-xml", "ofac-sdn-csv" */
    char sha256[65];    /* hex digest of the file content (all files of a set) */
    char published[32]; /* publication date from the file, "" when it has none */
    char loaded_at[32]; /* UTC, ISO 8601 */
    char files[512];    /* the file name(s) as given, ";"-separated, cut to fit */
    int64_t entities;   /* all entities */
    int64_t persons, organizations, vessels, airplanes;
    int64_t skipped; /* records skipped in lenient mode */
    int is_new;      /* from vigil_load: 1 new version, 0 content already held */
} vigil_list_version;

/* Options of vigil_load; zero-initialise, then set what you need. */
typedef struct vigil_load_options {
    /* Records without an id or a name are skipped and counted instead of
     * failing the load. Malformed files always fail. */
    int lenient;
    /* Overrides the publication date for files that carry none (OFAC CSV):
     * "YYYY-MM-DD", or NULL. */
    const char *published;
    /* When above 0: a list with fewer entities than (1 - max_shrink) times
     * its current version's is refused (VIGIL_ERR_LIMIT), nothing written:
     * a list that shrank that much is more likely broken than lifted. */
    double max_shrink;
} vigil_load_options;

/*
 * Loads list files into db. Each path is a list file, or a folder: an OFAC
 * legacy CSV set (sdn.csv with alt.csv, add.csv, sdn_comments.csv) or a folder
 * whose list files are read in name order (recursively). Formats are detected
 * from the content. Every file or CSV set becomes one new version of its
 * source, unless that source already holds a version with the same content.
 *
 * All paths load in one transaction: on any failure nothing is written and
 * vigil_errmsg says which file and line and why.
 *
 * On success *versions (may be NULL) receives an array of *n entries, one per
 * file or set, which the caller frees with vigil_free.
 */
int vigil_load(vigil_db *db, const char *const *paths, size_t npaths,
               const vigil_load_options *opt, vigil_list_version **versions, size_t *n);

/*
 * Lists the versions held, oldest first. *versions is an array of *n entries
 * the caller frees with vigil_free (NULL when n is 0).
 */
int vigil_versions(vigil_db *db, vigil_list_version **versions, size_t *n);

/*
 * Returns one entity as a JSON document (docs/lists.md, "entity model") with
 * a "version" member naming the list version it comes from. version_id 0 means
 * the latest version of the source that holds it. *json is NUL-terminated,
 * freed by the caller with vigil_free.
 */
int vigil_entity_json(vigil_db *db, const char *source, const char *source_id,
                      int64_t version_id, char **json);
/* The entity (its current version) as OpenSanctions' yente answers it, in
 * FollowTheMoney's form: {"id": "source:source_id", "caption", "schema",
 * "properties": {"name": [...], "alias", "birthDate", "nationality",
 * "country", "idNumber", "passportNumber", "imoNumber", "address",
 * "programId", "notes", "topics": ["sanction"], ...}, "datasets",
 * "referents" (the same designation on other lists, by UN reference),
 * "target": true, "first_seen", "last_seen", "last_change"}, with the
 * members of vigil_entity_json's document beside them. Returns as
 * vigil_entity_json. */
int vigil_entity_ftm_json(vigil_db *db, const char *source, const char *source_id, char **json);
/* Many entities in FollowTheMoney's form, fast (a prepared statement): for
 * each, {"caption", "properties", "datasets", "referents" (by the entry's
 * own UN references only), "target", "first_seen", "last_seen",
 * "last_change"} from its list's current version.
 * VIGIL_ERR_NOTFOUND when it holds no such entry. A reader belongs to one
 * thread; close it before its database. */
/* Each entity of the current versions of sources (a comma-separated list of
 * lists), of one schema (NULL: any), by list and id, in the form of
 * vigil_entity_ftm_json (referents by the entry's own UN references only,
 * no members of vigil's document): fn(ctx, json) for each, until it returns
 * nonzero. Returns VIGIL_OK (also when fn stopped), VIGIL_ERR_ARG,
 * VIGIL_ERR_DB, VIGIL_ERR_NOMEM. */
int vigil_entities_each(vigil_db *db, const char *sources, const char *schema,
                        int (*fn)(void *ctx, const char *json), void *ctx);
typedef struct vigil_entity_reader vigil_entity_reader;
int vigil_entity_reader_open(vigil_db *db, vigil_entity_reader **out);
int vigil_entity_reader_ftm(vigil_entity_reader *r, const char *source, const char *source_id,
                            char **json);
void vigil_entity_reader_close(vigil_entity_reader *r);

/*
 * What changed in source between two of its versions: JSON {"source", "old",
 * "new" (the versions), "counts": {"added", "removed", "changed"}, "added" and
 * "removed": [{"id", "name"}], "changed": [{"id", "name", "fields": {member:
 * {"added": [...], "removed": [...]} for lists, {"old", "new"} otherwise}}]}.
 * old_id and new_id 0: the two latest versions. *json is freed with
 * vigil_free. Returns VIGIL_OK, VIGIL_ERR_NOTFOUND (no such versions, or
 * fewer than two), VIGIL_ERR_ARG, VIGIL_ERR_DB, VIGIL_ERR_NOMEM.
 */
int vigil_diff(vigil_db *db, const char *source, int64_t old_id, int64_t new_id, char **json);

/* ------------------------------------------------------------ name matching */

/* The score at or above which two names are a match, here and in screening. */
#define VIGIL_DEFAULT_THRESHOLD 0.85

/* What vigil_compare found. */
typedef struct vigil_comparison {
    double score;      /* 0.0 (nothing alike) to 1.0 (the same name) */
    int match;         /* score >= the threshold */
    char *explanation; /* JSON object: which parts were paired, how each scored
                           and why (docs/matching.md); NULL unless asked for.
                           Freed by vigil_comparison_free. */
} vigil_comparison;

/*
 * Compares two names of one schema ("Person", "Organization", "Company",
 * "Vessel", "Airplane"; NULL is Person), in any script. threshold <= 0 means
 * VIGIL_DEFAULT_THRESHOLD. With explain, out->explanation is set.
 * Thread-safe. Returns VIGIL_OK, or VIGIL_ERR_ARG for a NULL or unknown
 * schema name or names, VIGIL_ERR_NOMEM.
 */
int vigil_compare(const char *schema, const char *name1, const char *name2, double threshold,
                  int explain, vigil_comparison *out);

/*
 * Loads given-name data used by every comparison after it: equivalents, one
 * group a line "alexander, aleksandr, олександр => Q123" (plain or gzip, as
 * Wikidata-derived lists are), or nickname groups, a ".csv" file of lines
 * "robert,bob,rob". Call it before comparing or screening, from one thread;
 * comparisons are thread-safe once it returns. Returns the number of groups
 * held (>= 0), or VIGIL_ERR_IO, VIGIL_ERR_FORMAT, VIGIL_ERR_NOMEM.
 */
int vigil_names_load(const char *path);
/* Drops all given-name data. */
void vigil_names_unload(void);

/*
 * Loads legal forms of organisations, on top of the built-in ones, from a
 * table in the layout of OpenSanctions' org_types.yml (a list of types with
 * display, generic, compare and aliases). Every alias of a type then counts as
 * that type's form. Same rules as vigil_names_load: call it before comparing.
 * Returns the number of types read, or VIGIL_ERR_IO, VIGIL_ERR_FORMAT,
 * VIGIL_ERR_NOMEM.
 */
int vigil_legal_forms_load(const char *path);

/* Frees what vigil_compare put in c (not c itself). NULL is a no-op. */
void vigil_comparison_free(vigil_comparison *c);

/* ---------------------------------------------------------------- screening */

typedef struct vigil_engine vigil_engine;

/*
 * Builds a screening engine from the current (latest) version of every list in
 * db: every name prepared and indexed. The engine keeps what it needs and does
 * not use db afterwards. It is read-only: one engine may serve many threads.
 * Load given-name data and legal forms (vigil_names_load,
 * vigil_legal_forms_load) first. On failure vigil_errmsg(db) says why.
 * The caller frees *out with vigil_engine_close.
 */
int vigil_engine_open(vigil_db *db, vigil_engine **out);
/*
 * Opens the engine vigil_engine_open saved next to a database (DB.engine,
 * written by `vigil load`) without the database: the lists' versions are
 * those the file was saved for. The file is mapped read-only and shared, so
 * that every process opening it reads one copy of its pages (the names'
 * prepared forms and the index's lists; each process builds only the small
 * tables that point into them). The mapping outlives the file's
 * replacement: a process sees a new version when it opens the file again.
 * The file is checked as vigil_engine_open checks it (checksum, this
 * build's layout, the name data loaded now, a sample of names prepared
 * again). Returns VIGIL_OK, VIGIL_ERR_IO (it cannot be opened or mapped),
 * VIGIL_ERR_FORMAT (not a saved engine, damaged, or written by another build
 * or with other name data: `vigil load` writes it again), VIGIL_ERR_ARG,
 * VIGIL_ERR_NOMEM; on failure why is written into err (errlen bytes; NULL:
 * not said). The caller frees *out with vigil_engine_close.
 */
int vigil_engine_open_file(const char *path, vigil_engine **out, char *err, size_t errlen);
void vigil_engine_close(vigil_engine *e);
/* The list versions the engine screens against, as a JSON array; owned by
 * the engine. */
const char *vigil_engine_versions(const vigil_engine *e);
/* How many entities and names the engine holds. */
size_t vigil_engine_entities(const vigil_engine *e);
size_t vigil_engine_names(const vigil_engine *e);
/* How many of the engine's entities are of list source ("eu"); 0 for a
 * list it does not hold. */
size_t vigil_engine_source_entities(const vigil_engine *e, const char *source);

/* One customer or counterparty to screen. Unset members are NULL or 0. */
typedef struct vigil_query {
    const char *name;       /* required */
    const char *schema;     /* Person, Organization, Company, Vessel, Airplane;
                                NULL: any, or Person when birth_date or gender
                                is given */
    const char *birth_date; /* "1953-08-27", "1953", "27/08/1953", ... */
    const char *country;    /* nationality or country: a code or a name */
    const char *gender;     /* "male", "female" */
    const char *id_number;  /* passport, registration, IMO number, ... */
    const char *sources;    /* comma-separated lists to screen ("eu,un"); NULL: all */
    double threshold;       /* <= 0: VIGIL_DEFAULT_THRESHOLD */
    size_t limit;           /* 0: 10 */
} vigil_query;

/* One listed entity the query may be. */
typedef struct vigil_hit {
    char source[16];
    char source_id[64];
    char schema[16];
    char name[256];         /* the entity's primary name */
    char matched_name[256]; /* the entity's name that matched best */
    double score;           /* name score adjusted by the other evidence */
    int match;              /* score >= threshold */
    char *explanation;      /* JSON: the name comparison and each piece of
                                evidence with its effect */
} vigil_hit;

/* The hits of one query, best first. */
typedef struct vigil_hits {
    vigil_hit *hits;
    size_t n;
} vigil_hits;

/*
 * Screens q: every entity with a name alike enough (a floor well under the
 * threshold), scored and explained, at most q->limit, best first. Thread-safe.
 * Returns VIGIL_OK, VIGIL_ERR_ARG (no name, an unknown schema), VIGIL_ERR_NOMEM.
 * Free out with vigil_hits_free.
 */
int vigil_screen(const vigil_engine *e, const vigil_query *q, vigil_hits *out);
void vigil_hits_free(vigil_hits *h);

/*
 * Entities whose names begin as prefix does, for a search box: every word of
 * prefix but the last is a word of the name, the last begins another, in
 * any order, names compared as screening prepares them (so "bastryk" finds
 * "Бастрыкин"). Of sources (comma-separated; NULL: all), at most limit (0:
 * 10), the names prefix accounts for most of first; score is that share,
 * match 0, no explanation. Thread-safe. Returns VIGIL_OK (no hits for a
 * prefix with no words), VIGIL_ERR_ARG, VIGIL_ERR_NOMEM. Free out with
 * vigil_hits_free.
 */
int vigil_suggest(const vigil_engine *e, const char *prefix, const char *sources, size_t limit,
                  vigil_hits *out);

/*
 * Moves the hits of from into into, keeping each entity's best (of equal
 * scores, the one into held), best first, at most limit of them (0: all):
 * the hits of several names of one customer as one result. from is emptied
 * (as by vigil_hits_free). Returns VIGIL_OK, or VIGIL_ERR_NOMEM (into is
 * then as it was).
 */
int vigil_hits_merge(vigil_hits *into, vigil_hits *from, size_t limit);

/* The hits as compact JSON text, the shape vigil batch writes:
 * [{"source", "source_id", "schema", "name", "matched_name", "score",
 * "match", "explanation": {...}}]. Returns malloc'd text to free with
 * vigil_free, or NULL (out of memory). */
char *vigil_hits_json(const vigil_hits *h);

/* ------------------------------------------------------ payment messages */

/*
 * One payment message (docs/payments.md): ISO 20022 pacs.008, pacs.009
 * (with a cover payment's underlying customer transfer) and pain.001, any
 * version, namespaces by URI; or SWIFT MT103, MT202 and MT202 COV (blocks
 * 1 to 5, fields 50a to 59a, 70, 72). Each party with its role, the path of
 * the field it is in, its name, address, country, identifiers and date and
 * place of birth; the free texts; the message, end-to-end and UETR ids.
 */
typedef struct vigil_message vigil_message;

/* Reads the message in data[0..len) (at most 4 MiB; XML from '<', MT from
 * '{'). Returns VIGIL_OK and *out (free with vigil_message_free);
 * VIGIL_ERR_FORMAT with msg (cap bytes) naming the line and the field and
 * saying what is wrong; VIGIL_ERR_LIMIT; VIGIL_ERR_NOMEM; VIGIL_ERR_ARG. */
int vigil_message_read(const char *data, size_t len, vigil_message **out, char *msg,
                       size_t cap);
void vigil_message_free(vigil_message *m);
/* The message as JSON: {"type", "msg_id", "end_to_end_id", "uetr", "tx_id",
 * "transactions", "parties": [{"role", "path", "line", "kind" (person,
 * organisation, bank, unknown), "name", "address", "town", "country",
 * "residence", "bic", "lei", "account", "ids", "birth_date",
 * "birth_place", "birth_country"}], "texts": [{"path", "line", "text"}]}.
 * Malloc'd text to free with vigil_free; NULL when out of memory. */
char *vigil_message_json(const vigil_message *m);
/* In a file of many messages (XML documents one after another, each from
 * its "<?xml" declaration; MT messages, each from its "{1:" block): the
 * start of the one at or after from, and in *end where it ends. len when
 * there is none. */
size_t vigil_messages_next(const char *data, size_t len, size_t from, size_t *end);

/* Screens messages against an engine's lists: party names, banks by BIC,
 * sanctioned jurisdictions, listed names and IMO numbers in free text. Made
 * once per engine (it indexes the listed BICs, IMO numbers and whole
 * names); thread-safe after. */
typedef struct vigil_payments vigil_payments;
int vigil_payments_open(const vigil_engine *e, vigil_payments **out);
void vigil_payments_close(vigil_payments *p);
/* Screens m at threshold (<= 0: VIGIL_DEFAULT_THRESHOLD): *json (free with
 * vigil_free) is {"decision": "hold" or "pass", "message": {as
 * vigil_message_json}, "hits": [{"kind" (party, bic, jurisdiction, text,
 * imo), "role", "path", "line", "value", "source", "source_id", "schema",
 * "entity_name", "matched_name", "score", "match", "reasons" or
 * "explanation"}]}; *hold 1 when any hit is a match. Returns VIGIL_OK,
 * VIGIL_ERR_ARG, VIGIL_ERR_NOMEM. */
int vigil_message_screen(const vigil_payments *p, const vigil_message *m, double threshold,
                         char **json, int *hold);

/* Keeps a screened message in the store: result is vigil_message_screen's
 * JSON. A held message's hits become alerts in the queue (customer
 * "msg:ID"; a jurisdiction's under the source "jurisdiction"), with the
 * trail's "opened" lines; analysts release it (each alert a false
 * positive) or reject it (any one a true match) with vigil_decide or
 * vigil_propose and vigil_review. *id (may be NULL) is the message's.
 * Returns VIGIL_OK, VIGIL_ERR_ARG, VIGIL_ERR_DB, VIGIL_ERR_NOMEM. */
int vigil_message_store(vigil_db *db, const char *result, int64_t *id);
/* A stored message as JSON: {"id", "received_at", "type", "msg_id",
 * "end_to_end_id", "uetr", "decision", "result" (as screened), "status"
 * (passed, held, released, rejected), "alerts": [{"id", "status",
 * "source", "source_id", "score", "path"}]}. VIGIL_ERR_NOTFOUND when there
 * is none of that id. *json is freed with vigil_free. */
int vigil_message_get(vigil_db *db, int64_t id, char **json);

/* ---------------------------------------------- customers and re-screening */

/* One customer kept in the database (docs/rescreening.md). id and name are
 * required; the other members are NULL when unknown. */
typedef struct vigil_customer {
    const char *id; /* the customer's own reference, unique */
    const char *name;
    const char *schema; /* as in vigil_query; NULL: any */
    const char *birth_date;
    const char *country;
    const char *gender;
    const char *id_number;
} vigil_customer;

/* What vigil_customers_put did with each customer. */
enum {
    VIGIL_CUSTOMER_UNCHANGED = 0, /* held with the same fields: nothing to do */
    VIGIL_CUSTOMER_ADDED = 1,     /* new: screened against every list next run */
    VIGIL_CUSTOMER_CHANGED = 2    /* its fields changed: screened again in full */
};

/*
 * Adds or updates n customers, keyed by id, in one transaction. status
 * (n entries, may be NULL) receives a VIGIL_CUSTOMER_* value per customer, or
 * VIGIL_ERR_ARG for one that cannot be kept (no id, no name, an unknown
 * schema: the others are kept all the same). Uses the name data loaded now
 * (vigil_names_load), as vigil_rescreen must. Returns VIGIL_OK, VIGIL_ERR_DB
 * or VIGIL_ERR_NOMEM (then nothing is written).
 */
int vigil_customers_put(vigil_db *db, const vigil_customer *c, size_t n, int *status);

/* How many customers db holds, into *n. */
int vigil_customers_count(vigil_db *db, int64_t *n);

/* Options of vigil_rescreen; zero-initialise. */
typedef struct vigil_rescreen_options {
    double threshold; /* <= 0: VIGIL_DEFAULT_THRESHOLD */
    int full;         /* 1: every customer against every list, whatever changed */
    int threads;      /* <= 0: the number of cores (at most 16) */
    /* called after each page of customers read (NULL: not): how many of the
     * customers held have been read so far */
    void (*progress)(void *ctx, int64_t read, int64_t total);
    void *progress_ctx;
} vigil_rescreen_options;

/* What one re-screening run did. */
typedef struct vigil_rescreen_result {
    int64_t run_id;
    int full;                 /* it screened everyone against everything */
    int64_t customers;        /* customers held */
    int64_t screened_in_full; /* new or changed customers, against every list */
    int64_t screened_changed; /* others whose names share an index key with a
                                    new or changed entity, against those entities */
    int64_t entities_changed; /* entities new or changed since the last run */
    int64_t entities_removed; /* entities gone from the lists since then */
    int64_t alerts_new;       /* alerts opened (new pairs, or reopened) */
    int64_t alerts_known;     /* hits already alerted, open or decided */
    int64_t alerts_delisted;  /* open alerts closed as their entity left */
    double seconds;
} vigil_rescreen_result;

/*
 * Screens what changed since the last run: every customer added or changed
 * since, against every list; every other customer against the entities added
 * or changed since (only those sharing an index key with one: no other can
 * hit). The first run, a lower threshold than the last run's, other name
 * data, or opt->full screen everyone against everything. Each hit at or above
 * the threshold opens an alert, unless the same customer and entity already
 * have one open or decided true match, or decided false positive with both
 * sides unchanged since. Open alerts on entities that left the lists are
 * closed as delisted. The run, with the list versions it used, and its
 * alerts are recorded in one transaction; on failure nothing is. The caller
 * loads the name data first. Returns VIGIL_OK or an error with vigil_errmsg.
 */
int vigil_rescreen(vigil_db *db, const vigil_rescreen_options *opt, vigil_rescreen_result *out);

/*
 * The alerts as a JSON array, newest first: {"id", "status" ("open",
 * "true-match", "false-positive", "delisted"), "customer": {...}, "entity":
 * {"source", "source_id", "schema", "name", "version"}, "matched_name",
 * "score", "explanation", "run", "created_at", "previous" (the alert it
 * reopens, or null), "decisions": [{"decision", "note", "by", "at",
 * "versions"}]}. open_only: only open ones. *json is freed with vigil_free.
 */
int vigil_alerts_json(vigil_db *db, int open_only, char **json);

/*
 * Records an analyst's decision on alert_id: decision "true-match" or
 * "false-positive", a note (required: the reason, for the audit trail), and
 * who decided (may be NULL), with the list versions current now. A false
 * positive stays closed until the customer or the entity changes. Returns
 * VIGIL_OK, VIGIL_ERR_NOTFOUND (no such alert), VIGIL_ERR_ARG, VIGIL_ERR_DB.
 */
int vigil_decide(vigil_db *db, int64_t alert_id, const char *decision, const char *note,
                 const char *by);

/* ------------------------------------------------------------ case work */

/*
 * The alert queue and the work on it (docs/rescreening.md). A filter of the
 * queue; zero-initialise, then set what narrows it.
 */
typedef struct vigil_alert_filter {
    const char *status;    /* NULL or "open"; "pending" (a decision proposed, to be
                              reviewed), "true-match", "false-positive", "delisted",
                              "closed" (any of the last three), "any" */
    const char *source;    /* a list, NULL: any */
    const char *programme; /* a programme id of the entity ("HR", "SDGT"), NULL: any */
    double min_score;      /* 0: any */
    int max_age_days;      /* opened at most this many days ago; 0: any */
    const char *assignee;  /* NULL: anyone's; "": nobody's */
    const char *customer;  /* one customer's id, NULL: all */
    int limit, offset;     /* a page: limit 0 is 50, at most 1,000 */
} vigil_alert_filter;

/* A page of the queue, strongest hits first: {"total", "limit", "offset",
 * "alerts": [{"id", "status", "score", "customer": {"id", "name",
 * "birth_date"}, "entity": {"source", "source_id", "schema", "name"},
 * "matched_name", "created_at", "assignee", "age_days"}]}. VIGIL_ERR_ARG for
 * an unknown status. */
int vigil_alert_queue(vigil_db *db, const vigil_alert_filter *f, char **json);
/* One alert whole: as in the queue, and the customer's every field, the
 * entity's document as listed in the version screened, the explanation, the
 * run's list versions, the decisions ({"state": "final", "proposed",
 * "approved", "returned"}) and its audit trail. VIGIL_ERR_NOTFOUND. */
int vigil_alert_get(vigil_db *db, int64_t id, char **json);
/* Assigns an alert to a user (to NULL or "": to nobody), by a user. */
int vigil_alert_assign(vigil_db *db, int64_t id, const char *to, const char *by);
/* Four eyes: a user (by, required) proposes a decision on an open alert
 * (then "pending"); another user approves it (the alert takes the decision:
 * a false positive is closed until the customer or the entity changes) or
 * returns it with a note (open again). The proposer's own review is refused
 * (VIGIL_ERR_ARG). Without four eyes, vigil_decide decides at once. */
int vigil_propose(vigil_db *db, int64_t id, const char *decision, const char *note,
                  const char *by);
int vigil_review(vigil_db *db, int64_t id, int approve, const char *note, const char *by);
/* The audit trail, oldest first, of one alert (alert_id), one customer
 * (customer), or everything (0, NULL), limit lines from offset (limit 0: all):
 * a JSON array of {"id", "at", "user", "action" ("opened", "assigned",
 * "proposed", "approved", "returned", "decided", "delisted", "imported"),
 * "alert_id", "customer_id", "note", "detail", "versions"}. Append-only: the
 * database refuses to change or delete a line. */
int vigil_audit_json(vigil_db *db, int64_t alert_id, const char *customer, int limit,
                     int offset, char **json);
/* Appends a line of another kind (action: "imported", "run", ...; not one
 * of those the alert calls above write) to the trail. */
int vigil_audit_add(vigil_db *db, const char *user, const char *action, const char *customer_id,
                    const char *note, const char *detail);
/* The customers, by name: those whose id is q or whose name holds q (NULL:
 * all), a page of them: {"total", "limit", "offset", "customers": [{"id",
 * "name", ..., "added_at", "updated_at", "open_alerts"}]}. */
int vigil_customers_json(vigil_db *db, const char *q, int limit, int offset, char **json);
/* One customer with its alerts (every status) and its trail.
 * VIGIL_ERR_NOTFOUND. */
int vigil_customer_get(vigil_db *db, const char *id, char **json);

/* The re-screening runs, oldest first, as a JSON array of {"id", "started_at",
 * "finished_at", "full", "threshold", "versions", and the counts of
 * vigil_rescreen_result}. *json is freed with vigil_free. */
int vigil_runs_json(vigil_db *db, char **json);

/* ------------------------------------------------------- users and keys */

/*
 * Who may use vigil serve (docs/security.md). A user has a role, from least
 * to most: "screen" (match, search, entities), "analyst" (and batches,
 * alerts, decisions), "reviewer" (and approving decisions), "admin" (and
 * reloads, users, keys); an API key belongs to a user and is kept only as
 * its argon2id hash (libargon2), so the database never holds one.
 */
#define VIGIL_ROLE_SCREEN 1
#define VIGIL_ROLE_ANALYST 2
#define VIGIL_ROLE_REVIEWER 3
#define VIGIL_ROLE_ADMIN 4
/* The role named ("screen", ...), or 0 when it is none of them. */
int vigil_role_of(const char *name);

/* Adds a user with a role. VIGIL_OK, VIGIL_ERR_ARG (a bad name or role, or a
 * user of that name already), VIGIL_ERR_DB. A name is 1 to 64 letters,
 * digits and . _ @ - */
int vigil_user_add(vigil_db *db, const char *name, const char *role);
/* Disables a user: none of its keys is accepted again. VIGIL_OK,
 * VIGIL_ERR_NOTFOUND, VIGIL_ERR_DB. */
int vigil_user_disable(vigil_db *db, const char *name);
/* The users, as a JSON array of {"name", "role", "disabled", "created_at",
 * "keys": [{"id", "created_at", "revoked_at"}]}; *json is freed with
 * vigil_free. No key is in it: they are not kept. */
int vigil_users_json(vigil_db *db, char **json);
/* Makes a key for user: 256 random bits, written "vigil_" and 64 hex digits
 * (*key, malloc'd, freed with vigil_free: shown once, never stored), and its
 * id (the first 14 characters, which find it; id, 15 bytes). VIGIL_OK,
 * VIGIL_ERR_NOTFOUND (no such user), VIGIL_ERR_DB. */
int vigil_key_create(vigil_db *db, const char *user, char **key, char id[15]);
/* Revokes the key of id. VIGIL_OK, VIGIL_ERR_NOTFOUND, VIGIL_ERR_DB. */
int vigil_key_revoke(vigil_db *db, const char *id);
/* Checks key: VIGIL_OK with its user's name (user, 65 bytes) and role when
 * it is a key of an enabled user and not revoked, the whole key compared by
 * argon2 (a prefix, a key a character off, are refused alike); else
 * VIGIL_ERR_NOTFOUND. */
int vigil_key_verify(vigil_db *db, const char *key, char user[65], int *role);
/* Whether the key of id is still good (not revoked, its user enabled),
 * without the hash: VIGIL_OK with its user and role, else VIGIL_ERR_NOTFOUND.
 * For a server that verified the whole key once and re-checks it often. */
int vigil_key_check(vigil_db *db, const char *id, char user[65], int *role);

/* ------------------------------------------------------------ batches */

/*
 * The results of vigil serve's batches (POST /batch), kept in the database:
 * owned by the user who started one, a line of JSON per record (as vigil
 * batch writes them), kept until the owner deletes them or they age out.
 */
typedef struct {
    char id[40];
    char owner[65];
    char created_at[32], finished_at[32]; /* finished_at "" while it runs */
    char status[16];                      /* running, done, interrupted */
    long long total, rows, failed;
    double threshold;
} vigil_batch_info;

/* Records a new, running batch (id, owner, total, threshold of b). */
int vigil_batch_create(vigil_db *db, const vigil_batch_info *b);
/* Appends result lines (text: whole lines of JSON, len bytes) to batch id
 * and records its progress, in one transaction. */
int vigil_batch_append(vigil_db *db, const char *id, const char *text, size_t len,
                       long long rows, long long failed);
/* Marks batch id done. */
int vigil_batch_finish(vigil_db *db, const char *id, long long rows, long long failed);
/* Batch id, when owner (NULL: anyone's) owns it: VIGIL_OK, else
 * VIGIL_ERR_NOTFOUND (another's batch is not told from none). */
int vigil_batch_get(vigil_db *db, const char *id, const char *owner, vigil_batch_info *out);
/* Reads a batch's result lines in order, one at a time: next gives 1 with
 * the line (valid until the next call), 0 at the end, VIGIL_ERR_DB. */
typedef struct vigil_batch_reader vigil_batch_reader;
int vigil_batch_read_open(vigil_db *db, const char *id, vigil_batch_reader **out);
int vigil_batch_read_next(vigil_batch_reader *r, const char **line, size_t *len);
void vigil_batch_read_close(vigil_batch_reader *r);
/* Deletes a finished batch of owner's. VIGIL_OK or VIGIL_ERR_NOTFOUND. */
int vigil_batch_delete(vigil_db *db, const char *id, const char *owner);
/* Ends batches whose server stopped under them (not heard of for 10
 * minutes: "interrupted") and deletes those finished over days ago. */
int vigil_batch_expire(vigil_db *db, int days, long long *deleted);
/* owner's batches, newest first, as a JSON array of {"id", "created_at",
 * "finished_at", "status", "total", "rows", "failed", "threshold"}. */
int vigil_batches_json(vigil_db *db, const char *owner, char **json);

/* The ISO 3166-1 alpha-2 code (upper case, a static string) of a country as
 * lists and clients write it ("RU", "RUS", "Russia", "Russian Federation",
 * "Korea, North"), or NULL when none is known. */
const char *vigil_country_code(const char *name);

/* 1 when screening reads s as a date of birth ("1953-08-27", "27/08/1953",
 * "August 1953", "1953"), 0 when it would pass it over. */
int vigil_date_valid(const char *s);

/* The library's one hash (64-bit FNV-1a) of n bytes at s, for a caller's
 * own tables (the server's cache of entities). */
uint64_t vigil_hash64(const char *s, size_t n);

/* Frees what the library keeps for the calling thread (its transliterator and
 * its screening memory; both are also freed when the thread ends).
 * Call it before a thread that compared or screened ends; the library opens
 * it again if the thread goes on. */
void vigil_thread_done(void);

/* Frees memory returned by the library. NULL is a no-op. */
void vigil_free(void *p);

#ifdef __cplusplus
}
#endif
#endif /* VIGIL_H */
