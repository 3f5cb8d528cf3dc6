import ArgumentParser
import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore

/// Options shared by the commands that fold the journal.
struct FoldOptions: ParsableArguments {
    @Option(help: "Journal entries folded per store transaction (default: 10000; replay: 100000).")
    var batch: Int?

    /// `project` keeps batches small so the sender sees new rows soon; a replay writes a whole history
    /// at once, where larger transactions write each touched state row less often (ADR 0003).
    func batchSize(replaying: Bool) -> Int { batch ?? (replaying ? 100_000 : 10_000) }

    @Option(
        help: """
            The most bytes of new outbox rows (bodies and keys) one store transaction holds, whichever of \
            --batch and this comes first: bounds the fold's memory (default: 6291456, 6 MiB).
            """)
    var batchBytes: Int?

    /// ``batchBytes`` or the projector's default, at least 1.
    var batchByteBudget: Int { max(1, batchBytes ?? Projector.defaultBatchBytes) }

    @Option(
        help: """
            The most customers kept decoded in memory (checked every 4096 entries); the others are kept \
            encoded (about 500 bytes each against 2-4 KB) until an entry needs them: bounds the fold's \
            memory with many customers, never changes what is written (default: 20000).
            """)
    var hotCustomers: Int?

    /// ``hotCustomers`` or the projector's default, at least 0.
    var hotCustomerLimit: Int { max(0, hotCustomers ?? Projector.defaultHotCustomers) }

    @Option(
        help: """
            The most customers kept encoded in memory beyond --hot-customers; past it, those changed \
            longest ago that are committed leave memory and are read back from the state store when an \
            entry or a week change needs them: bounds the memory taken by customers at any number of \
            them, never changes what is written (default: 100000).
            """)
    var setAsideCustomers: Int?

    /// ``setAsideCustomers`` or the projector's default, at least 0.
    var setAsideCustomerLimit: Int { max(0, setAsideCustomers ?? Projector.defaultSetAsideCustomers) }

    @Option(
        help: """
            The most orders kept in memory between batches; past it, those changed longest ago leave \
            memory once committed and are read back from the state store when an entry needs them: bounds \
            the memory taken by open orders, never changes what is written (default: 50000).
            """)
    var hotOrders: Int?

    /// ``hotOrders`` or the projector's default, at least 0.
    var hotOrderLimit: Int { max(0, hotOrders ?? Projector.defaultHotOrders) }

    @Option(help: "A mapping file (JSON) over the built-in entry type → metric defaults (docs/event-mapping.md).")
    var mapping: String?

    func loadMapping() throws -> EventMapping {
        guard let mapping else { return .defaults }
        guard let data = FileManager.default.contents(atPath: mapping) else {
            throw EngineError(.configuration, "cannot read the mapping file \(mapping)", remedy: "check the path")
        }
        do {
            return try EventMapping.parse(Array(data))
        } catch {
            throw EngineError(
                .configuration, "\(mapping): \(error.reason)", remedy: "fix the file (docs/event-mapping.md)")
        }
    }
}

/// The `logfold project` command.
struct ProjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project",
        abstract: "Fold the journal into state and outbox up to the journal head.")

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var fold: FoldOptions
    @Flag(help: "Show progress even when stdout is not a terminal.") var progress = false

    func run() throws {
        let directory = dataOptions.directory
        let journal = try directory.openExistingJournal()
        let store = try directory.openStore()
        var summary = try runProjector(journal: journal, store: store, fold: fold, progress: progress)
        // Restores the indexes if a replay into this directory was interrupted in bulk-load mode.
        summary.newOutboxRows = max(0, summary.newOutboxRows - (try Replay.restoreIndexes(store)))
        say(summary.line)
    }
}

/// The `logfold replay --into DIR2` command.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild state and outbox from the first entry into a fresh data directory.",
        discussion: """
            DIR2 gets a new state store and a link to this journal (shared read-only). Two replays of the \
            same journal give the same `logfold digest`.
            """)

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var fold: FoldOptions
    @Option(help: "The fresh data directory to build.") var into: String
    @Option(
        help: """
            When the outbox indexes are built: live (as rows go in, on the committing core), deferred (once, \
            at the end: least CPU in total, and fastest when measured with 2 cores) or auto (deferred).
            """)
    var indexes: Replay.IndexBuild = .auto
    @Flag(help: "Show progress even when stdout is not a terminal.") var progress = false

    func run() throws {
        var replay = Replay(
            source: dataOptions.directory, into: DataDirectory(into), mapping: try fold.loadMapping(),
            batchSize: fold.batchSize(replaying: true))
        replay.indexes = indexes
        replay.batchBytes = fold.batchByteBudget
        replay.hotCustomers = fold.hotCustomerLimit
        replay.setAsideCustomers = fold.setAsideCustomerLimit
        replay.hotOrders = fold.hotOrderLimit
        let meter = ProgressMeter(enabled: progress || ProgressMeter.standardOutputIsTerminal)
        let total = (try? dataOptions.directory.openExistingJournal().head()) ?? 0
        let outcome = try replay.run(now: Int64(Date().timeIntervalSince1970)) { s in
            meter.update(label: "project", count: s.entries, done: Int64(s.toSeq), total: Int64(total))
        }
        meter.finish()
        noteUnknownTypes(outcome.summary)
        say(outcome.summary.line)
        if let carried = outcome.ledgerCarried {
            say("ledger: \(carried) delivered events carried over from \(dataOptions.directory.statePath)")
        }
    }
}

