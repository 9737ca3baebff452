/*
 * payments.c - POST /screen/message: one payment message (ISO 20022 XML or
 * SWIFT MT text) in the body, its decision and hits as vigil_message_screen
 * gives them (docs/payments.md). A message that cannot be read is 422 with
 * the line and the field.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../payments.h"
#include "server.h"

/* The holder's payment screener, made once. */
static const vigil_payments *screener(holder *h)
{
    pthread_mutex_lock(&h->listed_mu);
    if (!h->payments && vigil_payments_open(h->e, &h->payments) != VIGIL_OK)
        h->payments = NULL;
    const vigil_payments *p = h->payments;
    pthread_mutex_unlock(&h->listed_mu);
    return p;
}

enum MHD_Result vigil_srv_screen_message(struct MHD_Connection *c, const char *rest, req *r,
                                         int *status)
{
    (void)rest;
    if (!r->len)
        return send_error(c, *status = 400,
                          "the body is one payment message: ISO 20022 XML (pacs.008, pacs.009, "
                          "pain.001) or SWIFT MT103 or MT202 text");
    const char *th = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "threshold");
    double threshold = 0;
    if (th && vigil_srv_num_arg(c, "threshold", 0.01, 1.0, VIGIL_DEFAULT_THRESHOLD, &threshold))
        return send_error(c, *status = 422, "threshold is a number in (0, 1]");
    vigil_message *m = NULL;
    char msg[600];
    int rc = vigil_message_read(r->body, r->len, &m, msg, sizeof(msg));
    if (rc != VIGIL_OK)
        return send_error(c, *status = rc == VIGIL_ERR_NOMEM ? 500 : 422,
                          rc == VIGIL_ERR_NOMEM ? "out of memory" : msg);
    holder *h = vigil_srv_acquire();
    if (!h) {
        vigil_message_free(m);
        return send_error(c, *status = 503, "no lists loaded");
    }
    const vigil_payments *p = screener(h);
    char *json = NULL;
    int held = 0;
    rc = p ? vigil_message_screen(p, m, threshold, &json, &held) : VIGIL_ERR_NOMEM;
    vigil_message_free(m);
    vigil_srv_release(h);
    if (rc != VIGIL_OK)
        return send_error(c, *status = 500, vigil_strerror(rc));
    /* every message screened is kept, a held one's hits as alerts */
    vigil_db *db = vigil_srv_open_db(1);
    int64_t id = 0;
    rc = db ? vigil_message_store(db, json, &id) : VIGIL_ERR_DB;
    char customer[32];
    snprintf(customer, sizeof(customer), "msg:%lld", (long long)id);
    if (rc == VIGIL_OK) /* who sent it: the trail's line beside the alerts' */
        rc = vigil_audit_add(db, r->who.user, held ? "message held" : "message passed",
                             customer, NULL, NULL);
    vigil_db_close(db);
    if (rc != VIGIL_OK) {
        vigil_free(json);
        return send_error(c, *status = 500, "the message was screened but could not be kept");
    }
    /* its id first, then the screening's answer */
    char *out = vigil_cli_with_message_id(json, (long long)id);
    vigil_free(json);
    if (!out)
        return send_oom(c);
    return send_text(c, *status = 200, out, "application/json");
}

enum MHD_Result vigil_srv_message(struct MHD_Connection *c, const char *rest, req *r,
                                  int *status)
{
    (void)r;
    char *end = NULL;
    long long id = strtoll(rest, &end, 10);
    if (!*rest || !end || *end || id <= 0)
        return send_error(c, *status = 404, "a message is /messages/ID, ID a number");
    vigil_db *db = vigil_srv_open_db(0);
    char *json = NULL;
    int rc = db ? vigil_message_get(db, id, &json) : VIGIL_ERR_DB;
    vigil_db_close(db);
    if (rc == VIGIL_ERR_NOTFOUND)
        return send_error(c, *status = 404, "no such message");
    if (rc != VIGIL_OK)
        return send_error(c, *status = 500, vigil_strerror(rc));
    return send_text(c, *status = 200, json, "application/json");
}
