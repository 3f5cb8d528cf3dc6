internal import CSHA256

/// SHA-256 (FIPS 180-4) over bytes fed in any pieces: what ``StateStore/digest(destination:)`` hashes
/// its canonical serialisation with.
///
/// The block function is `CSHA256`'s C, with the x86 SHA extensions where the CPU has them; a
/// cryptography package would compile all of BoringSSL for this one hash (docs/performance.md).
package struct SHA256Hasher: Sendable {
    /// Which block function compresses the blocks.
    package enum BlockFunction: Sendable, CaseIterable {
        /// The x86 SHA extensions (the portable rounds on a CPU without them).
        case hardware
        /// Portable C.
        case portable

        /// The fastest this CPU runs.
        package static var best: BlockFunction {
            logfold_sha256_hardware_available() != 0 ? .hardware : .portable
        }
    }

    private var state: [UInt32] = [
        0x6A09_E667, 0xBB67_AE85, 0x3C6E_F372, 0xA54F_F53A, 0x510E_527F, 0x9B05_688C, 0x1F83_D9AB, 0x5BE0_CD19,
    ]
    /// Bytes that do not yet fill a 64-byte block.
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    private let blockFunction: BlockFunction

    /// A hasher with nothing fed yet, compressing with `blockFunction`.
    package init(blockFunction: BlockFunction = .best) {
        self.blockFunction = blockFunction == .hardware && BlockFunction.best == .hardware ? .hardware : .portable
        pending.reserveCapacity(64)
    }

    /// Feeds `bytes`.
    package mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        var rest = bytes
        length &+= UInt64(rest.count)
        if !pending.isEmpty {
            let taken = min(64 - pending.count, rest.count)
            pending.append(contentsOf: rest.prefix(taken))
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(taken))
            guard pending.count == 64 else { return }
            pending.withUnsafeBytes { compress($0) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = rest.count / 64 * 64
        if whole > 0 { compress(UnsafeRawBufferPointer(rebasing: rest.prefix(whole))) }
        pending.append(contentsOf: rest.dropFirst(whole))
    }

    /// Feeds `bytes`.
    package mutating func update(_ bytes: some Collection<UInt8>) {
        if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
            Array(bytes).withUnsafeBytes { update($0) }
        }
    }

    /// The 32-byte digest of everything fed.
    package consuming func finalize() -> [UInt8] {
        let bits = length &* 8
        // The padding: 0x80, zeros to 56 bytes past a block boundary, the length in bits big-endian.
        var tail = pending
        tail.append(0x80)
        while tail.count % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) {
            tail.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift)))
        }
        tail.withUnsafeBytes { compress($0) }
        var digest: [UInt8] = []
        digest.reserveCapacity(32)
        for word in state {
            for shift in stride(from: 24, through: 0, by: -8) {
                digest.append(UInt8(truncatingIfNeeded: word >> UInt32(shift)))
            }
        }
        return digest
    }

    /// Compresses whole blocks.
    private mutating func compress(_ blocks: UnsafeRawBufferPointer) {
        guard let base = blocks.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        let count = blocks.count / 64
        let function = blockFunction
        state.withUnsafeMutableBufferPointer { state in
            guard let words = state.baseAddress else { return }
            switch function {
            case .hardware: logfold_sha256_blocks_hardware(words, base, count)
            case .portable: logfold_sha256_blocks_portable(words, base, count)
            }
        }
    }
}
