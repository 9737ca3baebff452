/*
 * message.c - the payment message model (payments.h): reading one message
 * of either family, its parties and texts, its JSON form, and finding the
 * messages of a file that holds many.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payments.h"

int vigil__pay_fail(vigil_message *m, int line, const char *fmt, ...)
{
    if (!m->failed) {
        m->failed = 1;
        int n = line > 0 ? snprintf(m->err, sizeof(m->err), "line %d: ", line) : 0;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(m->err + n, sizeof(m->err) - (size_t)n, fmt, ap);
        va_end(ap);
    }
    return -1;
}

vigil__party *vigil__pay_party(vigil_message *m, const char *role, const char *path, int line)
{
    if (m->nparties == VIGIL__PAY_MAX_PARTIES) {
        vigil__pay_fail(m, line, "more than %d parties in one message", VIGIL__PAY_MAX_PARTIES);
        return NULL;
    }
    if (m->nparties == m->pcap) {
        size_t cap = m->pcap ? m->pcap * 2 : 8;
        vigil__party *p = realloc(m->parties, cap * sizeof(*p));
        if (!p) {
            vigil__pay_fail(m, line, "out of memory");
            return NULL;
        }
        m->parties = p;
        m->pcap = cap;
    }
    vigil__party *p = &m->parties[m->nparties++];
    memset(p, 0, sizeof(*p));
    snprintf(p->role, sizeof(p->role), "%s", role);
    snprintf(p->path, sizeof(p->path), "%s", path);
    p->line = line;
    return p;
}

/* A copy of value trimmed, NULL when empty (or out of memory: *oom). */
static char *trimmed(const char *value, int *oom)
{
    while (*value && isspace((unsigned char)*value))
        value++;
    size_t n = strlen(value);
    while (n && isspace((unsigned char)value[n - 1]))
        n--;
    if (!n)
        return NULL;
    char *s = strndup(value, n);
    if (!s)
        *oom = 1;
    else
        vigil__squeeze(s);
    return s;
}

int vigil__pay_text(vigil_message *m, const char *path, int line, const char *text)
{
    int oom = 0;
    char *t = trimmed(text, &oom);
    if (!t)
        return oom ? vigil__pay_fail(m, line, "out of memory") : 0;
    if (m->ntexts == VIGIL__PAY_MAX_TEXTS) {
        free(t);
        return vigil__pay_fail(m, line, "more than %d texts in one message",
                               VIGIL__PAY_MAX_TEXTS);
    }
    if (m->ntexts == m->tcap) {
        size_t cap = m->tcap ? m->tcap * 2 : 8;
        vigil__ptext *p = realloc(m->texts, cap * sizeof(*p));
        if (!p) {
            free(t);
            return vigil__pay_fail(m, line, "out of memory");
        }
        m->texts = p;
        m->tcap = cap;
    }
    vigil__ptext *x = &m->texts[m->ntexts++];
    snprintf(x->path, sizeof(x->path), "%s", path);
    x->line = line;
    x->text = t;
    return 0;
}

int vigil__pay_set(vigil_message *m, char **dst, const char *value, const char *sep)
{
    int oom = 0;
    char *t = trimmed(value, &oom);
    if (!t)
        return oom ? vigil__pay_fail(m, 0, "out of memory") : 0;
    if (!*dst) {
        *dst = t;
        return 0;
    }
    size_t a = strlen(*dst), b = strlen(t), s = strlen(sep);
    char *both = a + s + b < 4 * VIGIL__PAY_MAX_FIELD ? realloc(*dst, a + s + b + 1) : NULL;
    if (both) {
        memcpy(both + a, sep, s);
        memcpy(both + a + s, t, b + 1);
        *dst = both;
    }
    free(t);
    return 0; /* past four fields' worth, the rest is left out */
}

void vigil__pay_country(char dst[3], const char *value)
{
    while (value && isspace((unsigned char)*value))
        value++;
    if (!value || !isalpha((unsigned char)value[0]) || !isalpha((unsigned char)value[1]))
        return;
    for (size_t i = 2; value[i]; i++)
        if (!isspace((unsigned char)value[i]))
            return;
    dst[0] = (char)toupper((unsigned char)value[0]);
    dst[1] = (char)toupper((unsigned char)value[1]);
    dst[2] = '\0';
}

void vigil_message_free(vigil_message *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nparties; i++) {
        vigil__party *p = &m->parties[i];
        char *fields[] = {p->name,    p->address, p->town,       p->bic,        p->lei,
                          p->account, p->ids,     p->birth_date, p->birth_place};
        for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
            free(fields[k]);
    }
    for (size_t i = 0; i < m->ntexts; i++)
        free(m->texts[i].text);
    free(m->parties);
    free(m->texts);
    free(m->msg_id);
    free(m->e2e_id);
    free(m->uetr);
    free(m->tx_id);
    free(m);
}

