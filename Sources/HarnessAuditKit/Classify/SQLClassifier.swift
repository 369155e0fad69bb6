/// Classifies SQL text: DDL (schema changes) from DML (writes) from reads, and spots
/// `DELETE`/`UPDATE` without `WHERE`. The tokenizer understands string literals, quoted
/// identifiers, `--` and `/* */` comments and PostgreSQL dollar quoting, so keywords
/// inside strings or comments are never taken for statements.
public enum SQLClassifier {
    public enum Kind: String, Sendable {
        case ddl, dml, read, transaction, privilege, procedural, unknown
    }

    public struct Statement: Sendable, Equatable {
        public var kind: Kind
        /// The leading keywords, e.g. `DROP TABLE`, `DELETE`, `ALTER TABLE`.
        public var verb: String
        public var tables: [String]
        /// `DELETE` or `UPDATE` with no `WHERE` clause.
        public var unbounded: Bool
        /// The statement destroys data (DROP, TRUNCATE, DELETE without WHERE, ALTER … DROP).
        public var destructive: Bool
        /// Parts an `ALTER … DROP` removes (`users.ssn` for `ALTER TABLE users DROP COLUMN ssn`).
        public var dropped: [String] = []
    }

    /// Classifies every statement in `sql`.
    public static func classify(_ sql: String) -> [Statement] {
        statements(tokens: tokenize(sql), depth: 0)
    }

    /// Statements of a token stream. Procedural code (`DO $$ BEGIN … END $$`, `EXECUTE 'ALTER TABLE …'`,
    /// `EXEC sp_executesql N'DROP TABLE …'`) stands for the statements its body runs, when they can be read:
    /// DDL inside a `DO` block is a schema change, not an unknown effect.
    static func statements(tokens: [Token], depth: Int) -> [Statement] {
        var out: [Statement] = []
        for var tokens in split(tokens) {
            if depth > 0 { tokens = blockStatement(tokens) }
            guard var statement = classifyStatement(tokens) else { continue }
            if depth > 0 && statement.verb == "SELECT INTO" {
                // In procedural code `SELECT … INTO n` sets a variable; it creates no table.
                statement = Statement(kind: .read, verb: "SELECT", tables: [], unbounded: false, destructive: false)
            }
            if statement.kind == .procedural, depth < 4 {
                // The bodies: the statement's string literals (the `$$ … $$` of DO, the text EXECUTE runs).
                let inner = tokens.dropFirst().filter { $0.kind == .string }
                    .flatMap { statements(tokens: tokenize($0.text), depth: depth + 1) }
                    .filter { $0.kind != .unknown && $0.kind != .transaction }
                if !inner.isEmpty {
                    out += inner
                    continue
                }
            }
            out.append(statement)
        }
        return out
    }

    static let statementVerbs: Set<String> = [
        "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "COMMENT", "DELETE", "UPDATE", "INSERT", "MERGE", "GRANT",
        "REVOKE", "EXECUTE", "EXEC", "SELECT", "PERFORM", "CALL", "COPY", "WITH",
    ]

    /// A statement of a procedural body without the block syntax before it: `BEGIN ALTER TABLE …`,
    /// `IF NOT EXISTS (…) THEN ALTER TABLE …`, `DECLARE n int; BEGIN …`, `LOOP DELETE …` give the statement.
    static func blockStatement(_ tokens: [Token]) -> [Token] {
        var depth = 0
        var start = 0
        for (index, token) in tokens.enumerated() {
            if token.text == "(" { depth += 1 }
            if token.text == ")" { depth = max(0, depth - 1) }
            guard depth == 0, token.kind == .word else { continue }
            if ["BEGIN", "THEN", "ELSE", "LOOP"].contains(token.upper) {
                start = index + 1
            } else if index == start, statementVerbs.contains(token.upper) {
                break   // the statement itself: a `CASE … THEN … ELSE` in it is no block
            }
        }
        return Array(tokens[start...])
    }

