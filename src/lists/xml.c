/*
 * xml.c - streaming XML records for the XML list formats; see xml.h.
 *
 * Safety: the reader never loads external entities or DTDs (no XML_PARSE_NOENT,
 * XML_PARSE_DTDLOAD), never touches the network (XML_PARSE_NONET), and keeps
 * libxml2's default bounds on text and depth (no XML_PARSE_HUGE). The first
 * error libxml2 reports is kept with its line and ends the walk.
 */
#include <string.h>

#include "xml.h"

/* Errors libxml2 sends to its generic handler (encoding, I/O) would go to
 * stderr; the library never prints, so they go nowhere and the structured
 * handler keeps the first. */
void vigil__xml_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

void vigil__xml_message(const xmlError *err, char *out, size_t cap)
{
    snprintf(out, cap, "%s", err && err->message ? err->message : "XML error");
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
        out[--n] = '\0';
}

static void on_error(void *arg, xmlErrorPtr err)
{
    vigil__xml_error *e = arg;
    if (e->set || !err || err->level < XML_ERR_ERROR)
        return;
    e->set = 1;
    e->line = err->line;
    vigil__xml_message(err, e->msg, sizeof(e->msg));
}

xmlTextReaderPtr vigil__xml_reader_open(const char *data, size_t len, vigil__xml_error *e)
{
    memset(e, 0, sizeof(*e));
    if (len > (size_t)INT32_MAX) {
        e->set = 1;
        snprintf(e->msg, sizeof(e->msg), "too large for the XML reader");
        return NULL;
    }
    /* libxml2 keeps these per thread; set before the reader exists, since it
     * reports encoding errors while it starts; restored when it is closed */
    e->old_generic = xmlGenericError;
    e->old_generic_ctx = xmlGenericErrorContext;
    e->old_structured = xmlStructuredError;
    e->old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, vigil__xml_quiet);
    xmlSetStructuredErrorFunc(e, on_error);
    xmlTextReaderPtr r =
        xmlReaderForMemory(data, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (!r) {
        vigil__xml_reader_close(NULL, e);
        if (!e->set) {
            e->set = 1;
            snprintf(e->msg, sizeof(e->msg), "cannot read this XML");
        }
        return NULL;
    }
    xmlTextReaderSetStructuredErrorHandler(r, on_error, e);
    return r;
}

void vigil__xml_reader_close(xmlTextReaderPtr r, vigil__xml_error *e)
{
    if (r)
        xmlFreeTextReader(r);
    xmlSetGenericErrorFunc(e->old_generic_ctx, e->old_generic);
    xmlSetStructuredErrorFunc(e->old_structured_ctx, e->old_structured);
}

int vigil__xml_is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

xmlNode *vigil__xml_child(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (vigil__xml_is(c, name))
            return c;
    return NULL;
}

xmlNode *vigil__xml_next(const xmlNode *n, const char *name)
{
    for (xmlNode *c = n->next; c; c = c->next)
        if (vigil__xml_is(c, name))
            return c;
    return NULL;
}

static const char *keep(vigil__xml *x, const char *name, const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    if (n > VIGIL__MAX_FIELD_BYTES) {
        if (!x->too_long)
            snprintf(x->too_long_name, sizeof(x->too_long_name), "%s", name);
        x->too_long = 1;
        return NULL;
    }
    char *c = vigil__arena_strndup(&x->arena, s, n);
    if (!c)
        return NULL;
    vigil__squeeze(c);
    return *c ? c : NULL;
}

const char *vigil__xml_attr(vigil__xml *x, const xmlNode *n, const char *name)
{
    if (!n)
        return NULL;
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    const char *r = keep(x, name, (const char *)v);
    xmlFree(v);
    return r;
}

const char *vigil__xml_text(vigil__xml *x, const xmlNode *n)
{
    if (!n)
        return NULL;
    xmlChar *v = xmlNodeGetContent(n);
    const char *r = keep(x, (const char *)n->name, (const char *)v);
    xmlFree(v);
    return r;
}

