/*
 * json.c - a JSON text writer for explanations on the screening hot path.
 *
 * Why not jansson here: every hit of every query carries an explanation, and
 * building it as a jansson tree, dumping it and freeing it cost more than
 * finding and scoring the candidates (a third of a query's time, measured with
 * perf on bench_screen). Writing the text directly costs a few hundred
 * nanoseconds. jansson still reads and writes every other JSON document; the
 * writer's output is checked by jansson in the unit tests.
 *
 * Commas are placed by the writer: each open container remembers whether it
 * has a member yet. Nesting deeper than VIGIL__JW_DEPTH or running out of
 * memory sets err; the text is then unusable and vigil__json_finish returns NULL.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

static void put(vigil__json *w, const char *s, size_t n)
{
    if (w->err)
        return;
    if (w->n + n + 1 > w->cap) {
        size_t nc = w->cap ? w->cap : 256;
        while (w->n + n + 1 > nc)
            nc *= 2;
        char *ns = realloc(w->s, nc);
        if (!ns) {
            w->err = 1;
            return;
        }
        w->s = ns;
        w->cap = nc;
    }
    memcpy(w->s + w->n, s, n);
    w->n += n;
    w->s[w->n] = '\0';
}

/* A comma before a value, unless it follows a key or opens its container. */
static void sep(vigil__json *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth > 0) {
        if (w->has[w->depth - 1])
            put(w, ",", 1);
        w->has[w->depth - 1] = 1;
    }
}

static void open_c(vigil__json *w, char c)
{
    sep(w);
    if (w->depth >= VIGIL__JW_DEPTH) {
        w->err = 1;
        return;
    }
    put(w, &c, 1);
    w->has[w->depth++] = 0;
}

static void close_c(vigil__json *w, char c)
{
    if (w->depth == 0) {
        w->err = 1;
        return;
    }
    w->depth--;
    put(w, &c, 1);
}

void vigil__json_obj(vigil__json *w)
{
    open_c(w, '{');
}

void vigil__json_obj_end(vigil__json *w)
{
    close_c(w, '}');
}

void vigil__json_arr(vigil__json *w)
{
    open_c(w, '[');
}

void vigil__json_arr_end(vigil__json *w)
{
    close_c(w, ']');
}

static void quoted(vigil__json *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put(w, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        put(w, run, (size_t)(s - run));
        run = s + 1;
        char e[7] = {'\\', (char)c, 0};
        size_t n = 2;
        if (c == '\n')
            e[1] = 'n';
        else if (c == '\t')
            e[1] = 't';
        else if (c == '\r')
            e[1] = 'r';
        else if (c < 0x20) {
            memcpy(e, "\\u00", 4);
            e[4] = hex[c >> 4];
            e[5] = hex[c & 15];
            n = 6;
        }
        put(w, e, n);
    }
    put(w, run, (size_t)(s - run));
    put(w, "\"", 1);
}

void vigil__json_key(vigil__json *w, const char *key)
{
    sep(w);
    quoted(w, key);
    put(w, ":", 1);
    w->after_key = 1;
}

void vigil__json_str(vigil__json *w, const char *s)
{
    sep(w);
    quoted(w, s ? s : "");
}

void vigil__json_num(vigil__json *w, double v)
{
    sep(w);
    char b[32];
    if (!isfinite(v))
        v = 0.0;
    double a = fabs(v);
    if (a >= 1e9) {
        int n = snprintf(b, sizeof(b), "%.4g", v);
        put(w, b, (size_t)n);
        return;
    }
    /* scores and effects: four decimals at most, trailing zeros dropped
     * (snprintf's %g was a tenth of an explanation's cost) */
    long long units = llround(a * 10000.0);
    long long whole = units / 10000, frac = units % 10000;
    char *p = b + sizeof(b);
    int digits = 4;
    while (digits > 0 && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    for (int i = 0; i < digits; i++) {
        *--p = (char)('0' + frac % 10);
        frac /= 10;
    }
    if (digits)
        *--p = '.';
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    if (v < 0 && units)
        *--p = '-';
    put(w, p, (size_t)(b + sizeof(b) - p));
}

void vigil__json_bool(vigil__json *w, int v)
{
    sep(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

void vigil__json_raw(vigil__json *w, const char *json)
{
    sep(w);
    put(w, json, strlen(json));
}

char *vigil__json_finish(vigil__json *w)
{
    char *s = w->s;
    if (w->err || w->depth || !s) {
        free(s);
        s = NULL;
    }
    memset(w, 0, sizeof(*w));
    return s;
}

void vigil__json_reset(vigil__json *w)
{
    free(w->s);
    memset(w, 0, sizeof(*w));
}
