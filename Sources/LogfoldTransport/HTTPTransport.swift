/// One HTTP request as a destination's client makes it: method, absolute URL, headers and body.
package struct TransportRequest: Sendable, Equatable {
    /// `GET`, `POST`, `PUT`, `PATCH` or `DELETE`.
    package var method: String
    /// The absolute URL.
    package var url: String
    /// The headers, in the order they are sent.
    package var headers: [TransportHeader]
    /// The body; `nil` sends none.
    package var body: [UInt8]?

    /// A request.
    package init(method: String, url: String, headers: [TransportHeader] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// Adds a header.
    package mutating func add(_ name: String, _ value: String) {
        headers.append(TransportHeader(name: name, value: value))
    }
}

/// One header line.
package struct TransportHeader: Sendable, Equatable {
    /// The name, as sent.
    package var name: String
    /// The value.
    package var value: String

    /// A header.
    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// What came back: the status, the headers and the whole body.
package struct TransportResponse: Sendable, Equatable {
    /// The HTTP status code.
    package var status: Int
    /// The headers.
    package var headers: [TransportHeader]
    /// The body.
    package var body: [UInt8]

    /// A response.
    package init(status: Int, headers: [TransportHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (compared without case), if any.
    package func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}

/// How a destination's client reaches the network: one request in, one whole response out.
///
/// The clients (Klaviyo, ActiveCampaign) build requests and read answers; the transport moves bytes.
/// Production uses ``AsyncHTTPClientTransport``; a test or a tool can wrap it (to count, record or
/// fail calls) without the clients knowing.
package protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the response; throws for a transport failure (no answer, a timeout)
    /// or a cancellation, never for an HTTP status.
    func execute(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse

    /// Closes the connections; the transport takes no more requests.
    func shutdown() async
}
