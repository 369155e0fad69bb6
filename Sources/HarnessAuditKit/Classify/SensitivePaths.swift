/// Decides whether a path holds secret material (DESIGN §4 `sensitive-read`), with
/// gitignore-like patterns evaluated in order, the last match winning:
///
/// - a pattern without `/` matches the file name (`.env`, `*.pem`);
/// - a pattern starting with `/` matches the whole path (`/etc/shadow`, `/proc/*/environ`);
/// - a pattern starting with `~/` matches under the home directory;
/// - any other pattern with `/` matches the end of the path (`.docker/config.json`);
/// - a trailing `/` matches everything under a directory (`~/.ssh/`);
/// - a leading `!` excludes (`!.env.example`).
public struct SensitivePaths: Sendable {
    public static let defaultPatterns: [String] = [
        ".env", ".env.*", "!.env*.example", "!.env*.sample", "!.env*.template", "!.env*.dist", "!.env*.defaults",
        "id_rsa*", "id_dsa*", "id_ecdsa*", "id_ed25519*", "*.pem", "*.key", "*.p12", "*.pfx",
        "~/.ssh/", "~/.aws/credentials", "~/.kube/config", ".netrc", "_netrc", ".git-credentials",
        ".docker/config.json", "*.tfstate", "*.tfstate.backup", "/etc/shadow", "/etc/gshadow", "/proc/*/environ",
        ".npmrc", ".pypirc", ".pgpass", ".my.cnf", ".vault-token", "~/.config/gh/hosts.yml",
        "application_default_credentials.json", "~/.config/gcloud/credentials.db",
        "~/.config/gcloud/access_tokens.db", "~/.azure/accessTokens.json", "~/.azure/msal_token_cache.json",
        "~/.gnupg/private-keys-v1.d/", "/var/run/secrets/", "/run/secrets/",
        // Credential stores of git (its XDG place), cloud CLIs' login caches, Terraform, Cargo, RubyGems, boto, s3cmd.
        ".config/git/credentials", "~/.aws/sso/cache/", "~/.aws/cli/cache/", "~/.config/gcloud/legacy_credentials/",
        ".terraform.d/credentials.tfrc.json", ".cargo/credentials", ".cargo/credentials.toml", ".gem/credentials", ".boto",
        ".s3cfg",
        // The coding agents' own logins: Codex's API key or ChatGPT tokens, Claude Code's OAuth tokens on Linux, Gemini
        // CLI's Google OAuth tokens, GitHub Copilot's tokens.
        "~/.codex/auth.json", "~/.claude/.credentials.json", "~/.gemini/oauth_creds.json",
        "~/.config/github-copilot/hosts.json", "~/.config/github-copilot/apps.json",
        // Public keys are public, even under ~/.ssh/.
        "!*.pub",
    ]

    struct Rule: Sendable {
        enum Scope: Sendable { case name, absolute, home, suffix }
        var negate: Bool
        var scope: Scope
        var directory: Bool
        var glob: GlobPattern
        /// The pattern has no wildcard: it is matched by plain comparisons, without splitting paths.
        var literal: Bool = false
        var text: String
    }

    public let patterns: [String]
    let rules: [Rule]

    public init(patterns: [String] = SensitivePaths.defaultPatterns) {
        self.patterns = patterns
        rules = patterns.compactMap(SensitivePaths.rule)
    }

    static func rule(_ raw: String) -> Rule? {
        var text = raw.trimmingSpaces
        guard !text.isEmpty, !text.hasPrefix("#") else { return nil }
        var negate = false
        if text.hasPrefix("!") {
            negate = true
            text.removeFirst()
        }
        var directory = false
        if text.hasSuffix("/") {
            directory = true
            text.removeLast()
        }
        let scope: Rule.Scope
        if text.hasPrefix("~/") {
            scope = .home
            text.removeFirst(2)
        } else if text.hasPrefix("/") {
            scope = .absolute
        } else if text.contains("/") {
            scope = .suffix
        } else {
            scope = .name
        }
        var rule = Rule(negate: negate, scope: scope, directory: directory, glob: GlobPattern(text), text: raw)
        rule.literal = !text.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" || $0 == "\\" })
        return rule
    }

