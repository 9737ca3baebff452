/*
 * fuzz_compare.c - libFuzzer target for name preparation and comparison
 * (transliteration, tokens, legal forms, scoring, explanation); see
 * targets.h. Its corpus, fuzz/corpus/compare, is replayed by make test.
 */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_compare(data, size);
    return 0;
}
