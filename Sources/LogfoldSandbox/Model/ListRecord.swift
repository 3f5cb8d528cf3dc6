/// A stored list.
package struct ListRecord: Sendable, Hashable {
    /// The list id (`SB0001`…).
    package var id: String
    /// The list's name (not unique, as at Klaviyo).
    package var name: String
    /// Creation time (Unix ms).
    package var created: Int64
    /// Last update (Unix ms).
    package var updated: Int64

    /// The JSON:API resource, with `links.self` under `baseURL`.
    package func resource(baseURL: String) -> SandboxJSON {
        .object([
            "type": "list",
            "id": .string(id),
            "attributes": .object([
                "name": .string(name),
                "created": .string(Timestamp.format(unixSeconds: created / 1000)),
                "updated": .string(Timestamp.format(unixSeconds: updated / 1000)),
                "opt_in_process": "single_opt_in",
            ]),
            "links": .object(["self": .string("\(baseURL)/api/lists/\(id)/")]),
        ])
    }
}
