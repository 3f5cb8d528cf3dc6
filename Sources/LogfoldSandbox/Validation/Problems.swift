/// Collects every problem of a body while walking it, so one 400 lists them all (all-or-nothing
/// validation), and offers the typed field readers the validators share.
struct Problems {
    var errors: [SandboxAPIError] = []

    var isEmpty: Bool { errors.isEmpty }

    mutating func add(_ pointer: JSONPointer, _ detail: String) {
        errors.append(.invalid(pointer, detail))
    }

    /// Throws the collected problems, if any.
    func check() throws(SandboxRejection) {
        if !errors.isEmpty { throw SandboxRejection(errors) }
    }

    /// The object at `pointer`, or records that one was required.
    mutating func object(_ value: SandboxJSON?, _ pointer: JSONPointer) -> SandboxJSON? {
        guard let value else {
            add(pointer, "'\(lastComponent(pointer))' is required and must be an object.")
            return nil
        }
        guard case .object = value else {
            add(pointer, "'\(lastComponent(pointer))' must be an object, got \(value.typeName).")
            return nil
        }
        return value
    }

    /// The array at `pointer`, or records that one was required.
    mutating func array(_ value: SandboxJSON?, _ pointer: JSONPointer) -> [SandboxJSON]? {
        guard let value else {
            add(pointer, "'\(lastComponent(pointer))' is required and must be an array.")
            return nil
        }
        guard case .array(let elements) = value else {
            add(pointer, "'\(lastComponent(pointer))' must be an array, got \(value.typeName).")
            return nil
        }
        return elements
    }

    /// Checks a resource's `type` member equals `expected`.
    mutating func type(_ resource: SandboxJSON, _ expected: String, _ pointer: JSONPointer) {
        let at = pointer.appending("type")
        switch resource["type"] {
        case .string(let t) where t == expected: return
        case .string(let t): add(at, "Unknown type '\(t)'; expected '\(expected)'.")
        case nil: add(at, "'type' is required and must be '\(expected)'.")
        case let other?: add(at, "'type' must be the string '\(expected)', got \(other.typeName).")
        }
    }

    /// An optional string field: `.keep` when absent, `.clear` when null.
    mutating func optionalString(_ value: SandboxJSON?, _ pointer: JSONPointer) -> FieldUpdate<String> {
        switch value {
        case nil: return .keep
        case .null?: return .clear
        case .string(let s)?: return .set(s)
        case let other?:
            add(pointer, "'\(lastComponent(pointer))' must be a string or null, got \(other.typeName).")
            return .keep
        }
    }

    /// Records members of `object` not named in `allowed` (JSON:API attributes are a closed set).
    mutating func unknownMembers(_ object: SandboxJSON, allowed: Set<String>, _ pointer: JSONPointer) {
        for member in object.objectMembers ?? [] where !allowed.contains(member.key) {
            add(pointer.appending(member.key), "'\(member.key)' is not a valid field here.")
        }
    }

    private func lastComponent(_ pointer: JSONPointer) -> String {
        pointer.path.split(separator: "/").last.map(String.init) ?? "data"
    }
}
