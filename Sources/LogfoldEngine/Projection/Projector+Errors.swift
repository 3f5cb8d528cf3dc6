/// The projector's errors: each failure below it becomes an ``EngineError`` that says what to do.
extension Projector {
    func storeCall<T>(_ body: () throws -> T) throws(EngineError) -> T {
        do {
            return try body()
        } catch {
            throw EngineError(
                .io, "state store: \(error)", remedy: "see the store error; the journal is untouched", cause: error)
        }
    }

    func journalCall<T>(_ body: () throws -> T) throws(EngineError) -> T {
        do {
            return try body()
        } catch {
            throw EngineError(.journal, "\(error)", remedy: "run `logfold journal verify`", cause: error)
        }
    }

    func decode<T>(_ body: () throws -> T) throws(EngineError) -> T {
        do {
            return try body()
        } catch {
            throw EngineError(
                .corrupt, "state store: \(error)",
                remedy: "the stored state is from another build or damaged; rebuild it with `logfold replay`")
        }
    }
}
