/// What a request says about one profile field: Klaviyo clears a field sent `null` and keeps one left
/// out, so "absent" and "null" must stay distinct all the way to the store.
package enum FieldUpdate<Value: Sendable & Hashable>: Sendable, Hashable {
    /// The field was omitted: keep the stored value.
    case keep
    /// The field was sent `null`: clear it.
    case clear
    /// The field was sent with a value.
    case set(Value)

    /// The value when set.
    package var value: Value? {
        if case .set(let v) = self { return v }
        return nil
    }

    /// The stored value after applying this update to `current`.
    package func applied(to current: Value?) -> Value? {
        switch self {
        case .keep: current
        case .clear: nil
        case .set(let v): v
        }
    }
}

/// What a request says about an object-valued profile field (`location`, `properties`): Klaviyo merges
/// it key by key, a member sent `null` removing that key, the whole field sent `null` clearing it.
package enum ObjectUpdate: Sendable, Hashable {
    /// Omitted: keep every stored key.
    case keep
    /// Sent `null`: remove every key.
    case clear
    /// Sent as an object: set each member, removing those sent `null`.
    case merge([SandboxJSON.Member])

    /// The stored object's members after applying this update to `current`.
    package func applied(to current: [SandboxJSON.Member]) -> [SandboxJSON.Member] {
        switch self {
        case .keep: return current
        case .clear: return []
        case .merge(let changes):
            var result = current
            for change in changes {
                if change.value.isNull {
                    result.removeAll { $0.key == change.key }
                } else if let index = result.firstIndex(where: { $0.key == change.key }) {
                    result[index].value = change.value
                } else {
                    result.append(change)
                }
            }
            return result
        }
    }
}
