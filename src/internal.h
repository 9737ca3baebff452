/*
 * internal.h - declarations shared inside libvigil (vigil__ prefix).
 *
 * Each folder of src/ has its header: util/util.h, model/model.h,
 * text/text.h and lists/lists.h are included here, with the bounds on input
 * and what crosses folders (name parts, the built-in name data, thread
 * goodbyes); match/match.h, screen/engine.h and store/store.h are included
 * by the files that use them. docs/architecture.md has the layout.
 */
#ifndef VIGIL_INTERNAL_H
#define VIGIL_INTERNAL_H

#include <jansson.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vigil.h"

/* Bounds on input (rule 4: every buffer that grows from input has one). */
#define VIGIL__MAX_FILE_BYTES ((size_t)1 << 30)     /* one list file: 1 GiB */
#define VIGIL__MAX_FIELD_BYTES ((size_t)256 * 1024) /* one field value */
#define VIGIL__MAX_LINE_BYTES ((size_t)4 << 20)     /* one CSV or JSON line */
#define VIGIL__ERRMSG 512

#if defined(__GNUC__)
#define VIGIL__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define VIGIL__PRINTF(a, b)
#endif

/* One header per folder, in the order they build on each other. */
#include "model/model.h"
#include "text/text.h"
#include "util/util.h"

/* The names one name field holds ("A / B", "A (a.k.a. B, C)", "A; B"), in
 * parts[] (parts.c): how many, 0 when it holds one (then the whole is the
 * name). At most max. */
#define VIGIL__PART_LEN 256
#define VIGIL__MAX_PARTS 8
int vigil__name_parts(const char *text, char parts[][VIGIL__PART_LEN], int max);
/* 1 when text is a name followed by another in brackets at its end,
 * "BUTEMBO AIRLINES (BAL)": head "BUTEMBO AIRLINES", tail "BAL". */
int vigil__trailing_name(const char *text, char head[VIGIL__PART_LEN],
                         char tail[VIGIL__PART_LEN]);

/* The name data built into the library (build/name_data.c, made by
 * scripts/embed-data from data/): the given-name equivalents (gzip), the
 * nickname groups and the legal-form table (text). */
extern const unsigned char vigil__data_given_names[], vigil__data_nicknames[],
    vigil__data_legal_forms[];
extern const size_t vigil__data_given_names_len, vigil__data_nicknames_len,
    vigil__data_legal_forms_len;
/* Loads the built-in name data, once (match/equiv.c): every comparison,
 * preparation and load of further data calls it first. */
void vigil__names_builtin(void);
/* Loads the built-in legal-form table on top of the built-in forms
 * (match/legal.c), once. */
void vigil__legal_builtin(void);

/* Frees this thread's screening scratch memory (screen/screen.c). */
void vigil__screen_thread_done(void);
/* For the fuzz target and the corpus replay (screen/snapshot.c): data as a
 * saved engine file, its header's fixed fields made right and its checksum
 * not checked, read, and when it is accepted, screened with. */
void vigil__snapshot_fuzz(const uint8_t *data, size_t size);
/* 1 when e was read from a saved engine rather than built (screen/snapshot.c). */
int vigil__engine_was_saved(const vigil_engine *e);

#include "lists/lists.h"

#endif
