import AsyncHTTPClient
import Foundation
package import Logging
import NIOCore
import NIOHTTP1

/// Calls Klaviyo over HTTP: adds the key and revision headers, keeps every endpoint inside its rate
/// windows, and reads what the answer says about the windows.
///
/// One attempt per ``send(_:)``: retrying is the sender's decision (``RetryPolicy``). A 429 blocks the
/// endpoint for `Retry-After` plus jitter for every concurrent caller, so no call goes out inside the
/// window Klaviyo asked to be left alone in.
package final class KlaviyoClient: Sendable {
    /// The configuration.
    package let configuration: KlaviyoClientConfiguration
    private let http: HTTPClient
    private let pacers: PacerRegistry
    private let logger: Logger
    /// The time the pacers run on; the sender's backoffs and polls wait on it too.
    package let clock: PacingClock

    /// Creates a client with its own connection pool; call ``shutdown()`` when done.
    ///
    /// `clock` is the time its pacers keep (the system's monotonic clock unless a test steps one by hand).
    package init(
        configuration: KlaviyoClientConfiguration, logger: Logger, clock: PacingClock = .continuous
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
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .seconds(10), read: .seconds(configuration.timeoutSeconds))
        http.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: configuration.connections
        )
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
        self.pacers = PacerRegistry(limits: configuration.rateLimits, clock: clock)
        self.clock = clock
        self.logger = logger
    }

    /// Closes the connections.
    package func shutdown() async {
        try? await http.shutdown()
    }

    /// Makes one call, after waiting for the endpoint's pacer; never throws for HTTP statuses or
    /// transport failures, which the response reports.
    package func send(_ call: KlaviyoCall) async throws(CancellationError) -> KlaviyoResponse {
        try await pacers.waitForSlot(call.endpoint)
        var request = HTTPClientRequest(url: configuration.baseURL + call.path)
        request.method = HTTPMethod(rawValue: call.method.rawValue)
        request.headers.add(name: "Authorization", value: "Klaviyo-API-Key " + configuration.apiKey)
        request.headers.add(name: "revision", value: configuration.revision)
        request.headers.add(name: "Accept", value: "application/vnd.api+json")
        request.headers.add(name: "User-Agent", value: "logfold/0.1")
        if let body = call.body {
            request.headers.add(name: "Content-Type", value: "application/vnd.api+json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response: KlaviyoResponse
        do {
            let answer = try await http.execute(request, timeout: .seconds(configuration.timeoutSeconds))
            let bytes = try await answer.body.collect(upTo: 16 << 20)
            let status = Int(answer.status.code)
            response = KlaviyoResponse(
                status: status,
                body: Array(buffer: bytes),
                retryAfter: answer.headers.first(name: "Retry-After").flatMap(Self.seconds)
            )
            await pacers.observe(
                call.endpoint, status: status, retryAfter: response.retryAfter,
                remaining: answer.headers.first(name: "RateLimit-Remaining").flatMap(Self.leadingInteger),
                reset: answer.headers.first(name: "RateLimit-Reset").flatMap(Self.seconds)
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
