extension JSONScanner {
    /// Reads any value into a ``JSONValue`` tree, keeping member order and number literals.
    package mutating func readValue(field: String, depth: Int = 0) throws(Rejection) -> JSONValue {
        guard depth < JSONScanner.maximumDepth else {
            throw Rejection(
                .malformedJSON, field: field, reason: "nesting deeper than \(JSONScanner.maximumDepth) levels",
                remedy: "flatten the value; entries never need such depth", byteOffset: index)
        }
        switch peek() {
        case UInt8(ascii: "{"):
            index += 1
            var members: [JSONValue.Member] = []
            if consume(UInt8(ascii: "}")) { return .object(members) }
            var seen = Set<String>()
            repeat {
                let offset = index
                let key = try readKey(field: field).text
                guard seen.insert(key).inserted else { throw duplicate("\(field).\(key)", at: offset) }
                members.append(JSONValue.Member(key, try readValue(field: "\(field).\(key)", depth: depth + 1)))
            } while try nextMember(field: field)
            return .object(members)
        case UInt8(ascii: "["):
            index += 1
            var elements: [JSONValue] = []
            if consume(UInt8(ascii: "]")) { return .array(elements) }
            repeat {
                elements.append(try readValue(field: "\(field)[\(elements.count)]", depth: depth + 1))
            } while try nextElement(field: field)
            try expect(UInt8(ascii: "]"), field: field)
            return .array(elements)
        case UInt8(ascii: "\""): return .string(try readString(field: field))
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool(try readBool(field: field))
        case UInt8(ascii: "n"):
            guard consumeNull() else { throw syntaxError("expected a value", field: field) }
            return .null
        default:
            let number = try readNumber(field: field)
            return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[number.range]), as: UTF8.self))
        }
    }
}
