/// Who exercises capabilities: an agent, in a repository, as a principal. Empty when unknown.
public struct CapabilityScope: Hashable, Sendable, Comparable {
    public var agent: String
    public var repo: String
    public var principal: String

    public init(agent: String?, repo: String?, principal: String?) {
        self.agent = agent ?? ""
        self.repo = CapabilityScope.normalizedRepo(repo ?? "")
        self.principal = principal ?? ""
    }

    /// One repository under each of its spellings: a repository's name in lower case (GitHub's and GitLab's are
    /// case-insensitive: `acme/Billing` is `acme/billing`), a working directory without a trailing slash
    /// (`/srv/app/` is `/srv/app`).
    public static func normalizedRepo(_ repo: String) -> String {
        if repo.hasPrefix("/") || repo.hasPrefix("~") || PathNormalizer.isWindows(repo) {
            // `/srv//app`, `/srv/app/.` and `/srv/app/` are `/srv/app`.
            guard repo.contains("//") || repo.contains("/.") || repo.hasSuffix("/") || repo.hasSuffix("\\") else { return repo }
            let parts = repo.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
            var path = (repo.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
            while path.hasSuffix("\\"), path.utf8.count > 1 { path.removeLast() }
            return path.isEmpty ? "/" : path
        }
        // (An address, `https://git.corp.com/Acme/App.git`, is kept as written: a server of its own may tell cases apart.)
        if repo.contains("://") || repo.contains("@") { return repo }
        var name = repo.lowercased()
        while name.hasSuffix("/"), name.utf8.count > 1 { name.removeLast() }
        return name
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
