/*
 * un_sc.c - the UN Security Council consolidated list, official XML
 * (sc-sanctions.xsd).
 *
 * Root <CONSOLIDATED_LIST dateGenerated=...> with <INDIVIDUALS>/<INDIVIDUAL>
 * and <ENTITIES>/<ENTITY>. The name is FIRST_NAME..FOURTH_NAME in order;
 * REFERENCE_NUMBER (e.g. QDi.276) is the id. Alias QUALITY "Low" is a weak
 * alias, "f.k.a." a former name; NAME_ORIGINAL_SCRIPT is the name in its own
 * script. docs/lists.md lists what is read.
 */
#include <string.h>

#include "xml.h"

static int on_root(vigil__xml *x, xmlTextReaderPtr r)
{
    return vigil__xml_root_date(x, r, "dateGenerated");
}

/* Every <VALUE> under each child `name` of rec, through add. */
static int values(vigil__xml *x, json_t *e, xmlNode *rec, const char *name,
                  int (*add)(json_t *, const char *, const char *), const char *key)
{
    int bad = 0;
    VX_FOREACH(c, rec, name)
    VX_FOREACH(v, c, "VALUE")
    bad |= add(e, key, vigil__xml_text(x, v));
    return bad;
}

static int add_nationality(json_t *e, const char *key, const char *v)
{
    (void)key;
    return vigil__ent_nationality(e, v);
}

static int alias_kind(const char *quality, const char **kind)
{
    *kind = "alias";
    if (quality && strcmp(quality, "Low") == 0)
        *kind = "weak_alias";
    else if (quality && strcmp(quality, "f.k.a.") == 0)
        *kind = "former";
    return 0;
}

