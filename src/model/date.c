/*
 * date.c - partial dates as the lists write them.
 *
 * Dates of birth are often partial or approximate: "1968", "dd/mm/1968",
 * "Nov 1968", "circa 1960", "1960 to 1962". A date keeps what is known and
 * nothing more, so that screening can compare a year with a year and never
 * invents a day. Day-first order is assumed for numeric dates (every list we
 * read writes dd/mm/yyyy), except ISO yyyy-mm-dd.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../internal.h"

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_of(const char *tok)
{
    size_t n = strlen(tok);
    if (n < 3)
        return 0;
    for (int i = 0; i < 12; i++)
        if (strncmp(tok, months[i], 3) == 0)
            return i + 1;
    return 0;
}

static int is_digits(const char *t)
{
    if (!*t)
        return 0;
    for (; *t; t++)
        if (!isdigit((unsigned char)*t))
            return 0;
    return 1;
}

static int is_placeholder(const char *t)
{
    return strcmp(t, "dd") == 0 || strcmp(t, "mm") == 0 || strcmp(t, "xx") == 0 ||
           strcmp(t, "d") == 0 || strcmp(t, "m") == 0;
}

static int days_in(int year, int month)
{
    static const int dm[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && year > 0)
        return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
    return dm[month - 1];
}

/* One date without qualifiers; s is lower case. */
static int parse_one(char *s, vigil__date *d)
{
    char *tok[8];
    int nt = 0;
    for (char *t = strtok(s, " /.,-"); t && nt < 8; t = strtok(NULL, " /.,-"))
        tok[nt++] = t;
    if (nt == 0 || nt > 3)
        return 0;
    int year = 0, month = 0, day = 0;
    if (strlen(tok[0]) == 4 && is_digits(tok[0])) {
        /* ISO order: year, month, day */
        year = atoi(tok[0]);
        if (nt > 1) {
            if (is_digits(tok[1]))
                month = atoi(tok[1]);
            else if (!(month = month_of(tok[1])) && !is_placeholder(tok[1]))
                return 0;
        }
        if (nt > 2) {
            if (is_digits(tok[2]))
                day = atoi(tok[2]);
            else if (!is_placeholder(tok[2]))
                return 0;
        }
    } else {
        const char *last = tok[nt - 1];
        if (strlen(last) != 4 || !is_digits(last))
            return 0;
        year = atoi(last);
        int nums[2], nn = 0;
        for (int i = 0; i < nt - 1; i++) {
            int m = month_of(tok[i]);
            if (m && !month)
                month = m;
            else if (is_digits(tok[i]) && strlen(tok[i]) <= 2)
                nums[nn++] = atoi(tok[i]);
            else if (is_placeholder(tok[i]))
                nums[nn++] = 0;
            else
                return 0;
        }
        if (month && nn == 1)
            day = nums[0];
        else if (!month && nn == 2) {
            day = nums[0];
            month = nums[1];
        } else if (!month && nn == 1)
            month = nums[0];
        else if (nn != 0)
            return 0;
    }
    if (year < 1800 || year > 2100 || month < 0 || month > 12 || day < 0 || day > 31)
        return 0;
    if (day && !month)
        return 0;
    if (day && day > days_in(year, month))
        return 0;
    d->year = year;
    d->month = month;
    d->day = day;
    return 1;
}

/* Removes word w (whole word) from s if present; returns 1 if it was. */
static int take_word(char *s, const char *w)
{
    size_t n = strlen(w);
    for (char *p = strstr(s, w); p; p = strstr(p + 1, w)) {
        int start = (p == s || !isalpha((unsigned char)p[-1]));
        int end = !isalpha((unsigned char)p[n]);
        if (start && end) {
            memset(p, ' ', n);
            return 1;
        }
    }
    return 0;
}

int vigil__date_parse(const char *in, vigil__date *d)
{
    char buf[128];
    memset(d, 0, sizeof(*d));
    if (!in)
        return 0;
    size_t n = strlen(in);
    if (n == 0 || n >= sizeof(buf))
        return 0;
    for (size_t i = 0; i <= n; i++)
        buf[i] = (char)tolower((unsigned char)in[i]);
    if (take_word(buf, "circa") || take_word(buf, "approximately") ||
        take_word(buf, "approx") || take_word(buf, "about") || take_word(buf, "ca") ||
        take_word(buf, "c"))
        d->circa = true;
    take_word(buf, "between");
    take_word(buf, "born");

    char *sep = strstr(buf, " to ");
    size_t seplen = 4;
    if (!sep) {
        sep = strstr(buf, " and ");
        seplen = 5;
    }
    if (!sep) {
        /* "1960-1962" or "1960 - 1962": a range of years; ISO "1960-08" is not
         * one since its second number is no year. */
        int y1, y2;
        char tail;
        if (sscanf(buf, " %4d - %4d %c", &y1, &y2, &tail) == 2 && y1 >= 1800 && y2 >= y1 &&
            y2 <= 2100) {
            d->year = y1;
            if (y2 != y1)
                d->year_to = y2;
            return 1;
        }
    }
    if (sep) {
        char right[128];
        snprintf(right, sizeof(right), "%s", sep + seplen);
        *sep = '\0';
        vigil__date a, b;
        memset(&a, 0, sizeof(a));
        memset(&b, 0, sizeof(b));
        if (!parse_one(buf, &a) || !parse_one(right, &b) || b.year < a.year)
            return 0;
        d->year = a.year;
        if (b.year != a.year) {
            d->year_to = b.year;
        } else {
            d->month = a.month;
            d->day = a.day;
        }
        return 1;
    }
    return parse_one(buf, d);
}

void vigil__date_iso(const vigil__date *d, char *buf, size_t size)
{
    if (d->day)
        snprintf(buf, size, "%04d-%02d-%02d", d->year, d->month, d->day);
    else if (d->month)
        snprintf(buf, size, "%04d-%02d", d->year, d->month);
    else
        snprintf(buf, size, "%04d", d->year);
}

int vigil_date_valid(const char *s)
{
    vigil__date d;
    return vigil__date_parse(s, &d);
}
