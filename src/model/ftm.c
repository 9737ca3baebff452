/*
 * ftm.c - an entity in FollowTheMoney's form (the form OpenSanctions' yente
 * answers with: id, caption, schema, properties of lists of strings), from
 * vigil's entity document (docs/lists.md). Each member of the document goes
 * to the FollowTheMoney property that means the same for its schema; what
 * FollowTheMoney has no property for stays in vigil's own fields beside it.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../internal.h"

/* Appends s (when not empty and not there yet) to properties[prop]. */
static void add(json_t *props, const char *prop, const char *s)
{
    if (!s || !*s)
        return;
    json_t *arr = json_object_get(props, prop);
    if (!arr) {
        arr = json_array();
        json_object_set_new(props, prop, arr);
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) if (strcmp(json_string_value(v), s) == 0) return;
    json_array_append_new(arr, json_string(s));
}

/* A country code as FollowTheMoney writes it: lower case. */
static void add_country(json_t *props, const char *prop, const char *code)
{
    char lc[8];
    size_t n = code ? strlen(code) : 0;
    if (n == 0 || n >= sizeof(lc))
        return;
    for (size_t i = 0; i <= n; i++)
        lc[i] = (char)tolower((unsigned char)code[i]);
    add(props, prop, lc);
}

/* Each string of doc[member] (or each object's field) to prop. */
static void add_all(json_t *props, const char *prop, json_t *doc, const char *member,
                    const char *field)
{
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(doc, member), i, v)
        add(props, prop,
            field ? json_string_value(json_object_get(v, field)) : json_string_value(v));
}

const char *vigil__ftm_caption(json_t *doc)
{
    size_t i;
    json_t *n;
    const char *first = NULL;
    json_array_foreach(json_object_get(doc, "names"), i, n)
    {
        const char *s = json_string_value(json_object_get(n, "name"));
        const char *kind = json_string_value(json_object_get(n, "kind"));
        if (!first)
            first = s;
        if (kind && strcmp(kind, "primary") == 0)
            return s;
    }
    return first ? first : json_string_value(json_object_get(doc, "source_id"));
}

