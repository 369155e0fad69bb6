/// Masks secrets in text taken from logs before it reaches any output (DESIGN §6: secrets
/// seen in logs never reach a report in clear text).
///
/// It recognises, without regular expressions:
/// - private key blocks (`-----BEGIN … PRIVATE KEY-----` up to the matching END line);
/// - passwords in URLs (`scheme://user:password@host`);
/// - tokens with a known shape: GitHub (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`),
///   GitLab (`glpat-`…), Slack (`xox?-`, `xapp-`), OpenAI and Anthropic (`sk-`), Stripe
///   (`sk_live_`, `rk_live_`…), AWS key ids (`AKIA`, `ASIA`…), Google API keys (`AIza`) and
///   OAuth tokens (`ya29.`), npm, PyPI, Hugging Face, SendGrid, Shopify, DigitalOcean, Vault (`hvs.`, and the
///   older `s.` with 24 letters and digits), JWTs;
/// - values assigned to secret-sounding names: `PASSWORD=…`, `api_key: …`, `"token": "…"`,
///   `--password …`, `--client-secret=…`, `Authorization: Bearer …`, `-u user:password`,
///   MySQL's `-pPASSWORD`, `sshpass -p …`;
/// - what `echo` or `printf` pipes into a command that reads a password on its input (`sudo -S`,
///   `--password-stdin`, `chpasswd`), and here-strings given to one;
/// - long random-looking strings (32 characters or more mixing upper case, lower case and
///   digits with high entropy) that are not hex digests or UUIDs.
///
/// A masked value reads `[REDACTED]`; a token with a known prefix keeps the prefix
/// (`ghp_[REDACTED]`) so a reader still knows what leaked.
public struct Redactor: Sendable {
    public static let mask = "[REDACTED]"

    /// Whether redaction is on (`--no-redact` turns it off).
    public var enabled: Bool

    public init(enabled: Bool = true) {
        self.enabled = enabled
    }

    /// The text with every secret masked.
    public func redact(_ text: String) -> String {
        guard enabled, !text.isEmpty else { return text }
        return Redactor.redactAll(text)
    }

    public func redact(_ text: String?) -> String? {
        text.map { redact($0) }
    }

    // MARK: Scanning

