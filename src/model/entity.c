/*
 * entity.c - the one entity model all lists are read into.
 *
 * An entity is a JSON object (jansson) with a fixed shape, documented in
 * docs/lists.md. It is built only through the adders here, which clean every
 * value the same way (white space squeezed, Unicode NFC, a length bound),
 * resolve countries to ISO codes, parse dates, and never add a value twice, so
 * that the same designation read from two files gives the same document and
 * the same content hash.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

const char *const vigil__schemas[] = {"Person", "Organization", "Company",
                                      "Vessel", "Airplane",     NULL};

const char *vigil__schema_canonical(const char *s)
{
    for (int i = 0; s && vigil__schemas[i]; i++)
        if (vigil__ieq(s, vigil__schemas[i]))
            return vigil__schemas[i];
    return NULL;
}

/* A cleaned, malloc'd copy of s, or NULL when s is empty after cleaning.
 * *err is set to 1 when s is over the field bound or memory ran out. */
static char *clean(const char *s, int *err)
{
    *err = 0;
    if (!s || !*s)
        return NULL;
    if (strlen(s) > VIGIL__MAX_FIELD_BYTES) {
        *err = 1;
        return NULL;
    }
    char *c = vigil__nfc(s);
    if (!c) {
        *err = 1;
        return NULL;
    }
    vigil__squeeze(c);
    /* "-0-" is OFAC's empty field; "-" and "n/a" mean nothing either. */
    if (!c[0] || strcmp(c, "-") == 0 || strcmp(c, "-0-") == 0 || vigil__ieq(c, "n/a")) {
        free(c);
        return NULL;
    }
    return c;
}

static json_t *array_of(json_t *e, const char *key)
{
    json_t *a = json_object_get(e, key);
    if (!a) {
        a = json_array();
        if (!a || json_object_set_new(e, key, a) != 0)
            return NULL;
    }
    return a;
}

/* Appends v (stolen) to e[key] unless an equal value is there. 0 or -1. */
static int push_unique(json_t *e, const char *key, json_t *v)
{
    if (!v)
        return -1;
    json_t *a = array_of(e, key);
    if (!a) {
        json_decref(v);
        return -1;
    }
    size_t i;
    json_t *x;
    json_array_foreach(a, i, x)
    {
        if (json_equal(x, v)) {
            json_decref(v);
            return 0;
        }
    }
    return json_array_append_new(a, v) == 0 ? 0 : -1;
}

/* Sets o[key] = cleaned s when s is non-empty. 0 or -1. */
static int set_clean(json_t *o, const char *key, const char *s)
{
    int err;
    char *c = clean(s, &err);
    if (err)
        return -1;
    if (!c)
        return 0;
    int rc = json_object_set_new(o, key, json_string(c));
    free(c);
    return rc == 0 ? 0 : -1;
}

json_t *vigil__ent_new(const char *source, const char *source_id, const char *schema)
{
    json_t *e = json_object();
    if (!e)
        return NULL;
    json_object_set_new(e, "source", json_string(source));
    json_object_set_new(e, "schema", json_string(schema ? schema : "Person"));
    /* An id over the field bound is left out: vigil__ent_check refuses it. */
    (void)set_clean(e, "source_id", source_id);
    return e;
}

int vigil__ent_name_parts(json_t *e, const char *name, const char *kind, const char *lang,
                          const char *first, const char *middle, const char *last,
                          const char *strength)
{
    int err;
    char *c = clean(name, &err);
    if (err)
        return -1;
    if (!c)
        return 0;
    /* A name given twice keeps its first kind: lists give the primary first. */
    json_t *names = array_of(e, "names");
    size_t i;
    json_t *x;
    json_array_foreach(names, i, x)
    {
        if (strcmp(json_string_value(json_object_get(x, "name")), c) == 0) {
            free(c);
            return 0;
        }
    }
    json_t *n = json_object();
    json_object_set_new(n, "name", json_string(c));
    json_object_set_new(n, "kind", json_string(kind ? kind : "alias"));
    const char *script = vigil__script_of(c);
    if (*script)
        json_object_set_new(n, "script", json_string(script));
    free(c);
    if (lang && *lang) {
        char l[16];
        size_t k = 0;
        for (; lang[k] && k < sizeof(l) - 1; k++)
            l[k] = (char)tolower((unsigned char)lang[k]);
        l[k] = '\0';
        json_object_set_new(n, "lang", json_string(l));
    }
    if (set_clean(n, "first", first) || set_clean(n, "middle", middle) ||
        set_clean(n, "last", last) || set_clean(n, "strength", strength)) {
        json_decref(n);
        return -1;
    }
    return json_array_append_new(names, n) == 0 ? 0 : -1;
}

