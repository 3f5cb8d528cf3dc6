/// A strict reader of Prometheus' text exposition format (version 0.0.4), for tests of `GET /metrics`.
///
/// It refuses what Prometheus would: a malformed name, label or value, a sample before its family's
/// `# TYPE`, a family typed twice, and a histogram whose buckets are not cumulative or whose `+Inf`
/// bucket differs from its `_count`.
public enum PrometheusText {
    /// One sample: a name, its labels in order, a value.
    public struct Sample: Sendable, Hashable {
        public var name: String
        public var labels: [String: String]
        public var value: Double
    }

    /// Why a text is not valid exposition format, with the line.
    public struct Invalid: Error, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// The samples of `text`, with each family's type (`counter`, `gauge`, `histogram`, …).
    public static func parse(_ text: String) throws -> (samples: [Sample], types: [String: String]) {
        var samples: [Sample] = []
        var types: [String: String] = [:]
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            let number = index + 1
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                let words = line.split(separator: " ", maxSplits: 3).map(String.init)
                guard words.count >= 2, words[0] == "#" else { continue }
                if words[1] == "TYPE" {
                    guard words.count == 4, isName(words[2]),
                        ["counter", "gauge", "histogram", "summary", "untyped"].contains(words[3])
                    else { throw Invalid(line: number, reason: "a bad TYPE line: \(line)") }
                    guard types[words[2]] == nil else {
                        throw Invalid(line: number, reason: "\(words[2]) is typed twice")
                    }
                    types[words[2]] = words[3]
                }
                continue
            }
            let sample = try parseSample(line, number)
            let family = family(of: sample.name, types)
            guard types[family] != nil else {
                throw Invalid(line: number, reason: "\(sample.name) comes before its family's TYPE")
            }
            samples.append(sample)
        }
        try checkHistograms(samples, types)
        return (samples, types)
    }

    private static func parseSample(_ line: String, _ number: Int) throws -> Sample {
        var rest = Substring(line)
        let name = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" })
        guard isName(name) else { throw Invalid(line: number, reason: "a bad metric name in: \(line)") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let label = String(rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
                guard !label.isEmpty, !(label.first?.isNumber ?? true) else {
                    throw Invalid(line: number, reason: "a bad label name in: \(line)")
                }
                rest = rest.dropFirst(label.count)
                guard rest.hasPrefix("=\"") else { throw Invalid(line: number, reason: "expected =\" in: \(line)") }
                rest = rest.dropFirst(2)
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\" {
                        guard let escaped = rest.first else { break }
                        rest = rest.dropFirst()
                        switch escaped {
                        case "n": value.append("\n")
                        case "\\", "\"": value.append(escaped)
                        default: throw Invalid(line: number, reason: "a bad escape in: \(line)")
                        }
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw Invalid(line: number, reason: "an unclosed label value") }
                rest = rest.dropFirst()
                guard labels.updateValue(value, forKey: label) == nil else {
                    throw Invalid(line: number, reason: "label \(label) given twice")
                }
                if rest.first == "," { rest = rest.dropFirst() }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Invalid(line: number, reason: "expected a space before the value") }
        let fields = rest.dropFirst().split(separator: " ")
        guard (1...2).contains(fields.count), let value = Self.value(String(fields[0])) else {
            throw Invalid(line: number, reason: "a bad value in: \(line)")
        }
        return Sample(name: name, labels: labels, value: value)
    }

    private static func value(_ text: String) -> Double? {
        switch text {
        case "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(text)
        }
    }

    private static func isName(_ name: String) -> Bool {
        guard let first = name.first, first.isLetter || first == "_" || first == ":" else { return false }
        return name.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "_" || $0 == ":" }
    }

    private static func family(of name: String, _ types: [String: String]) -> String {
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" || types[base] == "summary" { return base }
        }
        return name
    }

    private static func checkHistograms(_ samples: [Sample], _ types: [String: String]) throws {
        for (family, type) in types where type == "histogram" {
            let buckets = samples.filter { $0.name == family + "_bucket" }
            let counts = samples.filter { $0.name == family + "_count" }
            for count in counts {
                let own = buckets.filter {
                    var labels = $0.labels
                    labels["le"] = nil
                    return labels == count.labels
                }
                .compactMap { bucket in bucket.labels["le"].flatMap(value).map { ($0, bucket.value) } }
                .sorted { $0.0 < $1.0 }
                guard zip(own, own.dropFirst()).allSatisfy({ $0.1 <= $1.1 }) else {
                    throw Invalid(line: 0, reason: "\(family)'s buckets are not cumulative")
                }
                guard own.last?.0 == .infinity, own.last?.1 == count.value else {
                    throw Invalid(line: 0, reason: "\(family)'s +Inf bucket is not its count")
                }
            }
        }
    }
}
