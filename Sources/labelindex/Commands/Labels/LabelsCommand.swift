import ArgumentParser

struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "List, create, rename, move, recolor and delete labels.",
        discussion: """
            Label names are exact and case-sensitive, and unique among siblings. Labels form a \
            hierarchy: `under:NAME` in a query matches a label and everything below it. A label \
            is named by its path: a top-level label's name, or below the root its parent's \
            path, `/` and its name (`eng/backend`); a name only one label has works too.

            Examples:
              labelindex labels tree
              labelindex labels create backend --parent eng --color '#1F77B4'
              labelindex labels rename staging stage
              labelindex labels move eng/legacy --root
              labelindex labels delete obsolete
            """,
        subcommands: [
            LabelsListCommand.self, LabelsTreeCommand.self, LabelsCreateCommand.self, LabelsRenameCommand.self,
            LabelsMoveCommand.self, LabelsRecolorCommand.self, LabelsDeleteCommand.self,
        ])
}
