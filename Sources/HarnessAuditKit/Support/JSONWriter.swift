/// A small streaming JSON writer producing compact, valid JSON with proper escaping.
/// Used for stored attributes and for every JSON output of the tool.
public struct JSONWriter {
    public private(set) var output = ""
    private var needsComma: [Bool] = [false]
    private var afterKey = false
    private let pretty: Bool
    private var depth = 0

    public init(pretty: Bool = false) {
        self.pretty = pretty
        output.reserveCapacity(256)
    }

    /// Hands what has been written so far to `sink` once it holds at least `chunk` bytes, and goes on
    /// with an empty buffer: a large document is streamed out in pieces instead of held whole.
    public mutating func drain(over chunk: Int = 1 << 16, to sink: (String) -> Void) {
        guard output.utf8.count >= chunk else { return }
        sink(output)
        output.removeAll(keepingCapacity: true)
    }

    private mutating func separate() {
        if afterKey {
            afterKey = false
            return
        }
        if needsComma[needsComma.count - 1] { output += "," }
        needsComma[needsComma.count - 1] = true
        if pretty && depth > 0 { newline() }
    }

    private mutating func newline() {
        output += "\n" + String(repeating: "  ", count: depth)
    }

    public mutating func beginObject() {
        separate()
        output += "{"
        needsComma.append(false)
        depth += 1
    }

    public mutating func endObject() {
        let hadMembers = needsComma.removeLast()
        depth -= 1
        if pretty && hadMembers { newline() }
        output += "}"
    }

    public mutating func beginArray() {
        separate()
        output += "["
        needsComma.append(false)
        depth += 1
    }

    public mutating func endArray() {
        let hadElements = needsComma.removeLast()
        depth -= 1
        if pretty && hadElements { newline() }
        output += "]"
    }

    public mutating func key(_ name: String) {
        separate()
        JSONWriter.appendQuoted(name, to: &output)
        output += pretty ? ": " : ":"
        afterKey = true
    }

    public mutating func string(_ value: String) {
        separate()
        JSONWriter.appendQuoted(value, to: &output)
    }

    public mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    public mutating func number(_ value: Int64) {
        separate()
        output += String(value)
    }

    public mutating func number(_ value: Int) { number(Int64(value)) }

    public mutating func number(_ value: Double) {
        separate()
        if value.isFinite {
            if value.rounded() == value && abs(value) < 1e15 {
                output += String(Int64(value))
            } else {
                output += String(value)
            }
        } else {
            output += "null"
        }
    }

    public mutating func bool(_ value: Bool) {
        separate()
        output += value ? "true" : "false"
    }

    public mutating func null() {
        separate()
        output += "null"
    }

    /// Inserts already-valid JSON text.
    public mutating func raw(_ json: String) {
        separate()
        output += json
    }

    /// `"name": ["a", "b"]`.
    public mutating func field(_ name: String, strings: [String]) {
        key(name)
        beginArray()
        for value in strings { string(value) }
        endArray()
    }

    public mutating func field(_ name: String, _ value: String?) {
        key(name)
        optionalString(value)
    }

    public mutating func field(_ name: String, _ value: Int64?) {
        key(name)
        if let value { number(value) } else { null() }
    }

    public mutating func field(_ name: String, _ value: Int?) {
        key(name)
        if let value { number(value) } else { null() }
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        bool(value)
    }

    public mutating func field(_ name: String, _ value: Double) {
        key(name)
        number(value)
    }


    /// Appends `value` as a JSON string literal. Escapes quotes, backslashes, control
    /// characters, and U+2028/U+2029 (so the output is also safe inside JavaScript).
    public static func appendQuoted(_ value: String, to output: inout String) {
        // Fast path: nothing to escape (no control character, quote, backslash, DEL or U+2028/9).
        var plain = true
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 {
            plain = false
            break
        }
        if plain {
            output += "\""
            output += value
            output += "\""
            return
        }
        appendEscaped(value, to: &output)
    }

    /// Appends `value` quoted and escaped to a byte buffer (for callers that build JSON text as bytes).
    static func appendQuoted(_ value: String, to output: inout [UInt8]) {
        var plain = true
        for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F || byte == 0xE2 {
            plain = false
            break
        }
        if plain {
            output.append(0x22)
            output.append(contentsOf: value.utf8)
            output.append(0x22)
        } else {
            output.append(contentsOf: escapedBytes(value))
        }
    }

    /// Quotes and escapes `value` byte by byte (its UTF-8 passes through; only the characters JSON or
    /// JavaScript cannot hold raw are escaped).
    static func appendEscaped(_ value: String, to output: inout String) {
        output += String(decoding: escapedBytes(value), as: UTF8.self)
    }

    /// `value` quoted, every character JSON or JavaScript cannot hold raw escaped.
    static func escapedBytes(_ value: String) -> [UInt8] {
        var copy = value
        return copy.withUTF8 { source in
            var out: [UInt8] = []
            out.reserveCapacity(source.count + 16)
            out.append(0x22)
            var index = 0
            while index < source.count {
                let byte = source[index]
                switch byte {
                case 0x22, 0x5C:
                    out.append(0x5C)
                    out.append(byte)
                case 0x0A:
                    out.append(0x5C)
                    out.append(UInt8(ascii: "n"))
                case 0x0D:
                    out.append(0x5C)
                    out.append(UInt8(ascii: "r"))
                case 0x09:
                    out.append(0x5C)
                    out.append(UInt8(ascii: "t"))
                case 0xE2 where index + 2 < source.count && source[index + 1] == 0x80
                    && (source[index + 2] == 0xA8 || source[index + 2] == 0xA9):
                    // U+2028 and U+2029, line and paragraph separators.
                    out.append(contentsOf: "\\u202".utf8)
                    out.append(source[index + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
                    index += 2
                case 0..<0x20, 0x7F:
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hexBytes[Int(byte >> 4)])
                    out.append(hexBytes[Int(byte & 0xF)])
                default:
                    out.append(byte)
                }
                index += 1
            }
            out.append(0x22)
            return out
        }
    }

    static let hexBytes: [UInt8] = Array("0123456789abcdef".utf8)

    public static func quoted(_ value: String) -> String {
        var out = ""
        appendQuoted(value, to: &out)
        return out
    }
}
