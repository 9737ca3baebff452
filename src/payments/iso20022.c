/*
 * iso20022.c - ISO 20022 payment messages (pacs.008, pacs.009 and pain.001,
 * any version) into the model (payments.h), streamed through libxml2's SAX2
 * parser (no tree, no DTD, no entities, no network): the element stack is
 * kept by local name within the Document whose namespace URI names the
 * message (a prefix means nothing; elements of other namespaces, an
 * application header's, are passed over), and each element's text is read
 * when it ends, by where it is. A DOCTYPE or an entity reference is refused.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>

#include "../internal.h"
#include "../lists/xml.h"
#include "payments.h"

#define NS_PREFIX "urn:iso:std:iso:20022:tech:xsd:"
#define DEPTH 40
#define NAME 40
#define SIBLINGS 8 /* repeated children counted per element */

/* The elements read, by a code each (names are looked up once per element
 * start, then compared as numbers). */
enum {
    C_OTHER,
    C_Nm,
    C_FinInstnId,
    C_OrgId,
    C_PrvtId,
    C_PstlAdr,
    C_Ctry,
    C_TwnNm,
    C_AdrLine,
    C_BICFI,
    C_BIC,
    C_AnyBIC,
    C_BICOrBEI,
    C_LEI,
    C_BirthDt,
    C_CityOfBirth,
    C_PrvcOfBirth,
    C_CtryOfBirth,
    C_CtryOfRes,
    C_Id,
    C_Othr,
    C_MmbId,
    C_IBAN,
    C_MsgId,
    C_GrpHdr,
    C_PmtId,
    C_EndToEndId,
    C_UETR,
    C_TxId,
    C_Ustrd,
    C_AddtlRmtInf,
    C_InstrInf,
    C_Inf,
    C_RgltryRptg,
    C_Prtry,
    C_Purp,
    C_CdtTrfTxInf,
    C_PmtInf,
    C_Strd,
    C_InstrForCdtrAgt,
    C_InstrForNxtAgt,
    C_Dtls,
    C_UndrlygCstmrCdtTrf,
    C_PARTY /* C_PARTY + i: party_elems[i] */
};

static const char *const code_names[C_PARTY] = {"",
                                                "Nm",
                                                "FinInstnId",
                                                "OrgId",
                                                "PrvtId",
                                                "PstlAdr",
                                                "Ctry",
                                                "TwnNm",
                                                "AdrLine",
                                                "BICFI",
                                                "BIC",
                                                "AnyBIC",
                                                "BICOrBEI",
                                                "LEI",
                                                "BirthDt",
                                                "CityOfBirth",
                                                "PrvcOfBirth",
                                                "CtryOfBirth",
                                                "CtryOfRes",
                                                "Id",
                                                "Othr",
                                                "MmbId",
                                                "IBAN",
                                                "MsgId",
                                                "GrpHdr",
                                                "PmtId",
                                                "EndToEndId",
                                                "UETR",
                                                "TxId",
                                                "Ustrd",
                                                "AddtlRmtInf",
                                                "InstrInf",
                                                "Inf",
                                                "RgltryRptg",
                                                "Prtry",
                                                "Purp",
                                                "CdtTrfTxInf",
                                                "PmtInf",
                                                "Strd",
                                                "InstrForCdtrAgt",
                                                "InstrForNxtAgt",
                                                "Dtls",
                                                "UndrlygCstmrCdtTrf"};

/* The parties, by element: its role, and whether it is a bank by nature. */
static const struct {
    const char *elem, *role;
    int agent;
} party_elems[] = {
    {"Dbtr", "debtor", 0},
    {"Cdtr", "creditor", 0},
    {"UltmtDbtr", "ultimate_debtor", 0},
    {"UltmtCdtr", "ultimate_creditor", 0},
    {"InitgPty", "initiating_party", 0},
    {"DbtrAgt", "debtor_agent", 1},
    {"CdtrAgt", "creditor_agent", 1},
    {"IntrmyAgt1", "intermediary_agent_1", 1},
    {"IntrmyAgt2", "intermediary_agent_2", 1},
    {"IntrmyAgt3", "intermediary_agent_3", 1},
    {"InstgAgt", "instructing_agent", 1},
    {"InstdAgt", "instructed_agent", 1},
    {"PrvsInstgAgt1", "previous_instructing_agent_1", 1},
    {"PrvsInstgAgt2", "previous_instructing_agent_2", 1},
    {"PrvsInstgAgt3", "previous_instructing_agent_3", 1},
    {"FwdgAgt", "forwarding_agent", 1},
};
#define NPARTY_ELEMS (sizeof(party_elems) / sizeof(party_elems[0]))

