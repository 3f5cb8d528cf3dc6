/// A malformed `--rate-limits` or `--faults` specification.
package struct SandboxSpecError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and how to write it.
    package let description: String

    /// Creates an error.
    package init(_ description: String) { self.description = description }

    /// A duration such as `200ms`, `2s`, `1m` or a bare number of seconds, in milliseconds.
    static func milliseconds(_ text: String) -> Int64? {
        if text.hasSuffix("ms") { return Int64(text.dropLast(2)) }
        if text.hasSuffix("s"), let seconds = Double(text.dropLast()) { return Int64((seconds * 1000).rounded()) }
        if text.hasSuffix("m"), let minutes = Int64(text.dropLast()) { return minutes * 60_000 }
        if let seconds = Double(text) { return Int64((seconds * 1000).rounded()) }
        return nil
    }
}
