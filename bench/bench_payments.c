/*
 * bench_payments.c - payment screening, as issue 18 asks it measured:
 * 100,000 pacs.008.001.09 messages of realistic size (an application
 * header, a group header, one transfer with debtor, creditor, their
 * addresses, accounts and banks, an ultimate creditor for some, and a
 * remittance line), 1% with a listed party planted in a party field (the
 * creditor, the debtor or the ultimate creditor, in turn) from the
 * development halves of the held-out sets (EU persons' Cyrillic names, UK
 * spellings of UN names, UN names with typing errors: other scripts and
 * typos), the others' parties drawn from the synthetic persons listed
 * nowhere (eval/screening/negatives-*) and companies named after them.
 * Reads and screens each message (vigil_message_read, vigil_message_screen)
 * on 2 threads (the machine's cores), and reports messages per second, the
 * p50 and p99 time per message, the share of planted messages held with a
 * hit on the planted field (recall), and the share of the others held.
 *
 * Usage: bench_payments [DB] (DB: a database holding the four lists, else
 * a new one is loaded from ../shared, or $SHARED).
 */
#include <pthread.h>
#include <stdatomic.h>

#include "bench.h"
#include "positives.h"

#define MESSAGES 100000
#define PLANT_EVERY 100 /* 1%: message i holds a listed party when i % 100 == 50 */
#define THREADS 2

typedef struct {
    char *name, *dob, *country, *schema;
} person;

static person clean[16000], planted[2000];
static int nclean, nplanted;

static char *dup_or_null(const char *s)
{
    return s && *s ? strdup(s) : NULL;
}

static void negative_extra(char **f, int n, void *ctx)
{
    (void)ctx;
    if (n < 5 || !strcmp(f[0], "id") || nclean == 16000)
        return;
    clean[nclean++] = (person){strdup(f[1]), dup_or_null(f[3]), dup_or_null(f[4]), "Person"};
}

static void negative_row(char **f, void *ctx)
{
    (void)ctx;
    if (nclean < 16000)
        clean[nclean++] =
            (person){strdup(f[0]), dup_or_null(f[5]), dup_or_null(f[7]), "Person"};
}

static void crosslist_row(char **f, int n, void *ctx)
{
    (void)ctx;
    if (n < 7 || !strcmp(f[0], "id") || nplanted == 2000)
        return;
    planted[nplanted++] =
        (person){strdup(f[1]), dup_or_null(f[2]), NULL, strdup(*f[3] ? f[3] : "Person")};
}

static void typo_row(char **f, int n, void *ctx)
{
    (void)ctx;
    if (n < 6 || !strcmp(f[0], "id") || nplanted == 2000)
        return;
    planted[nplanted++] =
        (person){strdup(f[1]), dup_or_null(f[2]), dup_or_null(f[3]), "Person"};
}

/* XML-escapes s into out. */
static const char *esc(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; *s && k + 7 < cap; s++) {
        const char *r = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;" : NULL;
        if (r) {
            memcpy(out + k, r, strlen(r));
            k += strlen(r);
        } else {
            out[k++] = *s;
        }
    }
    out[k] = '\0';
    return out;
}

static const char *const banks[][2] = {
    {"DEUTDEFFXXX", "DE"}, {"BNPAFRPPXXX", "FR"}, {"CHASUS33XXX", "US"}, {"BARCGB22XXX", "GB"},
    {"INGBNL2AXXX", "NL"}, {"UBSWCHZHXXX", "CH"}, {"CAIXESBBXXX", "ES"}, {"UNCRITMMXXX", "IT"},
    {"NDEASESSXXX", "SE"}, {"RABONL2UXXX", "NL"}, {"COBADEFFXXX", "DE"}, {"SOGEFRPPXXX", "FR"},
    {"CITIUS33XXX", "US"}, {"HSBCHKHHXXX", "HK"}, {"MHCBJPJTXXX", "JP"}, {"ANZBAU3MXXX", "AU"},
};
static const char *const towns[] = {
    "Berlin",    "Paris",   "Chicago", "London", "Amsterdam", "Zurich",    "Madrid", "Milan",
    "Stockholm", "Utrecht", "Munich",  "Lyon",   "New York",  "Hong Kong", "Tokyo",  "Sydney"};
static const char *const suffixes[] = {"Trading GmbH",   "Logistics Ltd",  "Holding SA",
                                       "Consulting LLC", "Industries Inc", "Services BV"};
