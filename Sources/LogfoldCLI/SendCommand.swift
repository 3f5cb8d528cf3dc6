import ArgumentParser
import Foundation
import LogfoldEngine
import LogfoldKlaviyo
import LogfoldStore
import Logging
import Synchronization

/// The `logfold send` command: drain the outbox to Klaviyo.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Drain the outbox to Klaviyo, exactly once as Klaviyo sees it.",
        discussion: """
            The API key comes from $KLAVIYO_API_KEY or --api-key-file and is never printed. Without --once
            the sender keeps running and sends new messages as `logfold project` writes them; SIGTERM or
            SIGINT stop it after the requests in flight. 401, 403 and 410 stop it with the reason; refused
            records become dead letters (`logfold outbox dead`, `logfold outbox retry`).
            """
    )

    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var senderOptions: SenderOptions
    @Flag(help: "Exit when the outbox has no pending messages.") var once = false
    @Flag(help: "Show progress even when stdout is not a terminal.") var progress = false
    @Option(help: "Where to send: klaviyo or activecampaign.") var destination = "klaviyo"
    @OptionGroup var activeCampaign: ActiveCampaignOptions

    func validate() throws {
        guard ["klaviyo", "activecampaign"].contains(destination) else {
            throw ValidationError("--destination takes klaviyo or activecampaign")
        }
    }

    func run() async throws {
        if destination == "activecampaign" {
            try await activeCampaign.send(
                dataOptions.directory, once: once, history: senderOptions.history,
                unpaced: senderOptions.noRateLimits)
            return
        }
        let directory = dataOptions.directory
        let store = try directory.openExistingStore()
        // One sender per destination per data directory: two would send the same rows.
        let lock = try DirectoryLock(path: directory.root + DirectoryLock.klaviyoSender, holder: "sender")
        let options = try senderOptions.makeOptions(once: once)
        let made = try senderOptions.makeClient()
        let client = made.0
        if senderOptions.history { try say(HistoryEstimate.describe(store: store, limits: made.1)) }
        let stop = StopSignal()
        let meter = Mutex(ProgressMeter(enabled: progress || ProgressMeter.standardOutputIsTerminal))
        let sender = Sender(
            store: store, client: client, options: options, logger: Logger(label: "logfold.send"), stop: stop,
            crashBeforeMarking: ProcessInfo.processInfo.environment["LOGFOLD_TEST_CRASH_BEFORE_MARKING"].flatMap {
                Int($0)
            },
            progress: { report in
                meter.withLock {
                    $0.update(
                        label: "send", count: report.delivered, done: Int64(report.delivered), total: nil,
                        extra: "events \(report.events), dead \(report.dead), requests \(report.requests)")
                }
            }
        )
        do {
            let report = try await sender.run()
            meter.withLock { $0.finish() }
            await client.shutdown()
            say(report.summary)
        } catch {
            meter.withLock { $0.finish() }
            await client.shutdown()
            say(error.report.summary)
            throw error.error
        }
        // Held until every request is marked.
        withExtendedLifetime(lock) {}
    }
}