/* Elements that repeat and are numbered in paths ("CdtTrfTxInf[2]"). */
static int repeats(int code)
{
    return code == C_CdtTrfTxInf || code == C_PmtInf || code == C_AdrLine || code == C_Ustrd ||
           code == C_Strd || code == C_InstrForCdtrAgt || code == C_InstrForNxtAgt ||
           code == C_AddtlRmtInf || code == C_Othr || code == C_RgltryRptg || code == C_Dtls;
}

#define CODE_SLOTS 256 /* a power of two, over twice the names */
static struct {
    const char *name;
    int code;
} codes[CODE_SLOTS];
static pthread_once_t codes_once = PTHREAD_ONCE_INIT;

static void code_add(const char *name, int code)
{
    size_t i = vigil__hash64(name) & (CODE_SLOTS - 1);
    while (codes[i].name)
        i = (i + 1) & (CODE_SLOTS - 1);
    codes[i].name = name;
    codes[i].code = code;
}

static void codes_build(void)
{
    for (int c = 1; c < C_PARTY; c++)
        code_add(code_names[c], c);
    for (size_t i = 0; i < NPARTY_ELEMS; i++)
        code_add(party_elems[i].elem, C_PARTY + (int)i);
}

static int code_of(const char *name)
{
    size_t i = vigil__hash64(name) & (CODE_SLOTS - 1);
    while (codes[i].name) {
        if (strcmp(codes[i].name, name) == 0)
            return codes[i].code;
        i = (i + 1) & (CODE_SLOTS - 1);
    }
    return C_OTHER;
}

typedef struct {
    const char *name; /* the parser's own copy (its dictionary's: same name, same pointer) */
    size_t len;
    int code;
    int index; /* among its siblings of that name, from 1; 0: not numbered */
    int line;
    struct {
        const char *name;
        int n;
    } kids[SIBLINGS];
    int nkids;
} frame;

typedef struct {
    vigil_message *m;
    frame st[DEPTH];
    int depth;       /* frames in st: st[0] is the message's root element */
    long party;      /* the party being read (index into m->parties), -1 none */
    int party_depth; /* its frame */
    int underlying;  /* inside an underlying customer credit transfer (pacs.009 COV) */
    char text[VIGIL__PAY_MAX_FIELD + 1];
    size_t tlen;
} walk;

/* The path of frames [1, upto) ("CdtTrfTxInf[2]/Cdtr"), the root left out. */
static void path_of(const walk *w, int upto, char *out, size_t cap)
{
    size_t k = 0;
    for (int i = 1; i < upto; i++) {
        const frame *f = &w->st[i];
        char num[16];
        size_t nl = 0;
        if (f->index) {
            num[0] = '[';
            int v = f->index, d = 1;
            char digits[12];
            int nd = 0;
            while (v && nd < 11) {
                digits[nd++] = (char)('0' + v % 10);
                v /= 10;
            }
            for (nl = 1; d <= nd; d++)
                num[nl++] = digits[nd - d];
            num[nl++] = ']';
        }
        if (k + (k ? 1 : 0) + f->len + nl >= cap)
            break;
        if (k)
            out[k++] = '/';
        memcpy(out + k, f->name, f->len);
        k += f->len;
        memcpy(out + k, num, nl);
        k += nl;
    }
    out[k] = '\0';
}

/* Whether frame i is of code. */
static int at(const walk *w, int i, int code)
{
    return i >= 0 && i < w->depth && w->st[i].code == code;
}

/* Whether the element ending lies just below the party, or the party's
 * FinInstnId. */
static int party_child(const walk *w)
{
    int below = w->depth - 1 - w->party_depth;
    return below == 1 || (below == 2 && at(w, w->party_depth + 1, C_FinInstnId));
}

