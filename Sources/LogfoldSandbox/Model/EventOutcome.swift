/// What became of a request's events.
package struct EventOutcome: Sendable, Hashable {
    /// Events stored.
    package var accepted = 0
    /// Events dropped as repeats of a stored (or earlier in the request) event.
    package var deduplicated = 0
}
