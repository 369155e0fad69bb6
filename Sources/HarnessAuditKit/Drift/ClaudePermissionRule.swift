/// A Claude Code permission rule, `Tool` or `Tool(specifier)` (`Bash(npm run test:*)`,
/// `Read(./.env)`, `WebFetch(domain:example.com)`, `mcp__github`), and whether an action
/// falls under it. Used to tell whether an allow rule a user accepted was ever exercised.
public struct ClaudePermissionRule: Sendable, Hashable {
    public var tool: String
    public var specifier: String?

    public init?(_ text: String) {
        let text = text.trimmingSpaces
        guard !text.isEmpty else { return nil }
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            tool = String(text[..<open])
            let inner = text[text.index(after: open)..<text.index(before: text.endIndex)]
            specifier = inner.isEmpty ? nil : String(inner)
        } else {
            tool = text
            specifier = nil
        }
        if tool.isEmpty { return nil }
    }

    init(tool: String, specifier: String?) {
        self.tool = tool
        self.specifier = specifier
    }

    public var text: String { specifier.map { "\(tool)(\($0))" } ?? tool }

    static let pathTools: Set<String> = ["Read", "Edit", "Write", "MultiEdit", "NotebookEdit", "Glob", "Grep", "LS"]
    static let shellTools: Set<String> = ["Bash", "PowerShell"]

    /// Whether an action (its tool, command, paths and hosts) falls under the rule.
    /// `projectRoot` anchors `/path` specifiers; `home` anchors `~/`.
    public func covers(tool actionTool: String, command: String?, paths: [String], hosts: [String],
                       projectRoot: String?, home: String?) -> Bool {
        guard toolMatches(actionTool) else { return false }
        guard let specifier else { return true }
        if ClaudePermissionRule.shellTools.contains(tool) {
            guard let command else { return false }
            return ClaudePermissionRule.commandMatches(specifier, command)
        }
        if ClaudePermissionRule.pathTools.contains(tool) {
            let pattern = ClaudePermissionRule.pathPattern(specifier, projectRoot: projectRoot, home: home)
            return paths.contains { pattern.matches($0) }
        }
        if specifier.hasPrefix("domain:") {
            let domain = GlobPattern(String(specifier.dropFirst("domain:".count)).lowercased())
            return hosts.contains { domain.matches($0.lowercased()) }
        }
        return true
    }

    func toolMatches(_ actionTool: String) -> Bool {
        if tool == actionTool { return true }
        // `mcp__server` covers every tool of the server; `mcp__server__*` too.
        if tool.hasPrefix("mcp__") {
            if actionTool.hasPrefix(tool + "__") { return true }
            return GlobPattern(tool).matches(actionTool)
        }
        // `Edit` rules cover every file-editing tool.
        if tool == "Edit", ["Write", "MultiEdit", "NotebookEdit"].contains(actionTool) { return true }
        // A harness that writes Claude Code's rules for tools it names otherwise (`shell`, `run_terminal_cmd`,
        // `write_file`, `read_file`): the rule covers the tool of the same kind.
        let lower = actionTool.lowercased()
        switch tool {
        case "Bash": return ClaudePermissionRule.otherShellTools.contains(lower)
        case "Edit", "Write": return ClaudePermissionRule.otherEditTools.contains(lower)
        case "Read": return ClaudePermissionRule.otherReadTools.contains(lower)
        default: return false
        }
    }

    static let otherShellTools = ActionClassifier.shellToolNames.union(["execute_command", "run_in_terminal", "run_command", "terminal"])
    static let otherEditTools: Set<String> = ["write", "write_file", "edit", "edit_file", "create_file", "str_replace_editor",
                                              "str_replace_based_edit_tool", "replace", "apply_diff", "write_to_file",
                                              "insert_edit_into_file", "search_replace", "multiedit"]
    static let otherReadTools: Set<String> = ["read", "read_file", "view", "view_file", "open_file", "read_text_file",
                                              "read_many_files", "read_multiple_files"]

    /// `npm run test:*` and `npm run test *` are prefixes (the latter at a word boundary);
    /// other `*` match anything.
    static func commandMatches(_ specifier: String, _ command: String) -> Bool {
        let command = command.trimmingSpaces
        if specifier.hasSuffix(":*") {
            return command.hasPrefix(String(specifier.dropLast(2)))
        }
        if specifier.hasSuffix(" *"), !specifier.dropLast(2).contains("*") {
            let prefix = String(specifier.dropLast(2))
            return command == prefix || command.hasPrefix(prefix + " ")
        }
        if !specifier.contains("*") { return command == specifier }
        return GlobPattern(specifier.split(separator: "*", omittingEmptySubsequences: false).joined(separator: "**")).matches(command)
    }

    /// The gitignore-like path specifier as an absolute glob: `//abs`, `~/home`, `/project-root`,
    /// `./relative` or a bare name (anywhere).
    static func pathPattern(_ specifier: String, projectRoot: String?, home: String?) -> GlobPattern {
        var text = specifier
        if text.hasPrefix("//") {
            text = String(text.dropFirst())
        } else if text.hasPrefix("~/") {
            text = (home ?? "~") + text.dropFirst()
        } else if text.hasPrefix("/") {
            text = (projectRoot ?? "") + text
        } else if text.hasPrefix("./") {
            text = (projectRoot.map { $0 + "/" } ?? "**/") + text.dropFirst(2)
        } else if !text.contains("/") {
            text = "**/" + text
        } else {
            text = (projectRoot.map { $0 + "/" } ?? "**/") + text
        }
        if text.hasSuffix("/") { text += "**" }
        return GlobPattern(text)
    }
}
