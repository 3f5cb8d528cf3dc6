import Foundation
import LogfoldDomain
import LogfoldGenerator
import Testing

/// Each sample log in `Journal/samples/` folded with ActiveCampaign enabled: its ActiveCampaign messages
/// must equal `Journal/golden/NAME.activecampaign.jsonl` byte for byte (docs/activecampaign-mapping.md).
///
/// `LOGFOLD_UPDATE_GOLDEN=1 swift test --filter ActiveCampaignGoldenTests` rewrites them; review the diff:
/// the golden files are the specification of what ActiveCampaign receives.
@Suite struct ActiveCampaignGoldenTests {
    static let samples = JournalSamplesTests.journalDirectory.appendingPathComponent("samples").path
    static let scenarios: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samples)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.map { String($0.dropLast(".jsonl".count)) }.sorted()
    }()

    /// The sample's messages, folded as `project` folds a journal: each entry id once, seqs from 1.
    static func fold(_ name: String) throws -> (klaviyo: Int, activeCampaign: [ActiveCampaignMessage]) {
        let mappingPath = samples + "/\(name).mapping.json"
        let mapping =
            try FileManager.default.contents(atPath: mappingPath).map { try EventMapping.parse(Array($0)) }
            ?? .defaults
        var projection = Projection(mapping: mapping)
        projection.activeCampaign = ActiveCampaignMapping()
        var seen = Set<UInt64>()
        var seq: UInt64 = 0
        var klaviyo = 0
        for line in try JournalSamplesTests.lines("samples/\(name).jsonl") {
            let entry = try EntryParser().parse(line)
            guard seen.insert(entry.id).inserted else { continue }
            seq += 1
            klaviyo += projection.apply(entry, seq: seq).count
        }
        return (klaviyo, projection.takeActiveCampaignMessages())
    }

    @Test("each scenario's ActiveCampaign messages equal their golden file", arguments: scenarios)
    func scenario(_ name: String) throws {
        let messages = try Self.fold(name).activeCampaign
        let text = messages.map { $0.json.rendered + "\n" }.joined()
        let golden = Self.samples + "/../golden/\(name).activecampaign.jsonl"
        if ProcessInfo.processInfo.environment["LOGFOLD_UPDATE_GOLDEN"] == "1" {
            try Data(text.utf8).write(to: URL(fileURLWithPath: golden))
        }
        let expected = try String(contentsOfFile: golden, encoding: .utf8)
        #expect(
            text == expected,
            "\(name): ActiveCampaign's messages differ from Journal/golden/\(name).activecampaign.jsonl")
        for message in messages {
            // The bytes the projector stores, written without the tree, are the tree's.
            #expect(message.renderedJSON(key: message.key) == message.json.renderedBytes, "\(message.key)")
            // The outbox stores the message without its columns' members; with them put back it is whole.
            let stored = ActiveCampaignMessage.renderedJSON(
                body: message.renderedBody(), key: message.key, kind: message.kind,
                time: Timestamp(unixSeconds: message.time.unixSeconds), customerID: message.customerID,
                sourceSeq: message.sourceSeq)
            #expect(stored == message.json.renderedBytes, "\(message.key)")
        }
        #expect(Set(messages.map(\.key)).count == messages.count, "two messages share a key")
        #expect(Set(messages.map(\.ordinal)).count == messages.count, "two messages share an ordinal")
        #expect(messages.map(\.ordinal) == messages.map(\.ordinal).sorted(), "not in send order")
    }

    @Test("a customer's state with what ActiveCampaign was told survives its blob; without it, no byte changes")
    func stateBlobs() throws {
        for name in Self.scenarios {
            var with = Projection()
            with.activeCampaign = ActiveCampaignMapping()
            var without = Projection()
            var seen = Set<UInt64>()
            var seq: UInt64 = 0
            for line in try JournalSamplesTests.lines("samples/\(name).jsonl") {
                let entry = try EntryParser().parse(line)
                guard seen.insert(entry.id).inserted else { continue }
                seq += 1
                _ = with.apply(entry, seq: seq)
                _ = without.apply(entry, seq: seq)
            }
            for (id, customer) in with.customers {
                let decoded = try ProjectionCodec.decodeCustomer(ProjectionCodec.encode(customer))
                #expect(decoded == customer, "\(name): customer \(id)")
                var klaviyoOnly = customer
                klaviyoOnly.activeCampaign = nil
                var plain = try #require(without.customers[id])
                // An entry that changed only what ActiveCampaign was told is the customer's last change.
                #expect(plain.lastSeq <= customer.lastSeq)
                plain.lastSeq = customer.lastSeq
                #expect(ProjectionCodec.encode(klaviyoOnly) == ProjectionCodec.encode(plain), "\(name): customer \(id)")
            }
        }
    }

    @Test("enabling ActiveCampaign changes nothing Klaviyo gets")
    func klaviyoUnchanged() throws {
        for name in Self.scenarios {
            let mappingPath = Self.samples + "/\(name).mapping.json"
            let mapping =
                try FileManager.default.contents(atPath: mappingPath).map { try EventMapping.parse(Array($0)) }
                ?? .defaults
            var with = Projection(mapping: mapping)
            with.activeCampaign = ActiveCampaignMapping()
            var without = Projection(mapping: mapping)
            var seen = Set<UInt64>()
            var seq: UInt64 = 0
            for line in try JournalSamplesTests.lines("samples/\(name).jsonl") {
                let entry = try EntryParser().parse(line)
                guard seen.insert(entry.id).inserted else { continue }
                seq += 1
                #expect(with.apply(entry, seq: seq) == without.apply(entry, seq: seq), "\(name) seq \(seq)")
            }
        }
    }
}

