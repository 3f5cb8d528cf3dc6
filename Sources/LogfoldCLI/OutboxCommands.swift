import ArgumentParser
import LogfoldEngine
import LogfoldStore

/// `logfold outbox`: list outbound messages (the default), show dead letters, put them back to pending.
struct OutboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "List outbound messages in send order; inspect and retry dead letters.",
        subcommands: [List.self, Dead.self, Retry.self],
        defaultSubcommand: List.self
    )

    /// `logfold outbox [list] [--status S] [--json] [--limit N]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List outbound messages in send order.")

        @OptionGroup var dataOptions: DataOptions
        @Option(help: "Only messages with this status: pending, delivered or dead.") var status: String?
        @Flag(help: "One JSON object a line.") var json = false
        @Option(help: "At most this many messages.") var limit: Int?
        @Option(help: "Only this destination's messages: klaviyo or activecampaign (default: every one).")
        var destination: String?

        func validate() throws {
            if let status, ![OutboxStatus.pending, OutboxStatus.delivered, OutboxStatus.dead].contains(status) {
                throw ValidationError("--status takes pending, delivered or dead")
            }
            if let destination, !["klaviyo", "activecampaign"].contains(destination) {
                throw ValidationError("--destination takes klaviyo or activecampaign")
            }
        }

        func run() throws {
            let store = try dataOptions.directory.openExistingStore()
            var left = limit ?? Int.max
            if destination ?? "klaviyo" == "klaviyo" {
                let rows = try store.outbox(status: status, limit: limit, after: nil)
                for row in rows { say(json ? OutboxView.json(row) : OutboxView.line(row)) }
                left -= rows.count
            }
            // Every destination, one after the other, each in its own send order.
            if destination ?? "activecampaign" == "activecampaign", left > 0 {
                let wanted = ActiveCampaignOutboxRow.Status.allCases.first { $0.name == status }
                for row in try store.activeCampaignOutbox(status: wanted, limit: left == Int.max ? nil : left) {
                    say(json ? ActiveCampaignOutboxView.json(row) : ActiveCampaignOutboxView.line(row))
                }
            }
        }
    }

    /// `logfold outbox dead [--json]`: dead letters with Klaviyo's error.
    struct Dead: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dead letters with the error Klaviyo gave (retry them with `logfold outbox retry`).")

        @OptionGroup var dataOptions: DataOptions
        @Flag(help: "One JSON object a line (with last_error).") var json = false
        @Option(help: "Whose dead letters: klaviyo or activecampaign.") var destination = "klaviyo"

        func run() throws {
            let store = try dataOptions.directory.openExistingStore()
            if destination == "activecampaign" {
                let rows = try store.activeCampaignOutbox(status: .dead)
                for row in rows {
                    say(
                        json
                            ? ActiveCampaignOutboxView.json(row)
                            : "\(TerminalText.visible(row.row.key))\tseq \(row.row.sourceSeq)\tattempts \(row.attempts)\t"
                                + TerminalText.visible(row.lastError ?? ""))
                }
                if !json { say("\(rows.count) dead letters") }
                return
            }
            let rows = try store.outbox(status: OutboxStatus.dead, limit: nil, after: nil)
            for row in rows {
                if json {
                    say(OutboxView.json(row))
                } else {
                    say(
                        "\(TerminalText.visible(row.row.key))\tseq \(row.row.sourceSeq)\tattempts \(row.attempts)\t"
                            + TerminalText.visible(row.lastError ?? "")
                    )
                }
            }
            if !json { say("\(rows.count) dead letters") }
        }
    }

    /// `logfold outbox retry (--all | KEY...)`: dead letters back to pending.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put dead letters back to pending; the next `logfold send` tries them again.")

        @OptionGroup var dataOptions: DataOptions
        @Flag(help: "Every dead letter.") var all = false
        @Argument(help: "Dedupe keys of the dead letters to retry (as `logfold outbox dead` prints them).")
        var keys: [String] = []
        @Option(help: "Whose dead letters: klaviyo or activecampaign.") var destination = "klaviyo"

        func validate() throws {
            if all == !keys.isEmpty { throw ValidationError("name dead letters by key, or pass --all") }
        }

        func run() throws {
            let store = try dataOptions.directory.openExistingStore()
            let moved =
                destination == "activecampaign"
                ? try store.retryActiveCampaignDead(keys: all ? nil : keys)
                : try store.retryDead(keys: all ? nil : keys)
            say("retrying \(moved) dead letters")
            if !all, moved < keys.count {
                say("\(keys.count - moved) keys named no dead letter (see `logfold outbox dead`)")
            }
        }
    }
}
