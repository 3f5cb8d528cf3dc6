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

    /// Writes a key into `buffer` (at least the capacity computed for it) with `write`; returns its length.
    static func write(into buffer: UnsafeMutableBufferPointer<UInt8>, _ write: (inout DedupeKeyWriter) -> Void)
        -> Int
    {
        var writer = DedupeKeyWriter(buffer: buffer)
        write(&writer)
        return writer.count
    }

    private init(buffer: UnsafeMutableBufferPointer<UInt8>) { self.buffer = buffer }

    /// Room for what a key holds besides its variable pieces: a kind or prefix (at most 32 bytes), a seq
    /// (at most 20) and separators.
    static let fixedCapacity = 64

    /// The bytes a piece takes at most when escaped (``appendEscaped(_:)``).
    static func escapedCapacity(_ piece: String) -> Int { piece.utf8.count * 3 }

    /// Appends `piece` as it is.
    mutating func append(_ piece: String) {
        var piece = piece
        piece.withUTF8 { copy($0) }
    }

    /// Appends `piece` with `%` and `/` escaped (`%25`, `%2F`), so pieces cannot run into each other.
    mutating func appendEscaped(_ piece: String) {
        var piece = piece
        piece.withUTF8 { bytes in
            // Copied in runs between the bytes to escape: byte by byte was a thirtieth of the fold.
            var start = 0
            for i in bytes.indices where bytes[i] == 0x25 || bytes[i] == 0x2F {
                copy(UnsafeBufferPointer(rebasing: bytes[start..<i]))
                copy(bytes[i] == 0x25 ? Self.escapedPercent : Self.escapedSlash)
                start = i + 1
            }
            copy(UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }

    private static let escapedPercent: StaticString = "%25"
    private static let escapedSlash: StaticString = "%2F"

    /// Appends `number` in decimal, its digits written in place (`String(number)` made a string per key).
    mutating func append(_ number: UInt64) {
        var digits = 1
        var rest = number / 10
        while rest > 0 {
            digits += 1
            rest /= 10
        }
        precondition(count + digits <= buffer.count, "a dedupe key outgrew the capacity computed for it")
        guard let target = buffer.baseAddress else { return }
        var value = number
        for position in stride(from: count + digits - 1, through: count, by: -1) {
            target[position] = 0x30 + UInt8(truncatingIfNeeded: value % 10)
            value /= 10
        }
        count += digits
    }

    private mutating func copy(_ text: StaticString) {
        copy(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
        // The capacities above are computed from the pieces; writing past them would corrupt memory.
        precondition(count + bytes.count <= buffer.count, "a dedupe key outgrew the capacity computed for it")
        guard let source = bytes.baseAddress, let target = buffer.baseAddress else { return }
        (target + count).update(from: source, count: bytes.count)
        count += bytes.count
    }
}
