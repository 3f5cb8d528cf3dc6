extension Array where Element == UInt8 {
    /// `withUnsafeBytes` with typed throws (the standard one only `rethrows`), so closures that throw
    /// `JournalError` keep their type.
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result = withUnsafeBytes { bytes in Result { () throws(E) -> R in try body(bytes) } }
        return try result.get()
    }
}
