/// The Klaviyo API revision logfold speaks, sent as the `revision` header on every call.
public enum KlaviyoRevision {
    /// The revision the request bodies are written for; `backfill` needs 2026-04-15 or later.
    public static let pinned = "2026-07-15"
}
