internal import HTTPTypes
internal import Hummingbird
internal import NIOCore

/// Builders for the sandbox's responses: JSON:API documents, Klaviyo error documents, JSON Lines, HTML.
enum SandboxResponse {
    static let jsonAPI = "application/vnd.api+json"

    /// `value` as a JSON document with `status`.
    static func json(_ status: Int, _ value: SandboxJSON, contentType: String = jsonAPI) -> Response {
        text(status, value.rendered, contentType: contentType)
    }

    /// A Klaviyo error document; its status is the first error's.
    static func errors(_ errors: [SandboxAPIError]) -> Response {
        json(errors.first?.status ?? 400, SandboxAPIError.document(errors))
    }

    /// A status with no body.
    static func empty(_ status: Int) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentLength: "0"])
    }

    /// One JSON object per line (`application/x-ndjson`).
    static func lines(_ values: [SandboxJSON]) -> Response {
        var body = ""
        for value in values {
            value.render(into: &body)
            body += "\n"
        }
        return text(200, body, contentType: "application/x-ndjson")
    }

    /// A text body.
    static func text(_ status: Int, _ body: String, contentType: String) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// A header name from its text (the names used here are all valid tokens).
    static func headerName(_ name: String) -> HTTPField.Name? { HTTPField.Name(name) }

    /// The value of header `name` (case-insensitive), if present.
    static func header(_ name: String, in request: Request) -> String? {
        request.headers.first { $0.name.canonicalName == name }?.value
    }

    /// Sets header `name` on `response`.
    static func set(_ name: String, _ value: String, on response: inout Response) {
        if let field = headerName(name) { response.headers[field] = value }
    }
}
