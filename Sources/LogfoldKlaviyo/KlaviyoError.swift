/// A failure talking to Klaviyo, shaped like the other modules' errors: a code, a message that says what
/// happened and what to do, and Klaviyo's own error text when it answered.
package struct KlaviyoError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure.
    package enum Code: String, Sendable {
        /// A setting is wrong (rate-limit spec, URL, list file).
        case configuration
        /// 401: the API key is wrong or revoked.
        case unauthorized
        /// 403: the key lacks a scope.
        case forbidden
        /// 410: the pinned revision is retired.
        case revisionRetired
        /// The connection failed, was reset or timed out.
        case transport
        /// Klaviyo answered something logfold cannot read.
        case protocolViolation
        /// Retries ran out on a transient failure.
        case retriesExhausted
    }

    /// What kind of failure.
    package var code: Code
    /// What happened, where, and what to do.
    package var message: String
    /// The HTTP status, when Klaviyo answered.
    package var status: Int?

    /// Creates an error.
    package init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status
    }

    /// The message.
    package var description: String { message }

    /// Whether the sender must stop and wait for the operator rather than retry or dead-letter.
    package var stopsSender: Bool {
        switch code {
        case .configuration, .unauthorized, .forbidden, .revisionRetired, .retriesExhausted: true
        case .transport, .protocolViolation: false
        }
    }
}
