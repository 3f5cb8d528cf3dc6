import Foundation
package import LogfoldTransport
package import Logging

/// Calls Klaviyo over HTTP: adds the key and revision headers, keeps every endpoint inside its rate
/// windows, and reads what the answer says about the windows.
///
/// One attempt per ``send(_:)``: retrying is the sender's decision (``RetryPolicy``). A 429 blocks the
/// endpoint for `Retry-After` plus jitter for every concurrent caller, so no call goes out inside the
/// window Klaviyo asked to be left alone in.
package final class KlaviyoClient: Sendable {
    /// The configuration.
    package let configuration: KlaviyoClientConfiguration
    private let transport: any HTTPTransport
    /// Whether the client made its transport (and so closes it); an injected one is its owner's to close.
    private let ownsTransport: Bool
    private let pacers: PacerRegistry
    private let logger: Logger
    /// The time the pacers run on; the sender's backoffs and polls wait on it too.
    package let clock: PacingClock

    /// Creates a client; call ``shutdown()`` when done.
    ///
    /// `clock` is the time its pacers keep (the system's monotonic clock unless a test steps one by hand);
    /// `transport` moves its requests (by default a connection pool of its own, sized by the configuration).
    package init(
        configuration: KlaviyoClientConfiguration, logger: Logger, clock: PacingClock = .continuous,
        transport: (any HTTPTransport)? = nil
    ) throws(KlaviyoError) {
        guard let url = URL(string: configuration.baseURL), let scheme = url.scheme, url.host != nil,
            scheme == "http" || scheme == "https"
        else {
            throw KlaviyoError(
                .configuration,
                "Klaviyo URL '\(configuration.baseURL)' is not an http(s) URL; use https://a.klaviyo.com "
                    + "or the sandbox's http://127.0.0.1:PORT"
            )
        }
        guard !configuration.apiKey.isEmpty else {
            throw KlaviyoError(
                .configuration, "no Klaviyo API key: set KLAVIYO_API_KEY or pass --api-key-file FILE"
            )
        }
        self.configuration = configuration
        self.transport = transport ?? AsyncHTTPClientTransport(connections: configuration.connections)
        self.ownsTransport = transport == nil
        self.pacers = PacerRegistry(limits: configuration.rateLimits, clock: clock)
        self.clock = clock
        self.logger = logger
    }

    /// Closes the connections of the transport it made (an injected one stays open).
    package func shutdown() async {
        if ownsTransport { await transport.shutdown() }
    }

    /// Makes one call, after waiting for the endpoint's pacer; never throws for HTTP statuses or
    /// transport failures, which the response reports.
    package func send(_ call: KlaviyoCall) async throws(CancellationError) -> KlaviyoResponse {
        try await pacers.waitForSlot(call.endpoint)
        var request = TransportRequest(method: call.method.rawValue, url: configuration.baseURL + call.path)
        request.add("Authorization", "Klaviyo-API-Key " + configuration.apiKey)
        request.add("revision", configuration.revision)
        request.add("Accept", "application/vnd.api+json")
        request.add("User-Agent", "logfold/0.1")
        if let body = call.body {
            request.add("Content-Type", "application/vnd.api+json")
            request.body = body
        }
        let response: KlaviyoResponse
        do {
            let answer = try await transport.execute(request, timeout: .seconds(configuration.timeoutSeconds))
            response = KlaviyoResponse(
                status: answer.status,
                body: answer.body,
                retryAfter: answer.header("Retry-After").flatMap(Self.seconds)
            )
            await pacers.observe(
                call.endpoint, status: answer.status, retryAfter: response.retryAfter,
                remaining: answer.header("RateLimit-Remaining").flatMap(Self.leadingInteger),
                reset: answer.header("RateLimit-Reset").flatMap(Self.seconds)
            )
        } catch {
            if Task.isCancelled { throw CancellationError() }
            response = KlaviyoResponse(status: nil, transportError: "\(call.method.rawValue) \(call.path): \(error)")
        }
        logger.trace(
            "klaviyo call",
            metadata: [
                "klaviyo.endpoint": .string(call.endpoint.rawValue), "klaviyo.result": .string(response.summary),
            ]
        )
        return response
    }

    /// The leading integer of a header like `RateLimit-Limit: 150, 10;w=1, 150;w=60`.
    static func leadingInteger(_ header: String) -> Int? {
        Int(header.trimmingCharacters(in: .whitespaces).prefix(while: { $0.isNumber || $0 == "-" }))
    }

    /// Seconds from a header: an integer or decimal (`Retry-After` may also be an HTTP date, which
    /// Klaviyo does not send; it reads as one second).
    static func seconds(_ header: String) -> Double? {
        let text = header.trimmingCharacters(in: .whitespaces)
        if let value = Double(text.prefix(while: { $0.isNumber || $0 == "." })), value >= 0 { return value }
        return text.isEmpty ? nil : 1
    }
}