const char *vigil__xml_ctext(vigil__xml *x, const xmlNode *n, const char *name)
{
    return vigil__xml_text(x, vigil__xml_child(n, name));
}

const char *vigil__xml_join(vigil__xml *x, const char *sep, const char *const *parts, size_t n)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        if (parts[i])
            total += strlen(parts[i]) + strlen(sep);
    if (!total)
        return NULL;
    char *buf = vigil__arena_alloc(&x->arena, total);
    if (!buf)
        return NULL;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!parts[i])
            continue;
        if (k++)
            strcat(buf, sep);
        strcat(buf, parts[i]);
    }
    return buf;
}

int vigil__xml_root_date(vigil__xml *x, xmlTextReaderPtr r, const char *attr)
{
    xmlChar *g = xmlTextReaderGetAttribute(r, (const xmlChar *)attr);
    if (g) {
        char day[11]; /* "2026-08-05T16:47:04.449+02:00": the date part */
        vigil__date d;
        snprintf(day, sizeof(day), "%s", (const char *)g);
        if (vigil__date_parse(day, &d))
            vigil__date_iso(&d, x->p->published, sizeof(x->p->published));
        xmlFree(g);
    }
    return 0;
}

size_t vigil__xml_line(const xmlNode *n, size_t fallback)
{
    long l = n ? xmlGetLineNo(n) : -1;
    return l > 0 ? (size_t)l : fallback;
}

int vigil__xml_walk(vigil__parse *p, const vigil__file *f, int depth, const char *root_record,
                    vigil__xml_root_fn on_root, vigil__xml_rec_fn on_record)
{
    vigil__xml_error err;
    xmlTextReaderPtr r = vigil__xml_reader_open(f->data, f->len, &err);
    if (!r)
        return vigil__parse_fail(p, f->path, 0, "cannot read this XML: %s", err.msg);
    vigil__xml x;
    memset(&x, 0, sizeof(x));
    x.p = p;
    x.f = f;
    int rc = 0, seen_root = 0;
    int ret = xmlTextReaderRead(r);
    while (ret == 1 && rc == 0 && !err.set) {
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
            ret = xmlTextReaderRead(r);
            continue;
        }
        int d = xmlTextReaderDepth(r);
        const char *name = (const char *)xmlTextReaderConstLocalName(r);
        size_t line = (size_t)xmlTextReaderGetParserLineNumber(r);
        if (d == 0 && !seen_root) {
            seen_root = 1;
            if (on_root && (rc = on_root(&x, r)) != 0)
                break;
        }
        int is_root_record = (d == 0 && root_record && name && strcmp(name, root_record) == 0);
        if (d != depth && !is_root_record) {
            ret = xmlTextReaderRead(r);
            continue;
        }
        xmlNode *n = xmlTextReaderExpand(r);
        if (!n || err.set)
            break;
        line = vigil__xml_line(n, line);
        x.too_long = 0;
        rc = on_record(&x, n, line);
        if (rc == 0 && x.too_long)
            rc = vigil__parse_fail(p, f->path, line, "field <%s> longer than %zu bytes",
                                   x.too_long_name, VIGIL__MAX_FIELD_BYTES);
        vigil__arena_reset(&x.arena);
        /* Next() skips the subtree (the reader frees it) and stops on the
         * following node, which the loop then looks at without reading on. */
        ret = xmlTextReaderNext(r);
    }
    if (rc == 0 && !err.set && ret < 0)
        rc = vigil__parse_fail(p, f->path, (size_t)xmlTextReaderGetParserLineNumber(r),
                               "malformed XML");
    if (rc == 0 && err.set)
        rc = vigil__parse_fail(p, f->path, err.line > 0 ? (size_t)err.line : 0,
                               "malformed XML: %s", err.msg);
    else if (rc == 0 && !seen_root)
        rc = vigil__parse_fail(p, f->path, 1, "no XML root element");
    vigil__arena_reset(&x.arena);
    vigil__xml_reader_close(r, &err);
    return rc;
}
