/// git, gh and glab.
extension ShellAnalyzer {
    static let gitGlobalValued: Set<String> = ["-C", "-c", "--git-dir", "--work-tree", "--namespace", "--exec-path",
                                               "--config-env", "--super-prefix"]
    /// `git clone` options that take a value as the next word.
    static let gitCloneValued: Set<String> = ["-b", "--branch", "-o", "--origin", "--depth", "--reference", "--reference-if-able",
                                              "-c", "--config", "--template", "--separate-git-dir", "-u", "--upload-pack",
                                              "--filter", "-j", "--jobs", "--shallow-since", "--shallow-exclude", "--server-option",
                                              "--bundle-uri", "--ref-format"]
    /// Remotes that deploy what is pushed to them.
    static let deployRemotes: Set<String> = ["heroku", "dokku", "piku", "production", "prod", "live", "deploy"]

    mutating func vcs(_ command: ResolvedCommand) -> Bool {
        switch command.program {
        case "git", "hub": git(command)
        case "gh": githubCLI(command)
        case "glab": gitlabCLI(command)
        default: return false
        }
        return true
    }

    /// git subcommands that change a repository's files, index or history.
    static let gitChangesRepository: Set<String> = ["commit", "merge", "rebase", "reset", "am", "apply", "cherry-pick", "revert",
                                                     "pull", "restore", "add", "rm", "mv", "stash", "checkout", "switch"]

    /// Settings and variables whose value is a command git runs (a pager, an SSH command, a file-system monitor, an
    /// external diff, an editor).
    static let gitCommandSettings: Set<String> = ["core.pager", "core.sshcommand", "core.fsmonitor", "diff.external", "core.editor",
                                                  "sequence.editor", "pager.log", "pager.diff", "pager.show"]
    static let gitCommandVariables: Set<String> = ["GIT_SSH_COMMAND", "GIT_PAGER", "GIT_EXTERNAL_DIFF", "GIT_EDITOR",
                                                   "GIT_SEQUENCE_EDITOR", "GIT_SSH"]

