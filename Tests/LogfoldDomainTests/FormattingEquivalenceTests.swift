import Testing

@testable import LogfoldDomain

/// The byte-level phone normalisation and time formatting give exactly what the character-level
/// versions they replaced gave (the phone's kept here, the time's kept as `generalForm` for the values the
/// fast path does not take), on random and adversarial input.
@Suite struct FormattingEquivalenceTests {
    /// The character-level E.164 normalisation logfold used before (the reference).
    static func referenceE164(_ raw: String, defaultCountryCode: String = "1") -> String? {
        let trimmed = raw.drop(while: { $0 == " " })
        let international = trimmed.first == "+"
        var digits = ""
        for character in trimmed {
            if let ascii = character.asciiValue, ascii >= 0x30, ascii <= 0x39 {
                digits.append(character)
            } else if !" +-.()/".contains(character) {
                return nil
            }
        }
        let candidate: String
        if international {
            candidate = digits
        } else if digits.count == 10 {
            candidate = defaultCountryCode + digits
        } else if digits.count == 10 + defaultCountryCode.count, digits.hasPrefix(defaultCountryCode) {
            candidate = digits
        } else {
            return nil
        }
        guard (7...15).contains(candidate.count), candidate.first != "0" else { return nil }
        return "+" + candidate
    }

    @Test("E.164: 200,000 random strings of digits, phone punctuation, letters, spaces and non-ASCII agree")
    func phoneNumbers() {
        // Pieces a number can be typed with, and ones that must spoil it (a combining accent, CR LF, an
        // Arabic-Indic digit, a fullwidth digit, an emoji).
        let pieces = [
            "0", "1", "2", "5", "8", "9", " ", "+", "-", ".", "(", ")", "/", "x", "A", "\u{301}", "\r\n", "٣", "５",
            "📞", "\t", "44", "555", "0142",
        ]
        var random = SplitMix64(seed: 164)
        for round in 0..<200_000 {
            var text = ""
            for _ in 0..<Int(random.next() % 18) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            // Mostly the default; now and then another length of code, none, or one too long to fit.
            let codes = ["44", "", "7", "380", "12345", "123456", "0"]
            let country = round.isMultiple(of: 5) ? codes[(round / 5) % codes.count] : "1"
            #expect(
                PhoneNumber.e164(text, defaultCountryCode: country)
                    == Self.referenceE164(text, defaultCountryCode: country), "\(text.debugDescription)")
        }
        for text in ["828-555-0142", " +1 (828) 555-0142", "18285550142", "+44 20 7946 0958", "0285550142", ""] {
            #expect(PhoneNumber.e164(text) == Self.referenceE164(text), "\(text)")
        }
    }

    @Test("RFC 3339 formatting: 200,000 random instants, offsets and fractions, and out-of-range fields, agree")
    func times() {
        var random = SplitMix64(seed: 3339)
        for round in 0..<200_000 {
            // Years -2000 ... 12000, so both the fast form and the general one are checked.
            let seconds = Int64(random.next() % 440_000_000_000) - 125_000_000_000
            let offset = Int16(Int(random.next() % 2_000) - 1_000)
            let nanoseconds: Int32 =
                switch round % 4 {
                case 0: 0
                case 1: Int32(random.next() % 1_000) * 1_000_000
                case 2: Int32(random.next() % 1_000_000_000)
                default: Int32(random.next() % 10) * 100_000_000
                }
            let civil = CivilCalendar.civil(fromUnixSeconds: seconds)
            #expect(
                civil.formatted(offsetMinutes: offset, nanoseconds: nanoseconds)
                    == civil.generalForm(offsetMinutes: offset, nanoseconds: nanoseconds))
            // What the sender appends to a request is the quoted string, after whatever came before.
            var appended = Array("{\"time\":".utf8)
            Timestamp(unixSeconds: seconds).appendQuotedUTCSeconds(to: &appended)
            let quoted = "{\"time\":" + JSONText.quote(Timestamp(unixSeconds: seconds).utcSecondsString)
            #expect(appended == Array(quoted.utf8), "\(seconds)")
        }
        let odd = CivilCalendar.Civil(year: 2020, month: 123, day: -4, hour: 7, minute: 8, second: 9)
        for (offset, nanoseconds) in [(Int16.max, 1_000_000_000), (Int16.min, -5), (0, Int32.max)] as [(Int16, Int32)] {
            #expect(
                odd.formatted(offsetMinutes: offset, nanoseconds: nanoseconds)
                    == odd.generalForm(offsetMinutes: offset, nanoseconds: nanoseconds))
        }
    }
}

