internal import Hummingbird

extension SandboxResponder {
    /// The counters `/sandbox/stats` reports, in order.
    static let statNames = [
        "received", "accepted", "deduplicated", "rate_limited", "failed_injected", "rejected", "requests",
    ]

    /// `/sandbox/…`: inspection and control, never rate-limited, faulted or logged.
    func sandbox(_ request: Request, path: String) async -> Response {
        let route = path.hasSuffix("/") ? String(path.dropLast()) : path
        let query = request.uri.queryParameters
        do {
            switch (request.method, route) {
            case (.get, "/sandbox/events"):
                let profile = query["profile_id"].map { String($0) }
                return SandboxResponse.lines(try await state.store.eventLines(profileID: profile))
            case (.get, "/sandbox/profiles"):
                let search = query["q"].map { String($0) }
                return SandboxResponse.lines(try await state.store.profileLines(query: search))
            case (.get, "/sandbox/stats"):
                let counters = try await state.store.counters()
                let stats = SandboxJSON.object(Self.statNames.map { .init($0, .integer(counters[$0] ?? 0)) })
                return SandboxResponse.json(200, stats, contentType: "application/json")
            case (.get, "/sandbox/requests"):
                return SandboxResponse.lines(try await state.store.requestLines())
            case (.get, "/sandbox/faults"):
                return SandboxResponse.text(200, state.faults.description + "\n", contentType: "text/plain")
            case (.post, "/sandbox/faults"):
                return await setFaults(request, seed: query["seed"].flatMap { UInt64(String($0)) })
            case (.post, "/sandbox/reset"):
                try await state.reset()
                return SandboxResponse.json(200, .object(["reset": .bool(true)]), contentType: "application/json")
            default:
                return SandboxResponse.errors([.notFound("No such sandbox endpoint: \(request.method) \(path).")])
            }
        } catch {
            return SandboxResponse.errors([Self.storeFailure(error)])
        }
    }

    private func setFaults(_ request: Request, seed: UInt64?) async -> Response {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: 64 * 1024) else {
            return SandboxResponse.errors([
                SandboxAPIError(status: 413, code: "request_too_large", title: "Too large.", detail: "Spec over 64 KB.")
            ])
        }
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        do throws(SandboxSpecError) {
            let spec = try FaultSpec.parse(text)
            state.setFaults(spec, seed: seed)
            return SandboxResponse.json(
                200, .object(["faults": .string(spec.description)]), contentType: "application/json")
        } catch {
            return SandboxResponse.errors([
                SandboxAPIError(status: 400, code: "invalid", title: "Invalid fault spec.", detail: error.description)
            ])
        }
    }
}