static const char *const remit[] = {"Invoice consulting services", "Order payment",
                                    "Salary November 2026 ref",    "Rent December flat",
                                    "Contract instalment 3 of 12", "Refund of order"};

/* A party: its name, as a person or an organisation, with an address that
 * is its own (the same in every message it is in, as a customer's is). */
static int party(char *out, size_t cap, const char *elem, const person *p, int org)
{
    unsigned t = 5381;
    for (const char *c = p->name; *c; c++)
        t = t * 33 + (unsigned char)*c;
    char name[600], dob[320] = "";
    esc(p->name, name, sizeof(name));
    if (!org && p->dob && strlen(p->dob) == 10)
        snprintf(
            dob, sizeof(dob),
            "<Id><PrvtId><DtAndPlcOfBirth><BirthDt>%s</BirthDt><CityOfBirth>%s</CityOfBirth>"
            "<CtryOfBirth>%s</CtryOfBirth></DtAndPlcOfBirth></PrvtId></Id>",
            p->dob, towns[t % 16], banks[t % 16][1]);
    return snprintf(out, cap,
                    "<%s><Nm>%s</Nm><PstlAdr><StrtNm>Hauptstrasse</StrtNm><BldgNb>%d</BldgNb>"
                    "<PstCd>%05d</PstCd><TwnNm>%s</TwnNm><Ctry>%s</Ctry></PstlAdr>%s%s</%s>\n",
                    elem, name, 1 + (int)(t % 120), 10000 + (int)(t % 89999), towns[t % 16],
                    banks[t % 16][1], dob,
                    org ? "<Id><OrgId><Othr><Id>HRB 12345</Id></Othr></OrgId></Id>" : "", elem);
}

typedef struct {
    char *text;
    size_t len;
    int plant; /* -1: clean; else the planted field (0 creditor, 1 debtor, 2 ultimate) */
    const char *field;
} msg;

static msg msgs[MESSAGES];

static void make(int i)
{
    char buf[8192], dbt[1400], cdt[1400], ult[1400] = "", rmt[200], company[300];
    int plant = i % PLANT_EVERY == PLANT_EVERY / 2 ? (i / PLANT_EVERY) % 3 : -1;
    const person *a = &clean[bench_rnd((uint32_t)nclean)],
                 *b = &clean[bench_rnd((uint32_t)nclean)];
    person co = *b;
    int org = bench_rnd(3) == 0; /* a third of creditors are companies */
    if (org) {
        const char *last = strrchr(b->name, ' ');
        snprintf(company, sizeof(company), "%s %s", last ? last + 1 : b->name,
                 suffixes[strlen(b->name) % 6]); /* a person's firm: the same each time */
        co.name = company;
    }
    const person *pl = plant >= 0 ? &planted[(i / PLANT_EVERY) % nplanted] : NULL;
    int plorg = pl && strcmp(pl->schema, "Person") != 0;
    party(dbt, sizeof(dbt), "Dbtr", plant == 1 ? pl : a, plant == 1 ? plorg : 0);
    party(cdt, sizeof(cdt), "Cdtr", plant == 0 ? pl : &co, plant == 0 ? plorg : org);
    if (plant == 2 || i % 10 == 3)
        party(ult, sizeof(ult), "UltmtCdtr",
              plant == 2 ? pl : &clean[bench_rnd((uint32_t)nclean)], plant == 2 ? plorg : 0);
    snprintf(rmt, sizeof(rmt), "%s %d", remit[i % 6], 1000 + i);
    int da = i % 16, ca = (i * 7 + 3) % 16;
    int n = snprintf(
        buf, sizeof(buf),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<BizMsg xmlns=\"urn:iso:std:iso:20022:tech:xsd:head.001.001.02\">\n"
        "<AppHdr><Fr><FIId><FinInstnId><BICFI>%s</BICFI></FinInstnId></FIId></Fr>"
        "<To><FIId><FinInstnId><BICFI>%s</BICFI></FinInstnId></FIId></To>"
        "<BizMsgIdr>B%08d</BizMsgIdr><MsgDefIdr>pacs.008.001.09</MsgDefIdr>"
        "<CreDt>2026-12-01T09:30:00Z</CreDt></AppHdr>\n"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pacs.008.001.09\">\n"
        "<FIToFICstmrCdtTrf>\n<GrpHdr><MsgId>MSG%08d</MsgId><CreDtTm>2026-12-01T09:30:00"
        "</CreDtTm><NbOfTxs>1</NbOfTxs><SttlmInf><SttlmMtd>INDA</SttlmMtd></SttlmInf>"
        "</GrpHdr>\n<CdtTrfTxInf>\n<PmtId><InstrId>I%08d</InstrId><EndToEndId>E2E%08d"
        "</EndToEndId><UETR>%08x-1d2e-4f5a-8b9c-%012x</UETR></PmtId>\n"
        "<IntrBkSttlmAmt Ccy=\"EUR\">%d.%02d</IntrBkSttlmAmt><IntrBkSttlmDt>2026-12-01"
        "</IntrBkSttlmDt><ChrgBr>SHAR</ChrgBr>\n"
        "<InstgAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></InstgAgt>"
        "<InstdAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></InstdAgt>\n%s"
        "<DbtrAcct><Id><IBAN>%s89370400440532%06d</IBAN></Id></DbtrAcct>\n"
        "<DbtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></DbtrAgt>\n"
        "<CdtrAgt><FinInstnId><BICFI>%s</BICFI></FinInstnId></CdtrAgt>\n%s"
        "<CdtrAcct><Id><IBAN>%s14200410100505%06d</IBAN></Id></CdtrAcct>\n%s"
        "<Purp><Cd>SUPP</Cd></Purp><RmtInf><Ustrd>%s</Ustrd></RmtInf>\n"
        "</CdtTrfTxInf>\n</FIToFICstmrCdtTrf>\n</Document>\n</BizMsg>\n",
        banks[da][0], banks[ca][0], i, i, i, i, (unsigned)i, (unsigned)i * 7919u,
        100 + (int)bench_rnd(90000), (int)bench_rnd(100), banks[da][0], banks[ca][0], dbt,
        banks[da][1], i % 1000000, banks[da][0], banks[ca][0], cdt, banks[ca][1], i % 1000000,
        ult, rmt);
    msgs[i].text = strndup(buf, (size_t)n);
    msgs[i].len = (size_t)n;
    msgs[i].plant = plant;
    static const char *const fields[] = {"CdtTrfTxInf[1]/Cdtr/Nm", "CdtTrfTxInf[1]/Dbtr/Nm",
                                         "CdtTrfTxInf[1]/UltmtCdtr/Nm"};
    msgs[i].field = plant >= 0 ? fields[plant] : NULL;
}

