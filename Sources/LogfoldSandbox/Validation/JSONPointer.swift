/// An RFC 6901 JSON pointer such as `/data/attributes/events-bulk-create/data/3/attributes/time`.
///
/// Built while walking a request body, so each validation error names the exact field a client must
/// fix (or split out of a bulk request).
package struct JSONPointer: Sendable, Hashable, CustomStringConvertible {
    /// The pointer's text; empty for the whole document.
    package private(set) var path: String

    /// The pointer to the whole document.
    package static let root = JSONPointer(path: "")

    /// A pointer from its text (trusted: used for constants such as `/data/attributes`).
    package init(path: String) { self.path = path }

    /// The pointer one member deeper, escaping `~` and `/` as the RFC requires.
    package func appending(_ key: String) -> JSONPointer {
        // Fast path: almost no key needs escaping, and this runs for every field of every event.
        guard key.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else {
            return JSONPointer(path: path + "/" + key)
        }
        let escaped = key.replacing("~", with: "~0").replacing("/", with: "~1")
        return JSONPointer(path: path + "/" + escaped)
    }

    /// The pointer one array element deeper.
    package func appending(_ index: Int) -> JSONPointer {
        JSONPointer(path: path + "/" + String(index))
    }

    /// The pointer several members deeper.
    package func appending(path keys: String...) -> JSONPointer {
        keys.reduce(self) { $0.appending($1) }
    }

    /// The text.
    package var description: String { path }
}
