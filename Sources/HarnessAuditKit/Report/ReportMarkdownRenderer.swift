/// Renders a `ReportDocument` as GitHub-flavoured Markdown. Charts become image links to the
/// SVG files written beside the report; text from logs is escaped (`MarkdownText`), so a `|` or a
/// backtick in a command never breaks a table and no HTML passes through.
public enum ReportMarkdownRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var out = ""
        for block in document.blocks {
            if !out.isEmpty { out += "\n" }
            switch block {
            case .heading(let level, let inlines):
                out += String(repeating: "#", count: min(max(level, 1), 6)) + " " + inline(inlines, inTable: false) + "\n"
            case .paragraph(let inlines):
                out += inline(inlines, inTable: false) + "\n"
            case .bullets(let items):
                for item in items { out += "- " + inline(item, inTable: false) + "\n" }
            case .table(let header, let alignments, let rows):
                out += "| " + header.map(literal).joined(separator: " | ") + " |\n"
                out += "|" + header.indices.map { index in
                    index < alignments.count && alignments[index] == .right ? "---:" : "---"
                }.joined(separator: "|") + "|\n"
                for row in rows {
                    out += "| " + row.map { $0.isEmpty ? " " : inline($0, inTable: true) }.joined(separator: " | ") + " |\n"
                }
            case .chart(let chart):
                out += "![" + literal(chart.title) + "](" + pathComponent(chart.fileName) + ")\n"
            case .code(let text):
                let clean = TerminalText.sanitize(text, keepNewlines: true)
                let fence = MarkdownText.fence(for: clean, minimum: 3)
                out += fence + "sh\n" + clean + (clean.hasSuffix("\n") ? "" : "\n") + fence + "\n"
            }
        }
        return out
    }

    /// Inline text; `inTable` escapes the pipes of code spans, which would otherwise end the cell.
    static func inline(_ inlines: [ReportDocument.Inline], inTable: Bool) -> String {
        inlines.map { item -> String in
            switch item {
            case .literal(let text): return literal(text)
            case .text(let text): return MarkdownText.escape(text)
            case .code(let text): return MarkdownText.code(text, inTable: inTable)
            case .strong(let inner): return "**" + inline(inner, inTable: inTable) + "**"
            case .emphasis(let inner): return "*" + inline(inner, inTable: inTable) + "*"
            }
        }.joined()
    }

    /// The report's own words: on one line, and a `|` cannot end a table cell.
    static func literal(_ text: String) -> String { text.replacingNewlines().replacingPipes() }

    /// A file name as a relative link: everything but unreserved characters percent-encoded.
    static func pathComponent(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
