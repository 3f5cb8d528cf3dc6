extension JSONScanner {
    /// Reads any value into a ``JSONValue`` tree, keeping member order and number literals.
    ///
    /// `field` names the value in a rejection. The paths of nested values (`data.items[3].name`) are built
    /// only when a rejection needs one: building one per value made a large `data` cost time quadratic in
    /// its size (a long key over a long array copied the key once per element).
    package mutating func readValue(field: String, depth: Int = 0) throws(Rejection) -> JSONValue {
        var path: [PathComponent] = []
        do {
            return try readValue(path: &path, depth: depth)
        } catch {
            var rejection = error
            if rejection.field == nil { rejection.field = PathComponent.render(path, under: field) }
            throw rejection
        }
    }

    private func tooMany(_ what: String) -> Rejection {
        Rejection(
            .invalidValue, field: nil, reason: "more than \(EntryLimits.dataMembers) \(what)",
            remedy: "send at most \(EntryLimits.dataMembers) \(what) in one object or array", byteOffset: index)
    }

    /// A step from a value to one nested in it.
    enum PathComponent {
        case member(String)
        case element(Int)

        /// `base` followed by `.member` and `[element]` steps.
        static func render(_ path: [PathComponent], under base: String) -> String {
            var text = base
            for component in path {
                switch component {
                case .member(let key): text += "." + key
                case .element(let index): text += "[\(index)]"
                }
            }
            return text
        }
    }

    /// The recursion of ``readValue(field:depth:)``: rejections leave `field` `nil`, and `path` holds the
    /// steps to where one was thrown.
    private mutating func readValue(path: inout [PathComponent], depth: Int) throws(Rejection) -> JSONValue {
        guard depth < JSONScanner.maximumDepth else {
            throw Rejection(
                .malformedJSON, field: nil, reason: "nesting deeper than \(JSONScanner.maximumDepth) levels",
                remedy: "flatten the value; entries never need such depth", byteOffset: index)
        }
        switch peek() {
        case UInt8(ascii: "{"):
            index += 1
            var members: [JSONValue.Member] = []
            if consume(UInt8(ascii: "}")) { return .object(members) }
            var seen = Set<String>()
            repeat {
                guard members.count < EntryLimits.dataMembers else { throw tooMany("members") }
                let offset = index
                let key = try readKey(field: nil).text
                path.append(.member(key))
                guard seen.insert(key).inserted else {
                    var rejection = duplicate("", at: offset)
                    rejection.field = nil
                    throw rejection
                }
                members.append(JSONValue.Member(key, try readValue(path: &path, depth: depth + 1)))
                path.removeLast()
            } while try nextMember(field: nil)
            return .object(members)
        case UInt8(ascii: "["):
            index += 1
            var elements: [JSONValue] = []
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            repeat {
                guard elements.count < EntryLimits.dataMembers else { throw tooMany("elements") }
                path.append(.element(elements.count))
                elements.append(try readValue(path: &path, depth: depth + 1))
                path.removeLast()
            } while try nextElement(field: nil)
            try expect(UInt8(ascii: "]"), field: nil)
            return .array(elements)
        case UInt8(ascii: "\""): return .string(try readString(field: nil))
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try readBool(field: nil))
        case UInt8(ascii: "n"):
            guard consumeNull() else { throw syntaxError("expected a value", field: nil) }
            return .null
        default:
            let number = try readNumber(field: nil)
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[number.range]), as: UTF8.self))
        }
    }
}
