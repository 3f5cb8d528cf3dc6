import ArgumentParser
import LogfoldDomain
import LogfoldEngine
import LogfoldStore

/// `logfold journal quarantine list|retry SEQ`: the records the projector set aside because they could
/// not be decoded.
struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "Journal records the projector set aside because they could not be decoded.",
        subcommands: [List.self, Retry.self]
    )

    /// `logfold journal quarantine list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each set-aside record: seq, entry id, reason.")

        @OptionGroup var dataOptions: DataOptions

        func run() throws {
            let store = try dataOptions.directory.openExistingStore()
            let records = try store.quarantined(Projector.defaultName)
            for record in records {
                say(
                    TerminalText.visible(
                        "seq \(record.seq)\tentry id \(record.platformID)\t\(record.reason)", tabs: true))
            }
            say("\(records.count) quarantined")
        }
    }

    /// `logfold journal quarantine retry SEQ`.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fold a set-aside record now (after a fix); it stays quarantined if it still cannot be decoded.")

        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var fold: FoldOptions
        @Argument(help: "The journal seq of the record.") var seq: UInt64

        func run() throws {
            let directory = dataOptions.directory
            let store = try directory.openExistingStore()
            let mapping = try fold.loadMapping()
            let projector = Projector(
                journal: try directory.openExistingJournal(), store: store, mapping: mapping,
                activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: mapping))
            let messages = try projector.retryQuarantined(seq)
            say("folded seq \(seq): \(messages) messages; it is out of quarantine")
        }
    }
}
