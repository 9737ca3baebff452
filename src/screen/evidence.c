/*
 * evidence.c - what besides the name says a hit is or is not the customer:
 * dates of birth (the same, swapped, a year or a digit off, different),
 * countries, and identifier numbers written alike. Each effect is named in
 * ../match/weights.h with its reason; docs/screening.md has the table.
 */
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../match/match.h"
#include "../match/weights.h"
#include "../store/store.h"
#include "engine.h"

void vigil__norm_id(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; *s && k + 1 < cap; s++)
        if (isalnum((unsigned char)*s))
            out[k++] = (char)toupper((unsigned char)*s);
    out[k] = '\0';
}

/* 1 when the full dates a and b, written YYYYMMDD, differ in one digit or
 * by two neighbouring digits swapped. */
static int one_digit_apart(const vigil__date *a, const vigil__date *b)
{
    char x[16], y[16];
    snprintf(x, sizeof(x), "%04d%02d%02d", a->year, a->month, a->day);
    snprintf(y, sizeof(y), "%04d%02d%02d", b->year, b->month, b->day);
    if (strlen(x) != 8 || strlen(y) != 8)
        return 0;
    int diff = 0, first = -1;
    for (int i = 0; i < 8; i++)
        if (x[i] != y[i]) {
            if (first < 0)
                first = i;
            diff++;
        }
    if (diff == 1)
        return 1;
    return diff == 2 && first < 7 && x[first] == y[first + 1] && x[first + 1] == y[first];
}

/* Date of birth evidence: returns the effect on the score, and a word. */
double vigil__date_effect(const vigil__entity *en, const vigil__date *q, const char **why)
{
    *why = NULL;
    if (!q->year || !en->ndates)
        return 0.0;
    int near = 0, typo = 0;
    for (int i = 0; i < en->ndates; i++) {
        const vigil__date *d = &en->dates[i];
        int lo = d->year, hi = d->year_to ? d->year_to : d->year;
        int slack = d->circa || q->circa ? 2 : 0;
        if (q->month && q->day && d->month && d->day && one_digit_apart(q, d))
            typo = 1;
        if (q->year < lo - slack || q->year > hi + slack) {
            if (q->year >= lo - 1 && q->year <= hi + 1)
                near = 1;
            continue;
        }
        if (q->month && q->day && d->month && d->day) {
            if (q->month == d->month && q->day == d->day && q->year == d->year) {
                *why = "same date of birth";
                return DOB_SAME;
            }
            if (q->month == d->day && q->day == d->month && q->year == d->year) {
                *why = "same date of birth, day and month swapped";
                return DOB_SWAPPED;
            }
            continue; /* the year agrees, the day does not */
        }
        *why = "same year of birth";
        return DOB_SAME_YEAR;
    }
    if (typo) {
        *why = "date of birth one digit apart";
        return DOB_TYPO;
    }
    if (near) {
        *why = "year of birth one year apart";
        return DOB_YEAR_NEAR;
    }
    *why = "different date of birth";
    return DOB_DIFFERENT;
}

double vigil__country_effect(const vigil__entity *en, const char *code, const char **why)
{
    *why = NULL;
    if (!code || !en->ncountries)
        return 0.0;
    for (int i = 0; i < en->ncountries; i++)
        if (strcmp(en->countries[i], code) == 0) {
            *why = "same country";
            return COUNTRY_SAME;
        }
    *why = "different country";
    return COUNTRY_DIFFERENT;
}