/* The first byte that is not white space (or a byte-order mark). */
static size_t content_start(const char *data, size_t len)
{
    size_t i = 0;
    if (len >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        i = 3;
    while (i < len && isspace((unsigned char)data[i]))
        i++;
    return i;
}

int vigil_message_read(const char *data, size_t len, vigil_message **out, char *msg, size_t cap)
{
    *out = NULL;
    if (msg && cap)
        msg[0] = '\0';
    if (!data)
        return VIGIL_ERR_ARG;
    if (len > VIGIL__PAY_MAX_BYTES) {
        if (msg)
            snprintf(msg, cap, "a message of %zu bytes: at most %zu", len,
                     VIGIL__PAY_MAX_BYTES);
        return VIGIL_ERR_LIMIT;
    }
    vigil_message *m = calloc(1, sizeof(*m));
    if (!m)
        return VIGIL_ERR_NOMEM;
    size_t at = content_start(data, len);
    int rc;
    if (at < len && data[at] == '<')
        rc = vigil__pay_read_xml(m, data, len);
    else if (at < len && data[at] == '{')
        rc = vigil__pay_read_mt(m, data + at, len - at);
    else
        rc = vigil__pay_fail(m, 1,
                             "neither ISO 20022 XML (from '<') nor a SWIFT MT message (from "
                             "'{1:')");
    if (rc == 0 && !m->nparties)
        rc = vigil__pay_fail(m, 0, "no party in the message");
    if (rc != 0) {
        if (msg)
            snprintf(msg, cap, "%s", m->err);
        int oom = strstr(m->err, "out of memory") != NULL;
        vigil_message_free(m);
        return oom ? VIGIL_ERR_NOMEM : VIGIL_ERR_FORMAT;
    }
    *out = m;
    return VIGIL_OK;
}

size_t vigil_messages_next(const char *data, size_t len, size_t from, size_t *end)
{
    size_t at = from + content_start(data + from, len - from);
    if (at >= len) {
        *end = len;
        return len;
    }
    /* the next message: another XML declaration, or another {1: block */
    const char *mark = data[at] == '{' ? "{1:" : "<?xml";
    size_t ml = strlen(mark), i = at + 1;
    while (i + ml <= len && memcmp(data + i, mark, ml) != 0)
        i++;
    *end = i + ml <= len ? i : len;
    return at;
}

static const char *const kinds[] = {"unknown", "person", "organisation", "bank"};

void vigil__pay_party_json(vigil__json *w, const vigil__party *p)
{
    vigil__json_obj(w);
    vigil__json_key(w, "role");
    vigil__json_str(w, p->role);
    vigil__json_key(w, "path");
    vigil__json_str(w, p->path);
    vigil__json_key(w, "line");
    vigil__json_num(w, p->line);
    vigil__json_key(w, "kind");
    vigil__json_str(w, kinds[p->kind]);
    const struct {
        const char *key, *v;
    } f[] = {{"name", p->name},
             {"address", p->address},
             {"town", p->town},
             {"country", p->country[0] ? p->country : NULL},
             {"residence", p->residence[0] ? p->residence : NULL},
             {"bic", p->bic},
             {"lei", p->lei},
             {"account", p->account},
             {"ids", p->ids},
             {"birth_date", p->birth_date},
             {"birth_place", p->birth_place},
             {"birth_country", p->birth_country[0] ? p->birth_country : NULL}};
    for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
        if (f[i].v) {
            vigil__json_key(w, f[i].key);
            vigil__json_str(w, f[i].v);
        }
    vigil__json_obj_end(w);
}

void vigil__pay_message_json(vigil__json *w, const vigil_message *m)
{
    vigil__json_obj(w);
    vigil__json_key(w, "type");
    vigil__json_str(w, m->type);
    const struct {
        const char *key, *v;
    } ids[] = {{"msg_id", m->msg_id},
               {"end_to_end_id", m->e2e_id},
               {"uetr", m->uetr},
               {"tx_id", m->tx_id}};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        vigil__json_key(w, ids[i].key);
        if (ids[i].v)
            vigil__json_str(w, ids[i].v);
        else
            vigil__json_raw(w, "null");
    }
    vigil__json_key(w, "transactions");
    vigil__json_num(w, m->transactions);
    vigil__json_key(w, "parties");
    vigil__json_arr(w);
    for (size_t i = 0; i < m->nparties; i++)
        vigil__pay_party_json(w, &m->parties[i]);
    vigil__json_arr_end(w);
    vigil__json_key(w, "texts");
    vigil__json_arr(w);
    for (size_t i = 0; i < m->ntexts; i++) {
        vigil__json_obj(w);
        vigil__json_key(w, "path");
        vigil__json_str(w, m->texts[i].path);
        vigil__json_key(w, "line");
        vigil__json_num(w, m->texts[i].line);
        vigil__json_key(w, "text");
        vigil__json_str(w, m->texts[i].text);
        vigil__json_obj_end(w);
    }
    vigil__json_arr_end(w);
    vigil__json_obj_end(w);
}

char *vigil_message_json(const vigil_message *m)
{
    if (!m)
        return NULL;
    vigil__json w = {0};
    vigil__pay_message_json(&w, m);
    return vigil__json_finish(&w);
}
