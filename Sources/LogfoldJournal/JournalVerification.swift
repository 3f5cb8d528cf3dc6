/// The result of checking every record of a journal (``Journal/verify()``).
///
/// Verification keeps going past bad records so one run lists all of them; `logfold journal verify`
/// prints ``problems`` and exits non-zero unless ``isClean``.
package struct JournalVerification: Sendable {
    /// The last sequence number when the scan started.
    package var head: UInt64
    /// How many records were read and checked.
    package var recordsChecked: UInt64
    /// Every problem found, in sequence order; each names its seq.
    package var problems: [JournalError]

    /// Creates a verification result.
    package init(head: UInt64, recordsChecked: UInt64, problems: [JournalError]) {
        self.head = head
        self.recordsChecked = recordsChecked
        self.problems = problems
    }

    /// Whether no problem was found.
    package var isClean: Bool { problems.isEmpty }

    /// The sequence numbers of the problem records, in order (without repeats).
    package var corruptSeqs: [UInt64] {
        var seen = Set<UInt64>()
        return problems.compactMap(\.seq).filter { seen.insert($0).inserted }
    }
}
