/// Who exercises capabilities: an agent, in a repository, as a principal. Empty when unknown.
public struct CapabilityScope: Hashable, Sendable, Comparable {
    public var agent: String
    public var repo: String
    public var principal: String

    public init(agent: String?, repo: String?, principal: String?) {
        self.agent = agent ?? ""
        self.repo = repo ?? ""
        self.principal = principal ?? ""
    }

    public static func < (a: CapabilityScope, b: CapabilityScope) -> Bool {
        (a.agent, a.repo, a.principal) < (b.agent, b.repo, b.principal)
    }

    /// `claude-code in acme/payments as svc-agent`, for sentences.
    public var title: String {
        var parts = [agent.isEmpty ? "an unnamed agent" : agent]
        if !repo.isEmpty { parts.append("in " + repo) }
        if !principal.isEmpty { parts.append("as " + principal) }
        return parts.joined(separator: " ")
    }
}
