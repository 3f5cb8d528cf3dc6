import Foundation
internal import Hummingbird
import LogfoldDomain
import LogfoldEngine
import LogfoldJournal
import LogfoldStore
import Logging
internal import NIOCore
import Synchronization

/// The daemon's HTTP source: `POST /v1/entries` journals a JSON Lines body, `GET /v1/health` reports.
///
/// A POST answers only after its entries are committed to the journal (with the journal's durability),
/// so a 200 means "journaled": a client that got no answer re-posts, and ingest's idempotency by entry
/// id keeps each entry once. Bad lines are rejected one by one, as in files: the others are journaled,
/// and the answer (422) lists each rejected line with its field, reason and remedy.
final class IngestEndpoint: Sendable {
    private let ingestor: Ingestor
    private let journal: Journal
    private let store: StateStore
    private let configuration: HTTPIngestConfiguration
    private let logger: Logger
    private let stop: StopSignal
    /// Commits run here, one at a time, off the cooperative pool: a journal commit blocks on fsync.
    private let commits = BlockingWork(label: "logfold-http-ingest")
    private let requests = Atomic<Int>(0)
    private let inFlight = Atomic<Int>(0)

    init(
        ingestor: Ingestor, journal: Journal, store: StateStore, configuration: HTTPIngestConfiguration,
        logger: Logger, stop: StopSignal
    ) {
        self.ingestor = ingestor
        self.journal = journal
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.stop = stop
    }

    /// POST requests answered so far.
    var answered: Int { requests.load(ordering: .relaxed) }

