import Foundation

/// A per-test directory under the system's temporary directory, removed when the test ends.
package final class TemporaryDirectory: Sendable {
    /// The directory's path.
    package let path: String

    /// Creates a fresh, empty directory whose name starts with `prefix`.
    package init(prefix: String = "logfold-test") throws {
        let base = FileManager.default.temporaryDirectory.path
        path = base + "/" + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// A path inside the directory.
    package func file(_ name: String) -> String { path + "/" + name }
}
