/*
 * eu_fsf.c - the EU Financial Sanctions Files, XML 1.1 (fsf-schema-1.1.xsd).
 *
 * Root <export generationDate=...>, one <sanctionEntity logicalId=...> per
 * designation; a lone <sanctionEntity> as root is read too (a fragment). The
 * first <nameAlias> is the primary name; strong="false" marks a weak alias.
 * What is read and what is left out: docs/lists.md.
 */
#include <string.h>

#include "xml.h"

static int on_root(vigil__xml *x, xmlTextReaderPtr r)
{
    return vigil__xml_root_date(x, r, "generationDate");
}

static const char *schema_of(vigil__xml *x, xmlNode *rec)
{
    const char *code = vigil__xml_attr(x, vigil__xml_child(rec, "subjectType"), "code");
    if (code && strcmp(code, "person") == 0)
        return "Person";
    return "Organization"; /* "enterprise" */
}

static int country_or(vigil__xml *x, xmlNode *n, const char **out)
{
    const char *iso = vigil__xml_attr(x, n, "countryIso2Code");
    if (iso && strcmp(iso, "00") != 0) {
        *out = iso;
        return 0;
    }
    const char *desc = vigil__xml_attr(x, n, "countryDescription");
    *out = (desc && strcmp(desc, "UNKNOWN") != 0) ? desc : NULL;
    return 0;
}

