/*
 * ofac_csv.c - OFAC's SDN legacy CSV set: sdn.csv, alt.csv, add.csv and
 * sdn_comments.csv (no header rows; "-0-" means empty; a trailing ^Z).
 *
 * sdn.csv:   ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type,
 *            Tonnage, GRT, Vess_flag, Vess_owner, Remarks
 * alt.csv:   ent_num, alt_num, alt_type (aka/fka/nka), alt_name, alt_remarks
 * add.csv:   ent_num, add_num, address, city/state/postal code, country, add_remarks
 * sdn_comments.csv: ent_num, the continuation of a remarks field cut short
 *
 * CSV syntax is libcsv's (strict mode). The set is read whole, then each
 * entity is completed from its remarks (ofac_remarks.c) and emitted in
 * sdn.csv order. docs/lists.md lists what is read.
 */
#include <csv.h>
#include <ctype.h>
#include <string.h>

#include "ofac.h"

#define MAX_FIELDS 16

/* The set's files (defined at the end). */
extern const vigil__list_format vigil__fmt_ofac_csv_sdn, vigil__fmt_ofac_csv_alt,
    vigil__fmt_ofac_csv_add, vigil__fmt_ofac_csv_comments;

typedef struct {
    vigil__parse *p;
    const vigil__file *f;
    const vigil__list_format *fmt; /* the file of the set being read */
    vigil__arena arena;
    const char *fld[MAX_FIELDS];
    int nf;
    size_t line;     /* line the parser is on */
    size_t row_line; /* line the current row started on */
    size_t row_bytes;
    int rc;
    json_t *ents;    /* ent_num -> entity */
    json_t *lines;   /* ent_num -> line in sdn.csv */
    json_t *remarks; /* ent_num -> remarks text (with its continuation) */
    json_t *order;   /* ent_nums in sdn.csv order */
} csv_ctx;

/* The entity of ent_num, or NULL. A row of alt, add or comments whose
 * ent_num is not in sdn.csv describes nothing that can be screened; OFAC's
 * own sets have such rows (ten in the 2019-01 sdn_comments.csv), so they are
 * counted as skipped, in strict mode too, and not refused. */
static json_t *entity_of(csv_ctx *c, const char *ent)
{
    json_t *e = json_object_get(c->ents, ent);
    if (!e && c->p->skipped++ == 0)
        snprintf(c->p->first_skip, sizeof(c->p->first_skip),
                 "%s:%zu: ent_num %s is not in sdn.csv", c->f->path, c->row_line, ent);
    return e;
}

static void name_parts(json_t *e, const char *name, const char *kind, int person, int *bad)
{
    const char *comma = person ? strchr(name, ',') : NULL;
    if (comma) {
        char last[512];
        size_t n = (size_t)(comma - name);
        if (n < sizeof(last)) {
            memcpy(last, name, n);
            last[n] = '\0';
            *bad |= vigil__ent_name_parts(e, name, kind, NULL, comma + 1, NULL, last, NULL);
            return;
        }
    }
    *bad |= vigil__ent_name(e, name, kind, NULL);
}

static void row_sdn(csv_ctx *c)
{
    const char **f = c->fld;
    json_t *e = vigil__ent_new(c->p->fmt->source, f[0], vigil__ofac_schema(f[2]));
    int bad = 0;
    int person = f[2] && vigil__ieq(f[2], "individual");
    if (f[1])
        name_parts(e, f[1], "primary", person, &bad);
    if (f[3]) {
        /* "DPRK3] [CYBER2": several programmes in brackets */
        char *copy = vigil__arena_strndup(&c->arena, f[3], strlen(f[3]));
        for (char *s = copy ? strtok(copy, "[]") : NULL; s; s = strtok(NULL, "[]"))
            bad |= vigil__ent_list(e, "programmes", s);
    }
    bad |= vigil__ent_list(e, "positions", f[4]);
    bad |= vigil__ent_set(e, "call_sign", f[5]);
    bad |= vigil__ent_set(e, "vessel_type", f[6]);
    bad |= vigil__ent_set(e, "tonnage", f[7]);
    bad |= vigil__ent_set(e, "gross_tonnage", f[8]);
    bad |= vigil__ent_set(e, "flag", f[9]);
    bad |= vigil__ent_list(e, "owners", f[10]);
    if (bad || !f[0]) {
        json_decref(e);
        c->rc = bad ? vigil__parse_fail(c->p, c->f->path, c->row_line, "a field is too long")
                    : vigil__parse_skip(c->p, c->f->path, c->row_line, "row without ent_num");
        return;
    }
    if (json_object_get(c->ents, f[0])) {
        json_decref(e);
        c->rc =
            vigil__parse_skip(c->p, c->f->path, c->row_line, "ent_num %s given twice", f[0]);
        return;
    }
    json_object_set_new(c->ents, f[0], e);
    json_object_set_new(c->lines, f[0], json_integer((json_int_t)c->row_line));
    json_array_append_new(c->order, json_string(f[0]));
    if (f[11])
        json_object_set_new(c->remarks, f[0], json_string(f[11]));
}

