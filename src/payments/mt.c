/*
 * mt.c - SWIFT MT103 and MT202 / MT202 COV (FIN: blocks {1:} to {5:}) into
 * the model (payments.h). Block 1 names the sender, block 2 the type and
 * the receiver, block 3 the UETR ({121:}) and a cover payment ({119:COV});
 * block 4's fields are read by tag and option: A (a BIC, after an optional
 * account line), B and C (a location or an account), D and K and 59 without
 * a letter (an optional account line, then the name and up to three address
 * lines), F (a party identifier, then numbered lines: 1 name, 2 address,
 * 3 country and town, 4 date of birth, 5 place of birth, 6 and 7
 * identifiers, 8 more of the line before). In an MT202 COV the fields from
 * the first 50a on are the underlying customer transfer's (sequence B).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "payments.h"

#define MAX_LINES 64 /* lines of one field */

/* The party tags: role, the options the standard allows, a bank or not. */
static const struct {
    const char *tag, *role, *options;
    int agent;
} party_tags[] = {
    {"50", "ordering_customer", "AFK", 0},
    {"52", "ordering_institution", "AD", 1},
    {"53", "senders_correspondent", "ABD", 1},
    {"54", "receivers_correspondent", "ABD", 1},
    {"55", "third_reimbursement_institution", "ABD", 1},
    {"56", "intermediary_institution", "ACD", 1},
    {"57", "account_with_institution", "ABCD", 1},
    {"58", "beneficiary_institution", "AD", 1},
    {"59", "beneficiary_customer", " AF", 0}, /* ' ': 59 without a letter */
};

typedef struct {
    const char *s[MAX_LINES];
    size_t n[MAX_LINES];
    int line[MAX_LINES]; /* of the message */
    int count;
} lines;

/* A copy of s[0..n) as a C string into buf (cap bytes). */
static const char *cstr(char *buf, size_t cap, const char *s, size_t n)
{
    snprintf(buf, cap, "%.*s", (int)(n < cap ? n : cap - 1), s);
    return buf;
}

static int is_bic(const char *s, size_t n)
{
    if (n != 8 && n != 11)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (i < 6 ? !isalpha((unsigned char)s[i]) : !isalnum((unsigned char)s[i]))
            return 0;
    return 1;
}

