/// A fast 64-bit non-cryptographic hash for content keys (deduplication) and
/// interning. It reads eight bytes at a time and folds 128-bit products, which is
/// the multiply-fold construction used by several modern hashes; the constants are
/// odd 64-bit values with well-spread bits.
public enum ContentHash {
    @usableFromInline static let k0: UInt64 = 0xA076_1D64_78BD_642F
    @usableFromInline static let k1: UInt64 = 0xE703_7ED1_A0B4_28DB
    @usableFromInline static let k2: UInt64 = 0x8EBC_6AF0_9C88_C6E3
    @usableFromInline static let k3: UInt64 = 0x5899_65CC_7537_4CC3

    @inlinable @inline(__always)
    static func fold(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    /// Hash of `count` bytes at `base`, mixed with `seed`.
    @inlinable
    public static func hash(_ base: UnsafeRawPointer, count: Int, seed: UInt64 = 0) -> UInt64 {
        var state = seed ^ k0 ^ UInt64(truncatingIfNeeded: count) &* k1
        var offset = 0
        while offset + 16 <= count {
            let a = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let b = base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
            state = fold(a ^ k1 ^ state, b ^ k2)
            offset += 16
        }
        var a: UInt64 = 0
        var b: UInt64 = 0
        let rest = count - offset
        if rest >= 8 {
            a = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            b = base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        } else if rest > 0 {
            for i in 0..<rest {
                a |= UInt64(base.load(fromByteOffset: offset + i, as: UInt8.self)) << (8 * UInt64(i))
            }
            b = UInt64(truncatingIfNeeded: rest) &* k3
        }
        state = fold(a ^ k3 ^ state, b ^ k0)
        return fold(state ^ k1, UInt64(truncatingIfNeeded: count) ^ k2)
    }

    @inlinable
    public static func hash(_ buffer: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            return hash(UnsafeRawPointer(bitPattern: 1)!, count: 0, seed: seed)
        }
        return hash(base, count: buffer.count, seed: seed)
    }

    public static func hash(_ string: String, seed: UInt64 = 0) -> UInt64 {
        var copy = string
        return copy.withUTF8 { hash(UnsafeRawBufferPointer($0), seed: seed) }
    }

    public static func hash(_ bytes: [UInt8], seed: UInt64 = 0) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    /// Combine two hashes (order-sensitive).
    @inlinable
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        fold(a ^ k0, b ^ k3)
    }

    /// A content key as stored in SQLite: the hash reinterpreted as a signed 64-bit integer.
    @inlinable
    public static func signed(_ value: UInt64) -> Int64 { Int64(bitPattern: value) }
}