static int on_record(vigil__xml *x, xmlNode *rec, size_t line)
{
    if (!vigil__xml_is(rec, "sanctionEntity"))
        return 0;
    const char *id = vigil__xml_attr(x, rec, "logicalId");
    json_t *e = vigil__ent_new(x->p->fmt->source, id, schema_of(x, rec));
    int bad = 0;
    bad |= vigil__ent_set(e, "reference", vigil__xml_attr(x, rec, "euReferenceNumber"));
    bad |= vigil__ent_list(e, "un_references", vigil__xml_attr(x, rec, "unitedNationId"));
    bad |= vigil__ent_set(e, "listed_on", vigil__xml_attr(x, rec, "designationDate"));
    bad |= vigil__ent_list(e, "remarks", vigil__xml_attr(x, rec, "designationDetails"));
    VX_FOREACH(rm, rec, "remark")
    bad |= vigil__ent_list(e, "remarks", vigil__xml_text(x, rm));
    VX_FOREACH(reg, rec, "regulation")
    {
        bad |= vigil__ent_list(e, "programmes", vigil__xml_attr(x, reg, "programme"));
        bad |= vigil__ent_list(e, "legal_basis", vigil__xml_attr(x, reg, "numberTitle"));
        if (!json_object_get(e, "listed_on"))
            bad |= vigil__ent_set(e, "listed_on", vigil__xml_attr(x, reg, "publicationDate"));
    }
    int first = 1;
    VX_FOREACH(na, rec, "nameAlias")
    {
        const char *fn = vigil__xml_attr(x, na, "firstName");
        const char *mn = vigil__xml_attr(x, na, "middleName");
        const char *ln = vigil__xml_attr(x, na, "lastName");
        const char *whole = vigil__xml_attr(x, na, "wholeName");
        if (!whole) {
            const char *parts[] = {fn, mn, ln};
            whole = vigil__xml_join(x, " ", parts, 3);
        }
        const char *strong = vigil__xml_attr(x, na, "strong");
        const char *kind = first                                      ? "primary"
                           : (strong && strcmp(strong, "false") == 0) ? "weak_alias"
                                                                      : "alias";
        if (whole)
            first = 0;
        bad |= vigil__ent_name_parts(e, whole, kind, vigil__xml_attr(x, na, "nameLanguage"), fn,
                                     mn, ln, NULL);
        bad |= vigil__ent_gender(e, vigil__xml_attr(x, na, "gender"));
        bad |= vigil__ent_list(e, "titles", vigil__xml_attr(x, na, "title"));
        bad |= vigil__ent_list(e, "positions", vigil__xml_attr(x, na, "function"));
        VX_FOREACH(rm, na, "remark")
        bad |= vigil__ent_list(e, "remarks", vigil__xml_text(x, rm));
    }
    VX_FOREACH(c, rec, "citizenship")
    {
        const char *country;
        country_or(x, c, &country);
        bad |= vigil__ent_nationality(e, country);
    }
    VX_FOREACH(b, rec, "birthdate")
    {
        const char *iso = vigil__xml_attr(x, b, "birthdate");
        const char *circa = vigil__xml_attr(x, b, "circa");
        vigil__date d;
        memset(&d, 0, sizeof(d));
        int ok = iso ? vigil__date_parse(iso, &d) : 0;
        if (!ok) {
            const char *y = vigil__xml_attr(x, b, "year");
            const char *m = vigil__xml_attr(x, b, "monthOfYear");
            const char *dd = vigil__xml_attr(x, b, "dayOfMonth");
            char buf[32];
            snprintf(buf, sizeof(buf), "%s-%s-%s", y ? y : "", m ? m : "mm", dd ? dd : "dd");
            ok = y && vigil__date_parse(buf, &d);
            const char *yf = vigil__xml_attr(x, b, "yearRangeFrom");
            const char *yt = vigil__xml_attr(x, b, "yearRangeTo");
            if (!ok && yf && yt) {
                snprintf(buf, sizeof(buf), "%s to %s", yf, yt);
                ok = vigil__date_parse(buf, &d);
            }
        }
        if (ok) {
            d.circa = circa && strcmp(circa, "true") == 0;
            bad |= vigil__ent_birth_date_parts(e, &d, iso);
        }
        const char *country;
        country_or(x, b, &country);
        const char *pl[] = {vigil__xml_attr(x, b, "place"), vigil__xml_attr(x, b, "city"),
                            vigil__xml_attr(x, b, "region")};
        bad |= vigil__ent_birth_place(e, vigil__xml_join(x, ", ", pl, 3), country);
    }
    VX_FOREACH(idn, rec, "identification")
    {
        const char *country;
        country_or(x, idn, &country);
        const char *type = vigil__xml_attr(x, idn, "identificationTypeCode");
        const char *desc = vigil__xml_attr(x, idn, "identificationTypeDescription");
        const char *t = vigil__id_type(type);
        if (strcmp(t, "other") == 0)
            t = vigil__id_type(desc);
        const char *notes[] = {desc, vigil__xml_attr(x, idn, "issuedBy"),
                               vigil__xml_ctext(x, idn, "remark")};
        const char *number = vigil__xml_attr(x, idn, "number");
        if (!number)
            number = vigil__xml_attr(x, idn, "latinNumber");
        bad |= vigil__ent_identifier(e, t, number, country, vigil__xml_join(x, "; ", notes, 3));
    }
    VX_FOREACH(a, rec, "address")
    {
        const char *country;
        country_or(x, a, &country);
        const char *parts[] = {
            vigil__xml_attr(x, a, "street"),  vigil__xml_attr(x, a, "poBox"),
            vigil__xml_attr(x, a, "zipCode"), vigil__xml_attr(x, a, "city"),
            vigil__xml_attr(x, a, "region"),  vigil__xml_attr(x, a, "place")};
        bad |= vigil__ent_address(e, vigil__xml_join(x, ", ", parts, 6), country);
    }
    if (bad) {
        json_decref(e);
        return vigil__parse_fail(x->p, x->f->path, line, "a field of entity %s is too long",
                                 id ? id : "?");
    }
    return vigil__parse_emit(x->p, e, x->f->path, line);
}

static int parse(vigil__parse *p)
{
    return vigil__xml_walk(p, &p->files[0], 1, "sanctionEntity", on_root, on_record);
}

const vigil__list_format vigil__fmt_eu_fsf = {
    .name = "eu-fsf-xml",
    .source = "eu",
    .fuzz = "eu",
    .xml_roots = {"export", "sanctionEntity"},
    .parse = parse,
};
