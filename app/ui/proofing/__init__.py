"""The proofing tab: table model, bar chart, error and deadline dialogs, results import."""
