/// The shell's arithmetic expansion `$(( ))`, worked out where the line gives only integer literals
/// (`kubectl create token x --duration=$((24*365))h`).
enum ShellArithmetic {
    /// `$((24*365))h` → `8760h`: each arithmetic expansion of integers (`+ - * / %`, parentheses) replaced by its value;
    /// the text as it is when one holds anything else.
    static func expanded(_ text: String) -> String {
        guard let open = text.range(ofASCII: "$(("), let close = text[open.upperBound...].range(ofASCII: "))") else { return text }
        var parser = Parser(text: Array(text[open.upperBound..<close.lowerBound].utf8))
        guard let value = parser.expression(), parser.atEnd else { return text }
        return expanded(String(text[..<open.lowerBound]) + String(value) + String(text[close.upperBound...]))
    }

    /// Integer arithmetic as the shell's `$(( ))` does it, for literals only.
    struct Parser {
        let text: [UInt8]
        var index = 0
        init(text: [UInt8]) { self.text = text }
        var atEnd: Bool { mutating get { skip(); return index == text.count } }
        mutating func skip() { while index < text.count, text[index] == 0x20 { index += 1 } }
        mutating func expression() -> Int64? {
            guard var value = term() else { return nil }
            while true {
                skip()
                guard index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") else { return value }
                let plus = text[index] == UInt8(ascii: "+")
                index += 1
                guard let right = term() else { return nil }
                let (sum, overflow) = plus ? value.addingReportingOverflow(right) : value.subtractingReportingOverflow(right)
                if overflow { return nil }
                value = sum
            }
        }
        mutating func term() -> Int64? {
            guard var value = factor() else { return nil }
            while true {
                skip()
                guard index < text.count, [UInt8(ascii: "*"), UInt8(ascii: "/"), UInt8(ascii: "%")].contains(text[index]) else { return value }
                let op = text[index]
                index += 1
                guard let right = factor() else { return nil }
                if op == UInt8(ascii: "*") {
                    let (product, overflow) = value.multipliedReportingOverflow(by: right)
                    if overflow { return nil }
                    value = product
                } else {
                    guard right != 0 else { return nil }
                    value = op == UInt8(ascii: "/") ? value / right : value % right
                }
            }
        }
        mutating func factor() -> Int64? {
            skip()
            guard index < text.count else { return nil }
            if text[index] == UInt8(ascii: "(") {
                index += 1
                guard let value = expression() else { return nil }
                skip()
                guard index < text.count, text[index] == UInt8(ascii: ")") else { return nil }
                index += 1
                return value
            }
            let start = index
            while index < text.count, (0x30...0x39).contains(text[index]) { index += 1 }
            guard index > start, index - start < 18 else { return nil }
            return Int64(String(decoding: text[start..<index], as: UTF8.self))
        }
    }
}