/* One party field: tag (two digits), option (a letter or ' '), its lines. */
static int party_field(vigil_message *m, const char *tag, char opt, const lines *l, int seq_b)
{
    size_t t = 0;
    while (t < sizeof(party_tags) / sizeof(party_tags[0]) && strcmp(party_tags[t].tag, tag))
        t++;
    char field[16], role[64], path[VIGIL__PAY_PATH], buf[VIGIL__PAY_MAX_FIELD + 1];
    snprintf(field, sizeof(field), ":%s%c:", tag, opt == ' ' ? '\0' : opt);
    if (!strchr(party_tags[t].options, opt))
        return vigil__pay_fail(m, l->line[0],
                               "field %s: option %c is not one of %s for :%s:", field,
                               opt == ' ' ? '-' : opt, party_tags[t].options, tag);
    snprintf(role, sizeof(role), "%s%s", seq_b ? "underlying_" : "", party_tags[t].role);
    snprintf(path, sizeof(path), "%s%s", seq_b ? "B/" : "", field);
    vigil__party *p = vigil__pay_party(m, role, path, l->line[0]);
    if (!p)
        return -1;
    p->kind = party_tags[t].agent ? VIGIL__PARTY_AGENT : VIGIL__PARTY_ANY;
    int i = 0;
    /* the first line: an account or a party identifier, when it starts so */
    if (l->count && l->n[0] && l->s[0][0] == '/') {
        if (vigil__pay_set(m, &p->account, cstr(buf, sizeof(buf), l->s[0] + 1, l->n[0] - 1),
                           " ") != 0)
            return -1;
        i = 1;
    } else if (opt == 'F' && l->count && l->n[0] > 5 && l->s[0][4] == '/') {
        /* a party identifier: CODE/CC/IDENTIFIER */
        if (vigil__pay_set(m, &p->ids, cstr(buf, sizeof(buf), l->s[0], l->n[0]), " ") != 0)
            return -1;
        i = 1;
    }
    if (opt == 'A' || opt == 'B' || opt == 'C') {
        for (; i < l->count; i++) {
            cstr(buf, sizeof(buf), l->s[i], l->n[i]);
            vigil__squeeze(buf);
            if (opt == 'A' && is_bic(buf, strlen(buf)))
                return vigil__pay_set(m, &p->bic, buf, " ");
            if (opt == 'A')
                return vigil__pay_fail(m, l->line[i],
                                       "field %s line %d: \"%.40s\" is not a BIC", field, i + 1,
                                       buf);
        }
        return 0;
    }
    if (opt == 'F') {
        int last = 0; /* the number of the line before, for 8/ */
        for (; i < l->count; i++) {
            const char *s = l->s[i];
            size_t n = l->n[i];
            if (n < 2 || !isdigit((unsigned char)s[0]) || s[1] != '/')
                return vigil__pay_fail(m, l->line[i],
                                       "field %s line %d: not a numbered line (1/ to 8/)",
                                       field, i + 1);
            int num = s[0] - '0';
            const char *v = cstr(buf, sizeof(buf), s + 2, n - 2);
            if (num == 8)
                num = last;
            last = num;
            int rc = 0;
            switch (num) {
            case 1:
                if (!p->name) {
                    snprintf(p->name_path, sizeof(p->name_path), "%s line %d", path, i + 1);
                    p->line = l->line[i];
                }
                rc = vigil__pay_set(m, &p->name, v, " ");
                break;
            case 2:
                rc = vigil__pay_set(m, &p->address, v, ", ");
                break;
            case 3: /* CC/TOWN */
                vigil__pay_country(p->country, cstr((char[3]){0}, 3, v, 2));
                if (strlen(v) > 3 && v[2] == '/')
                    rc = vigil__pay_set(m, &p->town, v + 3, ", ");
                break;
            case 4:
                rc = vigil__pay_set(m, &p->birth_date, v, " ");
                p->kind = VIGIL__PARTY_PERSON;
                break;
            case 5: /* CC/PLACE */
                vigil__pay_country(p->birth_country, cstr((char[3]){0}, 3, v, 2));
                rc = vigil__pay_set(m, &p->birth_place, strlen(v) > 3 ? v + 3 : v, ", ");
                break;
            case 6:
            case 7:
                rc = vigil__pay_set(m, &p->ids, v, " ");
                break;
            default:
                rc = vigil__pay_fail(m, l->line[i], "field %s line %d: no line %d/ in option F",
                                     field, i + 1, s[0] - '0');
            }
            if (rc)
                return rc;
        }
        return 0;
    }
    /* D, K, 59: the name, then the address */
    for (int k = 0; i < l->count; i++, k++) {
        const char *v = cstr(buf, sizeof(buf), l->s[i], l->n[i]);
        if (k == 0) {
            snprintf(p->name_path, sizeof(p->name_path), "%s line %d", path, i + 1);
            p->line = l->line[i];
            if (vigil__pay_set(m, &p->name, v, " ") != 0)
                return -1;
            continue;
        }
        char tpath[VIGIL__PAY_PATH];
        snprintf(tpath, sizeof(tpath), "%s line %d", path, i + 1);
        /* an address line is free text too: a listed name can be written there */
        if (vigil__pay_set(m, &p->address, v, ", ") != 0 ||
            vigil__pay_text(m, tpath, l->line[i], v) != 0)
            return -1;
    }
    return 0;
}

/* The line of data[off], counted on from the last offset asked about (the
 * reader asks in order; an earlier one is counted from the start). */
static int line_of(const char *data, size_t off)
{
    static _Thread_local const char *last_data;
    static _Thread_local size_t last_off;
    static _Thread_local int last_line;
    if (data != last_data || off < last_off) {
        last_data = data;
        last_off = 0;
        last_line = 1;
    }
    for (; last_off < off; last_off++)
        last_line += data[last_off] == '\n';
    return last_line;
}

/* The end of the block that starts at data[at] ("{N:"), nested braces
 * counted, or (size_t)-1. */
static size_t block_end(const char *data, size_t len, size_t at)
{
    int depth = 0;
    for (size_t i = at; i < len; i++) {
        if (data[i] == '{')
            depth++;
        else if (data[i] == '}' && --depth == 0)
            return i;
    }
    return (size_t)-1;
}

