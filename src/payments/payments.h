/*
 * payments.h - payment messages (src/payments/): one model for ISO 20022
 * pacs.008, pacs.009 and pain.001 (iso20022.c) and SWIFT MT103 and MT202
 * (COV) (mt.c), and their screening against the lists (screen.c).
 * Design: docs/payments.md.
 */
#ifndef VIGIL_PAYMENTS_H
#define VIGIL_PAYMENTS_H

#include "../internal.h"

#define VIGIL__PAY_MAX_BYTES ((size_t)4 << 20) /* one message */
#define VIGIL__PAY_MAX_PARTIES 512
#define VIGIL__PAY_MAX_TEXTS 512
#define VIGIL__PAY_MAX_FIELD 2048 /* bytes of one field (ISO 20022's longest: 350) */
#define VIGIL__PAY_PATH 160

/* What a party is, as the message says: a person (its private
 * identification, a date of birth), an organisation (its organisation
 * identification), a bank (a financial institution: screened by its BIC, its
 * country and its name), or not said. */
enum { VIGIL__PARTY_ANY, VIGIL__PARTY_PERSON, VIGIL__PARTY_ORG, VIGIL__PARTY_AGENT };

typedef struct {
    char role[48];              /* "debtor", "creditor_agent", "underlying_creditor", ... */
    char path[VIGIL__PAY_PATH]; /* where it is: "CdtTrfTxInf[2]/Cdtr", ":59F:" */
    char name_path[VIGIL__PAY_PATH]; /* where its name is: ".../Cdtr/Nm", ":59F: line 2" */
    int line;                        /* the line its name (else the party) is on */
    int kind;                        /* VIGIL__PARTY_* */
    char *name, *address, *town, *bic, *lei, *account, *ids, *birth_date, *birth_place;
    char country[3], birth_country[3], residence[3]; /* ISO 3166 letters, upper case */
} vigil__party;

/* Free text a message carries: remittance information, instructions, an
 * address's lines. */
typedef struct {
    char path[VIGIL__PAY_PATH];
    int line;
    char *text;
} vigil__ptext;

struct vigil_message {
    char type[40];                        /* "pacs.008.001.09", "MT103", "MT202COV" */
    char *msg_id, *e2e_id, *uetr, *tx_id; /* the first transaction's, for a file */
    int transactions;
    vigil__party *parties;
    size_t nparties, pcap;
    vigil__ptext *texts;
    size_t ntexts, tcap;
    char err[VIGIL__ERRMSG]; /* while reading: the first error, "line N: ..." */
    int failed;
};

/* The model: a new party (zeroed; NULL when too many or out of memory, with
 * the error set), a text (copied), a field's value (copied into *dst,
 * trimmed; appended after sep when *dst holds one already). Each returns 0
 * or -1 with m->err set. */
vigil__party *vigil__pay_party(vigil_message *m, const char *role, const char *path, int line);
int vigil__pay_text(vigil_message *m, const char *path, int line, const char *text);
int vigil__pay_set(vigil_message *m, char **dst, const char *value, const char *sep);
/* Sets a country field from two letters (upper-cased); other values are
 * left out. */
void vigil__pay_country(char dst[3], const char *value);
/* Sets m's error (the first one wins) and returns -1. */
int vigil__pay_fail(vigil_message *m, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The JSON forms of a party and of a message (message.c). */
void vigil__pay_party_json(vigil__json *w, const vigil__party *p);
void vigil__pay_message_json(vigil__json *w, const vigil_message *m);

/* Frees this thread's XML parser (iso20022.c; vigil_thread_done). */
void vigil__pay_release(void);

/* The readers: fill m from one message. Return 0, or -1 with m->err set. */
int vigil__pay_read_xml(vigil_message *m, const char *data, size_t len);
int vigil__pay_read_mt(vigil_message *m, const char *data, size_t len);

#endif
