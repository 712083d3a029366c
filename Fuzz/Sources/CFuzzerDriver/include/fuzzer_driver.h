#ifndef SLUICE_FUZZER_DRIVER_H
#define SLUICE_FUZZER_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's entry for programs that have their own `main` (SwiftPM gives every executable one:
/// it links `main` to the module's entry point), so libFuzzer's `main` is never used.
int sluice_fuzzer_run(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
