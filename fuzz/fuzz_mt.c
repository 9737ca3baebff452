/*
 * fuzz_mt.c - libFuzzer target for the SWIFT MT (FIN) reader (src/payments/mt.c):
 * a message read into the model, written as JSON, and the messages of a
 * file of many found. Its corpus, fuzz/corpus/mt, is replayed by make test.
 */
#include <stdint.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_message(data, size);
    return 0;
}
