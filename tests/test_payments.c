/*
 * test_payments.c - payment messages: the shared ISO 20022 samples and the
 * messages written for these tests (tests/data/payments/) read field by
 * field, broken messages refused with their line and field, and the
 * written ones screened against the four lists.
 */
#include <string.h>

#include "test.h"

/* The message of a file, read (NULL after a failure, reported). */
static vigil_message *read_msg(const char *path)
{
    char *data = NULL;
    size_t len = 0;
    char msg[600];
    FILE *f = fopen(path, "rb");
    if (!f) {
        test_fail(__FILE__, __LINE__, "cannot open %s", path);
        return NULL;
    }
    data = malloc(1 << 20);
    len = data ? fread(data, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    vigil_message *m = NULL;
    if (data && vigil_message_read(data, len, &m, msg, sizeof(msg)) != VIGIL_OK)
        test_fail(__FILE__, __LINE__, "%s: %s", path, msg);
    free(data);
    return m;
}

/* The message as JSON, parsed. */
static json_t *as_json(const vigil_message *m)
{
    char *s = m ? vigil_message_json(m) : NULL;
    json_t *j = s ? json_loads(s, 0, NULL) : NULL;
    vigil_free(s);
    return j;
}

/* The first party of role in j, or NULL. */
static json_t *party(json_t *j, const char *role)
{
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(j, "parties"), i,
                       p) if (strcmp(json_string_value(json_object_get(p, "role")), role) ==
                              0) return p;
    return NULL;
}

static const char *field(json_t *p, const char *key)
{
    const char *s = json_string_value(json_object_get(p, key));
    return s ? s : "";
}

void test_payments_samples(void)
{
    vigil_message *m =
        read_msg(shared_path("payments/samples/International_payment_RUB_naujas_1.xml"));
    json_t *j = as_json(m);
    CHECK_STR(field(j, "type"), "pain.001.001.03");
    CHECK_STR(field(j, "msg_id"), "MSGID0003");
    CHECK_STR(field(j, "end_to_end_id"), "EndToEndId0003");
    json_t *d = party(j, "debtor");
    CHECK_STR(field(d, "name"), "IMONE X");
    CHECK_STR(field(d, "kind"), "organisation");
    CHECK_STR(field(d, "account"), "LT007180000000000000");
    CHECK_STR(field(d, "ids"), "123456789");
    CHECK_STR(field(d, "path"), "PmtInf[1]/Dbtr");
    json_t *a = party(j, "creditor_agent");
    CHECK_STR(field(a, "name"), "UNICREDIT BANK AO");
    CHECK_STR(field(a, "kind"), "bank");
    CHECK_STR(field(a, "country"), "RU");
    CHECK_STR(field(a, "ids"), "044525593");
    CHECK_STR(field(party(j, "debtor_agent"), "bic"), "CBSBLT26XXX");
    CHECK_STR(field(party(j, "creditor"), "name"), "COMPANY Z");
    char *texts = json_dumps(json_object_get(j, "texts"), 0);
    CHECK_CONTAINS(texts, "PREPAYMENT RUB 1000,00");
    free(texts);
    json_decref(j);
    vigil_message_free(m);
    /* the Swiss variant: SIX's own namespace, several payments */
    m = read_msg(shared_path("payments/samples/musterfile_pain.001_Nov2020.xml"));
    j = as_json(m);
    CHECK_STR(field(j, "type"), "pain.001.001.03.ch.02");
    CHECK(json_integer_value(json_object_get(j, "transactions")) >= 5);
    CHECK(json_array_size(json_object_get(j, "parties")) >= 10);
    json_decref(j);
    vigil_message_free(m);
    static const char *const others[] = {"International_payment_USD_naujas_1.xml",
                                         "sepa_payment_naujas_1.xml"};
    for (int i = 0; i < 2; i++) {
        char rel[128];
        snprintf(rel, sizeof(rel), "payments/samples/%s", others[i]);
        m = read_msg(shared_path(rel));
        j = as_json(m);
        CHECK(party(j, "debtor") && party(j, "creditor"));
        json_decref(j);
        vigil_message_free(m);
    }
}

