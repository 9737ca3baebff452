/*
 * ftm.c - OpenSanctions FollowTheMoney entities, JSON lines, and their delta
 * files ({"op": "ADD"|"MOD"|"DEL", "entity": {...}} per line).
 *
 * Screenable schemas (Person, Organization, Company, LegalEntity, PublicBody,
 * Vessel, Airplane) become entities. Linked entities are folded into what they
 * point at when it is in the same file: a Sanction gives programmes, listing
 * date, authority and reason; an Address referenced by addressEntity gives an
 * address; a Passport or Identification gives an identity document. Other
 * links (ownership, family, directorship) are not read. A file is read whole
 * before anything is emitted, since links may point forward. docs/lists.md.
 */
#include <string.h>

#include "../internal.h"

typedef struct {
    vigil__parse *p;
    const vigil__file *f;
    json_t *raw;   /* id -> {"schema", "properties", ...} as read */
    json_t *lines; /* id -> line */
    json_t *built; /* id -> our entity, screenable ones */
    json_t *order; /* [id or {"del": id}] in file order */
    int delta;     /* -1 unknown, 0 entities, 1 delta */
} ftm_ctx;

static const char *our_schema(const char *s)
{
    static const char *const map[][2] = {
        {"Person", "Person"},           {"Organization", "Organization"},
        {"Company", "Company"},         {"LegalEntity", "Organization"},
        {"PublicBody", "Organization"}, {"Vessel", "Vessel"},
        {"Airplane", "Airplane"}};
    for (size_t i = 0; s && i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(s, map[i][0]) == 0)
            return map[i][1];
    return NULL;
}

typedef enum { A_LIST, A_SET, A_DATE, A_PLACE, A_NAT, A_COUNTRY, A_GENDER, A_ID, A_ADDR } act;

static const struct {
    const char *prop;
    act a;
    const char *arg; /* key for A_LIST/A_SET, id type for A_ID */
} props[] = {
    {"birthDate", A_DATE, NULL},
    {"birthPlace", A_PLACE, NULL},
    {"nationality", A_NAT, NULL},
    {"citizenship", A_NAT, NULL},
    {"country", A_COUNTRY, NULL},
    {"jurisdiction", A_COUNTRY, NULL},
    {"mainCountry", A_COUNTRY, NULL},
    {"gender", A_GENDER, NULL},
    {"idNumber", A_ID, "national_id"},
    {"passportNumber", A_ID, "passport"},
    {"innCode", A_ID, "tax_id"},
    {"taxNumber", A_ID, "tax_id"},
    {"vatCode", A_ID, "tax_id"},
    {"ogrnCode", A_ID, "registration"},
    {"registrationNumber", A_ID, "registration"},
    {"imoNumber", A_ID, "imo"},
    {"mmsi", A_ID, "mmsi"},
    {"swiftBic", A_ID, "swift_bic"},
    {"leiCode", A_ID, "lei"},
    {"position", A_LIST, "positions"},
    {"title", A_LIST, "titles"},
    {"notes", A_LIST, "remarks"},
    {"summary", A_LIST, "remarks"},
    {"program", A_LIST, "programmes"},
    {"programId", A_LIST, "programmes"},
    {"topics", A_LIST, "topics"},
    {"listingDate", A_SET, "listed_on"},
    {"modifiedAt", A_LIST, "updated_on"},
    {"address", A_ADDR, NULL},
    {"flag", A_SET, "flag"},
    {"callSign", A_SET, "call_sign"},
    {"tonnage", A_SET, "tonnage"},
    {"grossRegisteredTonnage", A_SET, "gross_tonnage"},
    {"legalForm", A_LIST, "legal_forms"},
    {"incorporationDate", A_SET, "incorporated_on"},
    {"email", A_LIST, "emails"},
    {"phone", A_LIST, "phones"},
    {"website", A_LIST, "websites"},
    {"sourceUrl", A_LIST, "source_urls"},
};

static int apply(json_t *e, act a, const char *arg, const char *v)
{
    switch (a) {
    case A_LIST:
        return vigil__ent_list(e, arg, v);
    case A_SET:
        return vigil__ent_set(e, arg, v);
    case A_DATE:
        return vigil__ent_birth_date(e, v);
    case A_PLACE:
        return vigil__ent_birth_place(e, v, NULL);
    case A_NAT:
        return vigil__ent_nationality(e, v);
    case A_COUNTRY:
        return vigil__ent_country(e, v);
    case A_GENDER:
        return vigil__ent_gender(e, v);
    case A_ID:
        if (strcmp(arg, "imo") == 0)
            vigil__ent_set(e, "imo", strncmp(v, "IMO", 3) == 0 ? v + 3 : v);
        return vigil__ent_identifier(e, arg, v, NULL, NULL);
    case A_ADDR:
        return vigil__ent_address(e, v, NULL);
    }
    return 0;
}

