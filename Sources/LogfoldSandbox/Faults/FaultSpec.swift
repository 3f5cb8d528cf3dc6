/// Injected failures, as `--faults` and `POST /sandbox/faults` spell them.
///
/// `500:0.1,429:0.05,reset:0.02,timeout:0.01,delay:200ms` — each outcome with the probability that a
/// `/api/` request meets it, and an optional latency added to every request (`delay:200ms`) or to a
/// share of them (`delay:200ms:0.5`). `outage:60s:200` takes the API down after the 200th `/api/` request:
/// every request for the next 60 seconds answers 503.
package struct FaultSpec: Sendable, Hashable, CustomStringConvertible {
    /// What an injected failure does.
    package enum Outcome: Sendable, Hashable, CustomStringConvertible {
        /// Answer this status with a Klaviyo error body (429 also with `Retry-After: 1`).
        case status(Int)
        /// Close the connection without answering.
        case reset
        /// Answer nothing for a long time (60 s by default), then close the connection.
        case timeout
        /// Answer 503: the API is down (`outage:…`).
        case outage

        /// The spec's spelling.
        package var description: String {
            switch self {
            case .status(let code): String(code)
            case .reset: "reset"
            case .timeout: "timeout"
            case .outage: "outage"
            }
        }
    }

    /// One outcome and its probability.
    package struct Entry: Sendable, Hashable {
        /// The outcome.
        package var outcome: Outcome
        /// Its probability per request, 0…1.
        package var probability: Double
    }

    /// The outcomes, in the order given; their probabilities sum to at most 1.
    package var entries: [Entry] = []
    /// Latency added before answering, in milliseconds.
    package var delayMilliseconds: Int64 = 0
    /// The share of requests that get the latency.
    package var delayProbability: Double = 1
    /// A stretch of time when every request fails.
    package var outage: Outage?

    /// An outage: it begins with the request after the first `afterRequests`, and lasts `milliseconds`.
    package struct Outage: Sendable, Hashable {
        /// `/api/` requests served (or faulted) before the outage begins.
        package var afterRequests: Int
        /// How long it lasts.
        package var milliseconds: Int64

        /// Creates an outage.
        package init(afterRequests: Int, milliseconds: Int64) {
            self.afterRequests = afterRequests
            self.milliseconds = milliseconds
        }
    }

    /// No faults.
    package init() {}

    /// Whether the spec injects nothing.
    package var isEmpty: Bool { entries.isEmpty && delayMilliseconds == 0 && outage == nil }

    /// The spec in its own syntax.
    package var description: String {
        var parts = entries.map { "\($0.outcome):\($0.probability)" }
        if delayMilliseconds > 0 {
            parts.append("delay:\(delayMilliseconds)ms" + (delayProbability < 1 ? ":\(delayProbability)" : ""))
        }
        if let outage { parts.append("outage:\(outage.milliseconds)ms:\(outage.afterRequests)") }
        return parts.joined(separator: ",")
    }

    /// Parses a spec; an empty text means no faults.
    package static func parse(_ text: String) throws(SandboxSpecError) -> FaultSpec {
        var spec = FaultSpec()
        for item in text.split(whereSeparator: { $0 == "," || $0.isNewline }) {
            let fields = item.split(separator: ":").map { $0.trimming(" ") }
            guard let name = fields.first, !name.isEmpty else { continue }
            if name == "delay" {
                guard fields.count >= 2, fields.count <= 3, let ms = SandboxSpecError.milliseconds(fields[1]), ms >= 0
                else { throw SandboxSpecError("fault '\(item)' must look like delay:200ms or delay:200ms:0.5") }
                spec.delayMilliseconds = ms
                if fields.count == 3 { spec.delayProbability = try probability(fields[2], item) }
                continue
            }
            if name == "outage" {
                guard fields.count == 3, let ms = SandboxSpecError.milliseconds(fields[1]), ms > 0,
                    let after = Int(fields[2]), after >= 0
                else {
                    throw SandboxSpecError(
                        "fault '\(item)' must look like outage:60s:200 (length, then requests before)")
                }
                spec.outage = Outage(afterRequests: after, milliseconds: ms)
                continue
            }
            guard fields.count == 2 else { throw SandboxSpecError("fault '\(item)' must look like 500:0.1") }
            let outcome: Outcome
            switch name {
            case "reset": outcome = .reset
            case "timeout": outcome = .timeout
            default:
                guard let code = Int(name), (400...599).contains(code) else {
                    throw SandboxSpecError(
                        "unknown fault '\(name)'; use an HTTP status (429, 500, 503, 524…), reset, timeout, delay "
                            + "or outage")
                }
                outcome = .status(code)
            }
            spec.entries.append(Entry(outcome: outcome, probability: try probability(fields[1], item)))
        }
        let total = spec.entries.reduce(0) { $0 + $1.probability }
        guard total <= 1.000_000_1 else {
            throw SandboxSpecError("fault probabilities sum to \(total); at most 1")
        }
        return spec
    }

    private static func probability(_ text: String, _ item: Substring) throws(SandboxSpecError) -> Double {
        guard let p = Double(text), p >= 0, p <= 1 else {
            throw SandboxSpecError("fault '\(item)': the probability must be a number from 0 to 1")
        }
        return p
    }
}
