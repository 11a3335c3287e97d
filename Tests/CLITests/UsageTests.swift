import Testing

/// Help, usage errors and shell completions: what argument parser provides, wired up as
/// documented.
@Suite struct UsageTests {
    @Test func rootHelpListsCommandsAndExitCodes() throws {
        let result = try CLI.succeed(["--help"])
        for command in ["serve", "import", "export", "query", "labels", "assets", "stats", "check", "keys"] {
            #expect(result.stdout.contains(command), "help lacks \(command)")
        }
        #expect(result.stdout.contains("Exit codes:"))
        #expect(result.stdout.contains("64  usage error"))
    }

    @Test func everyCommandHasExamples() throws {
        let commands = [
            ["serve"], ["import"], ["export"], ["query"], ["labels"], ["labels", "list"], ["labels", "tree"],
            ["labels", "create"], ["labels", "rename"], ["labels", "move"], ["labels", "recolor"],
            ["labels", "delete"],
            ["assets"], ["assets", "show"], ["assets", "add-labels"], ["assets", "remove-labels"], ["stats"], ["check"],
            ["keys"], ["keys", "create"], ["keys", "list"], ["keys", "revoke"],
        ]
        for command in commands {
            let result = try CLI.succeed(["help"] + command)
            #expect(
                result.stdout.contains("Example"), "labelindex \(command.joined(separator: " ")) --help has no example")
        }
    }

    @Test func benchmarkToolHasItsOwnHelp() throws {
        let root = try CLI.benchSucceeds(["--help"])
        for command in ["generate", "run", "queries", "writes", "verify"] {
            #expect(root.stdout.contains(command), "labelindex-bench help lacks \(command)")
            let help = try CLI.benchSucceeds(["help", command])
            #expect(help.stdout.contains("Example"), "labelindex-bench \(command) --help has no example")
        }
        // The shipped tool no longer carries the benchmarks.
        #expect(try CLI.run(["bench", "generate"]).status == 64)
    }

    @Test func serveTakesItsCacheBudgets() throws {
        let help = try CLI.succeed(["serve", "--help"]).stdout
        #expect(help.contains("--postings-cache-mib") && help.contains("--label-name-cache-mib"), "\(help)")
        #expect(help.contains("--malloc-arenas"), "\(help)")
        for flag in ["--postings-cache-mib", "--label-name-cache-mib", "--malloc-arenas"] {
            let refused = try CLI.run(["serve", flag, "-1"])
            #expect(refused.status == 64 && refused.stderr.contains(String(flag.dropFirst(2))), "\(refused.stderr)")
        }
    }

    @Test func unknownCommandIsAUsageError() throws {
        let result = try CLI.run(["frobnicate"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("Error"))
    }

    @Test func invalidOptionValueIsAUsageError() throws {
        let result = try CLI.run(["query", "label:a", "--limit", "many"])
        #expect(result.status == 64, "\(result)")
        let conflicting = try CLI.run(["labels", "move", "a"])
        #expect(conflicting.status == 64, "\(conflicting)")
        #expect(conflicting.stderr.contains("--under"))
    }

    @Test func generatesCompletionScripts() throws {
        for shell in ["bash", "zsh", "fish"] {
            let result = try CLI.succeed(["--generate-completion-script", shell])
            #expect(result.stdout.contains("labelindex"))
            #expect(result.stdout.contains("add-labels"))
        }
    }
}
