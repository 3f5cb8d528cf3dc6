/// Parses and validates one JSON Lines entry against input contract v1.
///
/// A specialised parser, because parsing is the bottleneck of importing a platform's whole history:
/// Foundation's `JSONDecoder` reads about 70,000 entries a second per core. It reads a line once into
/// slots (where each value is, validated) and from those either builds a ``LogEntry`` or writes the
/// compact form directly (``transcode(_:workspace:into:)``), which allocates nothing per value. It is
/// held to Foundation's verdicts and values by a differential test (`EntryParserDifferentialTests`);
/// where it is stricter (trailing commas, duplicate members, impossible dates) the test says so.
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
        var workspace = ParseWorkspace()
        return try parse(bytes, workspace: &workspace)
    }

    /// Parses one line, reusing `workspace`'s buffers.
    package func parse(_ bytes: UnsafeRawBufferPointer, workspace: inout ParseWorkspace) throws(Rejection) -> LogEntry {
        workspace.reset()
        var scanner = JSONScanner(bytes)
        let slots = try readEntry(&scanner, &workspace)
        return materialize(slots, scanner: scanner, workspace: workspace)
    }

    /// Validates one line and appends its compact form (``CompactEntryCodec``) to `writer`, returning the
    /// entry id.
    ///
    /// Byte for byte what `CompactEntryCodec.encode(parse(line))` gives, without building the entry:
    /// the ingest hot path.
    package func transcode(
        _ bytes: UnsafeRawBufferPointer, workspace: inout ParseWorkspace, into writer: inout CompactWriter
    ) throws(Rejection) -> UInt64 {
        workspace.reset()
        var scanner = JSONScanner(bytes)
        let slots = try readEntry(&scanner, &workspace)
        CompactEntryCodec.encode(slots, scanner: scanner, workspace: workspace, into: &writer)
        return slots.id
    }

    private func readEntry(_ scanner: inout JSONScanner, _ workspace: inout ParseWorkspace) throws(Rejection)
        -> EntrySlots
    {
        guard bytes(scanner) <= maximumLineLength else {
            throw Rejection(
                .tooLong, field: nil,
                reason: "the line is \(bytes(scanner)) bytes, more than the limit of \(maximumLineLength)",
                remedy: "check that entries are separated by newlines, or raise --max-line-bytes")
        }
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
        let slots = try readEnvelope(&scanner, &workspace)
        guard scanner.atEnd() else {
            var rejection = scanner.syntaxError("unexpected text after the entry", field: nil)
            rejection.entryID = slots.id
            throw rejection
        }
        return slots
    }

    private func bytes(_ scanner: JSONScanner) -> Int { scanner.bytes.count }

    static let envelopeMembers: [StaticString] = ["id", "at", "type", "customer", "order", "cart", "data"]

    private func readEnvelope(_ s: inout JSONScanner, _ ws: inout ParseWorkspace) throws(Rejection) -> EntrySlots {
        s.index += 1  // `{`
        var e = EntrySlots()
        var seen: UInt32 = 0  // members met, to refuse a second copy
        var present: UInt32 = 0  // required members met with a non-null value
        do throws(Rejection) {
            if !s.consume(UInt8(ascii: "}")) {
                repeat {
                    let offset = s.index
                    let key = try s.readKey(field: nil)
                    guard let i = key.index(in: Self.envelopeMembers) else {
                        // Unknown members stay in the journal's copy of the line; projectors ignore them.
                        try s.skipValue(field: key.text)
                        continue
                    }
                    let name = Self.envelopeMembers[i].description
                    guard seen & (1 << i) == 0 else { throw s.duplicate(name, at: offset) }
                    seen |= 1 << i
                    switch i {
                    case 0:
                        // `null` for a required member counts as missing.
                        e.id = try readID(&s)
                        if e.id != 0 { present |= 1 }
                    case 1:
                        if let at = try s.optionalInstant(field: "at", scratch: &ws.scratch) {
                            e.at = at
                            present |= 2
                        }
                    case 2:
                        if try readType(&s, &ws, into: &e) { present |= 4 }
                    case 3: e.customer = try readCustomer(&s, &ws)
                    case 4: e.order = try readOrder(&s, &ws)
                    case 5: e.cart = try readCart(&s, &ws)
                    default:
                        if !s.consumeNull() {
                            guard s.peek() == UInt8(ascii: "{") else { throw s.wrongType("an object", field: "data") }
                            e.data = try s.readValue(field: "data")
                        }
                    }
                } while try s.nextMember(field: nil)
            }
        } catch var rejection {
            rejection.entryID = e.id == 0 ? nil : e.id
            throw rejection
        }
        guard present & 1 != 0 else { throw missing("id", "the platform's log entry id, a positive integer") }
        guard present & 2 != 0 else { throw missing("at", "when it happened, e.g. 2020-05-15T13:03:56-04:00", e.id) }
        guard present & 4 != 0 else { throw missing("type", "what happened, e.g. `order.created`", e.id) }
        return e
    }

    /// Reads `type`; returns `false` for `null`.
    private func readType(_ s: inout JSONScanner, _ ws: inout ParseWorkspace, into e: inout EntrySlots)
        throws(Rejection)
        -> Bool
    {
        let offset = s.index
        guard let type = try s.optionalText(field: "type", scratch: &ws.scratch) else { return false }
        guard !type.isEmpty else {
            throw s.invalid(
                "the type is empty", field: "type", remedy: "send the platform's type, e.g. `order.created`", at: offset
            )
        }
        e.type = type
        return true
    }

    private func readID(_ s: inout JSONScanner) throws(Rejection) -> UInt64 {
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
            return 0
        default:
            throw s.wrongType("a positive integer", field: "id")
        }
    }

    func missing(_ field: String, _ what: String, _ id: UInt64? = nil) -> Rejection {
        var rejection = Rejection(
            .missingField, field: field, reason: "the required member is missing or null",
            remedy: "add `\(field)`: \(what)")
        rejection.entryID = id
        return rejection
    }
}