/* Each string value of property prop of raw entity r. */
#define FOREACH_VALUE(r, prop, v)                                                              \
    for (size_t i_##v = 0, n_##v = json_array_size(                                            \
                               json_object_get(json_object_get((r), "properties"), (prop)));   \
         i_##v < n_##v; i_##v++)                                                               \
        for (const char *v = json_string_value(json_array_get(                                 \
                 json_object_get(json_object_get((r), "properties"), (prop)), i_##v));         \
             v; v = NULL)

static json_t *build(const char *source, const char *id, json_t *r, const char *schema,
                     int *bad)
{
    json_t *e = vigil__ent_new(source, id, schema);
    const char *caption = json_string_value(json_object_get(r, "caption"));
    *bad |= vigil__ent_name(e, caption, "primary", NULL);
    FOREACH_VALUE(r, "name", v)
    *bad |= vigil__ent_name(e, v, json_object_get(e, "names") ? "alias" : "primary", NULL);
    FOREACH_VALUE(r, "alias", v)
    *bad |= vigil__ent_name(e, v, "alias", NULL);
    FOREACH_VALUE(r, "weakAlias", v)
    *bad |= vigil__ent_name(e, v, "weak_alias", NULL);
    FOREACH_VALUE(r, "previousName", v)
    *bad |= vigil__ent_name(e, v, "former", NULL);
    for (size_t k = 0; k < sizeof(props) / sizeof(props[0]); k++)
        FOREACH_VALUE(r, props[k].prop, v)
    *bad |= apply(e, props[k].a, props[k].arg, v);
    json_t *ds = json_object_get(r, "datasets");
    size_t i;
    json_t *d;
    json_array_foreach(ds, i, d) *bad |= vigil__ent_list(e, "datasets", json_string_value(d));
    return e;
}

/* Folds linked entity r into the built entities it points at. */
static int fold(ftm_ctx *c, json_t *r, const char *schema)
{
    int bad = 0;
    if (strcmp(schema, "Sanction") == 0) {
        FOREACH_VALUE(r, "entity", target)
        {
            json_t *e = json_object_get(c->built, target);
            if (!e)
                continue;
            FOREACH_VALUE(r, "program", v)
            bad |= vigil__ent_list(e, "programmes", v);
            FOREACH_VALUE(r, "programId", v)
            bad |= vigil__ent_list(e, "programmes", v);
            FOREACH_VALUE(r, "authority", v)
            bad |= vigil__ent_list(e, "legal_basis", v);
            FOREACH_VALUE(r, "reason", v)
            bad |= vigil__ent_list(e, "remarks", v);
            FOREACH_VALUE(r, "listingDate", v)
            bad |= vigil__ent_set(e, "listed_on", v);
            FOREACH_VALUE(r, "startDate", v)
            if (!json_object_get(e, "listed_on"))
                bad |= vigil__ent_set(e, "listed_on", v);
        }
    } else if (strcmp(schema, "Passport") == 0 || strcmp(schema, "Identification") == 0) {
        const char *type = strcmp(schema, "Passport") == 0 ? "passport" : NULL;
        FOREACH_VALUE(r, "holder", target)
        {
            json_t *e = json_object_get(c->built, target);
            if (!e)
                continue;
            FOREACH_VALUE(r, "number", num)
            {
                const char *t = type;
                FOREACH_VALUE(r, "type", tt)
                if (!t)
                    t = vigil__id_type(tt);
                const char *country = NULL;
                FOREACH_VALUE(r, "country", cc)
                if (!country)
                    country = cc;
                bad |= vigil__ent_identifier(e, t ? t : "other", num, country, NULL);
            }
        }
    }
    return bad;
}

/* Addresses are pointed at by their holders (addressEntity). */
static int fold_addresses(ftm_ctx *c, const char *id, json_t *e)
{
    int bad = 0;
    FOREACH_VALUE(json_object_get(c->raw, id), "addressEntity", aid)
    {
        json_t *a = json_object_get(c->raw, aid);
        if (!a)
            continue;
        const char *country = NULL;
        FOREACH_VALUE(a, "country", cc)
        if (!country)
            country = cc;
        FOREACH_VALUE(a, "full", full)
        bad |= vigil__ent_address(e, full, country);
    }
    return bad;
}

static int read_lines(ftm_ctx *c)
{
    const vigil__file *f = c->f;
    size_t off = 0, line = 0;
    while (off < f->len) {
        line++;
        const char *start = f->data + off;
        const char *nl = memchr(start, '\n', f->len - off);
        size_t n = nl ? (size_t)(nl - start) : f->len - off;
        off += n + (nl ? 1 : 0);
        if (n > VIGIL__MAX_LINE_BYTES)
            return vigil__parse_fail(c->p, f->path, line, "line longer than %zu bytes",
                                     VIGIL__MAX_LINE_BYTES);
        size_t k = 0;
        while (k < n && (start[k] == ' ' || start[k] == '\t' || start[k] == '\r'))
            k++;
        if (k == n)
            continue;
        json_error_t jerr;
        json_t *obj = json_loadb(start, n, 0, &jerr);
        if (!obj)
            return vigil__parse_fail(c->p, f->path, line, "malformed JSON: %s", jerr.text);
        int rc = 0;
        json_t *op = json_object_get(obj, "op");
        int is_delta = op != NULL;
        const char *ops = json_string_value(op) ? json_string_value(op) : "";
        if (c->delta == -1)
            c->delta = is_delta;
        json_t *ent = is_delta ? json_object_get(obj, "entity") : obj;
        const char *id = json_string_value(json_object_get(ent, "id"));
        if (!json_is_object(obj) || is_delta != c->delta) {
            rc = vigil__parse_fail(c->p, f->path, line, "%s",
                                   is_delta ? "a delta operation among entities"
                                            : "an entity among delta operations");
        } else if (!id || !*id) {
            rc = vigil__parse_skip(c->p, f->path, line, "entity without an id");
        } else if (is_delta && strcmp(ops, "DEL") == 0) {
            json_t *del = json_object();
            json_object_set_new(del, "del", json_string(id));
            json_object_set_new(del, "line", json_integer((json_int_t)line));
            json_array_append_new(c->order, del);
        } else if (is_delta && strcmp(ops, "ADD") != 0 && strcmp(ops, "MOD") != 0) {
            rc = vigil__parse_fail(c->p, f->path, line, "unknown delta operation \"%.32s\"",
                                   ops);
        } else {
            const char *schema = json_string_value(json_object_get(ent, "schema"));
            if (!schema)
                rc = vigil__parse_fail(c->p, f->path, line, "entity %s without a schema", id);
            else {
                json_object_set(c->raw, id, ent);
                json_object_set_new(c->lines, id, json_integer((json_int_t)line));
                if (our_schema(schema))
                    json_array_append_new(c->order, json_string(id));
            }
        }
        json_decref(obj);
        if (rc)
            return rc;
    }
    return 0;
}

static int parse(vigil__parse *p)
{
    ftm_ctx c = {p, &p->files[0], json_object(), json_object(), json_object(), json_array(),
                 -1};
    int rc = 0, bad = 0;
    if (!c.raw || !c.lines || !c.built || !c.order)
        rc = vigil__parse_fail(p, c.f->path, 0, "out of memory");
    if (rc == 0)
        rc = read_lines(&c);
    p->is_delta = c.delta == 1;
    const char *id;
    json_t *r;
    if (rc == 0) {
        json_object_foreach(c.raw, id, r)
        {
            const char *s = our_schema(json_string_value(json_object_get(r, "schema")));
            if (s) {
                json_t *e = build(p->fmt->source, id, r, s, &bad);
                bad |= fold_addresses(&c, id, e);
                json_object_set_new(c.built, id, e);
            }
        }
        json_object_foreach(c.raw, id, r)
        {
            const char *s = json_string_value(json_object_get(r, "schema"));
            if (!our_schema(s))
                bad |= fold(&c, r, s);
        }
        if (bad)
            rc = vigil__parse_fail(p, c.f->path, 0, "a field is too long");
    }
    size_t i;
    json_t *item;
    json_array_foreach(c.order, i, item)
    {
        if (rc)
            break;
        if (json_is_object(item)) {
            p->op = VIGIL__OP_DEL;
            p->del_id = json_string_value(json_object_get(item, "del"));
            p->cur_path = c.f->path;
            p->cur_line = (size_t)json_integer_value(json_object_get(item, "line"));
            rc = p->sink(p, NULL);
            continue;
        }
        id = json_string_value(item);
        p->op = VIGIL__OP_PUT;
        p->del_id = NULL;
        rc = vigil__parse_emit(p, json_incref(json_object_get(c.built, id)), c.f->path,
                               (size_t)json_integer_value(json_object_get(c.lines, id)));
    }
    json_decref(c.raw);
    json_decref(c.lines);
    json_decref(c.built);
    json_decref(c.order);
    return rc;
}

const vigil__list_format vigil__fmt_ftm = {
    .name = "ftm-jsonl",
    .source = "ftm",
    .fuzz = "ftm",
    .json = 1,
    .parse = parse,
};
