/// The report's charts as standalone SVG 1.1: no script, no external font, image or style, an
/// opaque background (legible in GitHub's dark mode too), and a `<title>`/`<desc>` that say in
/// words what the chart shows, for screen readers and for anyone reading the file as text.
/// Labels are the report's own words and dates; nothing from logs is drawn.
public enum SVGChart {
    public struct Series: Sendable {
        public var name: String
        public var color: String

        public init(name: String, color: String) {
            self.name = name
            self.color = color
        }
    }

    /// One bar of a stacked bar chart: its label and a value per series.
    public struct Bar: Sendable {
        public var label: String
        public var values: [Int]
        /// A reference value drawn as a tick (the previous period), if any.
        public var reference: Int?

        public init(label: String, values: [Int], reference: Int? = nil) {
            self.label = label
            self.values = values
            self.reference = reference
        }

        var total: Int { values.reduce(0, +) }
    }

    /// A shaded band behind some columns of a column chart, with a caption (a period).
    public struct Band: Sendable {
        public var first: Int
        public var last: Int
        public var caption: String
        public var shaded: Bool

        public init(first: Int, last: Int, caption: String, shaded: Bool) {
            self.first = first
            self.last = last
            self.caption = caption
            self.shaded = shaded
        }
    }

    static let width = 760
    static let font = "system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif"
    static let ink = "#1f2328", muted = "#57606a", grid = "#d8dee4"

