/// Makes paths absolute against the session's working directory and home, for scope
/// checks and the sensitive-path matcher: `~`, `~/x`, `$HOME/x`, `${HOME}/x`, `$PWD/x`, relative
/// paths, `.` and `..` segments, repeated slashes.
public enum PathNormalizer {
    /// The normalised path, or nil for things that are not file paths (`-`, empty, URLs,
    /// device and descriptor paths are kept: callers decide).
    public static func absolute(_ raw: String, cwd: String?, home: String?) -> String {
        var path = raw
        if path.isEmpty { return path }
        if path.hasPrefix("file://") { path.removeFirst(7) }
        // `$HOME` is `~`, known or not; `$PWD` and `$(pwd)` the working directory; the XDG directories are the home's
        // defaults and `$TMPDIR` the temporary directory (what they are unless a user moved them).
        if path.hasPrefix("$") || path.hasPrefix("`") {
            for (variable, value) in [("$HOME", "~"), ("${HOME}", "~"), ("$PWD", cwd), ("${PWD}", cwd), ("$(pwd)", cwd), ("`pwd`", cwd)]
                + PathNormalizer.defaultDirectories {
                guard let value, path == variable || path.hasPrefix(variable + "/") else { continue }
                path = value + path.dropFirst(variable.count)
                break
            }
            // Any other variable (`$BUILD_DIR/x`, `${OUT}`) is somewhere the line does not say: not under the working
            // directory, so kept as written.
            if path.hasPrefix("$") { return path }
        }
        if let home {
            if path == "~" {
                path = home
            } else if path.hasPrefix("~/") {
                path = home + path.dropFirst(1)
            }
        }
        // Another user's home (`~bob/.ssh/id_rsa`, `~root/.bashrc`): `/root` for root, else beside the home known
        // (`/home/alice` → `/home/bob`), else `/home/bob`.
        if path.hasPrefix("~"), path.count > 1, !path.hasPrefix("~/"), !path.hasPrefix("~+"), !path.hasPrefix("~-") {
            let user = path.dropFirst().prefix { $0 != "/" }
            if !user.isEmpty, user.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }) {
                let homes = home.flatMap { $0.hasPrefix("/") && $0 != "/root" ? String($0[..<($0.lastIndex(of: "/") ?? $0.startIndex)]) : nil }
                let base = user == "root" ? "/root" : (homes.map { $0.isEmpty ? "/home" : $0 } ?? "/home") + "/" + user
                path = base + path.dropFirst(1 + user.count)
            }
        }
        // A Windows network path (`\\fileserver\share\x`; `//fileserver/share/x` beside a Windows working directory).
        if path.hasPrefix("\\\\") || path.hasPrefix("//") && !path.hasPrefix("///") && cwd.map(isWindows) == true { return unc(path) }
        if isWindows(path) { return windows(path) }
        // Git Bash (MSYS) and Cygwin name a drive `/c/…` and `/cygdrive/c/…`: so they read, under a Windows working
        // directory (on Linux, `/c/…` is a directory like any other).
        if let cwd, isWindows(cwd), let drive = msysDrive(path) { return windows(drive) }
        if !path.hasPrefix("/"), let cwd, isWindows(cwd), !path.hasPrefix("~"), !path.hasPrefix("$") {
            // Relative to a Windows working directory (`notes.txt`, `..\other\x`); `\x` is on its drive.
            let relative = path.replacingAll("\\", with: "/")
            return windows(relative.hasPrefix("/") ? String(cwd.prefix(2)) + relative : cwd + "/" + relative)
        }
        if !path.hasPrefix("/"), !path.hasPrefix("~"), let cwd, cwd == "~" || cwd.hasPrefix("~/") {
            // Under a home that is not known (`cd ~/.aws && cat credentials`): `~/.aws/credentials`.
            return "~" + collapse(String(cwd.dropFirst()) + "/" + path, absolute: true)
        }
        if !path.hasPrefix("/") {
            guard let cwd, cwd.hasPrefix("/") else {
                // A directory the line moved to when the session's own is not known (`cd packages/web && cp a ../x`):
                // still relative, but `../x` is then `packages/x`, inside wherever the session was.
                if let cwd, !cwd.isEmpty, !cwd.hasPrefix("~"), !cwd.hasPrefix("$"), !path.hasPrefix("~"), !path.hasPrefix("$") {
                    return collapse(cwd + "/" + path, absolute: false)
                }
                return collapse(path, absolute: false)
            }
            if path.hasPrefix("~") { return path }
            path = cwd + "/" + path
        }
        return collapse(path, absolute: true)
    }

    /// Variables that name a directory by convention, and where it is by default.
    static let defaultDirectories: [(String, String?)] = [
        ("XDG_CONFIG_HOME", "~/.config"), ("XDG_CACHE_HOME", "~/.cache"), ("XDG_DATA_HOME", "~/.local/share"),
        ("XDG_STATE_HOME", "~/.local/state"), ("TMPDIR", "/tmp"),
    ].flatMap { name, value in [("$" + name, value), ("${" + name + "}", value)] }

    /// System directories and a home's hidden files: places no workspace is, whatever the workspace
    /// (`write-outside-scope` when the log names no working directory).
    static func outsideAnyWorkspace(_ path: String) -> Bool {
        // Not `/usr/src/app`, `/var/lib/jenkins/workspace/…` or `/root/project`: containers and CI runners work there.
        let system = ["/etc/", "/usr/bin/", "/usr/sbin/", "/usr/lib/", "/usr/lib64/", "/usr/libexec/", "/usr/share/", "/usr/local/bin/",
                      "/usr/local/sbin/", "/usr/local/lib/", "/usr/local/etc/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/boot/",
                      "/var/log/", "/var/spool/", "/var/run/", "/run/", "/sys/", "/Library/", "/System/", "C:/Windows/", "C:/Program Files"]
        if system.contains(where: { TargetSelection.hasPrefixIgnoringCase(path, $0) }) { return true }
        if path.hasPrefix("/root/.") { return true }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        // `/home/NAME/.x`, `/Users/NAME/.x`, `C:/Users/NAME/.x`.
        let offset = PathNormalizer.isWindows(path) ? 1 : 0
        if parts.count > 2 + offset, ["home", "users"].contains(parts[offset].lowercased()), parts[2 + offset].hasPrefix(".") { return true }
        return false
    }

    /// Whether a directory an agent named for one call can be taken for its session's workspace when no log names
    /// one: not a system directory, a home's hidden one, a home itself, a top-level directory or the root (`ls` in `/etc`
    /// does not make `/etc` the workspace that its writes are judged against).
    static func canBeWorkspace(_ directory: String) -> Bool {
        let path = directory.hasSuffix("/") ? directory : directory + "/"
        if path == "/" || outsideAnyWorkspace(path) || path == "/root/" { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        let offset = isWindows(path) ? 1 : 0
        // Nor a top-level directory (`/tmp`, `/usr`, `/home`, `C:/Users`): a project is inside one.
        return !(parts.count == 2 + offset && ["home", "users"].contains(parts[offset].lowercased())) && parts.count > 1 + offset
    }

    /// A Windows network path as `//server/share/x`, `.` and `..` resolved; `\\?\C:\x` and `\\.\C:\x` (the device
    /// namespace) name the drive path `C:/x`, `\\?\UNC\server\share` the network one.
    static func unc(_ path: String) -> String {
        let rest = String(path.dropFirst(2)).replacingAll("\\", with: "/")
        if rest.hasPrefix("?/") || rest.hasPrefix("./") {
            let inner = String(rest.dropFirst(2))
            if isWindows(inner) { return windows(inner) }
            if inner.lowercased().hasPrefix("unc/") { return "//" + collapse(String(inner.dropFirst(4)), absolute: false) }
        }
        return "//" + collapse(rest, absolute: false)
    }

    /// A Windows path with `/` separators, its drive letter in upper case, `.` and `..` resolved:
    /// `c:\Users\alice\app\..\x` → `C:/Users/alice/x`.
    static func windows(_ path: String) -> String {
        let drive = path.prefix(1).uppercased()
        return drive + ":" + collapse(String(path.dropFirst(2)).replacingAll("\\", with: "/"), absolute: true)
    }

    /// `/c/Users/x` (Git Bash) or `/cygdrive/c/Users/x` (Cygwin) as `c:/Users/x`; nil for other paths.
    static func msysDrive(_ path: String) -> String? {
        var rest = Substring(path)
        if rest.hasPrefix("/cygdrive/") { rest = rest.dropFirst(9) }
        guard rest.hasPrefix("/"), rest.count >= 2 else { return nil }
        let letter = rest[rest.index(after: rest.startIndex)]
        let after = rest.dropFirst(2)
        guard letter.isASCII, letter.isLetter, after.isEmpty || after.hasPrefix("/") else { return nil }
        return "\(letter):/" + after.drop { $0 == "/" }
    }

    /// `C:\…` or `c:/…` (a drive letter, a colon, a separator).
    static func isWindows(_ path: String) -> Bool {
        var bytes = path.utf8.makeIterator()
        guard let letter = bytes.next(), let colon = bytes.next(), let separator = bytes.next() else { return false }
        return (letter | 0x20) >= UInt8(ascii: "a") && (letter | 0x20) <= UInt8(ascii: "z") && colon == UInt8(ascii: ":")
            && (separator == UInt8(ascii: "\\") || separator == UInt8(ascii: "/"))
    }

    /// Resolves `.` and `..` and repeated slashes.
    static func collapse(_ path: String, absolute: Bool) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    /// Whether `path` is `root` or inside it.
    /// `isInside` for a root a baseline wrote, which may be a glob (`/mnt/cache/*`, `/srv/*/tmp`, `/data/**`): the
    /// path, or a directory above it, matches it. (Roots taken from logs are paths: `[` in a directory name is a `[`.)
    public static func isInside(_ path: String, rootPattern root: String) -> Bool {
        if root.utf8.contains(where: { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }) {
            let pattern = GlobPattern(root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root)
            if pattern.matches(path) { return true }
            var prefix = path
            while let slash = prefix.utf8.lastIndex(of: UInt8(ascii: "/")), slash > prefix.startIndex {
                prefix = String(prefix[..<slash])
                if pattern.matches(prefix) { return true }
            }
            return false
        }
        return isInside(path, root: root)
    }

    public static func isInside(_ path: String, root: String) -> Bool {
        // Windows paths compare without regard to case, as Windows does.
        if isWindows(root) && isWindows(path) {
            let p = windows(path).lowercased(), r = windows(root).lowercased()
            return p == r || p.hasPrefix(r.hasSuffix("/") ? r : r + "/")
        }
        let r = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
        if r == "/" { return path.hasPrefix("/") }
        return path == r || path.hasPrefix(r + "/")
    }

    /// The home directory implied by a path such as `/home/alice/.claude/projects/…` or a cwd.
    public static func inferHome(from path: String?) -> String? {
        guard var path else { return nil }
        let windows = isWindows(path)
        if windows { path = PathNormalizer.windows(path) } else if !path.hasPrefix("/") { return nil }
        for marker in ["/.claude/", "/.codex/", "/.gemini/"] {
            if let range = path.range(ofASCII: marker) { return String(path[..<range.lowerBound]) }
        }
        if windows {
            // `C:\Users\alice\…` → `C:/Users/alice`.
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            guard parts.count >= 3, parts[1].lowercased() == "users" else { return nil }
            return parts[0...2].joined(separator: "/")
        }
        // `/home/<user>…` or `/Users/<user>…` (without splitting the whole path), or `/root`.
        let utf8 = path.utf8
        for prefix in ["/home/", "/Users/"] where path.hasPrefix(prefix) {
            let start = utf8.index(utf8.startIndex, offsetBy: prefix.utf8.count)
            let end = utf8[start...].firstIndex(of: UInt8(ascii: "/")) ?? utf8.endIndex
            return start == end ? nil : String(path[..<end])
        }
        if path == "/root" || path.hasPrefix("/root/") { return "/root" }
        return nil
    }

    /// Paths that are not files for the purposes of writes (`/dev/null`, descriptors, terminals).
    public static func isPseudoFile(_ path: String) -> Bool {
        path == "/dev/null" || path == "/dev/stdout" || path == "/dev/stderr" || path == "/dev/stdin"
            || path == "/dev/tty" || path.hasPrefix("/dev/fd/") || path == "-" || path.hasPrefix("/proc/self/fd/")
    }
}
