/// A message's properties as its outbox body holds them, already written as JSON text: what an event's
/// request carries, without the `JSONValue` tree that decoding builds and rendering walks.
///
/// The sender renders one Klaviyo item per event row; going through a tree cost an allocation per
/// member and string. ``value`` still gives the tree, decoded on demand, for whatever needs it.
package struct EncodedProperties: Sendable {
    /// The JSON text, byte for byte what ``value``'s `write(into:)` writes.
    package var json: [UInt8] { jsonRange == buffer.indices ? buffer : Array(buffer[jsonRange]) }
    /// How many bytes ``json`` has.
    package var jsonCount: Int { jsonRange.count }
    /// How many members the properties have when they are an object (Klaviyo takes at most 400); 0 otherwise.
    package let memberCount: Int
    /// Where the JSON text is: a buffer of its own, or the request item it was written into
    /// (``Written``), shared, not copied.
    private let buffer: [UInt8]
    private let jsonRange: Range<Int>
    /// The whole body (shared with the row it came from, not copied) and where the properties are in it,
    /// for ``value``.
    private let body: [UInt8]
    private let range: Range<Int>
    /// Whether the properties are in ``BodyPropertiesCodec``'s form (body version 2 on) or the journal's.
    private let coded: Bool

    /// Properties written as JSON text into a caller's buffer that is not finished yet: become
    /// ``EncodedProperties`` with ``EncodedProperties/init(_:in:)`` once it is.
    package struct Written: Sendable {
        fileprivate let jsonRange: Range<Int>
        fileprivate let memberCount: Int
        fileprivate let body: [UInt8]
        fileprivate let range: Range<Int>
        fileprivate let coded: Bool
    }

    /// Reads the properties at the reader's position in `body`, checking them as the decoder does.
    init(_ r: inout CompactReader, coded: Bool, in body: [UInt8]) throws(CompactDecodingError) {
        var json: [UInt8] = []
        json.reserveCapacity(256)
        self.init(try Self.write(&r, coded: coded, in: body, into: &json), in: json)
    }

    /// The properties `written` into `buffer`, which is finished (no byte will be added to it: it is
    /// shared from here on).
    package init(_ written: Written, in buffer: [UInt8]) {
        self.buffer = buffer
        self.jsonRange = written.jsonRange
        self.memberCount = written.memberCount
        self.body = written.body
        self.range = written.range
        self.coded = written.coded
    }

    /// Writes the properties at the reader's position in `body` as JSON text at the end of `out`, checking
    /// them as the decoder does: the sender writes them straight into an event's request item.
    static func write(_ r: inout CompactReader, coded: Bool, in body: [UInt8], into out: inout [UInt8])
        throws(CompactDecodingError) -> Written
    {
        let start = r.index
        let header = r
        let jsonStart = out.count
        if coded {
            try BodyPropertiesCodec.writeJSON(&r, into: &out)
        } else {
            try BodyPropertiesCodec.writePlainJSON(&r, depth: 0, into: &out)
        }
        // Read after the whole value was: a damaged body throws the decoder's error, not this one's.
        return Written(
            jsonRange: jsonStart..<out.count, memberCount: (try? memberCount(of: header)) ?? 0, body: body,
            range: start..<r.index, coded: coded)
    }

    /// Appends the JSON text to `out`.
    package func appendJSON(to out: inout [UInt8]) {
        out.append(contentsOf: buffer[jsonRange])
    }

    /// The properties as a tree: what ``ProjectionCodec/decodeBody(_:)`` gives for the same body.
    ///
    /// Decoded on every call: the sender's hot path writes ``json`` instead.
    package var value: JSONValue {
        let decoded = body.withUnsafeBytes { raw in
            Result { () throws(CompactDecodingError) -> JSONValue in
                var r = CompactReader(UnsafeRawBufferPointer(rebasing: raw[range]))
                return coded ? try BodyPropertiesCodec.decode(&r) : try CompactEntryCodec.decodeValue(&r, depth: 0)
            }
        }
        switch decoded {
        case .success(let value): return value
        case .failure(let error):
            // Unreachable: the initialiser read these very bytes without error, and decoding is a pure
            // function of them.
            preconditionFailure("properties read once no longer decode: \(error)")
        }
    }

    private static func memberCount(of reader: CompactReader) throws(CompactDecodingError) -> Int {
        var r = reader
        let tag = try r.byte()
        guard tag == BodyPropertiesCodec.codedObjectTag || tag == 6 else { return 0 }
        return Int(clamping: try r.varint())
    }
}

