/// Encodes a validated ``LogEntry`` into the compact binary form stored beside the original bytes in
/// the journal, and decodes it back, so that projection and replay never parse JSON again.
///
/// Layout (version 2): a version byte, the envelope, then each snapshot behind a presence bitmask.
/// Every optional field has a bit; fields follow in declaration order. Version 2 adds bits that
/// version 1 never set (a customer's members sent as `null`, an item's brand), so a version 1 form
/// decodes with the same reader; it may have lost `null`s, which is why readers of the journal
/// re-parse a version 1 record's original line (``isCurrent(_:)``). Equal entries encode to equal
/// bytes, so the journal can compare compact forms to tell a re-sent entry from a conflicting one.
package enum CompactEntryCodec {
    /// The current version byte; a reader refuses others.
    package static let version: UInt8 = 2

    /// Whether `bytes` is a compact form of the current version (an earlier one may have dropped what
    /// this version keeps, so its original line should be parsed again).
    package static func isCurrent(_ bytes: UnsafeRawBufferPointer) -> Bool { bytes.first == version }

    /// The compact form of `entry`.
    package static func encode(_ entry: LogEntry) -> [UInt8] {
        var w = CompactWriter()
        w.byte(version)
        w.varint(entry.id)
        w.timestamp(entry.at)
        w.string(entry.type)
        var present: UInt8 = 0
        if entry.customer != nil { present |= 1 }
        if entry.order != nil { present |= 2 }
        if entry.cart != nil { present |= 4 }
        if entry.data != nil { present |= 8 }
        w.byte(present)
        if let customer = entry.customer { encode(customer, into: &w) }
        if let order = entry.order { encode(order, into: &w) }
        if let cart = entry.cart { encode(cart, into: &w) }
        if let data = entry.data { encode(data, into: &w) }
        return w.bytes
    }

    /// Decodes a compact form; throws on a damaged or unknown-version form.
    package static func decode(_ bytes: UnsafeRawBufferPointer) throws(CompactDecodingError) -> LogEntry {
        var unused = SnapshotMemo()
        return try decode(bytes, memo: &unused, remembering: false)
    }

    /// Decodes a compact form, reusing the customer and order snapshots `memo` remembers when the entry
    /// repeats them (and remembering the others); the result is the same as without a memo.
    package static func decode(
        _ bytes: UnsafeRawBufferPointer, memo: inout SnapshotMemo
    ) throws(CompactDecodingError) -> LogEntry {
        try decode(bytes, memo: &memo, remembering: true)
    }

    private static func decode(
        _ bytes: UnsafeRawBufferPointer, memo: inout SnapshotMemo, remembering: Bool
    ) throws(CompactDecodingError) -> LogEntry {
        var r = CompactReader(bytes)
        let v = try r.byte()
        guard v == version || v == 1 else {
            throw CompactDecodingError(
                reason: "unknown compact form version \(v) (this build reads 1 and \(version))", offset: 0)
        }
        let id = try r.varint()
        let at = try r.timestamp()
        let type = try r.string()
        let present = try r.byte()
        // The parts first, the entry once: setting each on an entry built empty copied the whole entry
        // (every string of its snapshots retained, then released) twice per record.
        var customer: CustomerSnapshot?
        if present & 1 != 0 {
            customer = try remembering ? memo.customer(&r, decode: decodeCustomer) : decodeCustomer(&r)
        }
        var order: OrderSnapshot?
        if present & 2 != 0 {
            order = try remembering ? memo.order(&r, decode: decodeOrder) : decodeOrder(&r)
        }
        let cart = present & 4 != 0 ? try decodeCart(&r) : nil
        let data = present & 8 != 0 ? try decodeValue(&r, depth: 0) : nil
        guard r.isAtEnd else { throw CompactDecodingError(reason: "trailing bytes", offset: r.index) }
        return LogEntry(id: id, at: at, type: type, customer: customer, order: order, cart: cart, data: data)
    }

    /// Decodes a compact form held in an array.
    package static func decode(_ bytes: [UInt8]) throws(CompactDecodingError) -> LogEntry {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(CompactDecodingError) in try decode(buffer) }
        }
        return try result.get()
    }
}
