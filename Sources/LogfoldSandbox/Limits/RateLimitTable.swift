/// The rate limits of every endpoint: a burst (1 s) and a steady (60 s) window each by default, the
/// figures of Klaviyo's OpenAPI (`x-klaviyo-ratelimit`) and of docs/klaviyo-api.md.
package struct RateLimitTable: Sendable, Hashable {
    /// The windows of each endpoint, by the endpoint's name (``SandboxEndpoint/rawValue``).
    package var windows: [String: [RateLimitWindow]]

    /// Creates a table from explicit windows.
    package init(windows: [String: [RateLimitWindow]]) { self.windows = windows }

    /// No limits at all (`--no-rate-limits`).
    package static let unlimited = RateLimitTable(windows: [:])

    /// Klaviyo's published limits.
    package static let klaviyo: RateLimitTable = {
        func pair(_ burst: Int, _ steady: Int) -> [RateLimitWindow] {
            [.perSeconds(burst, 1), .perSeconds(steady, 60)]
        }
        var windows: [String: [RateLimitWindow]] = [:]
        for endpoint in SandboxEndpoint.allCases {
            switch endpoint {
            case .events: windows[endpoint.rawValue] = pair(350, 3_500)
            case .profileImport, .suppressionCreate, .suppressionDelete, .subscriptionCreate, .subscriptionDelete:
                windows[endpoint.rawValue] = pair(75, 750)
            case .eventBulkCreate, .profileBulkImport, .profileBulkImportGet, .listsCreate, .listsGet,
                .listProfilesAdd, .listProfilesRemove:
                windows[endpoint.rawValue] = pair(10, 150)
            }
        }
        return RateLimitTable(windows: windows)
    }()

    /// The windows of `endpoint` (none: unlimited).
    package func windows(for endpoint: SandboxEndpoint) -> [RateLimitWindow] { windows[endpoint.rawValue] ?? [] }

    /// Klaviyo's limits overridden by `spec`.
    ///
    /// The syntax is `NAME=N/Ws[,N/Ws…][;NAME=…]`, where NAME is an endpoint name or `*` (every
    /// endpoint) and a window's length is `Ns`, `Nms` or `Nm`. An endpoint named keeps only the windows
    /// given; the others keep Klaviyo's.
    package static func parse(_ spec: String, base: RateLimitTable = .klaviyo) throws(SandboxSpecError)
        -> RateLimitTable
    {
        var table = base
        for clause in spec.split(separator: ";") where !clause.allSatisfy(\.isWhitespace) {
            let parts = clause.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw SandboxSpecError("rate limit '\(clause)' needs NAME=N/Ws") }
            let name = parts[0].trimming(" ")
            var windows: [RateLimitWindow] = []
            for item in parts[1].split(separator: ",") {
                windows.append(try window(item.trimming(" ")))
            }
            if name == "*" {
                for endpoint in SandboxEndpoint.allCases { table.windows[endpoint.rawValue] = windows }
            } else if SandboxEndpoint(rawValue: name) != nil {
                table.windows[name] = windows
            } else {
                let known = SandboxEndpoint.allCases.map(\.rawValue).joined(separator: ", ")
                throw SandboxSpecError("unknown endpoint '\(name)' in the rate limits; known: \(known), *")
            }
        }
        return table
    }

    private static func window(_ text: String) throws(SandboxSpecError) -> RateLimitWindow {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard parts.count == 2, let limit = Int(parts[0]), limit >= 0,
            let milliseconds = SandboxSpecError.milliseconds(String(parts[1])), milliseconds > 0
        else { throw SandboxSpecError("rate limit window '\(text)' must look like 10/1s, 150/60s or 5/500ms") }
        return RateLimitWindow(limit: limit, milliseconds: milliseconds)
    }
}