    /// What makes `path` a place that runs code later on its own (persistence: MITRE ATT&CK T1098.004, T1546.004,
    /// T1053.003, T1543): an SSH key a login accepts, a shell's startup file, a scheduled job, a service or login
    /// item, a library preloaded into every program. Writing one is high risk wherever the workspace is. Nil when
    /// it is none.
    public static func persistence(_ path: String, home: String? = nil) -> String? {
        let lower = path.lowercased().replacingAll("\\", with: "/")
        let parts = lower.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let name = parts.last ?? lower
        // A home directory: `~`, `/root`, `/home/NAME`, `/Users/NAME`, or the session's home. A `.bashrc` in a project's
        // fixtures is a file like any other.
        func isHome(_ directory: ArraySlice<String>) -> Bool {
            let text = directory.joined(separator: "/")
            if text == "~" || text == "/root" || home.map({ text == $0.lowercased() }) == true { return true }
            return directory.count == 3 && directory.first == "" && ["home", "users"].contains(directory[directory.startIndex + 1])
        }
        let parent = parts.dropLast()
        if ["authorized_keys", "authorized_keys2", "rc"].contains(name), parent.last == ".ssh", isHome(parent.dropLast()) {
            return "an SSH key a login accepts"
        }
        let startup: Set<String> = [".bashrc", ".bash_profile", ".bash_login", ".bash_logout", ".bash_aliases", ".profile", ".zshrc",
                                    ".zshenv", ".zprofile", ".zlogin", ".login", ".cshrc", ".tcshrc", ".kshrc"]
        if startup.contains(name) && isHome(parent) || ["/etc/profile", "/etc/bash.bashrc", "/etc/bashrc", "/etc/zshrc", "/etc/zshenv",
                                                          "/etc/zprofile"].contains(lower)
            // (`/etc/profile` sources `/etc/profile.d/*.sh` only, csh `*.csh`; fish's `conf.d/*.fish`: a `.bak` copy runs nowhere.)
            || lower.hasPrefix("/etc/profile.d/") && (lower.hasSuffix(".sh") || lower.hasSuffix(".csh"))
            || lower.hasPrefix("/etc/zsh/") || lower.hasSuffix("/.config/fish/config.fish")
            || lower.contains("/.config/fish/conf.d/") && lower.hasSuffix(".fish") {
            return "a shell's startup file"
        }
        // PowerShell's profiles (`$PROFILE`): Windows PowerShell's, PowerShell 7's, on Windows and elsewhere.
        if name.hasSuffix("profile.ps1"),
           ["/documents/powershell/", "/documents/windowspowershell/", "/.config/powershell/", "/system32/windowspowershell/"]
            .contains(where: { lower.contains($0) }) {
            return "a shell's startup file"
        }
        if lower == "/etc/crontab" || lower.hasPrefix("/etc/cron.") || lower.hasPrefix("/var/spool/cron/") || lower.hasPrefix("/etc/anacrontab") {
            return "a scheduled job"
        }
        for directory in ["/etc/systemd/system/", "/etc/systemd/user/", "/lib/systemd/system/", "/usr/lib/systemd/system/",
                          "/.config/systemd/user/", "/.local/share/systemd/user/", "/etc/init.d/", "/library/launchagents/",
                          "/library/launchdaemons/", "/.config/autostart/", "/etc/xdg/autostart/", "/start menu/programs/startup/"]
        where lower.contains(directory) {
            return "a service or an item started at login"
        }
        if lower == "/etc/rc.local" { return "a service or an item started at login" }
        // A git hook runs on every commit, checkout or push of the repository (samples are inert).
        if lower.contains("/.git/hooks/") && !lower.hasSuffix(".sample") { return "a git hook" }
        if lower == "/etc/ld.so.preload" || lower.hasPrefix("/etc/ld.so.conf") { return "a library loaded into every program" }
        return nil
    }