    static let tokenPrefixes: [(prefix: String, minimumRest: Int)] = [
        ("github_pat_", 20), ("ghp_", 20), ("gho_", 20), ("ghu_", 20), ("ghs_", 20), ("ghr_", 20),
        ("glpat-", 20), ("gldt-", 20), ("glrt-", 20), ("glptt-", 20),
        ("xoxb-", 10), ("xoxp-", 10), ("xoxa-", 10), ("xoxr-", 10), ("xoxs-", 10), ("xoxe-", 10), ("xapp-", 10),
        ("sk-ant-", 20), ("sk-proj-", 20), ("sk-", 20),
        ("sk_live_", 16), ("sk_test_", 16), ("rk_live_", 16), ("rk_test_", 16), ("whsec_", 16),
        ("AIza", 30), ("ya29.", 20), ("npm_", 30), ("pypi-", 40), ("hf_", 30),
        ("shpat_", 20), ("shpss_", 20), ("shpca_", 20), ("dop_v1_", 40), ("doo_v1_", 40),
        ("SG.", 40), ("glc_", 30), ("lin_api_", 30), ("dapi", 32), ("AGE-SECRET-KEY-", 40),
        ("hvs.", 20), ("hvb.", 20), ("hvr.", 20), ("pul-", 30), ("sq0atp-", 20), ("EAAC", 100),
    ]
    static let awsKeyPrefixes = ["AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "ABIA", "ACCA"]

    /// Name fragments that make an assigned value a secret.
    static let secretNameFragments = [
        "password", "passwd", "passphrase", "secret", "token", "apikey", "api_key", "api-key", "accesskey",
        "access_key", "access-key", "privatekey", "private_key", "private-key", "credential", "authkey", "auth_key",
        "auth-key", "accountkey", "sharedaccesskey", "session_key", "sessionkey", "signingkey", "signing_key",
        "encryptionkey", "encryption_key", "masterkey", "master_key", "client_secret", "webhook_url", "dsn",
        "connectionstring", "connection_string", "signature",
    ]
    /// Whole name segments that do the same (`pwd`, `pass`, `auth`, `sig`, `key` with a qualifier).
    static let secretSegments: Set<String> = ["pwd", "pass", "pw", "auth", "sig", "authorization", "cookie", "bearer"]
    /// Names that contain a fragment above but hold no secret.
    static let innocentNames: Set<String> = [
        "token_type", "tokentype", "max_token_lifetime", "max_tokens", "maxtokens", "max-tokens", "tokens", "token-type",
        // sudoers' `NOPASSWD: ALL` says what was granted, not a password.
        "nopasswd",
        "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens", "total_tokens", "token_count",
        "password-stdin", "password_stdin", "secret-name", "secretname", "secret_name", "secretref", "secret-ref",
        "secretkeyref", "secrets", "credential-helper", "credential_helper", "credentials-file", "token-file",
        "password-file", "password_file", "token_file", "secret-file", "secret_file", "auth-type", "auth_type",
        "authtype", "pass-through", "passthrough", "dsn-file", "key-file", "keyfile",
    ]

    static func redactAll(_ text: String) -> String {
        var bytes = Array(text.utf8)
        var ranges: [(Range<Int>, keep: Int)] = []
        findPrivateKeys(bytes, into: &ranges)
        findURLPasswords(bytes, into: &ranges)
        findWebhooks(bytes, into: &ranges)
        findAssignments(bytes, into: &ranges)
        findCommandFlags(bytes, into: &ranges)
        findQuotedCommandFlags(bytes, into: &ranges)
        findCredentialFileLines(bytes, into: &ranges)
        findPipedSecrets(bytes, into: &ranges)
        findSubstitutedPasswordFiles(bytes, into: &ranges)
        findSQLPasswords(bytes, into: &ranges)
        findTokens(bytes, into: &ranges)
        guard !ranges.isEmpty else { return text }
        // Merge overlapping ranges, then replace from the end.
        ranges.sort { $0.0.lowerBound < $1.0.lowerBound }
        var merged: [(Range<Int>, keep: Int)] = []
        for item in ranges {
            if let last = merged.last, item.0.lowerBound < last.0.upperBound {
                let upper = max(last.0.upperBound, item.0.upperBound)
                merged[merged.count - 1] = (last.0.lowerBound..<upper, min(last.keep, item.keep + item.0.lowerBound - last.0.lowerBound))
            } else {
                merged.append(item)
            }
        }
        for (range, keep) in merged.reversed() {
            let start = range.lowerBound + max(0, min(keep, range.count))
            bytes.replaceSubrange(start..<range.upperBound, with: Array(mask.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
    }

    /// Bytes of a token: letters, digits, `_ - . + /` (an `=` separates a name from its value).
    static func isTokenByte(_ b: UInt8) -> Bool {
        isWordByte(b) || b == 0x2E || b == 0x2B || b == 0x2F || b >= 0x80
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    static func lower(_ b: UInt8) -> UInt8 { (b >= 0x41 && b <= 0x5A) ? b + 0x20 : b }

    static func hasPrefix(_ bytes: [UInt8], _ at: Int, _ prefix: String, caseInsensitive: Bool = false) -> Bool {
        var k = at
        for b in prefix.utf8 {
            guard k < bytes.count else { return false }
            if (caseInsensitive ? lower(bytes[k]) : bytes[k]) != (caseInsensitive ? lower(b) : b) { return false }
            k += 1
        }
        return true
    }

    static func find(_ bytes: [UInt8], _ needle: String, from: Int, caseInsensitive: Bool = false) -> Int? {
        let n = needle.utf8.count
        guard n > 0, bytes.count >= n else { return nil }
        var i = from
        while i + n <= bytes.count {
            if hasPrefix(bytes, i, needle, caseInsensitive: caseInsensitive) { return i }
            i += 1
        }
        return nil
    }

    /// `-----BEGIN … PRIVATE KEY-----` … `-----END … PRIVATE KEY-----` (or to the end of the text).
    static func findPrivateKeys(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        var from = 0
        while let begin = find(bytes, "-----BEGIN ", from: from) {
            guard let headerEnd = find(bytes, "-----", from: begin + 11) else { break }
            let header = String(decoding: bytes[(begin + 11)..<headerEnd], as: UTF8.self)
            guard header.hasSuffix("PRIVATE KEY") || header.hasSuffix("PRIVATE KEY BLOCK") || header.contains("ENCRYPTED") else {
                from = headerEnd + 5
                continue
            }
            let bodyStart = headerEnd + 5
            var end = bytes.count
            if let endMarker = find(bytes, "-----END ", from: bodyStart) {
                end = endMarker
            }
            if end > bodyStart { ranges.append((bodyStart..<end, keep: 0)) }
            from = end + 1
        }
    }

    /// Webhook URLs whose path is the credential: everything after the marker is masked.
    static let webhookMarkers = ["hooks.slack.com/services/", "hooks.slack.com/workflows/", "discord.com/api/webhooks/",
                                 "discordapp.com/api/webhooks/", "outlook.office.com/webhook/", ".webhook.office.com/webhookb2/",
                                 "chat.googleapis.com/v1/spaces/"]

    static func findWebhooks(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        for marker in webhookMarkers {
            var from = 0
            while let at = find(bytes, marker, from: from, caseInsensitive: true) {
                let start = at + marker.utf8.count
                var end = start
                while end < bytes.count, !isSpace(bytes[end]), bytes[end] != 0x22, bytes[end] != 0x27, bytes[end] != 0x3E { end += 1 }
                if end > start { ranges.append((start..<end, keep: 0)) }
                from = end
            }
        }
    }

    /// `scheme://user:password@host` — the password.
    static func findURLPasswords(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        var from = 0
        while let scheme = find(bytes, "://", from: from) {
            var i = scheme + 3
            var colon: Int?
            var at: Int?
            while i < bytes.count {
                let b = bytes[i]
                if b == 0x2F || b == 0x3F || b == 0x23 || isSpace(b) || b == 0x22 || b == 0x27 || b == 0x3E { break }
                if b == 0x3A && colon == nil { colon = i }
                if b == 0x40 { at = i }
                i += 1
            }
            if let colon, let at, at > colon + 1 {
                ranges.append(((colon + 1)..<at, keep: 0))
                // A token as the user with a placeholder password (`https://<token>:x-oauth-basic@github.com`): both.
                if colon - (scheme + 3) >= 20, bytes[(scheme + 3)..<colon].allSatisfy({ isWordByte($0) || $0 == 0x2E }),
                   bytes[(scheme + 3)..<colon].contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                    ranges.append(((scheme + 3)..<colon, keep: 0))
                }
            } else if colon == nil, let at, at - (scheme + 3) >= 20,
                      bytes[(scheme + 3)..<at].allSatisfy({ isWordByte($0) || $0 == 0x2E }),
                      bytes[(scheme + 3)..<at].contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                // A token given as the user name (`https://<token>@github.com/…`): long, with digits.
                ranges.append(((scheme + 3)..<at, keep: 0))
            }
            from = scheme + 3
        }
    }

    /// Whether a name (a variable, key or flag) holds a secret.
    static func isSecretName(_ rawName: [UInt8]) -> Bool {
        var start = 0
        while start < rawName.count, rawName[start] == 0x2D { start += 1 }
        guard start < rawName.count else { return false }
        let lowered = rawName[start...].map(lower)
        // Most words name nothing secret: a byte search rejects them before any string is built.
        guard mentionsSecret(lowered) else { return false }
        let text = String(decoding: lowered, as: UTF8.self)
        if innocentNames.contains(text) { return false }
        // Vault AppRole's `secret_id=` is the password of a machine login, not the id of a secret (AWS's `--secret-id`
        // names one).
        if text == "secret_id" || text.hasSuffix("_secret_id") { return true }
        if text.hasSuffix("_file") || text.hasSuffix("-file") || text.hasSuffix("_path") || text.hasSuffix("-path")
            || text.hasSuffix("_ref") || text.hasSuffix("-ref") || text.hasSuffix("_name") || text.hasSuffix("-name")
            || text.hasSuffix("_id") || text.hasSuffix("-id") || text.hasSuffix("_arn") || text.hasSuffix("-arn")
            || text.hasSuffix("_length") || text.hasSuffix("_lifetime") || text.hasSuffix("-ttl")
            || text.hasSuffix("_ttl") || text.hasSuffix("_expiry") || text.hasSuffix("-stdin")
            || text.hasSuffix("_url") && lowered.withUnsafeBytes({ StringSearch.find($0.baseAddress!, $0.count, "webhook", 7) == nil }) {
            return false
        }
        return true
    }

    static let secretNameFragmentBytes = secretNameFragments.map { Array($0.utf8) }
    static let secretSegmentBytes = secretSegments.map { Array($0.utf8) }
    /// Words ending in `pass` that name no password.
    static let passWords = ["bypass", "compass", "surpass", "trespass", "overpass", "underpass", "encompass", "multipass",
                            "firstpass", "onepass", "singlepass", "twopass"].map { Array($0.utf8) }
    static let keyQualifiersNotSecret = ["public", "ssh", "gpg", "sort", "primary", "foreign", "cache", "partition"].map { Array($0.utf8) }

    /// Whether a lowercased name contains a secret fragment, a secret segment, or `key` qualified
    /// by another word (`API_KEY`, `SECRET_KEY`, `STRIPE_KEY`; not `--key FILE`).
    static func mentionsSecret(_ lowered: [UInt8]) -> Bool {
        let fragment = lowered.withUnsafeBytes { h in
            secretNameFragmentBytes.contains { f in
                f.withUnsafeBytes { StringSearch.find(h.baseAddress!, h.count, $0.baseAddress!, $0.count) != nil }
            }
        }
        if fragment { return true }
        let segments = lowered.split(whereSeparator: { $0 == 0x5F || $0 == 0x2D || $0 == 0x2E })
        if segments.contains(where: { segment in secretSegmentBytes.contains { $0.elementsEqual(segment) } }) { return true }
        // A name that ends in a password's word: `SSHPASS`, `DBPASS`, `ROOTPWD` (not `BYPASS`, `COMPASS`).
        if let last = segments.last, last.count > 4 {
            let tail = Array(last.suffix(4)), tailPWD = Array(last.suffix(3))
            if tail.elementsEqual("pass".utf8), !passWords.contains(where: { $0.elementsEqual(last) }) { return true }
            if tailPWD.elementsEqual("pwd".utf8) { return true }
        }
        if segments.count >= 2, segments[segments.count - 1].elementsEqual("key".utf8),
           !keyQualifiersNotSecret.contains(where: { $0.elementsEqual(segments[segments.count - 2]) }) {
            return true
        }
        return false
    }

    /// The end of a value starting at `start`: up to a matching quote, or to whitespace and
    /// separators.
    static func valueRange(_ bytes: [UInt8], _ start: Int) -> Range<Int>? {
        guard start < bytes.count else { return nil }
        let first = bytes[start]
        if first == 0x22 || first == 0x27 {
            var i = start + 1
            while i < bytes.count, bytes[i] != first {
                if bytes[i] == 0x5C { i += 1 }
                i += 1
            }
            let end = min(i, bytes.count)
            return end > start + 1 ? (start + 1)..<end : nil
        }
        if first == 0x5C, start + 1 < bytes.count, bytes[start + 1] == 0x22 {
            // A JSON-escaped quote inside a string: `\"secret\"`.
            guard let close = find(bytes, "\\\"", from: start + 2) else { return nil }
            return close > start + 2 ? (start + 2)..<close : nil
        }
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if isSpace(b) || b == 0x22 || b == 0x27 || b == 0x26 || b == 0x3B || b == 0x2C || b == 0x7D || b == 0x29 || b == 0x5C || b == 0x60 { break }
            i += 1
        }
        return i > start ? start..<i : nil
    }

    /// Whether a value is a reference rather than a literal secret (`$VAR`, `${VAR}`,
    /// `<placeholder>`, already masked, empty-ish).
    static func isReference(_ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let value = bytes[range]
        guard let first = value.first else { return true }
        if first == 0x24 || first == 0x3C || first == 0x5B || first == 0x7B || first == 0x25 { return true }  // $ < [ { %
        if value.allSatisfy({ $0 == 0x2A || $0 == 0x78 || $0 == 0x58 || $0 == 0x2E }) { return true }         // *** xxx ...
        let text = String(decoding: value, as: UTF8.self).lowercased()
        return ["true", "false", "null", "none", "yes", "no", "required", "optional", "bearer", "basic", "redacted"].contains(text)
    }

    /// `NAME=value`, `NAME: value`, `"name": "value"`, `--name=value`, `--name value`,
    /// `Authorization: Bearer value`.
    static func findAssignments(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        var i = 0
        while i < bytes.count {
            guard isWordByte(bytes[i]), i == 0 || !isWordByte(bytes[i - 1]) else {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, isWordByte(bytes[end]) || bytes[end] == 0x2E { end += 1 }
            let name = Array(bytes[i..<end])
            defer { i = end }
            guard name.count >= 2, isSecretName(name) else { continue }
            var j = end
            // `"name": ` and `\"name\": `
            if j < bytes.count, bytes[j] == 0x22 || bytes[j] == 0x27 { j += 1 } else if j + 1 < bytes.count, bytes[j] == 0x5C, bytes[j + 1] == 0x22 { j += 2 }
            var k = j
            while k < bytes.count, bytes[k] == 0x20 { k += 1 }
            var separated = false
            if k < bytes.count, bytes[k] == 0x3D { k += 1; separated = true }                  // =
            else if k + 1 < bytes.count, bytes[k] == 0x3A, bytes[k + 1] == 0x3D { k += 2; separated = true }  // :=
            else if k < bytes.count, bytes[k] == 0x3A { k += 1; separated = true }             // :
            if !separated {
                // `--password value` (a flag followed by a separate value).
                guard name.first == 0x2D, j == end, end < bytes.count, bytes[end] == 0x20 else { continue }
                var v = end
                while v < bytes.count, bytes[v] == 0x20 { v += 1 }
                guard v < bytes.count, bytes[v] != 0x2D, let range = valueRange(bytes, v), !isReference(bytes, range) else { continue }
                ranges.append((range, keep: 0))
                continue
            }
            while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
            guard k < bytes.count else { continue }
            // `Authorization: Bearer value` — mask the credential after the scheme.
            let lowered = String(decoding: name.map(lower), as: UTF8.self)
            if lowered.hasSuffix("authorization") || lowered == "auth" || lowered == "bearer" {
                var v = k
                let quoted = bytes[v] == 0x22 || bytes[v] == 0x27
                if quoted { v += 1 }
                for scheme in ["Bearer ", "Basic ", "Token ", "Digest ", "Negotiate ", "AWS4-HMAC-SHA256 ", "token ", "bearer ", "basic "] where hasPrefix(bytes, v, scheme) {
                    v += scheme.utf8.count
                    break
                }
                var e = v
                while e < bytes.count, !(bytes[e] == 0x22 || bytes[e] == 0x27 || bytes[e] == 0x0A || bytes[e] == 0x5C) { e += 1 }
                if e > v { ranges.append((v..<e, keep: 0)) }
                continue
            }
            guard let range = valueRange(bytes, k), !isReference(bytes, range) else { continue }
            // `key: /path/to/file` and `key=~/x` name a file, not a secret.
            if lowered.hasSuffix("key"), bytes[range.lowerBound] == 0x2F || bytes[range.lowerBound] == 0x7E || bytes[range.lowerBound] == 0x2E {
                continue
            }
            ranges.append((range, keep: 0))
        }
        // `Bearer xyz` anywhere (curl -H, wget --header).
        var from = 0
        while let at = find(bytes, "bearer ", from: from, caseInsensitive: true) {
            let v = at + 7
            if at == 0 || !isWordByte(bytes[at - 1]), let range = valueRange(bytes, v), !isReference(bytes, range), range.count >= 8 {
                ranges.append((range, keep: 0))
            }
            from = v
        }
    }

    /// SQL that sets a password: `… PASSWORD 'x'`, `IDENTIFIED BY 'x'`.
    static func findSQLPasswords(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        for marker in ["password '", "password \"", "identified by '", "identified by \"", "password e'"] {
            var from = 0
            while let at = find(bytes, marker, from: from, caseInsensitive: true) {
                let quote = at + marker.utf8.count - 1
                if let range = valueRange(bytes, quote) { ranges.append((range, keep: 0)) }
                from = quote + 1
            }
        }
    }

    /// Command-specific password flags: `curl -u user:password`, `mysql -pPASSWORD`,
    /// `sshpass -p PASSWORD`, `htpasswd -b file user PASSWORD`.
    static func findCommandFlags(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        let words = splitWords(bytes)
        guard !words.isEmpty else { return }
        let texts = words.map { String(decoding: bytes[$0], as: UTF8.self) }
        // A program's name as a word gives it: `mysql`, `/usr/bin/mysql`, or inside a finding's text `(mysql`, `$(mysql`,
        // `` `mysql ``, `'mysql`.
        let programs = Set(texts.map { word in
            let name = word.split(separator: "/").last.map(String.init) ?? word
            return String(name.drop { "($`'\"{".contains($0) })
        })
        // Clients whose password is glued to `-p` (`mysql -pX`, `7z a -pX archive.7z`).
        let mysql = !programs.isDisjoint(with: ["mysql", "mysqldump", "mysqladmin", "mariadb", "mariadb-dump", "mysqlimport", "mysqlsh",
                                                "7z", "7za", "7zz", "7zr", "rar", "unrar"])
        let registryLogin = texts.contains("login")
            && !programs.isDisjoint(with: ["docker", "podman", "helm", "buildah", "skopeo", "oras", "nerdctl", "crane", "regctl"])
        for (index, text) in texts.enumerated() {
            let range = words[index]
            // `aws configure set aws_secret_access_key VALUE`, `npm config set //registry/:_authToken VALUE`.
            // (`set NAME=VALUE` is one word, its value found with the other assignments; what follows it, `&&`
            // or the next command, is no value.)
            // fish: `set -x PASSWORD value` (its options before the name).
            var nameIndex = index + 1
            if text == "set", !programs.contains("gh") {
                while nameIndex < words.count, texts[nameIndex].hasPrefix("-"), texts[nameIndex].count <= 3 { nameIndex += 1 }
            }
            if text == "set", nameIndex + 1 < words.count, !texts[nameIndex].contains("="),
               !(programs.contains("gh") && texts[nameIndex + 1].hasPrefix("-")),
               isSecretName(Array(bytes[words[nameIndex]])) || texts[nameIndex].hasSuffix("_authToken"),
               !isReference(bytes, words[nameIndex + 1]), !["&&", "||", ";", "|", "&"].contains(texts[nameIndex + 1]) {
                ranges.append((words[nameIndex + 1], keep: 0))
                continue
            }
            // `gh secret set NAME --body VALUE` (`-b VALUE`, `--body=VALUE`): whatever the name, the value is a secret.
            if programs.contains("gh"), index >= 2, texts[..<index].contains("secret") {
                if (text == "--body" || text == "-b"), index + 1 < words.count, !isReference(bytes, words[index + 1]) {
                    // A quoted value runs to its closing quote, spaces and all.
                    ranges.append((wholeValue(bytes, words[index + 1]), keep: 0))
                    continue
                }
                if text.hasPrefix("--body="), text.count > 7 {
                    ranges.append((valueRange(bytes, range.lowerBound + 7) ?? (range.lowerBound + 7)..<range.upperBound, keep: 0))
                    continue
                }
                if text.hasPrefix("-b"), !text.hasPrefix("--"), text.count > 2 {
                    ranges.append((valueRange(bytes, range.lowerBound + 2) ?? (range.lowerBound + 2)..<range.upperBound, keep: 0))
                    continue
                }
            }
            // `vault login [-flags] TOKEN`: the token is its first argument (`vault login -method=userpass …` names none).
            if text == "login", index > 0, programs.contains("vault"),
               let token = texts[(index + 1)...].firstIndex(where: { !$0.hasPrefix("-") }), !texts[token].contains("="),
               !isReference(bytes, words[token]), !["&&", "||", ";", "|", "&"].contains(texts[token]),
               !texts[(index + 1)..<token].contains(where: { ["&&", "||", ";", "|", "&"].contains($0) }) {
                ranges.append((words[token], keep: 0))
                continue
            }
            if registryLogin, text == "-p", index + 1 < words.count {
                ranges.append((words[index + 1], keep: 0))
                continue
            }
            // Password options of common clients: `redis-cli -a X`, `ldapsearch -w X`, `az login -p X`,
            // `smbclient -U user%X`, `htpasswd -b FILE USER X`.
            if ShellPasswordFlags.byProgram.contains(where: { programs.contains($0.key) && $0.value.contains(text) }),
               index + 1 < words.count, !isReference(bytes, words[index + 1]) {
                ranges.append((wholeValue(bytes, words[index + 1]), keep: 0))
                continue
            }
            // `lftp -u user,password host`: the password after the comma.
            if programs.contains("lftp"), text == "-u" || text == "--user", index + 1 < words.count,
               let comma = bytes[words[index + 1]].firstIndex(of: 0x2C), comma + 1 < words[index + 1].upperBound {
                ranges.append(((comma + 1)..<words[index + 1].upperBound, keep: 0))
                continue
            }
            // `net user NAME PASSWORD [/add]`: the word after the name (a `*` asks for it).
            if text.lowercased() == "user", index > 0, texts[index - 1].lowercased() == "net" || texts[index - 1].lowercased() == "net.exe",
               index + 2 < words.count, !texts[index + 2].hasPrefix("/"), texts[index + 2] != "*",
               !["&&", "||", ";", "|", "&"].contains(texts[index + 2]), !isReference(bytes, words[index + 2]) {
                ranges.append((words[index + 2], keep: 0))
                continue
            }
            // `ConvertTo-SecureString 'pw' -AsPlainText -Force` (`-String 'pw'`): the plain text is the password.
            if text.lowercased().hasSuffix("convertto-securestring"), texts.contains(where: { $0.lowercased() == "-asplaintext" }) {
                var value = index + 1
                if value < words.count, texts[value].lowercased() == "-string" { value += 1 }
                while value < words.count, texts[value].hasPrefix("-") { value += 1 }
                if value < words.count, !isReference(bytes, words[value]) { ranges.append((wholeValue(bytes, words[value]), keep: 0)) }
                continue
            }
            // `curl -b 'session=X'`, `--cookie 'a=1; sid=X'`: cookies given inline (a word with no `=` names a cookie file).
            if programs.contains("curl"), text == "-b" || text == "--cookie", index + 1 < words.count,
               !isReference(bytes, words[index + 1]) {
                let value = wholeValue(bytes, words[index + 1])
                if let equals = bytes[value].firstIndex(of: 0x3D), equals + 1 < value.upperBound {
                    ranges.append(((equals + 1)..<value.upperBound, keep: 0))
                    continue
                }
            }
            if programs.contains("curl"), text.hasPrefix("--cookie="), text.count > 9,
               let equals = bytes[(range.lowerBound + 9)..<range.upperBound].firstIndex(of: 0x3D) {
                ranges.append((valueRange(bytes, equals + 1) ?? (equals + 1)..<range.upperBound, keep: 0))
                continue
            }
            // `aws ssm put-parameter --name /prod/db/password --value X`: a parameter's value, whatever it is called.
            if programs.contains("aws"), texts.contains("put-parameter"), text == "--value", index + 1 < words.count,
               !isReference(bytes, words[index + 1]) {
                ranges.append((wholeValue(bytes, words[index + 1]), keep: 0))
                continue
            }
            if programs.contains("aws"), texts.contains("put-parameter"), text.hasPrefix("--value="), text.count > 8 {
                ranges.append((valueRange(bytes, range.lowerBound + 8) ?? (range.lowerBound + 8)..<range.upperBound, keep: 0))
                continue
            }
            // `smbclient -U user%password`, `rpcclient -U 'dom\\user%password'`.
            if (text == "-U" || text == "--user"), index + 1 < words.count,
               !programs.isDisjoint(with: ["smbclient", "rpcclient", "smbmap", "net", "winexe", "smbget"]),
               let percent = bytes[words[index + 1]].firstIndex(of: 0x25), percent + 1 < words[index + 1].upperBound {
                let end = bytes[words[index + 1]].last == 0x27 || bytes[words[index + 1]].last == 0x22 ? words[index + 1].upperBound - 1
                    : words[index + 1].upperBound
                if percent + 1 < end { ranges.append(((percent + 1)..<end, keep: 0)) }
                continue
            }
            // A `.netrc` line written out: `machine h login u password X`.
            if text.lowercased() == "password" || text.lowercased() == "passwd", index + 1 < words.count,
               texts.contains(where: { $0.lowercased().hasSuffix("machine") || $0.lowercased().hasSuffix("netrc") }),
               !isReference(bytes, words[index + 1]) {
                var value = words[index + 1]
                if bytes[value].last == 0x27 || bytes[value].last == 0x22 { value = value.lowerBound..<(value.upperBound - 1) }
                if !value.isEmpty { ranges.append((value, keep: 0)) }
                continue
            }
            if programs.contains("htpasswd"), text.hasPrefix("-") && text.contains("b") {
                // `htpasswd -b [-c -B …] FILE USER PASSWORD`: the third word after the options.
                var first = index + 1
                while first < words.count, texts[first].hasPrefix("-") { first += 1 }
                if first + 2 < words.count { ranges.append((words[first + 2], keep: 0)) }
                continue
            }
            if (text == "-u" || text == "--user" || text == "--proxy-user") && index + 1 < words.count {
                var value = words[index + 1]
                if !value.isEmpty, bytes[value.upperBound - 1] == 0x27 || bytes[value.upperBound - 1] == 0x22 {
                    value = value.lowerBound..<(value.upperBound - 1)
                }
                if let colon = bytes[value].firstIndex(of: 0x3A), colon + 1 < value.upperBound {
                    ranges.append(((colon + 1)..<value.upperBound, keep: 0))
                } else if let colon = bytes[value].firstIndex(of: 0x3A), colon + 1 == value.upperBound, colon > value.lowerBound,
                          programs.contains("curl") || programs.contains("wget") || programs.contains("http") {
                    // `curl -u API_KEY:` (an API key as the user, no password): the key is the secret.
                    let start = bytes[value.lowerBound] == 0x27 || bytes[value.lowerBound] == 0x22 ? value.lowerBound + 1 : value.lowerBound
                    // (A key: long, with digits; `-u admin:` is a user with no password.)
                    if colon - start >= 16, bytes[start..<colon].contains(where: { $0 >= 0x30 && $0 <= 0x39 }) {
                        ranges.append((start..<colon, keep: 0))
                    }
                }
            } else if (text.hasPrefix("--user=") || text.hasPrefix("-u")) && text.count > 3, programs.contains("curl") || programs.contains("wget") {
                let start = range.lowerBound + (text.hasPrefix("--user=") ? 7 : 2)
                if let colon = bytes[start..<range.upperBound].firstIndex(of: 0x3A), colon + 1 < range.upperBound {
                    ranges.append(((colon + 1)..<range.upperBound, keep: 0))
                }
            } else if mysql, text.hasPrefix("-p"), text.count > 2, !text.hasPrefix("--") {
                // `-p'secret'`: the quotes stay, around the mask.
                let quoted = bytes[range.lowerBound + 2] == 0x27 || bytes[range.lowerBound + 2] == 0x22
                ranges.append(((range.lowerBound + (quoted ? 3 : 2))..<range.upperBound, keep: 0))
            } else if programs.contains("sshpass"), text == "-p", index + 1 < words.count {
                ranges.append((words[index + 1], keep: 0))
            } else if programs.contains("sshpass"), text.hasPrefix("-p"), text.count > 2 {
                ranges.append(((range.lowerBound + 2)..<range.upperBound, keep: 0))
            }
        }
    }

    /// A word as a value: when a quote opens it (just before the word, or as its first byte), up to the closing
    /// quote, spaces included (`--body "two words"`).
    static func wholeValue(_ bytes: [UInt8], _ word: Range<Int>) -> Range<Int> {
        if word.lowerBound > 0, bytes[word.lowerBound - 1] == 0x22 || bytes[word.lowerBound - 1] == 0x27,
           let range = valueRange(bytes, word.lowerBound - 1) {
            return range
        }
        return valueRange(bytes, word.lowerBound) ?? word
    }

    /// Password flags of a command quoted inside another's arguments (`ssh -o ProxyCommand='sshpass -p X ssh jump'`,
    /// `bash -lc 'mysql -pX …'`): each quoted text with a space is read as a command line of its own.
    static func findQuotedCommandFlags(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        var index = 0
        while index < bytes.count {
            let quote = bytes[index]
            guard quote == 0x27 || quote == 0x22, let end = bytes[(index + 1)...].firstIndex(of: quote) else { index += 1; continue }
            if end > index + 1, bytes[(index + 1)..<end].contains(0x20) {
                var inner: [(Range<Int>, keep: Int)] = []
                findCommandFlags(Array(bytes[(index + 1)..<end]), into: &inner)
                ranges += inner.map { (($0.0.lowerBound + index + 1)..<($0.0.upperBound + index + 1), keep: $0.keep) }
            }
            index = end + 1
        }
    }

    /// Files that hold credentials as plain lines (`.pgpass`, `.netrc`, `.git-credentials`): what `echo` or `printf`
    /// writes to one is masked whole (`echo 'db:5432:*:admin:pw' > ~/.pgpass`).
    static func findCredentialFileLines(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        guard find(bytes, ".pgpass", from: 0) != nil || find(bytes, "netrc", from: 0) != nil
            || find(bytes, ".git-credentials", from: 0) != nil || find(bytes, ".my.cnf", from: 0) != nil else { return }
        let words = splitWords(bytes)
        let texts = words.map { String(decoding: bytes[$0], as: UTF8.self) }
        var command = 0
        for (index, text) in texts.enumerated() {
            if ["|", "||", "&&", ";", "&"].contains(text) { command = index + 1; continue }
            guard text.hasPrefix(">") else { continue }
            // The `echo` or `printf` that writes it: the command's first word, or one later in a text that quotes the
            // command (a finding's reason: "…, the first: echo '…' >> ~/.pgpass").
            guard let writer = (command..<index).last(where: { ["echo", "printf"].contains(texts[$0]) }) else { continue }
            command = writer
            // `> file`, `>> file`, or the file attached (`>~/.pgpass`).
            let attached = String(text.drop { $0 == ">" })
            let target = attached.isEmpty ? (index + 1 < texts.count ? texts[index + 1] : "") : attached
            guard [".pgpass", "netrc", ".git-credentials", ".my.cnf"].contains(where: { target.hasSuffix($0) }) else { continue }
            for value in (command + 1)..<index where !texts[value].hasPrefix("-") {
                var range = words[value]
                if bytes[range.lowerBound] == 0x27 || bytes[range.lowerBound] == 0x22 { range = (range.lowerBound + 1)..<range.upperBound }
                if let last = range.last, bytes[last] == 0x27 || bytes[last] == 0x22 { range = range.lowerBound..<(range.upperBound - 1) }
                if !range.isEmpty { ranges.append((range, keep: 0)) }
            }
        }
    }

    /// Secrets a command reads on its standard input, given by `echo` or `printf` through a pipe or as a
    /// here-string: `printf 'pw\n' | sudo -S cmd`, `echo "$X" | docker login --password-stdin`,
    /// `echo 'bob:pw' | chpasswd`, `sudo -S cmd <<< 'pw'`. The words `echo` or `printf` prints are masked.
    static func findPipedSecrets(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        guard find(bytes, "|", from: 0) != nil || find(bytes, "<<<", from: 0) != nil else { return }
        findPipedSecrets(bytes, in: 0..<bytes.count, into: &ranges)
        // A script in quotes (`bash -lc 'echo pw | sudo -S id'`, as Codex stores every command) is a line of its own.
        var index = 0
        while index < bytes.count {
            let quote = bytes[index]
            guard quote == 0x27 || quote == 0x22, let end = bytes[(index + 1)...].firstIndex(of: quote) else { index += 1; continue }
            if end > index + 1, bytes[(index + 1)..<end].contains(0x7C) || find(Array(bytes[(index + 1)..<end]), "<<<", from: 0) != nil {
                findPipedSecrets(bytes, in: (index + 1)..<end, into: &ranges)
            }
            index = end + 1
        }
    }

    /// `findPipedSecrets` over the line `bytes[span]`, its quotes respected.
    static func findPipedSecrets(_ bytes: [UInt8], in span: Range<Int>, into ranges: inout [(Range<Int>, keep: Int)]) {
        let words = pipelineWords(bytes, in: span)
        let texts = words.map { String(decoding: bytes[$0], as: UTF8.self) }
        let separators: Set<String> = ["|", "||", "&&", ";", "&", ";;", "|&"]
        // The commands, as ranges of word indexes.
        var commands: [Range<Int>] = []
        var start = 0
        for (index, text) in texts.enumerated() where separators.contains(text) {
            commands.append(start..<index)
            start = index + 1
        }
        commands.append(start..<texts.count)
        for (number, command) in commands.enumerated() where !command.isEmpty {
            guard readsSecretOnInput(Array(texts[command])) else { continue }
            // A here-string fed to such a command.
            for index in command where texts[index] == "<<<" && index + 1 < command.upperBound {
                if !isReference(bytes, words[index + 1]) { ranges.append((words[index + 1], keep: 0)) }
            }
            for index in command where texts[index].hasPrefix("<<<") && texts[index].count > 3 {
                var value = (words[index].lowerBound + 3)..<words[index].upperBound
                if bytes[value.lowerBound] == 0x27 || bytes[value.lowerBound] == 0x22 { value = (value.lowerBound + 1)..<value.upperBound }
                if !value.isEmpty, !isReference(bytes, value) { ranges.append((value, keep: 0)) }
            }
            // What the last `echo`, `printf` or `yes` before the pipe prints (in `bash -lc 'echo pw | sudo -S …'` too).
            guard number > 0, texts[command.lowerBound - 1] == "|" else { continue }
            let source = commands[number - 1]
            guard let first = source.last(where: { ["echo", "printf", "yes"].contains(texts[$0]) }) else { continue }
            for index in (first + 1)..<source.upperBound where !(texts[index].hasPrefix("-") && texts[first] == "echo" && texts[index].count <= 3) {
                if !words[index].isEmpty, !isReference(bytes, words[index]) { ranges.append((words[index], keep: 0)) }
            }
        }
    }

    /// A password file given as a process substitution that prints the password: `ansible-vault
    /// --vault-password-file <(echo pw)`, `--password-file=<(printf '%s' pw)`. What `echo` or `printf` prints is
    /// masked when the option before it names a password, secret or token.
    static func findSubstitutedPasswordFiles(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        var from = 0
        while let open = find(bytes, "<(", from: from) {
            from = open + 2
            var start = open + 2
            while start < bytes.count, isSpace(bytes[start]) { start += 1 }
            let program = bytes[start...].prefix { !isSpace($0) && $0 != 0x29 }
            guard ["echo", "printf"].contains(String(decoding: program, as: UTF8.self)) else { continue }
            // The option it is the value of: the word before it (`--vault-password-file <(…)` or `--password-file=<(…)`).
            var end = open
            if end > 0, bytes[end - 1] == 0x3D { end -= 1 } else { while end > 0, isSpace(bytes[end - 1]) { end -= 1 } }
            var begin = end
            while begin > 0, !isSpace(bytes[begin - 1]) { begin -= 1 }
            let option = String(decoding: bytes[begin..<end], as: UTF8.self).lowercased()
            guard option.hasPrefix("-"), ["pass", "secret", "token"].contains(where: { option.contains($0) }) else { continue }
            guard let close = bytes[start...].firstIndex(of: 0x29) else { continue }
            var value = (start + program.count)..<close
            while !value.isEmpty, isSpace(bytes[value.lowerBound]) { value = (value.lowerBound + 1)..<value.upperBound }
            if !value.isEmpty, !isReference(bytes, value) { ranges.append((value, keep: 0)) }
        }
    }

    /// The words of a command line for `findPipedSecrets`: split at blanks and at `|`, `;` and `&` outside quotes (each
    /// run of them a word of its own, wherever it stands: `pw|sudo`), the quotes around a word left out; an empty
    /// quoted word (`''`) is a word, as the shell passes it (`sudo -p '' -S`).
    static func pipelineWords(_ bytes: [UInt8], in span: Range<Int>) -> [Range<Int>] {
        func isSeparator(_ b: UInt8) -> Bool { b == 0x7C || b == 0x3B || b == 0x26 }
        var out: [Range<Int>] = []
        var i = span.lowerBound
        let end = span.upperBound
        while i < end {
            while i < end, isSpace(bytes[i]) { i += 1 }
            guard i < end else { break }
            let start = i
            if isSeparator(bytes[i]) {
                while i < end, isSeparator(bytes[i]) { i += 1 }
                out.append(start..<i)
                continue
            }
            var quote: UInt8?
            while i < end {
                let b = bytes[i]
                if let open = quote {
                    if b == open { quote = nil }
                } else if b == 0x27 || b == 0x22 {
                    quote = b
                } else if isSpace(b) || isSeparator(b) {
                    break
                }
                i += 1
            }
            var lower = start, upper = i
            if bytes[lower] == 0x22 || bytes[lower] == 0x27 { lower += 1 }
            if upper > lower, bytes[upper - 1] == 0x22 || bytes[upper - 1] == 0x27 { upper -= 1 }
            out.append(lower..<max(lower, upper))
        }
        return out
    }

    /// Whether a command (its words) reads a password on its standard input.
    static func readsSecretOnInput(_ words: [String]) -> Bool {
        let programs = words.map { $0.split(separator: "/").last.map(String.init) ?? $0 }
        if programs.contains(where: { ["chpasswd", "chgpasswd", "kinit"].contains($0) }) { return true }
        // `pass insert -e NAME <<< pw` (`--echo`, `-m`/`--multiline`): the password store reads the secret on its input.
        if let pass = programs.firstIndex(of: "pass"), words.dropFirst(pass + 1).first.map({ ["insert", "add"].contains($0) }) == true {
            return true
        }
        // `echo VALUE | gh secret set NAME` (without `--body` it reads the value), `… | vault kv put x value=-`.
        if let gh = programs.firstIndex(of: "gh"), words.dropFirst(gh + 1).starts(with: ["secret", "set"]),
           !words.contains(where: { $0 == "--body" || $0 == "-b" || $0.hasPrefix("--body=") || $0.hasPrefix("-f") || $0 == "--env-file" }) {
            return true
        }
        if words.contains(where: { ["--password-stdin", "--passphrase-stdin", "--stdin-password", "--with-token"].contains($0) }) {
            return true
        }
        // Secret stores that read the value on their input: `docker secret create NAME -`, `gcloud secrets versions add NAME
        // --data-file=-`, `wrangler secret put NAME`, `vercel env add NAME`, `fly secrets import`, `kubectl create secret …
        // --from-file=KEY=/dev/stdin`, `vault kv put PATH key=-`.
        if let secret = words.firstIndex(of: "secret"), ["docker", "podman"].contains(where: programs.contains),
           words.dropFirst(secret + 1).first == "create", words.last == "-" {
            return true
        }
        if programs.contains("gcloud"), words.contains("secrets"),
           words.contains("--data-file=-") || words.indices.contains { words[$0] == "--data-file" && $0 + 1 < words.count && words[$0 + 1] == "-" } {
            return true
        }
        if programs.contains("wrangler"), let secret = words.firstIndex(of: "secret"), words.dropFirst(secret + 1).first == "put" {
            return true
        }
        if programs.contains("vercel"), let env = words.firstIndex(of: "env"), words.dropFirst(env + 1).first == "add" { return true }
        if programs.contains("fly") || programs.contains("flyctl"), let secrets = words.firstIndex(of: "secrets"),
           words.dropFirst(secrets + 1).first == "import" {
            return true
        }
        if programs.contains("kubectl") || programs.contains("oc"), words.contains("secret"),
           words.contains(where: { $0.hasPrefix("--from-file=") && $0.hasSuffix("/dev/stdin") || $0.hasPrefix("--from-env-file=/dev/stdin") }) {
            return true
        }
        if programs.contains("vault"), words.contains(where: { $0 == "put" || $0 == "write" || $0 == "patch" }),
           words.contains(where: { $0.hasSuffix("=-") }) {
            return true
        }
        for (index, word) in words.enumerated() {
            let next = index + 1 < words.count ? words[index + 1] : ""
            switch programs[index] {
            case "sudo":
                // Its own options, before the command it runs: `-S`, `--stdin`, or `S` among short ones (`-kS`).
                var option = index + 1
                while option < words.count, words[option].hasPrefix("-"), words[option] != "--" {
                    let flag = words[option]
                    if flag == "--stdin" || !flag.hasPrefix("--") && flag.contains("S") { return true }
                    option += ["-u", "-g", "-p", "-C", "-h", "-r", "-t", "-U", "-D", "-R", "-T"].contains(flag) ? 2 : 1
                }
            // `passwd` reads the new password on its standard input when that is not a terminal (`--stdin` or not).
            case "passwd":
                return true
            case "smbpasswd" where words.contains("-s"), "htpasswd" where words.contains("-i"):
                return true
            default:
                if (word == "--passphrase-fd" || word == "--passwd-fd") && next == "0" { return true }
                if (word == "-passin" || word == "-passout") && (next == "stdin" || next == "fd:0") { return true }
                if programs[index] == "vault", words.contains("login"), next == "-", word == "login" { return true }
            }
        }
        return false
    }

    /// Whitespace-separated words, with surrounding quotes stripped.
    static func splitWords(_ bytes: [UInt8]) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var i = 0
        while i < bytes.count {
            while i < bytes.count, isSpace(bytes[i]) { i += 1 }
            var start = i
            while i < bytes.count, !isSpace(bytes[i]) { i += 1 }
            var end = i
            if start < end, bytes[start] == 0x22 || bytes[start] == 0x27 { start += 1 }
            if end > start, bytes[end - 1] == 0x22 || bytes[end - 1] == 0x27 { end -= 1 }
            if end > start { out.append(start..<end) }
        }
        return out
    }

    /// Known token shapes, JWTs and long random strings.
    static func findTokens(_ bytes: [UInt8], into ranges: inout [(Range<Int>, keep: Int)]) {
        var i = 0
        while i < bytes.count {
            guard isTokenByte(bytes[i]), bytes[i] != 0x2F, i == 0 || !isTokenByte(bytes[i - 1]) || bytes[i - 1] == 0x2F else {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, isTokenByte(bytes[end]), bytes[end] != 0x2F { end += 1 }
            defer { i = max(end, i + 1) }
            let token = bytes[i..<end]
            let length = token.count
            guard length >= 15 else { continue }
            if let keep = knownToken(bytes, at: i, end: end) {
                ranges.append((i..<end, keep: keep))
                continue
            }
            // A token inside a name, after a separator: `slack-xoxb-….json`, `aws_AKIA….csv`, `token-ghp_….txt`.
            if let (inner, stop, keep) = innerToken(bytes, start: i, end: end) {
                ranges.append((inner..<stop, keep: keep))
                continue
            }
            guard length >= 16 else { continue }
            if hasPrefix(bytes, i, "eyJ"), token.filter({ $0 == 0x2E }).count >= 2, length >= 30 {
                ranges.append((i..<end, keep: 0))
                continue
            }
            if length >= 32, looksRandom(token) {
                ranges.append((i..<end, keep: 0))
            }
        }
        // Base64 secrets with `/` in them (AWS secret access keys): 32+ characters of the Base64
        // alphabet, not a path (no leading `/`, `~` or `.`, no `//`), mixing all character classes.
        i = 0
        while i < bytes.count {
            guard isBase64Byte(bytes[i]), i == 0 || !isBase64Byte(bytes[i - 1]) && bytes[i - 1] != 0x2E && bytes[i - 1] != 0x7E else {
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, isBase64Byte(bytes[end]) { end += 1 }
            defer { i = max(end, i + 1) }
            let token = bytes[i..<end]
            guard token.count >= 32, token.contains(0x2F), bytes[i] != 0x2F, find(Array(token), "//", from: 0) == nil,
                  token.filter({ $0 == 0x2F }).count <= 4 else { continue }
            let upper = token.filter { $0 >= 0x41 && $0 <= 0x5A }.count
            let lowerCount = token.filter { $0 >= 0x61 && $0 <= 0x7A }.count
            let digits = token.filter { $0 >= 0x30 && $0 <= 0x39 }.count
            if upper >= 3 && lowerCount >= 3 && digits >= 2 && looksRandom(ArraySlice(token.filter { $0 != 0x2F })) {
                ranges.append((i..<end, keep: 0))
            }
        }
    }

    /// The bytes a token of known shape starts with: most places are ruled out by one lookup.
    static let tokenStarts: [Bool] = {
        var starts = [Bool](repeating: false, count: 256)
        for prefix in tokenPrefixes.map(\.prefix) + awsKeyPrefixes + ["s."] { starts[Int(prefix.utf8.first!)] = true }
        return starts
    }()

    /// The length of the prefix kept of a token of known shape (`tokenPrefixes`, AWS key ids) that starts
    /// at `at` and runs to `end`, or nil.
    static func knownToken(_ bytes: [UInt8], at: Int, end: Int) -> Int? {
        guard at < end, tokenStarts[Int(bytes[at])] else { return nil }
        let length = end - at
        for (prefix, minimumRest) in tokenPrefixes where length - prefix.utf8.count >= minimumRest && hasPrefix(bytes, at, prefix) {
            return prefix.utf8.count
        }
        if length >= 20, awsKeyPrefixes.contains(where: { hasPrefix(bytes, at, $0) }),
           bytes[(at + 4)..<(at + 20)].allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x30 && $0 <= 0x39) }) {
            return 4
        }
        if isLegacyVaultToken(bytes, at: at, end: end) { return 2 }
        return nil
    }

    /// A Vault service token of the form before `hvs.` (Vault 1.10): `s.` and 24 letters and digits (then the end, or
    /// a file extension), random-looking: with a digit, or six capitals and six small letters, or in a text that speaks
    /// of Vault (a camel-case name such as `s.substitutionTemplateName` is not one).
    static func isLegacyVaultToken(_ bytes: [UInt8], at: Int, end: Int) -> Bool {
        guard end - at >= 26, bytes[at] == 0x73, bytes[at + 1] == 0x2E, end - at == 26 || bytes[at + 26] == 0x2E else { return false }
        let rest = bytes[(at + 2)..<(at + 26)]
        guard rest.allSatisfy(isAlphanumeric) else { return false }
        let upper = rest.filter { $0 >= 0x41 && $0 <= 0x5A }.count, lower = rest.filter { $0 >= 0x61 && $0 <= 0x7A }.count
        guard upper > 0, lower > 0 else { return false }
        return rest.contains { $0 >= 0x30 && $0 <= 0x39 } || (upper >= 6 && lower >= 6)
            || find(bytes, "vault", from: 0, caseInsensitive: true) != nil
    }

    /// A token of known shape inside a longer name, after a separator, as (start, end, prefix length): the
    /// name's extension (`.json`) is left out. Words that happen to follow a prefix (`task-sk-learn-notes.md`,
    /// `messages-sk-SK-2024.json`, `run-npm_install_2024.sh`) are not keys: a key holds a digit and a run of at
    /// least 16 letters and digits.
    static func innerToken(_ bytes: [UInt8], start: Int, end: Int) -> (Int, Int, Int)? {
        var stop = end
        if let dot = bytes[start..<end].lastIndex(of: 0x2E), end - dot >= 2, end - dot <= 6,
           bytes[(dot + 1)..<end].allSatisfy(isAlphanumeric) {
            stop = dot
        }
        var p = start + 1
        while p < stop {
            defer { p += 1 }
            guard !isAlphanumeric(bytes[p - 1]), isAlphanumeric(bytes[p]), let keep = knownToken(bytes, at: p, end: stop) else { continue }
            let rest = bytes[(p + keep)..<stop]
            var longest = 0, run = 0
            for b in rest {
                run = isAlphanumeric(b) ? run + 1 : 0
                longest = max(longest, run)
            }
            if longest >= 16, rest.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) { return (p, stop, keep) }
        }
        return nil
    }

