import COpenSSL

/// Incremental SHA-256 through libcrypto (hardware accelerated where the CPU has SHA
/// extensions). Used for source-file identity and `harness-v1` hash chains.
public final class SHA256Digest {
    private var context: OpaquePointer?
    private var finished = false

    public init() {
        context = EVP_MD_CTX_new()
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ buffer: UnsafeRawBufferPointer) {
        precondition(!finished, "SHA256Digest used after finalize")
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        EVP_DigestUpdate(context, base, buffer.count)
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// The 32-byte digest. The object cannot be updated afterwards.
    public func finalize() -> [UInt8] {
        finished = true
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = out.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        return out
    }

    /// One-shot digest of a buffer.
    public static func digest(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        out.withUnsafeMutableBufferPointer { dst in
            _ = EVP_Digest(buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, buffer.count,
                           dst.baseAddress, &length, EVP_sha256(), nil)
        }
        return out
    }

    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { digest($0) }
    }

    public static func hex(_ digest: [UInt8]) -> String {
        Hex.encode(digest)
    }
}

/// A SHA-256 digest as a value (no heap allocation), for hash chains.
public struct Digest32: Equatable, Hashable, Sendable {
    public var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0

    public init() {}

    /// The digest from 64 hex digits (either case), or nil.
    public init?(hex: UnsafeRawBufferPointer) {
        guard hex.count == 64 else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var ok = true
        withUnsafeMutableBytes(of: &words) { out in
            for i in 0..<32 {
                guard let high = Hex.nibble(hex[2 * i]), let low = Hex.nibble(hex[2 * i + 1]) else { ok = false; return }
                out[i] = high << 4 | low
            }
        }
        guard ok else { return nil }
        (a, b, c, d) = words
    }

    /// The digest from its 32 bytes, or nil.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        withUnsafeMutableBytes(of: &self) { out in
            for i in 0..<32 { out[i] = bytes[i] }
        }
    }

    public var bytes: [UInt8] {
        var words = (a, b, c, d)
        return withUnsafeBytes(of: &words) { Array($0) }
    }
}

/// SHA-256 with one reusable context and the algorithm fetched once: for hashing many small
/// buffers on one thread (every `harness-v1` line, for its successor's `prev_hash`).
public final class SHA256Hasher {
    private let context: OpaquePointer?
    private let algorithm: OpaquePointer?

    public init() {
        context = EVP_MD_CTX_new()
        algorithm = EVP_MD_fetch(nil, "SHA256", nil)
    }

    deinit {
        EVP_MD_CTX_free(context)
        EVP_MD_free(algorithm)
    }

    public func digest(_ buffer: UnsafeRawBufferPointer) -> Digest32 {
        var out = Digest32()
        var length: UInt32 = 0
        EVP_DigestInit_ex(context, algorithm, nil)
        if let base = buffer.baseAddress, buffer.count > 0 { EVP_DigestUpdate(context, base, buffer.count) }
        withUnsafeMutableBytes(of: &out) { _ = EVP_DigestFinal_ex(context, $0.baseAddress!.assumingMemoryBound(to: UInt8.self), &length) }
        return out
    }
}

/// Lower-case hexadecimal encoding and decoding.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case). Returns nil on odd length or a non-hex digit.
    public static func decode(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var index = 0
        while index < utf8.count {
            guard let high = value(utf8[index]), let low = value(utf8[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// Hex digit values (0xFF: not a digit).
    static let nibbles: [UInt8] = (0..<256).map { c in
        switch c {
        case 0x30...0x39: return UInt8(c - 0x30)
        case 0x61...0x66: return UInt8(c - 0x61 + 10)
        case 0x41...0x46: return UInt8(c - 0x41 + 10)
        default: return 0xFF
        }
    }

    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        let v = nibbles[Int(c)]
        return v == 0xFF ? nil : v
    }

    private static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
