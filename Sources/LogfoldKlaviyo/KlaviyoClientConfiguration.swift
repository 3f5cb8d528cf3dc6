/// How to reach Klaviyo: base URL, key, revision, limits and timeouts.
package struct KlaviyoClientConfiguration: Sendable {
    /// `https://a.klaviyo.com`, or the sandbox's `http://127.0.0.1:PORT`.
    package var baseURL: String
    /// The private API key (`pk_…`); never printed.
    package var apiKey: String
    /// The `revision` header.
    package var revision: String
    /// Client-side pacing per endpoint.
    package var rateLimits: KlaviyoRateLimits
    /// Seconds before a call without an answer counts as failed.
    package var timeoutSeconds: Int64
    /// Connections kept open to Klaviyo.
    package var connections: Int

    /// The default base URL.
    package static let klaviyoURL = "https://a.klaviyo.com"

    /// Creates a configuration.
    package init(
        baseURL: String = klaviyoURL, apiKey: String, revision: String = KlaviyoRevision.pinned,
        rateLimits: KlaviyoRateLimits = .defaults, timeoutSeconds: Int64 = 60, connections: Int = 8
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.revision = revision
        self.rateLimits = rateLimits
        self.timeoutSeconds = timeoutSeconds
        self.connections = connections
    }

    /// Whether the revision takes `backfill` (2026-04-15 and later).
    package var supportsBackfill: Bool { revision >= "2026-04-15" }
}