    /// The routes.
    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/v1/entries") { request, _ in await self.post(request) }
        router.get("/v1/health") { _, _ in await self.health() }
        return router
    }

    private func post(_ request: Request) async -> Response {
        defer { requests.add(1, ordering: .relaxed) }
        if let refusal = Self.refusal(of: request.headers) { return refusal }
        guard inFlight.add(1, ordering: .acquiringAndReleasing).newValue <= configuration.maximumInFlight else {
            inFlight.subtract(1, ordering: .acquiringAndReleasing)
            var answer = Self.problem(
                .serviceUnavailable,
                "\(configuration.maximumInFlight) requests are being handled already; nothing of this one was journaled",
                remedy: "post it again in a moment (entries are kept once by id)")
            answer.headers[.retryAfter] = "1"
            return answer
        }
        defer { inFlight.subtract(1, ordering: .acquiringAndReleasing) }
        if let token = configuration.bearerToken, !Self.carries(token, request.headers[.authorization]) {
            var answer = Self.problem(
                .unauthorized, "missing or wrong bearer token; nothing was journaled",
                remedy: "send the header `Authorization: Bearer TOKEN` with the token of the daemon's --http-token-file"
            )
            answer.headers[.wwwAuthenticate] = "Bearer realm=\"logfold\""
            return answer
        }
        let body: ByteBuffer
        do {
            body = try await Self.collect(
                request, upTo: configuration.maximumBodyBytes, within: configuration.bodyDeadline)
        } catch is BodyDeadlineExceeded {
            var answer = Self.problem(
                .requestTimeout,
                "the body did not arrive within \(configuration.bodyDeadline); nothing of it was journaled",
                remedy: "send the whole body at once, or fewer lines per request")
            answer.headers[.connection] = "close"
            return answer
        } catch is NIOTooManyBytesError {
            return Self.problem(
                .contentTooLarge,
                "the body is larger than \(configuration.maximumBodyBytes) bytes; nothing of it was journaled",
                remedy: "post fewer lines per request, or raise --http-max-body-bytes")
        } catch {
            return Self.problem(.badRequest, "the body could not be read: \(error)", remedy: "post it again")
        }
        let lines = LineBatch(splitting: Array(buffer: body))
        let source = "http POST /v1/entries"
        let outcome = await commits.run { [ingestor] () -> Result<Ingestor.BatchOutcome, EngineError> in
            Result { () throws(EngineError) in try ingestor.ingest(lines, sourceName: source) }
        }
        switch outcome {
        case .success(let result):
            return Self.json(result.rejections.isEmpty ? .ok : .unprocessableContent, Self.render(result))
        case .failure(let error) where error.code == .journal:
            logger.error("HTTP ingest failed", metadata: ["error": "\(LogRedaction.redact("\(error)"))"])
            return Self.problem(
                .serviceUnavailable, "the journal refused the batch: \(error.message); nothing of it was journaled",
                remedy: "post the same body again later (entries are kept once by id); the operator should check "
                    + "the daemon's log and disk")
        case .failure(let error):
            // The journal commit went through; recording the rejected lines did not.
            logger.error("HTTP ingest failed", metadata: ["error": "\(LogRedaction.redact("\(error)"))"])
            return Self.problem(
                .internalServerError,
                "the valid entries were journaled, but the rejected lines could not be recorded: \(error.message)",
                remedy: "post the same body again once the rejects file is writable: journaled entries come back "
                    + "as duplicates and the rejections are recorded")
        }
    }

    private struct BodyDeadlineExceeded: Error {}

    /// The request's body, which must arrive whole within `deadline`: a client trickling a byte at a time
    /// would otherwise hold a slot (and the connection) for as long as it likes.
    private static func collect(_ request: Request, upTo limit: Int, within deadline: Duration) async throws
        -> ByteBuffer
    {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await request.body.collect(upTo: limit) }
            group.addTask {
                // A wait for time, not a condition: a client's body deadline is wall time by definition.
                try await Task.sleep(for: deadline)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let body = first else { throw BodyDeadlineExceeded() }
            return body
        }
    }

    /// Content types of a JSON Lines body (parameters such as `charset` aside).
    static let jsonLinesTypes: Set<String> = [
        "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines",
        "application/json-lines", "application/json",
    ]

    /// Why a request is refused before anything else, if it is.
    ///
    /// A web page's request is refused (a browser adds `Origin` or `Sec-Fetch-Site`; the platform's
    /// servers send neither), and so is a body that is not declared JSON Lines
    /// (`text/plain` is what a page may post cross-site without asking). The first writer of an id wins,
    /// so a page must not be able to pre-empt the platform's entries.
    static func refusal(of headers: HTTPFields) -> Response? {
        let fetchSite = headers.first { $0.name.canonicalName == "sec-fetch-site" }?.value.lowercased()
        if headers[.origin] != nil || (fetchSite != nil && fetchSite != "none") {
            return problem(
                .forbidden, "requests from web pages (Origin / Sec-Fetch-Site) are refused; nothing was journaled",
                remedy: "post from the platform's servers, not from a browser")
        }
        let declared = headers[.contentType]?.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard let declared, jsonLinesTypes.contains(declared) else {
            return problem(
                .unsupportedMediaType,
                "the body is declared \(declared.map { "`\($0)`" } ?? "without a Content-Type"), not JSON Lines; "
                    + "nothing was journaled",
                remedy: "send `Content-Type: application/x-ndjson`")
        }
        return nil
    }

    /// The health check's reads, one at a time on their own thread.
    private static let healthReads = BlockingWork(label: "logfold.health")

    private func health() async -> Response {
        do {
            // LMDB and SQLite reads block: on a thread of their own, not the cooperative pool (nor NIO's
            // shared pool, which other blocking work can fill).
            let (head, checkpoint) = try await Self.healthReads.run { [journal, store] () throws -> (UInt64, UInt64) in
                (try journal.head(), try store.checkpoint(Projector.defaultName))
            }
            let status = stop.isRequested ? "stopping" : "ok"
            return Self.json(
                .ok,
                "{\"status\":\(JSONText.quote(status)),\"journal_head\":\(head),\"checkpoint\":\(checkpoint),"
                    // Negative when the store is ahead of its journal: never clamped, it is the alarm.
                    + "\"lag\":\(Int64(bitPattern: head) - Int64(bitPattern: checkpoint)),"
                    + "\"in_flight\":\(inFlight.load(ordering: .acquiring))}")
        } catch {
            return Self.problem(
                .serviceUnavailable, "cannot read the journal or store: \(error)", remedy: "see the log")
        }
    }

    /// Whether an `Authorization` header carries `Bearer token`; compares in time independent of where the
    /// bytes differ, so the answer's timing does not leak the token byte by byte.
    static func carries(_ token: String, _ header: String?) -> Bool {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        let given = Array(header.utf8.dropFirst(7))
        let expected = Array(token.utf8)
        guard given.count == expected.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(given, expected) { difference |= a ^ b }
        return difference == 0
    }

    /// Rejections listed in one answer.
    ///
    /// The rest are counted (`rejections_not_listed`) and all are in the rejects file: a body of junk must
    /// not make an answer a hundred times its size.
    static let listedRejections = 100

    /// The answer to a POST: counts, the journal head, and the first rejected lines.
    static func render(_ outcome: Ingestor.BatchOutcome) -> String {
        var text = "{\"ingested\":\(outcome.ingested),\"duplicates\":\(outcome.duplicates),"
        text += "\"rejected\":\(outcome.rejections.count),\"journal_head\":\(outcome.head),"
        text += "\"rejections_not_listed\":\(max(0, outcome.rejections.count - listedRejections)),\"rejections\":["
        for (index, rejection) in outcome.rejections.prefix(listedRejections).enumerated() {
            if index > 0 { text += "," }
            text += "{\"line\":\(rejection.line.map(String.init) ?? "null")"
            text += ",\"id\":\(rejection.entryID.map(String.init) ?? "null")"
            text += ",\"code\":\(JSONText.quote(rejection.code.rawValue))"
            text += ",\"field\":\(rejection.field.map(JSONText.quote) ?? "null")"
            text += ",\"reason\":\(JSONText.quote(rejection.reason)),\"remedy\":\(JSONText.quote(rejection.remedy))}"
        }
        return text + "]}"
    }

    static func problem(_ status: HTTPResponse.Status, _ message: String, remedy: String) -> Response {
        json(status, "{\"error\":\(JSONText.quote(message)),\"remedy\":\(JSONText.quote(remedy))}")
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text + "\n")))
    }
}
