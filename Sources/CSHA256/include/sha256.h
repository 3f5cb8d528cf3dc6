#ifndef LOGFOLD_SHA256_H
#define LOGFOLD_SHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256 (FIPS 180-4) of the state store's digest: the block function only; padding and buffering
/// live in Swift (`SHA256Hasher`). `state` is the eight working words, `blocks` the number of 64-byte
/// blocks at `data`.

/// Whether this CPU has the x86 SHA extensions (and SSSE3, SSE4.1 they need); checked once.
int logfold_sha256_hardware_available(void);

/// Compresses `blocks` blocks with the SHA extensions; call only when
/// `logfold_sha256_hardware_available()` is true.
void logfold_sha256_blocks_hardware(uint32_t state[8], const uint8_t *data, size_t blocks);

/// Compresses `blocks` blocks in portable C.
void logfold_sha256_blocks_portable(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
