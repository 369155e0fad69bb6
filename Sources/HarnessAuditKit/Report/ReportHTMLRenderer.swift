/// Renders a `ReportDocument` as one self-contained HTML page: styles inline, charts as inline
/// SVG, no script, and a Content-Security-Policy that forbids loading anything, so the page
/// reads the same offline and nothing in it can reach out. All text is escaped.
public enum ReportHTMLRenderer {
    public static func render(_ document: ReportDocument) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="generator" content="harness-audit \(HarnessAuditVersion.string)">
            <title>\(escape(document.title))</title>
            <style>
            \(style)
            </style>
            </head>
            <body>
            <main>

            """
        for block in document.blocks {
            switch block {
            case .heading(let level, let inlines):
                let tag = "h\(min(max(level, 1), 6))"
                out += "<\(tag)>" + inline(inlines) + "</\(tag)>\n"
            case .paragraph(let inlines):
                out += "<p>" + inline(inlines) + "</p>\n"
            case .bullets(let items):
                out += "<ul>\n" + items.map { "<li>" + inline($0) + "</li>\n" }.joined() + "</ul>\n"
            case .table(let header, let alignments, let rows):
                func attribute(_ index: Int) -> String {
                    index < alignments.count && alignments[index] == .right ? " class=\"num\"" : ""
                }
                out += "<div class=\"table\"><table>\n<thead><tr>"
                out += header.enumerated().map { "<th\(attribute($0.offset))>" + escape($0.element) + "</th>" }.joined()
                out += "</tr></thead>\n<tbody>\n"
                for row in rows {
                    out += "<tr>" + row.enumerated().map { "<td\(attribute($0.offset))>" + inline($0.element) + "</td>" }.joined() + "</tr>\n"
                }
                out += "</tbody>\n</table></div>\n"
            case .chart(let chart):
                out += "<figure>\n" + chart.svg + "<figcaption>" + escape(chart.title) + "</figcaption>\n</figure>\n"
            case .code(let text):
                out += "<pre><code>" + XMLText.escape(text, keepNewlines: true) + "</code></pre>\n"
            }
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func inline(_ inlines: [ReportDocument.Inline]) -> String {
        inlines.map { item -> String in
            switch item {
            case .literal(let text), .text(let text): return escape(text)
            case .code(let text): return "<code>" + escape(text) + "</code>"
            case .strong(let inner): return "<strong>" + inline(inner) + "</strong>"
            case .emphasis(let inner): return "<em>" + inline(inner) + "</em>"
            }
        }.joined()
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }

    static let style = """
        :root { color-scheme: light; }
        body { margin: 0; background: #f6f7f9; color: #1f2328; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
        main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; background: #fff; }
        h1 { font-size: 26px; margin: 8px 0 4px; }
        h2 { font-size: 20px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #d0d7de; }
        h3 { font-size: 16px; margin: 24px 0 6px; }
        h4 { font-size: 14px; margin: 16px 0 4px; }
        p, ul { margin: 6px 0 10px; }
        code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f0f2f4; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
        pre { background: #f0f2f4; padding: 12px; border-radius: 6px; overflow-x: auto; }
        pre code { background: none; padding: 0; }
        .table { overflow-x: auto; }
        table { border-collapse: collapse; margin: 8px 0 14px; font-size: 14px; }
        th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 12px 0 20px; }
        figure svg { max-width: 100%; height: auto; }
        figcaption { font-size: 13px; color: #57606a; }
        @media print { body { background: #fff; } main { padding: 0; } }
        """
}
