// Hardware CRC-32C: the journal checksums every record it writes and reads, and the SSE4.2 crc32
// instruction does it an order of magnitude faster than table lookups. Portable builds fall back to
// the Swift slicing-by-8 implementation in LogfoldJournal.
#include "crc32c.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

int logfold_crc32c_hardware_available(void) {
    static int cached = -1;
    if (cached < 0) {
        unsigned int eax, ebx, ecx, edx;
        cached = (__get_cpuid(1, &eax, &ebx, &ecx, &edx) && (ecx & bit_SSE4_2)) ? 1 : 0;
    }
    return cached;
}

__attribute__((target("sse4.2")))
uint32_t logfold_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    const unsigned char *p = (const unsigned char *)bytes;
    uint64_t c = crc;
    while (count >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = __builtin_ia32_crc32di(c, word);
        p += 8;
        count -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (count > 0) {
        c32 = __builtin_ia32_crc32qi(c32, *p);
        p++;
        count--;
    }
    return c32;
}
#else
int logfold_crc32c_hardware_available(void) { return 0; }

uint32_t logfold_crc32c_hardware(uint32_t crc, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return crc;
}
#endif