    mutating func git(_ command: ResolvedCommand) {
        // `GIT_SSH_COMMAND='rm -rf /srv' git fetch`, `git -c core.pager='cat ~/.aws/credentials' log`: git runs the value.
        for (name, value) in command.assignments where ShellAnalyzer.gitCommandVariables.contains(name) && !value.isEmpty {
            nested(value, origin: "git \(name)")
        }
        for (index, word) in command.args.words.enumerated() where word.text == "-c" && index + 1 < command.args.words.count {
            let setting = command.args.words[index + 1].text
            guard let equals = setting.firstIndex(of: "=") else { continue }
            let key = setting[..<equals].lowercased(), value = String(setting[setting.index(after: equals)...])
            if ShellAnalyzer.gitCommandSettings.contains(key), !value.isEmpty, !["cat", "less", "more", "less -R", "vim", "vi", "nano"].contains(value) {
                nested(value, origin: "git -c \(key)")
            }
        }
        var words = command.args.words
        var index = 0
        var directory: String?   // `git -C DIR`: where git runs
        var workTree: String?    // `--work-tree DIR`: where its files are
        var aliases = gitAliases
        while index < words.count, words[index].text.hasPrefix("-") {
            if words[index].text == "-C", index + 1 < words.count {
                directory = PathNormalizer.absolute(words[index + 1].text, cwd: directory ?? context.cwd, home: context.home)
            }
            if words[index].text == "--work-tree", index + 1 < words.count {
                workTree = words[index + 1].text
            } else if words[index].text.hasPrefix("--work-tree=") {
                workTree = String(words[index].text.dropFirst(12))
            }
            // `git -c http.sslVerify=false clone …`
            if words[index].text == "-c", index + 1 < words.count { tlsVerificationOff(words[index + 1].text, by: "git -c") }
            // `git -c alias.p=push p …`: an alias defined for this one command.
            if words[index].text == "-c", index + 1 < words.count, words[index + 1].text.hasPrefix("alias."),
               let equals = words[index + 1].text.firstIndex(of: "=") {
                let definition = words[index + 1].text
                aliases[String(definition[definition.index(definition.startIndex, offsetBy: 6)..<equals]).lowercased()] = String(definition[definition.index(after: equals)...])
            }
            if ShellAnalyzer.gitGlobalValued.contains(words[index].text) { index += 1 }
            index += 1
        }
        guard index < words.count else {
            family("git", nil)
            return
        }
        // An alias (`git config alias.p push`, earlier in the line, or `-c alias.p=push`) runs what it stands for; one
        // that runs a shell command (`!…`) runs that command.
        if let expansion = aliases[words[index].text.lowercased()] {
            result.note("git \(words[index].text) is an alias of \(expansion)")
            if expansion.hasPrefix("!") {
                nested(String(expansion.dropFirst()), origin: "git alias \(words[index].text)")
                return
            }
            words.replaceSubrange(index...index, with: expansion.split(separator: " ").map { ShellWord(text: String($0)) })
        }
        if words[index].text == "config", index + 2 < words.count {
            // `git config [--global] alias.NAME VALUE`: the alias later commands of the line may use.
            let rest = words[(index + 1)...].filter { !$0.text.hasPrefix("-") }
            let key = rest.first?.text.lowercased() ?? ""
            if rest.count >= 2, key.hasPrefix("alias.") {
                gitAliases[String(key.dropFirst(6))] = rest.dropFirst().map(\.text).joined(separator: " ")
            }
            // Settings that make git run a command later: a shell alias, a pager, an SSH command, hooks elsewhere.
            // (`core.hooksPath .githooks`, `.husky`: the repository's own hooks, kept with its code, as husky sets.)
            let value = rest.count >= 2 ? rest[rest.startIndex + 1].text : ""
            let repositoryHooks = key == "core.hookspath" && !value.isEmpty && !value.hasPrefix("/") && !value.hasPrefix("~")
                && !value.hasPrefix("$") && !value.hasPrefix("..")
            if rest.count >= 2 { tlsVerificationOff(key + "=" + value, by: "git config") }
            if rest.count >= 2, key.hasPrefix("alias.") && rest[rest.startIndex + 1].text.hasPrefix("!")
                || ["core.pager", "core.sshcommand", "core.fsmonitor", "core.hookspath", "core.editor", "sequence.editor"].contains(key)
                && !repositoryHooks {
                add(.highRisk, "sets git to run a command later (git config \(key)) (persistence: it outlasts the session)")
            }
        }
        let sub = words[index].text
        let a = CommandArguments(Array(words[(index + 1)...]))
        family("git", sub)
        // Paths are the other directory's (`git -C ../other clean -fdx`, `git --work-tree=/etc checkout -- hosts`).
        let startDirectory = context.cwd
        if let tree = workTree.map({ PathNormalizer.absolute($0, cwd: directory ?? context.cwd, home: context.home) }) ?? directory {
            context.cwd = tree
        }
        defer { context.cwd = startDirectory }
        // `-C`, `--git-dir`, `--work-tree`: another repository, whose branch is not this session's.
        let otherRepository = words[..<index].contains { ["-C", "--git-dir", "--work-tree"].contains($0.text) || $0.text.hasPrefix("--git-dir=")
                                                        || $0.text.hasPrefix("--work-tree=") }
        if (sub == "checkout" || sub == "switch") && !otherRepository && remoteHost == nil { switchBranch(sub, a) }
        // Committing, merging or restoring in another repository (`git -C ../other commit -am wip`) changes its files and
        // history: a write there.
        if otherRepository, remoteHost == nil, let tree = context.cwd, ShellAnalyzer.gitChangesRepository.contains(sub),
           startDirectory.map({ tree != $0 && !tree.hasPrefix($0 + "/") }) ?? true,
           !(a.hasShort("n") || a.has("--dry-run")) {
            file(tree, "write", by: "git \(sub)")
            add(.write, "changes another repository's files or history (git -C \(tree) \(sub))")
        }
        switch sub {
        case "commit":
            add(.vcs, "commits with git commit")
        case "push":
            gitPush(a)
        case "clean":
            if a.hasShort("n") || a.has("--dry-run") {
                result.note("git clean dry run")
            } else if a.hasShort("f") || a.has("--force") {
                add(.delete, "deletes untracked files (git clean \(a.texts.filter { $0.hasPrefix("-") }.joined(separator: " ")))")
                // Pathspecs limit it to those paths (`git clean -fd ../shared`, from a sub-directory of the repository);
                // without any, the whole working tree.
                let pathspecs = a.positionals(valued: ["-e", "--exclude"]).map(\.text).filter { !$0.hasPrefix(":") }
                for pathspec in pathspecs.isEmpty ? ["./**"] : pathspecs { file(pathspec, "delete", by: "git clean") }
            }
        case "branch":
            // `-D` (or `-d --force`) deletes a branch whatever it holds; `-d` refuses one whose commits are not merged, so
            // nothing is lost.
            let force = a.hasShort("D") || (a.hasShort("d") || a.has("--delete")) && (a.hasShort("f") || a.has("--force"))
            if force {
                let branches = a.positionals().map(\.text)
                for branch in branches { result.target(ActionTarget(.branch, branch, operation: "delete")) }
                add(.delete, "deletes branch \(branches.joined(separator: ", ")) (git branch -D)")
            } else if a.hasShort("d") || a.has("--delete") {
                add(.vcs, "deletes merged branches (git branch -d)")
            }
        case "tag":
            if a.hasShort("d") || a.has("--delete") { add(.delete, "deletes tags (git tag -d)") }
        case "update-ref" where a.hasShort("d"):
            // `git update-ref -d refs/heads/release/1.2`: the ref deleted, whatever it holds (as `git branch -D`).
            if let ref = a.positionals().first?.text {
                let branch = ref.hasPrefix("refs/heads/") ? String(ref.dropFirst(11)) : ref
                result.target(ActionTarget(.branch, branch, operation: "delete"))
                add(.delete, "deletes the ref \(ref) (git update-ref -d)")
            }
        case "reset":
            if a.has("--hard") {
                add(.delete, "discards uncommitted changes (git reset --hard)")
                // In another repository (`git -C ../other reset --hard`): its files are the ones changed.
                if otherRepository { file(".", "delete", by: "git reset --hard") }
            }
        case "stash":
            let action = a.texts.first ?? "push"
            if action == "drop" || action == "clear" { add(.delete, "drops stashed changes (git stash \(action))") }
        case "worktree" where ["remove", "rm", "prune"].contains(a.texts.first ?? ""):
            // `git worktree remove --force ../wt`: the working tree's directory goes, changes in it with `--force`.
            let targets = Array(a.positionals().map(\.text).dropFirst())
            for target in targets { file(target, "delete", by: "git worktree remove") }
            if a.texts.first != "prune" {
                add(.delete, "deletes the working tree \(targets.map(path).joined(separator: ", ")) (git worktree remove)")
            }
        case "rm":
            let targets = a.positionals().map(\.text)
            for target in targets { file(target, "delete", by: "git rm") }
            if !a.has("--cached") { add(.delete, "deletes \(targets.map(path).joined(separator: ", ")) (git rm)") }
        case "checkout", "restore":
            if a.texts.contains("--") || a.texts.contains(".") || a.has("--force") || (sub == "restore" && !a.has("--staged")) {
                if sub == "restore" || a.texts.contains("--") || a.texts.contains(".") {
                    add(.write, "overwrites working-tree files (git \(sub))")
                    // The files it names are rewritten (`git checkout -- x.sh`, `git restore x.sh`).
                    let named = a.afterDoubleDash.map { $0.map(\.text) }
                        ?? (sub == "restore" ? a.positionals(valued: ["-s", "--source"]).map(\.text) : [])
                    for name in named where !name.hasPrefix("-") && name != "." { file(name, "write", by: "git \(sub)") }
                    // `git -C /etc checkout .`: every file of that other directory.
                    if otherRepository && (a.texts.contains(".") || named.isEmpty) { file(".", "write", by: "git \(sub)") }
                }
            }
        case "apply", "am", "cherry-pick", "revert", "merge", "rebase", "pull", "mv":
            if sub == "merge" || sub == "rebase" || sub == "cherry-pick" || sub == "revert" || sub == "am" {
                add(.vcs, "changes history with git \(sub)")
            }
            if sub == "apply" || sub == "pull" || sub == "am" || sub == "mv" {
                add(.write, "changes working-tree files (git \(sub))")
            }
            if sub == "pull" { add(.network, "fetches from a remote (git pull)") }
        case "clone", "fetch", "ls-remote", "submodule":
            for word in a.positionals() {
                if let host = ShellAnalyzer.gitHost(word.text) {
                    result.target(ActionTarget(.host, host))
                    result.target(ActionTarget(.url, word.text))
                }
            }
            add(.network, "fetches from a remote (git \(sub))")
            if sub == "clone" {
                add(.write, "writes a new working tree (git clone)")
                // The directory named after the repository is where the clone is written (without one, a new directory in
                // the working directory).
                let operands = a.positionals(valued: ShellAnalyzer.gitCloneValued).map(\.text)
                // Without a directory, the clone is written to one named after the repository: named here when git runs
                // elsewhere than the action's working directory (`cd /opt && git clone …`, `git -C /opt clone …`).
                var destination = operands.count >= 2 ? operands[1] : nil
                if destination == nil, let url = operands.first, directory != nil || context.cwd != startCwd {
                    var name = url.split(whereSeparator: { $0 == "/" || $0 == ":" }).last.map(String.init) ?? ""
                    if name.hasSuffix(".git") { name.removeLast(4) }
                    if !name.isEmpty && name != "." && name != ".." { destination = name }
                }
                if let destination {
                    file(directory.map { PathNormalizer.absolute(destination, cwd: $0, home: context.home) } ?? destination, "write",
                         by: "git clone")
                }
            }
        case "filter-branch", "filter-repo", "replace":
            add(.write, "rewrites repository history (git \(sub))")
        case "show", "cat-file":
            for word in a.positionals() {
                guard let colon = word.text.firstIndex(of: ":"), !word.text.hasPrefix(":") || word.text.count > 1 else { continue }
                let file = String(word.text[word.text.index(after: colon)...])
                if let pattern = context.policy.sensitivePaths.match(path(file), home: context.home) {
                    add(.sensitiveRead, "reads \(file) from git history (git \(sub) \(word.text), matches \(pattern))")
                }
            }
        case "diff", "blame", "annotate", "log":
            // `git diff --no-index /dev/null .env` prints the file whole; `git diff .env`, `git log -p .env`, `git blame .env`
            // print its lines. Only secret files are named as read (the other words may be commits).
            let patch = a.has("-p", "--patch", "-u")
            guard sub != "log" || patch,
                  patch || !a.has("--stat", "--name-only", "--name-status", "--quiet", "--numstat", "--shortstat", "--summary") else { break }
            for word in a.positionals() where !word.text.hasPrefix("-") {
                if context.policy.sensitivePaths.match(path(word.text), home: context.home) != nil { file(word.text, "read", by: "git \(sub)") }
            }
        case "credential":
            if a.texts.first == "fill" { add(.sensitiveRead, "reads stored git credentials (git credential fill)") }
        case "config":
            // A stored token or password (`credential.https://h.password`, `http.extraheader`), not the helper's name.
            if a.texts.contains(where: { let t = $0.lowercased(); return t.contains("token") || t.contains("password") || t.contains("secret")
                                           || t.contains("extraheader") }) && a.has("--get", "--get-all", "--list", "-l") {
                add(.sensitiveRead, "reads git credential configuration")
            }
        default:
            break
        }
    }

