/// Neutralises untrusted text before it reaches a terminal: control characters
/// (including ESC, so no ANSI escape sequence survives), DEL and C1 controls are shown
/// as `\x1b`-style escapes. Newlines and tabs may be kept for multi-line messages.
public enum TerminalText {
    public static func sanitize(_ text: String, keepNewlines: Bool = false) -> String {
        var needs = false
        for scalar in text.unicodeScalars where isControl(scalar, keepNewlines: keepNewlines) {
            needs = true
            break
        }
        guard needs else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            if isControl(scalar, keepNewlines: keepNewlines) {
                let v = scalar.value
                out += v <= 0xFF ? "\\x" + (v < 16 ? "0" : "") + String(v, radix: 16) : "\\u{" + String(v, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func isControl(_ scalar: Unicode.Scalar, keepNewlines: Bool) -> Bool {
        let v = scalar.value
        if keepNewlines && (v == 0x0A || v == 0x09) { return false }
        return v < 0x20 || v == 0x7F || (v >= 0x80 && v <= 0x9F) || v == 0x2028 || v == 0x2029
            || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
    }
}
