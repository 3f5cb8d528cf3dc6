/// Parses and validates one JSON Lines entry against input contract v1.
///
/// A specialised parser, because parsing is the bottleneck of importing a platform's whole history:
/// Foundation's `JSONDecoder` reads about 70,000 entries a second per core. It is held to Foundation's
/// verdicts and values by a differential test (`EntryParserDifferentialTests`); where it is stricter
/// (trailing commas, duplicate members, impossible dates) the test says so.
package struct EntryParser: Sendable {
    /// Lines longer than this are rejected before parsing; a runaway line must not exhaust memory.
    package var maximumLineLength: Int

    /// Creates a parser; the default limit is 1 MiB, hundreds of times a real entry.
    package init(maximumLineLength: Int = 1 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Parses one line (without its newline).
    package func parse(_ line: [UInt8]) throws(Rejection) -> LogEntry {
        let result = line.withUnsafeBytes { buffer in
            Result { () throws(Rejection) in try parse(buffer) }
        }
        return try result.get()
    }

    /// Parses one line (without its newline) held in `bytes`.
    package func parse(_ bytes: UnsafeRawBufferPointer) throws(Rejection) -> LogEntry {
        guard bytes.count <= maximumLineLength else {
            throw Rejection(
                .tooLong, field: nil,
                reason: "the line is \(bytes.count) bytes, more than the limit of \(maximumLineLength)",
                remedy: "check that entries are separated by newlines, or raise --max-line-bytes")
        }
        var scanner = JSONScanner(bytes)
        guard let first = scanner.peek() else {
            throw Rejection(.notAnObject, field: nil, reason: "the line is empty", remedy: "remove blank lines")
        }
        guard first == UInt8(ascii: "{") else {
            if scanner.nextValueKind() == nil { throw scanner.syntaxError("expected `{`", field: nil) }
            var probe = scanner
            try probe.skipValue(field: nil)
            guard probe.atEnd() else { throw probe.syntaxError("unexpected text after the value", field: nil) }
            throw Rejection(
                .notAnObject, field: nil, reason: "the line is \(scanner.nextValueKind() ?? "a value"), not an object",
                remedy: "send one JSON object per line")
        }
        let entry = try parseEnvelope(&scanner)
        guard scanner.atEnd() else {
            var rejection = scanner.syntaxError("unexpected text after the entry", field: nil)
            rejection.entryID = entry.id
            throw rejection
        }
        return entry
    }

    private struct Seen: OptionSet {
        let rawValue: UInt8
        static let id = Seen(rawValue: 1 << 0)
        static let at = Seen(rawValue: 1 << 1)
        static let type = Seen(rawValue: 1 << 2)
        static let customer = Seen(rawValue: 1 << 3)
        static let order = Seen(rawValue: 1 << 4)
        static let cart = Seen(rawValue: 1 << 5)
        static let data = Seen(rawValue: 1 << 6)
    }

    private func parseEnvelope(_ s: inout JSONScanner) throws(Rejection) -> LogEntry {
        s.index += 1  // `{`
        var seen: Seen = []
        var id: UInt64?
        var at: Timestamp?
        var type: String?
        var customer: CustomerSnapshot?
        var order: OrderSnapshot?
        var cart: CartSnapshot?
        var data: JSONValue?
        func mark(_ member: Seen, _ name: String, _ offset: Int) throws(Rejection) {
            if seen.contains(member) { throw s.duplicate(name, at: offset) }
            seen.insert(member)
        }
        do throws(Rejection) {
            if !s.consume(UInt8(ascii: "}")) {
                repeat {
                    let offset = s.index
                    let key = try s.readKey(field: nil)
                    if key.equals("id") {
                        try mark(.id, "id", offset)
                        id = try parseID(&s)
                    } else if key.equals("at") {
                        try mark(.at, "at", offset)
                        at = try s.optionalTimestamp(field: "at")
                    } else if key.equals("type") {
                        try mark(.type, "type", offset)
                        let valueOffset = s.index
                        type = try s.optionalString(field: "type")
                        if type?.isEmpty == true {
                            throw s.invalid(
                                "the type is empty", field: "type",
                                remedy: "send the platform's type, e.g. `order.created`", at: valueOffset)
                        }
                    } else if key.equals("customer") {
                        try mark(.customer, "customer", offset)
                        customer = try parseCustomer(&s)
                    } else if key.equals("order") {
                        try mark(.order, "order", offset)
                        order = try parseOrder(&s)
                    } else if key.equals("cart") {
                        try mark(.cart, "cart", offset)
                        cart = try parseCart(&s)
                    } else if key.equals("data") {
                        try mark(.data, "data", offset)
                        if !s.consumeNull() {
                            guard s.peek() == UInt8(ascii: "{") else { throw s.wrongType("an object", field: "data") }
                            data = try s.readValue(field: "data")
                        }
                    } else {
                        // Unknown members stay in the journal's copy of the line; projectors ignore them.
                        try s.skipValue(field: key.text)
                    }
                } while try s.nextMember(field: nil)
            }
        } catch var rejection {
            rejection.entryID = id
            throw rejection
        }
        guard let id else { throw missing("id", "the platform's log entry id, a positive integer") }
        guard let at else { throw missing("at", "when it happened, e.g. 2020-05-15T13:03:56-04:00", id) }
        guard let type else { throw missing("type", "what happened, e.g. `order.created`", id) }
        return LogEntry(id: id, at: at, type: type, customer: customer, order: order, cart: cart, data: data)
    }

    private func parseID(_ s: inout JSONScanner) throws(Rejection) -> UInt64? {
        switch s.peek() {
        case UInt8(ascii: "-"), (UInt8(ascii: "0")...UInt8(ascii: "9"))?:
            let number = try s.readNumber(field: "id")
            // At most Int64.max, so every id fits SQLite's integer columns and the schema's maximum.
            guard let value = number.unsignedValue, value > 0, value <= UInt64(Int64.max) else {
                throw s.invalid(
                    "the id must be a positive whole number up to 9223372036854775807", field: "id",
                    remedy: "send the platform's log entry id unchanged", at: number.range.lowerBound)
            }
            return value
        case UInt8(ascii: "n") where s.consumeNull():
            return nil
        default:
            throw s.wrongType("a positive integer", field: "id")
        }
    }

    private func missing(_ field: String, _ what: String, _ id: UInt64? = nil) -> Rejection {
        var rejection = Rejection(
            .missingField, field: field, reason: "the required member is missing or null",
            remedy: "add `\(field)`: \(what)")
        rejection.entryID = id
        return rejection
    }
}
