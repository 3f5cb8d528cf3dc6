/// Writes an outbox dedupe key's UTF-8 straight into the new string's storage.
///
/// A key is made for every message of a replay; built with `+=`, each of its six to eight pieces went
/// through the string's general append path, a twelfth of the fold.
struct DedupeKeyWriter: ~Copyable {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    /// Builds a string of at most `capacity` UTF-8 bytes with `write`.
    static func string(capacity: Int, _ write: (inout DedupeKeyWriter) -> Void) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var writer = DedupeKeyWriter(buffer: buffer)
            write(&writer)
            return writer.count
        }
    }

    private init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// Room for what a key holds besides its variable pieces: a kind or prefix (at most 32 bytes), a seq
    /// (at most 20) and separators.
    static let fixedCapacity = 64

    /// The bytes a piece takes at most when escaped (``appendEscaped(_:)``).
    static func escapedCapacity(_ piece: String) -> Int { piece.utf8.count * 3 }

    /// Appends `piece` as it is.
    mutating func append(_ piece: String) {
        for byte in piece.utf8 { put(byte) }
    }

    /// Appends `piece` with `%` and `/` escaped (`%25`, `%2F`), so pieces cannot run into each other.
    mutating func appendEscaped(_ piece: String) {
        for byte in piece.utf8 {
            switch byte {
            case 0x25: append3(0x25, 0x32, 0x35)
            case 0x2F: append3(0x25, 0x32, 0x46)
            default: put(byte)
            }
        }
    }

    /// Appends `number` in decimal.
    mutating func append(_ number: UInt64) { append(String(number)) }

    private mutating func append3(_ a: UInt8, _ b: UInt8, _ c: UInt8) {
        put(a)
        put(b)
        put(c)
    }

    private mutating func put(_ byte: UInt8) {
        // The capacities above are computed from the pieces; writing past them would corrupt memory.
        precondition(count < buffer.count, "a dedupe key outgrew the capacity computed for it")
        buffer[count] = byte
        count += 1
    }
}