json_t *vigil__ftm_properties(json_t *doc)
{
    json_t *p = json_object();
    const char *schema = json_string_value(json_object_get(doc, "schema"));
    int person = schema && strcmp(schema, "Person") == 0;
    int vessel = schema && strcmp(schema, "Vessel") == 0;
    size_t i;
    json_t *v;
    /* names by kind: FollowTheMoney's name, alias, weakAlias, previousName */
    json_array_foreach(json_object_get(doc, "names"), i, v)
    {
        const char *kind = json_string_value(json_object_get(v, "kind"));
        const char *s = json_string_value(json_object_get(v, "name"));
        add(p,
            !kind || !strcmp(kind, "primary") ? "name"
            : !strcmp(kind, "weak_alias")     ? "weakAlias"
            : !strcmp(kind, "former")         ? "previousName"
                                              : "alias",
            s);
        if (person) {
            add(p, "firstName", json_string_value(json_object_get(v, "first")));
            add(p, "middleName", json_string_value(json_object_get(v, "middle")));
            add(p, "lastName", json_string_value(json_object_get(v, "last")));
        }
    }
    if (person) {
        add_all(p, "birthDate", doc, "birth_dates", "date");
        add_all(p, "birthPlace", doc, "birth_places", "place");
        json_array_foreach(json_object_get(doc, "nationalities"), i, v)
            add_country(p, "nationality", json_string_value(v));
        add(p, "gender", json_string_value(json_object_get(doc, "gender")));
        add_all(p, "position", doc, "positions", NULL);
        add_all(p, "title", doc, "titles", NULL);
    }
    json_array_foreach(json_object_get(doc, "countries"), i, v)
        add_country(p, "country", json_string_value(v));
    add_all(p, "address", doc, "addresses", "address");
    /* identifiers: FollowTheMoney's property for each kind, idNumber else */
    static const struct {
        const char *type, *prop;
    } ids[] = {{"passport", "passportNumber"},
               {"national_id", "idNumber"},
               {"tax_id", "taxNumber"},
               {"registration", "registrationNumber"},
               {"imo", "imoNumber"},
               {"mmsi", "mmsi"},
               {"aircraft", "registrationNumber"},
               {"swift_bic", "swiftBic"},
               {"ssn", "idNumber"},
               {"driving_licence", "idNumber"},
               {"lei", "leiCode"}};
    json_array_foreach(json_object_get(doc, "identifiers"), i, v)
    {
        const char *type = json_string_value(json_object_get(v, "type"));
        const char *prop = "idNumber";
        for (size_t k = 0; type && k < sizeof(ids) / sizeof(ids[0]); k++)
            if (strcmp(type, ids[k].type) == 0)
                prop = ids[k].prop;
        if (type && strcmp(type, "crypto_wallet") == 0)
            continue; /* a CryptoWallet entity of its own in FollowTheMoney */
        add(p, prop, json_string_value(json_object_get(v, "number")));
    }
    if (vessel) {
        add(p, "imoNumber", json_string_value(json_object_get(doc, "imo")));
        add_country(p, "flag", json_string_value(json_object_get(doc, "flag")));
        add(p, "type", json_string_value(json_object_get(doc, "vessel_type")));
        add(p, "callSign", json_string_value(json_object_get(doc, "call_sign")));
        add(p, "tonnage", json_string_value(json_object_get(doc, "tonnage")));
        add(p, "grossRegisteredTonnage",
            json_string_value(json_object_get(doc, "gross_tonnage")));
        add(p, "buildDate", json_string_value(json_object_get(doc, "year_built")));
    }
    add_all(p, "email", doc, "emails", NULL);
    add_all(p, "phone", doc, "phones", NULL);
    add_all(p, "website", doc, "websites", NULL);
    add_all(p, "notes", doc, "remarks", NULL);
    add_all(p, "programId", doc, "programmes", NULL);
    /* every entry of a sanctions list is a sanctioned one */
    add(p, "topics", "sanction");
    add_all(p, "topics", doc, "topics", NULL);
    return p;
}

json_t *vigil__ftm_sanction(json_t *doc)
{
    /* each list's authority and the country FollowTheMoney gives it */
    static const struct {
        const char *source, *authority, *country;
    } authorities[] = {{"un", "United Nations Security Council", NULL},
                       {"eu", "Council of the European Union", "eu"},
                       {"uk", "UK Foreign, Commonwealth and Development Office", "gb"},
                       {"ofac", "US Office of Foreign Assets Control", "us"}};
    const char *source = json_string_value(json_object_get(doc, "source"));
    const char *sid = json_string_value(json_object_get(doc, "source_id"));
    const char *authority = NULL, *country = NULL;
    for (size_t k = 0; source && k < sizeof(authorities) / sizeof(authorities[0]); k++)
        if (strcmp(source, authorities[k].source) == 0) {
            authority = authorities[k].authority;
            country = authorities[k].country;
        }
    char id[256], entity[256];
    snprintf(entity, sizeof(entity), "%s:%s", source ? source : "", sid ? sid : "");
    snprintf(id, sizeof(id), "%s:sanction", entity);
    json_t *p = json_object();
    add(p, "authority", authority);
    add_country(p, "country", country);
    add_all(p, "programId", doc, "programmes", NULL);
    add_all(p, "provisions", doc, "legal_basis", NULL);
    add(p, "listingDate", json_string_value(json_object_get(doc, "listed_on")));
    add(p, "entity", entity);
    return json_pack("{s:s,s:s,s:s,s:o,s:[s?],s:[],s:b}", "id", id, "caption",
                     authority ? authority : "Sanction", "schema", "Sanction", "properties", p,
                     "datasets", source, "referents", "target", 0);
}