    /// What makes `path` part of an audit trail (an agent harness's own logs and hooks, the system's logs), or nil:
    /// deleting or emptying one destroys the record of what was done (MITRE ATT&CK T1070).
    /// `deleting`: the path is deleted (its whole directory counts, and scratch space); else written.
    public static func auditTrail(_ path: String, home: String? = nil, deleting: Bool = true) -> String? {
        let lower = path.lowercased().replacingAll("\\", with: "/")
        // The harness's own directories in a home (`~/.claude/…`, not a project's `.claude/hooks`): the directory itself,
        // or what is in it.
        let parts = lower.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        var rest: ArraySlice<String> = []
        if lower.hasPrefix("~/") {
            rest = parts.dropFirst()
        } else if let home = home?.lowercased(), lower.hasPrefix(home + "/") {
            rest = parts.dropFirst(home.split(separator: "/").count)
        } else if parts.first == "root" {
            rest = parts.dropFirst()
        } else if parts.count > 2, ["home", "users"].contains(parts[0]) {
            rest = parts.dropFirst(2)
        }
        if let top = rest.first, [".claude", ".codex", ".gemini"].contains(top) {
            let inner = rest.dropFirst().first ?? ""
            let harness = top == ".claude" ? "Claude Code's" : top == ".codex" ? "Codex's" : "Gemini CLI's"
            if deleting, inner.isEmpty || inner == "*" { return "\(harness) own directory, its logs included" }
            let trails = ["projects", "sessions", "log", "logs", "hooks", "history.jsonl", "history"]
                + (deleting ? ["tmp", "todos", "shell-snapshots"] : [])
            if trails.contains(inner) {
                return "\(harness) \(inner == "hooks" ? "hooks" : "logs")"
            }
        }
        if lower.hasPrefix("/var/log/") || lower == "/var/log" || lower.hasSuffix("/.bash_history") || lower.hasSuffix("/.zsh_history") {
            return "a log of what was done"
        }
        return nil
    }

    /// Whether writing `path` changes who may run commands as root (`/etc/sudoers`, `/etc/sudoers.d/*`,
    /// `/etc/doas.conf`): a privilege change, however the file is written.
    public static func grantsRoot(_ path: String) -> Bool {
        path == "/etc/sudoers" || path.hasPrefix("/etc/sudoers.d/") || path == "/etc/doas.conf" || path == "/usr/local/etc/doas.conf"
    }

    /// A home-anchored or absolute pattern that lies inside `directory` (copying or archiving
    /// `~/.aws` takes `~/.aws/credentials` with it), or nil.
    public func sensitiveInside(directory: String, home: String?) -> String? {
        sensitiveFileInside(directory: directory, home: home)?.pattern
    }

    /// The same, with the file the pattern names (`/home/alice/.aws/credentials`): what a search of the directory reads,
    /// as a path the rules judge against the baseline's own sensitive paths.
    public func sensitiveFileInside(directory: String, home: String?) -> (pattern: String, path: String)? {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        // The session's home, else the home the directory is under (`~/.aws`, another user's `/home/bob/.aws`).
        let under = directory == "~" || directory.hasPrefix("~/") ? "~" : PathNormalizer.inferHome(from: directory)
        var found: (pattern: String, path: String)?
        for anchor in [home, under == home ? nil : under] {
            for rule in rules where !rule.negate {
                let anchored: String
                switch rule.scope {
                case .home:
                    guard let anchor else { continue }
                    anchored = (anchor.hasSuffix("/") ? anchor : anchor + "/") + rule.glob.text
                case .absolute:
                    anchored = rule.glob.text
                default:
                    continue
                }
                // The first (the defaults list a directory's main secret first: `~/.aws/credentials`, then its caches).
                if found == nil && anchored.hasPrefix(prefix) && !anchored.contains("*") { found = (rule.text, anchored) }
            }
            if found != nil { return found }
        }
        return found
    }

    /// File names that hold secret material wherever they are (with the directories the patterns name them in).
    static let commonSecretNames = [".env", ".env.local", ".env.production", "id_rsa", "id_ed25519", "id_ecdsa", "credentials",
                                    "config", ".netrc", ".git-credentials", ".npmrc", ".pypirc", ".pgpass", ".my.cnf",
                                    ".vault-token", "server.key", "tls.key", "private.pem", "terraform.tfstate", "shadow",
                                    "hosts.yml", "config.json", "token"]

    /// The pattern a glob of names in one directory can reach (`/app/.e*` reaches `/app/.env`, `~/.aws/c*` the
    /// credentials), or nil. `glob` is absolute; only its last part may hold `*`, `?` or `[…]`.
    public func globReaches(_ glob: String, home: String?) -> String? {
        guard let slash = glob.lastIndex(of: "/") else { return nil }
        let directory = glob[..<slash], names = String(glob[glob.index(after: slash)...])
        guard !directory.contains(where: { "*?[".contains($0) }), names.contains(where: { "*?[".contains($0) }),
              // A name with something written out (`.e*`, `id_*`, `c*`): `*` alone is every file, and a shell's `*` skips
              // the hidden ones (`cat *`, `src/*`), as ripgrep and Gemini do.
              names.contains(where: { !"*?[]".contains($0) }) else { return nil }
        let pattern = GlobPattern(names)
        let leadingWildcard = names.first.map { "*?[".contains($0) } ?? false
        for name in SensitivePaths.commonSecretNames where pattern.matches(name) && !(leadingWildcard && name.hasPrefix(".")) {
            if let verdict = match(directory + "/" + name, home: home) { return verdict }
        }
        return nil
    }

