import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A real `logfold sandbox` child process on a free loopback port, for end-to-end tests.
package final class SandboxProcess: @unchecked Sendable {
    // @unchecked: driven from one test at a time.
    private let child: LogfoldProcess
    /// `http://127.0.0.1:PORT`.
    package let url: String

    /// Starts `logfold sandbox --port 0 --data DIR EXTRA...` and waits for its ready line.
    package init(data: String, _ extra: [String] = [], environment: [String: String] = [:]) throws {
        child = try LogfoldProcess(["sandbox", "--port", "0", "--data", data] + extra, environment: environment)
        guard let line = child.readLine(timeout: .seconds(30)), let range = line.range(of: "http://") else {
            child.send(SIGKILL)
            let result = child.finish()
            throw CocoaError(
                .fileReadUnknown,
                userInfo: [NSLocalizedDescriptionKey: "the sandbox did not start: \(result.stderr)"])
        }
        url = String(line[range.lowerBound...]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops it with SIGTERM and waits.
    package func stop() {
        child.send(SIGTERM)
        _ = child.finish()
    }

    /// `GET PATH` (or another method), returning the status and body.
    package func request(_ method: String = "GET", _ path: String, body: String? = nil) throws -> (Int, String) {
        try httpRequest(method, url + path, body: body)
    }

    /// The JSON objects of a JSON Lines inspection endpoint (`/sandbox/events`, `/sandbox/profiles`, ...).
    package func lines(_ path: String) throws -> [[String: Any]] {
        let (status, body) = try request("GET", path)
        guard status == 200 else { throw URLError(.badServerResponse) }
        return try body.split(separator: "\n").compactMap {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// `GET /sandbox/stats`.
    package func stats() throws -> [String: Int] {
        let (_, body) = try request("GET", "/sandbox/stats")
        let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] ?? [:]
        return object.compactMapValues { ($0 as? NSNumber)?.intValue }
    }
}

/// `METHOD URL` over loopback with an optional body, returning the status and body (blocking); throws
/// `URLError(.timedOut)` when no answer comes within `timeout` seconds.
package func httpRequest(
    _ method: String, _ url: String, body: String? = nil, headers: [String: String] = [:], timeout: Double = 60
) throws -> (Int, String) {
    guard let target = URL(string: url) else { throw URLError(.badURL) }
    var request = URLRequest(url: target, timeoutInterval: timeout)
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    request.httpMethod = method
    request.httpBody = body.map { Data($0.utf8) }
    let box = ResultBox()
    let done = DispatchSemaphore(value: 0)
    URLSession.shared.dataTask(with: request) { data, response, error in
        box.value = (
            (response as? HTTPURLResponse)?.statusCode ?? 0, data.map { String(decoding: $0, as: UTF8.self) } ?? "",
            error
        )
        done.signal()
    }.resume()
    done.wait()
    if let error = box.value.2 { throw error }
    return (box.value.0, box.value.1)
}

private final class ResultBox: @unchecked Sendable {
    // @unchecked: written once by URLSession's callback before `done` is signalled, read only after.
    var value: (Int, String, (any Error)?) = (0, "", nil)
}
