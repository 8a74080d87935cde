"""The roster tab: table model, search, student dialog, import dialog and the undo commands for students."""
