import Testing

/// `assets show|add-labels|remove-labels`, with integer and typed ids.
@Suite struct AssetsCommandTests {
    @Test func showsAnAsset() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let text = try CLI.succeed(["assets", "show", "--data-dir", data, "3"]).stdout
        #expect(text.contains("id:         3"))
        #expect(text.contains("name:       https://three.example"))
        #expect(text.contains("labels:     env/prod, reviewed(0.5)"))
        #expect(text.contains(#"metadata:   {"owner":"web","tier":1}"#))

        let typed = try JSON.parse(
            try CLI.succeed(["assets", "show", "--data-dir", data, "form:251464995493876", "--json"]).stdout)
        #expect(typed["id"] == "form:251464995493876")
        #expect(typed["name"] == "Signup")
        #expect(typed["asset_type"] == "page")
        #expect(typed["labels"] == [["name": "api"]])
        #expect(typed["created_at"]?.string != nil)
    }

    @Test func addsAndRemovesLabels() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let added = try CLI.succeed(["assets", "add-labels", "--data-dir", data, "2", "api", "prod"])
        #expect(added.stdout == "2: env/staging, api, env/prod\n")
        let created = try CLI.succeed(["assets", "add-labels", "--data-dir", data, "5", "fresh", "--create"])
        #expect(created.stdout == "5: fresh\n")
        let removed = try CLI.succeed([
            "assets", "remove-labels", "--data-dir", data, "form:251464995493876", "api", "prod",
        ])
        #expect(removed.stdout == "form:251464995493876: (no labels)\n")
        #expect(try CLI.succeed(["query", "--data-dir", data, "label:api", "--count"]).stdout == "2\n")
        try CLI.succeed(["check", "--data-dir", data])
    }

    @Test func unknownAssetsAndLabelsAreBadInput() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let cases: [([String], String)] = [
            (["assets", "show", "--data-dir", data, "999"], "no asset 999 in namespace default"),
            (["assets", "show", "--data-dir", data, "form:1"], "no asset form:1"),
            (["assets", "add-labels", "--data-dir", data, "999", "api"], "no asset 999"),
            (["assets", "add-labels", "--data-dir", data, "1", "typo"], "no label named \"typo\""),
            (["assets", "remove-labels", "--data-dir", data, "1", "typo"], "no label named \"typo\""),
        ]
        for (arguments, message) in cases {
            let result = try CLI.run(arguments)
            #expect(result.status == 2, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }
        #expect(
            try CLI.succeed(["assets", "show", "--data-dir", data, "1"]).stdout.contains("labels:     env/prod, api"))
        let malformed = try CLI.run(["assets", "show", "--data-dir", data, "not-an-id"])
        #expect(malformed.status == 64, "\(malformed)")
    }
}
