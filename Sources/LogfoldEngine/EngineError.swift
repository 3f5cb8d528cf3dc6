/// A failure of an engine service: what happened, where, and what to do.
///
/// Shaped like swift-nio's `FileSystemError`: an extensible code, a message, a remedy, an optional
/// underlying cause, and the throw site for bug reports.
package struct EngineError: Error, Sendable, CustomStringConvertible {
    /// The class of the failure.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        package let rawValue: String
        package var description: String { rawValue }

        /// Reading or writing a file or stream failed.
        package static let io = Code(rawValue: "io")
        /// The journal refused an operation.
        package static let journal = Code(rawValue: "journal")
        /// A command-line value or configuration is not usable.
        package static let configuration = Code(rawValue: "configuration")
        /// A stored record could not be decoded.
        package static let corrupt = Code(rawValue: "corrupt")
        /// Something was asked for that does not exist.
        package static let notFound = Code(rawValue: "not_found")
        /// A remote service kept failing.
        package static let network = Code(rawValue: "network")
    }

    package var code: Code
    package var message: String
    package var remedy: String
    package var cause: (any Error & Sendable)?
    package var file: String
    package var line: Int

    /// Creates an error at the call site.
    package init(
        _ code: Code, _ message: String, remedy: String, cause: (any Error & Sendable)? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.remedy = remedy
        self.cause = cause
        self.file = file
        self.line = line
    }

    /// One line for an operator: the message and what to do.
    package var description: String { "\(message); \(remedy)" }
}
