/// Where an input source stands, recorded in the journal in the transaction of the entries it produced.
///
/// The journal keeps the bytes opaque: the source names itself (`follow /var/log/platform.jsonl`,
/// `table …`) and encodes its own position (an offset and the file's identity, a table's last key).
package struct JournalSourcePosition: Sendable, Hashable {
    /// The source's stable name, the key the position is kept under.
    package var source: String
    /// The source's encoding of where it stands.
    package var value: [UInt8]

    /// A position of `source`.
    package init(source: String, value: [UInt8]) {
        self.source = source
        self.value = value
    }
}
