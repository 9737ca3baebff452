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

#include "internal.h"
#include "match/match.h"
#include "vigil.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: legaldata IN.yml OUT.tsv\n");
        return 2;
    }
    /* read as vigil_legal_forms_load reads a table (plain or gzip) */
    char *yaml = NULL;
    size_t len = 0;
    int rc = vigil__read_data_file(argv[1], 64u << 20, &yaml, &len);
    if (rc != VIGIL_OK) {
        fprintf(stderr, "legaldata: %s: %s\n", argv[1], vigil_strerror(rc));
        return 1;
    }
    char *text = NULL;
    size_t text_len = 0;
    rc = vigil__legal_derive(yaml, len, &text, &text_len);
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