void test_payments_written(void)
{
    vigil_message *m = read_msg("tests/data/payments/pacs008-hold.xml");
    json_t *j = as_json(m);
    CHECK_STR(field(j, "type"), "pacs.008.001.09");
    CHECK_STR(field(j, "msg_id"), "MSG-2026-12-01-0001");
    CHECK_STR(field(j, "uetr"), "8a562c67-ca16-48ba-b074-65581be6f011");
    CHECK_INT((int)json_integer_value(json_object_get(j, "transactions")), 2);
    json_t *im = party(j, "intermediary_agent_1");
    CHECK_STR(field(im, "bic"), "BKBPIRTHXXX");
    CHECK_STR(field(im, "name"), "Pasargad Bank");
    CHECK_STR(field(im, "path"), "CdtTrfTxInf[2]/IntrmyAgt1");
    size_t i;
    json_t *p, *cdtr = NULL;
    json_array_foreach(json_object_get(j, "parties"), i,
                       p) if (!strcmp(field(p, "role"), "creditor") &&
                              !strcmp(field(p, "path"), "CdtTrfTxInf[2]/Cdtr")) cdtr = p;
    CHECK_STR(field(cdtr, "name"), "BASTRYKIN, Aleksandr Ivanovich");
    CHECK_STR(field(cdtr, "kind"), "person");
    CHECK_STR(field(cdtr, "birth_date"), "1953-08-27");
    CHECK_STR(field(cdtr, "birth_place"), "Pskov");
    CHECK_STR(field(cdtr, "country"), "RU");
    CHECK_CONTAINS(field(cdtr, "address"), "105005 Moscow");
    CHECK_STR(field(party(j, "debtor"), "account"), "ES9121000418450200051332");
    CHECK_STR(field(party(j, "ultimate_creditor"), "name"), "Александр Бастрыкин");
    /* the application header's BICs are another namespace's: not parties */
    CHECK(!party(j, "instructing_agent"));
    json_decref(j);
    vigil_message_free(m);
    /* a cover payment's underlying customer transfer */
    m = read_msg("tests/data/payments/pacs009-cov.xml");
    j = as_json(m);
    CHECK_STR(field(party(j, "debtor"), "kind"), "bank");
    CHECK_STR(field(party(j, "underlying_debtor"), "name"), "Александр Иванович Бастрыкин");
    CHECK_STR(field(party(j, "underlying_creditor"), "town"), "Sevastopol");
    json_decref(j);
    vigil_message_free(m);
    /* MT103: sender and receiver from blocks 1 and 2, the UETR from block 3 */
    m = read_msg("tests/data/payments/mt103-hold.txt");
    j = as_json(m);
    CHECK_STR(field(j, "type"), "MT103");
    CHECK_STR(field(j, "msg_id"), "MT103REF0001");
    CHECK_STR(field(j, "uetr"), "e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b");
    CHECK_STR(field(party(j, "sender"), "bic"), "DEUTDEFF");
    CHECK_STR(field(party(j, "receiver"), "bic"), "BNPAFRPP");
    json_t *oc = party(j, "ordering_customer");
    CHECK_STR(field(oc, "name"), "AKRAM TURKY HISHAN AL MAZIDI");
    CHECK_STR(field(oc, "account"), "DE89370400440532013000");
    CHECK_STR(field(oc, "address"), "BAGHDAD");
    CHECK_STR(field(party(j, "account_with_institution"), "bic"), "KDBKKPPY");
    CHECK_STR(field(party(j, "beneficiary_customer"), "name"), "JEAN DUPONT");
    json_decref(j);
    vigil_message_free(m);
    /* MT202 COV: option F's numbered lines, in sequence B */
    m = read_msg("tests/data/payments/mt202cov-hold.txt");
    j = as_json(m);
    CHECK_STR(field(j, "type"), "MT202COV");
    CHECK_STR(field(j, "end_to_end_id"), "E2E-MT-77");
    json_t *u = party(j, "underlying_ordering_customer");
    CHECK_STR(field(u, "path"), "B/:50F:");
    CHECK_STR(field(u, "name"), "BASTRYKIN ALEXANDER IVANOVICH");
    CHECK_STR(field(u, "kind"), "person");
    CHECK_STR(field(u, "birth_date"), "19530827");
    CHECK_STR(field(u, "town"), "MOSCOW");
    CHECK_STR(field(u, "country"), "RU");
    CHECK_STR(field(u, "birth_place"), "PSKOV");
    CHECK_STR(field(party(j, "beneficiary_institution"), "bic"), "CHASUS33");
    CHECK_STR(field(party(j, "underlying_beneficiary_customer"), "name"), "GLOBAL TRADING LLC");
    json_decref(j);
    vigil_message_free(m);
}

