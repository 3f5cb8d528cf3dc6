import AsyncHTTPClient
import Foundation
import LogfoldSandbox
import LogfoldTestSupport
import NIOCore
import NIOHTTP1
import Testing

/// The real `logfold sandbox` binary: the ready line, the state directory, and a clean stop on SIGTERM.
@Suite(.offThePool) struct SandboxCommandTests {
    /// Starts `logfold sandbox ARGS` and returns it with the URL from its ready line.
    static func start(_ arguments: [String]) throws -> (Process, Pipe, String) {
        let process = Process()
        process.executableURL = try LogfoldProcess.executableURL
        process.arguments = ["sandbox", "--port", "0"] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        let deadline = ContinuousClock.now + .seconds(60)
        while !buffer.contains(UInt8(ascii: "\n")), ContinuousClock.now < deadline {
            // Bounded: a sandbox that never prints its ready line fails the test instead of hanging it.
            var descriptor = pollfd(fd: stdout.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let chunk = stdout.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
        let prefix = "sandbox listening on "
        #expect(line.hasPrefix(prefix), "ready line: \(line)")
        return (process, stdout, String(line.dropFirst(prefix.count)))
    }

    @Test("prints exactly one ready line with the chosen port, serves, keeps state in --data, exits 0 on SIGTERM")
    func readyLineAndStop() async throws {
        let directory = try TemporaryDirectory(prefix: "logfold-sandbox-cli")
        let data = directory.file("data")
        let (process, stdout, url) = try Self.start(["--data", data, "--api-key", "pk_cli", "--faults-seed", "3"])
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(Int(url.split(separator: ":").last ?? "") ?? 0 > 0)

        var request = HTTPClientRequest(url: url + "/api/events")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Klaviyo-API-Key pk_cli")
        request.headers.add(name: "revision", value: "2026-07-15")
        request.headers.add(name: "Content-Type", value: "application/vnd.api+json")
        request.body = .bytes(ByteBuffer(string: Bodies.createEvent()))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status.code == 202)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rest = stdout.fileHandleForReading.readDataToEndOfFile()
        #expect(rest.isEmpty, "stdout after the ready line: \(String(decoding: rest, as: UTF8.self))")
        #expect(FileManager.default.fileExists(atPath: data + "/sandbox.sqlite"))
    }

    @Test("a malformed --faults spec fails with one line on stderr and a non-zero exit")
    func badSpec() throws {
        let result = try LogfoldProcess.run(["sandbox", "--port", "0", "--faults", "boom:1"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown fault 'boom'"))
        #expect(result.stdout.isEmpty)
    }
}
