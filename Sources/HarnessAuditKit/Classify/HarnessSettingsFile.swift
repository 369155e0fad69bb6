/// The files where agent harnesses keep their own approval and sandbox settings, and the settings in them
/// that turn a person's confirmation off. An agent that writes one of these to loosen its own approvals
/// has raised its own privileges (`privilege`): the next session, or the next call, runs unchecked.
///
/// - Claude Code: `.claude/settings.json`, `.claude/settings.local.json` (a project's or `~/.claude`),
///   `managed-settings.json`: `"defaultMode": "bypassPermissions"`, an `allow` rule for every command
///   (`Bash`, `Bash(*)`, `*`), `skipDangerousModePermissionPrompt`, dropping `disableBypassPermissionsMode`.
/// - Codex: `.codex/config.toml`: `approval_policy = "never"`, `sandbox_mode = "danger-full-access"`,
///   `dangerously-bypass-approvals-and-sandbox`; `.codex/rules/*.rules`: a `prefix_rule` with `decision="allow"`.
/// - Gemini CLI: `.gemini/settings.json`: `"approvalMode": "yolo"`, `"autoAccept": true`, `"sandbox": false`.
enum HarnessSettingsFile {
    /// The harness whose settings `path` holds, or nil.
    static func harness(of path: String) -> String? {
        let lower = path.lowercased().replacingAll("\\", with: "/")
        let parts = lower.split(separator: "/").map(String.init)
        guard let name = parts.last else { return nil }
        let parent = parts.count > 1 ? parts[parts.count - 2] : ""
        if parent == ".claude", ["settings.json", "settings.local.json"].contains(name) { return "Claude Code" }
        if name == "managed-settings.json", lower.contains("claude") { return "Claude Code" }
        if parent == ".codex", name == "config.toml" { return "Codex" }
        // Codex's exec policy rules (`~/.codex/rules/default.rules`): a `prefix_rule(…, decision="allow")` runs unasked.
        if parent == "rules", parts.count > 2, parts[parts.count - 3] == ".codex", name.hasSuffix(".rules") { return "Codex" }
        if parent == ".gemini", name == "settings.json" { return "Gemini CLI" }
        return nil
    }

    /// The setting in `text` (what is written) that turns approvals or the sandbox off, or nil.
    static func loosening(_ text: String) -> String? {
        // Comment lines (TOML's `#`, JSONC's `//`) set nothing: `# approval_policy = "never"` is a note.
        let settings = text.containsASCII("#") || text.containsASCII("//")
            ? text.split(separator: "\n", omittingEmptySubsequences: false).filter { line in
                let start = line.drop { $0 == " " || $0 == "\t" || $0 == "+" || $0 == "-" }
                return !start.hasPrefix("#") && !start.hasPrefix("//")
            }.joined(separator: "\n")
            : text
        let compact = HarnessSettingsFile.compact(settings)
        let markers: [(String, String)] = [
            // The mode as the value of the mode's key (`"defaultMode": "bypassPermissions"`, `.defaultMode = "…"` in jq,
            // `claude config set defaultMode …`), not a word in a note or another key's value.
            ("\"defaultmode\":\"bypasspermissions\"", "defaultMode bypassPermissions"),
            ("defaultmode=\"bypasspermissions\"", "defaultMode bypassPermissions"),
            ("defaultmode='bypasspermissions'", "defaultMode bypassPermissions"),
            ("defaultmode=bypasspermissions", "defaultMode bypassPermissions"), ("defaultmodebypasspermissions", "defaultMode bypassPermissions"),
            ("permission-modebypasspermissions", "defaultMode bypassPermissions"), ("permission-mode=bypasspermissions", "defaultMode bypassPermissions"),
            ("\"skipdangerousmodepermissionprompt\":true", "skipDangerousModePermissionPrompt"),
            ("approval_policy=\"never\"", "approval_policy = \"never\""), ("approval_policy='never'", "approval_policy = \"never\""),
            ("approval_policy=never", "approval_policy = never"), ("danger-full-access", "sandbox_mode = \"danger-full-access\""),
            ("dangerously-bypass-approvals-and-sandbox", "dangerously-bypass-approvals-and-sandbox"),
            ("decision=\"allow\"", "an exec policy rule that allows commands unasked (decision=\"allow\")"),
            ("decision='allow'", "an exec policy rule that allows commands unasked (decision=\"allow\")"),
            ("\"approvalmode\":\"yolo\"", "approvalMode yolo"), ("\"autoaccept\":true", "autoAccept true"),
            ("\"yolo\":true", "yolo true"), ("\"sandbox\":false", "sandbox false"),
            // Every hook off, the audit hook among them: the harness stops reporting (and guarding) its calls.
            ("\"disableallhooks\":true", "disableAllHooks true"),
            // … set by a jq program (`.disableAllHooks = true`) or a config command.
            (".disableallhooks=true", "disableAllHooks true"), ("disableallhookstrue", "disableAllHooks true"),
        ]
        for (marker, name) in markers where compact.containsASCII(marker) { return name }
        // jq programs that rewrite the settings: `del(.hooks)`, `.permissions.allow += ["Bash(*)"]`, `.permissions.deny = []`.
        if compact.containsASCII("del(.hooks") || compact.containsASCII(".hooks={}") || compact.containsASCII("del(.permissions.deny")
            || compact.containsASCII(".deny=[]") || compact.containsASCII("\"deny\":[]") {
            return "hooks or deny rules removed"
        }
        return allowingEverything(compact)
    }