extension Replay.IndexBuild: ExpressibleByArgument {}

/// Runs a projector to the journal head, with a progress line on a terminal.
func runProjector(
    journal: Journal, store: StateStore, fold: FoldOptions, progress: Bool, replaying: Bool = false
) throws -> Projector.Summary {
    let mapping = try fold.loadMapping()
    let projector = Projector(
        journal: journal, store: store, mapping: mapping, batchSize: fold.batchSize(replaying: replaying),
        batchBytes: fold.batchByteBudget, hotCustomers: fold.hotCustomerLimit, hotOrders: fold.hotOrderLimit,
        setAsideCustomers: fold.setAsideCustomerLimit,
        activeCampaign: try Projector.enabledActiveCampaign(in: store, mapping: mapping))
    let meter = ProgressMeter(enabled: progress || ProgressMeter.standardOutputIsTerminal)
    let total = (try? journal.head()) ?? 0
    let summary = try projector.run { s in
        meter.update(label: "project", count: s.entries, done: Int64(s.toSeq), total: Int64(total))
    }
    meter.finish()
    noteUnknownTypes(summary)
    return summary
}

/// A note on stderr naming the entry types no mapping knows, with their counts.
func noteUnknownTypes(_ summary: Projector.Summary) {
    guard !summary.unknownTypes.isEmpty else { return }
    let counts = summary.unknownTypes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
    FileHandle.standardError.write(
        Data("note: entries of types no mapping knows (journaled, no event): \(counts.joined(separator: ", "))\n".utf8))
}

/// The `logfold digest` command.
struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest", abstract: "The hex SHA-256 of the canonical state and outbox.")

    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Only this destination's outbox and checkpoint: klaviyo or activecampaign.") var destination: String?

    func run() throws {
        say(try dataOptions.directory.openExistingStore().digest(destination: destination))
    }
}

/// The `logfold customer ID` command.
struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "One customer's state and every message it produced, with the journal seq of each.")

    @OptionGroup var dataOptions: DataOptions
    @Argument(help: "The platform customer id.") var id: String
    @Flag(help: "Messages as JSON objects.") var json = false
    @Option(help: "Only this destination's messages: klaviyo or activecampaign (default: every one).")
    var destination: String?

    func run() throws {
        let store = try dataOptions.directory.openExistingStore()
        guard let row = try store.customer(id: id) else {
            throw EngineError(
                .notFound, "no customer \(id) in the state store",
                remedy: "run `logfold project` first, or check the id")
        }
        // The customer's fields come from the platform: control characters are shown, not sent to the terminal.
        func show(_ line: String) { say(TerminalText.visible(line)) }
        show("customer      \(row.id)")
        show("email         \(row.email ?? "-")")
        show("name          \([row.firstName, row.lastName].compactMap { $0 }.joined(separator: " "))")
        show("status        \(row.status ?? "-")   schedule \(row.schedule ?? "-")   box \(row.box ?? "-")")
        show(
            "signup        \(row.signupDate ?? "-")   next delivery \(row.nextDelivery ?? "-")   cancelled \(row.cancelDate ?? "-")"
        )
        show(
            "subscribed    \(row.subscribed.map(String.init) ?? "-")   suppressed \(row.suppressed)   missed signup \(row.missedSignup)"
        )
        show("week tag      \(row.weekTag ?? "-")   lists \(row.lists.isEmpty ? "-" : row.lists)")
        if let shared = row.sharedIdentifiers {
            for kind in shared.split(separator: ",") {
                let value = kind == "email" ? row.email.flatMap(IdentifierKey.email) : try phoneKey(of: row, store)
                let owner = try value.flatMap { try store.identifierOwner($0) } ?? "-"
                show("shared        \(kind) belongs to customer \(owner); Klaviyo gets this profile without it")
            }
        }
        show("last seq      \(row.lastSeq)")
        if destination != "activecampaign" {
            say("messages:")
            for message in try store.outbox(customerID: id) {
                say(json ? OutboxView.json(message) : "  " + OutboxView.line(message))
            }
        }
        if destination != "klaviyo" {
            let rows = try store.activeCampaignOutbox(customerID: id)
            if !rows.isEmpty || destination == "activecampaign" { say("activecampaign messages:") }
            for row in rows {
                say(json ? ActiveCampaignOutboxView.json(row) : "  " + ActiveCampaignOutboxView.line(row))
            }
        }
    }

    /// The owner key of the customer's phone (the row has no phone column; the state blob has it).
    private func phoneKey(of row: CustomerRow, _ store: StateStore) throws -> String? {
        let state = try ProjectionCodec.decodeCustomer(row.state)
        return state.identity.phone.flatMap(IdentifierKey.phone)
    }
}
