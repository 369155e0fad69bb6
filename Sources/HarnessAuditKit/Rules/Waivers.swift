import Yams

/// Accepted findings (`--waivers FILE`). A waiver matches by finding id, or by rule (or
/// `category:`) plus scope; it names a reason, an owner, a ticket and an expiry date. Expired or
/// ownerless waivers do not apply and are reported.
public struct Waivers: Sendable {
    public struct Waiver: Sendable, Equatable {
        public var findingID: String?
        public var rule: String?
        public var scope: [String: String] = [:]
        public var reason: String?
        public var owner: String?
        public var ticket: String?
        public var expires: String?
        public var expiresMillis: Int64?
        public var line: Int

        /// Why the waiver does not apply, or nil when it is valid at `now`.
        public func problem(now: Int64) -> String? {
            if owner?.trimmingSpaces.isEmpty != false { return "it has no owner" }
            if reason?.trimmingSpaces.isEmpty != false { return "it has no reason" }
            guard let expiresMillis else { return "it has no expiry date" }
            if expiresMillis <= now { return "it expired on \(expires ?? "?")" }
            return nil
        }
    }

    public var waivers: [Waiver] = []
    public var file: String?
    /// The SHA-256 of the file's bytes (nil without a file).
    public var sha256: String?

    public init() {}

    public static let scopeKeys = ["agent", "principal", "repo", "session", "host", "target"]

    public static func parse(_ text: String, file: String) throws(HarnessAuditError) -> Waivers {
        let document = try YAMLDocument(text: text, file: file)
        var result = Waivers()
        result.file = file
        result.sha256 = SHA256Digest.hex(SHA256Digest.digest(Array(text.utf8)))
        for (key, keyNode, value) in try document.rootMapping() {
            guard key == "waivers" else { throw document.unknownKey(key, keyNode, known: ["waivers"]) }
            for item in try document.sequence(value, what: "waivers") {
                var waiver = Waiver(line: item.mark?.line ?? 1)
                for (field, fieldNode, fieldValue) in try document.mapping(item, what: "a waiver") {
                    switch field {
                    case "id": waiver.findingID = try document.string(fieldValue, what: "id")
                    case "rule", "category":
                        guard waiver.rule == nil else { throw document.fail(fieldNode, "give `rule` or `category`, not both") }
                        waiver.rule = try document.string(fieldValue, what: field)
                    case "reason": waiver.reason = try document.string(fieldValue, what: "reason")
                    case "owner": waiver.owner = try document.string(fieldValue, what: "owner")
                    case "ticket": waiver.ticket = try document.string(fieldValue, what: "ticket")
                    case "expires":
                        let text = try document.string(fieldValue, what: "expires")
                        guard let millis = Timestamp.parseISO8601(text) else {
                            throw document.fail(fieldValue, "expires must be a date such as 2026-12-31")
                        }
                        waiver.expires = text
                        // A date expires at the end of that day (UTC).
                        waiver.expiresMillis = text.count == 10 ? millis + 86_400_000 : millis
                    case "scope":
                        for (scopeKey, scopeKeyNode, scopeValue) in try document.mapping(fieldValue, what: "scope") {
                            guard scopeKeys.contains(scopeKey) else { throw document.unknownKey(scopeKey, scopeKeyNode, known: scopeKeys) }
                            waiver.scope[scopeKey] = try document.string(scopeValue, what: "scope.\(scopeKey)")
                        }
                    default:
                        throw document.unknownKey(field, fieldNode, known: ["id", "rule", "category", "scope", "reason", "owner", "ticket", "expires"])
                    }
                }
                guard waiver.findingID != nil || waiver.rule != nil else {
                    throw document.fail(item, "a waiver needs an `id` (a finding id) or a `rule` with a `scope`")
                }
                if waiver.findingID == nil && waiver.scope.isEmpty {
                    throw document.fail(item, "a waiver by rule needs a `scope` (agent, principal, repo, session, host or target)")
                }
                result.waivers.append(waiver)
            }
        }
        return result
    }

    public static func load(_ path: String?) throws(HarnessAuditError) -> Waivers {
        guard let path else { return Waivers() }
        return try parse(try RuleLoader.readText(path), file: path)
    }
}