/* A sender or receiver named by a logical terminal (12 characters: the
 * BIC's 8, a terminal letter, the branch's 3). */
static int terminal(vigil_message *m, const char *role, const char *path, const char *lt,
                    int line)
{
    char bic[12];
    snprintf(bic, sizeof(bic), "%.8s%.3s", lt, lt + 9);
    if (!strcmp(bic + 8, "XXX"))
        bic[8] = '\0';
    if (!is_bic(bic, strlen(bic)))
        return vigil__pay_fail(m, line, "%s: \"%.12s\" is not a logical terminal address", path,
                               lt);
    vigil__party *p = vigil__pay_party(m, role, path, line);
    if (!p)
        return -1;
    p->kind = VIGIL__PARTY_AGENT;
    return vigil__pay_set(m, &p->bic, bic, " ");
}

/* Block 4: its fields, each from ":TAG:" at a line's start to the next. */
static int text_block(vigil_message *m, const char *data, size_t from, size_t to, int cov)
{
    size_t i = from;
    int seq_b = 0;
    while (i < to) {
        /* skip the line break after "{4:" and blank lines */
        while (i < to && (data[i] == '\r' || data[i] == '\n'))
            i++;
        if (i >= to || (data[i] == '-' && i + 1 >= to))
            break;
        int line = line_of(data, i);
        if (data[i] != ':')
            return vigil__pay_fail(m, line, "block 4: a field starts with :TAG:, not \"%.*s\"",
                                   (int)(to - i < 20 ? to - i : 20), data + i);
        size_t t = i + 1, te = t;
        while (te < to && te - t < 4 && isalnum((unsigned char)data[te]))
            te++;
        if (te >= to || data[te] != ':' || te - t < 2 || !isdigit((unsigned char)data[t]) ||
            !isdigit((unsigned char)data[t + 1]))
            return vigil__pay_fail(m, line, "block 4: \"%.*s\" is not a field tag",
                                   (int)(to - i < 8 ? to - i : 8), data + i);
        char tag[3] = {data[t], data[t + 1], '\0'};
        char opt = te - t > 2 ? data[t + 2] : ' ';
        /* the value: to the next line that starts a field, or the end */
        lines l = {.count = 0};
        size_t v = te + 1;
        for (;;) {
            size_t e = v;
            while (e < to && data[e] != '\n')
                e++;
            size_t n = e - v;
            if (n && data[v + n - 1] == '\r')
                n--;
            if (l.count == MAX_LINES)
                return vigil__pay_fail(m, line, "field :%s%c: has more than %d lines", tag, opt,
                                       MAX_LINES);
            if (n > VIGIL__PAY_MAX_FIELD)
                return vigil__pay_fail(m, line_of(data, v),
                                       "field :%s%c: a line longer than %d", tag, opt,
                                       VIGIL__PAY_MAX_FIELD);
            l.s[l.count] = data + v;
            l.n[l.count] = n;
            l.line[l.count++] = line_of(data, v);
            v = e + 1;
            if (e >= to || v >= to || data[v] == ':' || (data[v] == '-' && v + 1 >= to))
                break;
        }
        i = v;
        int is_party = 0;
        for (size_t k = 0; k < sizeof(party_tags) / sizeof(party_tags[0]); k++)
            is_party |= !strcmp(party_tags[k].tag, tag);
        if (cov && !strcmp(tag, "50"))
            seq_b = 1; /* the underlying customer credit transfer */
        char buf[VIGIL__PAY_MAX_FIELD + 1], path[VIGIL__PAY_PATH];
        if (is_party) {
            if (party_field(m, tag, opt, &l, seq_b) != 0)
                return -1;
        } else if (!strcmp(tag, "70") || !strcmp(tag, "72") || !strcmp(tag, "77")) {
            snprintf(path, sizeof(path), "%s:%s%c:", seq_b ? "B/" : "", tag,
                     opt == ' ' ? '\0' : opt);
            char *all = NULL;
            for (int k = 0; k < l.count; k++)
                if (vigil__pay_set(m, &all, cstr(buf, sizeof(buf), l.s[k], l.n[k]), " ") != 0)
                    return -1;
            int rc = all ? vigil__pay_text(m, path, l.line[0], all) : 0;
            free(all);
            if (rc)
                return rc;
        } else if (!strcmp(tag, "20") && !m->msg_id) {
            if (vigil__pay_set(m, &m->msg_id, cstr(buf, sizeof(buf), l.s[0], l.n[0]), " "))
                return -1;
        } else if (!strcmp(tag, "21") && !m->e2e_id) {
            if (vigil__pay_set(m, &m->e2e_id, cstr(buf, sizeof(buf), l.s[0], l.n[0]), " "))
                return -1;
        }
    }
    return 0;
}

