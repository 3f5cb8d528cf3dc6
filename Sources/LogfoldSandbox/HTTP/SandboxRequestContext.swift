package import Hummingbird
package import NIOCore

/// The request context: Hummingbird's core storage plus the connection's channel, which the `reset`
/// and `timeout` faults close without answering.
package struct SandboxRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    package var coreContext: CoreRequestContextStorage
    /// The connection the request came on.
    package let channel: any Channel

    /// Creates the context of a request arriving on `source.channel`.
    package init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        channel = source.channel
    }

    /// Bodies are collected by the handlers with their own limit (5 MB, answered 413 beyond).
    package var maxUploadSize: Int { 6 * 1024 * 1024 }
}
