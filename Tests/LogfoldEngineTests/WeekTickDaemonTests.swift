import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldTestSupport
import Testing

/// `logfold run` journals a `logfold.tick` when a week has begun with nothing journaled, and the fold
/// sends the week's tag change from it.
@Suite(.serialized, .offThePool) struct WeekTickDaemonTests {
    static let customer =
        #""customer":{"id":"1142301","email":"tick@example.com","status":"Active","schedule":"Weekly"}"#

    @Test("a quiet week gets one tick; the customer's open order of an old week becomes no order")
    func quietWeekTicks() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let order =
            #""order":{"id":"606301","customer_id":"1142301","status":"Open","created_at":"2020-11-02T09:00:00-05:00","delivery_date":"2020-11-05","total":30,"items":[]}"#
        let lines = [
            #"{"id":88991001,"at":"2020-11-02T09:00:00-05:00","type":"order.created",\#(Self.customer),\#(order)}"#,
            #"{"id":88991011,"at":"2020-11-03T09:00:00-05:00","type":"login",\#(Self.customer)}"#,
        ]
        let daemon = try RunDaemonTests.Daemon(data: data, ["--no-send"], weekTicks: true)
        let (status, _) = try daemon.post(lines[...].map { Substring($0) })
        #expect(status == 200)
        // The entries are from 2020: the week now is later, and nothing was journaled in it.
        #expect(try eventually { try daemon.health()["checkpoint"] == 3 })
        let result = daemon.stop()
        #expect(result.status == 0, "\(result.stderr)")

        let shown = try LogfoldProcess.run(["journal", "show", "--data", data, "3"])
        #expect(shown.stdout.contains("type        logfold.tick"), "\(shown.stdout)")
        let outbox = try LogfoldProcess.run(["outbox", "--data", data, "--json"])
        let rows = try outbox.stdout.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let tags = rows.filter { $0["kind"] as? String == "profile" }.compactMap {
            ($0["properties"] as? [String: Any])?["Order This Week"] as? String
        }
        #expect(tags == ["open order", "no order"], "\(outbox.stdout)")
        #expect(rows.last?["source_seq"] as? Int == 3)

        // The tick's id is its week's: journaling it again (a restart, a second writer) keeps one.
        let journal = try Journal(directory: data + "/journal")
        let record = try #require(try journal.record(at: 3))
        let tick = try JournalFigures.decode(record)
        #expect(JournalTick.isTick(tick))
        let again = try journal.append([
            JournalAppend(platformID: tick.id, entry: JournalTick.line(tick), compact: CompactEntryCodec.encode(tick))
        ])
        #expect(again == [.duplicate(seq: 3)])
    }
}