static int on_record(vigil__xml *x, xmlNode *rec, size_t line)
{
    int person = vigil__xml_is(rec, "INDIVIDUAL");
    if (!person && !vigil__xml_is(rec, "ENTITY"))
        return 0;
    const char *id = vigil__xml_ctext(x, rec, "REFERENCE_NUMBER");
    json_t *e = vigil__ent_new(x->p->fmt->source, id, person ? "Person" : "Organization");
    int bad = 0;
    const char *parts[] = {
        vigil__xml_ctext(x, rec, "FIRST_NAME"), vigil__xml_ctext(x, rec, "SECOND_NAME"),
        vigil__xml_ctext(x, rec, "THIRD_NAME"), vigil__xml_ctext(x, rec, "FOURTH_NAME")};
    bad |= vigil__ent_name(e, vigil__xml_join(x, " ", parts, 4), "primary", NULL);
    bad |= vigil__ent_name(e, vigil__xml_ctext(x, rec, "NAME_ORIGINAL_SCRIPT"),
                           "original_script", NULL);
    bad |= vigil__ent_list(e, "un_references", id);
    bad |= vigil__ent_set(e, "dataid", vigil__xml_ctext(x, rec, "DATAID"));
    bad |= vigil__ent_list(e, "programmes", vigil__xml_ctext(x, rec, "UN_LIST_TYPE"));
    bad |= vigil__ent_set(e, "listed_on", vigil__xml_ctext(x, rec, "LISTED_ON"));
    bad |= vigil__ent_gender(e, vigil__xml_ctext(x, rec, "GENDER"));
    bad |= vigil__ent_list(e, "remarks", vigil__xml_ctext(x, rec, "COMMENTS1"));
    bad |= values(x, e, rec, "DESIGNATION", vigil__ent_list, "positions");
    bad |= values(x, e, rec, "TITLE", vigil__ent_list, "titles");
    bad |= values(x, e, rec, "NATIONALITY", add_nationality, NULL);
    bad |= values(x, e, rec, "LAST_DAY_UPDATED", vigil__ent_list, "updated_on");

    const char *alias_el = person ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS";
    VX_FOREACH(a, rec, alias_el)
    {
        const char *kind;
        alias_kind(vigil__xml_ctext(x, a, "QUALITY"), &kind);
        bad |= vigil__ent_name(e, vigil__xml_ctext(x, a, "ALIAS_NAME"), kind, NULL);
        bad |= vigil__ent_birth_date(e, vigil__xml_ctext(x, a, "DATE_OF_BIRTH"));
        bad |= vigil__ent_birth_place(e, vigil__xml_ctext(x, a, "CITY_OF_BIRTH"),
                                      vigil__xml_ctext(x, a, "COUNTRY_OF_BIRTH"));
    }
    const char *addr_el = person ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS";
    VX_FOREACH(a, rec, addr_el)
    {
        const char *ap[] = {vigil__xml_ctext(x, a, "STREET"), vigil__xml_ctext(x, a, "CITY"),
                            vigil__xml_ctext(x, a, "STATE_PROVINCE"),
                            vigil__xml_ctext(x, a, "ZIP_CODE"), vigil__xml_ctext(x, a, "NOTE")};
        bad |= vigil__ent_address(e, vigil__xml_join(x, ", ", ap, 5),
                                  vigil__xml_ctext(x, a, "COUNTRY"));
    }
    VX_FOREACH(b, rec, "INDIVIDUAL_DATE_OF_BIRTH")
    {
        const char *type = vigil__xml_ctext(x, b, "TYPE_OF_DATE");
        const char *date = vigil__xml_ctext(x, b, "DATE");
        const char *year = vigil__xml_ctext(x, b, "YEAR");
        const char *from = vigil__xml_ctext(x, b, "FROM_YEAR");
        const char *to = vigil__xml_ctext(x, b, "TO_YEAR");
        vigil__date d;
        int ok = 0;
        char buf[64];
        if (date)
            ok = vigil__date_parse(date, &d);
        else if (year)
            ok = vigil__date_parse(year, &d);
        else if (from && to) {
            snprintf(buf, sizeof(buf), "%.8s to %.8s", from, to);
            ok = vigil__date_parse(buf, &d);
        }
        if (ok) {
            d.circa = type && strcmp(type, "APPROXIMATELY") == 0;
            bad |= vigil__ent_birth_date_parts(e, &d, NULL);
        }
    }
    VX_FOREACH(b, rec, "INDIVIDUAL_PLACE_OF_BIRTH")
    {
        const char *pp[] = {vigil__xml_ctext(x, b, "CITY"),
                            vigil__xml_ctext(x, b, "STATE_PROVINCE")};
        bad |= vigil__ent_birth_place(e, vigil__xml_join(x, ", ", pp, 2),
                                      vigil__xml_ctext(x, b, "COUNTRY"));
    }
    VX_FOREACH(d, rec, "INDIVIDUAL_DOCUMENT")
    {
        const char *type = vigil__xml_ctext(x, d, "TYPE_OF_DOCUMENT");
        const char *type2 = vigil__xml_ctext(x, d, "TYPE_OF_DOCUMENT2");
        const char *country = vigil__xml_ctext(x, d, "ISSUING_COUNTRY");
        if (!country)
            country = vigil__xml_ctext(x, d, "COUNTRY_OF_ISSUE");
        const char *np[] = {type, type2, vigil__xml_ctext(x, d, "DATE_OF_ISSUE"),
                            vigil__xml_ctext(x, d, "CITY_OF_ISSUE"),
                            vigil__xml_ctext(x, d, "NOTE")};
        bad |= vigil__ent_identifier(e, vigil__id_type(type ? type : type2),
                                     vigil__xml_ctext(x, d, "NUMBER"), country,
                                     vigil__xml_join(x, "; ", np, 5));
    }
    if (bad) {
        json_decref(e);
        return vigil__parse_fail(x->p, x->f->path, line, "a field of %s is too long",
                                 id ? id : "a record");
    }
    return vigil__parse_emit(x->p, e, x->f->path, line);
}

static int parse(vigil__parse *p)
{
    return vigil__xml_walk(p, &p->files[0], 2, NULL, on_root, on_record);
}

const vigil__list_format vigil__fmt_un_sc = {
    .name = "un-sc-xml",
    .source = "un",
    .fuzz = "un",
    .xml_roots = {"CONSOLIDATED_LIST"},
    .parse = parse,
};
