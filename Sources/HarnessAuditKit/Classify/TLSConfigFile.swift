/// Text written into a tool's own configuration file that turns its TLS certificate checks off, so that anyone on the
/// path can stand in for the registry or server it talks to (DESIGN §3.1: disabling security). The same settings given
/// on a command line (`npm config set strict-ssl false`, `git config http.sslVerify false`) are the shell analyser's.
enum TLSConfigFile {
    /// The configuration file `path` is, by its name: `.npmrc`, `.yarnrc`, `.yarnrc.yml`, git's config files,
    /// `.curlrc`, `.wgetrc`, `.condarc`, pip's `pip.conf`/`pip.ini`.
    enum Kind { case npm, yarnBerry, git, curl, wget, conda, pip }

    static func kind(of path: String) -> Kind? {
        // Most files written are none of these: names of another length are rejected before any string is built.
        let bytes = path.utf8
        let last = bytes.lastIndex(of: UInt8(ascii: "/")).map { bytes[bytes.index(after: $0)...] } ?? bytes[...]
        guard (5...12).contains(last.count) else { return nil }
        let name = String(decoding: last, as: UTF8.self).lowercased()
        switch name {
        case ".npmrc", "npmrc", ".yarnrc": return .npm
        case ".yarnrc.yml", ".yarnrc.yaml": return .yarnBerry
        case ".gitconfig", "gitconfig": return .git
        case "config" where path.hasSuffix("/.git/config") || path.hasSuffix("/.config/git/config") || path == ".git/config": return .git
        case ".curlrc", "_curlrc": return .curl
        case ".wgetrc", "wgetrc": return .wget
        case ".condarc", "condarc": return .conda
        case "pip.conf", "pip.ini": return .pip
        default: return nil
        }
    }

    /// The setting in `text` (what is written into `path`) that turns certificate checks off, as written, or nil.
    static func turnsOff(path: String, text: String) -> String? {
        guard let kind = kind(of: path) else { return nil }
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.trimmingSpaces
            if line.hasPrefix("#") || line.hasPrefix(";") { continue }
            let lower = line.lowercased()
            // `key = value`, `key=value`, `key: value`, `key value` (yarn 1, curl).
            let key = lower.prefix { $0 != "=" && $0 != ":" && $0 != " " && $0 != "\t" }
            let value = lower.dropFirst(key.count).drop { $0 == " " || $0 == "\t" || $0 == "=" || $0 == ":" }
                .trimmingSpaces.filter { $0 != "\"" && $0 != "'" }
            let off = ["false", "0", "no", "off"].contains(value)
            let found: Bool
            switch kind {
            case .npm: found = key == "strict-ssl" && off
            case .yarnBerry: found = key == "enablestrictssl" && off
            case .git: found = key == "sslverify" && off
            case .curl: found = key == "insecure" || key == "-k" || key == "--insecure"
            case .wget: found = key == "check_certificate" && off
            case .conda: found = key == "ssl_verify" && off
            // `trusted-host = pypi.internal`: pip accepts that host over plain HTTP or with any certificate.
            case .pip: found = key == "trusted-host" && !value.isEmpty
            }
            if found { return line }
        }
        return nil
    }
}
