/*
 * uk.c - the UK Sanctions List, XML (FCDO, SanctionsListSchema).
 *
 * Root <Designations dateGenerated=...>, one <Designation> per designation,
 * UniqueID (e.g. AFG0011) the id. A name is Name1..Name5 then Name6 (the
 * family name); NameType is "Primary Name" or "Alias" in varying case;
 * AliasStrength "Low quality a.k.a" marks a weak alias. Dates are dd/mm/yyyy
 * with "dd"/"mm" for unknown parts. Individual, entity and ship details are
 * read by element name wherever they sit under their *Details element.
 * docs/lists.md lists what is read.
 */
#include <string.h>

#include "xml.h"

static int on_root(vigil__xml *x, xmlTextReaderPtr r)
{
    return vigil__xml_root_date(x, r, "dateGenerated");
}

/* dd/mm/yyyy to ISO in the arena; the text itself when it does not parse. */
static const char *iso_date(vigil__xml *x, const char *s)
{
    vigil__date d;
    char buf[16];
    if (!s || !vigil__date_parse(s, &d))
        return s;
    vigil__date_iso(&d, buf, sizeof(buf));
    return vigil__arena_strndup(&x->arena, buf, strlen(buf));
}

static const char *schema_of(const char *t)
{
    if (t && vigil__ieq(t, "Individual"))
        return "Person";
    if (t && vigil__ieq(t, "Ship"))
        return "Vessel";
    return "Organization";
}

static int details(vigil__xml *x, json_t *e, xmlNode *n)
{
    int bad = 0;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)c->name;
        if (strcmp(name, "DOB") == 0)
            bad |= vigil__ent_birth_date(e, vigil__xml_text(x, c));
        else if (strcmp(name, "Passport") == 0)
            bad |= vigil__ent_identifier(
                e, "passport", vigil__xml_ctext(x, c, "PassportNumber"), NULL,
                vigil__xml_ctext(x, c, "PassportAdditionalInformation"));
        else if (strcmp(name, "NationalIdentifier") == 0)
            bad |= vigil__ent_identifier(
                e, "national_id", vigil__xml_ctext(x, c, "NationalIdentifierNumber"), NULL,
                vigil__xml_ctext(x, c, "NationalIdentifierAdditionalInformation"));
        else if (strcmp(name, "Nationality") == 0)
            bad |= vigil__ent_nationality(e, vigil__xml_text(x, c));
        else if (strcmp(name, "Position") == 0)
            bad |= vigil__ent_list(e, "positions", vigil__xml_text(x, c));
        else if (strcmp(name, "Gender") == 0)
            bad |= vigil__ent_gender(e, vigil__xml_text(x, c));
        else if (strcmp(name, "Location") == 0)
            bad |= vigil__ent_birth_place(e, vigil__xml_ctext(x, c, "TownOfBirth"),
                                          vigil__xml_ctext(x, c, "CountryOfBirth"));
        else if (strcmp(name, "IMONumber") == 0) {
            const char *imo = vigil__xml_text(x, c);
            if (imo && vigil__iprefix(imo, "IMO"))
                imo += 3;
            bad |= vigil__ent_set(e, "imo", imo);
            bad |= vigil__ent_identifier(e, "imo", imo, NULL, NULL);
        } else if (strcmp(name, "BusinessRegistrationNumber") == 0)
            bad |= vigil__ent_identifier(e, "registration", vigil__xml_text(x, c), NULL, NULL);
        else if (strcmp(name, "CurrentBelievedFlagOfShip") == 0)
            bad |= vigil__ent_set(e, "flag", vigil__xml_text(x, c));
        else if (strcmp(name, "PreviousFlag") == 0)
            bad |= vigil__ent_list(e, "previous_flags", vigil__xml_text(x, c));
        else if (strcmp(name, "TypeOfShip") == 0)
            bad |= vigil__ent_set(e, "vessel_type", vigil__xml_text(x, c));
        else if (strcmp(name, "TonnageOfShip") == 0)
            bad |= vigil__ent_set(e, "tonnage", vigil__xml_text(x, c));
        else if (strcmp(name, "LengthOfShip") == 0)
            bad |= vigil__ent_set(e, "length", vigil__xml_text(x, c));
        else if (strcmp(name, "YearBuilt") == 0)
            bad |= vigil__ent_set(e, "year_built", vigil__xml_text(x, c));
        else if (strcmp(name, "CurrentOwnerOperator") == 0)
            bad |= vigil__ent_list(e, "owners", vigil__xml_text(x, c));
        else if (strcmp(name, "TypeOfEntity") == 0)
            bad |= vigil__ent_list(e, "entity_types", vigil__xml_text(x, c));
        else if (strcmp(name, "ParentCompany") == 0)
            bad |= vigil__ent_list(e, "parent_companies", vigil__xml_text(x, c));
        else if (strcmp(name, "Subsidiary") == 0)
            bad |= vigil__ent_list(e, "subsidiaries", vigil__xml_text(x, c));
        else if (c->children)
            bad |= details(x, e, c);
    }
    return bad;
}