/* Whether the party has an element of code among the frames from it down. */
static int party_has(const walk *w, int code)
{
    for (int i = w->party_depth + 1; i < w->depth; i++)
        if (w->st[i].code == code)
            return 1;
    return 0;
}

static int inside(const walk *w, int code)
{
    for (int i = 0; i < w->depth; i++)
        if (w->st[i].code == code)
            return 1;
    return 0;
}

/* A party's field, by where it ends. */
static int party_field(walk *w, const char *v, int line)
{
    vigil_message *m = w->m;
    vigil__party *p = &m->parties[w->party];
    int el = w->st[w->depth - 1].code;
    if (el == C_Nm && party_child(w)) {
        path_of(w, w->depth, p->name_path, sizeof(p->name_path));
        p->line = line;
        return vigil__pay_set(m, &p->name, v, " ");
    }
    if (party_has(w, C_PstlAdr)) {
        if (el == C_Ctry) {
            vigil__pay_country(p->country, v);
            return 0;
        }
        if (el == C_TwnNm && vigil__pay_set(m, &p->town, v, ", ") != 0)
            return -1;
        if (el == C_AdrLine) { /* free text: a name can be written there */
            char path[VIGIL__PAY_PATH];
            path_of(w, w->depth, path, sizeof(path));
            if (vigil__pay_text(m, path, line, v) != 0)
                return -1;
        }
        return vigil__pay_set(m, &p->address, v, ", ");
    }
    switch (el) {
    case C_BICFI:
    case C_BIC:
    case C_AnyBIC:
    case C_BICOrBEI:
        return vigil__pay_set(m, &p->bic, v, " ");
    case C_LEI:
        return vigil__pay_set(m, &p->lei, v, " ");
    case C_BirthDt:
        return vigil__pay_set(m, &p->birth_date, v, " ");
    case C_CityOfBirth:
    case C_PrvcOfBirth:
        return vigil__pay_set(m, &p->birth_place, v, ", ");
    case C_CtryOfBirth:
        vigil__pay_country(p->birth_country, v);
        return 0;
    case C_CtryOfRes:
        vigil__pay_country(p->residence, v);
        return 0;
    case C_MmbId:
        return vigil__pay_set(m, &p->ids, v, " ");
    case C_Id:
        return at(w, w->depth - 2, C_Othr) ? vigil__pay_set(m, &p->ids, v, " ") : 0;
    default:
        return 0;
    }
}

/* An account (DbtrAcct, CdtrAgtAcct, ...): its IBAN or other id, to the
 * party of its role at the same place. */
static int account_field(walk *w, const char *v)
{
    for (int i = w->depth - 2; i >= 1; i--) {
        const frame *f = &w->st[i];
        if (f->len <= 4 || strcmp(f->name + f->len - 4, "Acct") != 0)
            continue;
        char path[VIGIL__PAY_PATH];
        path_of(w, i, path, sizeof(path));
        size_t pl = strlen(path), rl = f->len - 4;
        for (size_t k = w->m->nparties; k-- > 0;) {
            vigil__party *p = &w->m->parties[k];
            size_t ql = strlen(p->path);
            /* the party's path is this account's parent's, then its element */
            if (ql == pl + (pl ? 1 : 0) + rl && strncmp(p->path, path, pl) == 0 &&
                strncmp(p->path + ql - rl, f->name, rl) == 0)
                return vigil__pay_set(w->m, &p->account, v, " ");
        }
        return 0;
    }
    return 0;
}

