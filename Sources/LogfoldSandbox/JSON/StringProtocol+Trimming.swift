extension StringProtocol {
    /// The text without leading and trailing `character`s (Foundation-free, for spec and header parsing).
    func trimming(_ character: Character) -> String {
        String(String(self).drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