    /// `http.sslVerify=false` (git), `strict-ssl=false` (npm, yarn): TLS certificates no longer checked, so anyone on
    /// the path can stand in for the server (DESIGN §3.1: disabling security).
    mutating func tlsVerificationOff(_ setting: String, by tool: String) {
        let parts = setting.split(separator: "=", maxSplits: 1).map { $0.lowercased() }
        guard parts.count == 2, ["false", "0", "no", "off"].contains(parts[1]) else { return }
        let key = parts[0]
        guard key == "http.sslverify" || key.hasPrefix("http.") && key.hasSuffix(".sslverify") || key == "strict-ssl" else { return }
        add(.highRisk, "turns off TLS certificate checks (\(tool) \(setting))")
    }

    /// Text the line writes into a tool's configuration file (`echo strict-ssl=false >> ~/.npmrc`, `cat > .curlrc <<EOF`)
    /// that turns its certificate checks off.
    mutating func tlsConfigWritten(_ content: @autoclosure () -> String?, to target: String) {
        guard TLSConfigFile.kind(of: target) != nil, let content = content(),
              let setting = TLSConfigFile.turnsOff(path: target, text: content) else { return }
        add(.highRisk, "turns off TLS certificate checks (writes \(setting) into \(target))")
    }

    /// Whether setting the environment variable `variable` to `value` turns TLS certificate checks off, in a shell or in
    /// PowerShell (`NODE_TLS_REJECT_UNAUTHORIZED=0`, `GIT_SSL_NO_VERIFY=1`, `npm_config_strict_ssl=false`).
    static func turnsOffTLS(variable: String, value: String) -> Bool {
        switch variable.uppercased() {
        case "NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY": return value == "0"
        case "GIT_SSL_NO_VERIFY": return !value.isEmpty && value != "0" && value.lowercased() != "false"
        case "NPM_CONFIG_STRICT_SSL": return ["false", "0", "no", "off"].contains(value.lowercased())
        default: return false
        }
    }

