import Foundation
internal import Hummingbird
import LogfoldEngine

/// The daemon's read-only observation routes.
///
/// `GET /metrics` (Prometheus text format) and `GET /v1/status` (what `logfold status --json` prints), on
/// the HTTP ingest port or, without one, on `--metrics-port`. Neither shows a secret.
enum ObservabilityRoutes {
    /// The store reads of a scrape, one at a time on their own thread (LMDB and SQLite reads block).
    private static let reads = BlockingWork(label: "logfold.metrics")

    /// Adds the two routes to `router`.
    static func add(to router: Router<BasicRequestContext>, metrics: DaemonMetrics) {
        router.get("/metrics") { _, _ in
            await answer(contentType: "text/plain; version=0.0.4; charset=utf-8") { try metrics.scrape() }
        }
        router.get("/v1/status") { request, _ in
            // `?estimate=false` leaves out ActiveCampaign's drain estimate, which reads its whole outbox.
            let estimate = request.uri.queryParameters.get("estimate") != "false"
            return await answer(contentType: "application/json") { try metrics.status(estimate: estimate) + "\n" }
        }
        router.get("/v1/activity") { _, _ in
            await answer(contentType: "application/json") { try metrics.activity() + "\n" }
        }
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: StatusPage.html)))
        }
    }

    private static func answer(contentType: String, _ body: @escaping @Sendable () throws -> String) async
        -> Response
    {
        do {
            let text = try await reads.run(body)
            return Response(
                status: .ok, headers: [.contentType: contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        } catch {
            return IngestEndpoint.problem(
                .serviceUnavailable, "cannot read the journal or store: \(error)", remedy: "see the daemon's log")
        }
    }
}
