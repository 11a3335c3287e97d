import ArgumentParser

struct AssetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assets",
        abstract: "Show an asset and change its labels.",
        discussion: """
            Assets are named by their integer id (123456) or by a typed id (form:251464995493876).

            Examples:
              labelindex assets show 123456
              labelindex assets add-labels 123456 prod api
              labelindex assets add-labels form:251464995493876 new-label --create
              labelindex assets remove-labels 123456 api
            """,
        subcommands: [AssetsShowCommand.self, AssetsAddLabelsCommand.self, AssetsRemoveLabelsCommand.self])
}
