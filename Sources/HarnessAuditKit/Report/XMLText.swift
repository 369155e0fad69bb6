/// Escaping for XML 1.0 text and attributes: markup characters become entities, and
/// characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates, U+FFFE/FFFF)
/// are shown as `\xNN` escapes instead of producing a document parsers reject.
public enum XMLText {
    public static func escape(_ text: String, keepNewlines: Bool = false) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += keepNewlines ? "\n" : "&#10;"
            case "\t": out += "&#9;"
            case "\r": out += "&#13;"
            default:
                let v = scalar.value
                // Controls, and the bidirectional overrides that can disguise text (U+202A–E, U+2066–9).
                if v < 0x20 || v == 0xFFFE || v == 0xFFFF || TerminalText.isControl(scalar, keepNewlines: false) {
                    out += v <= 0xFF ? "\\x" + (v < 16 ? "0" : "") + String(v, radix: 16) : "\\u{" + String(v, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