int vigil__ent_name(json_t *e, const char *name, const char *kind, const char *lang)
{
    return vigil__ent_name_parts(e, name, kind, lang, NULL, NULL, NULL, NULL);
}

int vigil__ent_birth_date_parts(json_t *e, const vigil__date *d, const char *text)
{
    json_t *o = json_object();
    if (!o)
        return -1;
    if (d) {
        char iso[16];
        vigil__date_iso(d, iso, sizeof(iso));
        json_object_set_new(o, "date", json_string(iso));
        if (d->year_to) {
            char to[8];
            snprintf(to, sizeof(to), "%04d", d->year_to);
            json_object_set_new(o, "to", json_string(to));
        }
        if (d->circa)
            json_object_set_new(o, "circa", json_true());
    } else {
        int rc = set_clean(o, "text", text);
        if (rc != 0 || json_object_size(o) == 0) {
            json_decref(o);
            return rc;
        }
    }
    return push_unique(e, "birth_dates", o);
}

int vigil__ent_birth_date(json_t *e, const char *text)
{
    int err;
    char *c = clean(text, &err);
    if (err)
        return -1;
    if (!c)
        return 0;
    vigil__date d;
    int rc;
    if (vigil__date_parse(c, &d))
        rc = vigil__ent_birth_date_parts(e, &d, c);
    else
        rc = vigil__ent_birth_date_parts(e, NULL, c);
    free(c);
    return rc;
}

int vigil__ent_birth_place(json_t *e, const char *place, const char *country)
{
    json_t *o = json_object();
    if (!o)
        return -1;
    if (set_clean(o, "place", place) != 0) {
        json_decref(o);
        return -1;
    }
    const char *code = vigil__country_code(country);
    if (code)
        json_object_set_new(o, "country", json_string(code));
    else if (country && set_clean(o, json_object_get(o, "place") ? "country_text" : "place",
                                  country) != 0) {
        json_decref(o);
        return -1;
    }
    if (json_object_size(o) == 0) {
        json_decref(o);
        return 0;
    }
    return push_unique(e, "birth_places", o);
}

/* Adds a country to e[key] as an ISO code, or its text to e[key_unresolved]. */
static int add_country(json_t *e, const char *key, const char *unresolved, const char *country)
{
    int err;
    char *c = clean(country, &err);
    if (err)
        return -1;
    if (!c)
        return 0;
    const char *code = vigil__country_code(c);
    int rc = code ? push_unique(e, key, json_string(code))
                  : push_unique(e, unresolved, json_string(c));
    free(c);
    return rc;
}

int vigil__ent_nationality(json_t *e, const char *country)
{
    return add_country(e, "nationalities", "nationalities_text", country);
}

int vigil__ent_country(json_t *e, const char *country)
{
    return add_country(e, "countries", "countries_text", country);
}

int vigil__ent_gender(json_t *e, const char *gender)
{
    if (!gender)
        return 0;
    const char *g = NULL;
    while (isspace((unsigned char)*gender))
        gender++;
    if (vigil__ieq(gender, "m") || vigil__ieq(gender, "male") || vigil__ieq(gender, "man"))
        g = "male";
    else if (vigil__ieq(gender, "f") || vigil__ieq(gender, "female") ||
             vigil__ieq(gender, "woman"))
        g = "female";
    if (!g)
        return 0;
    if (!json_object_get(e, "gender"))
        return json_object_set_new(e, "gender", json_string(g)) == 0 ? 0 : -1;
    return 0;
}

/* Markers of identifier types in the document names the lists use, checked
 * in order: the first type with a marker found in the lower-cased text wins. */
static const struct {
    const char *type;
    const char *markers[16];
} id_types[] = {
    {"passport", {"passport", "pasaporte", "travel document", NULL}},
    {"imo", {"imo", NULL}},
    {"aircraft", {"aircraft", NULL}},
    {"mmsi", {"mmsi", NULL}},
    {"driving_licence", {"driver", "driving", NULL}},
    {"tax_id",
     {"tax", "inn", "vat", "v.a.t", "nit ", "nit #", "ruc", "rif", "rfc", "r.f.c", "fiscal",
      NULL}},
    {"swift_bic", {"swift", "bic", NULL}},
    {"registration",
     {"registration", "register", "registry", "ogrn", "company number", "business", "regon",
      "mercantil", "c.r.", "license", "gazette", "d-u-n-s", NULL}},
    {"ssn", {"social security", "ssn", NULL}},
    {"national_id",
     {"national", "identity", "id card", "cedula", "curp", "c.u.r.p", "d.n.i", "personal",
      "identification", "id no", NULL}},
};

