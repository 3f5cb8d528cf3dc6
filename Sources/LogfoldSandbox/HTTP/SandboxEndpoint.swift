/// The Klaviyo operations the sandbox serves, named as `--rate-limits` names them.
package enum SandboxEndpoint: String, Sendable, Hashable, CaseIterable {
    /// `POST /api/events` (Create Event).
    case events = "events"
    /// `POST /api/event-bulk-create-jobs` (Bulk Create Events).
    case eventBulkCreate = "event-bulk-create-jobs"
    /// `POST /api/profile-import` (Create or Update Profile).
    case profileImport = "profile-import"
    /// `POST /api/profile-bulk-import-jobs` (Bulk Import Profiles).
    case profileBulkImport = "profile-bulk-import-jobs"
    /// `GET /api/profile-bulk-import-jobs/{id}` and `…/{id}/import-errors`.
    case profileBulkImportGet = "profile-bulk-import-jobs-get"
    /// `POST /api/profile-suppression-bulk-create-jobs` (suppress).
    case suppressionCreate = "profile-suppression-bulk-create-jobs"
    /// `POST /api/profile-suppression-bulk-delete-jobs` (unsuppress).
    case suppressionDelete = "profile-suppression-bulk-delete-jobs"
    /// `POST /api/profile-subscription-bulk-create-jobs` (subscribe).
    case subscriptionCreate = "profile-subscription-bulk-create-jobs"
    /// `POST /api/profile-subscription-bulk-delete-jobs` (unsubscribe).
    case subscriptionDelete = "profile-subscription-bulk-delete-jobs"
    /// `POST /api/lists`.
    case listsCreate = "lists-create"
    /// `GET /api/lists`.
    case listsGet = "lists-get"
    /// `POST /api/lists/{id}/relationships/profiles`.
    case listProfilesAdd = "list-profiles-add"
    /// `DELETE /api/lists/{id}/relationships/profiles`.
    case listProfilesRemove = "list-profiles-remove"
}

/// A matched `/api/` request: the operation and the id in its path, if any.
package struct SandboxRoute: Sendable, Hashable {
    /// The operation.
    package var endpoint: SandboxEndpoint
    /// The `{id}` path parameter (list or job id).
    package var id: String?
    /// For a bulk import job, whether `/import-errors` was asked.
    package var importErrors = false

    /// Matches `method` and `path` (query excluded); a trailing slash is ignored as Klaviyo does.
    package static func match(method: String, path: String) -> Result<SandboxRoute, SandboxAPIError> {
        let parts = path.split(separator: "/").map(String.init)
        guard parts.first == "api" else { return .failure(.notFound("No such endpoint: \(path).")) }
        let rest = Array(parts.dropFirst())
        func only(_ allowed: String, _ endpoint: SandboxEndpoint, id: String? = nil, errors: Bool = false)
            -> Result<SandboxRoute, SandboxAPIError>
        {
            guard method == allowed else {
                return .failure(
                    SandboxAPIError(
                        status: 405, code: "method_not_allowed", title: "Method not allowed.",
                        detail: "\(method) is not allowed on \(path); use \(allowed)."))
            }
            return .success(SandboxRoute(endpoint: endpoint, id: id, importErrors: errors))
        }
        switch rest.count {
        case 1:
            switch rest[0] {
            case "events": return only("POST", .events)
            case "event-bulk-create-jobs": return only("POST", .eventBulkCreate)
            case "profile-import": return only("POST", .profileImport)
            case "profile-bulk-import-jobs": return only("POST", .profileBulkImport)
            case "profile-suppression-bulk-create-jobs": return only("POST", .suppressionCreate)
            case "profile-suppression-bulk-delete-jobs": return only("POST", .suppressionDelete)
            case "profile-subscription-bulk-create-jobs": return only("POST", .subscriptionCreate)
            case "profile-subscription-bulk-delete-jobs": return only("POST", .subscriptionDelete)
            case "lists": return method == "GET" ? only("GET", .listsGet) : only("POST", .listsCreate)
            default: break
            }
        case 2 where rest[0] == "profile-bulk-import-jobs":
            return only("GET", .profileBulkImportGet, id: rest[1])
        case 3 where rest[0] == "profile-bulk-import-jobs" && rest[2] == "import-errors":
            return only("GET", .profileBulkImportGet, id: rest[1], errors: true)
        case 4 where rest[0] == "lists" && rest[2] == "relationships" && rest[3] == "profiles":
            return method == "DELETE"
                ? only("DELETE", .listProfilesRemove, id: rest[1]) : only("POST", .listProfilesAdd, id: rest[1])
        default: break
        }
        return .failure(.notFound("No such endpoint: \(method) \(path)."))
    }
}
