import Foundation

/// One entry of Klaviyo's error document `{"errors":[{"id","code","title","detail","source":{...}}]}`.
package struct KlaviyoAPIError: Sendable, Hashable, CustomStringConvertible {
    /// Klaviyo's code: `invalid`, `duplicate_profile`, `throttled`, ...
    package var code: String
    /// A short title.
    package var title: String
    /// What was wrong.
    package var detail: String
    /// The JSON pointer of the offending field, when Klaviyo named one.
    package var pointer: String?
    /// The offending query parameter, when Klaviyo named one.
    package var parameter: String?

    /// Creates an error entry.
    package init(code: String, title: String = "", detail: String, pointer: String? = nil, parameter: String? = nil) {
        self.code = code
        self.title = title
        self.detail = detail
        self.pointer = pointer
        self.parameter = parameter
    }

    /// `invalid at /data/attributes/phone_number: Invalid phone number format`: what dead letters record.
    package var description: String {
        var text = code.isEmpty ? "error" : code
        if let pointer { text += " at " + pointer } else if let parameter { text += " in parameter " + parameter }
        let reason = detail.isEmpty ? title : detail
        if !reason.isEmpty { text += ": " + reason }
        return text
    }

    /// Whether the error says the event was already stored: a re-sent batch Klaviyo reports rather than
    /// absorbs, which means the event *is* delivered.
    package var meansAlreadyStored: Bool {
        let text = (code + " " + title + " " + detail).lowercased()
        return text.contains("duplicate") && !code.lowercased().contains("profile")
    }

    /// The errors of a response body; an unreadable body gives one error quoting its start.
    package static func parse(_ body: [UInt8], status: Int) -> [KlaviyoAPIError] {
        guard !body.isEmpty,
            let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let errors = object["errors"] as? [[String: Any]], !errors.isEmpty
        else {
            let excerpt = String(decoding: body.prefix(200), as: UTF8.self)
            return [KlaviyoAPIError(code: "http_\(status)", detail: excerpt.isEmpty ? "no error body" : excerpt)]
        }
        return errors.map { error in
            let source = error["source"] as? [String: Any]
            return KlaviyoAPIError(
                code: error["code"] as? String ?? "http_\(status)",
                title: error["title"] as? String ?? "",
                detail: error["detail"] as? String ?? "",
                pointer: source?["pointer"] as? String,
                parameter: source?["parameter"] as? String
            )
        }
    }
}

/// Reads the item indices out of the JSON pointers Klaviyo's 400s name, so a bulk request can be split
/// around the bad record instead of dead-lettering all of it.
package enum KlaviyoPointer {
    /// The indices that follow each `data` segment, in order, after `prefix`.
    ///
    /// For example
    /// `/data/attributes/events-bulk-create/data/3/attributes/events/data/1/attributes/time` with prefix
    /// `/data/attributes/events-bulk-create` gives `[3, 1]`. `nil` when the pointer does not start with it.
    package static func indices(_ pointer: String, after prefix: String) -> [Int]? {
        guard pointer == prefix || pointer.hasPrefix(prefix + "/") else { return nil }
        let segments = pointer.dropFirst(prefix.count).split(separator: "/")
        var result: [Int] = []
        var index = segments.startIndex
        while index < segments.endIndex {
            if segments[index] == "data", segments.index(after: index) < segments.endIndex,
                let value = Int(segments[segments.index(after: index)])
            {
                result.append(value)
                index = segments.index(index, offsetBy: 2)
            } else {
                index = segments.index(after: index)
            }
        }
        return result
    }
}