    /// The branch later commands of the line (and of the session: `Classification.selectedBranch`) run on
    /// after a switch in the repository the line started in: a push of `HEAD`, or with no refspec, pushes it.
    /// - `git checkout -b|-B|--orphan NAME`, `git switch -c|-C|--orphan NAME`, `git switch NAME`: NAME;
    ///   `--track REMOTE/NAME`: NAME.
    /// - `git checkout NAME` also restores a file or a directory named so: it counts as a switch only to a
    ///   protected branch or to one the line knows (the branch it started on, one it created).
    /// - `git checkout -`: back to the branch before, when known (after an unclear `git checkout NAME`, the one
    ///   the line was on); `--detach`: no branch.
    /// - `HEAD`, `@`, commits, `--ours`/`--theirs`/`--patch` and paths after `--`: no switch.
    mutating func switchBranch(_ sub: String, _ a: CommandArguments) {
        // The repository the line started in, or a directory inside it.
        guard context.cwd == startCwd || startCwd.map({ context.cwd?.hasPrefix($0 + "/") ?? false }) ?? false else { return }
        func switchTo(_ name: String?) {
            if context.branch != name { context.previousBranch = context.branch }
            context.branch = name
            if let name { knownBranches.insert(name) }
        }
        let creating = sub == "checkout" ? ["-b", "-B", "--orphan"] : ["-c", "-C", "--create", "--force-create", "--orphan"]
        for option in creating {
            if let name = a.value(option), !name.isEmpty, !name.hasPrefix("-") { return switchTo(name) }
        }
        if a.texts.contains("--") { return }
        if sub == "checkout" && a.has("--ours", "--theirs", "--patch", "-p", "--pathspec-from-file", "--merge", "-m") { return }
        if a.has("--detach") || (sub == "switch" && a.hasShort("d")) { return switchTo(nil) }
        let names = a.positionals(valued: ["--conflict"]).map(\.text)
        guard names.count == 1, let name = names.first else { return }
        if name == "-" || name == "@{-1}" { return switchTo(context.previousBranch) }
        if name == "HEAD" || name.hasPrefix("HEAD~") || name.hasPrefix("HEAD^") || name.hasPrefix("@") { return }
        if a.has("--track", "-t"), let slash = name.firstIndex(of: "/"), name.index(after: slash) < name.endIndex {
            // `--track origin/feat` makes and switches to `feat`.
            return switchTo(String(name[name.index(after: slash)...]))
        }
        if sub == "switch" { return switchTo(name) }
        if context.policy.protectedBranches.isProtected(name) || knownBranches.contains(name) {
            switchTo(name)
        } else {
            // Perhaps a switch to a branch not known here: `git checkout -` then returns to this one.
            context.previousBranch = context.branch
        }
    }

