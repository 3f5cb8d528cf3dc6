/// Appends the primitives of the compact entry encoding to a byte buffer.
///
/// LEB128 varints, zig-zag for signed values, length-prefixed UTF-8 strings: small, fast, and
/// byte-identical for equal values, which the journal relies on to tell a duplicate from a conflict.
package struct CompactWriter {
    package private(set) var bytes: [UInt8]

    /// Empties the buffer, keeping its capacity, to write the next entry.
    package mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    /// Creates a writer with room for a typical entry.
    package init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// The bytes written, in storage no larger than they need.
    ///
    /// For blobs kept long, such as a customer set aside: the buffer grows by doubling, so without this
    /// a 540-byte state would hold 1 KB for as long as it stays in memory.
    package var fittedBytes: [UInt8] {
        bytes.withUnsafeBufferPointer { written in
            [UInt8](unsafeUninitializedCapacity: written.count) { fitted, count in
                count = fitted.initialize(fromContentsOf: written)
            }
        }
    }

    @inline(__always)
    package mutating func byte(_ value: UInt8) { bytes.append(value) }

    @inline(__always)
    package mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// How many bytes were written.
    package var count: Int { bytes.count }

    /// Appends bytes already in this encoding (a value written by another writer).
    package mutating func append(encoded: [UInt8]) { bytes.append(contentsOf: encoded) }

    /// Puts `value` as a varint where a one-byte placeholder was written at `offset`, widening it when
    /// the value needs more than one byte: for a count known only after what it counts was written.
    package mutating func patchVarint(_ value: UInt64, at offset: Int) {
        if value < 0x80 {
            bytes[offset] = UInt8(value)
            return
        }
        var encoded: [UInt8] = []
        var v = value
        while v >= 0x80 {
            encoded.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        encoded.append(UInt8(v))
        bytes.replaceSubrange(offset...offset, with: encoded)
    }

    @inline(__always)
    package mutating func signed(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inline(__always)
    package mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// A string already known to be UTF-8, given as its bytes.
    @inline(__always)
    package mutating func rawString(_ utf8: UnsafeRawBufferPointer) {
        varint(UInt64(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    @inline(__always)
    package mutating func optionalString(_ value: String?) {
        if let value { string(value) }
    }

    package mutating func money(_ value: Money) {
        signed(value.mantissa)
        byte(value.scale)
    }

    package mutating func timestamp(_ value: Timestamp) {
        signed(value.unixSeconds)
        varint(UInt64(UInt32(bitPattern: value.nanoseconds)))
        signed(Int64(value.offsetMinutes))
    }
}

/// Reads what ``CompactWriter`` wrote; any inconsistency throws instead of trapping.
package struct CompactReader {
    let bytes: UnsafeRawBufferPointer
    package private(set) var index = 0

    /// Reads from the start of `bytes`.
    package init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether every byte was consumed.
    package var isAtEnd: Bool { index == bytes.count }

    @inline(__always)
    package mutating func byte() throws(CompactDecodingError) -> UInt8 {
        guard index < bytes.count else { throw CompactDecodingError(reason: "truncated", offset: index) }
        defer { index += 1 }
        return bytes[index]
    }

    @inline(__always)
    package mutating func varint() throws(CompactDecodingError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64 else { throw CompactDecodingError(reason: "varint too long", offset: index) }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    @inline(__always)
    package mutating func signed() throws(CompactDecodingError) -> Int64 {
        let raw = try varint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    @inline(__always)
    package mutating func string() throws(CompactDecodingError) -> String {
        String(decoding: try stringBytes(), as: UTF8.self)
    }

    /// The bytes of the next string, checked to be UTF-8, not copied into a `String` (``string()`` does
    /// that); valid while the reader's buffer is.
    @inline(__always)
    mutating func stringBytes() throws(CompactDecodingError) -> UnsafeRawBufferPointer {
        let count = try varint()
        guard count <= UInt64(bytes.count - index) else {
            throw CompactDecodingError(reason: "string length past the end", offset: index)
        }
        let end = index + Int(count)
        let slice = UnsafeRawBufferPointer(rebasing: bytes[index..<end])
        // The non-generic validator: the generic `String(validating:)` showed in replay profiles.
        guard UTF8Validation.isValid(slice) else {
            throw CompactDecodingError(reason: "string is not UTF-8", offset: index)
        }
        index = end
        return slice
    }

    /// Moves past `prefix` if the next bytes are exactly it; otherwise stays put and returns `false`.
    mutating func consume(prefix: [UInt8]) -> Bool {
        guard prefix.count <= bytes.count - index else { return false }
        let next = UnsafeRawBufferPointer(rebasing: bytes[index..<index + prefix.count])
        let equal = prefix.withUnsafeBytes { p in
            // Eight bytes at a time (this module imports nothing, so no memcmp).
            var i = 0
            while i + 8 <= p.count {
                guard
                    p.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        == next.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                else { return false }
                i += 8
            }
            while i < p.count {
                guard p[i] == next[i] else { return false }
                i += 1
            }
            return true
        }
        if equal { index += prefix.count }
        return equal
    }

    /// A copy of the bytes from `start` up to the reader's position.
    func bytes(from start: Int) -> [UInt8] { [UInt8](UnsafeRawBufferPointer(rebasing: bytes[start..<index])) }

    package mutating func money() throws(CompactDecodingError) -> Money {
        let mantissa = try signed()
        let scale = try byte()
        guard let money = Money(mantissa: mantissa, scale: scale) else {
            throw CompactDecodingError(reason: "money scale \(scale) out of range", offset: index)
        }
        return money
    }

    package mutating func timestamp() throws(CompactDecodingError) -> Timestamp {
        let seconds = try signed()
        let nanos = try varint()
        let offset = try signed()
        guard nanos < 1_000_000_000, let minutes = Int16(exactly: offset) else {
            throw CompactDecodingError(reason: "timestamp out of range", offset: index)
        }
        return Timestamp(unixSeconds: seconds, nanoseconds: Int32(nanos), offsetMinutes: minutes)
    }
}

/// The compact form of a journal record could not be decoded: the record is damaged or of an
/// unknown version.
package struct CompactDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    package var reason: String
    package var offset: Int

    /// Creates an error.
    package init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    package var description: String { "compact entry form: \(reason) at byte \(offset)" }
}
