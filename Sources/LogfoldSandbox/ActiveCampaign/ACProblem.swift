/// An answer other than success, in ActiveCampaign's shapes: `{"errors":[…]}` for validation (422),
/// `{"message":…}` for a missing resource (404) or a refused token (403).
struct ACProblem: Error {
    var status: Int
    var body: SandboxJSON

    /// 422 with one error: ActiveCampaign's `title`, `code` and `source.pointer`.
    static func invalid(_ title: String, code: String, pointer: String, detail: String = "") -> ACProblem {
        ACProblem(
            status: 422,
            body: .object([
                .init(
                    "errors",
                    .array([
                        .object([
                            .init("title", .string(title)), .init("detail", .string(detail)),
                            .init("code", .string(code)),
                            .init("source", .object([.init("pointer", .string(pointer))])),
                        ])
                    ]))
            ]))
    }

    /// 404 `{"message":"No Result found for KIND with id ID"}`.
    static func notFound(_ kind: String, _ id: String) -> ACProblem {
        ACProblem(status: 404, body: .object([.init("message", .string("No Result found for \(kind) with id \(id)"))]))
    }

    /// A bare message with `status`.
    static func message(_ status: Int, _ text: String) -> ACProblem {
        ACProblem(status: status, body: .object([.init("message", .string(text))]))
    }
}

extension SandboxJSON {
    /// The string of a member that ActiveCampaign accepts as a string or a number (ids, prices).
    func text(_ key: String) -> String? {
        switch self[key] {
        case .string(let s)?: s
        case .number(let n)?: n
        default: nil
        }
    }

    /// An object with `members` replaced or appended, in order.
    func setting(_ members: [SandboxJSON.Member]) -> SandboxJSON {
        var result = objectMembers ?? []
        for member in members {
            if let i = result.firstIndex(where: { $0.key == member.key }) {
                result[i] = member
            } else {
                result.append(member)
            }
        }
        return .object(result)
    }
}
