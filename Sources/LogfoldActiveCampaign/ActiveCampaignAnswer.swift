internal import Foundation

/// What an ActiveCampaign answer means for the sender: a pure function of the call, the status, the
/// `Retry-After` header and the body (activecampaign-api.md, "Errors" and "Pitfalls").
package enum ActiveCampaignAnswer: Sendable, Hashable {
    /// Done.
    case accepted
    /// Transient: call again after the given seconds (from `Retry-After`), or after a backoff when `nil`.
    case retry(afterSeconds: Double?, reason: String)
    /// AC refused the data: dead-letter the row with AC's words and go on.
    case rejected(String)
    /// A configuration fault (bad token, billing): stop the sender and tell the operator.
    case stop(String)

    /// Classifies an answer; `status` `nil` means no answer (connection failed or timed out).
    package static func classify(
        _ call: ActiveCampaignCall, status: Int?, retryAfter: String?, body: [UInt8]
    ) -> ActiveCampaignAnswer {
        guard let status else { return .retry(afterSeconds: nil, reason: "no answer (connection failed or timed out)") }
        let text = describe(body)
        switch status {
        case 200...299:
            // trackcmp.net answers 200 with `success: 0` for a refused event: only `success == 1` is done.
            if call.target == .tracking, success(body) != 1 {
                return .rejected("the tracking endpoint did not spawn the event: " + text)
            }
            return .accepted
        case 429:
            return .retry(afterSeconds: retryAfter.flatMap(Double.init).map { max(0, $0) }, reason: "HTTP 429: " + text)
        case 400 where isBulkImport(call) && text.localizedCaseInsensitiveContains("rate limit"):
            // Bulk import's own throttle answers 400, not 429.
            return .retry(afterSeconds: retryAfter.flatMap(Double.init), reason: "HTTP 400: " + text)
        case 401, 403:
            return .stop(
                "ActiveCampaign refused the API token (HTTP \(status)): check ACTIVECAMPAIGN_API_TOKEN "
                    + "(Settings → Developer) and that its user may use the API")
        case 402:
            return .stop("ActiveCampaign wants payment (HTTP 402): the account's plan must be settled first")
        case 404 where call.method == .delete:
            // Removing a contact-tag that is already gone: the state wanted is there.
            return .accepted
        case 408, 500...599:
            return .retry(afterSeconds: nil, reason: "HTTP \(status): " + text)
        default:
            return .rejected("HTTP \(status): " + text)
        }
    }

    private static func isBulkImport(_ call: ActiveCampaignCall) -> Bool {
        if case .api(let path) = call.target { return path.hasPrefix("/import/bulk_import") }
        return false
    }

    private static func object(_ body: [UInt8]) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any]
    }

    private static func success(_ body: [UInt8]) -> Int? {
        guard let value = object(body)?["success"] else { return nil }
        if let number = value as? NSNumber { return number.intValue }
        return (value as? String).flatMap { Int($0) }
    }

    /// AC's error in a line: `errors[].title`/`detail`/`code`/`source.pointer`, `message`,
    /// `failureReasons`, or the body's first 300 bytes.
    package static func describe(_ body: [UInt8]) -> String {
        guard let root = object(body) else {
            let prefix = String(decoding: body.prefix(300), as: UTF8.self)
            return prefix.isEmpty ? "(empty body)" : prefix
        }
        if let errors = root["errors"] as? [[String: Any]], !errors.isEmpty {
            return errors.map { error in
                var parts = [error["title"] as? String, error["detail"] as? String].compactMap { $0 }.filter {
                    !$0.isEmpty
                }
                if let code = error["code"] as? String { parts.append("(\(code))") }
                if let pointer = (error["source"] as? [String: Any])?["pointer"] as? String {
                    parts.append("at \(pointer)")
                }
                return parts.joined(separator: " ")
            }.joined(separator: "; ")
        }
        if let reasons = root["failureReasons"] as? [Any], !reasons.isEmpty {
            return reasons.map { "\($0)" }.joined(separator: "; ")
        }
        if let message = root["message"] as? String { return message }
        return String(decoding: body.prefix(300), as: UTF8.self)
    }
}
