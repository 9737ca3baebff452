/*
 * fuzz_request.c - libFuzzer target for the body of POST /match
 * (cli/request.c): UTF-8 check, JSON, queries and their properties, bounds.
 * Its corpus, fuzz/corpus/request, is replayed by make test.
 */
#include <stdint.h>

#include "../cli/request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vigil_match_request r;
    char msg[512];
    if (vigil_match_request_parse((const char *)data, size, &r, msg, sizeof(msg)) == 0)
        vigil_match_request_free(&r);
    return 0;
}
