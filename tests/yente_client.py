#!/usr/bin/env python3
"""A client written to OpenSanctions yente's API, as its users write them
(nomenklatura's yente enricher: match, then fetch each result's entity, then
its adjacent entities), with the standard library only, and OpenRefine's
reconciliation flow (manifest, a query batch, suggest, extend). Run against
vigil serve by tests/server.sh: python3 tests/yente_client.py BASE_URL.

Each step checks the response against the fields of yente's response models
(yente/data/common.py: EntityMatchResponse, EntityMatches,
ScoredEntityResponse, EntityResponse, SearchResponse, AlgorithmResponse,
ErrorResponse) and the W3C Reconciliation API 0.2. Prints "ok - ..." or
"not ok - ..." per check."""
import json
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
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


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
# its ids are OpenSanctions', ours the lists': Putin is eu:135909 or uk:RUS0251, not Q7747
EXAMPLE = {"schema": "Person", "properties": {"name": ["Vladimir Putin"], "birthDate": ["1952"], "country": "Russia"}}
status, m = call("POST", "/match/default", {"queries": {"vv": EXAMPLE, "xx": EXAMPLE, "zz": EXAMPLE}})
vv = m.get("responses", {}).get("vv", {})
check(status == 200 and vv.get("query", {}).get("schema") == "Person"
      and vv.get("query", {}).get("properties", {}).get("country", [None])[0] == "ru"
      and vv.get("total", {}).get("value", 0) > 0 and "PUTIN" in vv["results"][0]["caption"].upper()
      and set(m["responses"]) == {"vv", "xx", "zz"}, "yente's test_match_putin: country echoed as ru, Putin first")
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
status, err = call("POST", "/match/default?algorithm=nonesuch", {"queries": {"q": {"properties": {"name": ["x"]}}}})
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

print("%d failed" % failed)
sys.exit(1 if failed else 0)
