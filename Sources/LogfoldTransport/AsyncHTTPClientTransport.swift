import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// The production transport: AsyncHTTPClient with a connection pool of its own.
package final class AsyncHTTPClientTransport: HTTPTransport {
    private let client: HTTPClient
    /// The largest response body read; a longer one is a transport failure.
    private let maximumBodyBytes: Int

    /// A transport that keeps up to `connections` HTTP/1 connections per host, opens each within
    /// `connectTimeout` and closes an idle one after a minute.
    package init(connections: Int = 8, connectTimeout: Duration = .seconds(10), maximumBodyBytes: Int = 16 << 20) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .nanoseconds(connectTimeout.nanosecondsClamped))
        configuration.connectionPool = .init(
            idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connections))
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.maximumBodyBytes = maximumBodyBytes
    }

    package func execute(_ request: TransportRequest, timeout: Duration) async throws -> TransportResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        let answer = try await client.execute(outgoing, timeout: .nanoseconds(timeout.nanosecondsClamped))
        let bytes = try await answer.body.collect(upTo: maximumBodyBytes)
        return TransportResponse(
            status: Int(answer.status.code),
            headers: answer.headers.map { TransportHeader(name: $0.name, value: $0.value) },
            body: Array(buffer: bytes))
    }

    package func shutdown() async {
        // Shutting down twice reports an error that means nothing to the caller.
        try? await client.shutdown()
    }
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64`.
    fileprivate var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled.addingReportingOverflow(attoseconds / 1_000_000_000).partialValue
    }
}
