import LabelCommandLine

await LabelIndexCommand.runAsMain(classifying: LabelIndexCommand.classify)
