import ArgumentParser

struct LabelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "labels",
        abstract: "List, create, rename, move, recolor and delete labels.",
        discussion: """
            Label names are exact and case-sensitive. Labels form a hierarchy: `under:NAME` in \
            a query matches a label and everything below it.

            Examples:
              labelindex labels tree
              labelindex labels create eng/backend --parent eng --color '#1F77B4'
              labelindex labels rename staging stage
              labelindex labels move eng/legacy --root
              labelindex labels delete obsolete
            """,
        subcommands: [
            LabelsListCommand.self, LabelsTreeCommand.self, LabelsCreateCommand.self, LabelsRenameCommand.self,
            LabelsMoveCommand.self, LabelsRecolorCommand.self, LabelsDeleteCommand.self,
        ])
}
