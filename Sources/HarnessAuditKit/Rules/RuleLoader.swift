#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loads the built-in rule pack (embedded in the binary) and a team's rules from a directory
/// (`--rules DIR`: every `*.sql` below it, fixtures named `<id>.positive.jsonl` and
/// `<id>.negative.jsonl` beside each rule).
public enum RuleLoader {
    /// The rules embedded in the binary, parsed.
    public static func builtIn() throws(HarnessAuditError) -> [Rule] {
        var rules: [Rule] = []
        for (path, text) in BuiltinRulePack.files where path.hasSuffix(".sql") {
            var rule = try RuleParser.parse(text, file: path, builtIn: true)
            let stem = String(path.dropLast(4))
            rule.positiveFixture = embeddedFixture(stem + ".positive")
            rule.negativeFixture = embeddedFixture(stem + ".negative")
            rules.append(rule)
        }
        return rules.sorted { $0.id < $1.id }
    }

    static func embeddedFixture(_ stem: String) -> RuleFixture? {
        let name = stem.split(separator: "/").last.map(String.init) ?? stem
        if let text = BuiltinRulePack.files[stem + ".jsonl"] {
            return RuleFixture(fileName: name + ".jsonl", bytes: Array(text.utf8))
        }
        for suffix in [".jsonl", ".jsonl.gz"] {
            if let encoded = BuiltinRulePack.binaryFiles[stem + suffix], let bytes = Base64.decode(encoded) {
                return RuleFixture(fileName: name + suffix, bytes: bytes)
            }
        }
        return nil
    }

    static func fixture(_ stem: String) -> RuleFixture? {
        let name = stem.split(separator: "/").last.map(String.init) ?? stem
        for suffix in [".jsonl", ".jsonl.gz"] {
            if let bytes = try? OutputFile.readBytes(stem + suffix) { return RuleFixture(fileName: name + suffix, bytes: bytes) }
        }
        return nil
    }

    /// Rules from a directory, recursively.
    public static func directory(_ path: String) throws(HarnessAuditError) -> [Rule] {
        var files: [String] = []
        try collect(path, into: &files)
        guard !files.isEmpty else {
            throw .unreadableInput(path: path, reason: "no rule files (*.sql) in this directory")
        }
        var rules: [Rule] = []
        for file in files.sorted() {
            let text = try readText(file)
            var rule = try RuleParser.parse(text, file: file, builtIn: false)
            let stem = String(file.dropLast(4))
            rule.positiveFixture = fixture(stem + ".positive")
            rule.negativeFixture = fixture(stem + ".negative")
            rules.append(rule)
        }
        try validate(rules)
        return rules
    }

    /// Prepares every rule against an empty store with the action model built, so a broken query
    /// (syntax, unknown column, not read-only, missing required column, unknown parameter) is
    /// reported with its file and line when rules load, not halfway through a check.
    public static func validate(_ rules: [Rule]) throws(HarnessAuditError) {
        let db = try Database(path: ":memory:", access: .memory)
        try Schema.migrate(db)
        try CheckEngine.registerFunctions(db, baseline: Baseline())
        try ActionModel.createEmpty(db)
        for rule in rules { _ = try CheckEngine.prepare(rule, db: db) }
    }

    /// The built-in pack plus extra rules; an id may appear once.
    public static func load(extra directories: [String]) throws(HarnessAuditError) -> [Rule] {
        var rules = try builtIn()
        var seen = Dictionary(uniqueKeysWithValues: rules.map { ($0.id, $0.file) })
        for directory in directories {
            for rule in try self.directory(directory) {
                if let other = seen[rule.id] {
                    throw .invalidRule(file: rule.file, line: 1, message: "rule id `\(rule.id)` is already defined by \(other)")
                }
                seen[rule.id] = rule.file
                rules.append(rule)
            }
        }
        return rules
    }

    static func collect(_ path: String, into files: inout [String]) throws(HarnessAuditError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .unreadableInput(path: path, reason: "cannot read rules: " + String(cString: strerror(errno)))
        }
        if (info.st_mode & S_IFMT) != S_IFDIR {
            if path.hasSuffix(".sql") { files.append(path) }
            return
        }
        guard let handle = opendir(path) else {
            throw .unreadableInput(path: path, reason: "cannot list rules: " + String(cString: strerror(errno)))
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if !name.hasPrefix(".") { names.append(name) }
        }
        closedir(handle)
        for name in names.sorted() {
            try collect(path.hasSuffix("/") ? path + name : path + "/" + name, into: &files)
        }
    }

    /// Reads a whole text file.
    public static func readText(_ path: String) throws(HarnessAuditError) -> String {
        let bytes = try OutputFile.readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidConfiguration(file: path, line: 1, column: nil, message: "not valid UTF-8 text")
        }
        return text
    }
}
