extension Duration {
    /// The duration in seconds, for `Thread.sleep(forTimeInterval:)` and rates.
    package var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
