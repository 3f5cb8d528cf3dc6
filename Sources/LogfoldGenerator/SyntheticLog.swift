/// A seeded, realistic platform log of a produce-box subscription business (Kiva Logic), as JSON Lines.
///
/// Prospects start signups (a third never finish), customers get a box on a weekly, biweekly or monthly
/// schedule, orders are created, billed, declined, skipped, shipped and delivered, people log in, change
/// boxes, unsubscribe, cancel, come back and die off. Identical configurations give identical bytes.
/// Sizes and proportions are in `docs/generator.md`.
package struct SyntheticLog: Sendable {
    /// Every entry type of the input contract v1; every one of them occurs in a default run.
    package static let knownTypes: [String] = EntryType.allCases.filter(\.isKnown).map { $0.name.description }

    /// Types outside the contract, written only with `includeUnknownTypes` (a few entries).
    package static let unknownTypes: [String] = EntryType.allCases.filter { !$0.isKnown }.map { $0.name.description }

    /// What this log is generated from.
    package let configuration: GeneratorConfiguration

    /// A log for `configuration`; nothing is generated until `write(to:)`.
    package init(_ configuration: GeneratorConfiguration) {
        self.configuration = configuration
    }

    /// Generates the whole log, streaming it to `sink` in chunks of about 64 KiB of complete lines.
    ///
    /// Memory stays bounded by the number of customers, not the size of the output. The chunk lent to
    /// `sink` is valid only during the call.
    package func write(to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows -> GeneratorSummary {
        var simulation = Simulation(configuration)
        return try simulation.run(sink)
    }

    /// The whole log as lines (without their newlines): for tests and small configurations.
    package static func lines(_ configuration: GeneratorConfiguration) -> [String] {
        var lines: [String] = []
        var pending: [UInt8] = []
        _ = SyntheticLog(configuration).write { chunk in
            for byte in chunk {
                if byte == UInt8(ascii: "\n") {
                    lines.append(String(decoding: pending, as: UTF8.self))
                    pending.removeAll(keepingCapacity: true)
                } else {
                    pending.append(byte)
                }
            }
        }
        return lines
    }
}