/* data is refused, the message saying want. */
static void refused(const char *data, const char *want, int line)
{
    vigil_message *m = NULL;
    char msg[600];
    int rc = vigil_message_read(data, strlen(data), &m, msg, sizeof(msg));
    if (rc != VIGIL_ERR_FORMAT || m)
        test_fail(__FILE__, line, "accepted: %.60s", data);
    else if (!strstr(msg, want))
        test_fail(__FILE__, line, "\"%s\" does not say \"%s\"", msg, want);
    vigil_message_free(m);
}

void test_payments_refused(void)
{
    static const char doc[] =
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09\">";
    refused("hello", "neither ISO 20022 XML", __LINE__);
    refused("<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b "
            "\"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><Document xmlns=\"urn:iso:std:iso:20022:tech:"
            "xsd:pacs.008.001.09\">&b;</Document>",
            "DOCTYPE", __LINE__);
    refused("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"/>",
            "not a pacs.008", __LINE__);
    refused("<a><b>no document</b></a>", "no ISO 20022 <Document>", __LINE__);
    char buf[8192];
    snprintf(buf, sizeof(buf), "%s<FIToFICstmrCdtTrf><CdtTrfTxInf><Cdtr><Nm>x</Nm>", doc);
    refused(buf, "malformed XML", __LINE__);
    snprintf(buf, sizeof(buf),
             "%s\n<FIToFICstmrCdtTrf><CdtTrfTxInf>\n<Cdtr><Nm>&nope;</Nm></Cdtr>"
             "</CdtTrfTxInf></FIToFICstmrCdtTrf></Document>",
             doc);
    refused(buf, "line 3", __LINE__);
    /* a field past its bound, and nesting past the reader's */
    size_t n =
        (size_t)snprintf(buf, sizeof(buf), "%s<FIToFICstmrCdtTrf><CdtTrfTxInf><Cdtr><Nm>", doc);
    memset(buf + n, 'A', 3000);
    snprintf(buf + n + 3000, sizeof(buf) - n - 3000,
             "</Nm></Cdtr></CdtTrfTxInf></FIToFICstmrCdtTrf></Document>");
    refused(buf, "<Nm>: longer than", __LINE__);
    n = (size_t)snprintf(buf, sizeof(buf), "%s", doc);
    for (int i = 0; i < 60; i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "<X>");
    refused(buf, "nested more than", __LINE__);
    /* MT: the structure, the options, the BICs */
    refused("{1:F01DEUTDEFFAXXX0000000000}{2:I103BNPAFRPPXXXXN}", "no block 4", __LINE__);
    refused("{1:F01DEUTDEFFAXXX0000000000}{2:I940BNPAFRPPXXXXN}{4:\n:20:X\n-}",
            "MT940 is not read", __LINE__);
    refused("{1:F01DEUTDEFFAXXX0000000000}{2:I103BNPAFRPPXXXXN}{4:\n:20:X\n:50B:NAME\n-}",
            "option B is not one of AFK", __LINE__);
    refused("{1:F01DEUTDEFFAXXX0000000000}{2:I103BNPAFRPPXXXXN}{4:\n:20:X\n:57A:NOT A BIC\n-}",
            "line 3: field :57A: line 1", __LINE__);
    refused("{1:F01DEUTDEFFAXXX0000000000}{2:I103BNPAFRPPXXXXN}{4:\n:20:X\n:50F:/123\nNAME\n-}",
            "not a numbered line", __LINE__);
    refused("{1:F01DEUTDEFFAXXX0000000000}{2:I103BNPAFRPPXXXXN}{4:\n:20:X\n", "does not end",
            __LINE__);
    refused("{1:F01DEUTDEFFAXXX0000000000}{2:I103BNPAFRPPXXXXN}{4:\nfree text\n-}",
            "a field starts with :TAG:", __LINE__);
    /* a file of many messages: each from its own start */
    static const char many[] = "{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}{4:\n:20:A\n"
                               ":59:B\n-}\n{1:F01AAAABBCCXXXX0000000000}{2:I103DDDDEEFFXXXXN}"
                               "{4:\n:20:C\n:59:D\n-}\n";
    size_t end, at = vigil_messages_next(many, sizeof(many) - 1, 0, &end), count = 0;
    while (at < sizeof(many) - 1) {
        vigil_message *m = NULL;
        char msg[600];
        CHECK_INT(vigil_message_read(many + at, end - at, &m, msg, sizeof(msg)), VIGIL_OK);
        vigil_message_free(m);
        count++;
        at = vigil_messages_next(many, sizeof(many) - 1, end, &end);
    }
    CHECK_INT((int)count, 2);
}