/* The element on top ends with text v. */
static int element_end(walk *w, const char *v, int line)
{
    vigil_message *m = w->m;
    int el = w->st[w->depth - 1].code, up = w->depth >= 2 ? w->st[w->depth - 2].code : -1;
    if (w->party >= 0 && w->depth - 1 > w->party_depth)
        return *v ? party_field(w, v, line) : 0;
    if (!*v)
        return 0;
    switch (el) {
    case C_MsgId:
        return up == C_GrpHdr && !m->msg_id ? vigil__pay_set(m, &m->msg_id, v, " ") : 0;
    case C_EndToEndId:
        return up == C_PmtId && !m->e2e_id ? vigil__pay_set(m, &m->e2e_id, v, " ") : 0;
    case C_UETR:
        return up == C_PmtId && !m->uetr ? vigil__pay_set(m, &m->uetr, v, " ") : 0;
    case C_TxId:
        return up == C_PmtId && !m->tx_id ? vigil__pay_set(m, &m->tx_id, v, " ") : 0;
    case C_IBAN:
        return account_field(w, v);
    case C_Id:
        return up == C_Othr || up == C_Id ? account_field(w, v) : 0;
    case C_Ustrd:
    case C_AddtlRmtInf:
    case C_InstrInf:
    case C_Inf:
    case C_Prtry:
        if ((el == C_Inf && !inside(w, C_RgltryRptg)) || (el == C_Prtry && up != C_Purp))
            return 0;
        {
            char path[VIGIL__PAY_PATH];
            path_of(w, w->depth, path, sizeof(path));
            return vigil__pay_text(m, path, line, v);
        }
    default:
        return 0;
    }
}

/* An element starts (name, its length, at line). */
static int element_start(walk *w, const char *name, int line)
{
    if (w->depth == DEPTH)
        return vigil__pay_fail(w->m, line, "<%s>: elements nested more than %d deep", name,
                               DEPTH);
    frame *f = &w->st[w->depth];
    f->name = name;
    f->len = strlen(name);
    f->code = code_of(name);
    f->index = 0;
    f->nkids = 0;
    f->line = line;
    if (w->depth > 0 && repeats(f->code)) {
        frame *up = &w->st[w->depth - 1];
        int k = 0;
        while (k < up->nkids && up->kids[k].name != name && strcmp(up->kids[k].name, name))
            k++;
        if (k == up->nkids && k < SIBLINGS) {
            up->kids[k].name = name;
            up->kids[k].n = 0;
            up->nkids++;
        }
        f->index = k < SIBLINGS ? ++up->kids[k].n : 0;
    }
    w->depth++;
    if (f->code == C_CdtTrfTxInf)
        w->m->transactions++;
    if (f->code == C_UndrlygCstmrCdtTrf)
        w->underlying++;
    if (w->party >= 0) { /* what the party's elements say it is */
        vigil__party *p = &w->m->parties[w->party];
        if (f->code == C_FinInstnId)
            p->kind = VIGIL__PARTY_AGENT;
        else if (f->code == C_OrgId && p->kind != VIGIL__PARTY_AGENT)
            p->kind = VIGIL__PARTY_ORG;
        else if (f->code == C_PrvtId && p->kind != VIGIL__PARTY_AGENT)
            p->kind = VIGIL__PARTY_PERSON;
    } else if (f->code >= C_PARTY) {
        size_t i = (size_t)(f->code - C_PARTY);
        char path[VIGIL__PAY_PATH], role[48];
        path_of(w, w->depth, path, sizeof(path));
        snprintf(role, sizeof(role), "%s%s", w->underlying ? "underlying_" : "",
                 party_elems[i].role);
        vigil__party *p = vigil__pay_party(w->m, role, path, line);
        if (!p)
            return -1;
        p->kind = party_elems[i].agent ? VIGIL__PARTY_AGENT : VIGIL__PARTY_ANY;
        w->party = (long)(w->m->nparties - 1);
        w->party_depth = w->depth - 1;
    }
    return 0;
}

static int element_close(walk *w)
{
    const frame *f = &w->st[w->depth - 1];
    w->text[w->tlen] = '\0';
    int rc = element_end(w, w->text, f->line);
    w->tlen = 0;
    if (w->party >= 0 && w->depth - 1 == w->party_depth)
        w->party = -1;
    if (f->code == C_UndrlygCstmrCdtTrf)
        w->underlying--;
    w->depth--;
    return rc;
}

/* The message type a Document's namespace names, or NULL: ISO's own URI
 * (urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09), or a national
 * variant's that names the message in it (Switzerland's SIX:
 * http://www.six-interbank-clearing.com/de/pain.001.001.03.ch.02.xsd). */
