import LogfoldDomain
import LogfoldTestSupport
import Testing

@testable import LogfoldStore

/// Schema v14: version 1 customer blobs (the last sent profile as a JSON object) are rewritten in the
/// current layout, so an upgraded live store and a replay of its journal hold the same bytes.
@Suite("Customer blobs rewritten in the current layout (v14)")
struct CustomerBlobMigrationTests {
    /// Blobs written by the build before v14 (`logfold project` of the synthetic journal, seed 1): a
    /// Stopped subscriber whose phone was not sent (its last profile differs from its state there), and a
    /// Prospect.
    static let version1Blobs: [(id: String, hex: String)] = [
        (
            "1141715",
            "01073131343137313501116A73686168406578616D706C652E636F6D01064A6F73687561010453686168010C2B3134313035"
                + "3535303134340101" + "0B3431382050696E6520537400010942616C74696D6F726501024D440105323132303401"
                + "025553040301104672756974204C6F7665727320426F780119323032342D30312D30395431333A35323A35332D30353A"
                + "3030010A323032342D30342D3033010A323032342D30332D3239021509019E2C07323534323331320201060"
                + "60B65787465726E616C5F696404073131343137313505656D61696C04116A73686168406578616D706C652E636F6D0A"
                + "66697273745F6E616D6504064A6F73687561096C6173745F6E616D650404536861680570686F6E65000A70726F7065"
                + "7274696573060806537461747573040753746F70706564085363686564756C6504074D6F6E74686C7903426F780410"
                + "4672756974204C6F7665727320426F780A5369676E5570446174650414323032342D30312D30395431383A35323A35"
                + "335A0C4E65787444656C69766572790414323032342D30342D30335431323A30303A30305A0A43616E63656C446174"
                + "650414323032342D30332D32395431323A30303A30305A0F4F726465722054686973205765656B04086E6F206F7264"
                + "65720D4D6973736564205369676E7570019EDE37"
        ),
        (
            "1141524",
            "010731313431353234012B6368726973746F706865725F676F6E7A616C657A373933303934406D61696C2E6578616D706C"
                + "652E636F6D010B4368726973746F706865720108476F6E7A616C657A010C2B31333031353535303138350101"
                + "0B3638352050696E6520537400010D53696C76657220537072696E6701024D440105323039333601025553010000"
                + "000000011303000106060B65787465726E616C5F696404073131343135323405656D61696C042B6368726973746F70"
                + "6865725F676F6E7A616C657A373933303934406D61696C2E6578616D706C652E636F6D0A66697273745F6E616D6504"
                + "0B4368726973746F70686572096C6173745F6E616D650408476F6E7A616C657A0570686F6E65000A70726F70657274"
                + "696573060306537461747573040850726F73706563740F4F726465722054686973205765656B04086E6F206F726465"
                + "720D4D6973736564205369676E757002D78C02"
        ),
    ]

    static func bytes(_ hex: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(try #require(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        return bytes
    }

    @Test("version 1 blobs are read, written shorter as version 2, and decode to the same state")
    func version1BlobsRoundTrip() throws {
        for (id, hex) in Self.version1Blobs {
            let version1 = try Self.bytes(hex)
            let state = try ProjectionCodec.decodeCustomer(version1)
            #expect(state.id == id)
            #expect(state.lastProfile != nil)
            let version2 = ProjectionCodec.encode(state)
            #expect(version2.first == 2)
            #expect(version2.count < version1.count * 3 / 4, "v1 \(version1.count) bytes, v2 \(version2.count)")
            #expect(try ProjectionCodec.decodeCustomer(version2) == state)
        }
    }

    @Test("upgrading rewrites every version 1 customer blob and leaves the rest as they were")
    func upgradeRewritesVersion1Blobs() throws {
        let directory = try TemporaryDirectory(prefix: "logfold-store")
        let path = directory.file("state.sqlite")
        let old = try StateStore(path: path)
        var batch = ProjectionBatch(fromSeq: 0, toSeq: 1)
        for (number, (id, hex)) in Self.version1Blobs.enumerated() {
            var row = StoreFixture.customer(number + 2)
            row.id = id
            row.state = try Self.bytes(hex)
            batch.customers.append(row)
        }
        // c1's fixture blob starts with 0x01 but is no state at all: the upgrade leaves it for the
        // projector to report where it reads it.
        batch.customers.append(StoreFixture.customer(1))
        // One more than a rewrite batch, so the upgrade pages through the table.
        for number in 0...StoreSchema.customerRewriteBatch {
            var row = StoreFixture.customer(number + 10)
            row.id = "z\(number)"
            row.state = try Self.bytes(Self.version1Blobs[1].hex)
            batch.customers.append(row)
        }
        _ = try old.commit(batch, projector: "main")
        try old.write("test: forget v14") { db in
            try RawStatement(db, "DELETE FROM grdb_migrations WHERE identifier = 'v14-customer-blobs-v2'").execute(
                path: path, { "test" })
        }
        try old.close()

        let upgraded = try StateStore(path: path)
        for (id, hex) in Self.version1Blobs {
            let blob = try #require(try upgraded.customer(id: id)?.state)
            #expect(blob == ProjectionCodec.encode(try ProjectionCodec.decodeCustomer(try Self.bytes(hex))))
        }
        #expect(try upgraded.customer(id: "c1")?.state == StoreFixture.customer(1).state)
        let stillVersion1 = try StoreFixture.strings(
            "SELECT id FROM customers WHERE substr(state, 1, 1) = x'01'", in: upgraded)
        #expect(stillVersion1 == ["c1"])
    }
}