/* The decision on a written message, and whether a hit of kind at path
 * names want (source:id, or a value for jurisdictions). */
static json_t *screened(const vigil_payments *p, const char *file, const char *decision)
{
    vigil_message *m = read_msg(file);
    char *res = NULL;
    int hold = 0;
    if (m)
        CHECK_INT(vigil_message_screen(p, m, 0, &res, &hold), VIGIL_OK);
    vigil_message_free(m);
    json_t *j = res ? json_loads(res, 0, NULL) : NULL;
    vigil_free(res);
    if (strcmp(field(j, "decision"), decision) != 0)
        test_fail(__FILE__, __LINE__, "%s: %s, not %s", file, field(j, "decision"), decision);
    CHECK_INT(hold, strcmp(decision, "hold") == 0);
    return j;
}

static int has_hit(json_t *j, const char *kind, const char *path, const char *want)
{
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(j, "hits"), i, h)
    {
        char id[96];
        snprintf(id, sizeof(id), "%s:%s", field(h, "source"), field(h, "source_id"));
        if (!strcmp(field(h, "kind"), kind) && !strcmp(field(h, "path"), path) &&
            (!strcmp(id, want) || !strcmp(field(h, "value"), want)))
            return 1;
    }
    return 0;
}

#define HIT(j, kind, path, want)                                                               \
    do {                                                                                       \
        if (!has_hit(j, kind, path, want))                                                     \
            test_fail(__FILE__, __LINE__, "no %s hit at %s naming %s", kind, path, want);      \
    } while (0)

void test_payments_screened(void)
{
    const vigil_engine *e = test_engine();
    if (!e)
        return;
    vigil_payments *p = NULL;
    CHECK_INT(vigil_payments_open(e, &p), VIGIL_OK);
    /* the listed person in Latin and in Cyrillic, a listed bank's BIC and its
     * country, a whole listed name and a listed vessel's IMO number in text */
    json_t *j = screened(p, "tests/data/payments/pacs008-hold.xml", "hold");
    HIT(j, "party", "CdtTrfTxInf[2]/Cdtr/Nm", "eu:14980080");
    HIT(j, "party", "CdtTrfTxInf[2]/UltmtCdtr/Nm", "eu:14980080");
    HIT(j, "party", "CdtTrfTxInf[2]/IntrmyAgt1/FinInstnId/Nm", "ofac:13133");
    HIT(j, "bic", "CdtTrfTxInf[2]/IntrmyAgt1", "ofac:13133");
    HIT(j, "jurisdiction", "CdtTrfTxInf[2]/IntrmyAgt1", "IR");
    HIT(j, "imo", "CdtTrfTxInf[2]/RmtInf/Ustrd[1]", "ofac:15036");
    HIT(j, "text", "CdtTrfTxInf[2]/RmtInf/Ustrd[1]", "un:QDi.276");
    /* nothing from the first transfer: ordinary people, banks and words */
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(j, "hits"), i, h)
        CHECK(strncmp(field(h, "path"), "CdtTrfTxInf[1]", 14) != 0);
    json_decref(j);
    json_decref(screened(p, "tests/data/payments/pacs008-pass.xml", "pass"));
    json_decref(screened(p, "tests/data/payments/mt103-pass.txt", "pass"));
    /* a cover's underlying ordering customer in Cyrillic; an address in
     * Sevastopol */
    j = screened(p, "tests/data/payments/pacs009-cov.xml", "hold");
    HIT(j, "party", "CdtTrfTxInf[1]/UndrlygCstmrCdtTrf/Dbtr/Nm", "eu:14980080");
    HIT(j, "jurisdiction", "CdtTrfTxInf[1]/UndrlygCstmrCdtTrf/Cdtr", "Sevastopol");
    json_decref(j);
    /* a typed UN name in :50K:, a North Korean bank's BIC in :57A: */
    j = screened(p, "tests/data/payments/mt103-hold.txt", "hold");
    HIT(j, "party", ":50K: line 2", "un:QDi.276");
    HIT(j, "bic", ":57A:", "ofac:12312");
    HIT(j, "jurisdiction", ":57A:", "KP");
    json_decref(j);
    j = screened(p, "tests/data/payments/mt202cov-hold.txt", "hold");
    HIT(j, "party", "B/:50F: line 2", "eu:14980080");
    json_decref(j);
    vigil_payments_close(p);
}
