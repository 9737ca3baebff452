#!/usr/bin/env python3
"""A client written to OpenSanctions yente's API, as its users write them
(nomenklatura's yente enricher: match, then fetch each result's entity, then
its adjacent entities), with the standard library only, and OpenRefine's
reconciliation flow (manifest, a query batch, suggest, extend). Run against
vigil serve by tests/server.sh: python3 tests/yente_client.py BASE_URL.

Each step checks the response against the fields of yente's response models
(yente/data/common.py: EntityMatchResponse, EntityMatches,
ScoredEntityResponse, EntityResponse, SearchResponse, AlgorithmResponse,
ErrorResponse) and the W3C Reconciliation API 0.2, and every response
against the schema the server's own /openapi.json gives for it. Prints
"ok - ..." or "not ok - ..." per check."""
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE = sys.argv[1].rstrip("/")
failed = 0


def check(cond, what):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failed += 1


def load_spec():
    """The server's own OpenAPI document: every response below is checked
    against the schema it gives for that path, method and status."""
    with urllib.request.urlopen(BASE + "/openapi.json", timeout=30) as r:
        return json.loads(r.read())


SPEC = load_spec()
TEMPLATES = []
for template, ops in SPEC["paths"].items():
    rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
    TEMPLATES.append((template.count("{"), re.compile(rx), ops))
TEMPLATES.sort(key=lambda t: t[0])  # literal paths before templated ones


def conform(v, schema, at="$"):
    """The ways v breaks schema (OpenAPI 3.0's subset: $ref, allOf, oneOf,
    type with nullable, enum, properties, required, items,
    additionalProperties), as a list of strings."""
    if "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].split("/")[-1]]
    errs = []
    for sub in schema.get("allOf", []):
        errs += conform(v, sub, at)
    if "oneOf" in schema:
        if sum(not conform(v, sub, at) for sub in schema["oneOf"]) != 1:
            errs.append("%s: not exactly one of oneOf" % at)
    if v is None:
        return errs if schema.get("nullable") or "type" not in schema else errs + ["%s: null" % at]
    t = schema.get("type")
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int,
             "number": (int, float)}
    if t and (not isinstance(v, kinds[t]) or (t in ("integer", "number") and isinstance(v, bool))):
        return errs + ["%s: not %s" % (at, t)]
    if "enum" in schema and v not in schema["enum"]:
        errs.append("%s: %r not in enum" % (at, v))
    if isinstance(v, dict):
        for k in schema.get("required", []):
            if k not in v:
                errs.append("%s: no %s" % (at, k))
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for k, x in v.items():
            if k in props:
                errs += conform(x, props[k], at + "." + k)
            elif isinstance(extra, dict):
                errs += conform(x, extra, at + "." + k)
            elif extra is False:
                errs.append("%s: %s not allowed" % (at, k))
    if isinstance(v, list) and "items" in schema:
        for i, x in enumerate(v):
            errs += conform(x, schema["items"], "%s[%d]" % (at, i))
    return errs


checked = {"responses": 0, "failures": []}


def validate(method, path, status, body):
    path = urllib.parse.urlsplit(path).path
    for _, rx, ops in TEMPLATES:
        if rx.match(path) and method.lower() in ops:
            responses = ops[method.lower()]["responses"]
            r = responses.get(str(status)) or responses.get("default")
            if r is None:
                checked["failures"].append("%s %s: status %d not in the document" % (method, path, status))
                return
            schema = r.get("content", {}).get("application/json", {}).get("schema")
            checked["responses"] += 1
            errs = conform(body, schema) if schema else []
            if errs:
                checked["failures"].append("%s %s %d: %s" % (method, path, status, "; ".join(errs[:3])))
            return
    if status == 405 and any(rx.match(path) for _, rx, _ in TEMPLATES):
        checked["responses"] += 1  # a path of the document, not with this method
        return
    if status == 404 and not conform(body, {"$ref": "#/components/schemas/ErrorResponse"}):
        checked["responses"] += 1  # a path the document does not have: 404, an error
        return
    checked["failures"].append("%s %s: no such path in the document" % (method, path))


