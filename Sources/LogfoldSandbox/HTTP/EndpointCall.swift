internal import Hummingbird

/// One admitted `/api/` request, ready for its endpoint's handler.
struct EndpointCall: Sendable {
    var route: SandboxRoute
    var request: Request
    var body: SandboxJSON
    /// The checked revision date.
    var revision: String
    /// `http://host:port`, for `links.self`.
    var baseURL: String
}
