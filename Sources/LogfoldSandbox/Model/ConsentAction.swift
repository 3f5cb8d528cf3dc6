/// The four consent jobs.
package enum ConsentAction: String, Sendable, Hashable {
    /// Suppress email marketing (`USER_SUPPRESSED`).
    case suppress = "profile-suppression-bulk-create-job"
    /// Lift a `USER_SUPPRESSED` suppression (and no other).
    case unsuppress = "profile-suppression-bulk-delete-job"
    /// Subscribe to email (and SMS) marketing, optionally joining a list.
    case subscribe = "profile-subscription-bulk-create-job"
    /// Unsubscribe (globally; and leave the named list).
    case unsubscribe = "profile-subscription-bulk-delete-job"
}
