/// The report as a document of blocks, written once and rendered as GitHub-flavoured Markdown
/// or as one self-contained HTML page, so both formats always say the same thing.
///
/// Text is of two kinds: `literal` is the report's own wording (trusted, written as is apart from
/// the escaping each format always needs), `text` and `code` may come from logs (escaped so nothing
/// in them can become markup, a link, a table break or HTML).
public struct ReportDocument: Sendable {
    public indirect enum Inline: Sendable, Equatable {
        /// The report's own words.
        case literal(String)
        /// Text from logs or the store.
        case text(String)
        /// An inline code span (commands, paths, ids).
        case code(String)
        case strong([Inline])
        case emphasis([Inline])
    }

    public enum Alignment: Sendable { case left, right }

    /// A chart: an SVG written beside the Markdown file (and linked), or inlined into the HTML page.
    public struct Chart: Sendable {
        /// The file name beside the report (`example-2026-10-findings-over-time.svg`).
        public var fileName: String
        public var title: String
        public var svg: String
    }

    public enum Block: Sendable {
        case heading(level: Int, [Inline])
        case paragraph([Inline])
        case bullets([[Inline]])
        case table(header: [String], alignments: [Alignment], rows: [[[Inline]]])
        case chart(Chart)
        /// Preformatted text (commands): shown as is, in a fence no content can close.
        case code(String)
    }

    public var title: String
    public var blocks: [Block] = []

    public init(title: String) {
        self.title = title
    }

    mutating func heading(_ level: Int, _ text: String) { blocks.append(.heading(level: level, [.literal(text)])) }
    mutating func paragraph(_ inlines: Inline...) { blocks.append(.paragraph(inlines)) }
    mutating func append(_ block: Block) { blocks.append(block) }

    /// The charts, for the files written beside a Markdown report.
    public var charts: [Chart] {
        blocks.compactMap { if case .chart(let chart) = $0 { return chart } else { return nil } }
    }
}
