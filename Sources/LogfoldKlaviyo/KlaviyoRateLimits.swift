/// The rate limits the sender keeps to, per endpoint: Klaviyo's published defaults unless configured.
///
/// Limits are per account and shared with every other integration on it, so an operator may lower them
/// (`--rate-limits "event-bulk-create-jobs=5/1s,100/60s"`) or, against the sandbox, lift them
/// (``lifted``) to measure logfold's own ceiling.
package struct KlaviyoRateLimits: Sendable, Hashable {
    /// Windows per endpoint; an endpoint without windows is not paced.
    package var windows: [KlaviyoEndpoint: [RateWindow]]

    /// Klaviyo's published limits.
    package static let defaults = KlaviyoRateLimits(
        windows: Dictionary(uniqueKeysWithValues: KlaviyoEndpoint.allCases.map { ($0, $0.defaultLimits) })
    )

    /// No client-side pacing at all (the server's 429s still apply).
    package static let lifted = KlaviyoRateLimits(windows: [:])

    /// Creates limits from explicit windows.
    package init(windows: [KlaviyoEndpoint: [RateWindow]]) {
        self.windows = windows
    }

    /// The windows of `endpoint`.
    package subscript(endpoint: KlaviyoEndpoint) -> [RateWindow] { windows[endpoint] ?? [] }

    /// The defaults with the endpoints named in `spec` replaced.
    ///
    /// `spec` is `ENDPOINT=N/Ss[,N/Ss...][;ENDPOINT=...]`, endpoint names as in the API path
    /// (`events`, `event-bulk-create-jobs`, `profile-import`, ...).
    package static func parse(_ spec: String, base: KlaviyoRateLimits = .defaults) throws(KlaviyoError)
        -> KlaviyoRateLimits
    {
        var limits = base
        for part in spec.split(separator: ";") where !part.allSatisfy(\.isWhitespace) {
            let halves = part.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
            guard halves.count == 2, let endpoint = KlaviyoEndpoint(rawValue: halves[0]) else {
                throw KlaviyoError(
                    .configuration,
                    "rate limit '\(part)' names no endpoint; use one of "
                        + KlaviyoEndpoint.allCases.map(\.rawValue).joined(separator: ", ")
                        + " as ENDPOINT=N/1s,M/60s"
                )
            }
            var windows: [RateWindow] = []
            for window in halves[1].split(separator: ",") {
                let fields = window.trimmingSpaces.split(separator: "/")
                guard fields.count == 2, let limit = Int(fields[0]), limit > 0,
                    fields[1].hasSuffix("s"), let seconds = Int(fields[1].dropLast()), seconds > 0
                else {
                    throw KlaviyoError(
                        .configuration,
                        "rate limit window '\(window)' of \(endpoint.rawValue) is not N/Ss (for example 10/1s)"
                    )
                }
                windows.append(RateWindow(limit: limit, seconds: seconds))
            }
            limits.windows[endpoint] = windows
        }
        return limits
    }

    /// Requests a minute this allows on `endpoint`, `nil` when unpaced.
    package func requestsPerMinute(_ endpoint: KlaviyoEndpoint) -> Double? {
        let rates = self[endpoint].map { Double($0.limit) * 60 / Double($0.seconds) }
        return rates.min()
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
