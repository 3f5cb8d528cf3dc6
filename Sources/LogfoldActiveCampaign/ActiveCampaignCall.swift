/// One HTTP call to ActiveCampaign, as bytes ready to send: built by pure functions, so the same
/// message always makes the same request (goldens compare them byte for byte).
package struct ActiveCampaignCall: Sendable, Hashable {
    /// Where a call goes: the account's API (`ACTIVECAMPAIGN_URL` + `/api/3`) or the tracking endpoint.
    package enum Target: Sendable, Hashable {
        /// A path under `/api/3`, with its query, for example `/contact/sync` or `/tags?filters[search][eq]=x`.
        case api(String)
        /// `POST https://trackcmp.net/event` (or `ACTIVECAMPAIGN_EVENT_URL`): form-encoded, no `Api-Token`.
        case tracking
    }

    /// The HTTP method.
    package enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
        case delete = "DELETE"
    }

    /// The method.
    package var method: Method
    /// Where it goes.
    package var target: Target
    /// The body (`[]` for GET and DELETE).
    package var body: [UInt8]
    /// The body's content type: JSON for the API, a form for tracking.
    package var contentType: String?

    /// Creates a call.
    package init(_ method: Method, _ target: Target, body: [UInt8] = [], contentType: String? = nil) {
        self.method = method
        self.target = target
        self.body = body
        self.contentType = body.isEmpty ? nil : (contentType ?? "application/json")
    }

    /// The call's endpoint for metrics and logs: method and path without query, ids as `{id}`
    /// (`POST /contactTags`, `GET /contacts/{id}/contactTags`, `POST /event` for tracking).
    package var endpoint: String {
        switch target {
        case .tracking: return "\(method.rawValue) /event"
        case .api(let path):
            let bare = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
            let segments = bare.split(separator: "/", omittingEmptySubsequences: false).map { segment in
                !segment.isEmpty && segment.allSatisfy(\.isNumber) ? "{id}" : String(segment)
            }
            return "\(method.rawValue) " + segments.joined(separator: "/")
        }
    }

    /// Whether sending the call twice (a lost answer, a crash before marking) leaves ActiveCampaign as once.
    ///
    /// True of a sync by email, a list status, a tag removal, a lookup; not of creating a contact-tag,
    /// an order or a tracked event.
    package var isIdempotent: Bool {
        switch (method, target) {
        case (.get, _), (.put, _), (.delete, _): true
        case (.post, .api(let path)):
            path == "/contact/sync" || path == "/contactLists" || path == "/import/bulk_import"
        case (.post, .tracking): false
        }
    }
}