static void row_alt(csv_ctx *c)
{
    const char **f = c->fld;
    json_t *e = entity_of(c, f[0]);
    if (!e)
        return;
    const char *kind = "alias";
    if (f[2] && vigil__ieq(f[2], "fka"))
        kind = "former";
    int bad = 0;
    if (f[3])
        name_parts(e, f[3], kind,
                   strcmp(json_string_value(json_object_get(e, "schema")), "Person") == 0,
                   &bad);
    if (bad)
        c->rc = vigil__parse_fail(c->p, c->f->path, c->row_line, "a field is too long");
}

static void row_add(csv_ctx *c)
{
    const char **f = c->fld;
    json_t *e = entity_of(c, f[0]);
    if (!e)
        return;
    const char *parts[] = {f[2], f[3], f[5]};
    char buf[2048];
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < 3; i++)
        if (parts[i] && k < sizeof(buf))
            k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s", k ? ", " : "", parts[i]);
    if (vigil__ent_address(e, buf, f[4]) != 0)
        c->rc = vigil__parse_fail(c->p, c->f->path, c->row_line, "a field is too long");
}

static void row_comments(csv_ctx *c)
{
    const char **f = c->fld;
    if (!entity_of(c, f[0]) || !f[1])
        return;
    const char *old = json_string_value(json_object_get(c->remarks, f[0]));
    size_t n = (old ? strlen(old) : 0) + strlen(f[1]);
    if (n > VIGIL__MAX_FIELD_BYTES) {
        c->rc = vigil__parse_fail(c->p, c->f->path, c->row_line,
                                  "remarks longer than %zu bytes", VIGIL__MAX_FIELD_BYTES);
        return;
    }
    char *joined = vigil__arena_alloc(&c->arena, n);
    if (!joined)
        return;
    snprintf(joined, n + 1, "%s%s", old ? old : "", f[1]);
    json_object_set_new(c->remarks, f[0], json_string(joined));
}

static void on_field(void *s, size_t len, void *data)
{
    csv_ctx *c = data;
    if (c->rc)
        return;
    if (c->nf == 0)
        c->row_line = c->line;
    if (c->nf >= MAX_FIELDS) {
        c->nf++;
        return;
    }
    if (s && memchr(s, '\0', len)) {
        /* a NUL would end the field where it stands ("AL ZAWAHIRI," for "AL
         * ZAWAHIRI, Dr. Ayman"): a broken file, refused */
        c->rc = vigil__parse_fail(c->p, c->f->path, c->line, "a NUL byte inside field %d",
                                  c->nf + 1);
        return;
    }
    char *v = s ? vigil__arena_strndup(&c->arena, s, len) : NULL;
    if (v) {
        vigil__squeeze(v);
        if (!*v || strcmp(v, "-0-") == 0)
            v = NULL;
    }
    c->fld[c->nf++] = v;
}

static void on_row(int term, void *data)
{
    (void)term;
    csv_ctx *c = data;
    if (c->rc == 0) {
        int want = c->fmt->csv_fields;
        if (c->nf != want)
            c->rc = vigil__parse_fail(c->p, c->f->path, c->row_line,
                                      "%d fields, expected %d in an OFAC %s row", c->nf, want,
                                      c->fmt->name);
        else if (!c->fld[0] || strspn(c->fld[0], "0123456789") != strlen(c->fld[0]))
            c->rc =
                vigil__parse_fail(c->p, c->f->path, c->row_line,
                                  "ent_num \"%s\" is not a number", c->fld[0] ? c->fld[0] : "");
        else if (c->fmt == &vigil__fmt_ofac_csv_sdn)
            row_sdn(c);
        else if (c->fmt == &vigil__fmt_ofac_csv_alt)
            row_alt(c);
        else if (c->fmt == &vigil__fmt_ofac_csv_add)
            row_add(c);
        else
            row_comments(c);
    }
    c->nf = 0;
    c->row_bytes = 0;
    vigil__arena_reset(&c->arena);
}

