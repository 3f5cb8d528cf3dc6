extension Dictionary {
    /// Gives back the room of removed entries once the capacity exceeds `limit`, keeping room for
    /// `minimumCapacity`.
    ///
    /// A dictionary keeps its largest capacity after removals; the fold's (customers, orders, owners)
    /// grow with a batch that meets everyone and shrink when memory is bounded again.
    mutating func releaseSpareCapacity(above limit: Int, keepingRoomFor minimumCapacity: Int) {
        guard capacity > limit else { return }
        var shrunk = Self(minimumCapacity: minimumCapacity)
        for (key, value) in self { shrunk[key] = value }
        self = shrunk
    }
}
