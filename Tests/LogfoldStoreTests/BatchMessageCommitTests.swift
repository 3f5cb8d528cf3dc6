import Foundation
import LogfoldDomain
import LogfoldStore
import LogfoldTestSupport
import Testing

@Suite("Committing messages as the fold made them, their rows built by the commit")
struct BatchMessageCommitTests {
    @Test("Messages commit as the rows made from them beforehand; a repeated message is kept once, as its first row")
    func messagesCommitAsRows() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let byMessages = try StoreFixture.store(in: directory, name: "messages.sqlite")
        let byRows = try StoreFixture.store(in: directory, name: "rows.sqlite")
        var random = SplitMix(seed: 41)
        var counted = (messages: 0, rows: 0)
        var firstWithKey: [String: ActiveCampaignMessage] = [:]
        for batch in StoreFixture.batches(entries: 60, size: 10) {
            let messages = Self.messages(for: batch, &random)
            for message in messages where firstWithKey[message.key] == nil { firstWithKey[message.key] = message }
            var withMessages = batch
            withMessages.activeCampaignMessages = messages
            var withRows = batch
            withRows.activeCampaignOutbox = messages.map(ActiveCampaignOutboxRow.init)
            counted.messages += try byMessages.commit(withMessages, projector: "main")
            counted.rows += try byRows.commit(withRows, projector: "main")
        }
        let rows = try Self.rows(in: byMessages)
        #expect(rows == (try Self.rows(in: byRows)))
        // Klaviyo's rows, and each seq's ActiveCampaign message once: a repeat is left out.
        let klaviyoRows = try StoreFixture.strings("SELECT count(*) FROM outbox", in: byMessages)
        #expect(counted.messages == counted.rows)
        #expect(counted.messages == (Int(klaviyoRows.first ?? "") ?? -1) + rows.count)
        #expect(rows.count == 60)
        #expect(
            try StoreFixture.strings("SELECT ordinal & 65535 FROM activecampaign_outbox", in: byMessages).allSatisfy {
                $0 == "0"
            })
        // The body is the message without the members its columns hold; with them put back, it is the
        // message's JSON, the message being the first with the row's key.
        var stored = 0
        for customer in 0..<7 {
            for item in try byMessages.activeCampaignOutbox(customerID: "c\(customer)") {
                #expect(!item.row.body.starts(with: Array(#"{"key":"#.utf8)), "\(item.row.key)")
                #expect(item.row.json == firstWithKey[item.row.key]?.json.renderedBytes, "\(item.row.key)")
                stored += 1
            }
        }
        #expect(stored == rows.count)
    }

    @Test("A row stored whole by an earlier build digests as the same row stored without its columns' members")
    func wholeBodiesDigestAsTheirMessages() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let slim = try StoreFixture.store(in: directory, name: "slim.sqlite")
        let whole = try StoreFixture.store(in: directory, name: "whole.sqlite")
        var random = SplitMix(seed: 43)
        for batch in StoreFixture.batches(entries: 40, size: 10) {
            let messages = Self.messages(for: batch, &random)
            var withSlimRows = batch
            withSlimRows.activeCampaignOutbox = messages.map(ActiveCampaignOutboxRow.init)
            var withWholeRows = batch
            withWholeRows.activeCampaignOutbox = messages.map { message in
                var row = ActiveCampaignOutboxRow(message)
                row.body = message.renderedJSON(key: message.key)
                return row
            }
            _ = try slim.commit(withSlimRows, projector: "main")
            _ = try whole.commit(withWholeRows, projector: "main")
        }
        #expect(try Self.rows(in: slim) != (try Self.rows(in: whole)))
        #expect(try slim.digest() == (try whole.digest()))
        #expect(try slim.digest(destination: "activecampaign") == (try whole.digest(destination: "activecampaign")))
    }

    @Test("Klaviyo's messages commit as the rows made from them beforehand, in ordinal order whatever their order")
    func klaviyoMessagesCommitAsRows() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let byMessages = try StoreFixture.store(in: directory, name: "messages.sqlite")
        let byRows = try StoreFixture.store(in: directory, name: "rows.sqlite")
        var random = SplitMix(seed: 42)
        var counted = (messages: 0, rows: 0)
        for from in stride(from: UInt64(0), to: 60, by: 10) {
            var messages = ((from + 1)...(from + 10)).flatMap { Self.klaviyoMessages(seq: $0, &random) }
            // Every other batch lists its messages backwards: the first of a repeated key must still win.
            if from.isMultiple(of: 20) { messages.reverse() }
            var withMessages = ProjectionBatch(fromSeq: from, toSeq: from + 10)
            withMessages.outboxMessages = messages
            let withRows = ProjectionBatch(outbox: messages.map(OutboxRow.init), fromSeq: from, toSeq: from + 10)
            counted.messages += try byMessages.commit(withMessages, projector: "main")
            counted.rows += try byRows.commit(withRows, projector: "main")
        }
        let sql = """
            SELECT ordinal || '|' || key || '|' || kind || '|' || customer_id || '|' || ifnull(metric, '') || '|'
                || ifnull(unique_id, '') || '|' || time || '|' || ifnull(value, '') || '|' || source_seq || '|' || hex(body)
            FROM outbox ORDER BY ordinal
            """
        let rows = try StoreFixture.strings(sql, in: byMessages)
        #expect(rows == (try StoreFixture.strings(sql, in: byRows)))
        #expect(counted.messages == counted.rows)
        // Each seq's event and profile once: the repeated event (index 2) is left out.
        #expect(rows.count == 120)
        #expect(counted.messages == 120)
        #expect(try StoreFixture.strings("SELECT ordinal & 65535 FROM outbox", in: byMessages).allSatisfy { $0 != "2" })
    }

    /// An event and a profile upsert per seq, and for about a third of the seqs the event again at the next
    /// index (a repeated key).
    static func klaviyoMessages(seq: UInt64, _ random: inout SplitMix) -> [OutboundMessage] {
        let customer = "c\(seq % 7)"
        let identity = ProfileIdentity(externalID: customer, email: "\(customer)@example.com")
        let time = Timestamp(unixSeconds: 1_600_000_000 + Int64(seq))
        let properties = MessageProperties.object([
            .init("note", .string("seq \(seq)\n")), .init("n", .number("\(seq)")),
        ])
        let event = OutboundMessage(
            kind: .event, customerID: customer, metric: "Placed \"Order\"", uniqueID: "o\(seq)", time: time,
            value: Money(cents: Int64(seq) * 100 + 50), identity: identity, properties: properties, sourceSeq: seq)
        var profile = OutboundMessage(
            kind: .profile, customerID: customer, time: time, identity: identity, sourceSeq: seq)
        profile.index = 1
        guard random.next() % 3 == 0 else { return [event, profile] }
        var again = event
        again.index = 2
        return [event, profile, again]
    }

    /// One or two messages per seq of `batch`: a tag or an event, and for about a third of the seqs the
    /// same message folded again (a repeated ordinal).
    static func messages(for batch: ProjectionBatch, _ random: inout SplitMix) -> [ActiveCampaignMessage] {
        ((batch.fromSeq + 1)...batch.toSeq).flatMap { seq -> [ActiveCampaignMessage] in
            let email = "c\(seq % 7)@example.com"
            let payload: ActiveCampaignMessage.Payload =
                random.next() % 2 == 0
                ? .tag(email: email, add: "week \(seq % 5)", remove: nil)
                : .event(
                    email: email, name: "Ordered \"box\" \(seq)",
                    data: ActiveCampaignEventData(
                        time: Timestamp(unixSeconds: 1_600_000_000 + Int64(seq)), logID: seq,
                        content: .entryData([.init("note", .string("line\nbreak"))])))
            let time = Timestamp(unixSeconds: 1_600_000_000 + Int64(seq))
            let message = ActiveCampaignMessage(customerID: "c\(seq % 7)", time: time, sourceSeq: seq, payload: payload)
            guard random.next() % 3 == 0 else { return [message] }
            // The message folded again (a catch-up started over), a second later: the same ordinal and key,
            // and only the first may be stored.
            let later = Timestamp(unixSeconds: time.unixSeconds + 1)
            return [
                message,
                ActiveCampaignMessage(customerID: message.customerID, time: later, sourceSeq: seq, payload: payload),
            ]
        }
    }

    /// Every column of ActiveCampaign's outbox, row by row in ordinal order.
    static func rows(in store: StateStore) throws -> [String] {
        try StoreFixture.strings(
            """
            SELECT ordinal || '|' || key || '|' || kind || '|' || customer_id || '|' || time || '|' || source_seq
                || '|' || hex(body)
            FROM activecampaign_outbox ORDER BY ordinal
            """, in: store)
    }
}
