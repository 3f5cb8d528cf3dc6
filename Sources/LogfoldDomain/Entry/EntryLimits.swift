/// The sizes input contract v1 accepts, enforced by the parser and stated in the schema and
/// `Journal/entry-types.md`: whatever ingest accepts, the projector can decode and fold.
///
/// The compact decoder reads up to larger sizes (``CompactEntryCodec``), so records journaled by earlier
/// builds, which checked less, still decode.
package enum EntryLimits {
    /// Lines of an order or a cart.
    ///
    /// A produce box has tens; each line can become an Ordered Product event,
    /// and one entry's messages must fit the ordinal's 16-bit index.
    package static let items = 10_000
    /// Categories of one line.
    package static let categoriesPerItem = 1_000
    /// Members of one object, or elements of one array, inside `data`.
    package static let dataMembers = 100_000
}