typedef struct {
    const vigil_payments *p;
    atomic_int next;
    double lat[MESSAGES], rd[MESSAGES]; /* each message's time, and reading it alone */
    int held[MESSAGES], found[MESSAGES], failed;
} run;

static void *worker(void *arg)
{
    run *r = arg;
    int i;
    while ((i = atomic_fetch_add(&r->next, 1)) < MESSAGES) {
        double t0 = bench_now();
        vigil_message *m = NULL;
        char err[512], *json = NULL;
        int hold = 0;
        int read_ok = vigil_message_read(msgs[i].text, msgs[i].len, &m, err, sizeof(err));
        double t1 = bench_now();
        r->rd[i] = t1 - t0;
        if (read_ok != VIGIL_OK || vigil_message_screen(r->p, m, 0, &json, &hold) != VIGIL_OK) {
            fprintf(stderr, "message %d: %s\n", i, err);
            r->failed++;
        }
        r->lat[i] = bench_now() - t0;
        r->held[i] = hold;
        if (hold && !msgs[i].field && getenv("BENCH_HELD"))
            fprintf(stderr, "held %d: %s\n", i, json);
        if (hold && msgs[i].field) {
            /* a hit on the planted field: its path in a party hit */
            char want[128];
            snprintf(want, sizeof(want), "\"kind\":\"party\",\"role\":");
            const char *h = strstr(json, "\"hits\":");
            for (const char *s = h ? strstr(h, want) : NULL; s; s = strstr(s + 1, want)) {
                const char *path = strstr(s, "\"path\":\"");
                if (path && !strncmp(path + 8, msgs[i].field, strlen(msgs[i].field))) {
                    r->found[i] = 1;
                    break;
                }
            }
        }
        vigil_free(json);
        vigil_message_free(m);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *shared = getenv("SHARED") ? getenv("SHARED") : "../shared";
    char db_path[64], path[1024];
    vigil_db *db = NULL;
    if (argc > 1) {
        if (vigil_db_open(argv[1], 0, &db) != VIGIL_OK) {
            fprintf(stderr, "%s\n", vigil_errmsg(db));
            return 1;
        }
    } else if (!(db = bench_four_lists(shared, db_path, sizeof(db_path)))) {
        return 1;
    }
    vigil_engine *e = NULL;
    double t0 = bench_now();
    if (vigil_engine_open(db, &e) != VIGIL_OK) {
        fprintf(stderr, "%s\n", vigil_errmsg(db));
        return 1;
    }
    vigil_payments *p = NULL;
    if (vigil_payments_open(e, &p) != VIGIL_OK)
        return 1;
    printf("engine and payment screener ready in %.2f s\n", bench_now() - t0);
    snprintf(path, sizeof(path), "%s/eval/screening/negatives-dev-extra.csv", shared);
    bench_each_csv_row(path, negative_extra, NULL);
    bench_each_negative(shared, negative_row, NULL);
    snprintf(path, sizeof(path), "%s/eval/screening/positives-crosslist-dev.csv", shared);
    bench_each_csv_row(path, crosslist_row, NULL);
    snprintf(path, sizeof(path), "%s/eval/screening/positives-un-typos-dev.csv", shared);
    bench_each_csv_row(path, typo_row, NULL);
    /* the planted names in an order of their own, so that each kind is among them */
    for (int i = nplanted - 1; i > 0; i--) {
        int j = (int)bench_rnd((uint32_t)i + 1);
        person t = planted[i];
        planted[i] = planted[j];
        planted[j] = t;
    }
    size_t bytes = 0;
    for (int i = 0; i < MESSAGES; i++) {
        make(i);
        bytes += msgs[i].len;
    }
    if (getenv("BENCH_DUMP"))
        fwrite(msgs[0].text, 1, msgs[0].len, stdout);
    printf("%d pacs.008.001.09 messages, %.0f bytes each on average; %d clean persons, %d "
           "listed names to plant\n",
           MESSAGES, (double)bytes / MESSAGES, nclean, nplanted);
    static run r;
    r.p = p;
    double start = bench_now();
    pthread_t th[THREADS];
    for (int t = 1; t < THREADS; t++)
        pthread_create(&th[t], NULL, worker, &r);
    worker(&r);
    for (int t = 1; t < THREADS; t++)
        pthread_join(th[t], NULL);
    double secs = bench_now() - start;
    long planted_n = 0, found = 0, clean_n = 0, clean_held = 0;
    for (int i = 0; i < MESSAGES; i++) {
        if (msgs[i].plant >= 0) {
            planted_n++;
            found += r.found[i];
        } else {
            clean_n++;
            clean_held += r.held[i];
        }
    }
    double reading = 0, all = 0;
    for (int i = 0; i < MESSAGES; i++) {
        reading += r.rd[i];
        all += r.lat[i];
    }
    printf("reading the messages: %.0f us of the mean %.0f us a message\n",
           reading / MESSAGES * 1e6, all / MESSAGES * 1e6);
    qsort(r.lat, MESSAGES, sizeof(double), bench_cmp_double);
    printf("%d threads: %.0f messages/s (%.2f s), per message p50 %.0f us, p99 %.0f us, max "
           "%.0f us; %d failed\n",
           THREADS, MESSAGES / secs, secs, r.lat[MESSAGES / 2] * 1e6,
           r.lat[MESSAGES * 99 / 100] * 1e6, r.lat[MESSAGES - 1] * 1e6, r.failed);
    printf("planted: %ld/%ld held with a hit on the planted field (%.2f%%); clean: %ld/%ld "
           "held (%.3f%%)\n",
           found, planted_n, 100.0 * (double)found / (double)planted_n, clean_held, clean_n,
           100.0 * (double)clean_held / (double)clean_n);
    int shown = 0;
    for (int i = 0; i < MESSAGES && shown < 8; i++)
        if (msgs[i].plant >= 0 && !r.found[i]) {
            printf("  missed: %s (%s)\n", planted[(i / PLANT_EVERY) % nplanted].name,
                   msgs[i].field);
            shown++;
        }
    vigil_payments_close(p);
    vigil_engine_close(e);
    vigil_db_close(db);
    if (argc <= 1) {
        unlink(db_path);
        char eng[80];
        snprintf(eng, sizeof(eng), "%s.engine", db_path);
        unlink(eng);
    }
    for (int i = 0; i < MESSAGES; i++)
        free(msgs[i].text);
    return 0;
}
