import LogfoldJournal
import Testing

@Suite("CRC-32C")
struct CRC32CTests {
    @Test("\"123456789\" has the standard CRC-32C check value 0xE3069283")
    func standardCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test("Known vectors: empty input is 0, 32 zero bytes are 0x8A9136AA (RFC 3720)")
    func knownVectors() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum(Array(0..<32)) == 0x46DD_794E)
    }

    @Test("Slicing-by-8 matches a bit-at-a-time reference at every length and alignment")
    func matchesBitwiseReference() {
        let bytes = (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ 11) }
        for start in 0..<9 {
            for end in stride(from: start, through: bytes.count, by: 7) {
                let slice = Array(bytes[start..<end])
                #expect(CRC32C.checksum(slice) == reference(slice), "start \(start) end \(end)")
            }
        }
    }

    @Test("The hardware and the table-driven paths agree at every length and alignment")
    func hardwareMatchesSoftware() {
        let bytes = (0..<1_100).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        bytes.withUnsafeBytes { all in
            for start in 0..<9 {
                for end in stride(from: start, through: all.count, by: 13) {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<end])
                    #expect(CRC32C.update(0x1234_5678, with: slice) == CRC32C.softwareUpdate(0x1234_5678, with: slice))
                }
            }
        }
    }

    @Test("Incremental update over split input equals the one-shot checksum")
    func incrementalUpdate() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        for split in 0...bytes.count {
            let first = Array(bytes[..<split])
            let second = Array(bytes[split...])
            let combined = second.withUnsafeBytes { CRC32C.update(CRC32C.checksum(first), with: $0) }
            #expect(combined == CRC32C.checksum(bytes))
        }
        #expect(CRC32C.checksum(bytes) == 0x2262_0404)
    }

    private func reference(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1
            }
        }
        return ~crc
    }
}