/// The word-at-a-time JSON string quoting gives exactly the scalar-by-scalar ``JSONText/quote(_:)``.
@Suite struct QuotingEquivalenceTests {
    @Test("JSON quoting: 200,000 random strings of text, escapes, control bytes and multi-byte UTF-8 agree")
    func quoting() {
        // Every byte class the scan tells apart, and neighbours that could hide one in a word: bytes just
        // above and below the control range, `"` and `\` beside letters, and UTF-8 whose bytes are ≥ 0x80.
        let pieces = [
            "a", "Z", "0", " ", "!", "\"", "\\", "#", "[", "]", "\u{0}", "\u{1}", "\u{8}", "\t", "\n", "\r", "\u{1F}",
            "\u{7F}", "é", "€", "😀", "\u{80}", "ÿ", "Ā", "abcdefgh", "12345678", "\"\"", "\\n",
        ]
        var random = SplitMix64(seed: 8)
        for _ in 0..<200_000 {
            var text = ""
            for _ in 0..<Int(random.next() % 40) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            var bytes: [UInt8] = []
            JSONText.appendQuoted(text, to: &bytes)
            #expect(bytes == Array(JSONText.quote(text).utf8), "\(text.debugDescription)")
        }
    }

    @Test("The eight-byte test flags a word exactly when one of its bytes needs escaping")
    func wordTest() {
        var random = SplitMix64(seed: 64)
        // Bytes drawn mostly from around the boundaries (0x1F/0x20, 0x21-0x23, 0x5B-0x5D, 0x7F-0x81, 0xFF).
        let interesting: [UInt8] = [
            0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7F, 0x80, 0x81, 0xA2, 0xDC, 0xFF,
        ]
        for _ in 0..<500_000 {
            var word: UInt64 = 0
            var expected = false
            for shift in stride(from: 0, to: 64, by: 8) {
                let byte =
                    random.next() % 4 == 0
                    ? UInt8(truncatingIfNeeded: random.next())
                    : interesting[Int(random.next() % UInt64(interesting.count))]
                expected = expected || byte < 0x20 || byte == 0x22 || byte == 0x5C
                word |= UInt64(byte) << UInt64(shift)
            }
            #expect(JSONText.mayNeedEscaping(word) == expected, "\(String(word, radix: 16))")
        }
    }
}

