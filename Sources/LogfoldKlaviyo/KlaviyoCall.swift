/// One HTTP call to Klaviyo: which endpoint (for pacing), the method, the path and the body.
package struct KlaviyoCall: Sendable {
    /// The HTTP method.
    package enum Method: String, Sendable {
        case get = "GET"
        case post = "POST"
        case delete = "DELETE"
    }

    /// The endpoint whose budget the call spends.
    package var endpoint: KlaviyoEndpoint
    /// The HTTP method.
    package var method: Method
    /// The path and query, from `/api/`.
    package var path: String
    /// The JSON body, if any.
    package var body: [UInt8]?

    /// Creates a call.
    package init(endpoint: KlaviyoEndpoint, method: Method = .post, path: String, body: [UInt8]? = nil) {
        self.endpoint = endpoint
        self.method = method
        self.path = path
        self.body = body
    }
}

/// What Klaviyo answered to one call.
package struct KlaviyoResponse: Sendable {
    /// The HTTP status; `nil` when there was no answer (reset, refused, timed out).
    package var status: Int?
    /// The body.
    package var body: [UInt8]
    /// `Retry-After`, seconds.
    package var retryAfter: Double?
    /// Why there was no answer.
    package var transportError: String?

    /// Creates a response.
    package init(status: Int?, body: [UInt8] = [], retryAfter: Double? = nil, transportError: String? = nil) {
        self.status = status
        self.body = body
        self.retryAfter = retryAfter
        self.transportError = transportError
    }

    /// A one-line account for logs and `last_error`: `HTTP 503` or the transport failure.
    package var summary: String {
        if let status { return "HTTP \(status)" }
        return transportError ?? "no answer"
    }
}
