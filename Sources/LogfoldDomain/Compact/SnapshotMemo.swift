/// The customer and order snapshots last decoded for each id, with their compact bytes, so that decoding
/// an entry that repeats them (most do: a snapshot is the platform's current data, which rarely changes
/// between two entries of a customer) reuses the decoded value instead of building it again.
///
/// Reuse gives the very same value, so projection output does not depend on the memo; it also makes
/// folding the repeat cheap, since the reused strings share storage with the state that absorbed them and
/// compare equal without reading their bytes. A decoder consults it through
/// ``CompactEntryCodec/decode(_:memo:)``.
package struct SnapshotMemo: Sendable {
    private var customers: [String: Remembered<CustomerSnapshot>] = [:]
    private var orders: [String: Remembered<OrderSnapshot>] = [:]

    /// An empty memo.
    package init() {}

    /// How many customer and order snapshots it holds.
    package var count: (customers: Int, orders: Int) { (customers.count, orders.count) }

    /// Drops an order's snapshot (when its state leaves memory), so the memo stays as small as the fold's
    /// working set.
    package mutating func forget(order id: String) { orders[id] = nil }

    /// Drops a customer's snapshot (when the fold sets the customer aside), for the same reason.
    package mutating func forget(customer id: String) { customers[id] = nil }

    /// The customer snapshot at `reader`: the remembered one of its id if the next bytes are the ones it
    /// was decoded from (the reader then moves past them); otherwise decoded with `decode` and remembered.
    ///
    /// A prefix match is an exact match: the compact form is self-delimiting, so a decoder starting there
    /// would read exactly the remembered bytes and stop where they end.
    mutating func customer(
        _ reader: inout CompactReader,
        decode: (inout CompactReader) throws(CompactDecodingError) -> CustomerSnapshot
    ) throws(CompactDecodingError) -> CustomerSnapshot {
        try Self.recall(in: &customers, reader: &reader, decode: decode)
    }

    /// Like ``customer(_:decode:)``, for order snapshots.
    mutating func order(
        _ reader: inout CompactReader,
        decode: (inout CompactReader) throws(CompactDecodingError) -> OrderSnapshot
    ) throws(CompactDecodingError) -> OrderSnapshot {
        try Self.recall(in: &orders, reader: &reader, decode: decode)
    }

    /// Both snapshot forms start with their id.
    private static func recall<Snapshot>(
        in table: inout [String: Remembered<Snapshot>], reader: inout CompactReader,
        decode: (inout CompactReader) throws(CompactDecodingError) -> Snapshot
    ) throws(CompactDecodingError) -> Snapshot {
        var peek = reader
        let id = try peek.string()
        if let remembered = table[id], reader.consume(prefix: remembered.bytes) {
            return remembered.snapshot
        }
        let start = reader.index
        let snapshot = try decode(&reader)
        table[id] = Remembered(bytes: reader.bytes(from: start), snapshot: snapshot)
        return snapshot
    }

    /// A class, so that looking one up copies a reference, not the bytes and every string of the snapshot.
    private final class Remembered<Snapshot>: Sendable where Snapshot: Sendable {
        let bytes: [UInt8]
        let snapshot: Snapshot

        init(bytes: [UInt8], snapshot: Snapshot) {
            self.bytes = bytes
            self.snapshot = snapshot
        }
    }
}
