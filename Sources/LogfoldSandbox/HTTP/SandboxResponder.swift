internal import Foundation
internal import Hummingbird
internal import Logging
internal import NIOCore
internal import ServiceLifecycle

/// The sandbox's one responder: `/api/…` goes through the Klaviyo pipeline (faults, route, auth,
/// revision, body, rate limit, handler, request log), `/sandbox/…` to the inspection endpoints, `/` to
/// the web page.
struct SandboxResponder: HTTPResponder {
    typealias Context = SandboxRequestContext
    let state: SandboxState

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        let path = request.uri.path
        if path == "/api" || path.hasPrefix("/api/") {
            return await api(request, context: context)
        }
        if path.hasPrefix("/sandbox/") {
            return await sandbox(request, path: path)
        }
        if path == "/" || path == "/index.html" {
            return SandboxResponse.text(200, SandboxWebPage.html, contentType: "text/html; charset=utf-8")
        }
        return SandboxResponse.errors([.notFound("No such page: \(path).")])
    }

    /// What one `/api/` request amounts to, for the request log and the counters.
    struct Ledger {
        var entry: RequestLogEntry
        var counters: [String: Int] = ["requests": 1]
        /// A reset or timeout fault: the connection is closed once the request is in the log, so a
        /// client that saw it drop and sends its next request always finds this one logged first.
        var closeAfterRecording = false
    }

    private func api(_ request: Request, context: SandboxRequestContext) async -> Response {
        var ledger = Ledger(
            entry: RequestLogEntry(
                method: request.method.rawValue, path: request.uri.path, endpoint: nil, status: 0,
                receivedAt: state.now, answeredAt: 0, events: 0, fault: nil))
        var response = await apiResponse(request, context: context, ledger: &ledger)
        ledger.entry.answeredAt = state.now
        if ledger.entry.status == 0 && ledger.entry.fault == nil { ledger.entry.status = Int(response.status.code) }
        do {
            try await state.store.record(ledger.entry, counters: ledger.counters)
        } catch {
            context.logger.error("cannot record a request", metadata: ["error": "\(error)"])
            response = SandboxResponse.errors([Self.storeFailure(error)])
        }
        if ledger.closeAfterRecording {
            // The channel is closed: the response is never written.
            try? await context.channel.close()
        }
        return response
    }

    private func apiResponse(_ request: Request, context: SandboxRequestContext, ledger: inout Ledger) async
        -> Response
    {
        let plan = state.nextFaultPlan()
        if plan.delayMilliseconds > 0 {
            await state.configuration.clock.sleep(.milliseconds(plan.delayMilliseconds))
        }
        if let outcome = plan.outcome {
            ledger.counters["failed_injected"] = 1
            ledger.entry.fault = outcome.description
            return await inject(outcome, context: context, ledger: &ledger)
        }
        let route: SandboxRoute
        switch SandboxRoute.match(method: request.method.rawValue, path: request.uri.path) {
        case .success(let matched): route = matched
        case .failure(let error): return SandboxResponse.errors([error])
        }
        ledger.entry.endpoint = route.endpoint.rawValue
        if let error = state.authenticator.check(SandboxResponse.header("authorization", in: request)) {
            return SandboxResponse.errors([error])
        }
        let revision: String
        switch state.configuration.revisions.check(SandboxResponse.header("revision", in: request)) {
        case .success(let date): revision = date
        case .failure(let error): return SandboxResponse.errors([error])
        }
        var body: SandboxJSON?
        var syntaxError: JSONSyntaxError?
        if request.method == .post || request.method == .delete {
            switch await readBody(request) {
            case .failure(let error): return SandboxResponse.errors([error])
            case .success(let bytes):
                do throws(JSONSyntaxError) {
                    body = try SandboxJSON.parse(bytes)
                } catch {
                    syntaxError = error
                }
            }
            ledger.entry.events = body.map { Self.eventCount($0, route.endpoint) } ?? 0
        }
        var status: RateLimiter.Status?
        switch state.admit(route.endpoint) {
        case .throttled(let seconds):
            ledger.counters["rate_limited"] = 1
            var response = SandboxResponse.errors([Self.throttled(seconds)])
            SandboxResponse.set("Retry-After", String(seconds), on: &response)
            return response
        case .allowed(let admitted):
            status = admitted
        }
        var response: Response
        if let syntaxError {
            ledger.counters["received"] = ledger.entry.events
            ledger.counters["rejected"] = ledger.entry.events
            response = SandboxResponse.errors([
                SandboxAPIError(
                    status: 400, code: "parse_error", title: "Malformed request.",
                    detail: "The request body is not valid JSON: \(syntaxError).", pointer: "/data/")
            ])
        } else {
            let call = EndpointCall(
                route: route, request: request, body: body ?? .null, revision: revision, baseURL: Self.baseURL(request))
            response = await handle(call, ledger: &ledger)
        }
        if let status {
            SandboxResponse.set("RateLimit-Limit", String(status.limit), on: &response)
            SandboxResponse.set("RateLimit-Remaining", String(status.remaining), on: &response)
            SandboxResponse.set("RateLimit-Reset", String(status.resetSeconds), on: &response)
        }
        return response
    }

    /// The body, up to the configured limit (413 beyond), refusing media types other than JSON (415).
    private func readBody(_ request: Request) async -> Result<[UInt8], SandboxAPIError> {
        if let type = SandboxResponse.header("content-type", in: request) {
            let media = type.split(separator: ";").first.map { $0.trimming(" ").lowercased() } ?? ""
            guard media == "application/vnd.api+json" || media == "application/json" else {
                return .failure(
                    SandboxAPIError(
                        status: 415, code: "unsupported_media_type", title: "Unsupported media type.",
                        detail: "Content-Type '\(type)' is not supported; send application/vnd.api+json."))
            }
        }
        let limit = state.configuration.maximumBodyBytes
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return .success(Array(buffer.readableBytesView))
        } catch {
            return .failure(
                SandboxAPIError(
                    status: 413, code: "request_too_large", title: "Request entity too large.",
                    detail: "The body exceeds \(limit) bytes (5 MB); split the request."))
        }
    }

    /// Applies an injected failure.
    private func inject(_ outcome: FaultSpec.Outcome, context: SandboxRequestContext, ledger: inout Ledger) async
        -> Response
    {
        switch outcome {
        case .reset:
            ledger.closeAfterRecording = true
        case .timeout:
            await Self.hold(for: state.configuration.timeoutFaultDuration, on: state.configuration.clock)
            ledger.closeAfterRecording = true
        case .outage:
            ledger.entry.status = 503
            return SandboxResponse.errors([Self.injected(503)])
        case .status(let code):
            ledger.entry.status = code
            if code == 429 {
                var response = SandboxResponse.errors([Self.throttled(1)])
                SandboxResponse.set("Retry-After", "1", on: &response)
                return response
            }
            return SandboxResponse.errors([Self.injected(code)])
        }
        // The channel is closed (in `api`, after recording) before this response could be written.
        return SandboxResponse.empty(500)
    }

    /// Holds a request for `duration` on `clock`, or until a graceful shutdown (SIGTERM) or cancellation.
    ///
    /// Each wait is cut short by a graceful shutdown (ServiceLifecycle calls the handler at once when the
    /// shutdown began before the request arrived), and the flags are looked at again after every wait of
    /// at most 100 ms on `clock`. Waking only by looking, a hold on a clock that nothing advances (a test's
    /// manual clock) never saw the shutdown, and the server's stop waited for it for ever.
    static func hold(for duration: Duration, on clock: SandboxClock) async {
        let deadline = clock.now() + Int64(duration / .milliseconds(1))
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let left = deadline - clock.now()
            guard left > 0 else { return }
            // The sleep returns early when cancelled, which a graceful shutdown does here.
            await cancelWhenGracefulShutdown { await clock.sleep(.milliseconds(min(left, 100))) }
        }
    }

    static func throttled(_ seconds: Int) -> SandboxAPIError {
        SandboxAPIError(
            status: 429, code: "throttled", title: "Request was throttled.",
            detail: "Request was throttled. Expected available in \(seconds) second\(seconds == 1 ? "" : "s").")
    }

    static func injected(_ code: Int) -> SandboxAPIError {
        let (name, title): (String, String) =
            switch code {
            case 500: ("error", "A server error occurred.")
            case 502: ("bad_gateway", "Bad gateway.")
            case 503: ("service_unavailable", "Service unavailable.")
            case 504: ("gateway_timeout", "Gateway timeout.")
            case 524: ("timeout", "A timeout occurred.")
            default: ("error", "Injected failure.")
            }
        return SandboxAPIError(status: code, code: name, title: title, detail: "Injected by the sandbox (--faults).")
    }

    static func storeFailure(_ error: any Error) -> SandboxAPIError {
        SandboxAPIError(
            status: 500, code: "error", title: "A server error occurred.",
            detail: "The sandbox could not use its state file: \(error).")
    }

    /// `http://` and the Host the client used, for `links.self`.
    static func baseURL(_ request: Request) -> String {
        "http://" + (request.head.authority ?? "localhost")
    }

    /// How many events a body carries (for the log and the counters); 0 outside the event endpoints.
    static func eventCount(_ body: SandboxJSON, _ endpoint: SandboxEndpoint) -> Int {
        switch endpoint {
        case .events:
            return body["data"] == nil ? 0 : 1
        case .eventBulkCreate:
            let items = body["data"]?["attributes"]?["events-bulk-create"]?["data"]?.arrayElements ?? []
            return items.reduce(0) { $0 + ($1["attributes"]?["events"]?["data"]?.arrayElements?.count ?? 0) }
        default:
            return 0
        }
    }
}