static const char *message_type(const char *ns, char *out, size_t cap)
{
    static const char *const families[] = {"pacs.008.", "pacs.009.", "pain.001.", NULL};
    if (!ns)
        return NULL;
    for (int i = 0; families[i]; i++) {
        const char *t = strstr(ns, families[i]);
        if (!t || (t > ns && t[-1] != ':' && t[-1] != '/'))
            continue;
        size_t n = strlen(t);
        if (n > 4 && !strcmp(t + n - 4, ".xsd"))
            n -= 4;
        snprintf(out, cap, "%.*s", (int)n, t);
        return out;
    }
    return NULL;
}

/* The SAX handlers' state beside the walk: where the Document is, and
 * elements of other namespaces being passed over. */
typedef struct {
    walk *w;
    xmlParserCtxtPtr ctxt;
    char ns[256];
    int xml_depth; /* elements open, all of them */
    int doc_depth; /* the Document's depth; -1 before it, -2 after it */
    int skip;      /* > 0: inside another namespace's element, this deep */
    int rc;
} sax_state;

static int sax_line(const sax_state *x)
{
    return xmlSAX2GetLineNumber(x->ctxt);
}

static void sax_stop(sax_state *x, int rc)
{
    if (!x->rc)
        x->rc = rc;
    xmlStopParser(x->ctxt);
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **nss, int nattr, int ndef, const xmlChar **attrs)
{
    (void)prefix, (void)nns, (void)nss, (void)nattr, (void)ndef, (void)attrs;
    sax_state *x = ctx;
    const char *name = (const char *)local, *u = (const char *)uri;
    int d = x->xml_depth++;
    if (x->rc || x->doc_depth == -2)
        return;
    if (x->doc_depth < 0) {
        if (!strcmp(name, "Document") &&
            message_type(u, x->w->m->type, sizeof(x->w->m->type))) {
            snprintf(x->ns, sizeof(x->ns), "%s", u);
            x->doc_depth = d;
        } else if (!strcmp(name, "Document")) {
            sax_stop(x, vigil__pay_fail(x->w->m, sax_line(x),
                                        "<Document> of namespace \"%.120s\": not a pacs.008, "
                                        "pacs.009 or pain.001 message",
                                        u ? u : ""));
        }
        return;
    }
    if (x->skip || !u || strcmp(u, x->ns) != 0) { /* another namespace's: passed over */
        x->skip++;
        return;
    }
    int rc = element_start(x->w, name, sax_line(x));
    if (rc)
        sax_stop(x, rc);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local, (void)prefix, (void)uri;
    sax_state *x = ctx;
    int d = --x->xml_depth;
    if (x->rc || x->doc_depth < 0)
        return;
    if (x->skip) {
        x->skip--;
        return;
    }
    if (d == x->doc_depth) {
        x->doc_depth = -2; /* the Document ended: the rest is not read */
        return;
    }
    int rc = element_close(x->w);
    if (rc)
        sax_stop(x, rc);
}

static void on_text(void *ctx, const xmlChar *ch, int len)
{
    sax_state *x = ctx;
    walk *w = x->w;
    if (x->rc || x->doc_depth < 0 || x->skip || !w->depth || len <= 0)
        return;
    if (w->tlen + (size_t)len > VIGIL__PAY_MAX_FIELD) {
        sax_stop(x, vigil__pay_fail(w->m, sax_line(x), "<%s>: longer than %d bytes",
                                    w->st[w->depth - 1].name, VIGIL__PAY_MAX_FIELD));
        return;
    }
    memcpy(w->text + w->tlen, ch, (size_t)len);
    w->tlen += (size_t)len;
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    sax_state *x = ctx;
    sax_stop(x, vigil__pay_fail(x->w->m, sax_line(x),
                                "a DOCTYPE is refused (no DTDs, no entities in payment "
                                "messages)"));
}

static xmlEntityPtr on_entity(void *ctx, const xmlChar *name)
{
    sax_state *x = ctx;
    xmlEntityPtr pre = xmlGetPredefinedEntity(name); /* &amp; &lt; &gt; &quot; &apos; */
    if (!pre)
        sax_stop(x, vigil__pay_fail(x->w->m, sax_line(x),
                                    "entity &%.40s; is refused (no entities in payment "
                                    "messages)",
                                    (const char *)name));
    return pre;
}

