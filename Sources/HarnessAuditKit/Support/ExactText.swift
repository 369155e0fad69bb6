/// A string compared and hashed by its UTF-8 bytes, not by Unicode canonical equivalence. Caches in
/// front of byte-level functions key on it: a composed "é" and a decomposed "é" are different
/// inputs to a byte matcher, so one must not get the answer computed for the other.
struct ExactText: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (a: ExactText, b: ExactText) -> Bool { a.text.hasSameBytes(as: b.text) }

    func hash(into hasher: inout Hasher) {
        var copy = text
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
