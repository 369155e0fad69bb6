/// A refusal by the platform a tool call reached, read from the output of a call that failed: Kubernetes RBAC
/// (`Error from server (Forbidden)`), an HTTP 401 or 403, a cloud provider's access denial, a database's permission
/// error, a git host's protected-branch hook, an SSH key refused. DESIGN §4: such an action did not run; it is a
/// blocked attempt, not a violation.
///
/// Only a call that is one command is taken as refused (`kubectl exec …`, `cd app && gh pr merge 7`): in
/// `rm -rf data; kubectl get secret x` the refusal of the last command says nothing about the first.
enum PlatformRefusal {
    /// Phrases the platforms write, and what each says.
    static let phrases: [(phrase: String, reason: String)] = [
        ("Error from server (Forbidden)", "the Kubernetes API server refused it (Forbidden)"),
        ("Error from server (Unauthorized)", "the Kubernetes API server refused it (Unauthorized)"),
        ("HTTP 403", "the server refused it (HTTP 403)"),
        ("HTTP 401", "the server refused it (HTTP 401)"),
        ("403 Forbidden", "the server refused it (403 Forbidden)"),
        ("401 Unauthorized", "the server refused it (401 Unauthorized)"),
        ("returned error: 403", "the server refused it (HTTP 403)"),
        ("returned error: 401", "the server refused it (HTTP 401)"),
        ("status code 403", "the server refused it (HTTP 403)"),
        ("status code: 403", "the server refused it (HTTP 403)"),
        ("GH006: Protected branch update failed", "GitHub refused the push to a protected branch"),
        ("protected branch hook declined", "the git host refused the push to a protected branch"),
        ("You are not allowed to push code to protected branches", "GitLab refused the push to a protected branch"),
        ("(AccessDenied)", "AWS refused it (AccessDenied)"),
        ("(AccessDeniedException)", "AWS refused it (AccessDeniedException)"),
        ("(UnauthorizedOperation)", "AWS refused it (UnauthorizedOperation)"),
        ("is not authorized to perform", "the cloud provider refused it (not authorized)"),
        ("PERMISSION_DENIED", "Google Cloud refused it (PERMISSION_DENIED)"),
        ("(AuthorizationFailed)", "Azure refused it (AuthorizationFailed)"),
        ("AuthorizationFailed:", "Azure refused it (AuthorizationFailed)"),
        ("ERROR:  permission denied for ", "the database refused it (permission denied)"),
        ("ERROR: permission denied for ", "the database refused it (permission denied)"),
        ("ERROR:  must be owner of ", "the database refused it (not the owner)"),
        ("command denied to user", "the database refused it (command denied)"),
        ("Permission denied (publickey", "the SSH server refused the key"),
    ]

    /// What the platform said, if `output` holds a refusal.
    static func reason(in output: String) -> String? {
        for (phrase, reason) in phrases where output.containsASCII(phrase) { return reason }
        return nil
    }

    /// Programs that only set up where or how the command runs (`cd app && gh pr merge 7`).
    static let setUp: Set<String> = ["cd", "pushd", "popd", "export", "set", "true", ":", "echo", "printf", "sleep", "source", "."]

    /// Whether `command` runs one command (besides moves and settings): its refusal is then the whole call's.
    /// A shell's own script (`bash -lc '…'`, Codex's argv) is looked into.
    static func isSingleCommand(_ command: String, depth: Int = 0) -> Bool {
        let script = ShellParser.parse(command)
        guard script.problems.isEmpty, script.substitutions.isEmpty else { return false }
        let doing = script.commands.filter { command in
            guard let first = command.words.first else { return false }
            return !setUp.contains(ShellAnalyzer.basename(first.text))
        }
        guard doing.count == 1, let words = doing.first?.words else { return false }
        if ShellAnalyzer.shells.contains(ShellAnalyzer.basename(words[0].text)) {
            guard depth < 4, let option = words.firstIndex(where: { $0.text.hasPrefix("-") && !$0.text.hasPrefix("--") && $0.text.contains("c") }),
                  option + 1 < words.count else { return false }
            return isSingleCommand(words[option + 1].text, depth: depth + 1)
        }
        return true
    }
}
