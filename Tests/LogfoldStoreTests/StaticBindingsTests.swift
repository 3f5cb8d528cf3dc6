import Foundation
import LogfoldTestSupport
import Testing

@testable import LogfoldStore

@Suite("Binding a row's values without SQLite copying them")
struct StaticBindingsTests {
    @Test("Texts and blobs of every size read back as bound, row after row, as the memory grows")
    func valuesRoundTrip() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let store = try StoreFixture.store(in: directory)
        var random = SplitMix(seed: 77)
        // Small (inline in the Swift string), large, empty, absent and non-ASCII texts; empty and large blobs.
        let rows: [(text: String?, other: String?, blob: [UInt8])] = (0..<300).map { i in
            let length = Int(random.next() % (i.isMultiple(of: 50) ? 9_000 : 40))
            let text = i.isMultiple(of: 7) ? nil : String(repeating: i.isMultiple(of: 3) ? "é" : "k", count: length)
            let other: String? = i.isMultiple(of: 5) ? "" : "c\(i)"
            let blob = (0..<Int(random.next() % (i.isMultiple(of: 40) ? 20_000 : 300))).map { UInt8(($0 + i) % 251) }
            return (text, other, blob)
        }
        let stored = try store.write("test") { db -> [String] in
            try RawStatement(db, "CREATE TABLE bound (n INTEGER PRIMARY KEY, text TEXT, other TEXT, blob BLOB)")
                .execute(path: store.path) { "test" }
            let insert = try RawStatement(db, "INSERT INTO bound (n, text, other, blob) VALUES (?, ?, ?, ?)")
            let values = StaticBindings(capacity: 64)
            defer { values.clear(insert) }
            for (n, row) in rows.enumerated() {
                values.begin(
                    bytes: StaticBindings.size(of: row.text) + StaticBindings.size(of: row.other) + row.blob.count)
                insert.bind(1, Int64(n))
                values.bind(insert, 2, row.text)
                values.bind(insert, 3, row.other)
                values.bind(insert, 4, row.blob)
                try insert.execute(path: store.path) { "test" }
            }
            var read: [String] = []
            try RawStatement(db, "SELECT quote(text), quote(other), hex(blob), typeof(blob) FROM bound ORDER BY n")
                .forEachRow(path: store.path, { "test" }) { row in
                    read.append([row.string(0), row.string(1), row.string(2), row.string(3)].joined(separator: "|"))
                }
            return read
        }
        let expected = rows.map { row in
            [
                row.text.map { "'\($0)'" } ?? "NULL", row.other.map { "'\($0)'" } ?? "NULL",
                row.blob.map { String(format: "%02X", $0) }.joined(), "blob",
            ].joined(separator: "|")
        }
        #expect(stored.count == rows.count)
        for (got, want) in zip(stored, expected) { #expect(got == want) }
    }
}
