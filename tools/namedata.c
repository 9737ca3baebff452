/*
 * namedata.c - derives data/given-names.txt.gz, the given-name equivalents
 * vigil ships, from the Wikidata-derived groups of
 * ../shared/eval/names/given-name-equivalents.txt.gz (data/README.md).
 *
 * The matcher meets every name in lower-case ASCII, so a group keeps only
 * its forms of one ASCII word (as vigil_names_load keeps), and its Cyrillic
 * forms as vigil reads them (src/text/translit.c: each language's
 * romanisation, Сяргей as syargey), so that the Latin spelling vigil gives a
 * listed Cyrillic name meets the group of its English forms. Lines keep
 * their order and their Wikidata id. Run by `make data` (developers only; a
 * build reads the file in data/, never ../shared).
 *
 * Usage: namedata IN.txt.gz OUT.txt.gz
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "match/match.h"
#include "vigil.h"

#define MAX_FORMS 512

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: namedata IN.txt.gz OUT.txt.gz\n");
        return 2;
    }
    gzFile in = gzopen(argv[1], "rb"), out = gzopen(argv[2], "wb9");
    if (!in || !out) {
        fprintf(stderr, "namedata: cannot open %s or %s\n", argv[1], argv[2]);
        return 1;
    }
    static char line[1 << 16];
    static char forms[MAX_FORMS][48];
    long groups = 0, kept = 0, read_as = 0;
    while (gzgets(in, line, sizeof(line))) {
        char *arrow = strstr(line, "=>");
        if (!arrow)
            continue;
        *arrow = '\0';
        char *id = trim(arrow + 2);
        int nf = 0;
        for (char *save = NULL, *f = strtok_r(line, ",", &save); f && nf < MAX_FORMS;
             f = strtok_r(NULL, ",", &save)) {
            f = trim(f);
            char cand[VIGIL__LANGS][128];
            int nc = 0;
            if (vigil__cyrillic_lang(f) != VIGIL__LANG_ANY) {
                /* the readings a name holding it may be given */
                for (int l = VIGIL__LANG_RU; l <= VIGIL__LANG_BE; l++)
                    if (vigil__to_latin_as(f, l, cand[nc], sizeof(cand[0])) == 0)
                        nc++;
            } else {
                snprintf(cand[nc++], sizeof(cand[0]), "%s", f);
            }
            for (int c = 0; c < nc && nf < MAX_FORMS; c++) {
                /* the forms the loader keeps, that fit forms[] */
                if (!vigil__names_clean_form(cand[c]) || strlen(cand[c]) >= sizeof(forms[0]))
                    continue;
                int dup = 0;
                for (int k = 0; k < nf && !dup; k++)
                    dup = strcmp(forms[k], cand[c]) == 0;
                if (!dup) {
                    snprintf(forms[nf++], sizeof(forms[0]), "%s", cand[c]);
                    read_as += c > 0 || vigil__cyrillic_lang(f) != VIGIL__LANG_ANY;
                }
            }
        }
        groups++;
        if (!nf)
            continue;
        for (int k = 0; k < nf; k++)
            gzprintf(out, "%s%s", k ? "," : "", forms[k]);
        gzprintf(out, " => %s\n", id);
        kept++;
    }
    gzclose(in);
    if (gzclose(out) != Z_OK) {
        fprintf(stderr, "namedata: cannot write %s\n", argv[2]);
        return 1;
    }
    vigil_thread_done();
    fprintf(stderr, "namedata: %ld groups read, %ld kept, %ld forms read from Cyrillic\n",
            groups, kept, read_as);
    return 0;
}
