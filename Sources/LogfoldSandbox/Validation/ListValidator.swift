/// Pure checks of the list bodies: Create List and the profile relationship (add/remove members).
package enum ListValidator {
    /// Most profiles one relationship request may name.
    package static let maximumRelationshipProfiles = 1_000

    /// The name of a Create List body (`{"data":{"type":"list","attributes":{"name"}}}`).
    package static func createList(_ body: SandboxJSON) throws(SandboxRejection) -> String {
        var problems = Problems()
        let data = JSONPointer(path: "/data")
        guard let resource = problems.object(body["data"], data) else { throw SandboxRejection(problems.errors) }
        problems.type(resource, "list", data)
        let attributes = data.appending("attributes")
        guard let object = problems.object(resource["attributes"], attributes) else {
            throw SandboxRejection(problems.errors)
        }
        let namePointer = attributes.appending("name")
        guard case .string(let name)? = object["name"], !name.allSatisfy(\.isWhitespace) else {
            problems.add(namePointer, "The list 'name' is required and must be a non-empty string.")
            throw SandboxRejection(problems.errors)
        }
        try problems.check()
        return name
    }

    /// The profile ids of a relationship body (`{"data":[{"type":"profile","id"}]}`), at most 1,000.
    package static func profileIDs(_ body: SandboxJSON) throws(SandboxRejection) -> [String] {
        var problems = Problems()
        let data = JSONPointer(path: "/data")
        guard let elements = problems.array(body["data"], data) else { throw SandboxRejection(problems.errors) }
        guard elements.count <= maximumRelationshipProfiles else {
            throw SandboxRejection(
                .invalid(data, "\(elements.count) profiles in one request; at most \(maximumRelationshipProfiles)."))
        }
        var ids: [String] = []
        for (i, element) in elements.enumerated() {
            let at = data.appending(i)
            guard let item = problems.object(element, at) else { continue }
            problems.type(item, "profile", at)
            guard case .string(let id)? = item["id"], !id.isEmpty else {
                problems.add(at.appending("id"), "'id' is required and must be a Klaviyo profile id.")
                continue
            }
            ids.append(id)
        }
        try problems.check()
        return ids
    }

    /// The list name in a `filter=equals(name,"…")` query, `nil` for no filter, or the 400 to answer.
    package static func nameFilter(_ filter: String?) -> Result<String?, SandboxAPIError> {
        guard let filter, !filter.isEmpty else { return .success(nil) }
        let prefix = "equals(name,"
        guard filter.hasPrefix(prefix), filter.hasSuffix(")") else {
            return .failure(unsupported(filter))
        }
        var argument = String(filter.dropFirst(prefix.count).dropLast()).trimmingPrefix(" ")
        guard argument.count >= 2, let quote = argument.first, quote == "\"" || quote == "'",
            argument.last == quote
        else { return .failure(unsupported(filter)) }
        argument = argument.dropFirst().dropLast()
        return .success(String(argument).replacing("\\\"", with: "\""))
    }

    private static func unsupported(_ filter: String) -> SandboxAPIError {
        SandboxAPIError(
            status: 400, code: "invalid", title: "Invalid input.",
            detail: "Unsupported filter '\(filter)'; the sandbox supports equals(name,\"…\").", parameter: "filter")
    }
}
