import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Where and as whom logfold calls ActiveCampaign (`ACTIVECAMPAIGN_URL`, `ACTIVECAMPAIGN_API_TOKEN`,
/// `ACTIVECAMPAIGN_EVENT_ACTID`, `ACTIVECAMPAIGN_EVENT_KEY`, `ACTIVECAMPAIGN_EVENT_URL`).
package struct ActiveCampaignConfiguration: Sendable {
    /// The account's address as Settings → Developer shows it; `/api/3` is appended.
    package var accountURL: String
    package var apiToken: String
    /// The tracking endpoint's account id and key (Website → Site Tracking).
    package var eventAccount: String
    package var eventKey: String
    /// The tracking endpoint.
    package var eventURL = "https://trackcmp.net/event"
    /// Seconds one call may take.
    package var timeoutSeconds: Int64 = 30

    /// Creates a configuration.
    package init(accountURL: String, apiToken: String, eventAccount: String, eventKey: String) {
        self.accountURL = accountURL.hasSuffix("/") ? String(accountURL.dropLast()) : accountURL
        self.apiToken = apiToken
        self.eventAccount = eventAccount
        self.eventKey = eventKey
    }
}

/// What came back: the status (`nil` when no answer came), `Retry-After` in seconds, the body.
package struct ActiveCampaignResponse: Sendable {
    package var status: Int?
    package var retryAfter: String?
    package var body: [UInt8]
}

/// Makes ActiveCampaign calls over HTTP, each after the account's pacer allows it.
///
/// One attempt per ``send(_:)``: what an answer means, and whether to try again, is
/// ``ActiveCampaignAnswer``'s and the sender's.
package final class ActiveCampaignClient<C: Clock>: Sendable where C.Duration == Duration {
    package let configuration: ActiveCampaignConfiguration
    package let pacer: ActiveCampaignPacer<C>
    private let http: HTTPClient

    /// A client with its own connection pool; call ``shutdown()`` when done.
    package init(configuration: ActiveCampaignConfiguration, pacer: ActiveCampaignPacer<C>) {
        self.configuration = configuration
        self.pacer = pacer
        var http = HTTPClient.Configuration()
        http.timeout = .init(connect: .seconds(10), read: .seconds(configuration.timeoutSeconds))
        self.http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: http)
    }

    /// Closes the connections.
    package func shutdown() async { try? await http.shutdown() }

    /// Sends `call` once; transport failures come back as a response without a status.
    package func send(_ call: ActiveCampaignCall) async throws -> ActiveCampaignResponse {
        try await pacer.waitForSlot()
        var request: HTTPClientRequest
        switch call.target {
        case .api(let path):
            request = HTTPClientRequest(url: configuration.accountURL + "/api/3" + path)
            request.headers.add(name: "Api-Token", value: configuration.apiToken)
        case .tracking:
            request = HTTPClientRequest(url: configuration.eventURL)
        }
        request.method = HTTPMethod(rawValue: call.method.rawValue)
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "logfold/0.1")
        if let type = call.contentType {
            request.headers.add(name: "Content-Type", value: type)
            request.body = .bytes(ByteBuffer(bytes: call.body))
        }
        do {
            let answer = try await http.execute(request, timeout: .seconds(configuration.timeoutSeconds))
            let bytes = try await answer.body.collect(upTo: 16 << 20)
            let retryAfter = answer.headers.first(name: "Retry-After")
            if answer.status.code == 429 { await pacer.hold(seconds: retryAfter.flatMap(Double.init) ?? 1) }
            return ActiveCampaignResponse(
                status: Int(answer.status.code), retryAfter: retryAfter, body: Array(buffer: bytes))
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return ActiveCampaignResponse(status: nil, retryAfter: nil, body: Array("\(error)".utf8))
        }
    }
}