extension ActiveCampaignGoldenTests {
    @Test("an entry that refunds and charges back a paid order at once makes one correction, leaving the least")
    func refundAndChargebackAtOnce() throws {
        let customer = #""customer":{"id":"7","email":"a@example.com","status":"Active","subscribed":true}"#
        func order(_ status: String) -> String {
            #""order":{"id":"55","customer_id":"7","status":"\#(status)","total":40.00,"currency":"USD","items":[{"line_id":"1","sku":"BOX","name":"Box","quantity":1,"price":40.00}]}"#
        }
        let lines = [
            #"{"id":1,"at":"2024-01-02T10:00:00Z","type":"order.completed",\#(customer),\#(order("Completed"))}"#,
            #"{"id":2,"at":"2024-01-03T10:00:00Z","type":"order.chargeback","data":{"order_id":"55"},\#(customer),\#(order("Refunded"))}"#,
        ]
        var projection = Projection()
        projection.activeCampaign = ActiveCampaignMapping()
        for (index, line) in lines.enumerated() {
            _ = projection.apply(try EntryParser().parse(Array(line.utf8)), seq: UInt64(index + 1))
        }
        let messages = projection.takeActiveCampaignMessages()
        #expect(Set(messages.map(\.key)).count == messages.count)
        let corrections = messages.compactMap { message -> ActiveCampaignOrder? in
            if case .order(let order) = message.payload, order.correction { return order }
            return nil
        }
        #expect(corrections.count == 1)
        #expect(corrections.first?.total == Money(cents: 0))
    }
}

extension ActiveCampaignGoldenTests {
    @Test(
        "a generated log's ActiveCampaign messages all have distinct keys and ordinals, in send order",
        arguments: [3, 8])
    func generatedLogKeysAreUnique(seed: UInt64) throws {
        var bytes: [UInt8] = []
        _ = SyntheticLog(GeneratorConfiguration(seed: seed, customers: 400, days: 40)).write {
            bytes.append(contentsOf: $0)
        }
        var projection = Projection()
        projection.activeCampaign = ActiveCampaignMapping()
        var messages: [ActiveCampaignMessage] = []
        for (index, line) in bytes.split(separator: 0x0A).enumerated() {
            _ = projection.apply(try EntryParser().parse(Array(line)), seq: UInt64(index + 1))
            messages += projection.takeActiveCampaignMessages()
        }
        #expect(messages.count > 1_000)
        #expect(Set(messages.map(\.key)).count == messages.count, "two ActiveCampaign messages share a key")
        #expect(messages.map(\.ordinal) == messages.map(\.ordinal).sorted())
        #expect(Set(messages.map(\.ordinal)).count == messages.count)
    }
}

extension ActiveCampaignGoldenTests {
    @Test("a mapping file renames or switches off ActiveCampaign's tracked events, and refuses what it cannot read")
    func mappingFileNames() throws {
        let mapping = try EventMapping.parse(
            Array(#"{"activecampaign": {"events": {"login": "Signed In", "logout": null, "new.type": "New"}}}"#.utf8))
        #expect(mapping.activeCampaign.eventNames["login"] == "Signed In")
        #expect(mapping.activeCampaign.eventNames["logout"] == nil)
        #expect(mapping.activeCampaign.eventNames["new.type"] == "New")
        #expect(mapping.activeCampaign.eventNames["contact.form"] == ActiveCampaignMapping().eventNames["contact.form"])
        #expect(mapping.metrics == EventMapping.defaults.metrics, "Klaviyo's metrics changed")
        for (text, says) in [
            (#"{"activecampaign": {"names": {}}}"#, "must be an object with `events`"),
            (#"{"activecampaign": {"events": []}}"#, "must be an object of entry type"),
            (#"{"activecampaign": {"events": {"login": " "}}}"#, "must be a non-empty string or null"),
        ] {
            do {
                _ = try EventMapping.parse(Array(text.utf8))
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.reason.contains(says), "\(text): \(error.reason)")
            }
        }
    }
}