/// The bytes ActiveCampaign's outbox rows are written with (``JSONObjectWriter``, digits and times with no
/// string between) are exactly the tree's (``JSONObjectBuilder``, `String(_:)`, ``Timestamp/rfc3339String``).
@Suite struct ActiveCampaignWritingEquivalenceTests {
    @Test("Decimal digits: Int64's extremes, powers of ten and 200,000 random values agree with String(_:)")
    func decimals() {
        var values: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, .max, .min, .max - 1, .min + 1]
        var power: Int64 = 1
        while power <= Int64.max / 10 {
            power *= 10
            values += [power - 1, power, -power, -(power - 1)]
        }
        var random = SplitMix64(seed: 10)
        for _ in 0..<200_000 {
            let bits = Int64(bitPattern: random.next())
            // Every length of number, not only the 19-digit ones a uniform draw gives.
            values.append(bits >> Int64(random.next() % 64))
        }
        for value in values {
            var bytes = Array("x".utf8)
            JSONText.appendDecimal(value, to: &bytes)
            #expect(bytes == Array(("x" + String(value)).utf8), "\(value)")
        }
    }

    @Test("RFC 3339 in its own offset, quoted: 100,000 random instants, offsets and fractions agree")
    func offsetTimes() {
        var random = SplitMix64(seed: 3340)
        for round in 0..<100_000 {
            let time = Timestamp(
                unixSeconds: Int64(random.next() % 440_000_000_000) - 125_000_000_000,
                nanoseconds: round % 2 == 0 ? 0 : Int32(random.next() % 1_000_000_000),
                offsetMinutes: Int16(Int(random.next() % 2_000) - 1_000))
            var bytes = Array("{".utf8)
            time.appendQuotedRFC3339(to: &bytes)
            #expect(bytes == Array(("{" + JSONText.quote(time.rfc3339String)).utf8), "\(time)")
        }
    }

    @Test("A contact's day: 200,000 random dates, date-times and look-alikes agree with counting characters")
    func days() {
        func reference(_ text: String) -> String {
            let prefix = String(text.prefix(10))
            return RFC3339.isCalendarDate(prefix) ? prefix : text
        }
        // Dates, date-times, bad dates, and what may follow a tenth character: a combining mark (which joins
        // it), a precomposed letter (which does not), CR LF, and multi-byte text before the tenth byte.
        let pieces = [
            "2020-05-18", "2021-02-29", "2024-02-29", "T03:12:44-04:00", "\u{301}", "é", "\r\n", "\n", " ", "😀",
            "1", "-", "Z", "0000-01-01", "9999-12-31",
        ]
        var random = SplitMix64(seed: 1010)
        for _ in 0..<200_000 {
            var text = ""
            for _ in 0..<Int(random.next() % 4) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            #expect(ActiveCampaignContact.day(text) == reference(text), "\(text.debugDescription)")
        }
    }

    @Test("Orders, events, tags and list changes: 20,000 random messages write the bytes of their trees")
    func messages() {
        var random = SplitMix64(seed: 2204)
        let pieces = ["a", "Z", " ", "\"", "\\", "\n", "\u{1}", "é", "😀", "box", "2020-05-18"]
        func text() -> String {
            (0..<Int(random.next() % 12)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
        }
        func maybe() -> String? { random.next() % 3 == 0 ? nil : text() }
        func time() -> Timestamp {
            Timestamp(
                unixSeconds: Int64(random.next() % 4_000_000_000), nanoseconds: Int32(random.next() % 3) * 250_000_000,
                offsetMinutes: Int16(Int(random.next() % 1_440) - 720))
        }
        func eventData() -> ActiveCampaignEventData {
            // Log ids past Int64 too, which are written unsigned.
            let logID = random.next() % 4 == 0 ? random.next() : random.next() >> 20
            let content: ActiveCampaignEventData.Content =
                random.next() % 2 == 0
                ? .entryData(
                    (0..<Int(random.next() % 4)).map { _ in
                        random.next() % 2 == 0 ? .init(text(), .string(text())) : .init("n", .number("12.5"))
                    })
                : .order(
                    id: text(), total: random.next() % 3 == 0 ? nil : Money(cents: Int64(random.next() % 100_000)),
                    currency: maybe())
            return ActiveCampaignEventData(time: time(), logID: logID, content: content)
        }
        for round in 0..<20_000 {
            let payload: ActiveCampaignMessage.Payload =
                switch round % 4 {
                case 0: .listStatus(email: text(), subscribed: random.next() % 2 == 0)
                case 1: .tag(email: text(), add: text(), remove: maybe())
                case 2:
                    .event(email: text(), name: text(), data: eventData())
                default:
                    .order(
                        ActiveCampaignOrder(
                            orderID: text(), email: text(), currency: text(),
                            total: Money(cents: Int64(bitPattern: random.next()) >> 20), createdAt: time(),
                            updatedAt: time(),
                            products: (0..<Int(random.next() % 4)).map { _ in
                                ActiveCampaignProduct(
                                    externalID: text(), name: text(),
                                    price: random.next() % 2 == 0 ? nil : Money(cents: Int64(random.next() % 100_000)),
                                    quantity: Int64(bitPattern: random.next()) >> 40, category: maybe(), sku: maybe(),
                                    url: maybe(), imageURL: maybe())
                            }, correction: random.next() % 2 == 0))
                }
            let message = ActiveCampaignMessage(
                customerID: text(), time: time(), sourceSeq: random.next() >> 1, index: UInt16(round % 3),
                payload: payload)
            let whole = message.renderedJSON(key: message.key)
            #expect(whole == message.json.renderedBytes, "\(message)")
            // What the outbox stores, with the row's columns put back, and a row stored whole by an earlier
            // build, give the message's bytes again.
            for body in [message.renderedBody(), whole] {
                let rebuilt = ActiveCampaignMessage.renderedJSON(
                    body: body, key: message.key, kind: message.kind,
                    time: Timestamp(unixSeconds: message.time.unixSeconds), customerID: message.customerID,
                    sourceSeq: message.sourceSeq)
                #expect(rebuilt == whole, "\(message)")
            }
            #expect(!message.renderedBody().starts(with: Array(#"{"key":"#.utf8)), "\(message)")
        }
    }

    @Test("eventdata: 50,000 random entries' and orders' data give the tree the mapping built before")
    func eventDataTrees() {
        var random = SplitMix64(seed: 2205)
        for _ in 0..<50_000 {
            let time = Timestamp(
                unixSeconds: Int64(random.next() % 4_000_000_000), nanoseconds: Int32(random.next() % 3) * 250_000_000,
                offsetMinutes: Int16(Int(random.next() % 1_440) - 720))
            let logID = random.next() % 8 == 0 ? random.next() : random.next() >> 24
            let reference: [JSONValue.Member] = [.init("time", .string(time.rfc3339String))]
            if random.next() % 2 == 0 {
                let extra: [JSONValue.Member] = (0..<Int(random.next() % 5)).map { n in
                    .init("k\(n)", n % 2 == 0 ? .string(String(random.next())) : .array([.null, .bool(true)]))
                }
                let data = ActiveCampaignEventData(time: time, logID: logID, content: .entryData(extra))
                // Before: time, log id as the decimal of the unsigned id, then the entry's members.
                let before = JSONValue.object(reference + [.init("log_id", .number(String(logID)))] + extra)
                #expect(data.json == before)
            } else {
                let id = String(random.next() % 100_000)
                let total = random.next() % 3 == 0 ? nil : Money(cents: Int64(random.next() % 100_000))
                let currency = total == nil ? nil : "EUR"
                let data = ActiveCampaignEventData(
                    time: time, logID: logID, content: .order(id: id, total: total, currency: currency))
                var members = reference + [.init("log_id", .number(String(logID))), .init("order_id", .string(id))]
                if let total { members.append(.init("total", .number(total.description))) }
                if let currency { members.append(.init("currency", .string(currency))) }
                #expect(data.json == .object(members))
            }
        }
    }
}
