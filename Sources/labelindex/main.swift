await LabelIndexCommand.runAsMain()
