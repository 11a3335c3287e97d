import LabelCommandLine

await BenchCommand.runAsMain(classifying: BenchCommand.classify)