    /// `git push [options] [remote] [refspec…]`.
    mutating func gitPush(_ a: CommandArguments) {
        if a.hasShort("n") || a.has("--dry-run") {
            result.note("git push --dry-run pushes nothing")
            return
        }
        pushes += 1
        add(.vcs, "pushes commits with git push")
        add(.network, "pushes to a remote (git push)")
        let positionals = a.positionals(valued: ["--repo", "-o", "--push-option", "--receive-pack", "--exec"]).map(\.text)
        let remote = positionals.first
        var refspecs = Array(positionals.dropFirst())
        let force = a.hasShort("f") || a.has("--force", "--force-with-lease", "--force-if-includes")
        let deleting = a.hasShort("d") || a.has("--delete")
        if let remote {
            result.target(ActionTarget(.remote, remote))
            if let host = ShellAnalyzer.gitHost(remote) { result.target(ActionTarget(.host, host)) }
        }
        var branches: [(name: String, force: Bool, delete: Bool)] = []
        if a.has("--all", "--mirror", "--branches") {
            for pattern in context.policy.protectedBranches.patterns where !pattern.contains("*") {
                branches.append((pattern, force || a.has("--mirror"), false))
            }
            result.note("git push \(a.has("--mirror") ? "--mirror" : "--all") pushes every branch")
        }
        if refspecs.isEmpty && !a.has("--all", "--mirror", "--branches", "--tags") {
            if let branch = context.branch {
                branches.append((branch, force, false))
                result.note("git push without a refspec pushes the current branch \(branch)")
            } else {
                refspecs = []
            }
        }
        for spec in refspecs {
            var text = spec
            var specForce = force
            if text.hasPrefix("+") {
                specForce = true
                text.removeFirst()
            }
            if text.hasPrefix(":") {
                branches.append((String(text.dropFirst()), false, true))
                continue
            }
            let destination = text.split(separator: ":", maxSplits: 1).last.map(String.init) ?? text
            var name = destination
            if name.hasPrefix("refs/heads/") { name.removeFirst(11) }
            if name == "HEAD" {
                if let branch = context.branch { name = branch } else { continue }
            }
            if name.hasPrefix("refs/tags/") || name.hasPrefix("v") && name.dropFirst().first?.isNumber == true && !text.contains(":") {
                // A tag, no branch; deleted from the remote all the same (`git push origin --delete v1.4.0`).
                if deleting {
                    result.target(ActionTarget(.resource, "tag \(name.hasPrefix("refs/tags/") ? String(name.dropFirst(10)) : name)", operation: "delete"))
                    add(.delete, "deletes the remote tag \(name) (git push --delete)")
                }
                continue
            }
            branches.append((name, specForce, deleting))
        }
        // A deployment remote, also by a name with its environment (`heroku-prod`, `dokku_staging`): its `main` is
        // the release it runs, not the repository's protected branch (a deploy, not a merge).
        let deployRemote = remote.map {
            ShellAnalyzer.deployRemotes.contains($0.lowercased()) || ShellAnalyzer.isDeployRemoteURL($0)
                || ProductionDetector.tokenize($0).first.map({ ["heroku", "dokku", "piku"].contains($0) }) == true
        } ?? false
        for branch in branches {
            result.target(ActionTarget(.branch, branch.name, operation: branch.delete ? "delete" : (branch.force ? "force-push" : "push")))
            let protected = context.policy.protectedBranches.isProtected(branch.name)
            if deployRemote && !branch.delete {
                result.note("git push \(remote ?? "") \(branch.name) releases to a deployment remote, not to the repository's branch")
            } else if branch.delete {
                add(.delete, "deletes the remote branch \(branch.name) (git push --delete)")
            } else if protected {
                add(.merge, "pushes directly to the protected branch \(branch.name)")
                if branch.force {
                    add(.highRisk, "force-pushes to the protected branch \(branch.name), rewriting its history")
                }
            } else if branch.force {
                result.note("force push to \(branch.name), which is not protected")
            }
        }
        if let remote, deployRemote {
            add(.deploy, "pushes to the deployment remote \(remote) (git push \(remote))")
            environmentName(remote, kind: .remote, source: "git remote")
        }
    }

