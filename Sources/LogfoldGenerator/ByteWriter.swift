/// An append-only byte buffer for building JSON Lines fast, without `JSONEncoder` or `String`.
///
/// Owns its memory (noncopyable, freed on deinit); grows by doubling when an append would not fit.
struct ByteWriter: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written since the last `removeAll()`.
    private(set) var count: Int = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1_024)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    private mutating func ensure(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private mutating func grow(_ needed: Int) {
        var newCapacity = capacity * 2
        while newCapacity < needed { newCapacity *= 2 }
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    /// Appends one byte.
    @inline(__always)
    mutating func byte(_ b: UInt8) {
        ensure(1)
        base[count] = b
        count += 1
    }

    /// Appends the UTF-8 of a literal.
    @inline(__always)
    mutating func append(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        ensure(n)
        (base + count).update(from: s.utf8Start, count: n)
        count += n
    }

    /// Appends bytes.
    @inline(__always)
    mutating func append(_ bytes: [UInt8]) {
        let n = bytes.count
        ensure(n)
        bytes.withUnsafeBufferPointer { buffer in
            if let source = buffer.baseAddress { (base + count).update(from: source, count: n) }
        }
        count += n
    }

    /// Appends a non-negative or negative integer in decimal.
    mutating func decimal(_ value: Int) {
        ensure(21)
        var v = value
        if v < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
            v = -v
        }
        if v < 10 {
            base[count] = UInt8(truncatingIfNeeded: 48 + v)
            count += 1
            return
        }
        var digits = 0
        var t = v
        while t > 0 {
            digits += 1
            t /= 10
        }
        var i = count + digits - 1
        while v > 0 {
            base[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
            v /= 10
            i -= 1
        }
        count += digits
    }

    /// Appends exactly two digits (`07`).
    @inline(__always)
    mutating func twoDigits(_ value: Int) {
        ensure(2)
        base[count] = UInt8(truncatingIfNeeded: 48 + value / 10)
        base[count + 1] = UInt8(truncatingIfNeeded: 48 + value % 10)
        count += 2
    }

    /// Appends exactly four digits (`2024`).
    mutating func fourDigits(_ value: Int) {
        twoDigits(value / 100)
        twoDigits(value % 100)
    }

    /// Appends an amount of cents as a decimal with exactly two fraction digits (`4795` → `47.95`).
    mutating func money(_ cents: Int) {
        var c = cents
        if c < 0 {
            byte(UInt8(ascii: "-"))
            c = -c
        }
        decimal(c / 100)
        byte(UInt8(ascii: "."))
        twoDigits(c % 100)
    }

    /// Forgets everything written, keeping the memory.
    mutating func removeAll() { count = 0 }

    /// Lends the bytes written so far.
    func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}

extension Array where Element == UInt8 {
    /// The UTF-8 of `string` escaped as the inside of a JSON string (quotes, backslashes, controls).
    init(jsonEscaping string: String) {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count)
        for b in string.utf8 {
            switch b {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]]
            default: out.append(b)
            }
        }
        self = out
    }
}
