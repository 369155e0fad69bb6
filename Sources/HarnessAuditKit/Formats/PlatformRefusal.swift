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
        ("You must be logged in to the server (Unauthorized)", "the Kubernetes API server refused it (Unauthorized)"),
        ("is forbidden: User", "the Kubernetes API server refused it (forbidden)"),
        ("HTTP 403", "the server refused it (HTTP 403)"),
        ("HTTP 401", "the server refused it (HTTP 401)"),
        ("403 Forbidden", "the server refused it (403 Forbidden)"),
        ("401 Unauthorized", "the server refused it (401 Unauthorized)"),
        ("returned error: 403", "the server refused it (HTTP 403)"),
        ("returned error: 401", "the server refused it (HTTP 401)"),
        ("status code 403", "the server refused it (HTTP 403)"),
        ("status code: 403", "the server refused it (HTTP 403)"),
        ("StatusCode: 403", "the server refused it (HTTP 403)"),
        ("GH006: Protected branch update failed", "GitHub refused the push to a protected branch"),
        ("protected branch hook declined", "the git host refused the push to a protected branch"),
        ("You are not allowed to push code to protected branches", "GitLab refused the push to a protected branch"),
        // `gh pr merge` refused: the token lacks the permission, or the branch's protection forbids it.
        ("Resource not accessible by integration", "GitHub refused it (the token lacks the permission)"),
        ("Resource not accessible by personal access token", "GitHub refused it (the token lacks the permission)"),
        ("the base branch policy prohibits the merge", "GitHub refused the merge (branch protection)"),
        ("Required status check", "GitHub refused the merge (required status checks)"),
        ("At least 1 approving review is required", "GitHub refused the merge (a review is required)"),
        ("Pull request is not mergeable", "GitHub refused the merge (not mergeable)"),
        ("Repository rule violations found", "GitHub refused it (repository rules)"),
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
        // An MCP database tool's error as Codex reports it (`err: "tool call error: permission denied for table orders"`).
        ("permission denied for table ", "the database refused it (permission denied)"),
        ("permission denied for relation ", "the database refused it (permission denied)"),
        ("permission denied for schema ", "the database refused it (permission denied)"),
        ("permission denied for database ", "the database refused it (permission denied)"),
        ("must be owner of table ", "the database refused it (not the owner)"),
        ("command denied to user", "the database refused it (command denied)"),
        ("Permission denied (publickey", "the SSH server refused the key"),
    ]

    /// What the platform said, if `output` is a refusal and nothing else: every line of it is the harness's own framing
    /// (`Exit code 1`, Codex's `Wall time:` header), a client's log or warning, or an error, and one is a refusal.
    /// Output that shows any work done (`deployment.apps "web" deleted`, `delete: s3://…`, `Destroying…`) is a partial
    /// refusal: the call ran.
    static func reason(in output: String) -> String? {
        guard let reason = phrases.first(where: { output.containsASCII($0.phrase) })?.reason else { return nil }
        for raw in output.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.isEmpty || isFraming(line) || isError(line) { continue }
            return nil
        }
        return reason
    }

    /// Lines a harness writes around a command's output, and a client's own log lines (klog's `I0914 10:01:00.1 …`).
    static func isFraming(_ line: Substring) -> Bool {
        if ["Exit code", "Error: Exit code", "Chunk ID:", "Wall time:", "Process exited", "Original token count:", "Output:",
            "Process running", "Total output lines:"].contains(where: { line.hasPrefix($0) }) {
            return true
        }
        let bytes = Array(line.utf8.prefix(6))
        return bytes.count == 6 && [UInt8(ascii: "I"), UInt8(ascii: "W"), UInt8(ascii: "E")].contains(bytes[0])
            && bytes[1...4].allSatisfy { (0x30...0x39).contains($0) } && bytes[5] == 0x20
    }

    /// Lines that report an error, or say nothing of work done (a warning, an error's code or message).
    static func isError(_ line: Substring) -> Bool {
        if phrases.contains(where: { line.containsASCII($0.phrase) }) { return true }
        let lower = line.lowercased()
        return ["error", "fatal", "remote:", "to ", " ! [", "hint:", "an error occurred", "graphql:", "denied", "forbidden",
                "unauthorized", "permission", "warning:", "│", "╷", "╵", "failed", "http/", "status", "request id", "please ",
                "usage:", "see '", "run '", "code:", "message:", "api error"].contains { lower.hasPrefix($0) }
            || lower.contains("[warning]")
    }

    /// The clients of platforms that refuse requests: only their refusals are believed (a local command, `rm` or
    /// `python3`, is refused by no platform, and any command can print a platform's words).
    static let clients: Set<String> = [
        "kubectl", "oc", "helm", "kubecolor", "gh", "glab", "git", "aws", "gcloud", "gsutil", "bq", "az", "terraform", "tofu",
        "terragrunt", "pulumi", "psql", "mysql", "mariadb", "sqlcmd", "mongosh", "curl", "wget", "http", "https", "docker",
        "podman", "ssh", "scp", "sftp", "rsync", "vault", "doctl", "flyctl", "fly", "vercel", "argocd", "eksctl", "npm", "pnpm",
        "yarn", "heroku", "firebase", "supabase", "wrangler", "netlify", "kustomize", "skaffold", "helmfile", "cf",
    ]

    /// Programs that only set up where or how the command runs (`cd app && gh pr merge 7`).
    static let setUp: Set<String> = ["cd", "pushd", "popd", "export", "set", "true", ":", "sleep", "source", "."]

    /// Programs that pass a command's output on unchanged (`kubectl delete pod x 2>&1 | tee out.log`), and those that
    /// do not run when it failed (`|| true`, `|| echo failed`, `&& echo done`: that one would have printed).
    static let passThrough: Set<String> = ["tee", "cat"]
    static let fallbacks: Set<String> = ["true", ":", "echo", "printf", "exit"]
    /// Options that keep a client from printing the work it did (`aws s3 rm --recursive --only-show-errors`).
    static let quieting: Set<String> = ["--only-show-errors", "--quiet", "-q", "--silent", "--no-progress", "--output=none",
                                        "--verbosity=none", "--log-level=error"]

    /// Whether `command` runs one command of a platform's client (besides moves and settings, output passed on
    /// unchanged, a fallback after it fails, an `&& echo` that did not run), printing everything to the call's output:
    /// its refusal is then the whole call's. A shell's own script (`bash -lc '…'`, Codex's argv) is looked into.
    static func isSingleCommand(_ command: String, depth: Int = 0) -> Bool {
        let script = ShellParser.parse(command)
        guard script.problems.isEmpty, script.substitutions.isEmpty else { return false }
        var doing: [ShellCommand] = []
        for (index, command) in script.commands.enumerated() {
            guard let first = command.words.first else { continue }
            let program = ShellAnalyzer.basename(first.text)
            if setUp.contains(program) { continue }
            if command.pipelinePosition > 0 && passThrough.contains(program) { continue }
            if !doing.isEmpty, index > 0, ["||", "&&"].contains(script.commands[index - 1].separator), fallbacks.contains(program) {
                continue
            }
            doing.append(command)
        }
        guard doing.count == 1, let only = doing.first, let program = only.words.first.map({ ShellAnalyzer.basename($0.text) }) else {
            return false
        }
        if ShellAnalyzer.shells.contains(program) {
            let words = only.words
            guard depth < 4, let option = words.firstIndex(where: { $0.text.hasPrefix("-") && !$0.text.hasPrefix("--") && $0.text.contains("c") }),
                  option + 1 < words.count else { return false }
            return isSingleCommand(words[option + 1].text, depth: depth + 1)
        }
        // Its output sent elsewhere (`> /tmp/log`, `2>/dev/null`), or kept short, may hide the work it did.
        guard clients.contains(program), !only.redirections.contains(where: { $0.op.contains(">") && $0.target?.text.allSatisfy(\.isNumber) != true }),
              !only.words.contains(where: { quieting.contains($0.text) }) else { return false }
        return true
    }
}
