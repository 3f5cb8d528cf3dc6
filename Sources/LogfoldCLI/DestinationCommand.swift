import ArgumentParser
import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore

/// `logfold destination add|list|remove`: destinations beside Klaviyo (ADR 0004, docs/activecampaign-mapping.md).
struct DestinationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "destination",
        abstract: "Add a destination (its whole history is folded from the journal), list them, remove one.",
        subcommands: [Add.self, List.self, Remove.self],
        defaultSubcommand: List.self
    )

    static let names = [Projector.activeCampaignName]

    /// `logfold destination add activecampaign`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fold the journal from seq 1 for a new destination, then fold it with Klaviyo from now on.",
            discussion: """
                Klaviyo's rows and checkpoint are untouched, and `logfold run` may go on meanwhile: its \
                projector folds the new destination from the moment it is enabled, and its sender starts \
                when ACTIVECAMPAIGN_URL is set. A `logfold project` running beside it has its next batch \
                refused once the destination is enabled (run it again). Pass the --mapping file `project` uses.
                """)

        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var fold: FoldOptions
        @Argument(help: "The destination: activecampaign.") var name: String

        func validate() throws {
            guard DestinationCommand.names.contains(name) else {
                throw ValidationError("unknown destination '\(name)'; the one there is: activecampaign")
            }
        }

        func run() throws {
            let directory = dataOptions.directory
            // One catch-up at a time; `logfold run` may go on (it folds the destination once enabled).
            let lock = try DirectoryLock(path: directory.root + "/destination.lock", holder: "destination add")
            defer { withExtendedLifetime(lock) {} }
            let store = try directory.openExistingStore()
            if try store.destinations().contains(where: { $0.name == name && $0.state == .enabled }) {
                say("\(name) is already enabled")
                return
            }
            let catchUp = DestinationCatchUp(
                journal: try directory.openExistingJournal(), store: store, mapping: try fold.loadMapping(),
                batchSize: fold.batchSize(replaying: true))
            let summary = try catchUp.run(now: Int64(Date().timeIntervalSince1970))
            say(
                "\(name): folded \(summary.entries) entries from seq 1: \(summary.messages) messages, "
                    + "\(summary.newRows) new outbox rows; enabled at seq \(summary.handedOverAt)")
        }
    }

    /// `logfold destination list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each destination's state, checkpoint, lag and pending, delivered and dead counts.")

        @OptionGroup var dataOptions: DataOptions

        func run() throws {
            let directory = dataOptions.directory
            let store = try directory.openExistingStore()
            let head = (try? directory.openExistingJournal().head()) ?? 0
            let klaviyo = try store.checkpoint(Projector.defaultName)
            let counts = try store.outboxCounts()
            say(
                "klaviyo         enabled      checkpoint \(klaviyo) (lag \(Int64(head) - Int64(klaviyo)))   "
                    + "pending \(counts["pending"] ?? 0)   delivered \(counts["delivered"] ?? 0)   "
                    + "dead \(counts["dead"] ?? 0)")
            for destination in try store.destinations() {
                let checkpoint = try store.checkpoint(destination.name)
                let rows = try store.activeCampaignCounts()
                let state = destination.state.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                say(
                    "\(destination.name.padding(toLength: 15, withPad: " ", startingAt: 0)) \(state) "
                        + "checkpoint \(checkpoint) (lag \(Int64(head) - Int64(checkpoint)))   "
                        + "pending \(rows[.pending] ?? 0)   delivered \(rows[.delivered] ?? 0)   "
                        + "dead \(rows[.dead] ?? 0)")
            }
        }
    }

    /// `logfold destination remove activecampaign`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop folding and sending for a destination; its rows stay for audit.")

        @OptionGroup var dataOptions: DataOptions
        @Argument(help: "The destination: activecampaign.") var name: String

        func run() throws {
            let store = try dataOptions.directory.openExistingStore()
            let removed = try store.removeDestination(name, at: Int64(Date().timeIntervalSince1970))
            say(
                removed
                    ? "\(name) removed; its rows stay (`logfold outbox --destination \(name)`)"
                    : "no \(name) to remove")
        }
    }
}
