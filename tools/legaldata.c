/*
 * legaldata.c - derives data/legal-forms.tsv, the legal forms vigil carries,
 * from data/org_types.yml (OpenSanctions' table, data/README.md) and the
 * table of src/match/legal.c: each alias read into Latin, in every reading
 * a name holding it may be given, as the library would read it on first
 * use. The library then opens no transliterator for them when it starts
 * (they took ICU about 0.4 s). Run by `make data` (developers only); a test
 * checks that the file is what this writes (test_legal_data_current).
 *
 * Usage: legaldata IN.yml OUT.tsv
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match.h"
#include "vigil.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: legaldata IN.yml OUT.tsv\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    char *yaml = NULL;
    size_t len = 0, cap = 0, n;
    char buf[65536];
    while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
        if (len + n > cap) {
            cap = (len + n) * 2;
            char *t = realloc(yaml, cap);
            if (!t) {
                fprintf(stderr, "legaldata: out of memory\n");
                return 1;
            }
            yaml = t;
        }
        memcpy(yaml + len, buf, n);
        len += n;
    }
    fclose(f);
    char *text = NULL;
    size_t text_len = 0;
    int rc = vigil__legal_derive(yaml, len, &text, &text_len);
    free(yaml);
    if (rc != VIGIL_OK) {
        fprintf(stderr, "legaldata: %s: %s\n", argv[1], vigil_strerror(rc));
        return 1;
    }
    FILE *o = fopen(argv[2], "wb");
    if (!o || fwrite(text, 1, text_len, o) != text_len || fclose(o) != 0) {
        perror(argv[2]);
        return 1;
    }
    free(text);
    return 0;
}
