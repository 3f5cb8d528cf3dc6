/// One fixed window of a rate limit: at most `limit` requests per `milliseconds`.
package struct RateLimitWindow: Sendable, Hashable, CustomStringConvertible {
    /// Requests allowed per window.
    package var limit: Int
    /// The window's length in milliseconds.
    package var milliseconds: Int64

    /// Creates a window.
    package init(limit: Int, milliseconds: Int64) {
        self.limit = limit
        self.milliseconds = milliseconds
    }

    /// A window of whole seconds.
    package static func perSeconds(_ limit: Int, _ seconds: Int64) -> RateLimitWindow {
        RateLimitWindow(limit: limit, milliseconds: seconds * 1000)
    }

    /// `limit/Ns` (or `limit/Nms` when not whole seconds), the spec syntax.
    package var description: String {
        milliseconds % 1000 == 0 ? "\(limit)/\(milliseconds / 1000)s" : "\(limit)/\(milliseconds)ms"
    }
}