const char *vigil__id_type(const char *text)
{
    if (!text || !*text)
        return "other";
    char l[128];
    size_t k = 0;
    for (; text[k] && k < sizeof(l) - 1; k++)
        l[k] = (char)tolower((unsigned char)text[k]);
    l[k] = '\0';
    if (strcmp(l, "id") == 0 || strcmp(l, "nit") == 0)
        return strcmp(l, "id") == 0 ? "national_id" : "tax_id";
    for (size_t i = 0; i < sizeof(id_types) / sizeof(id_types[0]); i++)
        for (const char *const *m = id_types[i].markers; *m; m++)
            if (strstr(l, *m))
                return id_types[i].type;
    return "other";
}

int vigil__ent_identifier(json_t *e, const char *type, const char *number, const char *country,
                          const char *note)
{
    /* a BIC written with its label in the number ("SWIFT/BIC AGRULYLT
     * (Libya)", as the EU list has them): a swift_bic of the next word */
    static const char *const bic_labels[] = {"SWIFT/BIC ", "SWIFT BIC ", "SWIFT ", "BIC ",
                                             NULL};
    char bic[16];
    for (int i = 0; number && bic_labels[i]; i++)
        if (vigil__iprefix(number, bic_labels[i])) {
            const char *b = number + strlen(bic_labels[i]);
            size_t n = strcspn(b, " ;,()");
            if (n == 8 || n == 11) {
                snprintf(bic, sizeof(bic), "%.*s", (int)n, b);
                number = bic;
                type = "swift_bic";
            }
            break;
        }
    int err;
    char *num = clean(number, &err);
    if (err)
        return -1;
    if (!num)
        return 0;
    json_t *o = json_object();
    json_object_set_new(o, "type", json_string(type ? type : "other"));
    json_object_set_new(o, "number", json_string(num));
    free(num);
    const char *code = vigil__country_code(country);
    if (code)
        json_object_set_new(o, "country", json_string(code));
    else if (set_clean(o, "country_text", country) != 0) {
        json_decref(o);
        return -1;
    }
    if (set_clean(o, "note", note) != 0) {
        json_decref(o);
        return -1;
    }
    return push_unique(e, "identifiers", o);
}

int vigil__ent_address(json_t *e, const char *text, const char *country)
{
    json_t *o = json_object();
    if (set_clean(o, "address", text) != 0) {
        json_decref(o);
        return -1;
    }
    const char *code = vigil__country_code(country);
    if (code)
        json_object_set_new(o, "country", json_string(code));
    else if (set_clean(o, "country_text", country) != 0) {
        json_decref(o);
        return -1;
    }
    if (json_object_size(o) == 0) {
        json_decref(o);
        return 0;
    }
    if (code)
        add_country(e, "countries", "countries_text", code);
    return push_unique(e, "addresses", o);
}

int vigil__ent_list(json_t *e, const char *key, const char *value)
{
    int err;
    char *c = clean(value, &err);
    if (err)
        return -1;
    if (!c)
        return 0;
    int rc = push_unique(e, key, json_string(c));
    free(c);
    return rc;
}

int vigil__ent_set(json_t *e, const char *key, const char *value)
{
    int err;
    char *c = clean(value, &err);
    if (err)
        return -1;
    if (!c)
        return 0;
    int rc = 0;
    json_t *old = json_object_get(e, key);
    if (!old) {
        rc = json_object_set_new(e, key, json_string(c)) == 0 ? 0 : -1;
    } else if (strcmp(json_string_value(old), c) != 0) {
        char k2[64];
        snprintf(k2, sizeof(k2), "%s_other", key);
        rc = push_unique(e, k2, json_string(c));
    }
    free(c);
    return rc;
}

const char *vigil__ent_check(const json_t *e)
{
    const char *id = json_string_value(json_object_get(e, "source_id"));
    if (!id || !*id)
        return "record without an id";
    json_t *names = json_object_get(e, "names");
    if (!names || json_array_size(names) == 0)
        return "record without a name";
    return NULL;
}
