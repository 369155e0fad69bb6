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

    static let hexDigits: [Character] = Array("0123456789abcdef")

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

    static func appendEscaped(_ value: String, to output: inout String) {
        output += "\""
        var plainStart = value.unicodeScalars.startIndex
        let scalars = value.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            let escape: String?
            switch scalar {
            case "\"": escape = "\\\""
            case "\\": escape = "\\\\"
            case "\n": escape = "\\n"
            case "\r": escape = "\\r"
            case "\t": escape = "\\t"
            case "\u{2028}": escape = "\\u2028"
            case "\u{2029}": escape = "\\u2029"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let v = Int(scalar.value)
                    escape = "\\u00" + String(hexDigits[v >> 4]) + String(hexDigits[v & 0xF])
                } else {
                    escape = nil
                }
            }
            if let escape {
                output += String(scalars[plainStart..<index])
                output += escape
                plainStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        output += String(scalars[plainStart..<scalars.endIndex])
        output += "\""
    }

    public static func quoted(_ value: String) -> String {
        var out = ""
        appendQuoted(value, to: &out)
        return out
    }
}