    static func isDeployRemoteURL(_ remote: String) -> Bool {
        remote.contains("heroku.com") || remote.contains("dokku")
    }

    /// The host of a git URL (`git@github.com:acme/app.git`, `https://github.com/acme/app`).
    static func gitHost(_ remote: String) -> String? {
        if let host = urlHost(remote), remote.contains("://") { return host }
        if let at = remote.firstIndex(of: "@"), let colon = remote[at...].firstIndex(of: ":") {
            return String(remote[remote.index(after: at)..<colon]).lowercased()
        }
        return nil
    }

    mutating func githubCLI(_ command: ResolvedCommand) {
        let a = command.args
        let texts = a.positionals(valued: ["-R", "--repo", "-b", "--body", "-t", "--title", "-B", "--base", "-H",
                                           "--head", "-F", "--body-file", "-X", "--method", "-f", "-F", "--field",
                                           "--raw-field", "-H", "--header", "-q", "--jq"]).map(\.text)
        let group = texts.first ?? ""
        let action = texts.count > 1 ? texts[1] : ""
        family("gh", group.isEmpty ? nil : "\(group)\(action.isEmpty ? "" : " " + action)")
        if let repo = a.value("-R", "--repo") { result.target(ActionTarget(.resource, repo)) }
        add(.network, "calls GitHub with gh")
        switch (group, action) {
        case ("pr", "merge"):
            pushes += 1
            add(.merge, "merges a pull request (gh pr merge)")
            add(.vcs, "merges a pull request (gh pr merge)")
            result.target(ActionTarget(.resource, "pull request\(texts.count > 2 ? " " + texts[2] : "")", operation: "merge"))
            if a.has("-d", "--delete-branch") { add(.delete, "deletes the pull request's branch (gh pr merge --delete-branch)") }
        case ("pr", "create"), ("pr", "edit"), ("pr", "ready"), ("release", "create"):
            if action == "create" && group == "pr" { pushes += 1 }
            add(.vcs, "\(group) \(action) with gh")
        case ("repo", "delete"), ("release", "delete"), ("run", "delete"), ("secret", "delete"), ("variable", "delete"),
             ("repo", "archive"), ("issue", "delete"), ("cache", "delete"), ("label", "delete"):
            add(.delete, "deletes with gh \(group) \(action)")
        case ("auth", "token"),
             ("auth", "status") where a.has("--show-token", "-t"):
            add(.sensitiveRead, "prints the GitHub token (gh auth \(action))")
        case ("secret", "set"), ("variable", "set"):
            add(.write, "sets a repository \(group) (gh \(group) set)")
            // `gh secret set -f .env`: the file's secrets are read (and uploaded).
            if let file = a.value("-f", "--env-file") { self.file(file, "read", by: "gh \(group) set") }
        case ("repo", "edit") where a.value("--visibility")?.lowercased() == "public":
            add(.highRisk, "makes a repository public (gh repo edit --visibility public)")
        case ("workflow", "run"), ("workflow", "dispatch"):
            // A workflow run by hand is a deploy when its name or its inputs say so: `gh workflow run deploy-prod.yml
            // -f environment=production`. The inputs name the environment it deploys to.
            let workflow = texts.count > 2 ? texts[2] : ""
            let inputs = a.values("-f", "-F", "--field", "--raw-field")
            // The workflow's name and its environment inputs say whether it deploys; `ref=release/2.0` does not.
            var words = [workflow.lowercased()]
            var environments: [(String, String)] = []
            for input in inputs {
                let parts = input.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2, ShellAnalyzer.environmentVariableNames.contains(parts[0].lowercased()) {
                    environments.append((parts[0], parts[1]))
                    words.append(parts[1].lowercased())
                }
            }
            let production = ([ShellAnalyzer.basename(workflow)] + environments.map(\.1)).contains { context.policy.production.match($0) != nil }
            if production || ["deploy", "release", "rollout", "promote", "publish", "cd."].contains(where: { key in words.contains { $0.contains(key) } }) {
                add(.deploy, "runs the workflow \(workflow) by hand (gh workflow run)")
            }
            if !workflow.isEmpty { environmentName(ShellAnalyzer.basename(workflow), kind: .app, source: "workflow") }
            for (name, value) in environments { environmentName(value, kind: .workspace, source: "workflow input \(name)") }
        case ("api", _):
            let method = a.value("-X", "--method")?.uppercased()
            let endpoint = action
            if endpoint.contains("/protection") && ["PUT", "DELETE", "PATCH", "POST"].contains(method ?? "GET") {
                add(.highRisk, "changes branch protection through the API (gh api -X \(method ?? "") \(endpoint))")
                add(.privilege, "changes who may merge or push to \(endpoint)")
            }
            // A branch moved through the API (`PATCH …/git/refs/heads/main`, `-F sha=… -F force=true`): a push to it.
            let fields = a.values("-F", "-f", "--field", "--raw-field")
            if let range = endpoint.range(ofASCII: "/git/refs/heads/"), ["PATCH", "POST"].contains(method ?? "GET")
                || method == nil && !fields.isEmpty {
                let branch = String(endpoint[range.upperBound...])
                let force = fields.contains { $0.lowercased() == "force=true" }
                result.target(ActionTarget(.branch, branch, operation: force ? "force-push" : "push"))
                add(.vcs, "moves the branch \(branch) through the API (gh api \(endpoint))")
                if context.policy.protectedBranches.isProtected(branch) {
                    add(.merge, "moves the protected branch \(branch) directly through the API")
                    if force { add(.highRisk, "force-moves the protected branch \(branch), rewriting its history") }
                }
            } else if endpoint.hasSuffix("/merges"), method == "POST" || method == nil && !fields.isEmpty {
                // The merges endpoint merges a branch into `base` (a push to it).
                let base = fields.first { $0.hasPrefix("base=") }.map { String($0.dropFirst(5)) } ?? "?"
                result.target(ActionTarget(.branch, base, operation: "push"))
                add(.vcs, "merges into \(base) through the API (gh api \(endpoint))")
                if context.policy.protectedBranches.isProtected(base) {
                    add(.merge, "merges into the protected branch \(base) through the API")
                }
            } else if endpoint.contains("/merge") && (method == "PUT" || method == nil) {
                add(.merge, "merges a pull request through the API (gh api \(endpoint))")
                result.target(ActionTarget(.resource, "pull request", operation: "merge"))
            } else if endpoint.contains("/collaborators/") && ["PUT", "POST", "PATCH"].contains(method ?? (fields.isEmpty ? "GET" : "POST"))
                        || endpoint.contains("/teams/") && endpoint.contains("/repos/") && method == "PUT" {
                // A collaborator or team given access to the repository (`-f permission=admin`).
                add(.privilege, "grants access to the repository through the API (gh api \(endpoint)\(fields.first { $0.hasPrefix("permission=") }.map { " " + $0 } ?? ""))")
            } else if endpoint.contains("/contents/") && (method == "PUT" || method == nil && !fields.isEmpty) {
                // A file committed through the API, to the branch it names (the default branch when none).
                let branch = fields.first { $0.hasPrefix("branch=") }.map { String($0.dropFirst(7)) }
                add(.write, "commits a file through the API (gh api \(endpoint))")
                add(.vcs, "commits a file through the API (gh api \(endpoint))")
                if let branch {
                    result.target(ActionTarget(.branch, branch, operation: "push"))
                    if context.policy.protectedBranches.isProtected(branch) {
                        add(.merge, "commits directly to the protected branch \(branch) through the API")
                    }
                }
            } else if method == "DELETE" {
                add(.delete, "sends an HTTP DELETE to the GitHub API (\(endpoint))")
            } else if let method, method != "GET" {
                add(.write, "changes GitHub state through the API (\(method) \(endpoint))")
            }
        default:
            break
        }
    }

