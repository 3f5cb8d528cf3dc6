/// The Klaviyo endpoints logfold calls, each with its own rate-limit budget.
///
/// Klaviyo limits every endpoint separately, per account, in fixed windows of one second (burst) and
/// sixty seconds (steady); the defaults are the published figures of `klaviyo-api.md`.
package enum KlaviyoEndpoint: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `POST /api/events`: Create Event, one event.
    case createEvent = "events"
    /// `POST /api/event-bulk-create-jobs`: up to 1,000 events grouped by profile.
    case bulkCreateEvents = "event-bulk-create-jobs"
    /// `POST /api/profile-import`: one profile upsert, answers the profile id.
    case profileImport = "profile-import"
    /// `POST /api/profile-bulk-import-jobs`: up to 10,000 profile upserts, optionally into lists.
    case profileBulkImport = "profile-bulk-import-jobs"
    /// `GET /api/profile-bulk-import-jobs/{id}` and its import errors: how a bulk import ended.
    case profileBulkImportJob = "profile-bulk-import-jobs-get"
    /// `POST /api/profile-suppression-bulk-create-jobs`: suppress up to 100 emails.
    case suppress = "profile-suppression-bulk-create-jobs"
    /// `POST /api/profile-suppression-bulk-delete-jobs`: lift suppression of up to 100 emails.
    case unsuppress = "profile-suppression-bulk-delete-jobs"
    /// `POST`/`DELETE /api/lists/{id}/relationships/profiles`: up to 1,000 profile ids.
    case listRelationships = "list-relationships"
    /// `GET`/`POST /api/lists`: find a list by name, or create it.
    case lists = "lists"

    /// The published limits: burst per second and steady per minute.
    package var defaultLimits: [RateWindow] {
        switch self {
        case .createEvent: [RateWindow(limit: 350, seconds: 1), RateWindow(limit: 3_500, seconds: 60)]
        case .bulkCreateEvents, .profileBulkImport, .profileBulkImportJob, .listRelationships, .lists:
            [RateWindow(limit: 10, seconds: 1), RateWindow(limit: 150, seconds: 60)]
        case .profileImport, .suppress, .unsuppress:
            [RateWindow(limit: 75, seconds: 1), RateWindow(limit: 750, seconds: 60)]
        }
    }

    /// Sorts by name, so reports list endpoints in a stable order.
    package static func < (lhs: KlaviyoEndpoint, rhs: KlaviyoEndpoint) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// A limit of `limit` calls in any window of `seconds` seconds.
package struct RateWindow: Sendable, Hashable, CustomStringConvertible {
    /// Calls allowed in one window.
    package var limit: Int
    /// The window's length in seconds.
    package var seconds: Int

    /// Creates a window.
    package init(limit: Int, seconds: Int) {
        self.limit = limit
        self.seconds = seconds
    }

    /// `10/1s`: the form `--rate-limits` takes.
    package var description: String { "\(limit)/\(seconds)s" }
}
