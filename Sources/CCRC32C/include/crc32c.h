#ifndef LOGFOLD_CRC32C_H
#define LOGFOLD_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the SSE4.2 CRC32 instruction (checked once).
int logfold_crc32c_hardware_available(void);

/// Continues a CRC-32C (Castagnoli) with the SSE4.2 instruction; call only when
/// `logfold_crc32c_hardware_available()` is true. `crc` is the running value before the final
/// inversion, as the Swift implementation keeps it.
uint32_t logfold_crc32c_hardware(uint32_t crc, const void *bytes, size_t count);

#endif