static void on_error(void *ctx, xmlErrorPtr err)
{
    sax_state *x = ctx;
    if (!err || err->level < XML_ERR_ERROR || x->rc)
        return;
    char msg[VIGIL__ERRMSG];
    vigil__xml_message(err, msg, sizeof(msg));
    x->rc = vigil__pay_fail(x->w->m, err->line, "malformed XML: %s", msg);
}

/* Each thread keeps its parser (making one costs as much as reading a
 * message), made again once its dictionary of names has grown past
 * PARSER_NAMES (element names a sender chose: bounded, whatever it sends). */
#define PARSER_NAMES 4096
static pthread_key_t parser_key;
static pthread_once_t parser_once = PTHREAD_ONCE_INIT;

static void parser_free(void *ctxt)
{
    xmlFreeParserCtxt(ctxt);
}

static xmlSAXHandler sax; /* the handlers every parser is made with */

static void parser_key_make(void)
{
    pthread_key_create(&parser_key, parser_free);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_text;
    sax.cdataBlock = on_text;
    sax.internalSubset = on_doctype;
    sax.getEntity = on_entity;
    sax.serror = on_error;
}

static xmlParserCtxtPtr thread_parser(void)
{
    pthread_once(&parser_once, parser_key_make);
    xmlParserCtxtPtr ctxt = pthread_getspecific(parser_key);
    if (ctxt && ctxt->dict && xmlDictSize(ctxt->dict) > PARSER_NAMES) {
        xmlFreeParserCtxt(ctxt);
        ctxt = NULL;
        pthread_setspecific(parser_key, NULL);
    }
    if (!ctxt) {
        ctxt = xmlCreatePushParserCtxt(&sax, NULL, NULL, 0, NULL);
        if (ctxt)
            pthread_setspecific(parser_key, ctxt);
    }
    return ctxt;
}

void vigil__pay_release(void)
{
    if (pthread_once(&parser_once, parser_key_make) != 0)
        return;
    xmlParserCtxtPtr ctxt = pthread_getspecific(parser_key);
    if (ctxt) {
        xmlFreeParserCtxt(ctxt);
        pthread_setspecific(parser_key, NULL);
    }
}

int vigil__pay_read_xml(vigil_message *m, const char *data, size_t len)
{
    if (len > (size_t)INT32_MAX)
        return vigil__pay_fail(m, 0, "too large for the XML reader");
    pthread_once(&codes_once, codes_build);
    walk *w = malloc(sizeof(*w));
    if (!w)
        return vigil__pay_fail(m, 0, "out of memory");
    w->m = m;
    w->depth = 0;
    w->party = -1;
    w->underlying = 0;
    w->tlen = 0;
    /* libxml2's SAX2 parser, with handlers of our own: no tree is built,
     * no DTD is read (a DOCTYPE stops it), no entity but the predefined
     * five is known, nothing is fetched (XML_PARSE_NONET) */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlSetGenericErrorFunc(NULL, vigil__xml_quiet);
    sax_state x = {.w = w, .doc_depth = -1};
    xmlParserCtxtPtr ctxt = thread_parser();
    int rc = 0;
    /* the first bytes with the reset, so that the parser sees the encoding
     * (a byte-order mark) before the rest */
    int head = len < 4 ? (int)len : 4;
    if (!ctxt || xmlCtxtResetPush(ctxt, data, head, NULL, NULL) != 0) {
        rc = vigil__pay_fail(m, 0, "out of memory");
    } else {
        xmlCtxtUseOptions(ctxt, XML_PARSE_NONET);
        ctxt->userData = &x;
        x.ctxt = ctxt;
        xmlParseChunk(ctxt, data + head, (int)len - head, 1);
        rc = x.rc;
        if (!rc && !ctxt->wellFormed)
            rc = vigil__pay_fail(m, sax_line(&x), "malformed XML");
        else if (!rc && x.doc_depth == -1)
            rc = vigil__pay_fail(m, 0,
                                 "no ISO 20022 <Document> of a pacs.008, pacs.009 or "
                                 "pain.001 namespace (" NS_PREFIX "...)");
        if (ctxt->myDoc) { /* never made by these handlers; freed if it were */
            xmlFreeDoc(ctxt->myDoc);
            ctxt->myDoc = NULL;
        }
        ctxt->userData = NULL;
    }
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    free(w);
    return rc ? -1 : 0;
}
