import Foundation
import LogfoldDomain
import LogfoldEngine
import LogfoldTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The ingest endpoint bounds what one client can cost: the answer to a body of junk, the time a body may
/// take to arrive, the requests handled at once, and the rejects file's size.
@Suite(.serialized, .offThePool) struct HTTPLimitsTests {
    /// Sends `request` on a new connection to `port` and returns what comes back before the server
    /// closes the connection or 30 s pass (a blocking read on another process's answer, not a sleep).
    static func raw(port: UInt16, _ request: String) throws -> String {
        let fd = try connected(port: port)
        defer { close(fd) }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        return read(fd)
    }

    /// What comes back on `fd` until the server closes it, a JSON body starts, or 30 s pass.
    static func read(_ fd: Int32) -> String {
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4_096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            answer += buffer[0..<count]
            if String(decoding: answer, as: UTF8.self).contains("\r\n\r\n{") { break }
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// A TCP connection to the loopback `port`, with a 30 s receive timeout.
    static func connected(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if connected != 0 { close(fd) }
        try #require(connected == 0)
        return fd
    }

    static func port(of daemon: RunDaemonTests.Daemon) throws -> UInt16 {
        let text = try #require(daemon.url.split(separator: ":").last)
        return try #require(UInt16(text.prefix(while: \.isNumber)))
    }

    @Test("a body of 5,000 junk lines: the answer lists 100 and counts the rest; the rejects file has all")
    func junkBody() throws {
        let directory = try TemporaryDirectory()
        let data = directory.file("data")
        let daemon = try RunDaemonTests.Daemon(data: data, ["--no-send"])
        let (status, answer) = try daemon.post(Array(repeating: Substring("junk"), count: 5_000))
        #expect(status == 422)
        #expect(answer["rejected"] as? Int == 5_000)
        #expect((answer["rejections"] as? [Any])?.count == 100)
        #expect(answer["rejections_not_listed"] as? Int == 4_900)
        #expect(daemon.stop().status == 0)
        let rejects = try String(contentsOfFile: data + "/rejects.jsonl", encoding: .utf8)
        #expect(rejects.split(separator: "\n").count == 5_000)
    }

    @Test("a trickled body holds its slot until its deadline (408), meanwhile others get 503")
    func trickleAndInFlight() throws {
        let directory = try TemporaryDirectory()
        let daemon = try RunDaemonTests.Daemon(
            data: directory.file("data"), ["--no-send", "--http-body-seconds", "2", "--http-max-in-flight", "1"])
        let port = try Self.port(of: daemon)
        let entry = try #require(SendEndToEndTests.sample("activities").split(separator: "\n").first)
        let trickled = Task.detached {
            // The headers and one byte of a 1,000-byte body, then nothing.
            try Self.raw(
                port: port,
                "POST /v1/entries HTTP/1.1\r\nHost: logfold\r\nContent-Type: application/x-ndjson\r\n"
                    + "Content-Length: 1000\r\n\r\n{")
        }
        // Another process: wait until the trickled request is being handled, then the only slot is taken.
        #expect(try eventually { try daemon.health()["in_flight"] == 1 })
        #expect(try daemon.post([entry]).0 == 503, "the trickled request holds the only slot")
        let answer = try awaitResult(trickled)
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
        #expect(answer.contains("did not arrive within"))
        #expect(try daemon.post([entry]).0 == 200, "the slot is free again")
        #expect(daemon.stop().status == 0)
    }

    @Test("past --http-max-connections a new connection is not served until open ones close")
    func connectionCap() throws {
        let directory = try TemporaryDirectory()
        let daemon = try RunDaemonTests.Daemon(
            data: directory.file("data"), ["--no-send", "--http-max-connections", "2"])
        let port = try Self.port(of: daemon)
        let request = Array("GET /v1/health HTTP/1.1\r\nHost: logfold\r\n\r\n".utf8)
        // Two clients make a request each and keep their connections open, idle, holding both slots.
        let idle = try (0..<2).map { _ in
            let fd = try Self.connected(port: port)
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            #expect(Self.read(fd).hasPrefix("HTTP/1.1 200"))
            return fd
        }
        let waiting = try Self.connected(port: port)
        defer { close(waiting) }
        _ = request.withUnsafeBytes { send(waiting, $0.baseAddress, $0.count, 0) }
        // Not served while both are open (a served request would answer within milliseconds).
        var descriptor = pollfd(fd: waiting, events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 1_000) == 0, "a third connection was served past the cap of two")
        for fd in idle { close(fd) }
        let answer = Self.read(waiting)
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
        #expect(daemon.stop().status == 0)
    }

    @Test("the rejects file is rotated to FILE.1 past its size, keeping at most twice that")
    func rejectsRotation() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("rejects.jsonl")
        let writer = RejectsWriter(path: path, maximumBytes: 2_000)
        let rejection = Rejection(.notAnObject, field: nil, reason: "the line is a number", remedy: "send objects")
        for _ in 0..<60 { try writer.write([(rejection, Array("12345".utf8))]) }
        let current = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        let rotated = try FileManager.default.attributesOfItem(atPath: path + ".1")[.size] as? Int ?? 0
        #expect(current <= 2_000 && rotated <= 2_000 && rotated > 1_000)
    }
}

/// The value of a detached task, waited for from synchronous test code.
func awaitResult<T: Sendable>(_ task: Task<T, any Error>) throws -> T {
    let box = ResultHolder<T>()
    let done = DispatchSemaphore(value: 0)
    // On the global executor: the caller blocks its own (serial, OffThePool) executor until this ends.
    Task(executorPreference: globalConcurrentExecutor) {
        box.set(await task.result)
        done.signal()
    }
    done.wait()
    return try box.get()
}

private final class ResultHolder<T: Sendable>: @unchecked Sendable {
    // @unchecked: written once before the semaphore is signalled, read after it.
    private var result: Result<T, any Error>?
    func set(_ value: Result<T, any Error>) { result = value }
    func get() throws -> T {
        guard let result else { throw CancellationError() }
        return try result.get()
    }
}
