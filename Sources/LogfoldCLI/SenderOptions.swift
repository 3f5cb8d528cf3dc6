import ArgumentParser
import Foundation
import LogfoldEngine
import LogfoldKlaviyo
import LogfoldStore
import Logging

/// The sender's options, shared by `logfold send` and `logfold run`.
struct SenderOptions: ParsableArguments {
    @Option(help: "Klaviyo's base URL (the sandbox's http://127.0.0.1:PORT for tests).")
    var klaviyoURL = KlaviyoClientConfiguration.klaviyoURL
    @Option(help: "Read the API key from this file instead of $KLAVIYO_API_KEY.") var apiKeyFile: String?
    @Flag(help: "Rebuild history: every event with backfill (no flows), skipping what the ledger holds.")
    var history = false
    @Option(help: "The Klaviyo API revision header.") var revision = KlaviyoRevision.pinned
    @Option(help: "Per-endpoint limits replacing Klaviyo's defaults, e.g. 'event-bulk-create-jobs=5/1s,100/60s'.")
    var rateLimits: String?
    @Flag(help: "No client-side pacing (for the sandbox; Klaviyo's 429s still apply).") var noRateLimits = false
    @Option(help: "Events older than this many hours go with backfill (no flows).") var backfillAgeHours = 48
    @Option(help: "Requests in flight at once per lane (profiles, lists, events); 1 = one at a time overall.")
    var concurrency = 4
    /// 25,000: each stream holds a window's rows, payloads and request bodies at once (about 3 KB a row);
    /// on the synthetic send (133,485 rows) 50,000 peaked at 309–390 MiB, 25,000 at 259–271 MiB, the same
    /// CPU.
    @Option(help: "Pending messages planned together (coalescing works within one window).") var window = 25_000
    @Option(help: "The most bytes of pending messages (bodies and keys) one window holds: bounds the sender's memory.")
    var windowBytes = 16 << 20
    @Option(help: "A JSON file mapping list names to Klaviyo list ids; other lists are found or created by name.")
    var lists: String?
    @Flag(help: "Never create lists in Klaviyo; a list that does not exist dead-letters its changes.")
    var noCreateLists = false
    @Option(help: "Fewer pending events than this go one by one through Create Event instead of in bulk.")
    var bulkMin = 5
    @Option(help: "Fewer profile upserts than this in a window go through profile-import instead of bulk import.")
    var bulkProfileMin = 20
    @Option(help: "Country calling code for phone numbers written without one.") var defaultCountryCode = "1"
    @Flag(help: "Allow an http:// --klaviyo-url to another machine (the API key then crosses the network in clear).")
    var allowInsecureURL = false

    func validate() throws {
        guard let url = URL(string: klaviyoURL), let scheme = url.scheme?.lowercased(), let host = url.host else {
            throw ValidationError("--klaviyo-url \(klaviyoURL) is not a URL: give e.g. https://a.klaviyo.com")
        }
        let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.") || host == "[::1]"
        if scheme == "http", !loopback, !allowInsecureURL {
            throw ValidationError(
                "--klaviyo-url \(klaviyoURL) is plain http to another machine: the API key would cross the network "
                    + "in clear. Use https, or add --allow-insecure-url if that network is yours")
        }
    }

    /// The Klaviyo client these options describe, with the key from the file or the environment.
    func makeClient() throws -> (KlaviyoClient, KlaviyoRateLimits) {
        let key = try apiKey()
        var limits = KlaviyoRateLimits.defaults
        if noRateLimits { limits = .lifted }
        if let rateLimits { limits = try KlaviyoRateLimits.parse(rateLimits, base: limits) }
        let configuration = KlaviyoClientConfiguration(
            baseURL: klaviyoURL, apiKey: key, revision: revision, rateLimits: limits,
            connections: max(concurrency, 1) * 4
        )
        if history && !configuration.supportsBackfill {
            throw KlaviyoError(
                .configuration,
                "--history needs revision 2026-04-15 or later for backfill (got \(revision)): without it a "
                    + "rebuild would fire flows and email customers about old events"
            )
        }
        return (try KlaviyoClient(configuration: configuration, logger: Logger(label: "logfold.klaviyo")), limits)
    }

    private func apiKey() throws -> String {
        if let apiKeyFile {
            try FileModes.checkSecretFile(apiKeyFile, holding: "API key")
            guard let data = FileManager.default.contents(atPath: apiKeyFile) else {
                throw KlaviyoError(.configuration, "cannot read the API key file \(apiKeyFile): check the path")
            }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return ProcessInfo.processInfo.environment["KLAVIYO_API_KEY"] ?? ""
    }

    /// The sender's options; `once` exits when the outbox is empty.
    func makeOptions(once: Bool) throws -> SendOptions {
        var listIDs: [String: String] = [:]
        if let lists {
            guard let data = FileManager.default.contents(atPath: lists),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
            else {
                throw KlaviyoError(
                    .configuration,
                    "the list file \(lists) is not a JSON object of list name → Klaviyo list id, "
                        + "e.g. {\"All Customers\": \"XyZ123\"}"
                )
            }
            listIDs = object
        }
        var options = SendOptions(
            history: history, backfillAgeSeconds: Int64(backfillAgeHours) * 3_600, windowSize: max(window, 1),
            concurrency: max(concurrency, 1), bulkEventMinimum: max(bulkMin, 1),
            bulkProfileMinimum: max(bulkProfileMin, 1), once: once, listIDs: listIDs,
            createLists: !noCreateLists,
            defaultCountryCode: defaultCountryCode
        )
        options.windowBytes = max(windowBytes, 1)
        return options
    }
}