static int read_file(csv_ctx *c, const vigil__file *f, const vigil__list_format *fmt)
{
    size_t bad;
    if (!vigil__utf8_valid(f->data, f->len, &bad))
        return vigil__parse_fail(c->p, f->path, vigil__line_at(f->data, f->len, bad),
                                 "invalid UTF-8");
    size_t len = f->len;
    /* OFAC ends its files with ^Z */
    while (len > 0 && (f->data[len - 1] == 0x1A || isspace((unsigned char)f->data[len - 1])))
        len--;
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_EMPTY_IS_NULL) != 0)
        return vigil__parse_fail(c->p, f->path, 0, "out of memory");
    c->f = f;
    c->fmt = fmt;
    c->line = 1;
    c->nf = 0;
    /* Fed a line at a time so that rows know their line numbers. */
    size_t off = 0;
    while (c->rc == 0 && off < len) {
        const char *nl = memchr(f->data + off, '\n', len - off);
        size_t n = nl ? (size_t)(nl - (f->data + off)) + 1 : len - off;
        c->row_bytes += n;
        if (c->row_bytes > VIGIL__MAX_LINE_BYTES) {
            c->rc = vigil__parse_fail(c->p, f->path, c->line, "row longer than %zu bytes",
                                      VIGIL__MAX_LINE_BYTES);
            break;
        }
        if (csv_parse(&parser, f->data + off, n, on_field, on_row, c) != n) {
            c->rc = vigil__parse_fail(c->p, f->path, c->line, "malformed CSV: %s",
                                      csv_strerror(csv_error(&parser)));
            break;
        }
        off += n;
        c->line++;
    }
    if (c->rc == 0) {
        c->line--;
        if (csv_fini(&parser, on_field, on_row, c) != 0 && c->rc == 0)
            c->rc = vigil__parse_fail(c->p, f->path, c->line,
                                      "malformed CSV at the end of the file: %s",
                                      csv_strerror(csv_error(&parser)));
    }
    csv_free(&parser);
    vigil__arena_reset(&c->arena);
    return c->rc;
}

static int parse(vigil__parse *p)
{
    csv_ctx c;
    memset(&c, 0, sizeof(c));
    c.p = p;
    c.ents = json_object();
    c.lines = json_object();
    c.remarks = json_object();
    c.order = json_array();
    int rc = 0;
    const vigil__file *sdn = NULL;
    for (size_t i = 0; i < p->nfiles && rc == 0; i++)
        if (vigil__detect(p->files[i].data, p->files[i].len) == &vigil__fmt_ofac_csv_sdn) {
            if (sdn)
                rc = vigil__parse_fail(p, p->files[i].path, 0,
                                       "a second sdn.csv in one OFAC CSV set (first: %s)",
                                       sdn->path);
            sdn = &p->files[i];
        }
    if (rc == 0 && !sdn)
        rc = vigil__parse_fail(p, p->files[0].path, 0,
                               "an OFAC CSV file needs its sdn.csv: give the files of the set "
                               "together, or their folder");
    if (rc == 0 && (!c.ents || !c.lines || !c.remarks || !c.order))
        rc = vigil__parse_fail(p, p->files[0].path, 0, "out of memory");
    /* sdn.csv first, whatever order the files came in */
    for (int pass = 0; pass < 2 && rc == 0; pass++)
        for (size_t i = 0; i < p->nfiles && rc == 0; i++) {
            const vigil__list_format *f = vigil__detect(p->files[i].data, p->files[i].len);
            if ((pass == 0) != (f == &vigil__fmt_ofac_csv_sdn))
                continue;
            if (!f || (f != &vigil__fmt_ofac_csv_sdn && f->set != &vigil__fmt_ofac_csv_sdn))
                rc = vigil__parse_fail(p, p->files[i].path, 1,
                                       "not a file of the OFAC SDN CSV set");
            else
                rc = read_file(&c, &p->files[i], f);
        }
    size_t i;
    json_t *id;
    json_array_foreach(c.order, i, id)
    {
        if (rc)
            break;
        const char *ent = json_string_value(id);
        json_t *e = json_incref(json_object_get(c.ents, ent));
        size_t line = (size_t)json_integer_value(json_object_get(c.lines, ent));
        if (vigil__ofac_remarks(e, json_string_value(json_object_get(c.remarks, ent))) != 0) {
            json_decref(e);
            rc = vigil__parse_fail(p, sdn->path, line, "remarks of %s too long", ent);
            break;
        }
        rc = vigil__parse_emit(p, e, sdn->path, line);
    }
    json_decref(c.ents);
    json_decref(c.lines);
    json_decref(c.remarks);
    json_decref(c.order);
    return rc;
}

/* The SDN legacy CSV set: sdn.csv reads the set; alt.csv, add.csv and
 * sdn_comments.csv are files of it, refused alone. */
const vigil__list_format vigil__fmt_ofac_csv_sdn = {
    .name = "ofac-sdn-csv",
    .source = "ofac",
    .fuzz = "ofac_csv",
    .csv_fields = 12,
    .parse = parse,
};
#define PART(file)                                                                             \
    "an OFAC " file " file needs its sdn.csv: give the files together or their folder"
const vigil__list_format vigil__fmt_ofac_csv_alt = {
    .name = "ofac-sdn-csv",
    .source = "ofac",
    .csv_fields = 5,
    .refused = PART("alt.csv"),
    .set = &vigil__fmt_ofac_csv_sdn,
};
const vigil__list_format vigil__fmt_ofac_csv_add = {
    .name = "ofac-sdn-csv",
    .source = "ofac",
    .csv_fields = 6,
    .refused = PART("add.csv"),
    .set = &vigil__fmt_ofac_csv_sdn,
};
const vigil__list_format vigil__fmt_ofac_csv_comments = {
    .name = "ofac-sdn-csv",
    .source = "ofac",
    .csv_fields = 2,
    .refused = PART("sdn_comments.csv"),
    .set = &vigil__fmt_ofac_csv_sdn,
};
