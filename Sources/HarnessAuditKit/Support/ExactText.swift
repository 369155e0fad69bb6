/// A string compared and hashed by its UTF-8 bytes, not by Unicode canonical equivalence. Caches in
/// front of byte-level functions key on it: a composed "é" and a decomposed "é" are different
/// inputs to a byte matcher, so one must not get the answer computed for the other.
struct ExactText: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: ExactText, b: ExactText) -> Bool { a.text.hasSameBytes(as: b.text) }

    func hash(into hasher: inout Hasher) {
        var copy = text
        // The length first, so texts hashed one after another ("ab", "c" and "a", "bc") hash apart.
        hasher.combine(copy.utf8.count)
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Whether two optional texts are the same byte for byte.
    static func same(_ a: String?, _ b: String?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (a?, b?): return a.hasSameBytes(as: b)
        default: return false
        }
    }

    /// Hashes an optional text by its bytes (nil apart from every text).
    static func combine(_ text: String?, into hasher: inout Hasher) {
        guard var text else {
            hasher.combine(0 as UInt8)
            return
        }
        hasher.combine(1 as UInt8)
        hasher.combine(text.utf8.count)
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