    /// Adds the classes of `sql` to `result`, with `origin` (e.g. "psql -c") in the reasons.
    /// Returns the statements, for what else a caller reads of them.
    @discardableResult
    static func apply(_ sql: String, origin: String, to result: inout Classification) -> [Statement] {
        let statements = classify(sql)
        for statement in statements {
            for table in statement.tables {
                // An ALTER that drops a column alters its table and deletes the column, not the table.
                let operation = statement.dropped.isEmpty ? operation(statement) : "alter"
                result.target(ActionTarget(.table, table, operation: operation))
            }
            for part in statement.dropped { result.target(ActionTarget(.table, part, operation: "delete")) }
            switch statement.kind {
            case .ddl:
                result.add(.schema, "\(statement.verb) via \(origin)")
                if statement.destructive { result.add(.delete, "\(statement.verb) via \(origin) destroys data") }
            case .dml:
                if statement.verb == "DELETE" && statement.unbounded {
                    result.add(.delete, "DELETE without WHERE via \(origin)")
                } else if statement.verb == "UPDATE" && statement.unbounded {
                    result.add(.write, "UPDATE without WHERE via \(origin) rewrites every row")
                    result.add(.highRisk, "UPDATE without WHERE via \(origin) rewrites every row")
                } else {
                    result.add(.write, "\(statement.verb) via \(origin)")
                }
            case .read:
                result.add(.read, "\(statement.verb) via \(origin)")
            case .privilege:
                result.add(.privilege, "\(statement.verb) via \(origin)")
            case .procedural:
                result.add(.write, "\(statement.verb) via \(origin) runs procedural SQL (effect unknown)")
            case .unknown:
                result.note("unrecognised SQL statement \(statement.verb) via \(origin)")
            case .transaction:
                break
            }
        }
        return statements
    }

    static func operation(_ statement: Statement) -> String {
        if statement.destructive { return "delete" }
        switch statement.kind {
        case .read: return "read"
        case .ddl: return "alter"
        default: return "write"
        }
    }

    // MARK: Tokens

    /// A `WHERE` that selects every row: `WHERE 1=1`, `WHERE true`, `WHERE 1`, `WHERE 'a'='a'`, up to the end of the
    /// statement (nothing after it narrows the rows).
    static func whereIsAlwaysTrue(_ tokens: [Token]) -> Bool {
        guard let at = tokens.lastIndex(where: { $0.kind == .word && $0.upper == "WHERE" }) else { return false }
        // The condition up to what only shapes the result (`RETURNING`, `ORDER BY`, `LIMIT`), brackets aside.
        let tail = tokens[(at + 1)...].prefix { !($0.kind == .word && ["RETURNING", "ORDER", "LIMIT"].contains($0.upper)) }
        let condition = tail.filter { ![";", "(", ")"].contains($0.text) }
        func literal(_ token: Token) -> String? {
            token.kind == .number || token.kind == .string ? "\(token.kind == .string ? "s" : "n"):\(token.text)" : nil
        }
        switch condition.count {
        case 1: return condition[0].upper == "TRUE" || condition[0].kind == .number && condition[0].text != "0"
        case 3: return condition[1].text == "=" && literal(condition[0]) != nil && literal(condition[0]) == literal(condition[2])
        default: return false
        }
    }

    struct Token {
        enum Kind { case word, quoted, string, number, symbol }
        var kind: Kind
        var text: String
        var upper: String
    }