    static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    static func isBase64Byte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2B || b == 0x2F || b == 0x3D
    }

    /// A long string mixing upper case, lower case and digits with high entropy, that is not a
    /// hex digest, a UUID or a word-like identifier.
    static func looksRandom(_ token: ArraySlice<UInt8>) -> Bool {
        var upper = 0, lowerCount = 0, digits = 0, other = 0
        var counts = [Int](repeating: 0, count: 256)
        for b in token {
            counts[Int(b)] += 1
            if b >= 0x41 && b <= 0x5A { upper += 1 } else if b >= 0x61 && b <= 0x7A { lowerCount += 1 } else if b >= 0x30 && b <= 0x39 { digits += 1 } else { other += 1 }
        }
        guard upper >= 2, lowerCount >= 2, digits >= 2 else { return false }
        // Identifiers joined by separators (`my-long_Module.Name2024`) are not secrets.
        if token.contains(0x2E) || token.filter({ $0 == 0x2D || $0 == 0x5F }).count >= 3 { return false }
        var entropy = 0.0
        let n = Double(token.count)
        for c in counts where c > 0 {
            let p = Double(c) / n
            entropy -= p * log2(p)
        }
        return entropy >= 4.0
    }

    static func log2(_ x: Double) -> Double {
        // ln(x)/ln(2) without Foundation: a short series is enough for entropy thresholds.
        guard x > 0 else { return 0 }
        var m = x, e = 0.0
        while m >= 2 { m /= 2; e += 1 }
        while m < 1 { m *= 2; e -= 1 }
        // m in [1, 2): ln(m) via atanh series.
        let y = (m - 1) / (m + 1)
        var term = y, sum = 0.0, k = 1.0
        for _ in 0..<20 {
            sum += term / k
            term *= y * y
            k += 2
        }
        return e + 2 * sum / 0.6931471805599453
    }
}
