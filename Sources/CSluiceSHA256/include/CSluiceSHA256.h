#ifndef CSLUICE_SHA256_H
#define CSLUICE_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// 1 when this CPU has the SHA extensions (x86-64 SHA-NI with SSE4.1), else 0.
int sluice_sha256_hardware(void);

/// Compresses `blocks` 64-byte blocks from `data` into `state` (a, b, ... h) with the
/// SHA extensions. Call only when sluice_sha256_hardware() returned 1.
void sluice_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
