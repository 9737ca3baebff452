/*
 * targets.h - what the fuzz targets and the corpus replay share: run one
 * input through one list parser, with a sink that serialises each entity as
 * the store would. An input for the OFAC CSV set may hold several files
 * separated by a line "=====" (sdn.csv first, then alt, add, comments).
 */
#ifndef VIGIL_FUZZ_TARGETS_H
#define VIGIL_FUZZ_TARGETS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int fuzz_sink(vigil__parse *p, json_t *e)
{
    (void)p;
    if (e) {
        char *s = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS);
        free(s);
    }
    return 0;
}

/* Runs data through the parser of fmt (NULL: detect it first).
 * Returns the parser's result; a crash or leak is what the fuzzer looks for. */
__attribute__((unused)) static int fuzz_one(const vigil__list_format *fmt, const uint8_t *data,
                                            size_t size, int lenient)
{
    /* a NUL-terminated copy, as vigil__read_file gives the parsers */
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    vigil__file files[4];
    size_t n = 0;
    if (!fmt)
        fmt = vigil__detect(buf, size);
    if (fmt && (fmt->set || fmt->csv_fields)) {
        static const char *const names[] = {"sdn.csv", "alt.csv", "add.csv",
                                            "sdn_comments.csv"};
        char *start = buf;
        for (;;) {
            char *sep = n < 3 ? strstr(start, "\n=====\n") : NULL;
            files[n].path = names[n];
            files[n].data = start;
            files[n].len = sep ? (size_t)(sep + 1 - start) : size - (size_t)(start - buf);
            n++;
            if (!sep)
                break;
            start = sep + 7;
        }
    } else {
        files[0].path = "fuzz-input";
        files[0].data = buf;
        files[0].len = size;
        n = 1;
    }
    vigil__parse p;
    memset(&p, 0, sizeof(p));
    p.files = files;
    p.nfiles = n;
    p.lenient = lenient != 0;
    p.sink = fuzz_sink;
    int rc = vigil__parse_run(&p, fmt);
    free(buf);
    return rc;
}

/* Two names, split at the first newline; the first byte picks the schema.
 * Runs vigil_compare with an explanation: prepare, transliterate, score. */
__attribute__((unused)) static void fuzz_compare(const uint8_t *data, size_t size)
{
    static const char *const schemas[] = {"Person",   "Organization", "Company", "Vessel",
                                          "Airplane", "LegalEntity",  NULL};
    if (size < 1)
        return;
    const char *schema = schemas[data[0] % 7];
    char *buf = malloc(size);
    if (!buf)
        return;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    char *nl = memchr(buf, '\n', size - 1);
    const char *b = "";
    if (nl) {
        *nl = '\0';
        b = nl + 1;
    }
    vigil_comparison r;
    if (vigil_compare(schema, buf, b, 0, 1, &r) == VIGIL_OK)
        vigil_comparison_free(&r);
    free(buf);
}

/* Reads data as a payment message (ISO 20022 XML or SWIFT MT, by its
 * first character), writes it as JSON, and walks it as a file of many. */
__attribute__((unused)) static void fuzz_message(const uint8_t *data, size_t size)
{
    vigil_message *m = NULL;
    char msg[600];
    if (vigil_message_read((const char *)data, size, &m, msg, sizeof(msg)) == VIGIL_OK) {
        char *json = vigil_message_json(m);
        vigil_free(json);
        vigil_message_free(m);
    }
    size_t end, at = vigil_messages_next((const char *)data, size, 0, &end);
    while (at < size && end > at && end <= size)
        at = vigil_messages_next((const char *)data, size, end, &end);
}

#endif
