/// Injected failures, as `--faults` and `POST /sandbox/faults` spell them:
/// `500:0.1,429:0.05,reset:0.02,timeout:0.01,delay:200ms` — each outcome with the probability that a
/// `/api/` request meets it, and an optional latency added to every request (`delay:200ms`) or to a
/// share of them (`delay:200ms:0.5`).
package struct FaultSpec: Sendable, Hashable, CustomStringConvertible {
    /// What an injected failure does.
    package enum Outcome: Sendable, Hashable, CustomStringConvertible {
        /// Answer this status with a Klaviyo error body (429 also with `Retry-After: 1`).
        case status(Int)
        /// Close the connection without answering.
        case reset
        /// Answer nothing for a long time (60 s by default), then close the connection.
        case timeout

        /// The spec's spelling.
        package var description: String {
            switch self {
            case .status(let code): String(code)
            case .reset: "reset"
            case .timeout: "timeout"
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

    /// No faults.
    package init() {}

    /// Whether the spec injects nothing.
    package var isEmpty: Bool { entries.isEmpty && delayMilliseconds == 0 }

    /// The spec in its own syntax.
    package var description: String {
        var parts = entries.map { "\($0.outcome):\($0.probability)" }
        if delayMilliseconds > 0 {
            parts.append("delay:\(delayMilliseconds)ms" + (delayProbability < 1 ? ":\(delayProbability)" : ""))
        }
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
            guard fields.count == 2 else { throw SandboxSpecError("fault '\(item)' must look like 500:0.1") }
            let outcome: Outcome
            switch name {
            case "reset": outcome = .reset
            case "timeout": outcome = .timeout
            default:
                guard let code = Int(name), (400...599).contains(code) else {
                    throw SandboxSpecError(
                        "unknown fault '\(name)'; use an HTTP status (429, 500, 503, 524…), reset, timeout or delay")
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
