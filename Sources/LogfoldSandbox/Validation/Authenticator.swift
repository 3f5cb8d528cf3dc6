/// Checks the `Authorization: Klaviyo-API-Key <key>` header the way Klaviyo answers it: no or an
/// unknown key → 401 `not_authenticated`; a known key without the needed scopes → 403
/// `permission_denied`.
package struct Authenticator: Sendable, Hashable {
    /// The one key accepted; `nil` accepts any private key (`pk_…`).
    package var apiKey: String?
    /// Keys that authenticate but lack scopes (403); any key starting `pk_noscope` too.
    package var forbiddenKeys: Set<String>

    /// Creates an authenticator.
    package init(apiKey: String?, forbiddenKeys: Set<String> = []) {
        self.apiKey = apiKey
        self.forbiddenKeys = forbiddenKeys
    }

    /// `nil` when `header` authorises the request, else the error to answer.
    package func check(_ header: String?) -> SandboxAPIError? {
        let scheme = "Klaviyo-API-Key "
        guard let header, header.hasPrefix(scheme) else {
            return Self.unauthenticated(
                header == nil
                    ? "Missing Authorization header; send 'Authorization: Klaviyo-API-Key <private key>'."
                    : "Malformed Authorization header; expected 'Klaviyo-API-Key <private key>'.")
        }
        let key = String(header.dropFirst(scheme.count)).trimming(" ")
        if forbiddenKeys.contains(key) || key.hasPrefix("pk_noscope") {
            return SandboxAPIError(
                status: 403, code: "permission_denied", title: "You do not have permission to perform this action.",
                detail: "This API key is missing the scopes this endpoint needs.")
        }
        if let apiKey {
            guard key == apiKey else { return Self.unauthenticated("Incorrect API key.") }
        } else if !key.hasPrefix("pk_") {
            return Self.unauthenticated("Incorrect API key: a private key starts with 'pk_'.")
        }
        return nil
    }

    private static func unauthenticated(_ detail: String) -> SandboxAPIError {
        SandboxAPIError(
            status: 401, code: "not_authenticated", title: "Authentication credentials were not provided.",
            detail: detail)
    }
}
