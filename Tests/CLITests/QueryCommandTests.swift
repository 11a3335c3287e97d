import Testing

/// `query`: the table, counts, JSON, paging with cursors, facets, explain, and errors.
@Suite struct QueryCommandTests {
    @Test func printsATableWithCountAndLabels() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let result = try CLI.succeed(["query", "--data-dir", data, "label:prod"])
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("ordinal  id  name"), "\(result)")
        #expect(lines.contains { $0.contains("https://one.example") && $0.contains("prod, api") })
        #expect(lines.contains { $0.contains("https://three.example") && $0.contains("reviewed(0.5)") })
        #expect(lines.last == "2 matching assets")
    }

    @Test func countsOnly() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        #expect(try CLI.succeed(["query", "--data-dir", data, "under:env", "--count"]).stdout == "3\n")
        #expect(try CLI.succeed(["query", "--data-dir", data, "no:label", "--count"]).stdout == "1\n")
        #expect(
            try CLI.succeed(["query", "--data-dir", data, "asset:form:251464995493876", "--count"]).stdout == "1\n")
    }

    @Test func pagesWithCursorsInJSON() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let first = try JSON.parse(
            try CLI.succeed(["query", "--data-dir", data, "has:label", "--limit", "2", "--json"]).stdout)
        #expect(first["count"] == 4)
        #expect(first["assets"]?.array?.map { $0["id"] } == [1, 2])
        #expect(first["assets"]?[0]?["labels"] == [["name": "env/prod"], ["name": "api"]])
        let cursor = try #require(first["next_cursor"]?.string)
        let second = try JSON.parse(
            try CLI.succeed(["query", "--data-dir", data, "has:label", "--limit", "2", "--cursor", cursor, "--json"])
                .stdout)
        #expect(second["assets"]?.array?.map { $0["id"] } == [3, "form:251464995493876"])
        #expect(second["assets"]?[0]?["metadata"] == ["owner": "web", "tier": 1])
        #expect(second["next_cursor"] == nil)

        let text = try CLI.succeed(["query", "--data-dir", data, "has:label", "--limit", "2"])
        #expect(text.stdout.contains("4 matching assets, 2 shown"))
        #expect(text.stdout.contains("next page: --cursor \(cursor)"))
    }

    @Test func facetsAndExplain() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let result = try CLI.succeed([
            "query", "--data-dir", data, "has:label", "--facets", "prod,api,nope", "--explain",
        ])
        #expect(result.stdout.contains("facet"))
        #expect(result.stdout.split(separator: "\n").contains { $0.hasPrefix("prod") && $0.hasSuffix("2") })
        #expect(result.stdout.contains("normalised: has:label"))
        let json = try JSON.parse(
            try CLI.succeed(["query", "--data-dir", data, "label:api", "--facets", "prod", "--explain", "--json"])
                .stdout)
        #expect(json["facets"] == [["label": "prod", "count": 1]])
        #expect(json["plan"]?["actual_count"] == 2)
    }

    @Test func syntaxErrorShowsTheSpanAndExitsTwo() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let result = try CLI.run(["query", "--data-dir", data, "lable:x AND label:y"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("error: unknown field") == true, "\(result)")
        #expect(lines.contains("  lable:x AND label:y"))
        #expect(lines.contains("  ^~~~~"))
    }

    @Test func unknownLabelWarnsAndMatchesNothing() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let result = try CLI.succeed(["query", "--data-dir", data, "label:prdo"])
        #expect(result.stderr.contains("warning: no label is named \"prdo\""))
        #expect(result.stdout.contains("0 matching assets"))
    }

    @Test func badCursorIsBadInput() throws {
        let directory = try TemporaryDirectory()
        let data = try SampleData.importInto(directory)
        let result = try CLI.run(["query", "--data-dir", data, "*", "--cursor", "%%%"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("not a valid cursor"))
    }

    @Test func missingStoreIsBadInput() throws {
        let directory = try TemporaryDirectory()
        let result = try CLI.run(["query", "--data-dir", directory.path("none"), "*"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("no store at"))
    }
}
