internal import Foundation
internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// Routes the local ActiveCampaign: `/api/3/…` and `/event` through faults, auth, the account's rate
/// limit and the handlers, with every request logged; `/sandbox/…` to inspection; `/` to the page.
struct ACSandboxResponder: HTTPResponder {
    typealias Context = SandboxRequestContext
    let state: ACSandboxState

    func respond(to request: Request, context: SandboxRequestContext) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix("/api/3/") || path == "/event" { return await api(request, context: context) }
        if path.hasPrefix("/sandbox/") { return await inspect(request, path: path) }
        if path == "/" || path == "/index.html" {
            return SandboxResponse.text(200, ACSandboxWebPage.html, contentType: "text/html; charset=utf-8")
        }
        return Self.answer(ACProblem.message(404, "No such page: \(path)"))
    }

    private func api(_ request: Request, context: SandboxRequestContext) async -> Response {
        let received = state.now
        var counters = ["requests": 1]
        var fault: String?
        var closeAfterRecording = false
        let response: Response
        let plan = state.nextFaultPlan()
        if plan.delayMilliseconds > 0 { await state.configuration.clock.sleep(.milliseconds(plan.delayMilliseconds)) }
        if let outcome = plan.outcome {
            counters["failed_injected"] = 1
            fault = outcome.description
            switch outcome {
            case .reset:
                closeAfterRecording = true
                response = SandboxResponse.empty(500)
            case .timeout:
                await SandboxResponder.hold(
                    for: state.configuration.timeoutFaultDuration, on: state.configuration.clock)
                closeAfterRecording = true
                response = SandboxResponse.empty(500)
            case .outage:
                response = Self.answer(ACProblem.message(503, "Service Unavailable"))
            case .status(let code):
                var answer = Self.answer(ACProblem.message(code, code == 429 ? "Too Many Requests" : "Server Error"))
                if code == 429 { SandboxResponse.set("Retry-After", "1", on: &answer) }
                response = answer
            }
        } else if let wait = state.admit() {
            counters["rate_limited"] = 1
            var answer = Self.answer(ACProblem.message(429, "Too Many Requests"))
            SandboxResponse.set("Retry-After", String(wait), on: &answer)
            SandboxResponse.set("RateLimit-Limit", String(state.configuration.requestsPerSecond ?? 0), on: &answer)
            SandboxResponse.set("RateLimit-Remaining", "0", on: &answer)
            response = answer
        } else {
            response = await handle(request, counters: &counters)
        }
        try? await state.store.record(
            method: request.method.rawValue, path: request.uri.path,
            status: closeAfterRecording ? 0 : Int(response.status.code),
            receivedAt: received, answeredAt: state.now, fault: fault, counters: counters)
        if closeAfterRecording { try? await context.channel.close() }
        return response
    }

    private func handle(_ request: Request, counters: inout [String: Int]) async -> Response {
        var request = request
        let bytes: [UInt8]
        do {
            bytes = Array(try await request.collectBody(upTo: 4 << 20).readableBytesView)
        } catch {
            return Self.answer(ACProblem.message(413, "Request body too large"))
        }
        if request.uri.path == "/event" {
            let answer = await track(bytes)
            counters[answer.success ? "events_accepted" : "events_refused"] = 1
            return SandboxResponse.json(200, answer.body, contentType: "application/json")
        }
        let token = SandboxResponse.header("api-token", in: request)
        guard let token, !token.isEmpty, state.configuration.apiToken.map({ $0 == token }) ?? true else {
            counters["forbidden"] = 1
            return Self.answer(ACProblem.message(403, "Forbidden"))
        }
        var parsed: SandboxJSON?
        if !bytes.isEmpty {
            guard let value = try? SandboxJSON.parse(bytes) else {
                counters["rejected"] = 1
                return Self.answer(ACProblem(status: 400, body: .object([])))
            }
            parsed = value
        }
        let body = parsed
        let segments = request.uri.path.dropFirst("/api/3/".count).split(separator: "/").map(String.init)
        let query = Self.query(request.uri.query)
        let method = request.method.rawValue
        let api = ACSandboxAPI(now: state.now)
        do {
            let answer = try await state.store.write { objects in
                try api.handle(method, segments, query: query, body: body, objects)
            }
            counters["accepted"] = 1
            return SandboxResponse.json(answer.status, answer.body, contentType: "application/json")
        } catch let problem as ACProblem {
            counters["rejected"] = 1
            return Self.answer(problem)
        } catch {
            return Self.answer(ACProblem.message(500, "sandbox store: \(error)"))
        }
    }

    /// `POST /event`, the tracking endpoint; always 200, `success` 1 or 0 says what happened.
    ///
    /// The form holds `actid`, `key`, `event` (32 characters at most), `eventdata` and `visit` (a JSON
    /// string with the contact's email).
    private func track(_ bytes: [UInt8]) async -> (success: Bool, body: SandboxJSON) {
        let form = Self.query(String(decoding: bytes, as: UTF8.self))
        func refuse(_ message: String) -> (Bool, SandboxJSON) {
            (false, .object([.init("success", .number("0")), .init("message", .string(message))]))
        }
        let configuration = state.configuration
        guard let account = form["actid"], !account.isEmpty, configuration.eventAccount.map({ $0 == account }) ?? true,
            let key = form["key"], !key.isEmpty, configuration.eventKey.map({ $0 == key }) ?? true
        else { return refuse("Invalid actid or key") }
        guard let event = form["event"], !event.isEmpty else { return refuse("Event name is required") }
        guard event.count <= 32 else { return refuse("Event name must be 32 characters or fewer") }
        guard let visit = form["visit"].flatMap({ try? SandboxJSON.parse($0) }), let email = visit.text("email"),
            email.contains("@")
        else { return refuse("visit must be a JSON object with the contact's email") }
        let now = state.now
        do {
            try await state.store.write { objects in
                try objects.appendEvent(email: email, event: event, eventdata: form["eventdata"], at: now)
            }
        } catch {
            return refuse("sandbox store: \(error)")
        }
        return (true, .object([.init("success", .number("1")), .init("message", .string("Event spawned"))]))
    }

    /// `name=value&…` with both sides percent-decoded (`+` is a space).
    static func query(_ text: String?) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (text ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            guard let name = parts.first, result[name] == nil else { continue }
            result[name] = parts.count > 1 ? parts[1] : ""
        }
        return result
    }

    static func answer(_ problem: ACProblem) -> Response {
        SandboxResponse.json(problem.status, problem.body, contentType: "application/json")
    }
}
