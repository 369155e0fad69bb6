/// A parser for the shell command lines agents run (bash/sh/zsh syntax): quotes and
/// escapes, `$(…)` and backticks, `;` `&&` `||` `|` `|&` `&`, redirections with descriptor
/// numbers (`2>&1`, `>>`, `&>`), here-documents and here-strings, comments, subshells and
/// the keywords of compound commands. It never fails: what it cannot parse is reported in
/// `problems` and the rest is still returned.
public struct ShellParser {
    /// Nested substitutions deeper than this are not parsed (reported as a problem).
    public static let maximumDepth = 8
    /// The problem reported where substitutions nest deeper than `maximumDepth`.
    static let tooDeep = "substitutions nested too deeply"

    public static func parse(_ text: String, depth: Int = 0) -> ShellScript {
        var parser = ShellParser(bytes: Array(text.utf8), depth: depth)
        parser.run()
        return parser.script
    }

    private let b: [UInt8]
    private var i = 0
    private let depth: Int
    private var script = ShellScript()
    private var current = ShellCommand()
    /// The subshells open where the parser is, and how many were opened so far.
    private var openSubshells: [Int] = []
    private var subshellCount = 0
    private var pipeline = 0
    private var position = 0
    private var pendingHeredocs: [(delimiter: [UInt8], stripTabs: Bool, command: Int, redirection: Int)] = []
    private var caseState: CaseState = .none
    /// A function just named (`name()`, `function name`) whose body's `{` has not come yet.
    private var pendingFunction: String?
    /// How many `{ … }` groups are open where the parser is, and the functions whose bodies they are (a body in
    /// `( … )` is recorded with its subshell's number, negated, as its depth).
    private var braceDepth = 0
    private var functionBodies: [(name: String, depth: Int, start: Int)] = []

    private enum CaseState { case none, expectPattern, inBody }

    private init(bytes: [UInt8], depth: Int) {
        b = bytes
        self.depth = depth
    }

    // MARK: Driver

    private mutating func run() {
        while true {
            skipBlanks()
            guard i < b.count else { break }
            let c = b[i]
            if c == UInt8(ascii: "#") {
                while i < b.count && b[i] != 0x0A { i += 1 }
                continue
            }
            if c == 0x0A {
                i += 1
                finishCommand(separator: "\n")
                readHeredocBodies()
                continue
            }
            if caseState == .expectPattern && current.words.isEmpty && current.assignments.isEmpty {
                if skipCasePattern() { continue }
            }
            if let op = matchOperator() {
                handleOperator(op)
                continue
            }
            let word = readWord()
            addWord(word)
        }
        finishCommand(separator: "")
        if !pendingHeredocs.isEmpty {
            script.problems.append("here-document without its terminating delimiter")
        }
    }