int vigil__pay_read_mt(vigil_message *m, const char *data, size_t len)
{
    if (len < 3 || memcmp(data, "{1:", 3) != 0)
        return vigil__pay_fail(m, 1, "a SWIFT MT message starts with its block {1:");
    line_of(data, 0); /* a new message: lines counted from its start */
    size_t i = 0, b4 = 0, b4_end = 0;
    char type[4] = "";
    int cov = 0, have4 = 0;
    while (i < len) {
        while (i < len && isspace((unsigned char)data[i]))
            i++;
        if (i >= len)
            break;
        int line = line_of(data, i);
        if (data[i] != '{' || i + 3 > len || !isdigit((unsigned char)data[i + 1]) ||
            data[i + 2] != ':')
            return vigil__pay_fail(m, line, "a block starts with {N: (N 1 to 5), not \"%.*s\"",
                                   (int)(len - i < 10 ? len - i : 10), data + i);
        char n = data[i + 1];
        size_t s = i + 3, e;
        if (n == '4') {
            /* the text block ends with a line "-}" */
            e = s;
            while (e + 1 < len &&
                   !(data[e] == '-' && data[e + 1] == '}' && (e == s || data[e - 1] == '\n')))
                e++;
            if (e + 1 >= len)
                return vigil__pay_fail(m, line, "block 4 does not end with a line \"-}\"");
            b4 = s;
            b4_end = e;
            have4 = 1;
            i = e + 2;
            continue;
        }
        e = block_end(data, len, i);
        if (e == (size_t)-1)
            return vigil__pay_fail(m, line, "block {%c: is not closed", n);
        if (n == '1') {
            /* F01 + the sender's logical terminal (12) + session and sequence */
            if (e - s < 15)
                return vigil__pay_fail(m, line, "block 1 is shorter than its 15 characters");
            if (terminal(m, "sender", "{1:}", data + s + 3, line) != 0)
                return -1;
        } else if (n == '2') {
            /* I103 + the receiver's terminal, or O103 + time + the input's MIR */
            if (e - s < 4 || (data[s] != 'I' && data[s] != 'O'))
                return vigil__pay_fail(m, line, "block 2 starts with I or O and the type");
            snprintf(type, sizeof(type), "%.3s", data + s + 1);
            if (data[s] == 'I' && e - s >= 16 &&
                terminal(m, "receiver", "{2:}", data + s + 4, line) != 0)
                return -1;
        } else if (n == '3') {
            const char *u = NULL;
            for (size_t k = s; k + 5 < e; k++) {
                if (!memcmp(data + k, "{121:", 5))
                    u = data + k + 5;
                if (k + 9 <= e && !memcmp(data + k, "{119:COV}", 9))
                    cov = 1;
            }
            if (u) {
                size_t ul = 0;
                while (u + ul < data + e && u[ul] != '}')
                    ul++;
                char buf[64];
                if (vigil__pay_set(m, &m->uetr, cstr(buf, sizeof(buf), u, ul), " ") != 0)
                    return -1;
            }
        }
        i = e + 1;
    }
    if (!type[0])
        return vigil__pay_fail(m, 1, "no block 2: the message type is not given");
    if (strcmp(type, "103") && strcmp(type, "202"))
        return vigil__pay_fail(m, 1, "MT%s is not read: MT103, MT202 and MT202 COV are", type);
    if (!have4)
        return vigil__pay_fail(m, 1, "no block 4: the message has no text");
    snprintf(m->type, sizeof(m->type), "MT%s%s", type, cov ? "COV" : "");
    m->transactions = 1;
    return text_block(m, data, b4, b4_end, cov);
}
