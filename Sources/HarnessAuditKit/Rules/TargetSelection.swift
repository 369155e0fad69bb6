/// `ha_targets(targets, kinds, ops [, test [, directory [, writable_roots]]])`: the values of an action's
/// targets (its `targets` JSON, `[{"kind":…,"value":…,"op":…}]`) whose kind is one of `kinds` and whose
/// operation is one of `ops` (comma-separated lists; NULL: any), and that pass `test`, joined by ", " in
/// the order stored; NULL when none does. It reads the JSON once per call, where the same selection
/// written with `json_each` and `->>` reads each target three or four times: rules call it on every read
/// or write of a fleet.
///
/// Tests (the baseline configures them, as it does the functions of the same meaning):
/// - `sensitive`: the path is secret material (`ha_sensitive(path)` is not NULL);
/// - `outside`: the path is outside the workspace `directory`, the `writable_roots` (newline-separated)
///   and the baseline's allowed write roots (`ha_outside_scope(path, directory, NULL, writable_roots) = 1`);
/// - `workspace`: the path is a change to the workspace: inside `directory` or relative to it; when
///   `directory` is NULL (not known), any path but temporary and pseudo-file locations (`/tmp/`,
///   `/var/tmp/`, `/dev/`, `/proc/`).
///
/// One instance per connection (it keeps a parse tape and the lists it was given); SQLite never calls
/// one connection's functions from two threads at once.
final class TargetSelection {
    enum Test {
        case sensitive, outside, workspace
    }

    private let tape = JSONTape()
    private let isSensitive: (String) -> Bool
    private let isOutside: (_ path: String, _ directory: String?, _ writableRoots: String?) -> Bool
    /// The last lists given, parsed (rules pass the same literal on every row).
    private var lists: [String: Set<String>] = [:]

    init(isSensitive: @escaping (String) -> Bool,
         isOutside: @escaping (_ path: String, _ directory: String?, _ writableRoots: String?) -> Bool) {
        self.isSensitive = isSensitive
        self.isOutside = isOutside
    }

    /// The function's body: `arguments` as SQLite passed them.
    func select(_ arguments: [SQLValue]) throws(Database.FunctionFailure) -> SQLValue {
        guard (3...6).contains(arguments.count) else {
            throw Database.FunctionFailure(message: "ha_targets takes 3 to 6 arguments (targets, kinds, ops [, test [, directory [, "
                                           + "writable_roots]]]), not \(arguments.count)")
        }
        var test: Test?
        if arguments.count > 3, let name = arguments[3].text {
            switch name {
            case "sensitive": test = .sensitive
            case "outside": test = .outside
            case "workspace": test = .workspace
            default:
                throw Database.FunctionFailure(message: "ha_targets: unknown test '\(name)' (sensitive, outside or workspace)")
            }
        }
        guard case .text(var json) = arguments[0], !json.isEmpty else { return .null }
        let kinds = list(arguments[1]), ops = list(arguments[2])
        let directory = arguments.count > 4 ? arguments[4].text : nil
        let writableRoots = arguments.count > 5 ? arguments[5].text : nil
        var selected: String?
        json.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            do throws(JSONTape.ParseError) { try tape.parse(bytes) } catch { return }
            let root = JSONValue(bytes: bytes, tape: tape)
            guard root.isArray else { return }
            for target in root.elements {
                if let kinds, !(target["kind"]?.string.map(kinds.contains) ?? false) { continue }
                if let ops, !(target["op"]?.string.map(ops.contains) ?? false) { continue }
                guard let value = target["value"]?.scalarText else { continue }
                switch test {
                case nil: break
                case .sensitive?: guard isSensitive(value) else { continue }
                case .outside?: guard isOutside(value, directory, writableRoots) else { continue }
                case .workspace?:
                    guard TargetSelection.changesWorkspace(value, directory: directory) else { continue }
                    // Deleting what a build or a test run generates (`rm -rf .pytest_cache htmlcov`, `node_modules`,
                    // `dist`) changes no code.
                    if target["op"]?.isString("delete") == true, TargetSelection.isGenerated(value) { continue }
                }
                if selected == nil { selected = value } else { selected! += ", " + value }
            }
        }
        return .optional(selected)
    }

    /// A comma-separated list as a set (NULL: nil, any).
    private func list(_ value: SQLValue) -> Set<String>? {
        guard let text = value.text else { return nil }
        if let known = lists[text] { return known }
        let parsed = Set(text.split(separator: ",").map { String($0.trimmingSpaces) })
        if lists.count > 64 { lists.removeAll() }
        lists[text] = parsed
        return parsed
    }

    /// Directories builds, package managers and test runs generate, by name.
    static let generatedDirectories: Set<String> = [
        "node_modules", ".cache", "dist", "build", "coverage", ".coverage", ".pytest_cache", "htmlcov", "__pycache__", ".next",
        ".nuxt", "target", ".turbo", ".parcel-cache", ".mypy_cache", ".ruff_cache", ".tox", ".nox", ".gradle", "tmp", ".tmp", "out",
        ".venv", "venv", ".eslintcache", ".svelte-kit", ".angular", "obj", ".terraform", "logs", "log",
    ]

    /// Whether a path is (inside) a directory builds and test runs generate (`build`, `.pytest_cache/v`, `a/node_modules`).
    static func isGenerated(_ path: String) -> Bool {
        path.split(separator: "/").contains { generatedDirectories.contains(String($0)) }
            || path.hasSuffix(".pyc") || path.hasSuffix(".log")
    }

    /// The `workspace` test.
    static func changesWorkspace(_ path: String, directory: String?) -> Bool {
        guard let directory else {
            return !["/tmp/", "/var/tmp/", "/dev/", "/proc/"].contains { TargetSelection.hasPrefixIgnoringCase(path, $0) }
        }
        if path.hasPrefix("/") { return directory.hasPrefix("/") && PathNormalizer.isInside(path, root: directory) }
        if PathNormalizer.isWindows(path) { return PathNormalizer.isInside(path, root: directory) }
        // A path on another machine or in a container (`web-01:/srv/app/x` through ssh, `pod/web-0:/tmp/x`,
        // `container/web:/app/cache`): no change to this workspace.
        if let colon = path.firstIndex(of: ":"), colon != path.startIndex { return false }
        return !path.hasPrefix("~")
    }

    /// `text LIKE 'prefix%'` for a prefix without wildcards: ASCII letters match either case.
    static func hasPrefixIgnoringCase(_ text: String, _ prefix: String) -> Bool {
        var characters = text.utf8.makeIterator()
        for expected in prefix.utf8 {
            guard let byte = characters.next() else { return false }
            if byte == expected { continue }
            let lower = byte | 0x20
            guard lower == expected | 0x20, lower >= UInt8(ascii: "a"), lower <= UInt8(ascii: "z") else { return false }
        }
        return true
    }
}