    /// Vertical stacked columns over time (findings per day or week, by severity), with bands
    /// that mark the periods.
    public static func columns(id: String, title: String, description: String, series: [Series], bars: [Bar], bands: [Band],
                               emptyText: String) -> String {
        let height = 300
        let left = 44, right = 16, top = 64, bottom = 44
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        var body = legend(series, y: 44)
        let maximum = niceMaximum(bars.map(\.total).max() ?? 0)
        let slot = bars.isEmpty ? Double(plotWidth) : Double(plotWidth) / Double(bars.count)
        for band in bands where band.first <= band.last && band.last < bars.count {
            let x = Double(left) + slot * Double(band.first)
            let w = slot * Double(band.last - band.first + 1)
            if band.shaded {
                body += "<rect x=\"\(f(x))\" y=\"\(top)\" width=\"\(f(w))\" height=\"\(plotHeight)\" fill=\"#f3f4f6\"/>\n"
            }
            body += text(band.caption, x: x + w / 2, y: Double(top) - 4, size: 11, anchor: "middle", color: muted)
        }
        body += yAxis(maximum: maximum, left: left, top: top, plotWidth: plotWidth, plotHeight: plotHeight)
        let labelEvery = max(1, Int((Double(bars.count) / 12).rounded(.up)))
        for (index, bar) in bars.enumerated() {
            let x = Double(left) + slot * Double(index) + slot * 0.15
            var y = Double(top + plotHeight)
            for (value, item) in zip(bar.values, series) where value > 0 {
                let h = Double(value) / Double(maximum) * Double(plotHeight)
                y -= h
                body += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(slot * 0.7))\" height=\"\(f(h))\" fill=\"\(item.color)\">"
                body += "<title>\(XMLText.escape(bar.label)): \(value) \(XMLText.escape(item.name))</title></rect>\n"
            }
            if index % labelEvery == 0 {
                body += text(bar.label, x: x + slot * 0.35, y: Double(top + plotHeight + 16), size: 10, anchor: "middle", color: muted)
            }
        }
        if bars.allSatisfy({ $0.total == 0 }) {
            body += text(emptyText, x: Double(left + plotWidth / 2), y: Double(top + plotHeight / 2), size: 13, anchor: "middle", color: muted)
        }
        return frame(id: id, title: title, description: description, height: height, body: body)
    }

    /// Horizontal stacked bars, one per row (findings by category, risky actions by class), with
    /// the total at the end of each bar and an optional reference tick.
    public static func rows(id: String, title: String, description: String, series: [Series], bars: [Bar], referenceName: String?,
                            suffix: (Bar) -> String, emptyText: String) -> String {
        let rowHeight = 24
        let left = 200, right = 150, top = 64
        let height = top + max(bars.count, 1) * rowHeight + 24
        let plotWidth = width - left - right
        var legendItems = series
        if let referenceName { legendItems.append(Series(name: referenceName, color: ink)) }
        var body = legend(legendItems, y: 44, referenceLast: referenceName != nil)
        let maximum = niceMaximum(bars.map { max($0.total, $0.reference ?? 0) }.max() ?? 0)
        for (index, bar) in bars.enumerated() {
            let y = top + index * rowHeight
            body += text(bar.label, x: Double(left - 8), y: Double(y + 16), size: 12, anchor: "end", color: ink)
            var x = Double(left)
            for (value, item) in zip(bar.values, series) where value > 0 {
                let w = Double(value) / Double(maximum) * Double(plotWidth)
                body += "<rect x=\"\(f(x))\" y=\"\(y + 4)\" width=\"\(f(w))\" height=\"\(rowHeight - 8)\" fill=\"\(item.color)\">"
                body += "<title>\(XMLText.escape(bar.label)): \(value) \(XMLText.escape(item.name))</title></rect>\n"
                x += w
            }
            if let reference = bar.reference {
                let rx = Double(left) + Double(reference) / Double(maximum) * Double(plotWidth)
                body += "<rect x=\"\(f(rx - 1))\" y=\"\(y + 1)\" width=\"2\" height=\"\(rowHeight - 2)\" fill=\"\(ink)\">"
                body += "<title>\(XMLText.escape(bar.label)): \(reference) in \(XMLText.escape(referenceName ?? ""))</title></rect>\n"
            }
            let end = max(x, bar.reference.map { Double(left) + Double($0) / Double(maximum) * Double(plotWidth) } ?? 0)
            body += text(suffix(bar), x: end + 6, y: Double(y + 16), size: 12, anchor: "start", color: muted)
        }
        if bars.isEmpty {
            body += text(emptyText, x: Double(width / 2), y: Double(top + 16), size: 13, anchor: "middle", color: muted)
        }
        return frame(id: id, title: title, description: description, height: height, body: body)
    }

    // MARK: Pieces

    /// `id` prefixes the title's and description's ids, unique when several charts share one HTML page.
    static func frame(id: String, title: String, description: String, height: Int, body: String) -> String {
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\""
        out += " role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"\(font)\">\n"
        out += "<title id=\"\(id)-title\">\(XMLText.escape(title))</title>\n"
        out += "<desc id=\"\(id)-desc\">\(XMLText.escape(description))</desc>\n"
        out += "<rect width=\"\(width)\" height=\"\(height)\" rx=\"6\" fill=\"#ffffff\" stroke=\"\(grid)\"/>\n"
        out += text(title, x: 16, y: 24, size: 15, anchor: "start", color: ink, bold: true)
        out += body
        out += "</svg>\n"
        return out
    }

    static func legend(_ series: [Series], y: Int, referenceLast: Bool = false) -> String {
        var out = ""
        var x = 16.0
        for (index, item) in series.enumerated() {
            if referenceLast && index == series.count - 1 {
                out += "<rect x=\"\(f(x + 4))\" y=\"\(y - 10)\" width=\"2\" height=\"12\" fill=\"\(item.color)\"/>\n"
            } else {
                out += "<rect x=\"\(f(x))\" y=\"\(y - 10)\" width=\"10\" height=\"10\" rx=\"2\" fill=\"\(item.color)\"/>\n"
            }
            out += text(item.name, x: x + 14, y: Double(y), size: 12, anchor: "start", color: ink)
            x += 14 + Double(item.name.count) * 6.4 + 16
        }
        return out
    }

    static func yAxis(maximum: Int, left: Int, top: Int, plotWidth: Int, plotHeight: Int) -> String {
        var out = ""
        let steps = 4
        for step in 0...steps {
            let value = maximum * step / steps
            let y = Double(top + plotHeight) - Double(plotHeight) * Double(step) / Double(steps)
            out += "<line x1=\"\(left)\" y1=\"\(f(y))\" x2=\"\(left + plotWidth)\" y2=\"\(f(y))\" stroke=\"\(grid)\" stroke-width=\"1\"/>\n"
            out += text(String(value), x: Double(left - 6), y: y + 4, size: 10, anchor: "end", color: muted)
        }
        return out
    }

    static func text(_ value: String, x: Double, y: Double, size: Int, anchor: String, color: String, bold: Bool = false) -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" fill=\"\(color)\""
            + (bold ? " font-weight=\"600\"" : "") + ">" + XMLText.escape(value) + "</text>\n"
    }

    /// The smallest of 1, 2, 4, 5, 6, 8 × 10ⁿ at or above `value` (at least 4, so four grid steps are whole numbers).
    static func niceMaximum(_ value: Int) -> Int {
        if value <= 4 { return 4 }
        var magnitude = 1
        while magnitude * 10 < value { magnitude *= 10 }
        for factor in [1, 2, 4, 5, 6, 8, 10] where factor * magnitude >= value && (factor * magnitude) % 4 == 0 {
            return factor * magnitude
        }
        return 10 * magnitude
    }

    /// A coordinate with at most one decimal.
    static func f(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : String(tenths / 10) + "." + String(abs(tenths % 10))
    }
}