extension BodyPropertiesCodec {
    /// Writes the JSON text of the value at the reader's position, exactly as ``decode(_:depth:)`` then
    /// `JSONValue.write(into:)` would, and throws where ``decode(_:depth:)`` throws.
    static func writeJSON(_ r: inout CompactReader, depth: Int = 0, into out: inout [UInt8])
        throws(CompactDecodingError)
    {
        guard depth <= JSONScanner.maximumDepth else {
            throw CompactDecodingError(reason: "nesting too deep", offset: r.index)
        }
        var peek = r
        switch try peek.byte() {
        case codedObjectTag:
            r = peek
            let count = try r.varint()
            guard count <= 1_000_000 else { throw CompactDecodingError(reason: "object too large", offset: r.index) }
            out.append(0x7B)
            for member in 0..<count {
                if member > 0 { out.append(0x2C) }
                let code = try r.varint()
                if code == 0 {
                    JSONText.appendQuoted(utf8: try r.stringBytes(), to: &out)
                    out.append(0x3A)
                } else if code <= UInt64(quotedVocabulary.count) {
                    out.append(contentsOf: quotedVocabulary[Int(code) - 1])
                } else {
                    throw CompactDecodingError(reason: "unknown property name code \(code)", offset: r.index)
                }
                try writeJSON(&r, depth: depth + 1, into: &out)
            }
            out.append(0x7D)
        case 5:
            r = peek
            let count = try r.varint()
            guard count <= 1_000_000 else { throw CompactDecodingError(reason: "array too long", offset: r.index) }
            out.append(0x5B)
            for element in 0..<count {
                if element > 0 { out.append(0x2C) }
                try writeJSON(&r, depth: depth + 1, into: &out)
            }
            out.append(0x5D)
        default:
            try writePlainJSON(&r, depth: depth, into: &out)
        }
    }

    /// Writes the JSON text of a value in the journal's compact form, exactly as
    /// `CompactEntryCodec.decodeValue` then `JSONValue.write(into:)` would, throwing where it throws.
    static func writePlainJSON(_ r: inout CompactReader, depth: Int, into out: inout [UInt8])
        throws(CompactDecodingError)
    {
        guard depth <= JSONScanner.maximumDepth else {
            throw CompactDecodingError(reason: "nesting too deep", offset: r.index)
        }
        switch try r.byte() {
        case 0: out.append(contentsOf: "null".utf8)
        case 1: out.append(contentsOf: "false".utf8)
        case 2: out.append(contentsOf: "true".utf8)
        case 3: out.append(contentsOf: try r.stringBytes())
        case 4: JSONText.appendQuoted(utf8: try r.stringBytes(), to: &out)
        case 5:
            let count = try r.varint()
            guard count <= 1_000_000 else { throw CompactDecodingError(reason: "array too long", offset: r.index) }
            out.append(0x5B)
            for element in 0..<count {
                if element > 0 { out.append(0x2C) }
                try writePlainJSON(&r, depth: depth + 1, into: &out)
            }
            out.append(0x5D)
        case 6:
            let count = try r.varint()
            guard count <= 1_000_000 else { throw CompactDecodingError(reason: "object too large", offset: r.index) }
            out.append(0x7B)
            for member in 0..<count {
                if member > 0 { out.append(0x2C) }
                JSONText.appendQuoted(utf8: try r.stringBytes(), to: &out)
                out.append(0x3A)
                try writePlainJSON(&r, depth: depth + 1, into: &out)
            }
            out.append(0x7D)
        case let tag: throw CompactDecodingError(reason: "unknown value tag \(tag)", offset: r.index)
        }
    }
}
