#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Fast substring search for the hot paths (classification, decoding), without Foundation:
/// the generic `Collection` search of the standard library costs several times more.
extension StringProtocol {
    /// The byte offset of `needle` in the UTF-8 of `self`, or nil.
    @inline(__always)
    func utf8Offset(of needle: String) -> Int? {
        var needle = needle
        return needle.withUTF8 { n -> Int? in
            guard !n.isEmpty else { return 0 }
            if let found = utf8.withContiguousStorageIfAvailable({ h -> Int? in
                guard let base = h.baseAddress else { return nil }
                return StringSearch.find(UnsafeRawPointer(base), h.count, UnsafeRawPointer(n.baseAddress!), n.count)
            }) {
                return found
            }
            let haystack = Array(utf8)
            return haystack.withUnsafeBufferPointer { h -> Int? in
                guard let base = h.baseAddress else { return nil }
                return StringSearch.find(UnsafeRawPointer(base), h.count, UnsafeRawPointer(n.baseAddress!), n.count)
            }
        }
    }

    /// The first range of an ASCII needle.
    func range(ofASCII needle: String) -> Range<Index>? {
        guard let offset = utf8Offset(of: needle), !needle.isEmpty else { return nil }
        let lower = utf8.index(utf8.startIndex, offsetBy: offset)
        return lower..<utf8.index(lower, offsetBy: needle.utf8.count)
    }

    func containsASCII(_ needle: String) -> Bool { needle.isEmpty ? false : utf8Offset(of: needle) != nil }

    /// Whether `other` occurs in `self`. Shadows the standard library's generic collection search
    /// for string arguments: a byte search for ASCII needles (canonical equivalence cannot matter
    /// there), the standard search otherwise.
    @inline(__always)
    func contains(_ other: String) -> Bool {
        if other.isEmpty { return true }
        if other.utf8.allSatisfy({ $0 < 0x80 }) { return utf8Offset(of: other) != nil }
        return firstRange(of: other) != nil
    }
}

extension String {
    /// Byte equality (`==` is Unicode canonical equivalence).
    func hasSameBytes(as other: String) -> Bool {
        var a = self, b = other
        guard a.utf8.count == b.utf8.count else { return false }
        return a.withUTF8 { x in b.withUTF8 { y in x.isEmpty || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 } }
    }
}

enum StringSearch {
    /// The offset of the first occurrence of `needle` in `haystack`: `memchr` for candidates of the
    /// first byte, `memcmp` for the rest.
    @inline(__always)
    static func find(_ haystack: UnsafeRawPointer, _ count: Int, _ needle: UnsafeRawPointer, _ length: Int) -> Int? {
        guard length > 0, count >= length else { return length == 0 ? 0 : nil }
        let first = Int32(needle.load(as: UInt8.self))
        var offset = 0
        let last = count - length
        while offset <= last {
            guard let hit = memchr(haystack + offset, first, last - offset + 1) else { return nil }
            let position = UnsafeRawPointer(hit) - haystack
            if length == 1 || memcmp(hit + 1, needle + 1, length - 1) == 0 { return position }
            offset = position + 1
        }
        return nil
    }
}