    mutating func gitlabCLI(_ command: ResolvedCommand) {
        let texts = command.args.positionals(valued: ["-R", "--repo", "-t", "--title", "-d", "--description", "-b",
                                                      "--target-branch", "-s", "--source-branch", "-D", "--duration",
                                                      "-S", "--scope", "-A", "--access-level", "-g", "--group", "-U", "--user",
                                                      "--expires-at"]).map(\.text)
        let group = texts.first ?? ""
        let action = texts.count > 1 ? texts[1] : ""
        family("glab", group.isEmpty ? nil : "\(group) \(action)")
        add(.network, "calls GitLab with glab")
        switch (group, action) {
        case ("token", "create"), ("token", "rotate"):
            // A personal, project or group access token: 30 days unless `--duration` or `--expires-at` says otherwise.
            add(.credential, "creates a GitLab access token (glab token \(action))")
            let lifetime = command.args.value("-D", "--duration").flatMap(ShellAnalyzer.durationSeconds)
                ?? (command.args.value("--expires-at") != nil ? Int64.max / 2 : 30 * 86_400)
            result.target(ActionTarget(.credential, "gitlab access token", operation: "mint", lifetimeSeconds: lifetime))
        case ("mr", "merge"):
            pushes += 1
            add(.merge, "merges a merge request (glab mr merge)")
            result.target(ActionTarget(.resource, "merge request", operation: "merge"))
            add(.vcs, "merges a merge request (glab mr merge)")
        case ("mr", "create"):
            pushes += 1
            add(.vcs, "opens a merge request (glab mr create)")
        case (_, "delete"):
            add(.delete, "deletes with glab \(group) delete")
        case ("variable", "get"), ("variable", "export"):
            add(.sensitiveRead, "reads CI/CD variables (glab variable \(action))")
        case ("auth", "status") where command.args.has("-t", "--show-token"):
            add(.sensitiveRead, "prints the GitLab token (glab auth status -t)")
        case ("api", _):
            // `glab api -X PUT projects/12/merge_requests/17/merge`: a merge request merged through the API.
            let method = command.args.value("-X", "--method")?.uppercased()
            let endpoint = command.args.positionals(valued: ["-X", "--method", "-F", "-f", "--field", "--raw-field", "-H", "--header",
                                                             "--hostname", "--input", "-R", "--repo"]).dropFirst().first?.text ?? ""
            if endpoint.contains("merge_requests/") && endpoint.hasSuffix("/merge") && (method == "PUT" || method == nil) {
                pushes += 1
                add(.merge, "merges a merge request through the API (glab api \(endpoint))")
                result.target(ActionTarget(.resource, "merge request", operation: "merge"))
            } else if method == "DELETE" {
                add(.delete, "sends an HTTP DELETE to the GitLab API (\(endpoint))")
            } else if let method, method != "GET" {
                add(.write, "changes GitLab state through the API (\(method) \(endpoint))")
            }
        default:
            break
        }
    }
}
