import AsyncHTTPClient
import Foundation
import LogfoldKlaviyo
import LogfoldSandbox
import LogfoldTestSupport
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

extension ManualClock {
    /// The clock as the sandbox reads it (rate windows, event-time checks, request log).
    var sandboxClock: SandboxClock {
        SandboxClock({ [self] in self.milliseconds }, sleep: { [self] duration in try? await self.sleep(duration) })
    }

    /// Returns once something waits on the clock (a task started before it is on its way there).
    func waitForSleeper(count: Int = 1) async {
        while sleepers < count { await Task.yield() }
    }

    /// The clock as the Klaviyo client's pacers read it.
    var pacingClock: PacingClock {
        PacingClock(elapsed: { [self] in elapsed }, sleep: { [self] duration in try await sleep(duration) })
    }
}

/// An answer read in full.
struct Answer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    var json: SandboxJSON? { try? SandboxJSON.parse(body) }

    /// The `source.pointer` of each error, in order.
    var pointers: [String] { errors.compactMap { $0["source"]?["pointer"]?.stringValue } }

    /// The `code` of each error, in order.
    var codes: [String] { errors.compactMap { $0["code"]?.stringValue } }

    var errors: [SandboxJSON] { json?["errors"]?.arrayElements ?? [] }

    func header(_ name: String) -> String? { headers.first(name: name) }
}

/// A sandbox running in-process on a free loopback port, with helpers speaking to it over real HTTP.
struct Sandbox: Sendable {
    let port: Int
    let server: SandboxServer
    var key = "pk_test_sandbox"
    var revision = "2026-07-15"

    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts a sandbox with its state in `directory` (a fresh one by default), runs `body`, stops it.
    static func with(
        directory: TemporaryDirectory? = nil,
        _ configure: (inout SandboxConfiguration) -> Void = { _ in },
        _ body: (Sandbox) async throws -> Void
    ) async throws {
        let directory = try directory ?? TemporaryDirectory(prefix: "logfold-sandbox")
        var configuration = SandboxConfiguration(statePath: directory.file("sandbox.sqlite"))
        configuration.port = 0
        configuration.faultsSeed = 1
        configure(&configuration)
        let server = try SandboxServer(configuration: configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { continuation.finish() }
                try await server.run { port in continuation.yield(port) }
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                try await group.next()
                Issue.record("the sandbox stopped before listening")
                return
            }
            do {
                try await body(Sandbox(port: port, server: server))
            } catch {
                await server.stop()
                throw error
            }
            await server.stop()
            try await group.waitForAll()
        }
        _ = directory
    }

    /// The HTTP methods the tests use.
    enum Method: String {
        case GET, POST, DELETE
    }

    /// Sends `method path` with Klaviyo's headers (each overridable; `nil` leaves it out).
    func send(
        _ method: Method, _ path: String, body: String? = nil, key: String?? = .none, revision: String?? = .none,
        contentType: String? = "application/vnd.api+json", timeout: TimeAmount = .seconds(30)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: base + path)
        request.method = HTTPMethod(rawValue: method.rawValue)
        if let key = key ?? self.key { request.headers.add(name: "Authorization", value: "Klaviyo-API-Key \(key)") }
        if let revision = revision ?? self.revision { request.headers.add(name: "revision", value: revision) }
        if let body {
            if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return Answer(
            status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    func post(_ path: String, _ body: String, key: String?? = .none, revision: String?? = .none) async throws -> Answer
    {
        try await send(.POST, path, body: body, key: key, revision: revision)
    }

    /// The JSON Lines of an inspection endpoint.
    func lines(_ path: String) async throws -> [SandboxJSON] {
        let answer = try await send(.GET, path, key: nil, revision: nil)
        return try answer.body.split(separator: "\n").map { try SandboxJSON.parse(String($0)) }
    }

    /// `/sandbox/stats` as numbers.
    func stats() async throws -> [String: Int] {
        let answer = try await send(.GET, "/sandbox/stats", key: nil, revision: nil)
        var result: [String: Int] = [:]
        for member in answer.json?.objectMembers ?? [] {
            if case .number(let n) = member.value { result[member.key] = Int(n) }
        }
        return result
    }
}
