/// One line of the request log (`GET /sandbox/requests`).
package struct RequestLogEntry: Sendable, Hashable {
    /// The HTTP method.
    package var method: String
    /// The path, query excluded.
    package var path: String
    /// The matched endpoint's name, if any.
    package var endpoint: String?
    /// The status answered; 0 when the connection was closed without an answer.
    package var status: Int
    /// When the request arrived (sandbox clock, Unix ms).
    package var receivedAt: Int64
    /// When it was answered (or the connection closed).
    package var answeredAt: Int64
    /// How many events the body carried.
    package var events: Int
    /// The injected fault, if any (`500`, `429`, `reset`, `timeout`).
    package var fault: String?
}