    /// The pattern that makes `path` sensitive, or nil. `path` should be absolute.
    public func match(_ path: String, home: String?) -> String? {
        // Windows opens `C:/Users/A/.AWS/credentials` as `.aws/credentials`: compare without regard to case.
        if PathNormalizer.isWindows(path) {
            let lowered = path.lowercased()
            if lowered != path || home.map({ $0.lowercased() != $0 }) == true {
                return match(lowered, home: home?.lowercased())
            }
        }
        var verdict: String?
        var trimmed = Substring(path)
        while trimmed.hasSuffix("/"), trimmed.utf8.count > 1 { trimmed = trimmed.dropLast() }
        let name = trimmed.lastIndex(of: "/").map { String(trimmed[trimmed.index(after: $0)...]) } ?? String(trimmed)
        // Another account's home (`/home/bob/.kube/config`, `/root/.aws/credentials`): its `~/` patterns too.
        let other = SensitivePaths.ownerHome(of: path).flatMap { owner in
            home.map { owner.lowercased() == $0.lowercased() } == true ? nil : owner
        }
        for rule in rules where rule.matches(path: path, name: name, home: home)
            || other != nil && rule.scope == .home && rule.matches(path: path, name: name, home: other) {
            verdict = rule.negate ? nil : rule.text
        }
        return verdict
    }

    /// The home directory a path lies in by its place: `/home/NAME`, `/Users/NAME`, `/root`, `C:/Users/NAME`.
    static func ownerHome(of path: String) -> String? {
        let utf8 = path.utf8
        guard utf8.count > 6 else { return nil }
        if path.hasPrefix("/root/") { return "/root" }
        var prefix = 0
        if path.hasPrefix("/home/") {
            prefix = 6
        } else if path.hasPrefix("/Users/") {
            prefix = 7
        } else if PathNormalizer.isWindows(path), utf8.count > 9, path.dropFirst(2).lowercased().hasPrefix("/users/") {
            prefix = 9
        } else {
            return nil
        }
        let start = utf8.index(utf8.startIndex, offsetBy: prefix)
        guard let end = utf8[start...].firstIndex(of: UInt8(ascii: "/")), end != start else { return nil }
        return String(path[..<end])
    }
}

extension SensitivePaths.Rule {
    func matches(path: String, name: String, home: String?) -> Bool {
        switch scope {
        case .name:
            if directory { return pathHasDirectory(path) }
            return glob.matches(name)
        case .absolute:
            return matchesAnchored(path, at: "")
        case .home:
            if let home {
                return matchesAnchored(path, at: home.hasSuffix("/") ? String(home.dropLast()) + "/" : home + "/")
            }
            // Home unknown: match `…/<pattern>` at any depth.
            return matchesSuffix(path)
        case .suffix:
            return matchesSuffix(path)
        }
    }

    private func matchesAnchored(_ path: String, at prefix: String) -> Bool {
        guard path.hasPrefix(prefix) else { return false }
        let rest = String(path.dropFirst(prefix.count))
        if literal {
            // `~/.aws/credentials`; `~/.ssh/` and anything under it.
            return rest == glob.text || directory && rest.hasPrefix(glob.text + "/")
        }
        if glob.matches(rest) { return true }
        if directory {
            // Anything under the directory.
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
            for k in 1..<max(parts.count, 1) where glob.matches(parts[0..<k].joined(separator: "/")) {
                return true
            }
        }
        return false
    }

    private func matchesSuffix(_ path: String) -> Bool {
        if literal {
            // `.docker/config.json` at the end of the path (or, a directory's, anywhere in it), whole parts only.
            let text = glob.text
            if directory {
                return path.hasPrefix(text + "/") || path.contains("/" + text + "/") || path == text || path.hasSuffix("/" + text)
            }
            return path == text || path.hasSuffix("/" + text)
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let depth = glob.text.split(separator: "/").count
        guard parts.count >= depth else { return false }
        for start in 0...(parts.count - depth) {
            let candidate = parts[start..<(start + depth)].joined(separator: "/")
            if glob.matches(candidate) {
                if directory { return true }
                if start + depth == parts.count { return true }
            }
        }
        return false
    }

    private func pathHasDirectory(_ path: String) -> Bool {
        let parts = path.split(separator: "/").dropLast()
        return parts.contains { glob.matches(String($0)) }
    }
}
