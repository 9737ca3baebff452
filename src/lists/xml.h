/*
 * xml.h - streaming XML records for the XML list formats (libxml2).
 *
 * A file is read with xmlTextReader: each record element (at a set depth) is
 * expanded into a small tree, handed to the format's callback, then dropped,
 * so memory stays flat however long the list is. Strings taken from a record
 * live in an arena reset after each record.
 */
#ifndef VIGIL_LISTS_XML_H
#define VIGIL_LISTS_XML_H

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#include "../internal.h"

typedef struct vigil__xml {
    vigil__parse *p;
    const vigil__file *f;
    vigil__arena arena;
    int too_long; /* a field over the bound was met in this record */
    char too_long_name[64];
} vigil__xml;

/* A reader over data that never loads external entities or DTDs and never
 * touches the network, its first error kept here with its line (and the
 * thread's libxml2 error handlers it replaced, put back by close). */
typedef struct {
    char msg[VIGIL__ERRMSG];
    int line;
    int set;
    xmlGenericErrorFunc old_generic;
    xmlStructuredErrorFunc old_structured;
    void *old_generic_ctx, *old_structured_ctx;
} vigil__xml_error;
/* libxml2's generic error handler that drops what it is given: the library
 * never prints, and the structured handler keeps the first error. */
void vigil__xml_quiet(void *ctx, const char *msg, ...);
/* err's message into out (cap bytes) without its trailing new line. */
void vigil__xml_message(const xmlError *err, char *out, size_t cap);
/* NULL with e->msg set when it cannot start. Close it (also when NULL). */
xmlTextReaderPtr vigil__xml_reader_open(const char *data, size_t len, vigil__xml_error *e);
void vigil__xml_reader_close(xmlTextReaderPtr r, vigil__xml_error *e);

/* Called for the root element: read its attributes with the reader. */
typedef int (*vigil__xml_root_fn)(vigil__xml *x, xmlTextReaderPtr r);
/* Called for every element at the record depth (and for the root itself when
 * its name is root_record), expanded. line is the element's start line. */
typedef int (*vigil__xml_rec_fn)(vigil__xml *x, xmlNode *rec, size_t line);

/* Streams file f. Returns 0 or a vigil_rc with x->p->err set. */
int vigil__xml_walk(vigil__parse *p, const vigil__file *f, int depth, const char *root_record,
                    vigil__xml_root_fn on_root, vigil__xml_rec_fn on_record);

/* The local name of element n is name. */
int vigil__xml_is(const xmlNode *n, const char *name);
/* First child element of n named name, or NULL; next sibling element so named. */
xmlNode *vigil__xml_child(const xmlNode *n, const char *name);
xmlNode *vigil__xml_next(const xmlNode *n, const char *name);
/* Attribute / text of n / text of child `name`: an arena string, NULL when
 * absent or empty. A value over VIGIL__MAX_FIELD_BYTES gives NULL and marks
 * x->too_long. */
const char *vigil__xml_attr(vigil__xml *x, const xmlNode *n, const char *name);
const char *vigil__xml_text(vigil__xml *x, const xmlNode *n);
const char *vigil__xml_ctext(vigil__xml *x, const xmlNode *n, const char *name);
/* Joins the non-NULL strings with sep into an arena string; NULL if all NULL. */
const char *vigil__xml_join(vigil__xml *x, const char *sep, const char *const *parts, size_t n);
/* Sets x->p->published from the root's date attribute attr (an ISO date or
 * date-time, whose first ten characters are read). Returns 0. */
int vigil__xml_root_date(vigil__xml *x, xmlTextReaderPtr r, const char *attr);
/* Line of node n (its start tag), or fallback when libxml2 kept none. */
size_t vigil__xml_line(const xmlNode *n, size_t fallback);

#define VX_FOREACH(var, parent, name)                                                          \
    for (xmlNode *var = vigil__xml_child((parent), (name)); var;                               \
         var = vigil__xml_next(var, (name)))

#endif
