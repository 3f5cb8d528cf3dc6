import Foundation
package import LogfoldTransport

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
    private let transport: any HTTPTransport
    /// Whether the client made its transport (and so closes it); an injected one is its owner's to close.
    private let ownsTransport: Bool

    /// A client; call ``shutdown()`` when done.
    ///
    /// `transport` moves its requests (by default a connection pool of its own).
    package init(
        configuration: ActiveCampaignConfiguration, pacer: ActiveCampaignPacer<C>, transport: (any HTTPTransport)? = nil
    ) {
        self.configuration = configuration
        self.pacer = pacer
        self.transport = transport ?? AsyncHTTPClientTransport()
        self.ownsTransport = transport == nil
    }

    /// Closes the connections of the transport it made (an injected one stays open).
    package func shutdown() async {
        if ownsTransport { await transport.shutdown() }
    }

    /// Sends `call` once; transport failures come back as a response without a status.
    package func send(_ call: ActiveCampaignCall) async throws -> ActiveCampaignResponse {
        try await pacer.waitForSlot()
        var request: TransportRequest
        switch call.target {
        case .api(let path):
            request = TransportRequest(method: call.method.rawValue, url: configuration.accountURL + "/api/3" + path)
            request.add("Api-Token", configuration.apiToken)
        case .tracking:
            request = TransportRequest(method: call.method.rawValue, url: configuration.eventURL)
        }
        request.add("Accept", "application/json")
        request.add("User-Agent", "logfold/0.1")
        if let type = call.contentType {
            request.add("Content-Type", type)
            request.body = call.body
        }
        do {
            let answer = try await transport.execute(request, timeout: .seconds(configuration.timeoutSeconds))
            let retryAfter = answer.header("Retry-After")
            if answer.status == 429 { await pacer.hold(seconds: retryAfter.flatMap(Double.init) ?? 1) }
            return ActiveCampaignResponse(status: answer.status, retryAfter: retryAfter, body: answer.body)
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return ActiveCampaignResponse(status: nil, retryAfter: nil, body: Array("\(error)".utf8))
        }
    }
}