def call(method, path, body=None, form=None):
    data, headers = None, {}
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    req = urllib.request.Request(BASE + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, out = r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        status, out = e.code, json.loads(e.read())
    validate(method, path, status, out)
    return status, out


def is_entity(e):
    """yente's EntityResponse: id, caption, schema, properties (lists of
    strings), datasets, referents, target, first_seen, last_seen, last_change."""
    return (isinstance(e.get("id"), str) and isinstance(e.get("caption"), str)
            and isinstance(e.get("schema"), str) and isinstance(e.get("properties"), dict)
            and all(isinstance(v, list) and all(isinstance(x, (str, dict)) for x in v)
                    for v in e["properties"].values())
            and isinstance(e.get("datasets"), list) and isinstance(e.get("referents"), list)
            and isinstance(e.get("target"), bool)
            and all(k in e for k in ("first_seen", "last_seen", "last_change")))


# yente's own API tests (tests/unit/test_match.py), replayed by their documented behaviour;
# its ids are OpenSanctions', ours the lists': Putin is eu:135909 or uk:RUS0251, not Q7747.
# Its dataset names differ too: eu_fsf is eu here. Left out: what holds only for
# OpenSanctions' data (its PEP scope, its party-donations dataset, Address
# entities, more than three algorithms).
EXAMPLE = {"schema": "Person", "properties": {"name": ["Vladimir Putin"], "birthDate": ["1952"], "country": "Russia"}}
status, m = call("POST", "/match/default", {"queries": {"vv": EXAMPLE, "xx": EXAMPLE, "zz": EXAMPLE}})
vv = m.get("responses", {}).get("vv", {})
check(status == 200 and vv.get("query", {}).get("schema") == "Person"
      and vv.get("query", {}).get("properties", {}).get("country", [None])[0] == "ru"
      and vv.get("total", {}).get("value", 0) > 0 and "PUTIN" in vv["results"][0]["caption"].upper()
      and set(m["responses"]) == {"vv", "xx", "zz"}, "yente's test_match_putin: country echoed as ru, Putin first")
status, m = call("POST", "/match/default", {"queries": {"fail": {"properties": {"name": "Banana"}}}})
check(status == 422 and isinstance(m.get("detail"), str), "yente's test_match_no_schema: a query without a schema is 422")
status, m = call("POST", "/match/default", {"queries": {"fail": {"schema": "xxx", "properties": {"name": "Banana"}}}})
check(status == 400, "yente's test_match_no_schema: an unknown schema is 400")
ERMAKOV = {"schema": "Person", "properties": {"name": [
    "ERMAKOV Valery Nikolaevich", "Ermacov Valeryi Nycolaevych", "Ermakov Valerij Nikolaevich",
    "Ermakov Valerij Nikolaevič", "Ermakov Valerijj Nikolaevich", "Ermakov Valeriy Nikolaevich",
    "Ermakov Valery Nykolaevych", "Ermakov Valeryi Nykolaevych", "Ermakov Valeryy Nikolaevich",
    "Ermakov Valeryy Nykolaevych", "Ermakov Valerȳĭ Nȳkolaevȳch", "Iermakov Valerii Mykolaiovych",
    "Jermakov Valerij Mikolajovich", "Jermakov Valerij Mikolajovič", "Jermakov Valerij Mykolajovyč",
    "Yermakov Valerii Mykolaiovych", "Yermakov Valerij Mykolajovych", "Yermakov Valeriy Mykolayovych",
    "Êrmakov Valerìj Mikolajovič", "ЕРМАКОВ Валерий Николаевич"]}}
status, m = call("POST", "/match/default", {"queries": {"ermakov": ERMAKOV}})
check(status == 200, "yente's test_match_ermakov: twenty spellings in one query")
status, m = call("POST", "/match/default", {"queries": {"no1": dict(ERMAKOV, id="ermakov")}})
q = m.get("responses", {}).get("no1", {}).get("query", {})
check(status == 200 and q.get("schema") == "Person" and q.get("id") == "ermakov", "yente's test_id_pass_through: the query's id comes back")

def call_h(method, path):
    """The status, the JSON body and the headers."""
    req = urllib.request.Request(BASE + path, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, out, headers = r.status, json.loads(r.read()), r.headers
    except urllib.error.HTTPError as e:
        status, out, headers = e.code, json.loads(e.read()), e.headers
    validate(method, path, status, out)
    return status, out, headers


# yente's tests/unit/test_base.py
for path in ("/healthz", "/readyz"):
    status, body, headers = call_h("GET", path)
    check(status == 200 and body.get("status") == "ok" and headers.get("x-trace-id"),
          "yente's test_%s: status ok, with an x-trace-id" % path[1:])
status, body = call("GET", "/manifest")
check(status == 200 and body.get("datasets"), "yente's test_manifest: the datasets")
status, body = call("GET", "/catalog")
ds = {d["name"]: d for d in body.get("datasets", [])}
check(status == 200 and ds.get("eu", {}).get("index_current") is True and ds["eu"].get("load") is True
      and ds["eu"].get("version") == ds["eu"].get("index_version"), "yente's test_catalog: a loaded list is current")
status, _ = call("GET", "/updatez")
check(status == 405, "yente's test_updatez_get: GET is 405")
status, _ = call("POST", "/updatez?sync=true")
check(status == 403, "yente's test_updatez_no_token: 403")
status, _ = call("POST", "/updatez?token=wrong&sync=true")
check(status == 403, "yente's test_updatez_no_token_configured: a wrong token is 403")

# yente's tests/unit/test_search.py
def search(qs):
    return call("GET", "/search/default?" + qs.replace(" ", "%20"))


status, s = search("q=vladimir putin")
putin = (s.get("results") or [{}])[0]
check(status == 200 and "PUTIN" in putin.get("caption", "").upper()
      and str(putin.get("first_seen")).startswith("20") and str(putin.get("last_seen")).startswith("20")
      and "default" not in putin.get("datasets", []), "yente's test_search_putin: first and last seen")
status, s = search("")
check(status == 200 and len(s.get("results", [])) > 9, "yente's test_search_no_query: a listing")
status, s = search("q=invalid/query&simple=true")
check(status == 200, "yente's test_search_invalid_query: simple=true is taken (vigil's q is always plain words)")
status, s = search("q=angela merkel&schema=Banana")
check(status == 400, "yente's test_search_filter_schema_invalid: 400")
status, s = search("q=vladimir putin&schema=Vessel")
check(status == 200 and not any("PUTIN" in r["caption"].upper() for r in s.get("results", [])),
      "yente's test_search_filter_schema_remove: no person among vessels")
status, s = search("q=moscow")
_, s2 = search("q=moscow&exclude_schema=Organization")
check(status == 200 and s2["total"]["value"] < s["total"]["value"], "yente's test_search_filter_exclude_schema")
_, s = search("q=vladimir putin")
lists = sorted({r["datasets"][0] for r in s.get("results", []) if "PUTIN" in r["caption"].upper()})
_, s2 = search("q=vladimir putin" + "".join("&exclude_dataset=" + x for x in lists))
s2["total"]["value"] = sum("PUTIN" in r["caption"].upper() for r in s2.get("results", []))
check(s["total"]["value"] > 0 and s2["total"]["value"] == 0, "yente's test_search_filter_exclude_dataset")
status, s = search("q=vladimir putin&changed_since=2999-01-01T00:00")
check(status == 200 and s["total"]["value"] == 0, "yente's test_search_filter_changed_since: nothing changed after tomorrow")
status, s = search("q=vladimir putin&schema=Person")
check(status == 200 and s["results"], "yente's test_search_filter_schema_keep")
status, s = search("q=vladimir putin&countries=ke")
check(status == 200 and not s["results"], "yente's test_search_filter_countries_remove")
status, s = search("")
names = [c["name"] for c in s.get("facets", {}).get("datasets", {}).get("values", [])]
check("eu" in names, "yente's test_search_facet_datasets_default")
status, s = call("GET", "/search/un")
names = [c["name"] for c in s.get("facets", {}).get("datasets", {}).get("values", [])]
check(names == ["un"], "yente's test_search_facet_datasets_spenden: a dataset's listing counts only it")
status, s = search("q=akram&countries=iq")
names = [c["name"] for c in s.get("facets", {}).get("countries", {}).get("values", [])]
check(status == 200 and "iq" in names and "ke" not in names, "yente's test_search_facet_countries")
status, s = search("topics=sanction")
_, s2 = search("")
names = [c["name"] for c in s2.get("facets", {}).get("topics", {}).get("values", [])]
check(s["total"]["value"] > 0 and "sanction" in names, "yente's test_search_facet_topics")
status, s = search("schema=Organization")
_, s2 = search("facets=schema")
names = [c["name"] for c in s2.get("facets", {}).get("schema", {}).get("values", [])]
check(s["total"]["value"] > 0 and "Organization" in names, "yente's test_search_facet_schema")
_, s = search("")
_, s2 = search("facets=schema&facets=topics")
check(set(s["facets"]) == {"topics", "datasets", "countries"} and set(s2["facets"]) == {"schema", "topics"},
      "yente's test_search_facet_parameter")
_, s = search("schema=LegalEntity&target=false")
_, s2 = search("schema=LegalEntity&target=true")
check(not s["results"] and s2["results"] and all(r["target"] is True for r in s2["results"]),
      "yente's test_search_no_targets and test_search_targets")
_, s = search("sort=first_seen:desc")
seen = [r["first_seen"] for r in s.get("results", [])]
check(len(seen) > 1 and seen == sorted(seen, reverse=True), "yente's test_search_sorted")
_, s = search("limit=0&q=vladimir putin")
check(s.get("results") == [], "yente's test_search_limit: limit=0")
_, s = search("offset=100&q=vladimir putin")
check(s.get("results") == [] and s.get("offset") == 100, "yente's test_search_offset")
status, _ = search("offset=9999&q=putin")
status2, _ = search("limit=10000&q=putin")
status3, s = search("limit=500&q=putin")
check(status == 422 and status2 == 422 and status3 == 200 and s["offset"] == 0,
      "yente's test_search_range_offset and test_search_range_limit")

# yente's tests/unit/test_entity.py
status, e = call("GET", "/entities/banana")
check(status == 404, "yente's test_entity_404")
status, e = call("GET", "/entities/eu:135909")
sanc = (e.get("properties", {}).get("sanctions") or [None])[0]
check(status == 200 and e.get("schema") == "Person" and "eu" in e.get("datasets", [])
      and all(str(e.get(k)).startswith("20") for k in ("first_seen", "last_seen", "last_change"))
      and isinstance(e["properties"]["birthDate"][0], str)
      and isinstance(sanc, dict) and sanc.get("schema") == "Sanction", "yente's test_entity_fetch: Putin, his Sanction nested")

# yente's tests/unit/test_reconcile.py
status, man = call("GET", "/reconcile/default")
check(status == 200 and len(man.get("defaultTypes", [])) > 3 and "suggest" in man, "yente's test_reconcile_metadata")
status, rec = call("POST", "/reconcile/default", form={"queries": json.dumps({"mutti": {"query": "Vladimir Putin"}})})
check(status == 200 and "PUTIN" in rec["mutti"]["result"][0]["name"].upper(), "yente's test_reconcile_post")
status, _ = call("POST", "/reconcile/default", form={"queries": json.dumps({"mutti": {"query": 37473874}})})
check(status == 400, "yente's test_reconcile_invalid: a query that is a number is 400")
for what in ("entity", "property", "type"):
    status, sg = call("GET", "/reconcile/default/suggest/" + what)
    check(status == 200 and sg.get("result") == [], "yente's test_reconcile_suggest_%s_no_prefix: none" % what)
    status, sg = call("GET", "/reconcile/default/suggest/%s?prefix=banana%%20man" % what)
    check(status == 200 and sg.get("result") == [], "yente's test_reconcile_suggest_%s_prefix_dummy: none" % what)
status, sg = call("GET", "/reconcile/default/suggest/entity?prefix=vladimir%20put")
check(status == 200 and sg["result"] and "vladimir" in sg["result"][0]["name"].lower(),
      "yente's test_reconcile_suggest_entity_prefix")
status, sg = call("GET", "/reconcile/default/suggest/property?prefix=country")
check(status == 200 and "Thing:country" in [r["id"] for r in sg["result"]],
      "yente's test_reconcile_suggest_property_prefix: qualified names")
status, sg = call("GET", "/reconcile/default/suggest/type?prefix=organ")
check(status == 200 and [r["id"] for r in sg["result"]] == ["Organization"], "yente's test_reconcile_suggest_type_prefix")

# match, as the enricher does
status, m = call("POST", "/match/default?algorithm=best&threshold=0.7", {
    "queries": {"bastrykin": {"schema": "Person", "properties": {
        "name": ["Александр Бастрыкин"], "birthDate": ["1953-08-27"], "nationality": ["ru"]}}}})
check(status == 200 and set(m) >= {"responses", "limit", "matcher"}
      and all(isinstance(f.get("description"), str) and isinstance(f.get("coefficient"), float)
              for f in m["matcher"].values()), "POST /match answers an EntityMatchResponse, with its matcher's features")
r = m.get("responses", {}).get("bastrykin", {})
check(r.get("status") == 200 and isinstance(r.get("results"), list)
      and isinstance(r.get("total", {}).get("value"), int) and r.get("total", {}).get("relation") == "eq"
      and isinstance(r.get("query"), dict), "each response is yente's EntityMatches")
results = r.get("results", [])
check(len(results) > 0 and all(is_entity(x) and isinstance(x.get("score"), float)
                               and isinstance(x.get("match"), bool) and isinstance(x.get("features"), dict)
                               for x in results), "each result is a ScoredEntityResponse")
top = results[0] if results else {}
check("1953-08-27" in top.get("properties", {}).get("birthDate", []),
      "a result's properties hold the date of birth (a client can re-score on them)")

# fetch the entity, then its adjacent ones
status, e = call("GET", "/entities/" + urllib.parse.quote(top.get("id", "x:y"), safe=":") + "?nested=true")
check(status == 200 and is_entity(e) and e["id"] == top.get("id"), "GET /entities/{id} is a full EntityResponse")
check(e.get("properties", {}).get("name"), "the fetched entity has its names")
status, a = call("GET", "/entities/" + urllib.parse.quote(top.get("id", "x:y"), safe=":") + "/adjacent")
check(status == 200 and is_entity(a.get("entity", {})) and isinstance(a.get("adjacent"), dict),
      "GET /entities/{id}/adjacent gives the entity and its adjacent ones")

# search, paged
status, s = call("GET", "/search/default?q=Bastrykin&limit=1")
check(status == 200 and all(k in s for k in ("results", "limit", "offset", "total", "facets"))
      and all(is_entity(x) for x in s["results"]), "GET /search answers a SearchResponse")

# the catalog, as yente's DataCatalogModel
status, cat = call("GET", "/catalog")
check(status == 200 and isinstance(cat.get("datasets"), list) and cat["datasets"]
      and all(set(d) >= {"name", "title", "load", "version", "children", "index_current"} for d in cat["datasets"])
      and "default" in cat.get("current", []) and isinstance(cat.get("outdated"), list),
      "GET /catalog is a DataCatalogModel, the default dataset among them")

status, man = call("GET", "/manifest")
check(status == 200 and isinstance(man.get("datasets"), list) and man["datasets"]
      and isinstance(man.get("catalogs"), list), "GET /manifest names the datasets loaded")

# algorithms and errors
status, al = call("GET", "/algorithms")
check(status == 200 and al.get("default") in [x["name"] for x in al.get("algorithms", [])],
      "GET /algorithms is an AlgorithmResponse naming its default")
status, err = call("POST", "/match/default?algorithm=nonesuch", {"queries": {"q": {"schema": "Person", "properties": {"name": ["x"]}}}})
check(status == 400 and isinstance(err.get("detail"), str), "an unknown algorithm is 400 with ErrorResponse's detail")
status, err = call("GET", "/entities/un:NO.SUCH")
check(status == 404 and isinstance(err.get("detail"), str), "an unknown entity is 404 with detail")

# OpenRefine's reconciliation flow (W3C Reconciliation API 0.2)
status, man = call("GET", "/reconcile/default")
check(status == 200 and "0.2" in man.get("versions", []) and man.get("identifierSpace")
      and man.get("schemaSpace") and isinstance(man.get("defaultTypes"), list)
      and "entity" in man.get("suggest", {}) and "propose_properties" in man.get("extend", {}),
      "the service manifest names its spaces, types, suggest and extend services")
status, rec = call("POST", "/reconcile/default", form={"queries": json.dumps({
    "q0": {"query": "Alexander Bastrykin", "type": "Person",
           "properties": [{"pid": "birthDate", "v": "1953-08-27"}]},
    "q1": {"query": "Jane Nobody-Atall", "limit": 3}})})
q0 = rec.get("q0", {}).get("result", [])
check(status == 200 and q0 and all(set(c) >= {"id", "name", "type", "score", "match"} for c in q0)
      and q0[0]["match"] is True and isinstance(rec.get("q1", {}).get("result"), list),
      "a query batch: candidates with id, name, type, score and match, per query")
status, sug = call("GET", "/reconcile/default/suggest/entity?prefix=" + urllib.parse.quote("Bastryk"))
check(status == 200 and sug.get("result") and all({"id", "name"} <= set(x) for x in sug["result"]),
      "suggest/entity gives entities by a name's beginning")
status, props = call("GET", "/reconcile/default/extend/property")
check(status == 200 and any(p["id"] == "birthDate" for p in props.get("properties", [])),
      "extend/property proposes the properties")
status, ext = call("POST", "/reconcile/default", form={"extend": json.dumps({
    "ids": [q0[0]["id"] if q0 else "x:y"], "properties": [{"id": "birthDate"}, {"id": "nationality"}]})})
row = ext.get("rows", {}).get(q0[0]["id"] if q0 else "x:y", {})
check(status == 200 and [m["id"] for m in ext.get("meta", [])] == ["birthDate", "nationality"]
      and {"str": "1953-08-27"} in row.get("birthDate", []), "an extension gives the properties asked for")
status, bad = call("POST", "/reconcile/default", form={"queries": "not json"})
check(status == 400 and bad.get("detail"), "a batch that is not JSON is 400 with detail")

check(checked["responses"] > 50 and not checked["failures"],
      "each of the %d responses above is what /openapi.json says for its path, method and status (%s)"
      % (checked["responses"], "; ".join(checked["failures"][:4])))

print("%d failed" % failed)
sys.exit(1 if failed else 0)