    /// The text lower-cased without blanks and backslashes. `disableBypassPermissionsMode` hardens the settings:
    /// its words are not the mode's, so they are taken out.
    static func compact(_ text: String) -> String {
        String(text.lowercased().filter { $0 != " " && $0 != "\t" && $0 != "\\" })
            .replacingAll("disablebypasspermissionsmode", with: "")
    }

    /// An `allow` list with a rule for every command or every tool, as JSON (`"allow": ["Bash(*)"]`) or as a jq
    /// program adds it (`.permissions.allow += ["Bash(*)"]`), in compacted text; `counts` says which rules count
    /// (those a patch adds).
    static func allowingEverything(_ compact: String, counts: (String) -> Bool = { _ in true }) -> String? {
        for opening in ["\"allow\":[", ".allow+=[", ".allow=["] {
            var rest = Substring(compact)
            while let start = rest.range(ofASCII: opening) {
                let list = rest[start.upperBound...].prefix { $0 != "]" }
                for (rule, name) in HarnessSettingsFile.allowEverything where list.containsASCII(rule) && counts(rule) { return name }
                rest = rest[start.upperBound...]
            }
        }
        return nil
    }

    /// What a patch's change does to the settings: as an edit of its removed lines into its added ones, or an
    /// allow-everything rule added under an `"allow": [` line the patch leaves as it was (`after` is the change's
    /// text as it reads afterwards, context and added lines).
    static func loosening(removed: String, added: String, after: String) -> String? {
        if let found = loosening(old: removed, new: added) { return found }
        let addedCompact = compact(added)
        return allowingEverything(compact(after)) { addedCompact.containsASCII($0) }
    }

    /// `allow` rules that let every command or every tool run unasked.
    static let allowEverything = [("\"bash\"", "allow every Bash command"), ("\"bash(*)\"", "allow every Bash command"),
                                  ("\"bash(:*)\"", "allow every Bash command"), ("\"*\"", "allow every tool")]

    /// What an edit does to the settings: it loosens them when its new text does, or when it drops
    /// `disableBypassPermissionsMode` the old text had.
    static func loosening(old: String?, new: String) -> String? {
        if let found = loosening(new) { return found }
        if let old, old.lowercased().containsASCII("disablebypasspermissionsmode"),
           !new.lowercased().containsASCII("disablebypasspermissionsmode") {
            return "disableBypassPermissionsMode removed"
        }
        // Hooks taken out (an audit hook, a guard): the old text had them, the new one has none.
        if let old {
            let before = old.lowercased(), after = new.lowercased()
            for hook in ["pretooluse", "posttooluse", "permissionrequest", "userpromptsubmit", "sessionstart"]
            where before.containsASCII(hook) && !after.containsASCII(hook) {
                return "a \(hook) hook removed"
            }
        }
        // Deny rules taken out: an old text with a `deny` list that the new one empties or drops.
        if let old {
            let before = old.lowercased().filter { $0 != " " && $0 != "\n" && $0 != "\t" }
            let after = new.lowercased().filter { $0 != " " && $0 != "\n" && $0 != "\t" }
            if before.containsASCII("\"deny\":["), !before.containsASCII("\"deny\":[]"),
               !after.containsASCII("\"deny\":[") || after.containsASCII("\"deny\":[]") {
                return "deny rules removed"
            }
        }
        return nil
    }
}