    static func tokenize(_ sql: String) -> [Token] {
        let b = Array(sql.utf8)
        var tokens: [Token] = []
        var i = 0
        func text(_ r: Range<Int>) -> String { String(decoding: b[r], as: UTF8.self) }
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            if c == UInt8(ascii: "-") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "-") {
                while i < b.count && b[i] != 0x0A { i += 1 }
                continue
            }
            if c == UInt8(ascii: "#") && (tokens.isEmpty || tokens.last?.text == ";") {
                // MySQL comment at a statement start.
                while i < b.count && b[i] != 0x0A { i += 1 }
                continue
            }
            if c == UInt8(ascii: "/") && i + 1 < b.count && b[i + 1] == UInt8(ascii: "*") {
                i += 2
                while i + 1 < b.count && !(b[i] == UInt8(ascii: "*") && b[i + 1] == UInt8(ascii: "/")) { i += 1 }
                i = min(i + 2, b.count)
                continue
            }
            if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") {
                let quote = c
                let start = i + 1
                i += 1
                while i < b.count {
                    if b[i] == quote {
                        if i + 1 < b.count && b[i + 1] == quote { i += 2; continue }
                        break
                    }
                    if b[i] == UInt8(ascii: "\\") && quote == UInt8(ascii: "'") { i += 1 }
                    i += 1
                }
                let value = text(start..<min(i, b.count))
                tokens.append(Token(kind: quote == UInt8(ascii: "'") ? .string : .quoted, text: value, upper: value.uppercased()))
                i += 1
                continue
            }
            if c == UInt8(ascii: "$") {
                // Dollar quoting: $$…$$ or $tag$…$tag$.
                var j = i + 1
                while j < b.count && (b[j] == UInt8(ascii: "_") || (b[j] >= 65 && b[j] <= 90) || (b[j] >= 97 && b[j] <= 122)) { j += 1 }
                if j < b.count && b[j] == UInt8(ascii: "$") {
                    let tag = Array(b[i...j])
                    var k = j + 1
                    while k + tag.count <= b.count && !b[k..<(k + tag.count)].elementsEqual(tag) { k += 1 }
                    tokens.append(Token(kind: .string, text: text((j + 1)..<min(k, b.count)), upper: ""))
                    i = min(k + tag.count, b.count)
                    continue
                }
            }
            if isWordByte(c) {
                let start = i
                while i < b.count && (isWordByte(b[i]) || b[i] == UInt8(ascii: ".")) { i += 1 }
                let word = text(start..<i)
                let isNumber = word.first?.isNumber == true
                tokens.append(Token(kind: isNumber ? .number : .word, text: word, upper: word.uppercased()))
                continue
            }
            let symbol = text(i..<(i + 1))
            tokens.append(Token(kind: .symbol, text: symbol, upper: symbol))
            i += 1
        }
        return tokens
    }

    static func isWordByte(_ c: UInt8) -> Bool {
        c == UInt8(ascii: "_") || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0x80
            || c == UInt8(ascii: "@")
    }

    static func split(_ tokens: [Token]) -> [[Token]] {
        var statements: [[Token]] = []
        var current: [Token] = []
        var depth = 0
        for token in tokens {
            if token.kind == .symbol {
                if token.text == "(" { depth += 1 }
                if token.text == ")" { depth = max(0, depth - 1) }
                if token.text == ";" && depth == 0 {
                    if !current.isEmpty { statements.append(current) }
                    current = []
                    continue
                }
            }
            current.append(token)
        }
        if !current.isEmpty { statements.append(current) }
        return statements
    }

    // MARK: Statements

    static let ddlObjects: Set<String> = [
        "TABLE", "INDEX", "VIEW", "SCHEMA", "DATABASE", "SEQUENCE", "COLUMN", "TRIGGER", "FUNCTION", "PROCEDURE",
        "TYPE", "EXTENSION", "MATERIALIZED", "UNIQUE", "TEMPORARY", "TEMP", "OR", "CONSTRAINT", "DOMAIN", "POLICY",
        "ROLE", "USER", "KEYSPACE", "COLLECTION", "IF", "TABLESPACE", "EVENT", "RULE", "SYNONYM",
    ]

    static func classifyStatement(_ tokens: [Token]) -> Statement? {
        var index = 0
        // Skip a leading WITH … AS (…) list to find the main verb.
        guard var verb = tokens.first?.upper, tokens.first?.kind == .word else { return nil }
        if verb == "EXPLAIN" {
            // EXPLAIN ANALYZE runs the statement.
            let analyzed = tokens.count > 1 && (tokens[1].upper == "ANALYZE" || tokens[1].upper == "ANALYSE")
            if !analyzed { return Statement(kind: .read, verb: "EXPLAIN", tables: [], unbounded: false, destructive: false) }
            index = 2
            while index < tokens.count && tokens[index].kind == .symbol { index += 1 }
            guard index < tokens.count else { return nil }
            verb = tokens[index].upper
        }
        if verb == "WITH" {
            var depth = 0
            var k = index + 1
            while k < tokens.count {
                let t = tokens[k]
                if t.text == "(" { depth += 1 }
                if t.text == ")" { depth -= 1 }
                if depth == 0 && t.kind == .word && ["SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"].contains(t.upper) {
                    break
                }
                k += 1
            }
            guard k < tokens.count else { return nil }
            index = k
            verb = tokens[k].upper
        }
        let rest = Array(tokens[index...])
        let words = rest.filter { $0.kind == .word }.map(\.upper)
        func objectName(after position: Int) -> [String] {
            var k = position
            while k < rest.count && (rest[k].kind == .word && (ddlObjects.contains(rest[k].upper) || rest[k].upper == "EXISTS"
                    || rest[k].upper == "NOT" || rest[k].upper == "ONLY" || rest[k].upper == "CONCURRENTLY"
                    || rest[k].upper == "REPLACE" || rest[k].upper == "ON")) {   // (`CREATE INDEX ON t`, `COMMENT ON TABLE t`)
                k += 1
            }
            guard k < rest.count, rest[k].kind == .word || rest[k].kind == .quoted else { return [] }
            return [rest[k].text]
        }
        switch verb {
        case "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME", "COMMENT":
            var object = rest.count > 1 ? rest[1].upper : ""
            if object == "OR" || object == "UNIQUE" || object == "TEMPORARY" || object == "TEMP" || object == "MATERIALIZED" {
                object = rest.count > 3 ? rest[3].upper : object
            }
            if (verb == "CREATE" || verb == "DROP" || verb == "ALTER") && (object == "ROLE" || object == "USER") {
                return Statement(kind: .privilege, verb: "\(verb) \(object)", tables: objectName(after: 1),
                                 unbounded: false, destructive: verb == "DROP")
            }
            let destructive = verb == "DROP" || verb == "TRUNCATE"
                || (verb == "ALTER" && words.contains("DROP"))
            let shown = verb == "TRUNCATE" || verb == "COMMENT" ? verb : "\(verb) \(object)"
            let tables = objectName(after: 1)
            var dropped: [String] = []
            if verb == "ALTER", let table = tables.first {
                // ALTER TABLE t DROP [COLUMN|CONSTRAINT|…] [IF EXISTS] name, DROP …
                for (k, token) in rest.enumerated() where token.upper == "DROP" && token.kind == .word {
                    var m = k + 1
                    while m < rest.count, rest[m].kind == .word,
                          ["COLUMN", "CONSTRAINT", "INDEX", "KEY", "IF", "EXISTS", "PARTITION", "FOREIGN", "PRIMARY"].contains(rest[m].upper) {
                        m += 1
                    }
                    if m < rest.count, rest[m].kind == .word || rest[m].kind == .quoted { dropped.append("\(table).\(rest[m].text)") }
                }
            }
            return Statement(kind: .ddl, verb: shown.trimmingSpaces, tables: tables,
                             unbounded: false, destructive: destructive, dropped: dropped)
        case "DELETE":
            var tables: [String] = []
            if let from = rest.firstIndex(where: { $0.upper == "FROM" }), from + 1 < rest.count { tables = [rest[from + 1].text] }
            let hasWhere = words.contains("WHERE") && !SQLClassifier.whereIsAlwaysTrue(rest)
            return Statement(kind: .dml, verb: "DELETE", tables: tables, unbounded: !hasWhere, destructive: !hasWhere)
        case "UPDATE":
            let tables = rest.count > 1 ? [rest[1].text] : []
            return Statement(kind: .dml, verb: "UPDATE", tables: tables,
                             unbounded: !words.contains("WHERE") || SQLClassifier.whereIsAlwaysTrue(rest), destructive: false)
        case "INSERT", "REPLACE", "UPSERT", "MERGE", "COPY", "LOAD", "IMPORT":
            var tables: [String] = []
            if let into = rest.firstIndex(where: { $0.upper == "INTO" }), into + 1 < rest.count {
                tables = [rest[into + 1].text]
            } else if rest.count > 1, verb == "COPY" {
                tables = [rest[1].text]
            }
            if verb == "COPY" && words.contains("TO") && !words.contains("FROM") {
                return Statement(kind: .read, verb: "COPY TO", tables: tables, unbounded: false, destructive: false)
            }
            return Statement(kind: .dml, verb: verb, tables: tables, unbounded: false, destructive: false)
        case "SELECT", "SHOW", "DESCRIBE", "DESC", "VALUES", "TABLE", "PRAGMA":
            if verb == "SELECT", let into = rest.firstIndex(where: { $0.upper == "INTO" }),
               !words.contains("FROM") || (rest.firstIndex(where: { $0.upper == "FROM" }) ?? 0) > into {
                // SELECT … INTO new_table creates a table (variables in procedural code aside).
                if into + 1 < rest.count, rest[into + 1].kind == .word, !rest[into + 1].text.hasPrefix("@") {
                    return Statement(kind: .ddl, verb: "SELECT INTO", tables: [rest[into + 1].text], unbounded: false,
                                     destructive: false)
                }
            }
            var tables: [String] = []
            if let from = rest.firstIndex(where: { $0.upper == "FROM" }), from + 1 < rest.count,
               rest[from + 1].kind == .word || rest[from + 1].kind == .quoted {
                tables = [rest[from + 1].text]
            }
            return Statement(kind: .read, verb: verb, tables: tables, unbounded: false, destructive: false)
        case "GRANT", "REVOKE":
            return Statement(kind: .privilege, verb: verb, tables: [], unbounded: false, destructive: false)
        case "BEGIN", "COMMIT", "ROLLBACK", "START", "END", "SET", "USE", "SAVEPOINT", "RELEASE", "ANALYZE",
             "VACUUM", "CHECKPOINT", "LOCK", "RESET", "DISCARD", "LISTEN", "NOTIFY", "DECLARE", "FETCH", "CLOSE":
            return Statement(kind: .transaction, verb: verb, tables: [], unbounded: false, destructive: false)
        case "DO", "CALL", "EXEC", "EXECUTE", "PREPARE":
            return Statement(kind: .procedural, verb: verb, tables: [], unbounded: false, destructive: false)
        default:
            return Statement(kind: .unknown, verb: verb, tables: [], unbounded: false, destructive: false)
        }
    }
}
