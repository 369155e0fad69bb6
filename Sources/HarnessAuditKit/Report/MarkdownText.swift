/// Escaping for text from logs placed in Markdown (GitHub-flavoured): nothing a log line
/// holds can become a link, an image, HTML, a table cell break, a heading or an @-mention.
public enum MarkdownText {
    /// Escapes Markdown punctuation and HTML; newlines become spaces. GitHub also turns bare URLs and
    /// e-mail addresses into links after escapes are read, so a scheme's colon and the dot after `www` are
    /// escaped (which GitHub reads as plain text), and an `@` follows a word joiner (`&#8288;`, invisible),
    /// since no escape keeps an address from becoming a link.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var previous: [Character] = []
        for character in TerminalText.sanitize(text, keepNewlines: true) {
            switch character {
            case "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "+", "!", "|", "~", ">", "<", "\"", "$", ":":
                out += "\\" + String(character)
            case "@": out += "&#8288;\\@"
            case "." where previous.count == 3 && previous.allSatisfy({ $0 == "w" || $0 == "W" }):
                out += "\\."
            case "&": out += "&amp;"
            case "\n", "\r", "\r\n", "\t": out += " "
            default: out.append(character)
            }
            previous.append(character)
            if previous.count > 3 { previous.removeFirst() }
        }
        return out
    }

    /// Text as an inline code span: backticks inside are fenced with longer runs.
    /// `inTable`: a `|` is escaped, since it ends a table cell even inside a code span in GFM; outside a
    /// table the backslash would show, so the pipe stays as it is.
    public static func code(_ text: String, inTable: Bool = true) -> String {
        let clean = TerminalText.sanitize(text).replacingNewlines()
        let fence = fence(for: clean, minimum: 1)
        let pad = clean.hasPrefix("`") || clean.hasSuffix("`") || clean.isEmpty ? " " : ""
        return fence + pad + (inTable ? clean.replacingPipes() : clean) + pad + fence
    }
}

extension MarkdownText {
    /// A run of backticks longer than any in `text` (and at least `minimum`): it opens and closes a code
    /// span or block that nothing inside can end.
    static func fence(for text: String, minimum: Int) -> String {
        var longest = 0, run = 0
        for character in text {
            if character == "`" { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        return String(repeating: "`", count: max(minimum, longest + 1))
    }
}

extension String {
    func replacingNewlines() -> String {
        String(map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" || $0 == "\t" ? " " : $0 })
    }

    func replacingPipes() -> String {
        var out = ""
        for character in self {
            if character == "|" { out += "\\|" } else { out.append(character) }
        }
        return out
    }
}
