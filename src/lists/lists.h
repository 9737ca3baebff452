/*
 * lists.h - reading the official lists (src/lists/): the parse state a
 * parser fills, reporting (report.c), and the list formats as descriptors
 * (formats.c holds the table; each parser file exports its own). Adding a
 * format: a parser file exporting its descriptor, a row in formats.c's
 * table, a test and a fuzz corpus (docs/architecture.md).
 */
#ifndef VIGIL_LISTS_H
#define VIGIL_LISTS_H

typedef struct vigil__parse vigil__parse;

/* Receives each parsed entity. Returns 0, or a vigil_rc to stop parsing (the
 * sink has then set p->err). The entity stays the parser's. */
typedef int (*vigil__sink_fn)(vigil__parse *p, json_t *entity);

/* FTM delta operations handed to the sink besides plain entities. */
typedef enum { VIGIL__OP_PUT = 0, VIGIL__OP_DEL = 1 } vigil__op;

struct vigil__parse {
    /* in */
    const vigil__file *files; /* one, or an OFAC CSV set */
    size_t nfiles;
    bool lenient;
    vigil__sink_fn sink;
    void *sink_ctx;
    const struct vigil__list_format *fmt; /* the format read (vigil__parse_run) */
    /* out */
    char published[32];             /* publication date found in the file, ISO */
    bool is_delta;                  /* FTM delta: entities are operations */
    vigil__op op;                   /* with is_delta: the operation of the entity */
    const char *del_id;             /* with op DEL: the id (entity is NULL) */
    int64_t skipped;                /* records skipped in lenient mode */
    char first_skip[VIGIL__ERRMSG]; /* why the first one was skipped */
    char err[VIGIL__ERRMSG];        /* "file:line: reason" when a parser fails */
    /* the sink's line for messages: set by the parser before calling it */
    const char *cur_path;
    size_t cur_line;
};

/* Sets p->err to "path:line: fmt..." and returns VIGIL_ERR_FORMAT. */
int vigil__parse_fail(vigil__parse *p, const char *path, size_t line, const char *fmt, ...)
    VIGIL__PRINTF(4, 5);
/* A record-level problem (no id, no name): in lenient mode counts it and
 * returns 0, else fails like vigil__parse_fail. */
int vigil__parse_skip(vigil__parse *p, const char *path, size_t line, const char *fmt, ...)
    VIGIL__PRINTF(4, 5);
/* Checks the entity, then hands it to the sink; frees it in every case. */
int vigil__parse_emit(vigil__parse *p, json_t *e, const char *path, size_t line);

/* A list format: what a file of it looks like, how it is read, what it is
 * called. */
typedef struct vigil__list_format {
    const char *name;   /* stored with each list version: "eu-fsf-xml" */
    const char *source; /* the list its entities are of: "eu", "un", "uk", "ofac", "ftm" */
    const char *fuzz;   /* its fuzz target and corpus folder (fuzz/corpus/NAME), or NULL */
    /* how it is told from its first bytes: the XML root element's local
     * names, or JSON lines, or a CSV row of this many fields whose first is
     * a number */
    const char *xml_roots[3];
    int json;
    int csv_fields;
    /* how it is read: the parser, or, when NULL, why the file is refused */
    int (*parse)(vigil__parse *p);
    const char *refused;
    /* a file of another format's set (OFAC's alt.csv: the set of sdn.csv),
     * which reads the whole set; or NULL */
    const struct vigil__list_format *set;
} vigil__list_format;

/* Every format, in detection order, NULL-terminated (formats.c). */
extern const vigil__list_format *const vigil__list_formats[];

/* The format of a file from its first bytes, or NULL. */
const vigil__list_format *vigil__detect(const char *data, size_t len);
/* Reads p's files as f (NULL: an unknown format, refused): its parser, or
 * its refusal. p->fmt is set to the format read. */
int vigil__parse_run(vigil__parse *p, const vigil__list_format *f);

#endif
