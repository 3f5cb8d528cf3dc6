import ArgumentParser
import Foundation
import LogfoldEngine
import LogfoldSandbox
import Logging

/// `logfold sandbox [--port N] [--faults SPEC]`: the local Klaviyo-compatible server (docs/sandbox.md).
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Serve a local Klaviyo-compatible API (events, profiles, lists, consent) until stopped.",
        discussion: """
            Prints one line, `sandbox listening on http://HOST:PORT`, once the socket is open (--port 0 picks \
            a free port). State lives in DATA/sandbox.sqlite (or --state FILE) and survives restarts. SIGTERM \
            or SIGINT stops it cleanly. Inspect with GET /sandbox/events, /sandbox/profiles, /sandbox/stats, \
            /sandbox/requests; browse at /.
            """
    )

    /// Which API the sandbox speaks.
    enum API: String, ExpressibleByArgument, CaseIterable {
        case klaviyo
        case activecampaign
    }

    @OptionGroup var dataOptions: DataOptions
    @Option(
        help: """
            klaviyo, or activecampaign: the v3 calls and the tracking endpoint (/event), state in \
            DATA/activecampaign-sandbox.sqlite, token from $ACTIVECAMPAIGN_API_TOKEN, 5 requests/s for the \
            account (docs/sandbox.md).
            """)
    var api: API = .klaviyo
    @Option(help: "The port to listen on; 0 picks a free one (default 8787; ActiveCampaign 8788).") var port: Int?
    @Option(help: "The interface to bind.") var host = "127.0.0.1"
    @Option(help: "The SQLite state file (default DATA/sandbox.sqlite).") var state: String?
    @Option(help: "The API key to accept (default $KLAVIYO_API_KEY; unset: any key starting pk_).")
    var apiKey: String?
    @Option(help: "Comma-separated keys answered 403 permission_denied (keys starting pk_noscope always are).")
    var forbiddenKeys: String?
    @Option(help: "Override rate limits, e.g. \"event-bulk-create-jobs=2/1s,20/60s;profile-import=5/1s\".")
    var rateLimits: String?
    @Flag(help: "Disable every rate limit.") var noRateLimits = false
    @Flag(help: "Refuse (400 duplicate) a bulk request holding an event already accepted, instead of dropping it.")
    var strictDuplicates = false
    @Option(help: "Inject failures, e.g. \"500:0.1,429:0.05,reset:0.02,timeout:0.01,delay:200ms\".")
    var faults: String?
    @Option(help: "Seed of the fault generator, for a reproducible sequence of failures.") var faultsSeed: UInt64?
    @Option(help: "Seconds a timeout fault holds a request before closing the connection.")
    var timeoutFaultSeconds = 60
    @Option(help: "Log level on stderr (trace, debug, info, notice, warning, error).") var logLevel = "notice"

    func validate() throws {
        guard (0...65_535).contains(port ?? 0) else { throw ValidationError("--port must be 0…65535") }
        guard timeoutFaultSeconds >= 0 else { throw ValidationError("--timeout-fault-seconds must be ≥ 0") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level \(logLevel)") }
    }

    func run() async throws {
        if api == .activecampaign {
            let server = try ACSandboxServer(configuration: try makeActiveCampaignConfiguration())
            let host = self.host
            try await server.run(handlingSignals: true) { port in
                FileHandle.standardOutput.write(
                    Data("sandbox (activecampaign) listening on http://\(host):\(port)\n".utf8))
            }
            return
        }
        let server = try SandboxServer(configuration: try makeConfiguration())
        let host = self.host
        try await server.run(handlingSignals: true) { port in
            FileHandle.standardOutput.write(Data("sandbox listening on http://\(host):\(port)\n".utf8))
        }
    }

    private func makeConfiguration() throws -> SandboxConfiguration {
        var logger = Logger(label: "logfold.sandbox") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        let statePath = state ?? SandboxConfiguration.statePath(inDataDirectory: dataOptions.directory.root)
        var configuration = SandboxConfiguration(statePath: statePath, logger: logger)
        configuration.host = host
        configuration.port = port ?? 8787
        configuration.apiKey =
            apiKey
            ?? ProcessInfo.processInfo.environment["KLAVIYO_API_KEY"].flatMap {
                $0.isEmpty ? nil : $0
            }
        configuration.forbiddenKeys = Set(
            (forbiddenKeys ?? "").split(separator: ",").map { String($0) }.filter { !$0.isEmpty })
        if noRateLimits {
            configuration.rateLimits = .unlimited
        } else if let rateLimits {
            configuration.rateLimits = try RateLimitTable.parse(rateLimits)
        }
        if let faults { configuration.faults = try FaultSpec.parse(faults) }
        configuration.faultsSeed = faultsSeed
        configuration.strictDuplicates = strictDuplicates
        configuration.timeoutFaultDuration = .seconds(timeoutFaultSeconds)
        return configuration
    }

    private func makeActiveCampaignConfiguration() throws -> ACSandboxConfiguration {
        var logger = Logger(label: "logfold.sandbox.ac") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .notice
        let statePath = state ?? ACSandboxConfiguration.statePath(inDataDirectory: dataOptions.directory.root)
        var configuration = ACSandboxConfiguration(statePath: statePath, logger: logger)
        let environment = ProcessInfo.processInfo.environment
        func nonEmpty(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        configuration.host = host
        configuration.port = port ?? 8788
        configuration.apiToken = apiKey ?? nonEmpty("ACTIVECAMPAIGN_API_TOKEN")
        configuration.eventAccount = nonEmpty("ACTIVECAMPAIGN_EVENT_ACTID")
        configuration.eventKey = nonEmpty("ACTIVECAMPAIGN_EVENT_KEY")
        if noRateLimits { configuration.requestsPerSecond = nil }
        if let faults { configuration.faults = try FaultSpec.parse(faults) }
        configuration.faultsSeed = faultsSeed
        configuration.timeoutFaultDuration = .seconds(timeoutFaultSeconds)
        return configuration
    }
}