    private mutating func skipBlanks() {
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0D {
                i += 1
            } else if c == UInt8(ascii: "\\") && i + 1 < b.count && b[i + 1] == 0x0A {
                i += 2
            } else {
                break
            }
        }
    }

    /// Ends the innermost function body at the closing `}` or `)` just read: its text is the function's.
    private mutating func closeFunctionBody() {
        let body = functionBodies.removeLast()
        script.functions[body.name] = String(decoding: b[body.start..<max(body.start, i - 1)], as: UTF8.self)
    }

    private mutating func finishCommand(separator: String) {
        if !current.words.isEmpty || !current.assignments.isEmpty || !current.redirections.isEmpty {
            current.pipeline = pipeline
            current.pipelinePosition = position
            current.separator = separator
            current.subshells = openSubshells
            current.function = functionBodies.last?.name
            script.commands.append(current)
        } else if separator == "|", !script.commands.isEmpty {
            // `! cmd |` or a keyword-only segment: keep the pipeline position honest.
        }
        current = ShellCommand()
        if separator == "|" {
            position += 1
        } else {
            pipeline += 1
            position = 0
        }
    }

    // MARK: Operators

    private static let operators: [String] = [
        "&>>", "<<<", "<<-", ";;&", "&&", "||", ";;", ";&", "|&", "&>", ">>", "<<", "<&", ">&", "<>", ">|",
        ";", "&", "|", "(", ")", "<", ">",
    ]

    private mutating func matchOperator() -> String? {
        let c = b[i]
        guard c == UInt8(ascii: ";") || c == UInt8(ascii: "&") || c == UInt8(ascii: "|") || c == UInt8(ascii: "(")
            || c == UInt8(ascii: ")") || c == UInt8(ascii: "<") || c == UInt8(ascii: ">") else { return nil }
        // Process substitution is a word, not an operator.
        if (c == UInt8(ascii: "<") || c == UInt8(ascii: ">")) && i + 1 < b.count && b[i + 1] == UInt8(ascii: "(") {
            return nil
        }
        for op in ShellParser.operators {
            let utf8 = Array(op.utf8)
            if i + utf8.count <= b.count && b[i..<(i + utf8.count)].elementsEqual(utf8) {
                i += utf8.count
                return op
            }
        }
        return nil
    }

    private mutating func handleOperator(_ op: String) {
        switch op {
        case ";", "&", "&&", "||", "\n":
            finishCommand(separator: op)
        case ";;", ";&", ";;&":
            finishCommand(separator: ";")
            if caseState != .none { caseState = .expectPattern }
        case "|", "|&":
            if op == "|&" {
                current.redirections.append(ShellRedirection(fd: 2, op: ">&", target: ShellWord(text: "1")))
            }
            finishCommand(separator: "|")
        case "(":
            if i < b.count && b[i] == UInt8(ascii: "(") {
                // `((…))`: arithmetic; nothing runs.
                skipBalanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 2)
                return
            }
            if !current.words.isEmpty, i < b.count, b[i] == UInt8(ascii: ")") {
                // `name() { … }`: a function definition; its body is parsed as commands.
                i += 1
                pendingFunction = current.words.count == 1 ? current.words[0].text : nil
                current = ShellCommand()
                return
            }
            finishCommand(separator: ";")
            subshellCount += 1
            openSubshells.append(subshellCount)
            // `name() ( … )`: a function whose body runs in a subshell.
            if let name = pendingFunction {
                functionBodies.append((name, -subshellCount, i))
                pendingFunction = nil
            }
        case ")":
            finishCommand(separator: ";")
            if let body = functionBodies.last, body.depth < 0, -body.depth == openSubshells.last { closeFunctionBody() }
            if !openSubshells.isEmpty { openSubshells.removeLast() }
            current.closesCompound = true
        default:
            readRedirection(op: op, fd: nil)
        }
    }

    private mutating func readRedirection(op: String, fd: Int?) {
        skipBlanks()
        var redirection = ShellRedirection(fd: fd, op: op)
        if op == "<<" || op == "<<-" {
            let start = i
            let delimiterWord = readWord()
            let delimiter = Array(delimiterWord.text.utf8)
            _ = start
            redirection.target = delimiterWord
            if delimiter.isEmpty {
                script.problems.append("here-document without a delimiter")
            } else {
                pendingHeredocs.append((delimiter, op == "<<-", script.commands.count, current.redirections.count))
            }
        } else if op == "<<<" {
            let word = readWord()
            redirection.target = word
            redirection.body = word.text
        } else if i < b.count, !isWordBreak(b[i]) {
            redirection.target = readWord()
        } else if i < b.count, b[i] == UInt8(ascii: "<") || b[i] == UInt8(ascii: ">") {
            redirection.target = readWord()
        }
        current.redirections.append(redirection)
    }

    /// Reads here-document bodies after a newline, in the order they were opened.
    private mutating func readHeredocBodies() {
        for pending in pendingHeredocs {
            var body: [UInt8] = []
            var found = false
            while i < b.count {
                var end = i
                while end < b.count && b[end] != 0x0A { end += 1 }
                var lineStart = i
                if pending.stripTabs { while lineStart < end && b[lineStart] == 0x09 { lineStart += 1 } }
                var lineEnd = end
                if lineEnd > lineStart && b[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                let line = b[lineStart..<lineEnd]
                i = end < b.count ? end + 1 : end
                if line.elementsEqual(pending.delimiter) {
                    found = true
                    break
                }
                body += line
                body.append(0x0A)
            }
            if !found { script.problems.append("here-document not terminated by its delimiter") }
            if pending.command < script.commands.count,
               pending.redirection < script.commands[pending.command].redirections.count {
                script.commands[pending.command].redirections[pending.redirection].body = String(decoding: body, as: UTF8.self)
            }
        }
        pendingHeredocs.removeAll()
    }

    // MARK: Words and keywords

    private static let skipKeywords: Set<String> = [
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "esac", "time", "coproc",
    ]

    private mutating func addWord(_ word: ShellWord) {
        // An IO number: digits immediately followed by a redirection operator.
        if !word.quoted, !word.text.isEmpty, word.text.allSatisfy(\.isNumber), i < b.count,
           b[i] == UInt8(ascii: "<") || b[i] == UInt8(ascii: ">"),
           !(i + 1 < b.count && b[i + 1] == UInt8(ascii: "(")) {
            if let op = matchOperator() {
                readRedirection(op: op, fd: Int(word.text))
                return
            }
        }
        let atStart = current.words.isEmpty && current.assignments.isEmpty
        if current.words.isEmpty, let equals = word.text.utf8.firstIndex(of: UInt8(ascii: "=")),
           word.text.utf8.distance(from: word.text.utf8.startIndex, to: equals) < word.plainPrefix,
           equals != word.text.utf8.startIndex {
            let name = String(word.text[..<equals])
            if ShellParser.isIdentifier(name.hasSuffix("+") ? String(name.dropLast()) : name) {
                var value = word
                value.text = String(word.text[word.text.index(after: equals)...])
                current.assignments.append((name, value))
                return
            }
        }
        if atStart && !word.quoted {
            if ShellParser.skipKeywords.contains(word.text) {
                if word.text == "time" { skipOptions() }
                if word.text == "!" { current.negated.toggle() }
                if ["done", "fi", "}", "esac"].contains(word.text) { current.closesCompound = true }
                if word.text == "{" {
                    braceDepth += 1
                    if let name = pendingFunction { functionBodies.append((name, braceDepth, i)) }
                } else if word.text == "}" {
                    if let body = functionBodies.last, body.depth == braceDepth { closeFunctionBody() }
                    braceDepth = max(0, braceDepth - 1)
                }
                pendingFunction = nil
                return
            }
            pendingFunction = nil
            switch word.text {
            case "for", "select":
                skipToListEnd()
                return
            case "case":
                skipToWord("in")
                caseState = .expectPattern
                return
            case "function":
                pendingFunction = readWordAfterBlanks()?.text
                skipBlanks()
                if i + 1 < b.count && b[i] == UInt8(ascii: "(") && b[i + 1] == UInt8(ascii: ")") { i += 2 }
                return
            case "[[":
                skipToWord("]]")
                return
            default:
                break
            }
        }
        if caseState == .inBody && atStart && word.text == "esac" && !word.quoted {
            caseState = .none
            return
        }
        current.words.append(word)
    }

    private static func isIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic)
        else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    private mutating func readWordAfterBlanks() -> ShellWord? {
        skipBlanks()
        guard i < b.count, !isWordBreak(b[i]) else { return nil }
        return readWord()
    }

    private mutating func skipOptions() {
        while true {
            skipBlanks()
            guard i < b.count, b[i] == UInt8(ascii: "-") else { return }
            _ = readWord()
        }
    }

    /// Skips `for x in a b c` up to the `;` or newline before `do`.
    private mutating func skipToListEnd() {
        var nesting = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "(") { nesting += 1 }
            if c == UInt8(ascii: ")") { nesting -= 1 }
            if nesting <= 0 && (c == UInt8(ascii: ";") || c == 0x0A) { return }
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "$") || c == UInt8(ascii: "`") {
                _ = readWord()
                continue
            }
            i += 1
        }
    }

    private mutating func skipToWord(_ target: String) {
        while i < b.count {
            skipBlanks()
            guard i < b.count else { return }
            if b[i] == 0x0A || b[i] == UInt8(ascii: ";") {
                i += 1
                continue
            }
            if isWordBreak(b[i]) {
                i += 1
                continue
            }
            let word = readWord()
            if word.text == target && !word.quoted { return }
        }
    }

    /// In a `case` body, skips `pattern|pattern)`; returns false when not at a pattern.
    private mutating func skipCasePattern() -> Bool {
        let save = i
        var nesting = 0
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "(") && nesting == 0 && i == save {
                i += 1
                continue
            }
            if c == UInt8(ascii: ")") {
                i += 1
                caseState = .inBody
                return true
            }
            if c == 0x0A || c == UInt8(ascii: ";") {
                break
            }
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                _ = readWord()
                continue
            }
            if c == UInt8(ascii: "e"), i + 4 <= b.count, b[i..<(i + 4)].elementsEqual("esac".utf8) {
                i += 4
                caseState = .none
                return true
            }
            nesting += 0
            i += 1
        }
        i = save
        caseState = .inBody
        return false
    }

    private func isWordBreak(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == UInt8(ascii: ";") || c == UInt8(ascii: "&")
            || c == UInt8(ascii: "|") || c == UInt8(ascii: "(") || c == UInt8(ascii: ")") || c == UInt8(ascii: "<")
            || c == UInt8(ascii: ">")
    }

    /// Reads one word starting at `i`.
    private mutating func readWord() -> ShellWord {
        var out: [UInt8] = []
        var word = ShellWord(text: "")
        var plainPrefix: Int?
        // Process substitution at the start of a word.
        if i + 1 < b.count, b[i] == UInt8(ascii: "<") || b[i] == UInt8(ascii: ">"), b[i + 1] == UInt8(ascii: "(") {
            let start = i
            i += 1
            let inner = readBalancedParens()
            addSubstitution(inner)
            out += b[start..<i]
            word.hasExpansion = true
            word.hasCommandSubstitution = true
        }
        while i < b.count {
            let c = b[i]
            if isWordBreak(c) { break }
            if plainPrefix == nil && (c == UInt8(ascii: "\\") || c == UInt8(ascii: "'") || c == UInt8(ascii: "\"")
                                      || c == UInt8(ascii: "$") || c == UInt8(ascii: "`")) {
                plainPrefix = out.count
            }
            switch c {
            case UInt8(ascii: "\\"):
                if i + 1 < b.count {
                    if b[i + 1] == 0x0A {
                        i += 2
                        continue
                    }
                    out.append(b[i + 1])
                    word.quoted = true
                    i += 2
                } else {
                    i += 1
                }
            case UInt8(ascii: "'"):
                word.quoted = true
                i += 1
                let start = i
                while i < b.count && b[i] != UInt8(ascii: "'") { i += 1 }
                out += b[start..<min(i, b.count)]
                if i < b.count { i += 1 } else { script.problems.append("unterminated single quote") }
            case UInt8(ascii: "\""):
                word.quoted = true
                i += 1
                readDoubleQuoted(into: &out, word: &word)
            case UInt8(ascii: "$"):
                if i + 1 < b.count && b[i + 1] == UInt8(ascii: "'") {
                    word.quoted = true
                    word.hasANSIC = true
                    i += 2
                    readANSIC(into: &out)
                } else if i + 1 < b.count && b[i + 1] == UInt8(ascii: "\"") {
                    word.quoted = true
                    i += 2
                    readDoubleQuoted(into: &out, word: &word)
                } else {
                    readDollar(into: &out, word: &word)
                }
            case UInt8(ascii: "`"):
                readBacktick(into: &out, word: &word)
            case UInt8(ascii: "*"), UInt8(ascii: "?"), UInt8(ascii: "["):
                word.hasGlob = true
                out.append(c)
                i += 1
            default:
                out.append(c)
                i += 1
            }
        }
        word.text = String(decoding: out, as: UTF8.self)
        word.plainPrefix = plainPrefix ?? out.count
        return word
    }

    private mutating func readDoubleQuoted(into out: inout [UInt8], word: inout ShellWord) {
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                return
            }
            if c == UInt8(ascii: "\\") && i + 1 < b.count {
                let n = b[i + 1]
                if n == UInt8(ascii: "$") || n == UInt8(ascii: "`") || n == UInt8(ascii: "\"") || n == UInt8(ascii: "\\") {
                    out.append(n)
                    i += 2
                    continue
                }
                if n == 0x0A {
                    i += 2
                    continue
                }
                out.append(c)
                i += 1
                continue
            }
            if c == UInt8(ascii: "$") {
                readDollar(into: &out, word: &word)
                continue
            }
            if c == UInt8(ascii: "`") {
                readBacktick(into: &out, word: &word)
                continue
            }
            out.append(c)
            i += 1
        }
        script.problems.append("unterminated double quote")
    }

    private mutating func readANSIC(into out: inout [UInt8]) {
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "'") {
                i += 1
                return
            }
            if c == UInt8(ascii: "\\") && i + 1 < b.count {
                let n = b[i + 1]
                i += 2
                switch n {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "e"), UInt8(ascii: "E"): out.append(0x1B)
                case UInt8(ascii: "a"): out.append(0x07)
                case UInt8(ascii: "0"):
                    var value = 0
                    var count = 0
                    while count < 3, i < b.count, b[i] >= 48, b[i] <= 55 {
                        value = value * 8 + Int(b[i] - 48)
                        i += 1
                        count += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: value))
                case UInt8(ascii: "x"):
                    var value = 0
                    var count = 0
                    while count < 2, i < b.count, let h = JSONTape.hexValue(b[i]) {
                        value = value * 16 + Int(h)
                        i += 1
                        count += 1
                    }
                    out.append(UInt8(truncatingIfNeeded: value))
                default:
                    out.append(n)
                }
                continue
            }
            out.append(c)
            i += 1
        }
        script.problems.append("unterminated $'…' quote")
    }

    private mutating func readDollar(into out: inout [UInt8], word: inout ShellWord) {
        let start = i
        i += 1
        guard i < b.count else {
            out.append(UInt8(ascii: "$"))
            return
        }
        let c = b[i]
        if c == UInt8(ascii: "(") {
            if i + 1 < b.count && b[i + 1] == UInt8(ascii: "(") {
                skipBalanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 2)
                word.hasExpansion = true
            } else {
                let inner = readBalancedParens()
                addSubstitution(inner)
                word.hasExpansion = true
                word.hasCommandSubstitution = true
            }
        } else if c == UInt8(ascii: "{") {
            var nesting = 0
            while i < b.count {
                if b[i] == UInt8(ascii: "{") { nesting += 1 }
                if b[i] == UInt8(ascii: "}") {
                    nesting -= 1
                    if nesting == 0 {
                        i += 1
                        break
                    }
                }
                i += 1
            }
            word.hasExpansion = true
        } else if c == UInt8(ascii: "_") || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) {
            while i < b.count, b[i] == UInt8(ascii: "_") || (b[i] >= 65 && b[i] <= 90) || (b[i] >= 97 && b[i] <= 122)
                || (b[i] >= 48 && b[i] <= 57) {
                i += 1
            }
            word.hasExpansion = true
        } else if (c >= 48 && c <= 57) || c == UInt8(ascii: "@") || c == UInt8(ascii: "*") || c == UInt8(ascii: "#")
                    || c == UInt8(ascii: "?") || c == UInt8(ascii: "$") || c == UInt8(ascii: "!") || c == UInt8(ascii: "-") {
            i += 1
            word.hasExpansion = true
        } else {
            // A lone `$` is literal.
        }
        out += b[start..<i]
    }

    private mutating func readBacktick(into out: inout [UInt8], word: inout ShellWord) {
        let start = i
        i += 1
        var inner: [UInt8] = []
        var closed = false
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "\\") && i + 1 < b.count {
                let n = b[i + 1]
                if n == UInt8(ascii: "`") || n == UInt8(ascii: "\\") || n == UInt8(ascii: "$") {
                    inner.append(n)
                } else {
                    inner.append(c)
                    inner.append(n)
                }
                i += 2
                continue
            }
            if c == UInt8(ascii: "`") {
                i += 1
                closed = true
                break
            }
            inner.append(c)
            i += 1
        }
        if !closed { script.problems.append("unterminated backtick") }
        addSubstitution(String(decoding: inner, as: UTF8.self))
        word.hasExpansion = true
        word.hasCommandSubstitution = true
        out += b[start..<i]
    }

    /// At `(`: returns the text inside the matching `)` and moves past it.
    private mutating func readBalancedParens() -> String {
        guard i < b.count, b[i] == UInt8(ascii: "(") else { return "" }
        i += 1
        let start = i
        var nesting = 1
        while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "\\"):
                i += 2
                continue
            case UInt8(ascii: "'"):
                i += 1
                while i < b.count && b[i] != UInt8(ascii: "'") { i += 1 }
            case UInt8(ascii: "\""):
                i += 1
                while i < b.count && b[i] != UInt8(ascii: "\"") {
                    if b[i] == UInt8(ascii: "\\") { i += 1 }
                    i += 1
                }
            case UInt8(ascii: "("):
                nesting += 1
            case UInt8(ascii: ")"):
                nesting -= 1
                if nesting == 0 {
                    let inner = String(decoding: b[start..<i], as: UTF8.self)
                    i += 1
                    return inner
                }
            default:
                break
            }
            i += 1
        }
        // A trailing backslash or an open quote can step past the end: the rest of the input is the substitution.
        i = min(i, b.count)
        script.problems.append("unbalanced parenthesis")
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    private mutating func skipBalanced(open: UInt8, close: UInt8, depth: Int) {
        var nesting = 0
        while i < b.count {
            if b[i] == open { nesting += 1 }
            if b[i] == close {
                nesting -= 1
                if nesting <= 0 {
                    i += 1
                    // `))` closes arithmetic.
                    if depth == 2 && i < b.count && b[i] == close { i += 1 }
                    return
                }
            }
            i += 1
        }
    }

    private mutating func addSubstitution(_ text: String) {
        guard depth + 1 < ShellParser.maximumDepth else {
            script.problems.append(ShellParser.tooDeep)
            return
        }
        script.substitutions.append(ShellParser.parse(text, depth: depth + 1))
    }
}
