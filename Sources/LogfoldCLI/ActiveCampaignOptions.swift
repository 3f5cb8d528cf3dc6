import ArgumentParser
import Foundation
import LogfoldActiveCampaign
import LogfoldEngine
import LogfoldStore
import Logging

/// `send --destination activecampaign`'s options; credentials come from the environment or files only.
struct ActiveCampaignOptions: ParsableArguments {
    @Option(help: "Read the ActiveCampaign API token from this file instead of $ACTIVECAMPAIGN_API_TOKEN.")
    var activecampaignTokenFile: String?
    @Option(help: "Read the event key from this file instead of $ACTIVECAMPAIGN_EVENT_KEY.")
    var activecampaignEventKeyFile: String?
    @Option(help: "Read the account's address from this file instead of $ACTIVECAMPAIGN_URL.")
    var activecampaignUrlFile: String?
    @Option(help: "Read the event-tracking account id from this file instead of $ACTIVECAMPAIGN_EVENT_ACTID.")
    var activecampaignEventActidFile: String?
    @Option(help: "With --history: skip (mark delivered as `skipped`) or send tracked events.")
    var historyEvents = "send"
    @Option(help: "The Deep Data connection's name (the store).") var storeName = "logfold"
    @Option(help: "The store's address, for the Deep Data connection and the list's sender URL.")
    var storeUrl = "https://example.com"

    /// The account from the environment (and the secret files), or `nil` when neither `ACTIVECAMPAIGN_URL`
    /// nor `--activecampaign-url-file` gives its address; throws when it is set but another value is missing.
    func configurationIfSet() throws -> ActiveCampaignConfiguration? {
        if let file = activecampaignUrlFile { return try configuration(url: try Self.read(file)) }
        guard let url = ProcessInfo.processInfo.environment["ACTIVECAMPAIGN_URL"], !url.isEmpty else { return nil }
        return try configuration(url: url)
    }

    /// A secret file's text, trimmed; refused when others can read it.
    private static func read(_ file: String) throws -> String {
        try FileModes.checkSecretFile(file, holding: "the ActiveCampaign secret")
        let text = (try String(contentsOfFile: file, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw EngineError(.configuration, "\(file) is empty", remedy: "write the value into it, or drop the flag")
        }
        return text
    }

    /// The account: `ACTIVECAMPAIGN_URL`, the token, the tracking account and key, the tracking address.
    func configuration(url: String) throws -> ActiveCampaignConfiguration {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String, file: String?) throws -> String {
            if let file { return try Self.read(file) }
            guard let value = environment[name], !value.isEmpty else {
                throw EngineError(
                    .configuration, "\(name) is not set",
                    remedy: "export \(name) (docs/activecampaign-mapping.md#sending), or pass its --*-file flag")
            }
            return value
        }
        var configuration = ActiveCampaignConfiguration(
            accountURL: url, apiToken: try value("ACTIVECAMPAIGN_API_TOKEN", file: activecampaignTokenFile),
            eventAccount: try value("ACTIVECAMPAIGN_EVENT_ACTID", file: activecampaignEventActidFile),
            eventKey: try value("ACTIVECAMPAIGN_EVENT_KEY", file: activecampaignEventKeyFile))
        if let address = environment["ACTIVECAMPAIGN_EVENT_URL"], !address.isEmpty { configuration.eventURL = address }
        return configuration
    }

    /// Drains ActiveCampaign's outbox.
    func send(_ directory: DataDirectory, once: Bool, history: Bool, unpaced: Bool) async throws {
        let store = try directory.openExistingStore()
        let lock = try DirectoryLock(path: directory.root + "/sender-activecampaign.lock", holder: "sender")
        guard ["send", "skip"].contains(historyEvents) else {
            throw EngineError(.configuration, "--history-events takes send or skip", remedy: "pass one of them")
        }
        guard let configuration = try configurationIfSet() else {
            throw EngineError(
                .configuration, "ACTIVECAMPAIGN_URL is not set",
                remedy:
                    "export ACTIVECAMPAIGN_URL, the account's address as Settings → Developer shows it "
                    + "(or pass --activecampaign-url-file)")
        }
        let client = ActiveCampaignClient(
            configuration: configuration,
            pacer: ActiveCampaignPacer(requestsPerSecond: unpaced ? nil : 5, clock: ContinuousClock()))
        if history {
            do {
                say(try ActiveCampaignEstimate.describe(store: store, skipEvents: historyEvents == "skip"))
            } catch {
                await client.shutdown()
                throw error
            }
        }
        var options = ActiveCampaignSender<ContinuousClock>.Options()
        options.once = once
        options.history = history
        options.skipEvents = history && historyEvents == "skip"
        options.storeName = storeName
        options.storeURL = storeUrl
        let sender = ActiveCampaignSender(
            store: store, client: client, options: options, logger: Logger(label: "logfold.send.activecampaign"),
            now: { Int64(Date().timeIntervalSince1970) }, clock: ContinuousClock())
        do {
            let report = try await sender.run()
            await client.shutdown()
            say(report.description)
        } catch {
            await client.shutdown()
            throw error
        }
        withExtendedLifetime(lock) {}
    }
}
