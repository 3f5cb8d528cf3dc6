import ArgumentParser
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal

/// `logfold journal stat|show|verify`.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Inspect the journal.",
        subcommands: [Stat.self, Show.self, Verify.self, QuarantineCommand.self]
    )

    /// `logfold journal stat`.
    struct Stat: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Head seq, entry count, bytes, and the first and last entry times.")

        @OptionGroup var dataOptions: DataOptions
        @Flag(help: "One JSON object instead of lines.") var json = false

        func run() throws {
            let figures = try JournalFigures.read(from: try dataOptions.directory.openExistingJournal())
            say(json ? figures.json : figures.text)
        }
    }

    /// `logfold journal show SEQ`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one journal record: its seq, entry id, time, type, and the original line.")

        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The journal sequence number (1 is the first entry).") var seq: UInt64
        @Flag(help: "Print only the original entry line, byte for byte.") var raw = false

        func run() throws {
            let journal = try dataOptions.directory.openExistingJournal()
            let record: JournalRecord?
            do {
                record = try journal.record(at: seq)
            } catch {
                throw EngineError(.journal, "\(error)", remedy: "run `logfold journal verify`", cause: error)
            }
            guard let record else {
                let head = (try? journal.head()) ?? 0
                throw EngineError(
                    .notFound, "no journal record at seq \(seq) (head is \(head))",
                    remedy: "pick a seq from 1 to \(head)")
            }
            let text = String(decoding: record.entry, as: UTF8.self)
            if raw {
                say(text)
                return
            }
            let entry = try JournalFigures.decode(record)
            say("seq         \(record.seq)")
            say("id          \(record.platformID)")
            say("at          \(entry.at.rfc3339String)")
            say("type        \(entry.type)")
            if let customer = entry.customer { say("customer    \(customer.id)") }
            if let order = entry.order { say("order       \(order.id)") }
            say("entry       \(text)")
        }
    }

    /// `logfold journal verify`.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every record's checksum and that it decodes; list damaged and undecodable seqs.")

        @OptionGroup var dataOptions: DataOptions

        func run() throws {
            let journal = try dataOptions.directory.openExistingJournal()
            let verification: JournalVerification
            do {
                verification = try journal.verify()
            } catch {
                throw EngineError(.journal, "\(error)", remedy: "restore the journal from a backup", cause: error)
            }
            for problem in verification.problems { say("damaged: \(problem)") }
            // Checksums prove the bytes are as written, not that a projector can read them: decode
            // each record as the projector does (one it cannot is quarantined when projected).
            var undecodable = 0
            if verification.problems.isEmpty {
                var memo = SnapshotMemo()
                try journal.forEach(from: 1, through: verification.head) { record in
                    do {
                        _ = try JournalFigures.decode(record, memo: &memo)
                    } catch {
                        undecodable += 1
                        say(TerminalText.visible("cannot be decoded: seq \(record.seq): \(error)"))
                    }
                    return true
                }
            }
            say(
                "checked \(verification.recordsChecked) records, \(verification.problems.count) damaged, "
                    + "\(undecodable) that cannot be decoded")
            if !verification.problems.isEmpty || undecodable > 0 { throw ExitCode(2) }
        }
    }
}
