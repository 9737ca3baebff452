/*
 * ofac_xml.c - OFAC lists in the sdn.xml schema (SDN and the consolidated
 * non-SDN list): <sdnList><publshInformation><Publish_Date>MM/DD/YYYY ...
 * then one <sdnEntry> per entry, uid the id. An individual's name is written
 * "LAST, First" as in the CSV set, so both give the same entity. Remarks are
 * read as in ofac_remarks.c. docs/lists.md lists what is read.
 */
#include <stdio.h>
#include <string.h>

#include "ofac.h"
#include "xml.h"

/* "LASTNAME, First" in the arena. */
static const char *full_name(vigil__xml *x, const char *first, const char *last)
{
    const char *parts[] = {last, first};
    return vigil__xml_join(x, ", ", parts, 2);
}

static int on_record(vigil__xml *x, xmlNode *rec, size_t line)
{
    if (vigil__xml_is(rec, "publshInformation")) {
        const char *d = vigil__xml_ctext(x, rec, "Publish_Date");
        int m, dd, y;
        char tail;
        /* month first, unlike every other list */
        if (d && sscanf(d, "%d/%d/%d%c", &m, &dd, &y, &tail) == 3 && m >= 1 && m <= 12 &&
            dd >= 1 && dd <= 31 && y >= 1900 && y <= 2100)
            snprintf(x->p->published, sizeof(x->p->published), "%04d-%02d-%02d", y, m, dd);
        return 0;
    }
    if (!vigil__xml_is(rec, "sdnEntry"))
        return 0;
    const char *id = vigil__xml_ctext(x, rec, "uid");
    const char *type = vigil__xml_ctext(x, rec, "sdnType");
    const char *schema = vigil__ofac_schema(type);
    json_t *e = vigil__ent_new(x->p->fmt->source, id, schema);
    int bad = 0;
    const char *first = vigil__xml_ctext(x, rec, "firstName");
    const char *last = vigil__xml_ctext(x, rec, "lastName");
    bad |= vigil__ent_name_parts(e, full_name(x, first, last), "primary", NULL, first, NULL,
                                 last, NULL);
    bad |= vigil__ent_list(e, "positions", vigil__xml_ctext(x, rec, "title"));
    VX_FOREACH(pr, vigil__xml_child(rec, "programList"), "program")
    bad |= vigil__ent_list(e, "programmes", vigil__xml_text(x, pr));
    VX_FOREACH(a, vigil__xml_child(rec, "akaList"), "aka")
    {
        const char *t = vigil__xml_ctext(x, a, "type");
        const char *cat = vigil__xml_ctext(x, a, "category");
        const char *kind = "alias";
        if (t && strcmp(t, "f.k.a.") == 0)
            kind = "former";
        else if (cat && vigil__ieq(cat, "weak"))
            kind = "weak_alias";
        const char *af = vigil__xml_ctext(x, a, "firstName");
        const char *al = vigil__xml_ctext(x, a, "lastName");
        bad |= vigil__ent_name_parts(e, full_name(x, af, al), kind, NULL, af, NULL, al, cat);
    }
    VX_FOREACH(i, vigil__xml_child(rec, "idList"), "id")
    {
        const char *t = vigil__xml_ctext(x, i, "idType");
        const char *num = vigil__xml_ctext(x, i, "idNumber");
        if (t && vigil__ieq(t, "Gender")) {
            bad |= vigil__ent_gender(e, num);
            continue;
        }
        const char *it = vigil__id_type(t);
        if (strcmp(it, "imo") == 0)
            bad |= vigil__ent_set(e, "imo", num);
        const char *notes[] = {t, vigil__xml_ctext(x, i, "issueDate"),
                               vigil__xml_ctext(x, i, "expirationDate")};
        bad |= vigil__ent_identifier(e, it, num, vigil__xml_ctext(x, i, "idCountry"),
                                     vigil__xml_join(x, "; ", notes, 3));
    }
    VX_FOREACH(a, vigil__xml_child(rec, "addressList"), "address")
    {
        const char *ap[] = {
            vigil__xml_ctext(x, a, "address1"),        vigil__xml_ctext(x, a, "address2"),
            vigil__xml_ctext(x, a, "address3"),        vigil__xml_ctext(x, a, "city"),
            vigil__xml_ctext(x, a, "stateOrProvince"), vigil__xml_ctext(x, a, "postalCode")};
        bad |= vigil__ent_address(e, vigil__xml_join(x, ", ", ap, 6),
                                  vigil__xml_ctext(x, a, "country"));
    }
    VX_FOREACH(n, vigil__xml_child(rec, "nationalityList"), "nationality")
    bad |= vigil__ent_nationality(e, vigil__xml_ctext(x, n, "country"));
    VX_FOREACH(n, vigil__xml_child(rec, "citizenshipList"), "citizenship")
    bad |= vigil__ent_nationality(e, vigil__xml_ctext(x, n, "country"));
    VX_FOREACH(d, vigil__xml_child(rec, "dateOfBirthList"), "dateOfBirthItem")
    bad |= vigil__ent_birth_date(e, vigil__xml_ctext(x, d, "dateOfBirth"));
    VX_FOREACH(pl, vigil__xml_child(rec, "placeOfBirthList"), "placeOfBirthItem")
    {
        const char *place = vigil__xml_ctext(x, pl, "placeOfBirth");
        const char *country = place ? strrchr(place, ',') : NULL;
        bad |= vigil__ent_birth_place(e, place, country ? country + 1 : place);
    }
    xmlNode *v = vigil__xml_child(rec, "vesselInfo");
    if (v) {
        bad |= vigil__ent_set(e, "call_sign", vigil__xml_ctext(x, v, "callSign"));
        bad |= vigil__ent_set(e, "vessel_type", vigil__xml_ctext(x, v, "vesselType"));
        bad |= vigil__ent_set(e, "flag", vigil__xml_ctext(x, v, "vesselFlag"));
        bad |= vigil__ent_list(e, "owners", vigil__xml_ctext(x, v, "vesselOwner"));
        bad |= vigil__ent_set(e, "tonnage", vigil__xml_ctext(x, v, "tonnage"));
        bad |= vigil__ent_set(e, "gross_tonnage",
                              vigil__xml_ctext(x, v, "grossRegisteredTonnage"));
    }
    bad |= vigil__ofac_remarks(e, vigil__xml_ctext(x, rec, "remarks"));
    if (bad) {
        json_decref(e);
        return vigil__parse_fail(x->p, x->f->path, line, "a field of uid %s is too long",
                                 id ? id : "?");
    }
    return vigil__parse_emit(x->p, e, x->f->path, line);
}

static int parse(vigil__parse *p)
{
    return vigil__xml_walk(p, &p->files[0], 1, NULL, NULL, on_record);
}

const vigil__list_format vigil__fmt_ofac_xml = {
    .name = "ofac-sdn-xml",
    .source = "ofac",
    .fuzz = "ofac_xml",
    .xml_roots = {"sdnList"},
    .parse = parse,
};

/* OFAC's advanced XML is recognised, so that it is refused with a reason */
const vigil__list_format vigil__fmt_ofac_advanced = {
    .name = "ofac-advanced-xml",
    .source = "ofac",
    .xml_roots = {"sanctionsData", "Sanctions"},
    .refused =
        "OFAC advanced XML (sdn_advanced.xsd) is not read: use the SDN legacy CSV set or "
        "sdn.xml (docs/lists.md)",
};