static int on_record(vigil__xml *x, xmlNode *rec, size_t line)
{
    if (!vigil__xml_is(rec, "Designation"))
        return 0;
    const char *id = vigil__xml_ctext(x, rec, "UniqueID");
    json_t *e = vigil__ent_new(x->p->fmt->source, id,
                               schema_of(vigil__xml_ctext(x, rec, "IndividualEntityShip")));
    int bad = 0;
    VX_FOREACH(nm, vigil__xml_child(rec, "Names"), "Name")
    {
        const char *p[6];
        static const char *const el[] = {"Name1", "Name2", "Name3", "Name4", "Name5", "Name6"};
        for (int i = 0; i < 6; i++)
            p[i] = vigil__xml_ctext(x, nm, el[i]);
        const char *type = vigil__xml_ctext(x, nm, "NameType");
        const char *strength = vigil__xml_ctext(x, nm, "AliasStrength");
        const char *kind = "alias";
        if (type && vigil__ieq(type, "Primary Name"))
            kind = "primary";
        else if (strength && vigil__iprefix(strength, "Low"))
            kind = "weak_alias";
        const char *mid[] = {p[1], p[2], p[3], p[4]};
        bad |= vigil__ent_name_parts(e, vigil__xml_join(x, " ", p, 6), kind, NULL, p[0],
                                     vigil__xml_join(x, " ", mid, 4), p[5], strength);
    }
    VX_FOREACH(nl, vigil__xml_child(rec, "NonLatinNames"), "NonLatinName")
    bad |= vigil__ent_name(e, vigil__xml_ctext(x, nl, "NameNonLatinScript"), "original_script",
                           vigil__xml_ctext(x, nl, "NonLatinScriptLanguage"));
    VX_FOREACH(t, vigil__xml_child(rec, "Titles"), "Title")
    bad |= vigil__ent_list(e, "titles", vigil__xml_text(x, t));
    bad |= vigil__ent_set(e, "group_id", vigil__xml_ctext(x, rec, "OFSIGroupID"));
    bad |= vigil__ent_list(e, "un_references", vigil__xml_ctext(x, rec, "UNReferenceNumber"));
    const char *regime = vigil__xml_ctext(x, rec, "RegimeName");
    bad |= vigil__ent_list(e, "programmes", regime);
    bad |= vigil__ent_list(e, "legal_basis", regime);
    bad |=
        vigil__ent_set(e, "listed_on", iso_date(x, vigil__xml_ctext(x, rec, "DateDesignated")));
    bad |=
        vigil__ent_list(e, "updated_on", iso_date(x, vigil__xml_ctext(x, rec, "LastUpdated")));
    bad |=
        vigil__ent_set(e, "designation_source", vigil__xml_ctext(x, rec, "DesignationSource"));
    const char *imposed = vigil__xml_ctext(x, rec, "SanctionsImposed");
    if (imposed) {
        char *copy = vigil__arena_strndup(&x->arena, imposed, strlen(imposed));
        for (char *s = copy ? strtok(copy, "|") : NULL; s; s = strtok(NULL, "|"))
            bad |= vigil__ent_list(e, "sanctions", s);
    }
    bad |= vigil__ent_list(e, "remarks", vigil__xml_ctext(x, rec, "OtherInformation"));
    bad |= vigil__ent_list(e, "remarks", vigil__xml_ctext(x, rec, "UKStatementofReasons"));
    VX_FOREACH(a, vigil__xml_child(rec, "Addresses"), "Address")
    {
        static const char *const el[] = {"AddressLine1",     "AddressLine2", "AddressLine3",
                                         "AddressLine4",     "AddressLine5", "AddressLine6",
                                         "AddressPostalCode"};
        const char *ap[7];
        for (int i = 0; i < 7; i++)
            ap[i] = vigil__xml_ctext(x, a, el[i]);
        bad |= vigil__ent_address(e, vigil__xml_join(x, ", ", ap, 7),
                                  vigil__xml_ctext(x, a, "AddressCountry"));
    }
    for (xmlNode *c = rec->children; c; c = c->next)
        if (vigil__xml_is(c, "IndividualDetails") || vigil__xml_is(c, "EntityDetails") ||
            vigil__xml_is(c, "ShipDetails"))
            bad |= details(x, e, c);
    if (bad) {
        json_decref(e);
        return vigil__parse_fail(x->p, x->f->path, line, "a field of %s is too long",
                                 id ? id : "a designation");
    }
    return vigil__parse_emit(x->p, e, x->f->path, line);
}

static int parse(vigil__parse *p)
{
    return vigil__xml_walk(p, &p->files[0], 1, NULL, on_root, on_record);
}

const vigil__list_format vigil__fmt_uk = {
    .name = "uk-sanctions-xml",
    .source = "uk",
    .fuzz = "uk",
    .xml_roots = {"Designations"},
    .parse = parse,
};
