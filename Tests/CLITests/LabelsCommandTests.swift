import Testing

/// `labels list|tree|create|rename|move|recolor|delete`.
@Suite struct LabelsCommandTests {
    @Test func createListAndTree() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let created = try CLI.succeed([
            "labels", "create", "--data-dir", data, "canary", "--parent", "prod", "--color", "#00ff00",
        ])
        #expect(created.stdout.contains("created label canary"))
        #expect(created.stdout.contains("#00FF00"))

        let tree = try CLI.succeed(["labels", "tree", "--data-dir", data]).stdout
        #expect(
            tree.contains(
                """
                env (0)
                ├── prod (2)
                │   └── canary (0)
                └── staging (1)
                """), "\(tree)")
        #expect(tree.contains("api (2)"))

        let list = try CLI.succeed(["labels", "list", "--data-dir", data]).stdout
        #expect(list.contains("6 labels"))
        let json = try JSON.parse(try CLI.succeed(["labels", "list", "--data-dir", data, "--json"]).stdout)
        let canary = try #require(json.array?.first { $0["name"] == "canary" })
        #expect(canary["parent"] == "env/prod")
        #expect(canary["path"] == "env/prod/canary")
        #expect(canary["color"] == "#00FF00")
        #expect(canary["assets"] == 0)
        let prefixed = try JSON.parse(
            try CLI.succeed(["labels", "list", "--data-dir", data, "--prefix", "st", "--json"]).stdout)
        #expect(prefixed.array?.map { $0["name"] } == ["staging"])
        let nested = try JSON.parse(try CLI.succeed(["labels", "tree", "--data-dir", data, "--json"]).stdout)
        #expect(nested[0]?["children"]?[0]?["children"]?[0]?["name"] == "canary")
    }

    @Test func renameMoveRecolorDelete() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        try CLI.succeed(["labels", "rename", "--data-dir", data, "staging", "stage"])
        #expect(try CLI.succeed(["query", "--data-dir", data, "label:stage", "--count"]).stdout == "1\n")

        try CLI.succeed(["labels", "move", "--data-dir", data, "api", "--under", "env"])
        #expect(try CLI.succeed(["query", "--data-dir", data, "under:env", "--count"]).stdout == "4\n")
        try CLI.succeed(["labels", "move", "--data-dir", data, "api", "--root"])
        #expect(try CLI.succeed(["query", "--data-dir", data, "under:env", "--count"]).stdout == "3\n")

        try CLI.succeed(["labels", "recolor", "--data-dir", data, "api", "#123456"])
        let api = try JSON.parse(
            try CLI.succeed(["labels", "list", "--data-dir", data, "--prefix", "api", "--json"]).stdout)
        #expect(api[0]?["color"] == "#123456")

        let deleted = try CLI.succeed(["labels", "delete", "--data-dir", data, "env"])
        #expect(deleted.stdout.contains("deleted label env and 2 sub-labels"))
        #expect(try CLI.succeed(["query", "--data-dir", data, "* -has:label", "--count"]).stdout == "2\n")
        try CLI.succeed(["check", "--data-dir", data])
    }

    @Test func errorsAreBadInput() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let cases: [([String], String)] = [
            (["labels", "rename", "--data-dir", data, "nope", "x"], "no label named \"nope\""),
            (["labels", "create", "--data-dir", data, "env"], "already exists"),
            (["labels", "move", "--data-dir", data, "env", "--under", "prod"], "cycle"),
            (["labels", "delete", "--data-dir", data, "nope"], "no label named"),
            (["labels", "create", "--data-dir", data, "x", "--color", "red"], "not #RRGGBB"),
            (["labels", "create", "--data-dir", data, "x", "--parent", "nope"], "no label named \"nope\""),
            (
                ["labels", "rename", "--data-dir", data, "--namespace", "other", "prod", "x"],
                "namespace other does not exist"
            ),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }
        let list = try CLI.run(["labels", "list", "--data-dir", directory.path("none")])
        #expect(list.status == 2)
    }
}
