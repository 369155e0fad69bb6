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

    /// What the platform said, if `output` is a refusal and nothing else: every line of it is the harness's own framing
    /// (`Exit code 1`, Codex's `Wall time:` header) or an error, and one is a refusal. Output that shows any work done
    /// (`deployment.apps "web" deleted`, `delete: s3://…`, `Destroying…`) is a partial refusal: the call ran.
    static func reason(in output: String) -> String? {
        guard let reason = phrases.first(where: { output.containsASCII($0.phrase) })?.reason else { return nil }
        // The output as stored: JSON-escaped text in an attributes object, or plain text.
        let text = output.replacingAll("\\n", with: "\n")
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = raw.drop { $0 == " " || $0 == "\t" || $0 == "{" || $0 == "\"" || $0 == "," }
            // An attributes member's name (`"error":"…`, `"output":"…`).
            for key in ["error\":\"", "output\":\"", "stderr\":\"", "stdout\":\""] where line.hasPrefix(key) {
                line = line.dropFirst(key.count)
            }
            if line.isEmpty || isFraming(line) || isError(line) { continue }
            return nil
        }
        return reason
    }

    /// Lines a harness writes around a command's output.
    static func isFraming(_ line: Substring) -> Bool {
        ["Exit code", "Chunk ID:", "Wall time:", "Process exited", "Original token count:", "Output:", "exit_code",
         "Process running", "Total output lines:"].contains { line.hasPrefix($0) }
            || line.allSatisfy { $0.isNumber || $0 == "}" || $0 == "\"" || $0 == "," || $0 == ":" || $0 == " " }
    }

    /// Lines that report an error, not work done.
    static func isError(_ line: Substring) -> Bool {
        if phrases.contains(where: { line.containsASCII($0.phrase) }) { return true }
        let lower = line.lowercased()
        return ["error", "fatal", "remote:", "to ", " ! [", "hint:", "an error occurred", "graphql:", "denied", "forbidden",
                "unauthorized", "permission", "warning:", "│", "╷", "╵", "failed", "http/", "status", "request id", "please ",
                "usage:", "see '", "run '"].contains { lower.hasPrefix($0) }
    }

    /// Programs that only set up where or how the command runs (`cd app && gh pr merge 7`).
    static let setUp: Set<String> = ["cd", "pushd", "popd", "export", "set", "true", ":", "sleep", "source", "."]

    /// Programs that pass a command's output on unchanged (`kubectl delete pod x 2>&1 | tee out.log`), and those that
    /// only stand in after a failure (`|| true`, `|| echo failed`): the command's own output is still all there is.
    static let passThrough: Set<String> = ["tee", "cat"]
    static let fallbacks: Set<String> = ["true", ":", "echo", "printf", "exit"]

    /// Whether `command` runs one command (besides moves and settings, output passed on unchanged, a fallback after it
    /// fails): its refusal is then the whole call's. A shell's own script (`bash -lc '…'`, Codex's argv) is looked into.
    static func isSingleCommand(_ command: String, depth: Int = 0) -> Bool {
        let script = ShellParser.parse(command)
        guard script.problems.isEmpty, script.substitutions.isEmpty else { return false }
        var doing: [ShellCommand] = []
        for (index, command) in script.commands.enumerated() {
            guard let first = command.words.first else { continue }
            let program = ShellAnalyzer.basename(first.text)
            if setUp.contains(program) { continue }
            if command.pipelinePosition > 0 && passThrough.contains(program) { continue }
            if index > 0, script.commands[index - 1].separator == "||", fallbacks.contains(program) { continue }
            doing.append(command)
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
