/*
 * fuzz_snapshot.c - libFuzzer target for reading a saved engine
 * (src/screen/snapshot.c): the input is a saved engine file whose header's
 * fixed fields are made right and whose checksum is not checked, so that the
 * fuzzer reaches every length and offset the reader must check; what it
 * accepts is screened with. Its corpus, fuzz/corpus/snapshot (engines saved
 * from small lists), is replayed by make test.
 */
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vigil__snapshot_fuzz(data, size);
    return 0;
}
