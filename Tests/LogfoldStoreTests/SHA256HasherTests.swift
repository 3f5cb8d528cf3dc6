import Foundation
import LogfoldStore
import LogfoldTestSupport
import Testing

@Suite("SHA-256")
struct SHA256HasherTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func digest(_ bytes: [UInt8], _ function: SHA256Hasher.BlockFunction) -> String {
        var hasher = SHA256Hasher(blockFunction: function)
        hasher.update(bytes)
        return hex(hasher.finalize())
    }

    @Test("FIPS 180-4's examples, with both block functions", arguments: SHA256Hasher.BlockFunction.allCases)
    func standardVectors(function: SHA256Hasher.BlockFunction) {
        let vectors: [(String, String)] = [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrst"
                    + "nopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
        ]
        for (message, expected) in vectors {
            #expect(Self.digest(Array(message.utf8), function) == expected, "\(message)")
        }
        // A million "a"s, fed 1,000 at a time.
        var hasher = SHA256Hasher(blockFunction: function)
        let thousand = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000)
        for _ in 0..<1_000 { hasher.update(thousand) }
        #expect(Self.hex(hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("The hardware and portable block functions agree at every length across three blocks")
    func blockFunctionsAgree() {
        let bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        for end in 0...bytes.count {
            let prefix = Array(bytes[..<end])
            #expect(Self.digest(prefix, .hardware) == Self.digest(prefix, .portable), "length \(end)")
        }
    }

    @Test("Random inputs fed in random pieces hash as coreutils' sha256sum hashes the whole file")
    func matchesSha256sum() throws {
        var random = SplitMix(seed: 0x5348_4132)
        let directory = try TemporaryDirectory(prefix: "logfold-sha256")
        // Lengths around the padding's edges (55, 56, 64) and several blocks, plus one of 300 KB.
        var lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 300_000]
        for _ in 0..<40 { lengths.append(Int.random(in: 0..<2_000, using: &random)) }
        var expected: [String: String] = [:]
        var files: [String] = []
        for (index, length) in lengths.enumerated() {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let file = directory.file("input-\(index)")
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            files.append(file)
            for function in SHA256Hasher.BlockFunction.allCases {
                var hasher = SHA256Hasher(blockFunction: function)
                var start = 0
                while start < bytes.count {
                    let end = min(bytes.count, start + Int.random(in: 0...150, using: &random))
                    bytes[start..<end].withUnsafeBytes { hasher.update($0) }
                    start = end
                }
                let digest = Self.hex(hasher.finalize())
                if let other = expected[file] {
                    #expect(digest == other, "\(function) disagrees on \(length) bytes")
                }
                expected[file] = digest
            }
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"] + files
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var checked = 0
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let file = parts[1].trimmingCharacters(in: .whitespaces)
            #expect(expected[file] == String(parts[0]), "\(file)")
            checked += 1
        }
        #expect(checked == files.count)
    }
}
