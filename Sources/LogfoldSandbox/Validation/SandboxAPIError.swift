internal import Foundation

/// One error object in Klaviyo's shape: `{"id","status","code","title","detail","source":{"pointer"}}`.
///
/// Every non-2xx answer of the sandbox's `/api/` endpoints carries a list of these, so a client's error
/// handling (dead-lettering by pointer, stopping on 401/403/410) is exercised exactly as against Klaviyo.
package struct SandboxAPIError: Error, Sendable, Hashable {
    /// The HTTP status the error maps to.
    package var status: Int
    /// Klaviyo's machine-readable code, such as `invalid`, `duplicate`, `duplicate_profile`.
    package var code: String
    /// A short, stable, human-readable summary.
    package var title: String
    /// What was wrong with this request, specifically.
    package var detail: String
    /// The JSON pointer into the request body of the offending field, when there is one.
    package var pointer: String?
    /// The query or header parameter at fault, when there is one.
    package var parameter: String?
    /// Extra machine-readable facts (for example `duplicate_profile_id` on a 409).
    package var meta: SandboxJSON?

    /// Creates an error.
    package init(
        status: Int, code: String, title: String, detail: String, pointer: String? = nil, parameter: String? = nil,
        meta: SandboxJSON? = nil
    ) {
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.pointer = pointer
        self.parameter = parameter
        self.meta = meta
    }

    /// A 400 `invalid` error about the field at `pointer`.
    package static func invalid(_ pointer: JSONPointer, _ detail: String) -> SandboxAPIError {
        SandboxAPIError(status: 400, code: "invalid", title: "Invalid input.", detail: detail, pointer: pointer.path)
    }

    /// A 400 `duplicate` error: an event key repeated in a bulk request or already stored (strict mode).
    package static func duplicate(_ pointer: JSONPointer, _ detail: String) -> SandboxAPIError {
        SandboxAPIError(
            status: 400, code: "duplicate", title: "Duplicate event.", detail: detail, pointer: pointer.path)
    }

    /// A 404 `not_found` error.
    package static func notFound(_ detail: String) -> SandboxAPIError {
        SandboxAPIError(status: 404, code: "not_found", title: "Not found.", detail: detail)
    }

    /// The error object as JSON, with a fresh `id` as Klaviyo gives each error.
    func json() -> SandboxJSON {
        var members: [SandboxJSON.Member] = [
            .init("id", .string(UUID().uuidString.lowercased())),
            .init("status", .integer(status)),
            .init("code", .string(code)),
            .init("title", .string(title)),
            .init("detail", .string(detail)),
        ]
        var source: [SandboxJSON.Member] = []
        if let pointer { source.append(.init("pointer", .string(pointer))) }
        if let parameter { source.append(.init("parameter", .string(parameter))) }
        if !source.isEmpty { members.append(.init("source", .object(source))) }
        if let meta { members.append(.init("meta", meta)) }
        return .object(members)
    }

    /// The `{"errors":[…]}` document for `errors`.
    static func document(_ errors: [SandboxAPIError]) -> SandboxJSON {
        .object(["errors": .array(errors.map { $0.json() })])
    }
}

/// A request refused as a whole: every problem found, each with its own pointer, and the status to
/// answer (the first error's).
package struct SandboxRejection: Error, Sendable {
    /// The problems, in body order.
    package var errors: [SandboxAPIError]

    /// Wraps one or more errors.
    package init(_ errors: [SandboxAPIError]) { self.errors = errors }

    /// Wraps one error.
    package init(_ error: SandboxAPIError) { self.errors = [error] }

    /// The HTTP status of the answer.
    package var status: Int { errors.first?.status ?? 400 }
}
