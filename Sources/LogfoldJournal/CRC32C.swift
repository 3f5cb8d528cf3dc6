internal import CCRC32C

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum in every journal record.
///
/// Castagnoli detects more error patterns than the zlib CRC at the same cost. On x86-64 with SSE4.2 the
/// CPU's crc32 instruction computes it (the `CCRC32C` target); elsewhere Swift slicing-by-8 (eight
/// table lookups per 8 input bytes). Check value: `"123456789"` → `0xE3069283`.
package enum CRC32C {
    /// Whether the hardware instruction is used; tests compare both paths.
    package static let usesHardware = logfold_crc32c_hardware_available() != 0
    /// Eight 256-entry tables, flattened: table `k` starts at `k * 256`.
    private static let table: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for byte in 0..<256 {
            var crc = UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
            }
            table[byte] = crc
        }
        for slice in 1..<8 {
            for byte in 0..<256 {
                let previous = table[(slice - 1) * 256 + byte]
                table[slice * 256 + byte] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        return table
    }()

    /// The CRC-32C of `bytes`.
    package static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        update(0, with: bytes)
    }

    /// The CRC-32C of `bytes`.
    package static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBytes { checksum($0) }
    }

    /// Continues a checksum: `update(checksum(a), with: b) == checksum(a + b)`.
    package static func update(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard usesHardware, let base = bytes.baseAddress else { return softwareUpdate(crc, with: bytes) }
        return ~logfold_crc32c_hardware(~crc, base, bytes.count)
    }

    /// The table-driven computation, used where the CPU has no crc32 instruction.
    package static func softwareUpdate(_ crc: UInt32, with bytes: UnsafeRawBufferPointer) -> UInt32 {
        table.withUnsafeBufferPointer { table in
            var crc = ~crc
            var offset = 0
            let count = bytes.count
            while count - offset >= 8 {
                let word = bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
                let low = UInt32(truncatingIfNeeded: word) ^ crc
                let high = UInt32(truncatingIfNeeded: word &>> 32)
                crc =
                    table[7 &* 256 &+ Int(low & 0xFF)]
                    ^ table[6 &* 256 &+ Int((low &>> 8) & 0xFF)]
                    ^ table[5 &* 256 &+ Int((low &>> 16) & 0xFF)]
                    ^ table[4 &* 256 &+ Int(low &>> 24)]
                    ^ table[3 &* 256 &+ Int(high & 0xFF)]
                    ^ table[2 &* 256 &+ Int((high &>> 8) & 0xFF)]
                    ^ table[1 &* 256 &+ Int((high &>> 16) & 0xFF)]
                    ^ table[Int(high &>> 24)]
                offset &+= 8
            }
            while offset < count {
                crc = table[Int((crc ^ UInt32(bytes[offset])) & 0xFF)] ^ (crc &>> 8)
                offset &+= 1
            }
            return ~crc
        }
    }
}
